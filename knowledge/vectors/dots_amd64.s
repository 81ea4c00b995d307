//go:build !purego

#include "textflag.h"

// Dims is 100 float32s: 400 bytes, 25 groups of four.

// Horizontal sum of the lanes of acc as Dot adds its four sums,
// (s0+s1)+(s2+s3), stored at dst. Clobbers tmp.
#define HSUM(acc, tmp, dst) \
	MOVAPS  acc, tmp; \
	SHUFPS  $0xB1, tmp, tmp; \
	ADDPS   tmp, acc; \
	MOVHLPS acc, tmp; \
	ADDSS   tmp, acc; \
	MOVSS   acc, dst

// func dots(q *[Dims]float32, vecs []float32, out []float32)
TEXT ·dots(SB), NOSPLIT, $0-56
	MOVQ q+0(FP), SI
	MOVQ vecs_base+8(FP), DI
	MOVQ out_base+32(FP), DX
	MOVQ out_len+40(FP), CX

four:
	// Four vectors at a time: four independent chains of additions.
	CMPQ CX, $4
	JLT  one
	XORPS X0, X0
	XORPS X1, X1
	XORPS X2, X2
	XORPS X3, X3
	XORQ  AX, AX

fourloop:
	MOVUPS (SI)(AX*1), X4
	MOVUPS (DI)(AX*1), X5
	MOVUPS 400(DI)(AX*1), X6
	MOVUPS 800(DI)(AX*1), X7
	MOVUPS 1200(DI)(AX*1), X8
	MULPS  X4, X5
	MULPS  X4, X6
	MULPS  X4, X7
	MULPS  X4, X8
	ADDPS  X5, X0
	ADDPS  X6, X1
	ADDPS  X7, X2
	ADDPS  X8, X3
	ADDQ   $16, AX
	CMPQ   AX, $400
	JNE    fourloop

	HSUM(X0, X9, 0(DX))
	HSUM(X1, X10, 4(DX))
	HSUM(X2, X11, 8(DX))
	HSUM(X3, X12, 12(DX))
	ADDQ $1600, DI
	ADDQ $16, DX
	SUBQ $4, CX
	JMP  four

one:
	TESTQ CX, CX
	JZ    done
	XORPS X0, X0
	XORQ  AX, AX

oneloop:
	MOVUPS (SI)(AX*1), X4
	MOVUPS (DI)(AX*1), X5
	MULPS  X4, X5
	ADDPS  X5, X0
	ADDQ   $16, AX
	CMPQ   AX, $400
	JNE    oneloop

	HSUM(X0, X9, 0(DX))
	ADDQ $400, DI
	ADDQ $4, DX
	DECQ CX
	JMP  one

done:
	RET

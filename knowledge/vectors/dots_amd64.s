//go:build !purego

#include "textflag.h"

// Dims is 100 float32s: 400 bytes, 25 groups of four.

// Adds the lanes of acc as Dot adds its four sums, (s0+s1)+(s2+s3), and
// keeps the larger of the result and X13 in X13. Clobbers tmp.
#define HSUMMAX(acc, tmp) \
	MOVAPS  acc, tmp; \
	SHUFPS  $0xB1, tmp, tmp; \
	ADDPS   tmp, acc; \
	MOVHLPS acc, tmp; \
	ADDSS   tmp, acc; \
	MAXSS   acc, X13

// func maxDot(q *[Dims]float32, vecs []float32) float32
TEXT ·maxDot(SB), NOSPLIT, $0-36
	MOVQ  q+0(FP), SI
	MOVQ  vecs_base+8(FP), DI
	MOVQ  vecs_len+16(FP), CX
	XORPS X13, X13

four:
	// Four vectors at a time: four independent chains of additions.
	CMPQ  CX, $400
	JLT   one
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

	HSUMMAX(X0, X9)
	HSUMMAX(X1, X10)
	HSUMMAX(X2, X11)
	HSUMMAX(X3, X12)
	ADDQ $1600, DI
	SUBQ $400, CX
	JMP  four

one:
	CMPQ  CX, $100
	JLT   done
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

	HSUMMAX(X0, X9)
	ADDQ $400, DI
	SUBQ $100, CX
	JMP  one

done:
	MOVSS X13, ret+32(FP)
	RET

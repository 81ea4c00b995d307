//go:build !purego

package vectors

// dots sets out[i] to Dot(q, the i-th vector of vecs), for len(out)
// vectors. It uses SSE: lane k of one register holds Dot's sum k (the
// products of the dimensions i with i%4 == k), multiplied and added in
// the same order and with the same float32 rounding, and the lanes are
// added as Dot adds its sums, so every result is Dot's to the bit.
//
//go:noescape
func dots(q *[Dims]float32, vecs []float32, out []float32)

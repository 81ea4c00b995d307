//go:build !purego

package vectors

// maxDot returns the largest of Dot(q, v) for the vectors v in vecs and
// any zero. It uses SSE: lane k of one register holds Dot's sum k (the
// products of the dimensions i with i%4 == k), multiplied and added in
// the same order and with the same float32 rounding, and the lanes are
// added as Dot adds its sums, so every dot product is Dot's to the bit.
//
//go:noescape
func maxDot(q *[Dims]float32, vecs []float32) float32

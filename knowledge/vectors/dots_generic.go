//go:build !amd64 || purego

package vectors

// maxDot returns the largest of Dot(q, v) for the vectors v in vecs and
// any zero.
func maxDot(q *[Dims]float32, vecs []float32) float32 {
	var best float32
	for ; len(vecs) >= Dims; vecs = vecs[Dims:] {
		if d := Dot(q, (*[Dims]float32)(vecs[:Dims])); d > best {
			best = d
		}
	}
	return best
}

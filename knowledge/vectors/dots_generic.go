//go:build !amd64 || purego

package vectors

// dots sets out[i] to Dot(q, the i-th vector of vecs), for len(out)
// vectors.
func dots(q *[Dims]float32, vecs []float32, out []float32) {
	for i := range out {
		out[i] = Dot(q, (*[Dims]float32)(vecs[i*Dims:(i+1)*Dims]))
	}
}

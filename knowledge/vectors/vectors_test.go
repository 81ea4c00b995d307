package vectors

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestLoadAndSimilarity(t *testing.T) {
	vt, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if vt.Len() < 40000 {
		t.Fatalf("table has %d words, want at least 40,000", vt.Len())
	}
	vec := func(w string) *[Dims]float32 {
		var v [Dims]float32
		if !vt.Add(&v, w) {
			t.Fatalf("%q is not in the table", w)
		}
		Normalize(&v)
		return &v
	}
	tests := []struct{ a, near, far string }{
		{"benefits", "advantages", "carrot"},
		{"rejected", "denied", "weather"},
		{"followers", "fans", "engine"},
	}
	for _, tt := range tests {
		if near, far := Dot(vec(tt.a), vec(tt.near)), Dot(vec(tt.a), vec(tt.far)); near <= far {
			t.Errorf("%s: similarity to %s (%.2f) should beat %s (%.2f)", tt.a, tt.near, near, tt.far, far)
		}
	}
	var v [Dims]float32
	if vt.Add(&v, "zzqxjv") || Normalize(&v) {
		t.Error("an unknown word changed the sum")
	}
}

func TestParseRejectsBadData(t *testing.T) {
	for name, data := range map[string][]byte{
		"empty":            nil,
		"wrong magic":      []byte("XXXX\x01\x00\x00\x00\x64\x00\x00\x00"),
		"truncated words":  []byte("IBV1\x02\x00\x00\x00\x64\x00\x00\x00one\n"),
		"wrong dimensions": []byte("IBV1\x01\x00\x00\x00\x10\x00\x00\x00"),
	} {
		if _, err := parse(data); err == nil {
			t.Errorf("%s: parsed without error", name)
		}
	}
}

// TestMaxDotIsDot checks MaxDot (assembly on amd64) against Dot, bit for
// bit: on random vectors of mixed magnitudes, every count up to 70, and
// each vector alone with q and with -q (Dot(-q, v) is exactly -Dot(q, v)),
// so that every dot product is checked whatever its sign.
func TestMaxDotIsDot(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	random := func(v []float32) {
		for i := range v {
			v[i] = float32(r.NormFloat64() * math.Pow(10, float64(r.IntN(7)-3)))
		}
	}
	var q, negq [Dims]float32
	random(q[:])
	for i := range q {
		negq[i] = -q[i]
	}
	vecs := make([]float32, 70*Dims)
	random(vecs)
	vec := func(i int) *[Dims]float32 { return (*[Dims]float32)(vecs[i*Dims : (i+1)*Dims]) }
	for n := 0; n <= 70; n++ {
		var want float32
		for i := 0; i < n; i++ {
			want = max(want, Dot(&q, vec(i)))
		}
		if got := MaxDot(&q, vecs[:n*Dims]); math.Float32bits(got) != math.Float32bits(want) {
			t.Errorf("%d vectors: MaxDot %v, Dot %v", n, got, want)
		}
	}
	for i := 0; i < 70; i++ {
		d := Dot(&q, vec(i))
		got, gotNeg := MaxDot(&q, vecs[i*Dims:(i+1)*Dims]), MaxDot(&negq, vecs[i*Dims:(i+1)*Dims])
		if d > 0 && math.Float32bits(got) != math.Float32bits(d) || d < 0 && math.Float32bits(gotNeg) != math.Float32bits(-d) {
			t.Errorf("vector %d: MaxDot %v and %v with -q, Dot %v", i, got, gotNeg, d)
		}
	}
	if got := MaxDot(&q, vecs[:Dims-1]); got != 0 || math.Signbit(float64(got)) {
		t.Errorf("no whole vector: MaxDot %v, want 0", got)
	}
}

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

// TestMaxDotIsDot checks MaxDot against Dot, bit for bit, on vectors of the
// table and on odd and even counts of them.
func TestMaxDotIsDot(t *testing.T) {
	vt, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	words := []string{"benefits", "advantages", "carrot", "rejected", "denied", "weather", "followers", "fans", "engine"}
	var vecs []float32
	for _, w := range words {
		var v [Dims]float32
		vt.Add(&v, w)
		Normalize(&v)
		vecs = append(vecs, v[:]...)
	}
	for _, q := range words {
		var qv [Dims]float32
		vt.Add(&qv, q)
		Normalize(&qv)
		for n := 0; n <= len(words); n++ {
			got, ok := MaxDot(&qv, vecs[:n*Dims])
			if ok != (n > 0) {
				t.Fatalf("%s over %d vectors: ok %v", q, n, ok)
			}
			var want float32
			for i := 0; i < n; i++ {
				d := Dot(&qv, (*[Dims]float32)(vecs[i*Dims:(i+1)*Dims]))
				if i == 0 || d > want {
					want = d
				}
			}
			if n > 0 && math.Float32bits(got) != math.Float32bits(want) {
				t.Errorf("%s over %d vectors: MaxDot %v, Dot %v", q, n, got, want)
			}
		}
	}
}

// TestDotsIsDot checks dots (assembly on amd64) against Dot, bit for bit,
// on random vectors of mixed magnitudes and every count up to 70.
func TestDotsIsDot(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	var q [Dims]float32
	for i := range q {
		q[i] = float32(r.NormFloat64() * math.Pow(10, float64(r.IntN(7)-3)))
	}
	vecs := make([]float32, 70*Dims)
	for i := range vecs {
		vecs[i] = float32(r.NormFloat64() * math.Pow(10, float64(r.IntN(7)-3)))
	}
	for n := 0; n <= 70; n++ {
		out := make([]float32, n)
		dots(&q, vecs[:n*Dims], out)
		for i, got := range out {
			want := Dot(&q, (*[Dims]float32)(vecs[i*Dims:(i+1)*Dims]))
			if math.Float32bits(got) != math.Float32bits(want) {
				t.Fatalf("vector %d of %d: dots %v, Dot %v", i, n, got, want)
			}
		}
	}
}

package vectors

import "testing"

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

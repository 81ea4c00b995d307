package jsonstr

import (
	"encoding/json"
	"math/rand/v2"
	"testing"
)

// TestAppendWritesWhatEncodingJSONWrites: for every kind of string
// (control characters, quotes, HTML's <>&, U+2028, invalid UTF-8), Append
// writes encoding/json's bytes.
func TestAppendWritesWhatEncodingJSONWrites(t *testing.T) {
	strs := []string{"", "plain", "quote \" backslash \\", "\x00\x07\b\f\n\r\t\x1f\x7f", "<a href=\"x\">&</a>",
		"line\u2028separator\u2029", "émoji 👋 中文", "bad \xff\xfe utf-8", "\xc3"}
	rng := rand.New(rand.NewPCG(7, 8))
	pieces := []string{"a", "\"", "\\", "\n", "\x01", "<", "&", "\u2028", "é", "\xff", "👋"}
	for range 5000 {
		var s string
		for range rng.IntN(12) {
			s += pieces[rng.IntN(len(pieces))]
		}
		strs = append(strs, s)
	}
	for _, s := range strs {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := Append(nil, s); string(got) != string(want) {
			t.Fatalf("Append(%q) = %s, want %s", s, got, want)
		}
	}
}

package knowledge

import (
	"os"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// tokenizeReference is tokenize written the plain way, rune by rune with a
// builder; tokenize must split every text exactly as it does.
func tokenizeReference(s string) []string {
	var words []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			words = append(words, b.String())
			b.Reset()
		}
	}
	rs := []rune(s)
	for i, r := range rs {
		switch {
		case r == '\'' || r == '’':
			continue
		case r == ',' && i > 0 && i+1 < len(rs) && unicode.IsDigit(rs[i-1]) && unicode.IsDigit(rs[i+1]):
			continue
		case r == '$':
			flush()
			words = append(words, "$")
		case r == '%':
			flush()
			words = append(words, "percent")
		case r == '#' && i+1 < len(rs) && unicode.IsLetter(rs[i+1]):
			flush()
			words = append(words, "hashtag")
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		default:
			flush()
		}
	}
	flush()
	for i, w := range words {
		if n := len(w); n >= 2 && w[n-1] == 'k' && allDigits(w[:n-1]) {
			words[i] = w[:n-1] + "000"
		}
	}
	return words
}

var tokenizeSeeds = []string{
	"", "Don't", "it’s 5,000 followers", "$5k a month", "#ad #é # x#y", "ÉCOLE naïve café's 10K",
	"1,5 ,5 5, #1", "a''b", "ÀB'c", "25% off!!", "Ｆｕｌｌwidth ＡＢＣ", "١٢٣ arabic digits", "tab\there\nnewline",
	"emoji 🙏🤔 after", "can i aply again or am i banned 4ever",
}

func TestTokenizeMatchesReference(t *testing.T) {
	lines := slices.Clone(tokenizeSeeds)
	for _, f := range []string{"testdata/dev.tsv", "testdata/legacy/eval.tsv", "faq/taxes.md", "offtopic/lookalikes.md"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, strings.Split(string(b), "\n")...)
	}
	for _, l := range lines {
		if want, got := tokenizeReference(l), tokenize(l); !slices.Equal(want, got) {
			t.Errorf("tokenize(%q) = %q, want %q", l, got, want)
		}
	}
}

func FuzzTokenize(f *testing.F) {
	for _, s := range tokenizeSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if want, got := tokenizeReference(s), tokenize(s); !slices.Equal(want, got) {
			t.Errorf("tokenize(%q) = %q, want %q", s, got, want)
		}
	})
}

// TestAnalyzerReuse checks that an analyzer reused from question to
// question, as a search's scratch reuses it, gives what a fresh one gives.
func TestAnalyzerReuse(t *testing.T) {
	_, questions := goldenQuestions(t)
	var reused analyzer
	for _, q := range questions {
		var fresh analyzer
		want, wantFocus := fresh.focusedWords(q)
		got, gotFocus := reused.focusedWords(q)
		if !slices.Equal(got, want) || gotFocus != wantFocus {
			t.Errorf("%q: reused %q (focus %d), fresh %q (focus %d)", q, got, gotFocus, want, wantFocus)
		}
	}
}

package bot

import (
	"strings"
	"testing"
)

func TestQuote(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"plain words are unchanged", "how do I apply", "how do I apply"},
		{"a Markdown link is escaped", "[Verify](https://evil.example/login)", `\[Verify\]\(https\://evil.example/login\)`},
		{"emphasis markers are escaped", "*bold* _it_ ~~s~~ `c`", "\\*bold\\* \\_it\\_ \\~\\~s\\~\\~ \\`c\\`"},
		{"mentions and entities are escaped", "<@U1> <!channel> @everyone &amp;", `\<\@U1\> \<\!channel\> \@everyone \&amp;`},
		{"a backslash is escaped so it cannot undo an escape", `\*`, `\\\*`},
		{"line breaks become spaces so no heading or list can start", "a\n# b\n- c", `a \# b - c`},
		{"control characters are dropped", "a\x1b]0;title\x07b\x00c", `a\]0;titlebc`},
		{"bidirectional overrides are dropped", "a\u202Eb\u2066c", "abc"},
		{"emoji with joiners stay whole", "👩‍👩‍👧 hi", "👩‍👩‍👧 hi"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Quote(tc.in)
			if got != tc.want {
				t.Errorf("Quote(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if Quote(Unquote(got)) != got {
				t.Errorf("Quote(Unquote(%q)) = %q, want it unchanged", got, Quote(Unquote(got)))
			}
		})
	}
}

func TestQuoteClipNeverSplitsAnEscape(t *testing.T) {
	got := QuoteClip(strings.Repeat("*", 50), 10)
	if !strings.HasSuffix(got, "…") || strings.Count(got, `\*`) != 10 {
		t.Errorf("QuoteClip = %q, want ten escaped stars and an ellipsis", got)
	}
}

package bot

import (
	"context"
	"strings"
	"testing"

	"github.com/influbot/influbot/knowledge"
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

func TestQuoteEchoes(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"a Go-quoted echo is escaped", `I couldn't match "[x](https://e.example)" to a category`, "I couldn't match “\\[x\\]\\(https\\://e.example\\)” to a category"},
		{"escapes inside the quotes are undone first", `"a\"b <@U1>"`, "“a\"b \\<\\@U1\\>”"},
		{"text without quotes is unchanged", "use `niche home decor`", "use `niche home decor`"},
		{"an unmatched quote stays", `5" tall`, `5" tall`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := QuoteEchoes(tc.in); got != tc.want {
				t.Errorf("QuoteEchoes(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestCheckEchoesAreInert(t *testing.T) {
	for _, text := range []string{
		"check instagram 4k followers 150 likes niche [click me](https://evil.example/login) <!channel>",
		"check instagrm [x](https://evil.example) 4k",
		"commission [x](https://evil.example) 80",
		"commission books [x](https://evil.example)",
		"commission books `x` [y](https://evil.example)",
		"lint Love it! [deal](https://evil.example) <@U123> #sponsored-ish amzn.to/x",
	} {
		t.Run(text, func(t *testing.T) {
			r := newTestBot(t).Handle(context.Background(), Request{User: UserRef{Platform: PlatformSlack, Tenant: "T1", ID: "U1"}, Text: text})
			// Code spans show their content literally on every platform.
			parts := strings.Split(r.Text, "`")
			var outside strings.Builder
			for i := 0; i < len(parts); i += 2 {
				outside.WriteString(parts[i])
			}
			for _, bad := range []string{"](", "<!", "<@", "<http"} {
				if strings.Contains(outside.String(), bad) {
					t.Errorf("reply carries %q unescaped:\n%s", bad, r.Text)
				}
			}
		})
	}
}

func newTestBot(t *testing.T) *Bot {
	t.Helper()
	kb, err := knowledge.LoadDir("")
	if err != nil {
		t.Fatal(err)
	}
	b, err := New(Config{Knowledge: kb})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

package slack

import "testing"

// TestMarkdownMatchesReference checks that the conversions write exactly
// what they wrote before they copied plain runs whole.
func TestMarkdownMatchesReference(t *testing.T) {
	for _, s := range markdownSamples() {
		for _, c := range []struct {
			name      string
			got, want func(string) string
		}{
			{"mrkdwn", mrkdwn, refMrkdwn},
			{"plainText", plainText, refPlainText},
			{"inline", inline, refInline},
			{"stripInline", stripInline, refStripInline},
		} {
			if got, want := c.got(s), c.want(s); got != want {
				t.Fatalf("%s(%q) = %q, want %q", c.name, s, got, want)
			}
		}
	}
}

func FuzzMarkdownMatchesReference(f *testing.F) {
	for _, s := range markdownSamples()[:200] {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := mrkdwn(s), refMrkdwn(s); got != want {
			t.Fatalf("mrkdwn(%q) = %q, want %q", s, got, want)
		}
		if got, want := plainText(s), refPlainText(s); got != want {
			t.Fatalf("plainText(%q) = %q, want %q", s, got, want)
		}
	})
}

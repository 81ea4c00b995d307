package bot

import "testing"

// Compliments and jokes at the bot are small talk, whatever FAQ word they
// share ("funny" names a niche).
func TestComplimentsAreSmallTalk(t *testing.T) {
	l := newLexicon()
	for _, tc := range []struct {
		msg  string
		want bool
	}{
		{"lol you're funny", true},
		{"haha ur so funny", true},
		{"you're smart", true},
		{"smart bot", true},
		{"is a funny niche good for amazon", false},
		{"how do i make funny product videos", false},
	} {
		if got := l.smallTalkIntent(normalize(tc.msg)) != ""; got != tc.want {
			t.Errorf("%q: small talk %v, want %v", tc.msg, got, tc.want)
		}
	}
}

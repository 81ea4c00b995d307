package slack

import (
	"net/url"
	"strings"
	"testing"
)

// TestFirstFormValuesMatchesParseQuery checks firstFormValues against
// url.ParseQuery and Values.Get on forms with escapes, pluses,
// repeats, empty pairs, semicolons and bad escapes.
func TestFirstFormValuesMatchesParseQuery(t *testing.T) {
	pieces := []string{"team_id", "text", "user_id", "x", "=", "&", "&&", ";", "%", "%2", "%zz", "%41", "+", "a", "b%26c", "=v", "text=hi+there",
		"user_id=U1", "team_id=T%31", "command=%2Finflubot", "%74ext=encoded+key", "text", "é", "\\x00"}
	seed := uint64(7)
	next := func(n int) int {
		seed = seed*6364136223846793005 + 1442695040888963407
		return int((seed >> 33) % uint64(n))
	}
	forms := []string{"", "&", "text=", "text", "=", "a=1;b=2", "text=%zz&text=ok", "text=ok&text=two", strings.Repeat("a=1&", 120) + "text=late"}
	for k := 0; k < 50000; k++ {
		var sb strings.Builder
		for m := next(12); m >= 0; m-- {
			sb.WriteString(pieces[next(len(pieces))])
		}
		forms = append(forms, sb.String())
	}
	keys := slashFields[:]
	for _, f := range forms {
		want, wantErr := url.ParseQuery(f)
		got := make([]string, len(keys))
		err := firstFormValues(f, keys, got)
		if (err == nil) != (wantErr == nil) || (err != nil && err.Error() != wantErr.Error()) {
			t.Fatalf("firstFormValues(%q) error %v, want %v", f, err, wantErr)
		}
		for i, k := range keys {
			if got[i] != want.Get(k) {
				t.Fatalf("firstFormValues(%q)[%s] = %q, want %q", f, k, got[i], want.Get(k))
			}
		}
	}
}

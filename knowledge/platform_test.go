package knowledge

import (
	"slices"
	"testing"
)

func TestPlatformAliases(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Twitter", "x"},
		{" IG ", "instagram"},
		{"you tube", "youtube"},
		{"tik-tok", "tiktok"},
		{"face book", "facebook"},
		{"myspace", "myspace"},
	} {
		t.Run(tc.in+" is "+tc.want, func(t *testing.T) {
			if got := NormalizePlatform(tc.in); got != tc.want {
				t.Errorf("NormalizePlatform(%q) = %q", tc.in, got)
			}
		})
	}
	t.Run("every task platform lists its id and only names that map back to it", func(t *testing.T) {
		for _, id := range TaskPlatforms {
			names := PlatformAliases(id)
			if !slices.Contains(names, id) {
				t.Errorf("%s: aliases %v lack the id", id, names)
			}
			for _, n := range names {
				if NormalizePlatform(n) != id {
					t.Errorf("%s: alias %q maps to %q", id, n, NormalizePlatform(n))
				}
			}
		}
	})
	t.Run("an unknown platform has no aliases", func(t *testing.T) {
		if got := PlatformAliases("myspace"); len(got) != 0 {
			t.Errorf("got %v", got)
		}
	})
}

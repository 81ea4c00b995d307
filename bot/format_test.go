package bot

import "testing"

func TestReplyFormatting(t *testing.T) {
	for _, tc := range []struct{ name, got, want string }{
		{"YouTube is written as creators write it", platformDisplayName("youtube"), "YouTube"},
		{"an alias names its platform", platformDisplayName("twitter"), "X"},
		{"an unknown platform is capitalized", platformDisplayName("myspace"), "Myspace"},
		{"YouTube counts subscribers", audienceOf("yt"), "subscribers"},
		{"an unknown platform counts followers", audienceOf("myspace"), "followers"},
		{"no platform is the creator's account", socialName(""), "Your account"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("got %q, want %q", tc.got, tc.want)
			}
		})
	}
}

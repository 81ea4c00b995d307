package eligibility

import (
	"strings"
)

// Platform is a social platform a creator applies with.
type Platform struct {
	ID   string // "instagram", "youtube", "tiktok", "facebook" or "x"
	Name string // for replies: "Instagram", "YouTube", ...
	// Audience names the follower count: "followers", or "subscribers"
	// on YouTube.
	Audience string
	// Post names one piece of content: "post", "video".
	Post string
	// CountsShares reports whether shares are part of the engagement rate
	// (not on YouTube, where shares are not shown per video).
	CountsShares bool
	// ViewsBasis reports whether the engagement rate is measured against
	// views when they are given.
	ViewsBasis bool
	// ViewRate reports whether the check reports views per subscriber.
	ViewRate bool
	aliases  []string
}

// platforms is the read-only table of supported platforms, in help order.
var platforms = []Platform{
	{ID: "instagram", Name: "Instagram", Audience: "followers", Post: "post", CountsShares: true,
		aliases: []string{"instagram", "ig", "insta", "instagr.am"}},
	{ID: "youtube", Name: "YouTube", Audience: "subscribers", Post: "video", ViewsBasis: true, ViewRate: true,
		aliases: []string{"youtube", "yt", "you tube"}},
	{ID: "tiktok", Name: "TikTok", Audience: "followers", Post: "video", CountsShares: true, ViewsBasis: true,
		aliases: []string{"tiktok", "tik tok", "tik-tok", "tt"}},
	{ID: "facebook", Name: "Facebook", Audience: "followers", Post: "post", CountsShares: true,
		aliases: []string{"facebook", "fb", "face book"}},
	{ID: "x", Name: "X", Audience: "followers", Post: "post", CountsShares: true,
		aliases: []string{"x", "twitter", "x.com", "twitter/x", "x/twitter"}},
}

// Platforms returns the supported platforms in display order.
func Platforms() []Platform { return append([]Platform(nil), platforms...) }

// PlatformNames lists the accepted platform names for error messages.
const PlatformNames = "instagram (ig, insta), youtube (yt), tiktok, facebook (fb) or x (twitter)"

// LookupPlatform finds a platform by its id or a common alias, ignoring
// case and surrounding space and punctuation.
func LookupPlatform(name string) (Platform, bool) {
	n := strings.ToLower(strings.Trim(name, " \t\r\n.,;:!?\"'()[]"))
	if n == "" {
		return Platform{}, false
	}
	for _, p := range platforms {
		for _, a := range p.aliases {
			if a == n {
				return p, true
			}
		}
	}
	return Platform{}, false
}

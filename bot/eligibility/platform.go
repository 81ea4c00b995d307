package eligibility

import (
	"strings"

	"github.com/influbot/influbot/knowledge"
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
}

// platforms is the read-only table of supported platforms, in help order.
var platforms = []Platform{
	{ID: "instagram", Name: "Instagram", Audience: "followers", Post: "post", CountsShares: true},
	{ID: "youtube", Name: "YouTube", Audience: "subscribers", Post: "video", ViewsBasis: true, ViewRate: true},
	{ID: "tiktok", Name: "TikTok", Audience: "followers", Post: "video", CountsShares: true, ViewsBasis: true},
	{ID: "facebook", Name: "Facebook", Audience: "followers", Post: "post", CountsShares: true},
	{ID: "x", Name: "X", Audience: "followers", Post: "post", CountsShares: true},
}

// Platforms returns the supported platforms in display order.
func Platforms() []Platform { return append([]Platform(nil), platforms...) }

// PlatformNames lists the accepted platform names for error messages.
const PlatformNames = "instagram (ig, insta), youtube (yt), tiktok, facebook (fb) or x (twitter)"

// LookupPlatform finds a platform by its id or a common alias
// (knowledge.NormalizePlatform's list), ignoring case and surrounding space
// and punctuation.
func LookupPlatform(name string) (Platform, bool) {
	n := strings.ToLower(strings.Trim(name, " \t\r\n.,;:!?\"'()[]"))
	if n == "" {
		return Platform{}, false
	}
	id := knowledge.NormalizePlatform(n)
	for _, p := range platforms {
		if p.ID == id {
			return p, true
		}
	}
	return Platform{}, false
}

package bot

import (
	"strconv"
	"strings"

	"github.com/influbot/influbot/bot/eligibility"
)

// How the core writes numbers and platforms in replies, in one place.

// thousands formats n with comma separators: 4600 -> "4,600".
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var sb strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			sb.WriteByte(',')
		}
		sb.WriteRune(r)
	}
	if neg {
		return "-" + sb.String()
	}
	return sb.String()
}

// audienceOf names a platform's follower count: "followers", or
// "subscribers" on YouTube.
func audienceOf(platform string) string {
	if p, ok := eligibility.LookupPlatform(platform); ok {
		return p.Audience
	}
	return "followers"
}

// platformDisplayName is how a creator writes a platform ("YouTube",
// "TikTok", "X" for twitter), from eligibility's table of platforms; an
// unknown one is capitalized.
func platformDisplayName(p string) string {
	if pl, ok := eligibility.LookupPlatform(p); ok {
		return pl.Name
	}
	return capitalize(p)
}

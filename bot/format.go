package bot

import (
	"github.com/influbot/influbot/bot/eligibility"
)

// How the core writes numbers and platforms in replies, in one place.

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

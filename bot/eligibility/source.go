package eligibility

import (
	"regexp"
	"strings"

	"github.com/influbot/influbot/knowledge"
)

// internalReference matches the parts of a knowledge file's source that
// point at the project's own records ("as listed in influbot issue 3",
// "(issue 3)", "seed article"): useful to maintainers, meaningless to a
// creator, who can only look up a public source.
var internalReference = regexp.MustCompile(`(?i)(,?\s*as (?:listed|given|quoted) in (?:influbot )?issue\s*#?\d+|\s*\((?:influbot )?issue\s*#?\d+\)|,?\s*(?:per|from|in) (?:the |a )?seed article)`)

// PublicSource returns source without references to the project's own
// records, for a creator to read.
func PublicSource(source string) string {
	s := internalReference.ReplaceAllString(source, "")
	return strings.TrimSpace(strings.Trim(strings.TrimSpace(s), ",;"))
}

// RateSource is the line a commission reply cites: the rate's public
// source and the date it was taken from there, "Amazon Associates Program
// Standard Commission Income Statement (...), as of 2026-11-24".
func RateSource(rate knowledge.CommissionRate) string {
	src := PublicSource(rate.Source)
	switch {
	case src == "" && rate.Date == "":
		return "Amazon's published standard rates"
	case src == "":
		return "Amazon's published standard rates, as of " + rate.Date
	case rate.Date == "":
		return src
	}
	return src + ", as of " + rate.Date
}

package chart

import (
	"math"
	"strconv"
	"strings"

	"github.com/influbot/influbot/bot/numfmt"
)

// AltText states in words what PNG draws, one sentence per platform:
// "Instagram: followers 3,900 → 4,600 (+18%) from 2 Oct to 30 Nov;
// engagement 1.1% → 1.8% (benchmark 1.5%); verdict borderline → ready."
func AltText(series []Series) string {
	series = normalize(series)
	if len(series) == 0 {
		return "No checks yet, so there is no progress to chart."
	}
	var sentences []string
	for _, s := range series {
		sentences = append(sentences, altSeries(s))
	}
	prefix := "Progress chart. "
	return prefix + strings.Join(sentences, " ")
}

func altSeries(s Series) string {
	first, last := s.Checks[0], s.Checks[len(s.Checks)-1]
	layout := "2 Jan"
	if first.Time.UTC().Year() != last.Time.UTC().Year() {
		layout = "2 Jan 2006"
	}
	var parts []string
	if len(s.Checks) == 1 {
		parts = append(parts, s.Audience+" "+numfmt.Thousands(first.Followers)+" on "+first.Time.UTC().Format(layout))
	} else {
		f := s.Audience + " " + numfmt.Thousands(first.Followers) + " → " + numfmt.Thousands(last.Followers)
		if c := numfmt.Change(first.Followers, last.Followers); c != "" {
			f += " (" + c + ")"
		}
		f += " from " + first.Time.UTC().Format(layout) + " to " + last.Time.UTC().Format(layout)
		parts = append(parts, f)
	}
	parts = append(parts, altEngagement(s))
	if len(s.Checks) == 1 || first.Verdict == last.Verdict {
		v := "verdict " + VerdictLabel(last.Verdict)
		if len(s.Checks) > 1 {
			v = "verdict still " + VerdictLabel(last.Verdict)
		}
		parts = append(parts, v)
	} else {
		parts = append(parts, "verdict "+VerdictLabel(first.Verdict)+" → "+VerdictLabel(last.Verdict))
	}
	checks := "1 check"
	if len(s.Checks) > 1 {
		checks = strconv.Itoa(len(s.Checks)) + " checks"
	}
	return s.Platform + " (" + checks + "): " + strings.Join(parts, "; ") + "."
}

// altEngagement compares the first and last measured rates and says how
// many checks left engagement unmeasured.
func altEngagement(s Series) string {
	var measured []Check
	for _, c := range s.Checks {
		if c.Measured && !math.IsNaN(c.Engagement) && !math.IsInf(c.Engagement, 0) {
			measured = append(measured, c)
		}
	}
	of := ""
	if s.OfViews {
		of = " of views"
	}
	bench := ""
	if s.Benchmark > 0 {
		bench = " (benchmark " + percent(s.Benchmark) + ")"
	}
	var e string
	switch len(measured) {
	case 0:
		return "engagement not measured" + bench
	case 1:
		e = "engagement " + numfmt.Percent(measured[0].Engagement) + of + bench
	default:
		e = "engagement " + numfmt.Percent(measured[0].Engagement) + " → " + numfmt.Percent(measured[len(measured)-1].Engagement) + of + bench
	}
	if missing := len(s.Checks) - len(measured); missing > 0 {
		e += ", not measured in " + strconv.Itoa(missing) + " of " + strconv.Itoa(len(s.Checks)) + " checks"
	}
	return e
}

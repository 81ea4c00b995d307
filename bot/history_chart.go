package bot

import (
	"context"
	"time"

	"github.com/influbot/influbot/bot/chart"
	"github.com/influbot/influbot/bot/eligibility"
)

// progressChart draws checks (newest first, as LatestChecks returns them)
// as the history's picture: a PNG file to attach, and an image that points
// at it with the same trend in words as its alt text. It returns nils when
// there is nothing to draw or drawing fails (the text trend still stands).
func (b *Bot) progressChart(ctx context.Context, checks []CheckRecord, now time.Time) (*File, *Image) {
	series := b.chartSeries(checks)
	if len(series) == 0 {
		return nil, nil
	}
	data, err := chart.PNG(series, chart.Options{})
	if err != nil {
		b.log.WarnContext(ctx, "could not draw the progress chart", "err", err)
		return nil, nil
	}
	name := "influbot-progress-" + now.UTC().Format("2006-01-02") + ".png"
	alt := chart.AltText(series)
	return &File{Name: name, ContentType: "image/png", Data: data, Alt: alt},
		&Image{URL: "attachment://" + name, Alt: alt}
}

// chartSeries groups checks (newest first) by platform, most recently
// checked first, as checkTrends does. Engagement is charted against one
// basis per platform, the newest measured check's (a rate of views and a
// rate of followers are not comparable), and the benchmark line is the
// one the newest check was graded against, as the check uses the rules.
func (b *Bot) chartSeries(checks []CheckRecord) []chart.Series {
	var order []string
	by := map[string][]CheckRecord{}
	for _, c := range checks {
		if _, seen := by[c.Platform]; !seen {
			order = append(order, c.Platform)
		}
		by[c.Platform] = append(by[c.Platform], c)
	}
	var series []chart.Series
	for _, p := range order {
		cs := by[p]
		basis := ""
		for _, c := range cs {
			if _, ok := c.Engagement(); ok {
				basis = c.EngagementBasis
				break
			}
		}
		s := chart.Series{Platform: socialName(p), Audience: audienceOf(p), OfViews: basis == eligibility.BasisViews}
		if rules := b.cfg.Knowledge.Rules; rules != nil {
			if bench, ok := rules.Benchmark(p, cs[0].Followers); ok && (basis == "" || bench.Basis == basis) {
				s.Benchmark = bench.Rate
			}
		}
		for _, c := range cs {
			er, ok := c.Engagement()
			s.Checks = append(s.Checks, chart.Check{
				Time:       c.Time,
				Followers:  c.Followers,
				Engagement: er,
				Measured:   ok && c.EngagementBasis == basis,
				Verdict:    c.Verdict,
			})
		}
		series = append(series, s)
	}
	return series
}

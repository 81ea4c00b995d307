package eligibility

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/influbot/influbot/knowledge"
)

// Criterion statuses.
const (
	Pass    = "pass"
	Warn    = "warn"
	Fail    = "fail"
	Unknown = "unknown" // the data was not given
)

// Verdicts.
const (
	Ready      = "ready"      // followers, engagement and cadence all pass
	Borderline = "borderline" // nothing fails, but not everything passes
	NotYet     = "not_yet"    // at least one criterion fails
)

// Engagement bases.
const (
	BasisFollowers = "followers"
	BasisViews     = "views"
)

// MaxNextSteps caps the next steps of one check, so the reply stays
// readable; failing criteria come first.
const MaxNextSteps = 6

// Criterion is one graded part of a check.
type Criterion struct {
	Name   string `json:"name"`   // followers, engagement, cadence or niche
	Status string `json:"status"` // pass, warn, fail or unknown
	Detail string `json:"detail"` // one line a creator understands
}

// Result is a graded check. Its JSON form is what "influbot check --json"
// prints and what a stored check keeps.
type Result struct {
	Platform        string      `json:"platform"`
	Followers       int64       `json:"followers"`
	EngagementRate  *float64    `json:"engagement_rate"` // percent, 2 decimals; null without likes
	EngagementBasis string      `json:"engagement_basis"`
	ViewRate        *float64    `json:"view_rate"` // YouTube with views only
	Verdict         string      `json:"verdict"`
	Score           int         `json:"score"` // 0-100
	Criteria        []Criterion `json:"criteria"`
	Flags           []string    `json:"flags"`
	NextSteps       []string    `json:"next_steps"`

	// For replies; not part of the JSON.
	Input        Input               `json:"-"`
	PlatformName string              `json:"-"`
	Benchmark    knowledge.Benchmark `json:"-"`
	Niches       []knowledge.Niche   `json:"-"` // what the niche matched
}

// Criterion returns the named criterion.
func (r Result) Criterion(name string) (Criterion, bool) {
	for _, c := range r.Criteria {
		if c.Name == name {
			return c, true
		}
	}
	return Criterion{}, false
}

// NeedsNiche reports whether the creator gave no niche.
func (r Result) NeedsNiche() bool { return strings.TrimSpace(r.Input.Niche) == "" }

// JSON returns the result as one line of JSON without HTML escaping, the
// exact form "influbot check --json" prints and checks are stored in.
func (r Result) JSON() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		return nil, fmt.Errorf("encode check result: %w", err)
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// Validate checks that the input names a known platform and a follower
// count, and that every number is within what an account can have.
func (in Input) Validate() error {
	p, ok := LookupPlatform(in.Platform)
	if !ok {
		return unknownPlatform(in.Platform)
	}
	if in.Followers == nil {
		return exampleErrorf("followers", "tell me your %s, like --followers 4200 or 4.2k", p.Audience)
	}
	for _, f := range []struct {
		name string
		v    *float64
	}{{"followers", in.Followers}, {"likes", in.Likes}, {"comments", in.Comments}, {"shares", in.Shares}, {"views", in.Views}} {
		if f.v != nil {
			if err := checkCount(f.name, *f.v); err != nil {
				return err
			}
		}
	}
	if err := in.checkPlausible(); err != nil {
		return err
	}
	if in.PostsPerWeek != nil {
		if err := checkCadence(*in.PostsPerWeek); err != nil {
			return err
		}
	}
	if n := len([]rune(in.Niche)); n > MaxNicheLen {
		return inputErrorf("niche", "the niche is %d characters long; describe it in at most %d, e.g. home decor", n, MaxNicheLen)
	}
	return nil
}

// Check grades a creator's numbers against rules. It returns an
// *InputError when the input is incomplete or out of range.
func Check(in Input, rules *knowledge.Rules) (Result, error) {
	if err := in.Validate(); err != nil {
		return Result{}, err
	}
	if rules == nil {
		return Result{}, fmt.Errorf("eligibility: no rules")
	}
	plat, _ := LookupPlatform(in.Platform)
	in.Platform = plat.ID
	followers := int64(math.Round(*in.Followers))
	bench, ok := rules.Benchmark(plat.ID, followers)
	if !ok {
		return Result{}, fmt.Errorf("eligibility: no engagement benchmark for %s", plat.ID)
	}
	res := Result{
		Platform:     plat.ID,
		Followers:    followers,
		Input:        in,
		PlatformName: plat.Name,
		Benchmark:    bench,
		Flags:        []string{},
		NextSteps:    []string{},
	}
	g := grader{plat: plat, rules: rules, bench: bench, res: &res}
	parts := [4]float64{}
	var fc, ec, cc, nc Criterion
	fc, parts[0] = g.followers(float64(followers))
	ec, parts[1] = g.engagement()
	cc, parts[2] = g.cadence()
	nc, parts[3] = g.niche()
	res.Criteria = []Criterion{fc, ec, cc, nc}
	suspicious := g.flags()

	switch {
	case fc.Status == Fail || ec.Status == Fail || cc.Status == Fail || nc.Status == Fail:
		res.Verdict = NotYet
	case fc.Status == Pass && ec.Status == Pass && cc.Status == Pass:
		res.Verdict = Ready
	default:
		res.Verdict = Borderline
	}
	res.Score = score(res.Verdict, parts, suspicious)
	res.NextSteps = g.nextSteps()
	return res, nil
}

// Score bands: the verdict sets the band, how far along each criterion is
// sets the place in it, so a score never contradicts its verdict.
var scoreBands = map[string][2]float64{NotYet: {0, 49}, Borderline: {50, 79}, Ready: {80, 100}}

// scoreWeights weigh followers, engagement, cadence and niche.
var scoreWeights = [4]float64{0.3, 0.4, 0.2, 0.1}

func score(verdict string, parts [4]float64, suspicious int) int {
	raw := 0.0
	for i, p := range parts {
		raw += scoreWeights[i] * p
	}
	raw -= 0.1 * float64(suspicious)
	raw = math.Max(0, math.Min(1, raw))
	band := scoreBands[verdict]
	return int(math.Round(band[0] + raw*(band[1]-band[0])))
}

// progress maps a value against warn and pass thresholds onto 0..1: 0.4 at
// warn, 0.8 at pass, 1 at full (a value well past pass).
func progress(v, warn, pass, full float64) float64 {
	switch {
	case v >= full:
		return 1
	case v >= pass:
		if full <= pass {
			return 1
		}
		return 0.8 + 0.2*(v-pass)/(full-pass)
	case v >= warn:
		if pass <= warn {
			return 0.8
		}
		return 0.4 + 0.4*(v-warn)/(pass-warn)
	case warn > 0:
		return 0.4 * v / warn
	}
	return 0
}

type grader struct {
	plat  Platform
	rules *knowledge.Rules
	bench knowledge.Benchmark
	res   *Result
	er    float64 // engagement rate, valid when res.EngagementRate != nil
}

func (g *grader) followers(f float64) (Criterion, float64) {
	l := g.rules.Followers
	aud := g.plat.Audience
	note := l.Note
	if note == "" {
		note = "Amazon publishes no minimum; this is community guidance."
	}
	c := Criterion{Name: "followers"}
	switch {
	case f >= l.Pass:
		c.Status = Pass
		c.Detail = fmt.Sprintf("%s %s, at or above the %s creators commonly aim for. %s", formatCount(f), aud, formatCount(l.Pass), note)
	case f >= l.Warn:
		c.Status = Warn
		c.Detail = fmt.Sprintf("%s %s: a real audience, but below the %s many accepted creators report. %s", formatCount(f), aud, formatCount(l.Pass), note)
	default:
		c.Status = Fail
		c.Detail = fmt.Sprintf("%s %s: below %s, where acceptances are rarely reported. %s", formatCount(f), aud, formatCount(l.Warn), note)
	}
	return c, progress(f, l.Warn, l.Pass, l.Pass*10)
}

func (g *grader) engagement() (Criterion, float64) {
	in, res, plat, b := g.res.Input, g.res, g.plat, g.bench
	c := Criterion{Name: "engagement"}
	res.EngagementBasis = BasisFollowers
	if plat.ViewsBasis && in.Views != nil && *in.Views > 0 {
		res.EngagementBasis = BasisViews
	}
	if plat.ViewRate && in.Views != nil && *in.Followers > 0 {
		vr := round2(*in.Views / *in.Followers * 100)
		res.ViewRate = &vr
	}
	if in.Likes == nil {
		c.Status = Unknown
		switch {
		case res.EngagementBasis == BasisViews:
			// Views alone measure nothing, but they set the target: say
			// what they were heard as and how many interactions would meet
			// the benchmark on them.
			what := "likes and comments"
			if plat.CountsShares {
				what = "likes, comments and shares"
			}
			target := ""
			if n := math.Ceil(*in.Views * b.Rate / 100); n >= 2 {
				target = fmt.Sprintf(": about %s %s together on %s views", formatCount(n), what, formatCount(*in.Views))
			}
			c.Detail = fmt.Sprintf("Not measured: you gave %s views per %s; add your average %s per %s too (%s is about %s of views%s).",
				formatCount(*in.Views), plat.Post, what, plat.Post, benchmarkName(plat, b), formatBench(b.Rate), target)
		case plat.ViewsBasis:
			c.Detail = fmt.Sprintf("Not measured: give your average likes, comments and views per %s (%s is about %s of views).", plat.Post, benchmarkName(plat, b), formatBench(b.Rate))
		default:
			c.Detail = fmt.Sprintf("Not measured: give your average likes and comments per %s (%s is about %s of %s).", plat.Post, benchmarkName(plat, b), formatBench(b.Rate), plat.Audience)
		}
		return c, 0
	}
	interactions := *in.Likes + val(in.Comments)
	if plat.CountsShares {
		interactions += val(in.Shares)
	}
	denom := *in.Followers
	if res.EngagementBasis == BasisViews {
		denom = *in.Views
	}
	if denom <= 0 {
		c.Status = Unknown
		c.Detail = fmt.Sprintf("Not measured: with 0 %s there is nothing to divide by.", plat.Audience)
		return c, 0
	}
	g.er = interactions / denom * 100
	er := round2(g.er)
	res.EngagementRate = &er
	basisWord := res.EngagementBasis
	if basisWord == BasisFollowers {
		basisWord = plat.Audience
	}
	what := "(likes + comments + shares)"
	if !plat.CountsShares {
		what = "(likes + comments)"
	}
	if res.EngagementBasis != b.Basis {
		// A views benchmark cannot judge a rate by followers.
		c.Status = Unknown
		c.Detail = fmt.Sprintf("%s of %s, but on %s engagement is measured against views (%s is about %s of views); give your average views per %s to grade it.",
			formatPercent(er), plat.Audience, plat.Name, benchmarkName(plat, b), formatBench(b.Rate), plat.Post)
		return c, 0.3
	}
	ratio := g.er / b.Rate
	switch {
	case ratio >= 1:
		c.Status = Pass
		c.Detail = fmt.Sprintf("%s per %s = %s of %s, at or above %s, about %s (a default set near published figures; Amazon publishes no target).",
			what, plat.Post, formatPercent(er), basisWord, benchmarkName(plat, b), formatBench(b.Rate))
	case ratio >= 0.5:
		c.Status = Warn
		c.Detail = fmt.Sprintf("%s of %s: below %s (about %s), but above half of it.", formatPercent(er), basisWord, benchmarkName(plat, b), formatBench(b.Rate))
	default:
		c.Status = Fail
		c.Detail = fmt.Sprintf("%s of %s: less than half of %s (about %s).", formatPercent(er), basisWord, benchmarkName(plat, b), formatBench(b.Rate))
	}
	return c, progress(ratio, 0.5, 1, 2)
}

func (g *grader) cadence() (Criterion, float64) {
	in, plat := g.res.Input, g.plat
	l := g.rules.CadenceFor(plat.ID)
	c := Criterion{Name: "cadence"}
	if in.PostsPerWeek == nil {
		c.Status = Unknown
		c.Detail = fmt.Sprintf("Not measured: tell me how often you post (the aim on %s is %s).", plat.Name, describeRate(l.Pass, plat.Post))
		return c, 0
	}
	v := *in.PostsPerWeek
	switch {
	case v >= l.Pass:
		c.Status = Pass
		c.Detail = fmt.Sprintf("%s meets the aim of %s, so the account looks active to a reviewer.", capitalize(describeRate(v, plat.Post)), describeRate(l.Pass, plat.Post))
	case v >= l.Warn:
		c.Status = Warn
		c.Detail = fmt.Sprintf("%s: active, but under the %s that growing %s accounts keep up.", capitalize(describeRate(v, plat.Post)), describeRate(l.Pass, plat.Post), plat.Name)
	default:
		c.Status = Fail
		c.Detail = fmt.Sprintf("%s: under %s, so the account looks inactive to a reviewer.", capitalize(describeRate(v, plat.Post)), describeRate(l.Warn, plat.Post))
	}
	return c, progress(v, l.Warn, l.Pass, l.Pass*2)
}

func (g *grader) niche() (Criterion, float64) {
	text := strings.TrimSpace(g.res.Input.Niche)
	c := Criterion{Name: "niche"}
	if text == "" {
		c.Status = Unknown
		c.Detail = "Not given: tell me your niche so I can match it to Amazon product categories."
		return c, 0.3
	}
	matched := MatchNiche(text, g.rules.Niches)
	g.res.Niches = matched
	if len(matched) == 0 {
		c.Status = Warn
		c.Detail = fmt.Sprintf("I couldn't match %q to an Amazon product category; a niche built around products you can link (home, beauty, kitchen, fitness, tech...) fits a storefront best.", clipText(text, 40))
		return c, 0.5
	}
	var cats []string
	broad := true
	for _, n := range matched {
		if !n.Broad {
			broad = false
		}
		for _, cat := range n.Categories {
			if !containsFold(cats, cat) {
				cats = append(cats, cat)
			}
		}
	}
	if len(cats) > 5 {
		cats = cats[:5]
	}
	if broad {
		c.Status = Warn
		c.Detail = fmt.Sprintf("%q is broad: Amazon looks for a clear product focus, and it could mean anything from %s.", clipText(text, 40), joinList(cats, "or"))
		return c, 0.5
	}
	c.Status = Pass
	c.Detail = fmt.Sprintf("%s maps to Amazon's %s.", capitalize(clipText(text, 40)), joinList(cats, "and"))
	return c, 1
}

// flags adds the warnings about numbers that look wrong and returns how
// many of them suggest bought or inactive audiences.
func (g *grader) flags() int {
	res, in, plat, b, fr := g.res, g.res.Input, g.plat, g.bench, g.rules.Flags
	suspicious := 0
	if in.Views != nil && in.Likes != nil && *in.Views > 0 && *in.Likes > *in.Views {
		res.Flags = append(res.Flags, fmt.Sprintf("More likes (%s) than views (%s) per %s is not possible; double-check the numbers.", formatCount(*in.Likes), formatCount(*in.Views), plat.Post))
	}
	if res.EngagementRate != nil && res.EngagementBasis == b.Basis {
		switch {
		case g.er > 100:
			res.Flags = append(res.Flags, fmt.Sprintf("More interactions per %s than %s (%s): double-check the numbers, or use averages over your last 10-12 posts rather than one viral post.", plat.Post, res.EngagementBasis, formatPercent(g.er)))
		case fr.HighTimes > 0 && g.er >= fr.HighTimes*b.Rate:
			suspicious++
			res.Flags = append(res.Flags, fmt.Sprintf("Engagement of %s is more than %s times %s (about %s). If it's real, great; bought likes and engagement pods look like this too, and Amazon reviews accounts by hand.", formatPercent(g.er), strconv.FormatFloat(fr.HighTimes, 'f', -1, 64), benchmarkName(plat, b), formatBench(b.Rate)))
		case fr.LowTimes > 0 && res.Followers >= fr.LowMinFollowers && g.er < fr.LowTimes*b.Rate:
			suspicious++
			res.Flags = append(res.Flags, fmt.Sprintf("A large following (%s %s) with almost no engagement (%s) looks like inactive or bought followers to a reviewer.", formatCount(float64(res.Followers)), plat.Audience, formatPercent(g.er)))
		}
	}
	if res.ViewRate != nil && fr.ViewRateBelow > 0 && res.Followers >= fr.ViewRateMinFollowers && *res.ViewRate < fr.ViewRateBelow {
		suspicious++
		res.Flags = append(res.Flags, fmt.Sprintf("Only %s of your %s watch a typical video, which suggests many inactive %s.", formatPercent(*res.ViewRate), plat.Audience, plat.Audience))
	}
	return suspicious
}

// nextSteps collects the step templates for failing, then warning, then
// unknown criteria; a creator who passes everything gets the "ready" steps.
func (g *grader) nextSteps() []string {
	res := g.res
	var steps []string
	add := func(criterion, status string) {
		t, ok := g.rules.StepsFor(criterion, status, g.plat.ID)
		if !ok {
			return
		}
		for _, s := range t.Steps {
			s = g.fill(s)
			if !containsFold(steps, s) {
				steps = append(steps, s)
			}
		}
	}
	for _, status := range []string{Fail, Warn} {
		for _, c := range res.Criteria {
			if c.Status == status {
				add(c.Name, status)
			}
		}
	}
	if res.Verdict == Ready {
		add("ready", Pass)
	}
	for _, c := range res.Criteria {
		if c.Status == Unknown {
			add(c.Name, Unknown)
		}
	}
	if len(steps) > MaxNextSteps {
		// Keep the data requests at the end: without them the next check
		// cannot grade what is missing.
		var asks []string
		for _, c := range res.Criteria {
			if c.Status == Unknown {
				if t, ok := g.rules.StepsFor(c.Name, Unknown, g.plat.ID); ok {
					for _, s := range t.Steps {
						asks = append(asks, g.fill(s))
					}
				}
			}
		}
		keep := MaxNextSteps - len(asks)
		if keep < 2 {
			keep = 2
		}
		if keep < len(steps)-len(asks) {
			steps = append(steps[:keep:keep], asks...)
		}
		if len(steps) > MaxNextSteps {
			steps = steps[:MaxNextSteps]
		}
	}
	if steps == nil {
		steps = []string{}
	}
	return steps
}

func (g *grader) fill(s string) string {
	if !strings.Contains(s, "{") {
		return s
	}
	er := "your current rate"
	if g.res.EngagementRate != nil {
		er = formatPercent(*g.res.EngagementRate)
	}
	cad := g.rules.CadenceFor(g.plat.ID)
	for _, kv := range [...][2]string{
		{"{platform}", g.plat.Name},
		{"{benchmark}", formatBench(g.bench.Rate)},
		{"{er}", er},
		{"{followers}", formatCount(float64(g.res.Followers))},
		{"{followers_target}", formatCount(g.rules.Followers.Pass)},
		{"{posts_target}", formatNumber(cad.Pass)},
		{"{basis}", g.bench.Basis},
	} {
		if strings.Contains(s, kv[0]) {
			s = strings.ReplaceAll(s, kv[0], kv[1])
		}
	}
	return s
}

// MatchNiche returns the niches a creator's niche text names, in the order
// they appear. Longer synonyms win over shorter ones they overlap ("home
// cooking" is cooking, not home decor).
func MatchNiche(text string, niches []knowledge.Niche) []knowledge.Niche {
	key := knowledge.MatchKey(text)
	if key == "" {
		return nil
	}
	type span struct{ start, end, niche int }
	var spans []span
	// A synonym matches whole words only, so it starts with a byte that
	// starts a word of key: the rest are not searched for (nearly all of
	// the hundreds of synonyms).
	var starts [256]bool
	for i := 0; i < len(key); i++ {
		if i == 0 || key[i-1] == ' ' {
			starts[key[i]] = true
		}
	}
	for ni, n := range niches {
		for _, syn := range n.Synonyms {
			if syn != "" && !starts[syn[0]] {
				continue
			}
			for from := 0; from < len(key); {
				i := strings.Index(key[from:], syn)
				if i < 0 {
					break
				}
				start, end := from+i, from+i+len(syn)
				// Whole words only: "art" must not match inside "smart".
				if (start == 0 || key[start-1] == ' ') && (end == len(key) || key[end] == ' ') {
					spans = append(spans, span{start, end, ni})
				}
				from = start + 1
			}
		}
	}
	sort.SliceStable(spans, func(a, b int) bool { return spans[a].end-spans[a].start > spans[b].end-spans[b].start })
	var chosen []span
	for _, s := range spans {
		overlap := false
		for _, c := range chosen {
			if s.start < c.end && c.start < s.end {
				overlap = true
				break
			}
		}
		if !overlap {
			chosen = append(chosen, s)
		}
	}
	sort.Slice(chosen, func(a, b int) bool { return chosen[a].start < chosen[b].start })
	var out []knowledge.Niche
	seen := map[int]bool{}
	for _, c := range chosen {
		if !seen[c.niche] {
			seen[c.niche] = true
			out = append(out, niches[c.niche])
		}
	}
	return out
}

func val(p *float64) float64 {
	if p == nil {
		return 0
	}
	return *p
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

// formatCount writes a count with thousands separators: 4200 -> "4,200";
// fractions keep one decimal (12.5).
func formatCount(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return fmt.Sprint(v)
	}
	neg := v < 0
	v = math.Abs(v)
	r := math.Round(v)
	if math.Abs(v-r) >= 0.05 && v < 1e6 {
		s := strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64)
		if neg {
			s = "-" + s
		}
		return s
	}
	s := strconv.FormatFloat(r, 'f', 0, 64)
	var sb strings.Builder
	if neg {
		sb.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			sb.WriteByte(',')
		}
		sb.WriteRune(c)
	}
	return sb.String()
}

// formatNumber writes a small number without trailing zeros: 3, 1.5.
func formatNumber(v float64) string {
	return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
}

func formatPercent(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) + "%" }

func formatBench(v float64) string { return formatNumber(v) + "%" }

// BenchmarkName names the engagement benchmark r was graded against, for a
// reply: influbot's own default for the platform, and for the creator's
// follower tier when one applies. Amazon publishes no
// engagement target and no study sets one for every creator
// (knowledge/rules/benchmarks.md), so a reply never calls it a norm or a
// standard.
func (r Result) BenchmarkName() string {
	plat, _ := LookupPlatform(r.Platform)
	return benchmarkName(plat, r.Benchmark)
}

func benchmarkName(plat Platform, b knowledge.Benchmark) string {
	if b.MinFollowers > 0 {
		return fmt.Sprintf("influbot's benchmark for %s accounts with %s+ %s", plat.Name, formatCount(float64(b.MinFollowers)), plat.Audience)
	}
	return fmt.Sprintf("influbot's benchmark for %s accounts", plat.Name)
}

// formatRate writes posts per week for messages.
func formatRate(v float64) string { return formatNumber(v) }

// describeRate writes a rhythm as people say it: "3 posts a week",
// "1 video a week", "2 videos a month", "daily".
func describeRate(perWeek float64, noun string) string {
	plural := func(n float64) string {
		if n == 1 {
			return noun
		}
		return noun + "s"
	}
	switch {
	case perWeek == 0:
		return "no " + noun + "s"
	case perWeek >= 1:
		n := math.Round(perWeek*10) / 10
		s := fmt.Sprintf("%s %s a week", formatNumber(n), plural(n))
		if n == 7 {
			s += " (daily)"
		}
		return s
	default:
		// A month as people count it, four weeks, as the parser reads
		// "2 videos a month".
		n := math.Round(perWeek/weeksPerMonth*10) / 10
		return fmt.Sprintf("%s %s a month", formatNumber(n), plural(n))
	}
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	if r[0] >= 'a' && r[0] <= 'z' {
		r[0] -= 'a' - 'A'
	}
	return string(r)
}

func joinList(items []string, conj string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	case 2:
		return items[0] + " " + conj + " " + items[1]
	}
	return strings.Join(items[:len(items)-1], ", ") + " " + conj + " " + items[len(items)-1]
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

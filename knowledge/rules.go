package knowledge

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// Rules is the data behind the eligibility check, the commission estimate
// and the next steps a check suggests (rules/*.md). Every figure carries its
// source and the date it was taken from it, so the answers can say where a
// number comes from and a community can correct it with --knowledge.
//
// A rules file holds records of several kinds, told apart by the `kind:` key:
// benchmark, threshold, flag, niche, commission and step. Records merge by
// kind and id, field by field (mergeRecords): a later record with the same
// kind and id overrides the keys it gives and keeps the rest, so an overlay
// directory can change one benchmark's rate without copying the rest, or add
// synonyms to a niche with `synonyms+:`. A record that changes a figure
// states its own source and date.
type Rules struct {
	// Benchmarks are the engagement benchmarks per platform, possibly in
	// tiers by follower count.
	Benchmarks []Benchmark
	Followers  Levels            // follower-count thresholds
	Cadence    map[string]Levels // posts per week by platform; "all" is the default
	Flags      FlagRules
	Niches     []Niche
	Commission []CommissionRate
	Steps      []StepTemplate
}

// Sourced says where a figure comes from and when it was taken.
type Sourced struct {
	Source string
	Date   string // YYYY, YYYY-MM or YYYY-MM-DD
	File   string
	Line   int
}

// Benchmark is the engagement rate a platform's creators typically reach,
// in percent, measured against Basis.
type Benchmark struct {
	ID       string
	Platform string  // one of TaskPlatforms
	Basis    string  // "followers" or "views"
	Rate     float64 // percent
	// MinFollowers is the lower end of the follower tier the benchmark
	// applies to; 0 for the platform's base benchmark.
	MinFollowers int64
	Sourced
}

// Levels are the two thresholds of a criterion: at or above Pass it
// passes, at or above Warn it warns, below Warn it fails.
type Levels struct {
	Pass, Warn float64
	Note       string // the record's body: what a creator should know
	Sourced
}

// FlagRules are the thresholds of the warnings a check raises about numbers
// that look wrong.
type FlagRules struct {
	// HighTimes: an engagement rate at or above HighTimes × the benchmark
	// suggests bought engagement.
	HighTimes float64
	// LowTimes and LowMinFollowers: at least LowMinFollowers followers with
	// an engagement rate below LowTimes × the benchmark suggests inactive
	// or bought followers.
	LowTimes        float64
	LowMinFollowers int64
	// ViewRateBelow and ViewRateMinFollowers: on YouTube, a view rate below
	// ViewRateBelow percent with at least ViewRateMinFollowers subscribers
	// suggests inactive subscribers.
	ViewRateBelow        float64
	ViewRateMinFollowers int64
}

// Niche maps what creators call their niche to Amazon product categories.
type Niche struct {
	ID         string
	Name       string   // how to name the niche in a reply
	Categories []string // Amazon categories, most relevant first
	Synonyms   []string // match keys (MatchKey), longest match wins
	// Broad niches ("lifestyle") map to too many categories to show a
	// focus; the check warns about them.
	Broad bool
	File  string
	Line  int
}

// CommissionRate is one line of the Amazon Associates fixed-rate table.
type CommissionRate struct {
	ID       string
	Category string
	Rate     float64  // percent
	Aliases  []string // match keys (MatchKey); the category's own name is one
	Note     string   // shown with an estimate, e.g. what a loose name matched
	// Default marks the "all other categories" line that unknown
	// categories fall under.
	Default bool
	Sourced
}

// StepTemplate is a list of next steps for a criterion in a status on a
// platform. Steps may use the placeholders in StepPlaceholders.
type StepTemplate struct {
	ID        string
	Criterion string // followers, engagement, cadence, niche or ready
	Status    string // pass, warn, fail or unknown
	Platform  string // one of TaskPlatforms, or "all"
	Steps     []string
	File      string
	Line      int
}

// StepCriteria are the criteria step templates are written for; "ready"
// holds the steps for a creator who passes everything.
var StepCriteria = []string{"followers", "engagement", "cadence", "niche", "ready"}

// StepStatuses are the statuses step templates are written for.
var StepStatuses = []string{"pass", "warn", "fail", "unknown"}

// StepPlaceholders are the names a step may use in braces, e.g.
// "{followers_target}"; the check fills them in.
var StepPlaceholders = []string{"platform", "benchmark", "er", "followers", "followers_target", "posts_target", "basis"}

var (
	datePattern        = regexp.MustCompile(`^\d{4}(-\d{2}(-\d{2})?)?$`)
	placeholderPattern = regexp.MustCompile(`\{([^{}]*)\}`)
)

// LoadRules reads the rules under sub and checks that every platform has a
// base benchmark and that the thresholds the check needs are present.
func LoadRules(src Source, sub string) (*Rules, error) {
	recs, err := src.Records(sub)
	if err != nil {
		return nil, err
	}
	// Merge by kind and id, keeping the first position of each.
	merged, err := mergeRecords(recs, func(r Record) (string, error) {
		kind, err := r.Require("kind")
		if err != nil {
			return "", err
		}
		id, err := recordID(r)
		if err != nil {
			return "", err
		}
		return kind + "/" + id, nil
	}, []string{"synonyms", "aliases", "categories", "steps"})
	if err != nil {
		return nil, err
	}
	rules := &Rules{Cadence: map[string]Levels{}}
	var haveFollowers bool
	flagsSeen := map[string]bool{}
	for _, r := range merged {
		switch kind := r.Get("kind"); kind {
		case "benchmark":
			b, err := benchmarkFromRecord(r)
			if err != nil {
				return nil, err
			}
			rules.Benchmarks = append(rules.Benchmarks, b)
		case "threshold":
			if err := thresholdFromRecord(r, rules); err != nil {
				return nil, err
			}
			if r.Get("id") == "followers" {
				haveFollowers = true
			}
		case "flag":
			if err := flagFromRecord(r, &rules.Flags); err != nil {
				return nil, err
			}
			flagsSeen[r.Get("id")] = true
		case "niche":
			n, err := nicheFromRecord(r)
			if err != nil {
				return nil, err
			}
			rules.Niches = append(rules.Niches, n)
		case "commission":
			c, err := commissionFromRecord(r)
			if err != nil {
				return nil, err
			}
			rules.Commission = append(rules.Commission, c)
		case "step":
			s, err := stepFromRecord(r)
			if err != nil {
				return nil, err
			}
			rules.Steps = append(rules.Steps, s)
		default:
			return nil, r.Errorf("kind", "unknown kind %q (want benchmark, threshold, flag, niche, commission or step)", kind)
		}
	}
	where := &Error{File: sub, Msg: ""}
	missing := func(format string, args ...any) error {
		where.Msg = fmt.Sprintf(format, args...)
		return where
	}
	for _, p := range TaskPlatforms {
		if _, ok := rules.Benchmark(p, 0); !ok {
			return nil, missing("no base benchmark for %s (a `kind: benchmark` record with `platform: %s` and no min-followers)", p, p)
		}
	}
	if !haveFollowers {
		return nil, missing("no followers threshold (a `kind: threshold` record with `id: followers`)")
	}
	if _, ok := rules.Cadence["all"]; !ok {
		return nil, missing("no default cadence threshold (a `kind: threshold` record with `id: cadence` and `platform: all`)")
	}
	for _, id := range flagIDs {
		if !flagsSeen[id] {
			return nil, missing("no flag record with `id: %s`", id)
		}
	}
	defaults := 0
	for _, c := range rules.Commission {
		if c.Default {
			defaults++
		}
	}
	if len(rules.Commission) > 0 && defaults != 1 {
		return nil, missing("the commission table needs exactly one line with `default: yes` (all other categories), found %d", defaults)
	}
	// A record that files a creator's word under one of Amazon's lines
	// repeats the line's rate; an override that changes one and not the
	// other would give two rates for one line.
	lineRate := map[string]CommissionRate{}
	for _, c := range rules.Commission {
		key := NormalizePhrase(c.Category)
		if first, ok := lineRate[key]; ok && first.Rate != c.Rate {
			return nil, &Error{File: c.File, Line: c.Line, Msg: fmt.Sprintf("commission %q gives %q %g%%, but %q (%s:%d) gives it %g%%; one line has one rate",
				c.ID, c.Category, c.Rate, first.ID, first.File, first.Line, first.Rate)}
		}
		if _, ok := lineRate[key]; !ok {
			lineRate[key] = c
		}
	}
	return rules, nil
}

// Benchmark returns the benchmark for platform at a follower count: the tier
// with the highest MinFollowers not above followers.
func (r *Rules) Benchmark(platform string, followers int64) (Benchmark, bool) {
	var best Benchmark
	found := false
	for _, b := range r.Benchmarks {
		if b.Platform != platform || b.MinFollowers > followers {
			continue
		}
		if !found || b.MinFollowers > best.MinFollowers {
			best, found = b, true
		}
	}
	return best, found
}

// CadenceFor returns the posting-cadence thresholds for platform, falling
// back to the default ("all").
func (r *Rules) CadenceFor(platform string) Levels {
	if l, ok := r.Cadence[platform]; ok {
		return l
	}
	return r.Cadence["all"]
}

// StepsFor returns the step template for a criterion in a status on
// platform, falling back to the one for all platforms.
func (r *Rules) StepsFor(criterion, status, platform string) (StepTemplate, bool) {
	var fallback StepTemplate
	found := false
	for _, s := range r.Steps {
		if s.Criterion != criterion || s.Status != status {
			continue
		}
		if s.Platform == platform {
			return s, true
		}
		if s.Platform == "all" && !found {
			fallback, found = s, true
		}
	}
	return fallback, found
}

// DefaultCommission returns the "all other categories" line.
func (r *Rules) DefaultCommission() (CommissionRate, bool) {
	for _, c := range r.Commission {
		if c.Default {
			return c, true
		}
	}
	return CommissionRate{}, false
}

// NormalizePhrase lowercases s, spells "&" and "+" as "and", turns every
// other character that is not a letter or digit into a space and collapses
// spaces, so "Home & Garden" and "home and garden" compare equal.
func NormalizePhrase(s string) string {
	var sb strings.Builder
	sb.Grow(len(s))
	space := true // suppress leading spaces
	for _, c := range s {
		switch {
		case c == '&' || c == '+':
			if !space {
				sb.WriteByte(' ')
			}
			sb.WriteString("and ")
			space = true
		case unicode.IsLetter(c) || unicode.IsDigit(c):
			sb.WriteRune(unicode.ToLower(c))
			space = false
		default:
			if !space {
				sb.WriteByte(' ')
				space = true
			}
		}
	}
	return strings.TrimRight(sb.String(), " ")
}

// MatchKey is NormalizePhrase with each word made singular ("dogs" ->
// "dog", "accessories" -> "accessory", "watches" -> "watch"), so names
// match whatever number a creator writes them in. Niche synonyms and
// commission aliases are stored as match keys.
func MatchKey(s string) string {
	words := strings.Fields(NormalizePhrase(s))
	for i, w := range words {
		words[i] = singular(w)
	}
	return strings.Join(words, " ")
}

func singular(w string) string {
	if len(w) <= 3 || !strings.HasSuffix(w, "s") {
		return w
	}
	switch {
	case strings.HasSuffix(w, "ies") && len(w) > 4:
		return w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "sses"), strings.HasSuffix(w, "ches"), strings.HasSuffix(w, "shes"), strings.HasSuffix(w, "xes"), strings.HasSuffix(w, "zes"):
		return w[:len(w)-2]
	case strings.HasSuffix(w, "ss"), strings.HasSuffix(w, "us"), strings.HasSuffix(w, "is"):
		return w
	}
	return w[:len(w)-1]
}

func sourcedFromRecord(r Record) (Sourced, error) {
	src, err := r.Require("source")
	if err != nil {
		return Sourced{}, err
	}
	date, err := r.Require("date")
	if err != nil {
		return Sourced{}, err
	}
	if !datePattern.MatchString(date) {
		return Sourced{}, r.Errorf("date", "date %q: write YYYY, YYYY-MM or YYYY-MM-DD", date)
	}
	return Sourced{Source: src, Date: date, File: r.File, Line: r.Line}, nil
}

func platformField(r Record, allowAll bool) (string, error) {
	p, err := r.Require("platform")
	if err != nil {
		return "", err
	}
	p = NormalizePlatform(p)
	if p == "all" && allowAll {
		return p, nil
	}
	if !slices.Contains(TaskPlatforms, p) {
		want := strings.Join(TaskPlatforms, ", ")
		if allowAll {
			want += " or all"
		}
		return "", r.Errorf("platform", "platform %q: want one of %s", p, want)
	}
	return p, nil
}

// numberField reads a finite number from 0 to max, allowing a trailing "%".
func numberField(r Record, key string, max float64) (float64, error) {
	v, err := r.Require(key)
	if err != nil {
		return 0, err
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.ReplaceAll(v, ",", ""), "%")), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < 0 || f > max {
		return 0, r.Errorf(key, "%s %q: want a number from 0 to %g", key, v, max)
	}
	return f, nil
}

func optionalInt(r Record, key string) (int64, error) {
	if r.Get(key) == "" {
		return 0, nil
	}
	f, err := numberField(r, key, 1e10)
	if err != nil {
		return 0, err
	}
	return int64(f), nil
}

func boolField(r Record, key string) (bool, error) {
	switch strings.ToLower(r.Get(key)) {
	case "", "no", "false":
		return false, nil
	case "yes", "true":
		return true, nil
	}
	return false, r.Errorf(key, "%s %q: want yes or no", key, r.Get(key))
}

func benchmarkFromRecord(r Record) (Benchmark, error) {
	s, err := sourcedFromRecord(r)
	if err != nil {
		return Benchmark{}, err
	}
	b := Benchmark{ID: r.Get("id"), Sourced: s}
	if b.Platform, err = platformField(r, false); err != nil {
		return Benchmark{}, err
	}
	switch b.Basis = r.Get("basis"); b.Basis {
	case "followers", "views":
	default:
		return Benchmark{}, r.Errorf("basis", "basis %q: want followers or views", b.Basis)
	}
	if b.Rate, err = numberField(r, "rate", 100); err != nil {
		return Benchmark{}, err
	}
	if b.Rate == 0 {
		return Benchmark{}, r.Errorf("rate", "rate must be above 0")
	}
	if b.MinFollowers, err = optionalInt(r, "min-followers"); err != nil {
		return Benchmark{}, err
	}
	return b, nil
}

// cadenceValue parses "3/week", "1/month" or "1/day" into posts per week.
func cadenceValue(r Record, key string) (float64, error) {
	v, err := r.Require(key)
	if err != nil {
		return 0, err
	}
	n, unit, ok := strings.Cut(v, "/")
	f, perr := strconv.ParseFloat(strings.TrimSpace(n), 64)
	if !ok || perr != nil || f < 0 || f > 1000 {
		return 0, r.Errorf(key, "%s %q: write posts per period, e.g. 3/week or 1/month", key, v)
	}
	switch strings.TrimSpace(unit) {
	case "day":
		return f * 7, nil
	case "week":
		return f, nil
	case "month":
		return f * 12 / 52, nil
	}
	return 0, r.Errorf(key, "%s %q: the period must be day, week or month", key, v)
}

func thresholdFromRecord(r Record, rules *Rules) error {
	s, err := sourcedFromRecord(r)
	if err != nil {
		return err
	}
	id := r.Get("id")
	l := Levels{Note: r.Body, Sourced: s}
	switch {
	case id == "followers":
		if l.Pass, err = numberField(r, "pass", 1e10); err != nil {
			return err
		}
		if l.Warn, err = numberField(r, "warn", 1e10); err != nil {
			return err
		}
		if l.Warn > l.Pass {
			return r.Errorf("warn", "warn (%g) must not be above pass (%g)", l.Warn, l.Pass)
		}
		rules.Followers = l
	case id == "cadence" || strings.HasPrefix(id, "cadence-"):
		p, err := platformField(r, true)
		if err != nil {
			return err
		}
		if l.Pass, err = cadenceValue(r, "pass"); err != nil {
			return err
		}
		if l.Warn, err = cadenceValue(r, "warn"); err != nil {
			return err
		}
		if l.Warn > l.Pass {
			return r.Errorf("warn", "warn must not be above pass")
		}
		rules.Cadence[p] = l
	default:
		return r.Errorf("id", "unknown threshold %q (want followers, or cadence / cadence-<platform> with a platform)", id)
	}
	return nil
}

var flagIDs = []string{"engagement-far-above-norm", "large-following-low-engagement", "low-view-rate"}

func flagFromRecord(r Record, f *FlagRules) error {
	if _, err := sourcedFromRecord(r); err != nil {
		return err
	}
	var err error
	switch id := r.Get("id"); id {
	case "engagement-far-above-norm":
		if f.HighTimes, err = numberField(r, "times", 1000); err != nil {
			return err
		}
		if f.HighTimes <= 1 {
			return r.Errorf("times", "times must be above 1")
		}
	case "large-following-low-engagement":
		if f.LowTimes, err = numberField(r, "times", 1); err != nil {
			return err
		}
		if f.LowMinFollowers, err = optionalInt(r, "min-followers"); err != nil {
			return err
		}
	case "low-view-rate":
		if f.ViewRateBelow, err = numberField(r, "below", 100); err != nil {
			return err
		}
		if f.ViewRateMinFollowers, err = optionalInt(r, "min-followers"); err != nil {
			return err
		}
	default:
		return r.Errorf("id", "unknown flag %q (want %s)", id, strings.Join(flagIDs, ", "))
	}
	return nil
}

func nicheFromRecord(r Record) (Niche, error) {
	n := Niche{ID: r.Get("id"), Name: r.Get("name"), File: r.File, Line: r.Line}
	if n.Name == "" {
		n.Name = strings.ReplaceAll(n.ID, "-", " ")
	}
	n.Categories = r.CSV("categories")
	if len(n.Categories) == 0 {
		return Niche{}, r.Errorf("categories", "niche %q has no categories", n.ID)
	}
	syn := append(r.CSV("synonyms"), r.Lists["synonyms"]...)
	syn = append(syn, n.Name)
	for _, s := range syn {
		if s = MatchKey(s); s != "" && !slices.Contains(n.Synonyms, s) {
			n.Synonyms = append(n.Synonyms, s)
		}
	}
	var err error
	if n.Broad, err = boolField(r, "broad"); err != nil {
		return Niche{}, err
	}
	return n, nil
}

func commissionFromRecord(r Record) (CommissionRate, error) {
	s, err := sourcedFromRecord(r)
	if err != nil {
		return CommissionRate{}, err
	}
	c := CommissionRate{ID: r.Get("id"), Note: r.Get("note"), Sourced: s}
	if c.Category, err = r.Require("category"); err != nil {
		return CommissionRate{}, err
	}
	if c.Rate, err = numberField(r, "rate", 100); err != nil {
		return CommissionRate{}, err
	}
	if c.Default, err = boolField(r, "default"); err != nil {
		return CommissionRate{}, err
	}
	for _, a := range append([]string{c.Category}, append(r.CSV("aliases"), r.Lists["aliases"]...)...) {
		if a = MatchKey(a); a != "" && !slices.Contains(c.Aliases, a) {
			c.Aliases = append(c.Aliases, a)
		}
	}
	return c, nil
}

func stepFromRecord(r Record) (StepTemplate, error) {
	s := StepTemplate{ID: r.Get("id"), File: r.File, Line: r.Line}
	var err error
	if s.Criterion, err = r.Require("criterion"); err != nil {
		return StepTemplate{}, err
	}
	if !slices.Contains(StepCriteria, s.Criterion) {
		return StepTemplate{}, r.Errorf("criterion", "criterion %q: want one of %s", s.Criterion, strings.Join(StepCriteria, ", "))
	}
	if s.Status, err = r.Require("status"); err != nil {
		return StepTemplate{}, err
	}
	if !slices.Contains(StepStatuses, s.Status) {
		return StepTemplate{}, r.Errorf("status", "status %q: want one of %s", s.Status, strings.Join(StepStatuses, ", "))
	}
	if s.Platform, err = platformField(r, true); err != nil {
		return StepTemplate{}, err
	}
	s.Steps = r.Lists["steps"]
	if len(s.Steps) == 0 {
		return StepTemplate{}, r.Errorf("steps", "step template %q has no steps (list them under `steps:`)", s.ID)
	}
	for _, step := range s.Steps {
		for _, m := range placeholderPattern.FindAllStringSubmatch(step, -1) {
			if !slices.Contains(StepPlaceholders, m[1]) {
				return StepTemplate{}, r.Errorf("steps", "step template %q: unknown placeholder {%s} (known: %s)", s.ID, m[1], strings.Join(StepPlaceholders, ", "))
			}
		}
	}
	return s, nil
}

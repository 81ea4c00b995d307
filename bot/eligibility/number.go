package eligibility

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// InputError is a mistake in a creator's input. Msg is one lowercase
// clause saying what was wrong and what is accepted, safe to show a user.
type InputError struct {
	Field string // the input it is about ("followers", "platform"...), "" for the whole text
	Msg   string
	// Example reports that Msg already shows good input ("like 4200 or
	// 4.2k"), so a caller need not add one of its own.
	Example bool
	// SawPlatform and SawNumber report, for free text, whether the text
	// named a platform or a labelled number ("4k followers"): a text with
	// neither was probably a question rather than an attempted check.
	SawPlatform, SawNumber bool
	// tooLarge marks a number read but beyond any count, so callers with
	// their own limit (a sale amount) can say so rather than "unreadable".
	tooLarge bool
}

func (e *InputError) Error() string { return e.Msg }

func inputErrorf(field, format string, args ...any) *InputError {
	return &InputError{Field: field, Msg: fmt.Sprintf(format, args...)}
}

// exampleErrorf is inputErrorf for a message that shows an example of good
// input.
func exampleErrorf(field, format string, args ...any) *InputError {
	e := inputErrorf(field, format, args...)
	e.Example = true
	return e
}

var sciNotation = regexp.MustCompile(`^\d+(?:\.\d+)?e[+-]?\d{1,3}$`)

// maxNumberLen bounds the text ParseNumber looks at, so a pasted wall of
// digits costs nothing.
const maxNumberLen = 40

// magnitudes are the suffixes people write after a number.
var magnitudes = map[string]float64{
	"hundred": 100, "k": 1e3, "thousand": 1e3, "thou": 1e3, "grand": 1e3,
	"m": 1e6, "mil": 1e6, "mill": 1e6, "mio": 1e6, "mn": 1e6, "million": 1e6, "millions": 1e6,
	"b": 1e9, "bn": 1e9, "billion": 1e9, "billions": 1e9,
}

// numberWords are the number words the parsers understand ("three posts a
// week").
var numberWords = map[string]float64{
	"zero": 0, "no": 0, "one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5,
	"six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
	"thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
	"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
	"couple": 2, "few": 3, "several": 3,
}

// SaysCount reports whether word is a number written as a word that says
// a count ("twelve", "thousand"): "a", "an", "no" and "one" are left out,
// being in most sentences.
func SaysCount(word string) bool {
	switch word {
	case "a", "an", "no", "one", "few", "couple", "several":
		return false
	}
	_, isWord := numberWords[word]
	_, isMagnitude := magnitudes[word]
	return isWord || isMagnitude && len(word) > 1
}

// ParseNumber reads a number the way creators write it: "4200", "4.2k",
// "4,2k", "1.5M", "12,300", "12 300", "12'300", "1.234.567", "10k+",
// "1.5 million". It rejects negative numbers, NaN, infinities and anything
// it cannot read, with an error that says what is accepted.
func ParseNumber(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, inputErrorf("", "a number is missing")
	}
	if len(s) > maxNumberLen {
		return 0, inputErrorf("", "%q is too long to be a number", clipText(s, 20))
	}
	s = strings.ToLower(s)
	s = strings.TrimLeft(s, "~≈")
	s = strings.TrimSpace(strings.TrimRight(s, "+"))
	if strings.HasPrefix(s, "-") || strings.HasPrefix(s, "−") {
		return 0, inputErrorf("", "%s is negative; numbers must be 0 or more", s)
	}
	s = strings.TrimPrefix(s, "+")
	if m := sciNotation.FindStringSubmatch(s); m != nil {
		// "1e6": rare from people, common from scripts.
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsInf(v, 0) || v > 1e18 {
			return 0, tooLarge(s)
		}
		return v, nil
	}
	// Split the digits from a magnitude suffix ("4.2k", "1.5 million").
	end := 0
	for end < len(s) {
		r, size := utf8.DecodeRuneInString(s[end:])
		if !(r >= '0' && r <= '9' || isGroupSep(r) || r == '.' || r == ',') {
			break
		}
		end += size
	}
	digits := strings.TrimRightFunc(s[:end], func(r rune) bool { return isGroupSep(r) || r == '.' || r == ',' })
	suffix := strings.TrimSpace(s[len(digits):])
	mult := 1.0
	if suffix != "" {
		m, ok := magnitudes[suffix]
		if !ok {
			if w, ok := numberWords[s]; ok && s != "a" && s != "an" && s != "no" {
				return w, nil
			}
			return 0, exampleErrorf("", "%q is not a number I can read; write it like 4200, 4.2k, 1.5M or 12,300", s)
		}
		mult = m
	}
	v, err := parseDigits(digits)
	if err != nil {
		return 0, exampleErrorf("", "%q is not a number I can read; write it like 4200, 4.2k, 1.5M or 12,300", s)
	}
	v *= mult
	if math.IsNaN(v) || math.IsInf(v, 0) || v > 1e18 {
		return 0, tooLarge(s)
	}
	return v, nil
}

func tooLarge(s string) *InputError {
	e := inputErrorf("", "%s is far too large", s)
	e.tooLarge = true
	return e
}

func isGroupSep(r rune) bool {
	return r == ' ' || r == '_' || r == '\'' || r == '\u00a0' || r == '\u2009' || r == '\u202f' || r == '’'
}

// parseDigits reads digits with thousands separators and a decimal point
// or comma, deciding which is which the way a reader would.
func parseDigits(s string) (float64, error) {
	if s == "" {
		return 0, strconv.ErrSyntax
	}
	// Spaces, apostrophes and underscores only ever group thousands.
	var groups []string
	start := 0
	for i, r := range s {
		if isGroupSep(r) {
			groups = append(groups, s[start:i])
			start = i + utf8.RuneLen(r)
		}
	}
	groups = append(groups, s[start:])
	if len(groups) > 1 {
		for i, g := range groups {
			g = strings.SplitN(strings.SplitN(g, ".", 2)[0], ",", 2)[0]
			if g == "" || (i > 0 && len(g) != 3) || (i == 0 && len(g) > 3) {
				return 0, strconv.ErrSyntax
			}
		}
		s = strings.Join(groups, "")
	}
	commas, dots := strings.Count(s, ","), strings.Count(s, ".")
	switch {
	case commas > 0 && dots > 0:
		// The later one is the decimal mark: "1,234.5" or "1.234,5".
		if strings.LastIndex(s, ",") > strings.LastIndex(s, ".") {
			s = strings.ReplaceAll(s, ".", "")
			if strings.Count(s, ",") != 1 {
				return 0, strconv.ErrSyntax
			}
			s = strings.Replace(s, ",", ".", 1)
		} else {
			if dots != 1 {
				return 0, strconv.ErrSyntax
			}
			if err := checkGroups(s[:strings.Index(s, ".")], ","); err != nil {
				return 0, err
			}
			s = strings.ReplaceAll(s, ",", "")
		}
	case commas > 1:
		if err := checkGroups(s, ","); err != nil {
			return 0, err
		}
		s = strings.ReplaceAll(s, ",", "")
	case commas == 1:
		// "12,300" groups thousands; "4,2" is a decimal comma.
		i := strings.Index(s, ",")
		if len(s)-i-1 == 3 && i > 0 && i <= 3 {
			s = s[:i] + s[i+1:]
		} else {
			s = s[:i] + "." + s[i+1:]
		}
	case dots > 1:
		if err := checkGroups(s, "."); err != nil {
			return 0, err
		}
		s = strings.ReplaceAll(s, ".", "")
	}
	if strings.HasPrefix(s, ".") {
		s = "0" + s
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r == '.') {
			return 0, strconv.ErrSyntax
		}
	}
	return strconv.ParseFloat(s, 64)
}

// checkGroups reports whether s is digits grouped in threes by sep.
func checkGroups(s, sep string) error {
	parts := strings.Split(s, sep)
	for i, p := range parts {
		if p == "" || (i > 0 && len(p) != 3) || (i == 0 && len(p) > 3) {
			return strconv.ErrSyntax
		}
	}
	return nil
}

// ParseCadence reads how often a creator posts and returns posts per week:
// "3", "3/week", "3 posts a week", "3x a week", "3 times per week",
// "5 videos a month", "daily", "twice a week", "every other day",
// "every 3 days", "5 days a week", "weekly", "monthly", "3-4 a week".
func ParseCadence(s string) (float64, error) {
	toks := tokenize(s)
	correctTypos(toks)
	for _, t := range toks {
		if t.kind == tokNumber && t.neg {
			return 0, inputErrorf("posts_per_week", "posts per week can't be negative (got -%s)", t.text)
		}
		if t.kind == tokNumber && t.bad != "" {
			return 0, &InputError{Field: "posts_per_week", Msg: t.bad, Example: t.badExample}
		}
	}
	i := 0
	for i < len(toks) && (cadenceLead[toks[i].text] || toks[i].text == "~") {
		i++
	}
	if i == len(toks) {
		return 0, exampleErrorf("posts_per_week", "how often you post is missing; write it like 3/week, 3 posts a week or daily")
	}
	if i == len(toks)-1 && toks[i].kind == tokNumber && !toks[i].pct {
		return toks[i].num, nil
	}
	if v, n, ok := matchCadence(toks, i); ok {
		rest := toks[i+n:]
		for len(rest) > 0 && (rest[0].kind == tokPunct || isFiller(rest[0].text)) {
			rest = rest[1:]
		}
		if len(rest) == 0 {
			return v, nil
		}
	}
	return 0, exampleErrorf("posts_per_week", "%q is not a posting rhythm I can read; write it like 3/week, 3 posts a week, twice a week, daily or 2 a month", clipText(strings.TrimSpace(s), 40))
}

// cadenceLead are words that may come before a rhythm ("I post 3 times a
// week", "about 3/week").
var cadenceLead = map[string]bool{
	"i": true, "post": true, "posting": true, "upload": true, "uploading": true, "about": true,
	"around": true, "roughly": true, "approx": true, "approximately": true, "usually": true, ":": true, "=": true,
}

// Token kinds.
const (
	tokWord = iota
	tokNumber
	tokPunct
)

type token struct {
	kind int
	text string  // lowercased word, punctuation, or the number as written
	num  float64 // tokNumber only
	bad  string  // tokNumber only: why the number could not be read
	// badExample: bad shows an example of a readable number.
	badExample bool
	pct        bool // a number written with "%"
	neg        bool // a number written with a leading minus
}

// tokenize splits text into lowercased words, numbers (with their
// magnitude suffixes and thousands separators) and punctuation.
func tokenize(s string) []token {
	var toks []token
	rs := []rune(strings.ToLower(s))
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsSpace(r):
			i++
		case r >= '0' && r <= '9' || (r == '.' && i+1 < len(rs) && isDigit(rs[i+1]) && (i == 0 || !unicode.IsLetter(rs[i-1]))):
			j := i
			for j < len(rs) && (isDigit(rs[j]) || ((rs[j] == '.' || rs[j] == ',' || rs[j] == '\'' || rs[j] == '_' || rs[j] == '’') && j+1 < len(rs) && isDigit(rs[j+1]))) {
				j++
			}
			// Scientific notation: "1e6".
			if j+1 < len(rs) && rs[j] == 'e' && (isDigit(rs[j+1]) || (j+2 < len(rs) && (rs[j+1] == '+' || rs[j+1] == '-') && isDigit(rs[j+2]))) {
				j += 2
				for j < len(rs) && isDigit(rs[j]) {
					j++
				}
			}
			// A directly attached magnitude suffix: "4.2k", "1.5m", "2mil".
			k := j
			for k < len(rs) && unicode.IsLetter(rs[k]) {
				k++
			}
			text := string(rs[i:j])
			if _, ok := magnitudes[string(rs[j:k])]; ok && k > j {
				text = string(rs[i:k])
				j = k
			}
			t := token{kind: tokNumber, text: text}
			if i > 0 && (rs[i-1] == '-' || rs[i-1] == '−') && (i < 2 || !isDigit(rs[i-2]) && !unicode.IsLetter(rs[i-2])) {
				t.neg = true
				if len(toks) > 0 && toks[len(toks)-1].text == "-" {
					toks = toks[:len(toks)-1]
				}
			}
			for j < len(rs) && rs[j] == '+' {
				j++
			}
			if j < len(rs) && rs[j] == '%' {
				t.pct = true
				j++
			}
			v, err := ParseNumber(text)
			if err != nil {
				t.bad = err.Error()
				var ie *InputError
				t.badExample = asInputError(err, &ie) && ie.Example
			}
			t.num = v
			toks = append(toks, t)
			i = j
		case unicode.IsLetter(r) || r == '#' || r == '@':
			j := i
			for j < len(rs) && (unicode.IsLetter(rs[j]) || isDigit(rs[j]) || rs[j] == '#' || rs[j] == '@' ||
				((rs[j] == '\'' || rs[j] == '’' || rs[j] == '-' || rs[j] == '.') && j+1 < len(rs) && unicode.IsLetter(rs[j+1]))) {
				j++
			}
			w := strings.TrimLeft(string(rs[i:j]), "#@")
			w = strings.ReplaceAll(w, "’", "'")
			if w != "" {
				toks = append(toks, token{kind: tokWord, text: w})
			}
			i = j
		default:
			toks = append(toks, token{kind: tokPunct, text: string(r)})
			i++
		}
	}
	return toks
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// periods maps the words that end a rate to posts per week per unit.
var periods = map[string]float64{
	"day": 7, "d": 7,
	"week": 1, "wk": 1, "w": 1,
	// A month is four weeks, as people count it: "4 videos a month" is
	// weekly, "12 posts a month" three a week.
	"month": weeksPerMonth, "mo": weeksPerMonth, "mth": weeksPerMonth, "mon": weeksPerMonth,
	"year": 1.0 / 52, "yr": 1.0 / 52,
}

// periodWords are periods that stand alone ("twice weekly").
var periodWords = map[string]float64{"daily": 7, "weekly": 1, "wkly": 1, "monthly": weeksPerMonth, "yearly": 1.0 / 52}

// weeksPerMonth turns a monthly count into the weekly rhythm people mean
// by it: they count a month as four weeks.
const weeksPerMonth = 1.0 / 4

// plurals maps plural periods to their singular ("every 3 days").
var plurals = map[string]string{"days": "day", "weeks": "week", "wks": "wk", "months": "month", "years": "year"}

// postNouns are the words that name what is posted ("3 reels a week").
var postNouns = map[string]bool{
	"post": true, "posts": true, "video": true, "videos": true, "reel": true, "reels": true,
	"upload": true, "uploads": true, "tiktoks": true, "short": true, "shorts": true,
	"tweet": true, "tweets": true, "time": true, "times": true, "x": true, "pieces": true,
	"stories": true, "carousels": true, "pins": true, "episodes": true, "lives": true, "streams": true,
	"new": true, "piece": true, "of": true, "content": true, "vid": true, "vids": true, "clip": true,
	"clips": true, "pic": true, "pics": true, "photo": true, "photos": true, "vlogs": true,
}

// wordRates are rhythms written without a number.
var wordRates = []struct {
	words []string
	v     float64
}{
	{[]string{"every", "other", "day"}, 3.5},
	{[]string{"every", "second", "day"}, 3.5},
	{[]string{"every", "other", "week"}, 0.5},
	{[]string{"every", "second", "week"}, 0.5},
	{[]string{"every", "weekday"}, 5},
	{[]string{"on", "weekdays"}, 5},
	{[]string{"weekdays"}, 5},
	{[]string{"most", "days"}, 5},
	{[]string{"every", "day"}, 7},
	{[]string{"each", "day"}, 7},
	{[]string{"everyday"}, 7},
	{[]string{"daily"}, 7},
	{[]string{"every", "week"}, 1},
	{[]string{"each", "week"}, 1},
	{[]string{"weekly"}, 1},
	{[]string{"biweekly"}, 0.5},
	{[]string{"bi-weekly"}, 0.5},
	{[]string{"fortnightly"}, 0.5},
	{[]string{"every", "month"}, weeksPerMonth},
	{[]string{"each", "month"}, weeksPerMonth},
	{[]string{"monthly"}, weeksPerMonth},
	{[]string{"never"}, 0},
}

// multipliers are "once", "twice"...: a count that needs a period.
var multipliers = map[string]float64{"once": 1, "twice": 2, "thrice": 3}

// countAt reads a count at toks[i]: a number, a number word or a range
// ("3-4", "3 to 4"). It returns the count and the tokens used.
func countAt(toks []token, i int) (float64, int, bool) {
	if i >= len(toks) {
		return 0, 0, false
	}
	t := toks[i]
	switch {
	case t.kind == tokNumber && t.bad == "" && !t.pct && !t.neg:
		if i+2 < len(toks) && (toks[i+1].text == "-" || toks[i+1].text == "to" || toks[i+1].text == "–" || toks[i+1].text == "or") &&
			toks[i+2].kind == tokNumber && toks[i+2].bad == "" && !toks[i+2].pct {
			return (t.num + toks[i+2].num) / 2, 3, true
		}
		return t.num, 1, true
	case t.kind == tokWord && t.text != "a" && t.text != "an" && t.text != "no":
		if w, ok := numberWords[t.text]; ok {
			return w, 1, true
		}
	}
	return 0, 0, false
}

// matchCadence matches a posting rhythm starting at toks[i] and returns
// posts per week and the number of tokens it used.
func matchCadence(toks []token, i int) (float64, int, bool) {
	if i >= len(toks) {
		return 0, 0, false
	}
	// "once a week", "twice daily", "once every two weeks"
	if m := multipliers[toks[i].text]; m > 0 {
		if v, n, ok := matchPer(toks, i+1); ok {
			return m * v, 1 + n, true
		}
		return 0, 0, false
	}
	// "every 3 days", "every 2 weeks"
	if v, n, ok := matchEvery(toks, i); ok {
		return v, n, true
	}
	// "on mondays and thursdays", "every monday, wednesday & friday"
	if v, n, ok := matchWeekdays(toks, i); ok {
		return v, n, true
	}
	c, n, ok := countAt(toks, i)
	if !ok {
		for _, wr := range wordRates {
			if matchWords(toks, i, wr.words) {
				k := len(wr.words)
				// "daily posts", "weekly videos"
				if i+k < len(toks) && postNouns[toks[i+k].text] && toks[i+k].text != "x" && toks[i+k].text != "of" && !strings.HasPrefix(toks[i+k].text, "time") {
					k++
				}
				return wr.v, k, true
			}
		}
		return 0, 0, false
	}
	j := i + n
	// "5 days a week"
	if j < len(toks) && (toks[j].text == "days" || toks[j].text == "day") {
		if v, k, ok := matchPeriod(toks, j+1); ok && v == 1 {
			return c, j + 1 + k - i, true
		}
	}
	// count, then up to three nouns ("posts", "x", "new videos", "pieces of content"), then a period
	for nouns := 0; j < len(toks) && nouns < 3 && postNouns[toks[j].text]; nouns++ {
		j++
	}
	if toks[j-1].text == "of" {
		return 0, 0, false
	}
	if v, k, ok := matchPer(toks, j); ok {
		return c * v, j + k - i, true
	}
	// "4x week", "3 posts week": a noun, then the period without "a".
	if j > i+n && j < len(toks) {
		if v, ok := periods[toks[j].text]; ok && len(toks[j].text) > 2 {
			return c * v, j + 1 - i, true
		}
	}
	return 0, 0, false
}

// weekdays are the days people name for their posting days.
var weekdays = map[string]string{
	"monday": "mon", "mondays": "mon", "tuesday": "tue", "tuesdays": "tue", "wednesday": "wed", "wednesdays": "wed",
	"thursday": "thu", "thursdays": "thu", "friday": "fri", "fridays": "fri", "saturday": "sat", "saturdays": "sat",
	"sunday": "sun", "sundays": "sun",
}

// matchWeekdays matches a list of posting days at toks[i], with or
// without "on" or "every" before it: one post each named day a week
// ("on mondays and thursdays" is 2; "weekends" is 2).
func matchWeekdays(toks []token, i int) (float64, int, bool) {
	j := i
	if j < len(toks) && (toks[j].text == "on" || toks[j].text == "every" || toks[j].text == "each") {
		j++
	}
	days := map[string]bool{}
	end := j
	for k := j; k < len(toks); k++ {
		t := toks[k].text
		if d, ok := weekdays[t]; ok {
			days[d] = true
			end = k + 1
			continue
		}
		if t == "weekend" || t == "weekends" {
			days["sat"], days["sun"] = true, true
			end = k + 1
			continue
		}
		if len(days) > 0 && (t == "and" || t == "," || t == "&" || t == "/" || t == "+") {
			continue
		}
		break
	}
	if len(days) == 0 {
		return 0, 0, false
	}
	return float64(len(days)), end - i, true
}

// matchEvery matches "every 3 days", "every two weeks" at toks[i]: the
// share of a week's posts one post in that span is.
func matchEvery(toks []token, i int) (float64, int, bool) {
	if i >= len(toks) || toks[i].text != "every" {
		return 0, 0, false
	}
	if c, n, ok := countAt(toks, i+1); ok && c > 0 && i+1+n < len(toks) {
		if unit, ok := plurals[toks[i+1+n].text]; ok {
			return periods[unit] / c, 2 + n, true
		}
	}
	return 0, 0, false
}

// matchPer matches what follows a count: a period ("a week", "daily") or
// a span ("every two weeks").
func matchPer(toks []token, j int) (float64, int, bool) {
	if v, n, ok := matchPeriod(toks, j); ok {
		return v, n, true
	}
	return matchEvery(toks, j)
}

// matchPeriod matches "a week", "per week", "/week", "each week", "every
// week", "in a week", "a wk", "weekly", "daily"... at toks[j].
func matchPeriod(toks []token, j int) (float64, int, bool) {
	if j >= len(toks) {
		return 0, 0, false
	}
	t := toks[j].text
	if v, ok := periodWords[t]; ok {
		return v, 1, true
	}
	if t == "pw" {
		return 1, 1, true
	}
	switch t {
	case "a", "an", "per", "/", "each", "every", "in", "x", "times":
		if j+1 < len(toks) {
			if v, ok := periods[toks[j+1].text]; ok {
				return v, 2, true
			}
			if j+2 < len(toks) && (toks[j+1].text == "a" || toks[j+1].text == "the" || toks[j+1].text == "per") {
				if v, ok := periods[toks[j+2].text]; ok {
					return v, 3, true
				}
			}
		}
	}
	return 0, 0, false
}

func matchWords(toks []token, i int, words []string) bool {
	if i+len(words) > len(toks) {
		return false
	}
	for k, w := range words {
		if toks[i+k].text != w {
			return false
		}
	}
	return true
}

func clipText(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

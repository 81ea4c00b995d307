package schedule

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
)

var weekdays = map[string]time.Weekday{
	"sunday": time.Sunday, "sun": time.Sunday,
	"monday": time.Monday, "mon": time.Monday,
	"tuesday": time.Tuesday, "tue": time.Tuesday, "tues": time.Tuesday,
	"wednesday": time.Wednesday, "wed": time.Wednesday,
	"thursday": time.Thursday, "thu": time.Thursday, "thur": time.Thursday, "thurs": time.Thursday,
	"friday": time.Friday, "fri": time.Friday,
	"saturday": time.Saturday, "sat": time.Saturday,
}

func lowerDay(d time.Weekday) string { return strings.ToLower(d.String()) }

// ParseWeekday parses a day name ("monday", "Mon").
func ParseWeekday(s string) (time.Weekday, error) {
	d, ok := weekdays[strings.ToLower(strings.TrimSuffix(s, "s"))]
	if !ok {
		d, ok = weekdays[strings.ToLower(s)]
	}
	if !ok {
		return 0, fmt.Errorf("%q is not a day of the week; use monday, tuesday, ... sunday", clip(s))
	}
	return d, nil
}

// ParseClock parses a time of day: "9", "09:30", "9:30pm", "9 am", "21:05",
// "noon", "midnight".
func ParseClock(s string) (hour, minute int, err error) {
	in := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
	switch in {
	case "noon":
		return 12, 0, nil
	case "midnight":
		return 0, 0, nil
	}
	bad := fmt.Errorf("%q is not a time of day; write it like 9:00, 18:30 or 7pm", clip(s))
	suffix := ""
	for _, sfx := range []string{"am", "pm", "a.m.", "p.m."} {
		if strings.HasSuffix(in, sfx) {
			suffix, in = sfx[:1], strings.TrimSuffix(in, sfx)
			break
		}
	}
	hs, ms, hasMin := strings.Cut(strings.ReplaceAll(in, ".", ":"), ":")
	if hs == "" || len(hs) > 2 || !digits(hs) || (hasMin && (len(ms) != 2 || !digits(ms))) {
		return 0, 0, bad
	}
	hour, _ = strconv.Atoi(hs)
	if hasMin {
		minute, _ = strconv.Atoi(ms)
	}
	if minute > 59 {
		return 0, 0, bad
	}
	switch suffix {
	case "a", "p":
		if hour < 1 || hour > 12 {
			return 0, 0, bad
		}
		hour %= 12
		if suffix == "p" {
			hour += 12
		}
	default:
		if hour > 23 {
			return 0, 0, bad
		}
	}
	return hour, minute, nil
}

// LoadZone loads an IANA time zone by name, forgiving case
// ("europe/berlin", "america/new_york"). The zone database is embedded in
// the binary (time/tzdata), so this works on machines without one.
func LoadZone(name string) (*time.Location, error) {
	name = strings.TrimSpace(name)
	if name == "" || len(name) > maxZoneNameLen || strings.Contains(name, "..") || strings.HasPrefix(name, "/") {
		return nil, fmt.Errorf("%q is not a time zone; use an IANA name like Europe/Berlin or America/New_York", clip(name))
	}
	if strings.EqualFold(name, "utc") || strings.EqualFold(name, "gmt") || strings.EqualFold(name, "z") {
		return time.UTC, nil
	}
	if strings.EqualFold(name, "local") {
		return nil, errors.New(`"Local" is not a time zone name; use an IANA name like Europe/Berlin`)
	}
	for _, cand := range []string{name, canonicalZone(name)} {
		if loc, err := time.LoadLocation(cand); err == nil {
			return loc, nil
		}
	}
	return nil, fmt.Errorf("I don't know the time zone %q; use an IANA name like Europe/Berlin, America/New_York or Asia/Kolkata", clip(name))
}

// canonicalZone capitalises each word of a zone name the way the IANA
// database spells most of them: america/new_york -> America/New_York.
func canonicalZone(s string) string {
	b := []rune(strings.ToLower(s))
	up := true
	for i, r := range b {
		if up && unicode.IsLetter(r) {
			b[i] = unicode.ToUpper(r)
		}
		up = r == '/' || r == '_' || r == '-'
	}
	return string(b)
}

// ParseRule parses what follows "remind": "daily at 9:00 [ZONE]",
// "weekdays at 18:30 [ZONE]", "weekly monday at 9am [ZONE]" ("every day",
// "on", and "at" are optional). Without a zone, def is used.
func ParseRule(s string, def *time.Location) (Rule, error) {
	words := strings.Fields(strings.TrimSpace(s))
	if len(words) == 0 {
		return Rule{}, errors.New("say when, for example: remind daily at 9:00 Europe/Berlin")
	}
	var r Rule
	needDay := false
	w0 := strings.ToLower(words[0])
	switch {
	case w0 == "every" && len(words) > 1 && strings.EqualFold(words[1], "day"):
		r.Every, words = Daily, words[2:]
	case w0 == "every" && len(words) > 1 && strings.EqualFold(words[1], "weekday"):
		r.Every, words = Weekdays, words[2:]
	case w0 == "every" && len(words) > 1:
		r.Every, words, needDay = Weekly, words[1:], true
	case w0 == "daily" || w0 == "weekdays" || w0 == "weekly":
		r.Every, _ = ParseEvery(w0)
		words, needDay = words[1:], w0 == "weekly"
	default:
		return Rule{}, fmt.Errorf("%q: start with daily, weekdays or weekly, for example: remind weekdays at 18:30", clip(words[0]))
	}
	if needDay {
		if len(words) > 0 && strings.EqualFold(words[0], "on") {
			words = words[1:]
		}
		if len(words) == 0 || strings.EqualFold(words[0], "at") {
			return Rule{}, errors.New("which day? for example: remind weekly monday at 9:00")
		}
		d, err := ParseWeekday(words[0])
		if err != nil {
			return Rule{}, err
		}
		r.Day, words = d, words[1:]
	}
	if len(words) > 0 && strings.EqualFold(words[0], "at") {
		words = words[1:]
	}
	if len(words) == 0 {
		return Rule{}, errors.New("at what time? for example: remind daily at 9:00")
	}
	clock := words[0]
	words = words[1:]
	if len(words) > 0 && isMeridiem(words[0]) {
		clock += words[0]
		words = words[1:]
	}
	h, m, err := ParseClock(clock)
	if err != nil {
		return Rule{}, err
	}
	r.Hour, r.Minute = h, m
	r.Loc = def
	if len(words) > 1 {
		return Rule{}, fmt.Errorf("I didn't understand %q after the time; add only a time zone like Europe/Berlin", clip(strings.Join(words, " ")))
	}
	if len(words) == 1 {
		if r.Loc, err = LoadZone(words[0]); err != nil {
			return Rule{}, err
		}
	}
	if r.Loc == nil {
		r.Loc = time.UTC
	}
	return r, r.Validate()
}

func isMeridiem(s string) bool {
	switch strings.ToLower(s) {
	case "am", "pm", "a.m.", "p.m.":
		return true
	}
	return false
}

// ParseQuiet parses quiet hours: "22:00-08:00", "11pm-7am", or "off".
func ParseQuiet(s string) (Quiet, error) {
	s = strings.TrimSpace(s)
	if strings.EqualFold(s, "off") || strings.EqualFold(s, "none") {
		return Quiet{}, nil
	}
	a, b, ok := strings.Cut(strings.ReplaceAll(s, " to ", "-"), "-")
	if !ok {
		return Quiet{}, fmt.Errorf("%q: write quiet hours as a span like 22:00-08:00, or off", clip(s))
	}
	h1, m1, err := ParseClock(a)
	if err != nil {
		return Quiet{}, err
	}
	h2, m2, err := ParseClock(b)
	if err != nil {
		return Quiet{}, err
	}
	q := Quiet{Start: h1*60 + m1, End: h2*60 + m2}
	if q.Off() {
		return Quiet{}, errors.New("quiet hours must start and end at different times; use `off` for none")
	}
	return q, nil
}

// maxSnoozeUnits caps one number of a duration, so no sum overflows.
const maxSnoozeUnits = 1_000_000

// ParseDuration parses a snooze length: "30m", "2h", "1h30m", "1h 30m",
// "3 days", "1 week", "90 minutes". Every number needs its unit, so "1 2h"
// is not 12 hours. It must be between a minute and 30 days.
func ParseDuration(s string) (time.Duration, error) {
	in := strings.ToLower(strings.TrimSpace(s))
	bad := fmt.Errorf("%q is not a length of time; write it like 30m, 2h, 1d or 1 week", clip(s))
	if in == "" {
		return 0, errors.New("for how long? for example: snooze 2h")
	}
	var total time.Duration
	rest := in
	for {
		rest = strings.TrimLeft(rest, " ")
		if rest == "" {
			break
		}
		i := 0
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		if i == 0 {
			return 0, bad
		}
		n := maxSnoozeUnits + 1 // a long number of anything is too long: say the range
		if i <= 7 {
			n, _ = strconv.Atoi(rest[:i])
		}
		rest = strings.TrimLeft(rest[i:], " ") // "3 days"
		j := 0
		for j < len(rest) && rest[j] >= 'a' && rest[j] <= 'z' {
			j++
		}
		var unit time.Duration
		switch rest[:j] {
		case "m", "min", "mins", "minute", "minutes":
			unit = time.Minute
		case "h", "hr", "hrs", "hour", "hours":
			unit = time.Hour
		case "d", "day", "days":
			unit = 24 * time.Hour
		case "w", "wk", "week", "weeks":
			unit = 7 * 24 * time.Hour
		default:
			return 0, bad
		}
		rest = rest[j:]
		total += time.Duration(min(n, maxSnoozeUnits)) * unit
		if total > maxSnooze {
			break
		}
	}
	if total < minSnooze || total > maxSnooze {
		return 0, fmt.Errorf("%s is outside what I can snooze for: pick between 1 minute and 30 days, like 2h or 3 days", clip(s))
	}
	return total, nil
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

func clip(s string) string {
	r := []rune(s)
	if len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

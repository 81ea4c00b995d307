package schedule

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/influbot/influbot/knowledge"
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

//go:generate go run gen_zones.go

// zoneAbbrevs maps the time zone abbreviations people write to the zone
// they most likely live in. The zone follows daylight saving, so "PST" in
// July means Los Angeles time, which is then PDT.
var zoneAbbrevs = map[string]string{
	"pst": "America/Los_Angeles", "pdt": "America/Los_Angeles", "pt": "America/Los_Angeles", "pacific": "America/Los_Angeles",
	"mst": "America/Denver", "mdt": "America/Denver", "mt": "America/Denver", "mountain": "America/Denver",
	"cst": "America/Chicago", "cdt": "America/Chicago", "ct": "America/Chicago", "central": "America/Chicago",
	"est": "America/New_York", "edt": "America/New_York", "et": "America/New_York", "eastern": "America/New_York",
	"akst": "America/Anchorage", "akdt": "America/Anchorage", "hst": "Pacific/Honolulu",
	"ast": "America/Halifax", "adt": "America/Halifax", "nst": "America/St_Johns", "ndt": "America/St_Johns",
	"bst": "Europe/London", "wet": "Europe/Lisbon", "west": "Europe/Lisbon",
	"cet": "Europe/Berlin", "cest": "Europe/Berlin", "eet": "Europe/Athens", "eest": "Europe/Athens", "msk": "Europe/Moscow",
	"ist": "Asia/Kolkata", "pkt": "Asia/Karachi", "sgt": "Asia/Singapore", "hkt": "Asia/Hong_Kong", "pht": "Asia/Manila",
	"wib": "Asia/Jakarta", "jst": "Asia/Tokyo", "kst": "Asia/Seoul",
	"awst": "Australia/Perth", "acst": "Australia/Adelaide", "acdt": "Australia/Adelaide", "aest": "Australia/Sydney", "aedt": "Australia/Sydney",
	"nzst": "Pacific/Auckland", "nzdt": "Pacific/Auckland", "brt": "America/Sao_Paulo", "art": "America/Argentina/Buenos_Aires",
	"sast": "Africa/Johannesburg", "cat": "Africa/Maputo", "eat": "Africa/Nairobi", "wat": "Africa/Lagos",
}

// cityAliases are places and nicknames that are not the city a zone is
// named after.
var cityAliases = map[string]string{
	"la": "America/Los_Angeles", "san francisco": "America/Los_Angeles", "sf": "America/Los_Angeles", "seattle": "America/Los_Angeles",
	"portland": "America/Los_Angeles", "san diego": "America/Los_Angeles", "las vegas": "America/Los_Angeles", "california": "America/Los_Angeles",
	"nyc": "America/New_York", "ny": "America/New_York", "boston": "America/New_York", "washington": "America/New_York",
	"dc": "America/New_York", "miami": "America/New_York", "atlanta": "America/New_York", "philadelphia": "America/New_York",
	"dallas": "America/Chicago", "houston": "America/Chicago", "austin": "America/Chicago", "texas": "America/Chicago",
	"salt lake city": "America/Denver", "montreal": "America/Toronto", "ottawa": "America/Toronto",
	"uk": "Europe/London", "england": "Europe/London", "manchester": "Europe/London", "edinburgh": "Europe/London",
	"munich": "Europe/Berlin", "frankfurt": "Europe/Berlin", "hamburg": "Europe/Berlin", "cologne": "Europe/Berlin", "germany": "Europe/Berlin",
	"france": "Europe/Paris", "spain": "Europe/Madrid", "barcelona": "Europe/Madrid", "italy": "Europe/Rome", "milan": "Europe/Rome",
	"india": "Asia/Kolkata", "mumbai": "Asia/Kolkata", "delhi": "Asia/Kolkata", "new delhi": "Asia/Kolkata", "bangalore": "Asia/Kolkata",
	"bengaluru": "Asia/Kolkata", "japan": "Asia/Tokyo", "osaka": "Asia/Tokyo", "korea": "Asia/Seoul", "beijing": "Asia/Shanghai",
	"china": "Asia/Shanghai", "shenzhen": "Asia/Shanghai", "philippines": "Asia/Manila", "brazil": "America/Sao_Paulo",
	"rio": "America/Sao_Paulo", "rio de janeiro": "America/Sao_Paulo", "canberra": "Australia/Sydney", "nz": "Pacific/Auckland",
	"wellington": "Pacific/Auckland", "abu dhabi": "Asia/Dubai", "uae": "Asia/Dubai", "hawaii": "Pacific/Honolulu",
}

// LoadZone finds a time zone from what a user writes: an IANA name in any
// case ("europe/berlin"), a city ("london", "New York", "LA"), a common
// abbreviation ("PST", "CEST", "IST"), or a UTC offset ("UTC+2"). The
// zone database is embedded in the binary (time/tzdata), so this works on
// machines without one.
func LoadZone(name string) (*time.Location, error) {
	name = strings.TrimSpace(name)
	if name == "" || len(name) > maxZoneNameLen || strings.Contains(name, "..") || strings.HasPrefix(name, "/") {
		return nil, fmt.Errorf("%q is not a time zone; use a city like London or an IANA name like Europe/Berlin", clip(name))
	}
	key := strings.Join(strings.Fields(strings.ToLower(strings.ReplaceAll(name, "_", " "))), " ")
	switch key {
	case "utc", "gmt", "z", "zulu":
		return time.UTC, nil
	case "local":
		return nil, errors.New(`"Local" is not a time zone name; use a city like London or an IANA name like Europe/Berlin`)
	}
	if loc, ok := fixedZone(key); ok {
		return loc, nil
	}
	cands := []string{name, canonicalZone(name)}
	if z, ok := zoneAbbrevs[key]; ok {
		cands = append([]string{z}, cands...)
	}
	if z, ok := cityAliases[key]; ok {
		cands = append([]string{z}, cands...)
	}
	if !strings.Contains(name, "/") {
		for _, z := range zoneNames {
			if city := z[strings.LastIndexByte(z, '/')+1:]; strings.EqualFold(strings.ReplaceAll(city, "_", " "), key) {
				cands = append(cands, z)
				break
			}
		}
	}
	for _, cand := range cands {
		if loc, err := time.LoadLocation(cand); err == nil {
			return loc, nil
		}
	}
	return nil, fmt.Errorf("I don't know the time zone %q; name a city like London, New York or Tokyo, or an IANA zone like Europe/Berlin", clip(name))
}

// fixedZone reads "utc+2", "gmt-5", "utc+05:30".
func fixedZone(key string) (*time.Location, bool) {
	rest, ok := strings.CutPrefix(key, "utc")
	if !ok {
		if rest, ok = strings.CutPrefix(key, "gmt"); !ok {
			return nil, false
		}
	}
	rest = strings.ReplaceAll(rest, " ", "")
	if len(rest) < 2 || (rest[0] != '+' && rest[0] != '-') {
		return nil, false
	}
	hs, ms, _ := strings.Cut(rest[1:], ":")
	h, err := strconv.Atoi(hs)
	if err != nil || h > 14 || len(hs) > 2 {
		return nil, false
	}
	m := 0
	if ms != "" {
		if m, err = strconv.Atoi(ms); err != nil || m > 59 || len(ms) != 2 {
			return nil, false
		}
	}
	off := h*3600 + m*60
	if rest[0] == '-' {
		off = -off
	}
	label := "UTC" + rest[:1] + fmt.Sprintf("%02d:%02d", h, m)
	return time.FixedZone(label, off), true
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

// Reading is what ParseReminder understood, and what it had to assume.
type Reading struct {
	Rule Rule
	// Assumed says, in words for the user, each thing the text left out
	// or left vague and the reading chose: "every day, since you didn't
	// name the days", `09:00 for "morning"`.
	Assumed []string
}

// dayParts are the vague times of day people write, and the clock time
// each stands for.
var dayParts = map[string][2]int{
	"morning": {9, 0}, "mornings": {9, 0}, "noon": {12, 0}, "midday": {12, 0}, "lunchtime": {12, 0},
	"afternoon": {14, 0}, "afternoons": {14, 0}, "evening": {18, 0}, "evenings": {18, 0},
	"night": {21, 0}, "nights": {21, 0}, "tonight": {21, 0}, "midnight": {0, 0},
}

// fillers are words that carry nothing for a reminder.
var fillers = map[string]bool{
	"me": true, "please": true, "at": true, "on": true, "in": true, "time": true, "around": true, "about": true,
	"the": true, "to": true, "each": true, "of": true, "and": true, "o'clock": true, "oclock": true, "zone": true, "timezone": true,
	"starting": true, "from": true, "beginning": true,
}

// ParseReminder reads what people write after "remind": "daily at 9:00
// Europe/Berlin", "weekdays at 18:30", "weekly monday at 9am", and also
// "at 9am" (every day is implied), "me every monday morning" (morning is
// 09:00, evening 18:00), "every day 7pm london", "tuesdays 8pm PST".
// Without a zone, def is used. Reading.Assumed lists what was implied.
func ParseReminder(s string, def *time.Location) (Reading, error) {
	return parseReminder(s, def, nil)
}

// ParseChange reads a change to the reminder cur, in the words
// ParseReminder takes: what the text leaves out stays as it was, so
// "weekdays" keeps cur's time, "at 8am" keeps its days, and neither
// changes its zone unless one is named.
func ParseChange(s string, cur Rule) (Reading, error) {
	return parseReminder(s, cur.Loc, &cur)
}

func parseReminder(s string, def *time.Location, cur *Rule) (Reading, error) {
	var r Rule
	var rd Reading
	needDay := false
	var zone []string
	haveTime := false
	startDay := "" // "tomorrow" or "today", when said
	words := strings.Fields(strings.TrimSpace(strings.TrimRight(s, ".!")))
	if len(words) == 0 {
		return rd, errors.New("say when, for example: remind daily at 9:00 Europe/Berlin")
	}
	setTime := func(h, m int) error {
		if haveTime {
			return errors.New("that has two times in it; give one, like 9:00 or 7pm")
		}
		r.Hour, r.Minute, haveTime = h, m, true
		return nil
	}
	typed := slices.Clone(words) // as written: a zone's name keeps its case
	for i := range words {
		// "dialy", "weekdyas", "evenign": a keyword one typo off
		// is the keyword, not a time zone to look up.
		words[i] = spelled(strings.ToLower(strings.Trim(words[i], ",;")))
	}
	for i := 0; i < len(words); i++ {
		w := words[i]
		next := ""
		if i+1 < len(words) {
			next = words[i+1]
		}
		switch {
		case w == "daily" || w == "everyday":
			r.Every = Daily
		case w == "every" && (next == "day" || next == "days"):
			r.Every = Daily
			i++
		case w == "every" && (next == "weekday" || next == "weekdays"):
			r.Every = Weekdays
			i++
		case w == "every" && next == "week":
			r.Every, needDay = Weekly, true
			i++
		case w == "every":
			// "every monday", "every morning": the next word says.
			if _, err := ParseWeekday(next); err != nil {
				if _, ok := dayParts[next]; ok && r.Every == 0 {
					r.Every = Daily
				}
			}
		case w == "weekdays" || w == "weekday" || w == "workdays":
			r.Every = Weekdays
		case w == "weekly":
			r.Every, needDay = Weekly, true
			if next != "" && !fillers[next] && !isWeekday(next) && !startsWithDigit(next) && dayParts[next] == [2]int{} && next != "midnight" {
				_, err := ParseWeekday(next)
				return rd, err
			}
		case w == "hourly" || w == "monthly" || w == "yearly" || w == "fortnightly" || w == "biweekly":
			return rd, fmt.Errorf("I can nudge you daily, weekdays or weekly (one day a week), not %s; for example: remind weekdays at 18:30", w)
		case isWeekday(w):
			d, _ := ParseWeekday(w)
			if r.Every == Weekly && !needDay && r.Day != d {
				return rd, errors.New("I can nudge you on one day a week, or every day or every weekday; pick one day")
			}
			r.Every, r.Day, needDay = Weekly, d, false
		case dayParts[w] != [2]int{} || w == "midnight":
			p := dayParts[w]
			if err := setTime(p[0], p[1]); err != nil {
				return rd, err
			}
			if w != "noon" && w != "midnight" && w != "midday" {
				rd.Assumed = append(rd.Assumed, fmt.Sprintf("%02d:%02d for %q", p[0], p[1], strings.TrimSuffix(w, "s")))
			}
		case fillers[w]:
		case w == "tomorrow" || w == "today":
			// "tomorrow at 10": nudges repeat; there is no one-off.
			startDay = w
		default:
			// "remind me in 2 hours" asks for a one-off, which is a snooze.
			if _, err := ParseDuration(w + " " + next); err == nil && startsWithDigit(w) && !isMeridiem(next) && next != "" {
				return rd, errors.New("remind sets when your regular nudges come; to be nudged about a task again later, use snooze, like `snooze 1 2h`")
			}
			if _, err := ParseDuration(w); err == nil && !digits(w) {
				return rd, errors.New("remind sets when your regular nudges come; to be nudged about a task again later, use snooze, like `snooze 1 2h`")
			}
			clock := w
			if isMeridiem(next) {
				clock += next
			}
			h, m, err := ParseClock(clock)
			if err != nil && startsWithDigit(w) {
				return rd, err
			}
			if err != nil {
				zone = append(zone, typed[i])
				continue
			}
			if clock != w {
				i++
			}
			if err := setTime(h, m); err != nil {
				return rd, err
			}
		}
	}
	if needDay {
		return rd, errors.New("which day? for example: remind weekly monday at 9:00")
	}
	if !haveTime && cur != nil && (r.Every != 0 || len(zone) > 0) {
		r.Hour, r.Minute, haveTime = cur.Hour, cur.Minute, true
		rd.Assumed = append(rd.Assumed, fmt.Sprintf("%02d:%02d, the time you had", r.Hour, r.Minute))
	}
	if !haveTime && r.Every == Weekly {
		// "remind me every monday": the day was given, the time is the
		// usual morning one, and the reply says so. ("daily" alone is
		// still asked about.)
		r.Hour, r.Minute, haveTime = 9, 0, true
		rd.Assumed = append(rd.Assumed, "09:00, since you didn't say a time")
	}
	if !haveTime {
		return rd, errors.New("at what time? for example: remind daily at 9:00")
	}
	if r.Every == 0 && cur != nil && startDay == "" {
		r.Every, r.Day = cur.Every, cur.Day
	}
	if r.Every == 0 {
		r.Every = Daily
		note := "every day, since you didn't name the days"
		if startDay != "" {
			note = "every day, since `remind` sets your regular nudges (for one reminder only, say \"remind me " + startDay + " at ...\")"
		}
		rd.Assumed = append([]string{note}, rd.Assumed...)
	}
	r.Loc = def
	if len(zone) > 0 {
		loc, err := LoadZone(strings.Join(zone, " "))
		if err != nil && len(zone) > 1 {
			if _, err1 := LoadZone(zone[0]); err1 == nil {
				return rd, fmt.Errorf("I didn't understand %q after the time zone; add only a time zone like Europe/Berlin or a city like London", clip(strings.Join(zone[1:], " ")))
			}
		}
		if err != nil {
			return rd, err
		}
		r.Loc = loc
	}
	if r.Loc == nil {
		r.Loc = time.UTC
	}
	rd.Rule = r
	return rd, r.Validate()
}

// ParseRule is ParseReminder without what it assumed.
func ParseRule(s string, def *time.Location) (Rule, error) {
	rd, err := ParseReminder(s, def)
	return rd.Rule, err
}

// reminderWords are the keywords ParseReminder reads, for spelled.
// Day names are not among them: a misspelled day gets its own clear error
// ("funday" is no day) rather than a guess at which one was meant.
var reminderWords = []string{"daily", "everyday", "every", "weekdays", "weekday", "weekly", "workdays",
	"morning", "mornings", "evening", "evenings", "afternoon", "afternoons", "tomorrow", "midnight"}

// spelled returns the keyword w is one typo (a letter added, dropped,
// changed, or two neighbours swapped) away from, or w itself: only for
// words of five letters or more, which no time zone or city shortly
// spelled is that close to.
func spelled(w string) string {
	if len(w) < 5 {
		return w
	}
	for _, k := range reminderWords {
		if w == k {
			return w
		}
	}
	for _, k := range reminderWords {
		if knowledge.EditDistanceWithin(w, k, 1) == 1 {
			return k
		}
	}
	return w
}

func isWeekday(w string) bool {
	_, err := ParseWeekday(w)
	return err == nil
}

func startsWithDigit(s string) bool { return s != "" && s[0] >= '0' && s[0] <= '9' }

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
	// "for 2 hours", "til tomorrow", "until next week".
	for _, lead := range []string{"for ", "until ", "untill ", "till ", "til "} {
		in = strings.TrimPrefix(in, lead)
	}
	switch in {
	case "tomorrow":
		return 24 * time.Hour, nil
	case "next week":
		return 7 * 24 * time.Hour, nil
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
		n := maxSnoozeUnits + 1 // a long number of anything is too long: say the range
		switch {
		case i == 0 && (strings.HasPrefix(rest, "an ") || strings.HasPrefix(rest, "a ")):
			n, i = 1, strings.IndexByte(rest, ' ') // "an hour", "a day"
		case i == 0:
			return 0, bad
		case i <= 7:
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
		return 0, &RangeError{msg: fmt.Sprintf("%s is outside what I can snooze for: pick between 1 minute and 30 days, like 2h or 3 days", clip(s))}
	}
	return total, nil
}

// RangeError is a length of time ParseDuration read but does not take:
// under a minute or over 30 days.
type RangeError struct{ msg string }

func (e *RangeError) Error() string { return e.msg }

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

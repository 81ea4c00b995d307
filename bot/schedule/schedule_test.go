package schedule

import (
	"strings"
	"testing"
	"time"
)

func zone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestRuleNext(t *testing.T) {
	berlin := zone(t, "Europe/Berlin")
	ny := zone(t, "America/New_York")
	tests := []struct {
		name  string
		rule  Rule
		after string
		want  string
	}{
		{"a daily reminder fires later the same day", Rule{Every: Daily, Hour: 9, Loc: berlin}, "2025-01-10T06:00:00Z", "2025-01-10T08:00:00Z"},
		{"a daily reminder whose time passed fires tomorrow", Rule{Every: Daily, Hour: 9, Loc: berlin}, "2025-01-10T08:00:00Z", "2025-01-11T08:00:00Z"},
		{"a weekday reminder skips the weekend", Rule{Every: Weekdays, Hour: 18, Minute: 30, Loc: ny}, "2025-01-10T23:31:00Z", "2025-01-13T23:30:00Z"},
		{"a weekly reminder waits for its day", Rule{Every: Weekly, Day: time.Wednesday, Hour: 7, Loc: time.UTC}, "2025-01-08T07:00:00Z", "2025-01-15T07:00:00Z"},
		{"local time is kept after clocks go forward", Rule{Every: Daily, Hour: 9, Loc: berlin}, "2025-03-29T08:00:00Z", "2025-03-30T07:00:00Z"},
		{"local time is kept after clocks go back", Rule{Every: Daily, Hour: 9, Loc: berlin}, "2025-10-25T07:00:00Z", "2025-10-26T08:00:00Z"},
		{"a time skipped by the spring gap fires when the clocks jump", Rule{Every: Daily, Hour: 2, Minute: 30, Loc: berlin}, "2025-03-29T02:00:00Z", "2025-03-30T01:00:00Z"},
		{"a time skipped in New York fires at 03:00 EDT", Rule{Every: Daily, Hour: 2, Minute: 15, Loc: ny}, "2025-03-08T12:00:00Z", "2025-03-09T07:00:00Z"},
		{"a time repeated by the autumn overlap fires once, at the first", Rule{Every: Daily, Hour: 2, Minute: 30, Loc: berlin}, "2025-10-25T12:00:00Z", "2025-10-26T00:30:00Z"},
		{"the second pass of a repeated time does not fire again", Rule{Every: Daily, Hour: 2, Minute: 30, Loc: berlin}, "2025-10-26T00:30:00Z", "2025-10-27T01:30:00Z"},
		{"a repeated time in New York fires at the first 01:30", Rule{Every: Daily, Hour: 1, Minute: 30, Loc: ny}, "2025-11-01T12:00:00Z", "2025-11-02T05:30:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.rule.Validate(); err != nil {
				t.Fatal(err)
			}
			got := tt.rule.Next(utc(tt.after))
			if !got.Equal(utc(tt.want)) {
				t.Errorf("Next(%s) = %s (%s), want %s", tt.after, got.UTC().Format(time.RFC3339), got.In(tt.rule.Loc), tt.want)
			}
		})
	}
}

func TestQuietPush(t *testing.T) {
	berlin := zone(t, "Europe/Berlin")
	tests := []struct {
		name   string
		q      Quiet
		at     string
		want   string
		inside bool
	}{
		{"a time before quiet hours is kept", DefaultQuiet, "2025-01-10T20:59:00Z", "2025-01-10T20:59:00Z", false},
		{"a late evening time moves to tomorrow morning", DefaultQuiet, "2025-01-10T22:30:00Z", "2025-01-11T07:00:00Z", true},
		{"an early morning time moves to the same morning", DefaultQuiet, "2025-01-11T05:00:00Z", "2025-01-11T07:00:00Z", true},
		{"the end of quiet hours itself is allowed", DefaultQuiet, "2025-01-11T07:00:00Z", "2025-01-11T07:00:00Z", false},
		{"a daytime span is honoured too", Quiet{Start: 12 * 60, End: 13 * 60}, "2025-01-11T11:15:00Z", "2025-01-11T12:00:00Z", true},
		{"no quiet hours keep every time", Quiet{}, "2025-01-11T02:00:00Z", "2025-01-11T02:00:00Z", false},
		{"quiet hours ending on the day clocks go forward end at local 08:00", DefaultQuiet, "2025-03-30T00:00:00Z", "2025-03-30T06:00:00Z", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.q.Contains(utc(tt.at), berlin); got != tt.inside {
				t.Errorf("Contains = %v, want %v", got, tt.inside)
			}
			got := tt.q.Push(utc(tt.at), berlin)
			if !got.Equal(utc(tt.want)) {
				t.Errorf("Push(%s) = %s, want %s", tt.at, got.UTC().Format(time.RFC3339), tt.want)
			}
		})
	}
}

func TestNextNudge(t *testing.T) {
	la := zone(t, "America/Los_Angeles")
	daily := Rule{Every: Daily, Hour: 8, Minute: 30, Loc: la}
	tests := []struct {
		name   string
		rule   Rule
		rhythm Rhythm
		last   Date
		after  string
		want   string
	}{
		{"a daily task with no history gets the next firing", daily, RhythmDaily, Date{}, "2025-06-02T10:00:00Z", "2025-06-02T15:30:00Z"},
		{"a daily task done today waits for tomorrow", daily, RhythmDaily, Date{2025, 6, 2}, "2025-06-02T10:00:00Z", "2025-06-03T15:30:00Z"},
		{"a 3x-week task skips a day", daily, Rhythm3xWeek, Date{2025, 6, 2}, "2025-06-02T16:00:00Z", "2025-06-04T15:30:00Z"},
		{"a weekly task waits a week", daily, RhythmWeekly, Date{2025, 6, 2}, "2025-06-02T16:00:00Z", "2025-06-09T15:30:00Z"},
		{"after a week of downtime the next nudge is the next firing, not a backlog", daily, RhythmDaily, Date{2025, 5, 20}, "2025-06-02T16:00:00Z", "2025-06-03T15:30:00Z"},
		{"a reminder inside quiet hours moves to their end", Rule{Every: Daily, Hour: 23, Loc: la}, RhythmDaily, Date{}, "2025-06-02T10:00:00Z", "2025-06-03T15:00:00Z"},
		{"a 3x-week task nudged on Friday waits for Monday", daily, Rhythm3xWeek, Date{2025, 6, 6}, "2025-06-06T17:00:00Z", "2025-06-09T15:30:00Z"},
		{"a 3x-week task caught up on Saturday waits for Monday", daily, Rhythm3xWeek, Date{2025, 6, 7}, "2025-06-07T17:00:00Z", "2025-06-09T15:30:00Z"},
		{"a 3x-week task with no history waits for Monday, Wednesday or Friday", daily, Rhythm3xWeek, Date{}, "2025-06-03T17:00:00Z", "2025-06-04T15:30:00Z"},
		{"a once task not done is nudged again a week later", daily, RhythmOnce, Date{2025, 6, 2}, "2025-06-02T17:00:00Z", "2025-06-09T15:30:00Z"},
		{"a quiet-hours nudge sent this morning counts for today, not for the night before", Rule{Every: Daily, Hour: 23, Loc: la}, RhythmDaily, Date{2025, 6, 3}, "2025-06-03T15:00:00Z", "2025-06-04T15:00:00Z"},
		{"Samoa's skipped 30 December 2011: the 31st still gets its 09:00", Rule{Every: Daily, Hour: 9, Loc: zone(t, "Pacific/Apia")}, RhythmDaily, Date{2011, 12, 29}, "2011-12-28T19:00:00Z", "2011-12-30T19:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, got := NextNudge(tt.rule, tt.rhythm, tt.last, utc(tt.after), DefaultQuiet)
			if !got.Equal(utc(tt.want)) {
				t.Errorf("NextNudge = %s (%s), want %s", got.UTC().Format(time.RFC3339), got.In(tt.rule.Loc), tt.want)
			}
		})
	}
}

// TestSimulatedMonthAcrossDST walks a daily 08:15 reminder for a user in
// Berlin through March and April 2025 (clocks go forward on 30 March) and
// a weekday 21:30 one in New York through October and November (clocks go
// back on 2 November, and 21:30 sits inside 21:00-07:00 quiet hours).
func TestSimulatedMonthAcrossDST(t *testing.T) {
	tests := []struct {
		name      string
		rule      Rule
		q         Quiet
		from      string
		wantLocal string // every nudge's local wall time
		days      int
	}{
		{"a daily Berlin reminder stays at 08:15 local across the spring change", Rule{Every: Daily, Hour: 8, Minute: 15, Loc: zone(t, "Europe/Berlin")}, DefaultQuiet, "2025-03-15T00:00:00Z", "08:15", 31},
		{"a New York reminder inside quiet hours arrives at 07:00 local across the autumn change", Rule{Every: Weekdays, Hour: 21, Minute: 30, Loc: zone(t, "America/New_York")}, Quiet{Start: 21 * 60, End: 7 * 60}, "2025-10-15T00:00:00Z", "07:00", 23},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now := utc(tt.from)
			seen := map[Date]bool{}
			for i := 0; i < tt.days; i++ {
				_, next := NextNudge(tt.rule, RhythmDaily, Date{}, now, tt.q)
				local := next.In(tt.rule.Loc)
				if got := local.Format("15:04"); got != tt.wantLocal {
					t.Errorf("nudge %d at %s local, want %s", i, local, tt.wantLocal)
				}
				if tt.q.Contains(next, tt.rule.Loc) {
					t.Errorf("nudge %d at %s is inside quiet hours %s", i, local, tt.q)
				}
				d := DateOf(next, tt.rule.Loc)
				if seen[d] {
					t.Errorf("two nudges on %s", d)
				}
				seen[d] = true
				now = next
			}
		})
	}
}

func TestParseRule(t *testing.T) {
	berlin := zone(t, "Europe/Berlin")
	tests := []struct {
		in, want string
	}{
		{"daily at 9:00", "daily at 09:00 UTC"},
		{"daily at 9am Europe/Berlin", "daily at 09:00 Europe/Berlin"},
		{"weekdays at 6:30 pm america/new_york", "weekdays at 18:30 America/New_York"},
		{"weekly monday at 07:15", "weekly monday at 07:15 UTC"},
		{"weekly on Fri 21:00 Asia/Kolkata", "weekly friday at 21:00 Asia/Kolkata"},
		{"every day at noon", "daily at 12:00 UTC"},
		{"every sunday at 10", "weekly sunday at 10:00 UTC"},
		{"every weekday at 8", "weekdays at 08:00 UTC"},
		{"at 9am", "daily at 09:00 UTC"},
		{"me at 9am", "daily at 09:00 UTC"},
		{"every monday morning", "weekly monday at 09:00 UTC"},
		{"me every weekday evening", "weekdays at 18:00 UTC"},
		{"every day at 7pm london", "daily at 19:00 Europe/London"},
		{"daily at 9:00 new york", "daily at 09:00 America/New_York"},
		{"at 8am LA", "daily at 08:00 America/Los_Angeles"},
		{"tuesdays 8 pm PST", "weekly tuesday at 20:00 America/Los_Angeles"},
		{"daily 9am tokyo", "daily at 09:00 Asia/Tokyo"},
		{"daily at 9 berlin time", "daily at 09:00 Europe/Berlin"},
		{"daily at 9 in Sao Paulo", "daily at 09:00 America/Sao_Paulo"},
		{"weekdays at 9 EST", "weekdays at 09:00 America/New_York"},
		{"daily at 9 CEST", "daily at 09:00 Europe/Berlin"},
		{"daily at 9 IST", "daily at 09:00 Asia/Kolkata"},
		{"daily at 9 AEST", "daily at 09:00 Australia/Sydney"},
		{"daily at 9 JST", "daily at 09:00 Asia/Tokyo"},
		{"daily at 9 BST", "daily at 09:00 Europe/London"},
		{"daily at 9 UTC+2", "daily at 09:00 UTC+02:00"},
		{"tomorrow at 10", "daily at 10:00 UTC"},
		{"me tomorrow morning", "daily at 09:00 UTC"},
		{"starting tomorrow every weekday at 8am", "weekdays at 08:00 UTC"},
		{"today at 6pm london", "daily at 18:00 Europe/London"},
	}
	for _, tt := range tests {
		t.Run("parses "+tt.in, func(t *testing.T) {
			r, err := ParseRule(tt.in, nil)
			if err != nil {
				t.Fatal(err)
			}
			if r.String() != tt.want {
				t.Errorf("got %q, want %q", r, tt.want)
			}
		})
	}
	t.Run("what a reading assumed is said", func(t *testing.T) {
		rd, err := ParseReminder("me every monday morning", nil)
		if err != nil || strings.Join(rd.Assumed, "; ") != `09:00 for "morning"` {
			t.Fatalf("got %q, %v", rd.Assumed, err)
		}
		rd, err = ParseReminder("at 9am", nil)
		if err != nil || strings.Join(rd.Assumed, "; ") != "every day, since you didn't name the days" {
			t.Fatalf("got %q, %v", rd.Assumed, err)
		}
		rd, err = ParseReminder("tomorrow at 10", nil)
		if err != nil || strings.Join(rd.Assumed, "; ") != "every day, since `remind` sets your regular nudges (for one reminder only, say \"remind me tomorrow at ...\")" {
			t.Fatalf("tomorrow: got %q, %v", rd.Assumed, err)
		}
	})
	t.Run("a day without a time is at 09:00, and said", func(t *testing.T) {
		rd, err := ParseReminder("every monday", nil)
		if err != nil || rd.Rule.Hour != 9 || rd.Rule.Minute != 0 || strings.Join(rd.Assumed, "; ") != "09:00, since you didn't say a time" {
			t.Fatalf("got %v %q, %v", rd.Rule, rd.Assumed, err)
		}
	})
	t.Run("every city zone of the database is found by its city", func(t *testing.T) {
		for _, z := range zoneNames {
			city := strings.ToLower(strings.ReplaceAll(z[strings.LastIndexByte(z, '/')+1:], "_", " "))
			loc, err := LoadZone(city)
			if err != nil {
				t.Errorf("%s: %v", city, err)
				continue
			}
			if got := loc.String(); got[strings.LastIndexByte(got, '/')+1:] != z[strings.LastIndexByte(z, '/')+1:] && cityAliases[city] == "" && zoneAbbrevs[city] == "" {
				t.Errorf("%s found %s, want %s", city, got, z)
			}
		}
	})
	t.Run("a missing zone uses the default", func(t *testing.T) {
		r, err := ParseRule("daily at 9", berlin)
		if err != nil || r.Loc != berlin {
			t.Fatalf("got %v, %v", r, err)
		}
	})
	bad := []struct{ in, want string }{
		{"", "say when"},
		{"hourly at 9", "daily, weekdays or weekly"},
		{"daily at 25:00", "not a time of day"},
		{"daily at 9:75", "not a time of day"},
		{"daily at 13pm", "not a time of day"},
		{"daily", "at what time"},
		{"weekly at 9", "which day"},
		{"weekly funday at 9", "not a day of the week"},
		{"daily at 9 Mars/Olympus", "don't know the time zone"},
		{"daily at 9 ../../etc/passwd", "not a time zone"},
		{"daily at 9 Europe/Berlin banana", "didn't understand"},
		{"at 9 and 10", "two times"},
		{"me in 2 hours", "use snooze"},
		{"me in 30m", "use snooze"},
		{"daily at 9 Local", "not a time zone"},
	}
	for _, tt := range bad {
		t.Run("rejects "+tt.in, func(t *testing.T) {
			_, err := ParseRule(tt.in, nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestParseDurationAndQuiet(t *testing.T) {
	durations := []struct {
		in   string
		want time.Duration
	}{
		{"30m", 30 * time.Minute}, {"2h", 2 * time.Hour}, {"1h30m", 90 * time.Minute},
		{"3 days", 72 * time.Hour}, {"1 week", 168 * time.Hour}, {"90 minutes", 90 * time.Minute},
		{"1h 30m", 90 * time.Minute}, {"2 hours 15 min", 135 * time.Minute},
		{"an hour", time.Hour}, {"a day", 24 * time.Hour}, {"a week", 168 * time.Hour},
		{"til tomorrow", 24 * time.Hour}, {"until tomorrow", 24 * time.Hour}, {"tomorrow", 24 * time.Hour},
		{"until next week", 168 * time.Hour}, {"for 2 hours", 2 * time.Hour},
	}
	for _, tt := range durations {
		t.Run("snooze "+tt.in+" is understood", func(t *testing.T) {
			got, err := ParseDuration(tt.in)
			if err != nil || got != tt.want {
				t.Errorf("got %v, %v; want %v", got, err, tt.want)
			}
		})
	}
	for _, in := range []string{"", "0m", "-5m", "forever", "31d", "99999999h", "5 fortnights", "10s", "1 2h", "1 0m", "2 3 days", "a", "an banana"} {
		t.Run("snooze "+in+" is refused", func(t *testing.T) {
			if _, err := ParseDuration(in); err == nil {
				t.Errorf("ParseDuration(%q) succeeded", in)
			}
		})
	}
	quiet := []struct {
		in   string
		want string
	}{{"22:00-08:00", "22:00-08:00"}, {"11pm-7am", "23:00-07:00"}, {"off", "off"}, {"12:00 to 13:30", "12:00-13:30"}}
	for _, tt := range quiet {
		t.Run("quiet "+tt.in+" is understood", func(t *testing.T) {
			q, err := ParseQuiet(tt.in)
			if err != nil || q.String() != tt.want {
				t.Errorf("got %v, %v; want %s", q, err, tt.want)
			}
		})
	}
	for _, in := range []string{"22:00", "9-9", "25:00-08:00", "late-early"} {
		t.Run("quiet "+in+" is refused", func(t *testing.T) {
			if _, err := ParseQuiet(in); err == nil {
				t.Errorf("ParseQuiet(%q) succeeded", in)
			}
		})
	}
}

func TestParseChange(t *testing.T) {
	la := zone(t, "America/Los_Angeles")
	weekdays := Rule{Every: Weekdays, Hour: 19, Minute: 30, Loc: la}
	monday := Rule{Every: Weekly, Day: time.Monday, Hour: 9, Loc: la}
	tests := []struct {
		name    string
		cur     Rule
		in      string
		want    string
		wantErr string
	}{
		{"days alone keep the time", Rule{Every: Daily, Hour: 19, Minute: 30, Loc: la}, "weekdays", "weekdays at 19:30 America/Los_Angeles", ""},
		{"a day alone keeps the time", weekdays, "every friday", "weekly friday at 19:30 America/Los_Angeles", ""},
		{"a time alone keeps the days", weekdays, "at 8am", "weekdays at 08:00 America/Los_Angeles", ""},
		{"a time and a zone keep the days", monday, "8am sydney", "weekly monday at 08:00 Australia/Sydney", ""},
		{"days and a time replace both", weekdays, "daily at 7", "daily at 07:00 America/Los_Angeles", ""},
		{"a zone alone keeps days and time", weekdays, "london", "weekdays at 19:30 Europe/London", ""},
		{"tomorrow is still read as every day", weekdays, "tomorrow at 3pm", "daily at 15:00 America/Los_Angeles", ""},
		{"a weekly reminder still needs its day", weekdays, "weekly", "", "which day"},
		{"a one-off is still a snooze", weekdays, "in 2 hours", "", "snooze"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rd, err := ParseChange(tt.in, tt.cur)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseChange(%q) = %v, %v; want an error about %q", tt.in, rd.Rule, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseChange(%q): %v", tt.in, err)
			}
			if got := rd.Rule.String(); got != tt.want {
				t.Errorf("ParseChange(%q) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}

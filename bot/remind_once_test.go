package bot

import (
	"testing"

	"github.com/influbot/influbot/bot/schedule"
)

func TestOnceDate(t *testing.T) {
	today := schedule.Date{Year: 2026, Month: 12, Day: 2}
	tests := []struct {
		when string
		want string // "" for refused
	}{
		{"tomorrow", "2026-12-03"},
		{"in 30 days", "2027-01-01"},
		{"in a day", "2026-12-03"},
		{"in 2 weeks", "2026-12-16"},
		{"next week", "2026-12-09"},
		{"in one month", "2027-01-02"},
		{"next month", "2027-01-02"},
		{"in 3 months", "2027-03-02"},
		{"on 2027-01-05", "2027-01-05"},
		{"on jan 5th", "2027-01-05"},     // January is next year's in December
		{"on december 24", "2026-12-24"}, // still ahead this year
		{"on dec 2", "2027-12-02"},       // today: next year's
		{"on december 1", "2027-12-01"},  // past this year: next year's (364 days)
		{"on sept 9", "2027-09-09"},
		{"on feb 30", ""},
		{"on 2026-11-01", ""},          // past
		{"on 2028-01-05", ""},          // over a year ahead
		{"in 500 days", ""},            // over a year ahead
		{"in 0 days", ""},              // not ahead
		{"on smarch 3", ""},            // no such month
		{"on 2027-02-29", ""},          // no such day
		{"next friday", "2026-12-04"},  // 2 December 2026 is a Wednesday
		{"on wednesday", "2026-12-09"}, // today: a week on
		{"tue", "2026-12-08"},
		{"this sunday", "2026-12-06"},
	}
	for _, tt := range tests {
		t.Run(tt.when, func(t *testing.T) {
			d, ok := onceDate(tt.when, today)
			got := ""
			if ok {
				got = d.String()
			}
			if got != tt.want {
				t.Errorf("onceDate(%q) = %q, want %q", tt.when, got, tt.want)
			}
		})
	}
}

func TestAddMonthsKeepsToTheMonthsEnd(t *testing.T) {
	tests := []struct {
		from schedule.Date
		n    int
		want string
	}{
		{schedule.Date{Year: 2027, Month: 1, Day: 31}, 1, "2027-02-28"},
		{schedule.Date{Year: 2028, Month: 1, Day: 31}, 1, "2028-02-29"},
		{schedule.Date{Year: 2026, Month: 11, Day: 30}, 2, "2027-01-30"},
		{schedule.Date{Year: 2026, Month: 12, Day: 15}, 12, "2027-12-15"},
	}
	for _, tt := range tests {
		if got := addMonths(tt.from, tt.n).String(); got != tt.want {
			t.Errorf("addMonths(%s, %d) = %s, want %s", tt.from, tt.n, got, tt.want)
		}
	}
}

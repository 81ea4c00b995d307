package eligibility

import (
	"math"
	"strings"
	"testing"
)

func TestParseNumber(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want float64
	}{
		{"plain digits are read as they are", "4200", 4200},
		{"a k suffix means thousands", "4.2k", 4200},
		{"suffixes ignore case", "4.2K", 4200},
		{"a decimal comma works with a suffix", "4,2k", 4200},
		{"an M suffix means millions", "1.5M", 1.5e6},
		{"a lowercase m also means millions", "1.5m", 1.5e6},
		{"a b suffix means billions", "2b", 2e9},
		{"commas group thousands", "12,300", 12300},
		{"spaces group thousands", "12 300", 12300},
		{"a no-break space groups thousands", "12\u00a0300", 12300},
		{"apostrophes group thousands", "12'300", 12300},
		{"several dots group thousands", "1.234.567", 1234567},
		{"several commas group thousands", "1,234,567", 1234567},
		{"a dot after commas is the decimal point", "1,234.5", 1234.5},
		{"a comma after dots is the decimal comma", "1.234,5", 1234.5},
		{"a single comma with fewer than three digits is decimal", "1,5", 1.5},
		{"a trailing plus is ignored", "10k+", 10000},
		{"a spelled-out magnitude works", "1.5 million", 1.5e6},
		{"thousand works as a word", "2 thousand", 2000},
		{"a space before the suffix is fine", "4.2 k", 4200},
		{"zero is a number", "0", 0},
		{"a leading dot is a fraction", ".5", 0.5},
		{"a tilde means about", "~4k", 4000},
		{"scientific notation is read", "1e6", 1e6},
		{"surrounding space is ignored", "  150  ", 150},
		{"number words are read", "three", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseNumber(tt.in)
			if err != nil {
				t.Fatalf("ParseNumber(%q): %v", tt.in, err)
			}
			if math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("ParseNumber(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseNumberRejects(t *testing.T) {
	tests := []struct {
		name, in, wantMsg string
	}{
		{"an empty string is missing", "", "missing"},
		{"a negative number is refused", "-5", "negative"},
		{"a unicode minus is refused too", "−5", "negative"},
		{"a word is not a number", "lots", "not a number"},
		{"an unknown suffix is refused", "4.2x", "not a number"},
		{"NaN is refused", "NaN", "not a number"},
		{"infinity is refused", "Inf", "not a number"},
		{"bad grouping is refused", "12 30", "not a number"},
		{"bad comma grouping is refused", "1,23,4", "not a number"},
		{"a huge exponent is refused", "1e400", "too large"},
		{"a wall of digits is refused quickly", strings.Repeat("9", 500), "too long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseNumber(tt.in)
			if err == nil || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Fatalf("ParseNumber(%q) = %v, want an error containing %q", tt.in, err, tt.wantMsg)
			}
		})
	}
}

func TestParseCadence(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want float64
	}{
		{"a bare number is posts per week", "3", 3},
		{"a slash rate is read", "3/week", 3},
		{"an abbreviated week is read", "3/wk", 3},
		{"posts a week is read", "3 posts a week", 3},
		{"posts per week is read", "3 posts per week", 3},
		{"3x a week is read", "3x a week", 3},
		{"3x/week is read", "3x/week", 3},
		{"times a week is read", "3 times a week", 3},
		{"a spelled-out count is read", "three times a week", 3},
		{"twice a week is two", "twice a week", 2},
		{"once a week is one", "once a week", 1},
		{"daily is seven a week", "daily", 7},
		{"every day is seven a week", "every day", 7},
		{"every other day is three and a half", "every other day", 3.5},
		{"weekly is one", "weekly", 1},
		{"monthly is once in four weeks", "monthly", 0.25},
		{"a monthly count is read in four-week months", "2 a month", 0.5},
		{"four a month is once a week", "4 videos a month", 1},
		{"twelve a month is three a week", "12 posts a month", 3},
		{"a misspelled period is read", "3 posts a weak", 3},
		{"days a week count as posts", "5 days a week", 5},
		{"every few days is converted", "every 3 days", 7.0 / 3},
		{"a range takes its middle", "3-4 posts a week", 3.5},
		{"a range with to works", "3 to 4 videos a week", 3.5},
		{"twice daily is fourteen", "twice daily", 14},
		{"videos count as posts", "1 video a week", 1},
		{"reels count as posts", "4 reels a week", 4},
		{"weekdays are five", "weekdays", 5},
		{"never is zero", "never", 0},
		{"a leading I post is fine", "I post 3 times a week", 3},
		{"per day is converted", "2 per day", 14},
		{"a bare period word after a count works", "3 weekly", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseCadence(tt.in)
			if err != nil {
				t.Fatalf("ParseCadence(%q): %v", tt.in, err)
			}
			if math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("ParseCadence(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
	bad := []struct{ name, in, want string }{
		{"a vague word is refused", "sometimes", "not a posting rhythm"},
		{"a negative rate is refused", "-3", "negative"},
		{"an unknown period is refused", "3 posts a fortnight", "not a posting rhythm"},
		{"nothing is missing", "  ", "missing"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := ParseCadence(tt.in); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("ParseCadence(%q) = %v, want an error containing %q", tt.in, err, tt.want)
			}
		})
	}
}

func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{"4.2k", "1.5M", "12,300", "12 300", "1.234,5", "-5", "1e6", "10k+", "three", "4,2k", "", "∞", "1..2", "1,,2", ".", "k"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseNumber(s)
		if err != nil {
			if err.Error() == "" {
				t.Errorf("ParseNumber(%q): empty error message", s)
			}
			return
		}
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			t.Errorf("ParseNumber(%q) = %v, want a finite number >= 0", s, v)
		}
		if _, err := ParseCadence(s); err != nil && err.Error() == "" {
			t.Errorf("ParseCadence(%q): empty error message", s)
		}
	})
}

func FuzzParseCadence(f *testing.F) {
	for _, s := range []string{"3", "3/week", "3 posts a week", "twice daily", "every 3 days", "every 0 days", "3-4 a week",
		"3 to", "-3", "every other day", "5 days a week", "1e400 a week", "I post", "pieces of", "3 x", "once"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseCadence(s)
		if err != nil {
			if err.Error() == "" {
				t.Fatalf("ParseCadence(%q): empty error message", s)
			}
			return
		}
		if math.IsNaN(v) || v < 0 {
			t.Fatalf("ParseCadence(%q) = %v, want a rate >= 0", s, v)
		}
		// The same rhythm through Input.Set is either accepted or refused
		// with a reason, never stored out of range.
		var in Input
		if err := in.Set("posts_per_week", s); err == nil && (in.PostsPerWeek == nil || *in.PostsPerWeek > MaxPostsPerWeek) {
			t.Fatalf("Set(posts_per_week, %q) stored %v", s, in.PostsPerWeek)
		}
	})
}

package schedule

import (
	"testing"
	"time"
)

func TestRemindersReadKeywordsOneTypoOff(t *testing.T) {
	tests := []struct{ in, want string }{
		{"dialy at 6pm", "daily at 18:00 UTC"},
		{"daliy at 9", "daily at 09:00 UTC"},
		{"weekdyas at 7am", "weekdays at 07:00 UTC"},
		{"every evenign", "daily at 18:00 UTC"},
		{"dialy at 9 london", "daily at 09:00 Europe/London"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			rd, err := ParseReminder(tt.in, time.UTC)
			if err != nil {
				t.Fatalf("ParseReminder(%q): %v", tt.in, err)
			}
			if got := rd.Rule.String(); got != tt.want {
				t.Errorf("ParseReminder(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
	for _, in := range []string{"weekly funday at 9", "dialy at 9 atlantis", "dialy"} {
		if _, err := ParseReminder(in, time.UTC); err == nil {
			t.Errorf("ParseReminder(%q) read it; want an error", in)
		}
	}
}

func TestSpelled(t *testing.T) {
	tests := []struct {
		in   string
		want bool // read as daily
	}{
		{"dialy", true}, {"daly", false /* under five letters: kept */}, {"dailly", true}, {"daiky", true},
		{"daily", true}, {"dl", false}, {"delhi", false}, {"ydlia", false},
	}
	for _, tt := range tests {
		if got := spelled(tt.in) == "daily"; got != tt.want {
			t.Errorf("spelled(%q) = %q; read as daily: %v, want %v", tt.in, spelled(tt.in), got, tt.want)
		}
	}
}

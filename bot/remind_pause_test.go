package bot

import "testing"

func TestPauseOf(t *testing.T) {
	lex := newLexicon()
	tests := []struct{ in, want string }{
		{"pause reminders for a week", "a week"},
		{"pause my reminders for 2 weeks", "2 weeks"},
		{"no reminders until next week", "next week"},
		{"snooze all my nudges for 3 days", "3 days"},
		{"can you stop the notifications for 2 weeks?", "2 weeks"},
		{"take a break from reminders for a week", "a week"},
		{"please mute notifications for 1 day", "1 day"},
		{"pause for a week", "a week"},
		{"pause reminders for a month", "a month"},
		{"no reminders for 2 months", "2 months"},
		{"hold off on reminders till tomorrow", "tomorrow"},
		{"pause reminders for 0 days", "0 days"}, // the pause says what it takes
		{"pause reminders for 400 days", "400 days"},
		// Not pauses.
		{"pause reminders", ""},
		{"stop reminders", ""},
		{"stop posting for a week", ""},
		{"should i pause posting for a week?", ""},
		{"how long should i wait to reapply, a week?", ""},
		{"i took a break for 2 weeks", ""},
		{"stop reminders for good", ""},
		{"snooze that for 2 hours", ""},
		{"why did my reminders stop for a week", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := pauseOf(lex.read(normalize(tt.in))); got != tt.want {
				t.Errorf("pauseOf(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

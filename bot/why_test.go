package bot

import "testing"

func TestDoubting(t *testing.T) {
	lex := newLexicon()
	tests := []struct {
		in   string
		want bool
	}{
		{"really?", true},
		{"REALLY??", true},
		{"wait, really?", true},
		{"are you sure", true},
		{"hmm are u sure about that", true},
		{"is that true tho", true},
		{"says who", true},
		{"source?", true},
		{"no way", true},
		{"really", true},
		{"really want to know how to grow on tiktok", false},
		{"is that true for tiktok too", false},
		{"are you sure i need 5k followers", false},
		{"sure", false},
		{"wait", false},
		{"ok", false},
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := doubting(lex.read(normalize(tt.in))); got != tt.want {
				t.Errorf("doubting(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestBareWhy(t *testing.T) {
	lex := newLexicon()
	tests := []struct {
		in   string
		want bool
	}{
		{"why", true},
		{"why tho", true},
		{"but why?", true},
		{"how come", true},
		{"why is that", true},
		{"whats the reason", true},
		{"explain pls", true},
		{"why was i rejected", false},
		{"why do i need a niche", false},
		{"how", false},
		{"ok", false},
		{"but why would amazon not tell me anything at all", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := bareWhy(lex.read(normalize(tt.in))); got != tt.want {
				t.Errorf("bareWhy(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

package bot

import "testing"

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

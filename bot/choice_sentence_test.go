package bot

import "testing"

func TestChoiceInSentence(t *testing.T) {
	l := newLexicon()
	tests := []struct {
		text string
		max  int
		want int // 0: not a choice
	}{
		{"what about 2", 3, 2},
		{"What about #3?", 3, 3},
		{"tell me about the second one", 3, 2},
		{"ok 2 please", 3, 2},
		{"lets go with the last one", 3, 3},
		{"number two", 3, 2},
		{"what about 4", 3, 0},
		{"what about 0", 3, 0},
		{"what about 2 and 3", 3, 0},
		{"what about $2", 3, 0},
		{"what about 2%", 3, 0},
		{"what about 2 posts a week", 3, 0},
		{"how many followers do I need for 2", 3, 0},
		{"what about tiktok", 3, 0},
		{"", 3, 0},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got, ok := choiceInSentence(l.read(normalize(tt.text)), tt.max)
			if !ok {
				got = 0
			}
			if got != tt.want {
				t.Errorf("choiceInSentence(%q, %d) = %d, %v; want %d", tt.text, tt.max, got, ok, tt.want)
			}
		})
	}
}

func TestParseNumbersInWords(t *testing.T) {
	tests := []struct {
		text string
		want []int
	}{
		{"two", []int{2}},
		{"one", []int{1}},
		{"number one", []int{1}},
		{"option three", []int{3}},
		{"1 and three", []int{1, 3}},
		{"2 please", []int{2}},
		{"the one", nil},
		{"no one", nil},
		{"no 2", []int{2}},
		{"one more thing", nil},
	}
	l := newLexicon()
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got, ok := parseNumbers(l.read(normalize(tt.text)).all)
			if !ok {
				got = nil
			}
			if len(got) != len(tt.want) {
				t.Fatalf("parseNumbers(%q) = %v, want %v", tt.text, got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("parseNumbers(%q) = %v, want %v", tt.text, got, tt.want)
				}
			}
		})
	}
}

package bot

import "testing"

func TestCommissionSpelled(t *testing.T) {
	tests := []struct{ in, want string }{
		{"whats the commision on a $60 kitchen order", "whats the commission on a $60 kitchen order"},
		{"comission on $40 toys", "commission on $40 toys"},
		{"what comision do i get for $40", "what commission do i get for $40"},
		{"any commisions on a $10 book", "any commissions on a $10 book"},
		{"the commission on a $60 order", "the commission on a $60 order"},
		{"company store $60", "company store $60"},         // short or far words stay
		{"a compilation for $60", "a compilation for $60"}, // three edits away
		{"commision commision $5", "commission commission $5"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := commissionSpelled(tt.in, testWords(tt.in)); got != tt.want {
				t.Errorf("commissionSpelled(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func testWords(s string) []string {
	var ws []string
	eachWord(s, func(w string) { ws = append(ws, w) })
	return ws
}

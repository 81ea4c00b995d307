package knowledge

import (
	"strings"
	"testing"
)

func TestPassage(t *testing.T) {
	kb, err := Load(Embedded())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		entry, question string
		want            string // a substring of the passage; "" for none
	}{
		{"ftc-disclosure", "does #sp count", `vague tags like **"sp"`},
		{"taxes", "what form do i fill out", "**W-8**"},
		{"rejection-feedback", "can i appeal it", "no appeal process"},
		{"storefront", "whats an idea list", "It's built from:\n- **Idea lists**"},
		// One item of a list of alternatives never stands alone.
		{"payouts", "what's the minimum payout", "**Direct deposit** to a bank account: paid once you reach **$10**"},
		{"payouts", "what's the minimum payout", "**$100** minimum"},
		{"how-to-apply", "should i email them", "How long it takes"},
		{"rejection-reasons", "why was i rejected", ""},     // the question again: no new words
		{"program-overview", "is it free?", ""},             // nothing in the answer says
		{"taxes", "im in canada what form do i need", ""},   // too little of it is in any one part
		{"storefront", "how do i set up my storefront", ""}, // the title's own words
	}
	for _, tt := range tests {
		t.Run(tt.question, func(t *testing.T) {
			e, ok := kb.Entry(tt.entry)
			if !ok {
				t.Fatalf("no entry %s", tt.entry)
			}
			p, share, ok := kb.Index.Passage(e, tt.question)
			got := ok && share >= 0.5
			if tt.want == "" {
				if got {
					t.Errorf("passage %q (share %.2f), want none", p, share)
				}
				return
			}
			if !got || !strings.Contains(p, tt.want) {
				t.Errorf("passage %q (share %.2f, ok %v), want one with %q", p, share, ok, tt.want)
			}
		})
	}
}

// What Passage read of an entry is kept by ID only while the entry reads
// the same: a workspace's own version of it is read afresh, and the
// shipped one is still answered from its own words after.
func TestPassageOfAnEditedEntry(t *testing.T) {
	kb, err := Load(Embedded())
	if err != nil {
		t.Fatal(err)
	}
	e, ok := kb.Entry("payouts")
	if !ok {
		t.Fatal("no entry payouts")
	}
	const q = "what's the minimum payout"
	for _, tc := range []struct {
		name   string
		answer string
		want   string
	}{
		{"shipped", e.Answer, "**$10**"},
		{"a workspace's own", "Our agency pays creators weekly.\n\nThe minimum payout here is **$25**, by bank transfer.", "**$25**"},
		{"shipped again", e.Answer, "**$10**"},
	} {
		edited := e
		edited.Answer = tc.answer
		p, _, ok := kb.Index.Passage(edited, q)
		if !ok || !strings.Contains(p, tc.want) {
			t.Errorf("%s: passage %q (ok %v), want one with %q", tc.name, p, ok, tc.want)
		}
	}
}

func BenchmarkPassage(b *testing.B) {
	kb, err := Load(Embedded())
	if err != nil {
		b.Fatal(err)
	}
	e, _ := kb.Entry("payouts")
	for b.Loop() {
		kb.Index.Passage(e, "what's the minimum payout")
	}
}

func TestPassages(t *testing.T) {
	answer := "Intro line.\n\nTwo rules. In practice:\n- one\n- two\n\nLast words.\n1. step\n2) step two"
	var got []string
	for _, p := range passages(answer) {
		got = append(got, strings.TrimPrefix(p.lead+"\n"+p.text, "\n"))
	}
	want := []string{"Intro line.", "Two rules. In practice:", "In practice:\n- one", "In practice:\n- two", "Last words.", "Last words.\n1. step", "Last words.\n2) step two"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("passages:\n got %q\nwant %q", got, want)
	}
}

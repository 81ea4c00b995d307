package bot

import (
	"strings"
	"testing"
)

func refDropShownRelated(text string, buttons []Button) string {
	labels := map[string]bool{}
	for _, btn := range buttons {
		labels[btn.Label] = true
	}
	lines := strings.Split(text, "\n")
	for i, line := range lines {
		rest, ok := strings.CutPrefix(line, "Related: ")
		if !ok || len(labels) == 0 {
			continue
		}
		all := true
		for _, t := range strings.Split(rest, " · ") {
			all = all && labels[strings.Trim(t, "_")]
		}
		if all {
			lines[i] = ""
		}
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}

func refIsGreeting(s string) bool {
	s = strings.Trim(strings.ToLower(strings.TrimSpace(s)), "!.? ")
	switch s {
	case "hi", "hello", "hey", "hiya", "yo", "good morning", "good evening", "hi there", "hello there", "hey there", "start", "sup":
		return true
	}
	return false
}

// TestAskHelpersMatchReference checks the shortcuts of dropShownRelated
// and isGreeting against the functions as they were.
func TestAskHelpersMatchReference(t *testing.T) {
	in := lexiconInputs(t)
	in = append(in, "  Hi!!  ", "GOOD MORNING.", "Good Evening?", "\u212a", "HELLO THERE", "hi "+strings.Repeat("!", 40),
		strings.Repeat("İ", 13), "Sup", "start", "STaRT...", "yo yo")
	for _, s := range in {
		if got, want := isGreeting(s), refIsGreeting(s); got != want {
			t.Fatalf("isGreeting(%q) = %v, want %v", s, got, want)
		}
	}
	buttons := [][]Button{nil, {{Label: "Reapply tips"}}, {{Label: "Reapply tips"}, {Label: "Why rejected"}}}
	texts := []string{"", "  text  \n", "Answer.\nRelated: Reapply tips · _Why rejected_\n", "Answer.\nRelated: Reapply tips\nmore",
		"Related: Other", "x Related: Reapply tips", "\nRelated: \n", "Answer.\n\nRelated: _Reapply tips_"}
	for _, text := range append(texts, in...) {
		for _, bs := range buttons {
			if got, want := dropShownRelated(text, bs), refDropShownRelated(text, bs); got != want {
				t.Fatalf("dropShownRelated(%q, %v) = %q, want %q", text, bs, got, want)
			}
		}
	}
}

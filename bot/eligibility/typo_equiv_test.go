package eligibility

import (
	"math/rand/v2"
	"testing"

	"github.com/influbot/influbot/knowledge"
)

// refClosestTarget is closestTarget as it was, trying every target.
func refClosestTarget(w string) (string, wordClass, bool) {
	n := len([]rune(w))
	allowed := 1
	if n >= 9 {
		allowed = 2
	}
	best, bestD, tie := "", allowed+1, false
	for target := range typoTargets {
		tn := len([]rune(target))
		if tn < 4 || tn-n > allowed || n-tn > allowed {
			continue
		}
		if n == 4 && target[0] != w[0] {
			continue
		}
		d := EditDistance(w, target)
		switch {
		case d < bestD:
			best, bestD, tie = target, d, false
		case d == bestD && canonical(target) != canonical(best):
			tie = true
		case d == bestD && target < best:
			best = target
		}
	}
	if best == "" || bestD > allowed || tie {
		return "", 0, false
	}
	return best, typoTargets[best], true
}

// TestClosestTargetMatchesReference compares closestTarget, which tries
// only targets of a fitting length, with trying them all, on every target
// and random typos of them.
func TestClosestTargetMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 9))
	letters := []rune("abcdefghijklmnopqrstuvwxyzé")
	var words []string
	for target := range typoTargets {
		words = append(words, target)
		for k := 0; k < 30; k++ {
			rs := []rune(target)
			for e := r.IntN(3); e >= 0; e-- {
				i := r.IntN(len(rs))
				switch r.IntN(4) {
				case 0:
					rs = append(rs[:i], append([]rune{letters[r.IntN(len(letters))]}, rs[i:]...)...)
				case 1:
					if len(rs) > 1 {
						rs = append(rs[:i], rs[i+1:]...)
					}
				case 2:
					rs[i] = letters[r.IntN(len(letters))]
				case 3:
					if i+1 < len(rs) {
						rs[i], rs[i+1] = rs[i+1], rs[i]
					}
				}
			}
			words = append(words, string(rs))
		}
	}
	for _, w := range words {
		if len(w) < 4 {
			continue
		}
		gt, gc, gok := closestTarget(w)
		wt, wc, wok := refClosestTarget(w)
		if gt != wt || gc != wc || gok != wok {
			t.Fatalf("closestTarget(%q) = %q, %v, %v; want %q, %v, %v", w, gt, gc, gok, wt, wc, wok)
		}
	}
	t.Logf("%d words", len(words))
}

// TestEditDistanceWithin compares the capped distance the typo fixes use
// (knowledge.EditDistanceWithin) with EditDistance on random words, ASCII
// and not, for every cap they use.
func TestEditDistanceWithin(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	alphabets := []string{"abcde", "folwersikv", "aé"}
	word := func(alpha []rune) string {
		w := make([]rune, rng.IntN(12))
		for i := range w {
			w[i] = alpha[rng.IntN(len(alpha))]
		}
		return string(w)
	}
	for range 50000 {
		alpha := []rune(alphabets[rng.IntN(len(alphabets))])
		a, b := word(alpha), word(alpha)
		full := EditDistance(a, b)
		for k := range 4 {
			if got, want := knowledge.EditDistanceWithin(a, b, k), min(full, k+1); got != want {
				t.Fatalf("EditDistanceWithin(%q, %q, %d) = %d, want %d", a, b, k, got, want)
			}
		}
	}
}

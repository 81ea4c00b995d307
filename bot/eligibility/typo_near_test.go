package eligibility

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// closestTargetScan is closestTarget as it was, comparing w with every
// target of a near length.
func closestTargetScan(w string) (string, wordClass, bool) {
	n := len([]rune(w))
	allowed := 1
	if n >= 9 {
		allowed = 2
	}
	best, bestD, tie := "", allowed+1, false
	for tn := max(4, n-allowed); tn <= n+allowed && tn < len(typoTargetsByLength); tn++ {
		for _, target := range typoTargetsByLength[tn] {
			if n == 4 && target[0] != w[0] {
				continue
			}
			best, bestD, tie = closer(w, target, best, bestD, tie)
		}
	}
	if best == "" || bestD > allowed || tie {
		return "", 0, false
	}
	return best, typoTargets[best], true
}

// TestClosestTargetMatchesScan checks the indexed search against the scan
// on every one- and some two-edit variants of every target, and random
// words.
func TestClosestTargetMatchesScan(t *testing.T) {
	letters := []rune("abcdefhiklmnoprstuvwyé'")
	rng := rand.New(rand.NewPCG(3, 4))
	var probes []string
	for target := range typoTargets {
		rs := []rune(target)
		probes = append(probes, target)
		for i := 0; i <= len(rs); i++ {
			for _, l := range letters {
				probes = append(probes, string(slices.Insert(slices.Clone(rs), i, l)))
				if i < len(rs) {
					c := slices.Clone(rs)
					c[i] = l
					probes = append(probes, string(c))
					c2 := slices.Clone(c)
					c2[rng.IntN(len(c2))] = letters[rng.IntN(len(letters))]
					probes = append(probes, string(c2)) // often two edits
				}
			}
			if i < len(rs) {
				probes = append(probes, string(slices.Delete(slices.Clone(rs), i, i+1)))
			}
			if i+1 < len(rs) {
				c := slices.Clone(rs)
				c[i], c[i+1] = c[i+1], c[i]
				probes = append(probes, string(c))
			}
		}
	}
	for range 20000 {
		rs := make([]rune, 4+rng.IntN(8))
		for i := range rs {
			rs[i] = letters[rng.IntN(len(letters))]
		}
		probes = append(probes, string(rs))
	}
	probes = append(probes, "fo\xffllowers", "\xff\xfe\xfd\xfc")
	found := 0
	for _, p := range probes {
		wt, wc, wok := closestTargetScan(p)
		gt, gc, gok := closestTarget(p)
		if gt != wt || gc != wc || gok != wok {
			t.Errorf("closestTarget(%q) = %q %v %v, the scan says %q %v %v", p, gt, gc, gok, wt, wc, wok)
		}
		if wok {
			found++
		}
	}
	if found == 0 || found == len(probes) {
		t.Fatalf("%d of %d probes have a target: the test does not tell them apart", found, len(probes))
	}
	t.Logf("%d probes, %d with a target", len(probes), found)
}

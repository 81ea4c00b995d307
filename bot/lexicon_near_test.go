package bot

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestNearWordsMatchesScan checks nearWords against comparing with every
// word, for the small-talk words courtesyChain uses and every one-edit
// variant of them (the typos it exists for), words of other lengths and
// letters beyond ASCII, and random words.
func TestNearWordsMatchesScan(t *testing.T) {
	lists := map[string][]string{
		"chain words": newLexicon().chainWords,
		"made up":     {"you", "thank", "thanks", "très", "merci", "ñandú", "ok", "a", "yes", "yess", "naïve", "abcd", "bcde"},
	}
	letters := []rune("abcdeilmnorstuyzéñ'-")
	rng := rand.New(rand.NewPCG(1, 2))
	for name, words := range lists {
		t.Run(name, func(t *testing.T) {
			n := newNearWords(words)
			var probes []string
			for _, w := range words {
				rs := []rune(w)
				probes = append(probes, w)
				for i := 0; i <= len(rs); i++ {
					for _, l := range letters {
						probes = append(probes, string(slices.Insert(slices.Clone(rs), i, l))) // insert
						if i < len(rs) {
							c := slices.Clone(rs)
							c[i] = l
							probes = append(probes, string(c)) // substitute
						}
					}
					if i < len(rs) {
						probes = append(probes, string(slices.Delete(slices.Clone(rs), i, i+1))) // delete
					}
					if i+1 < len(rs) {
						c := slices.Clone(rs)
						c[i], c[i+1] = c[i+1], c[i]
						probes = append(probes, string(c)) // swap
						c2 := slices.Clone(rs)
						if i+2 < len(rs) {
							c2[i], c2[i+2] = c2[i+2], c2[i]
							probes = append(probes, string(c2)) // not neighbours
						}
					}
				}
			}
			for range 20000 {
				rs := make([]rune, 1+rng.IntN(9))
				for i := range rs {
					rs[i] = letters[rng.IntN(len(letters))]
				}
				probes = append(probes, string(rs))
			}
			probes = append(probes, "", "\xff\xfe", "th\xffank", string(make([]byte, 100)))
			matched := 0
			for _, p := range probes {
				want := slices.ContainsFunc(words, func(c string) bool { return wordsMatch(p, c) })
				if got := n.match(p); got != want {
					t.Errorf("match(%q) = %v, comparing with each word says %v", p, got, want)
				}
				if want {
					matched++
				}
			}
			if matched == 0 || matched == len(probes) {
				t.Fatalf("%d of %d probes match: the test does not tell matches from misses", matched, len(probes))
			}
			t.Logf("%d probes, %d matching", len(probes), matched)
		})
	}
}

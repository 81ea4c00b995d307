package eligibility

import (
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/influbot/influbot/knowledge"
)

// matchNicheScan is MatchNiche as it was, searching key for every synonym.
func matchNicheScan(text string, niches []knowledge.Niche) []knowledge.Niche {
	key := knowledge.MatchKey(text)
	if key == "" {
		return nil
	}
	type span struct{ start, end, niche int }
	var spans []span
	for ni, n := range niches {
		for _, syn := range n.Synonyms {
			for from := 0; from < len(key); {
				i := strings.Index(key[from:], syn)
				if i < 0 {
					break
				}
				start, end := from+i, from+i+len(syn)
				if (start == 0 || key[start-1] == ' ') && (end == len(key) || key[end] == ' ') {
					spans = append(spans, span{start, end, ni})
				}
				from = start + 1
			}
		}
	}
	sort.SliceStable(spans, func(a, b int) bool { return spans[a].end-spans[a].start > spans[b].end-spans[b].start })
	var chosen []span
	for _, s := range spans {
		overlap := false
		for _, c := range chosen {
			if s.start < c.end && c.start < s.end {
				overlap = true
				break
			}
		}
		if !overlap {
			chosen = append(chosen, s)
		}
	}
	sort.Slice(chosen, func(a, b int) bool { return chosen[a].start < chosen[b].start })
	var out []knowledge.Niche
	seen := map[int]bool{}
	for _, c := range chosen {
		if !seen[c.niche] {
			seen[c.niche] = true
			out = append(out, niches[c.niche])
		}
	}
	return out
}

// TestMatchNicheMatchesScan checks MatchNiche against the full search on
// every synonym alone, in phrases, in pairs, cut and run together, and on
// random word salads of the synonyms' words.
func TestMatchNicheMatchesScan(t *testing.T) {
	niches := testRules(t).Niches
	var syns, words []string
	for _, n := range niches {
		syns = append(syns, n.Synonyms...)
		for _, s := range n.Synonyms {
			words = append(words, strings.Fields(s)...)
		}
	}
	rng := rand.New(rand.NewPCG(5, 6))
	var texts []string
	for i, s := range syns {
		other := syns[(i*7+3)%len(syns)]
		texts = append(texts, s, "niche "+s, s+" and "+other, "I post "+strings.ToUpper(s)+"!", s[1:], strings.ReplaceAll(s, " ", ""), "smart"+s, s+"s")
	}
	for range 5000 {
		n := 1 + rng.IntN(5)
		ws := make([]string, n)
		for i := range ws {
			ws[i] = words[rng.IntN(len(words))]
		}
		texts = append(texts, strings.Join(ws, " "))
	}
	texts = append(texts, "", "   ", "#HomeDecor, DIY & crafts", "tech/gaming")
	matched := 0
	for _, text := range texts {
		want, got := matchNicheScan(text, niches), MatchNiche(text, niches)
		if !slices.EqualFunc(got, want, func(a, b knowledge.Niche) bool { return a.Name == b.Name }) {
			t.Errorf("MatchNiche(%q) = %v, the full search says %v", text, names(got), names(want))
		}
		if len(want) > 0 {
			matched++
		}
	}
	if matched == 0 || matched == len(texts) {
		t.Fatalf("%d of %d texts name a niche: the test does not tell them apart", matched, len(texts))
	}
	t.Logf("%d texts, %d naming a niche", len(texts), matched)
}

func names(ns []knowledge.Niche) []string {
	var out []string
	for _, n := range ns {
		out = append(out, n.Name)
	}
	return out
}

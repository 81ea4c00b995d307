package eligibility

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/influbot/influbot/knowledge"
)

// Creators type their numbers fast: "folowers", "likse", "veiws",
// "subsribers", "3 posts a weak". correctTypos rewrites a word the parser
// does not know into the label, period or platform it is one or two
// keystrokes away from, when the word stands where that kind of word
// belongs (a count label next to a number, a period after "a" or "per"),
// so that niche words such as "bikes" or "mouth" are left alone.

// wordClass is what a correctable word is, which decides the context it
// must stand in to be corrected.
type wordClass int

const (
	classLabel     wordClass = iota // a count label: next to a number
	classPeriod                     // a period: after a number, "a", "per", "every"...
	classMagnitude                  // thousand, million: right after a number
	classPlatform                   // a platform name: anywhere (long words only)
	classRhythm                     // daily, weekly: anywhere (long words only)
)

// typoTargets are the words misspellings are corrected to.
var typoTargets = func() map[string]wordClass {
	t := map[string]wordClass{}
	for w := range labels {
		t[w] = classLabel
	}
	for _, w := range []string{"posts", "videos", "uploads", "reels", "tiktoks"} {
		t[w] = classLabel
	}
	for w := range periods {
		t[w] = classPeriod
	}
	for w := range plurals {
		t[w] = classPeriod
	}
	for _, w := range []string{"thousand", "million", "billion"} {
		t[w] = classMagnitude
	}
	for _, w := range []string{"instagram", "youtube", "tiktok", "facebook", "twitter"} {
		t[w] = classPlatform
	}
	for w := range periodWords {
		t[w] = classRhythm
	}
	t["everyday"] = classRhythm
	t["twice"] = classRhythm
	return t
}()

// knownWords are words the parser understands, never corrected: a typo
// is only a word it does not know.
var knownWords = func() map[string]bool {
	k := map[string]bool{
		"check": true, "eligibility": true, "every": true, "other": true, "second": true, "er": true,
		"nice": true, "lies": true, "live": true, "lives": true, "vine": true, "vines": true,
	}
	for _, m := range []map[string]bool{cadenceLabels, nicheLabels, fillers, perPostNouns, postNouns, cadenceLead, hedges} {
		for w := range m {
			k[w] = true
		}
	}
	for w := range labels {
		k[w] = true
	}
	for w := range magnitudes {
		k[w] = true
	}
	for w := range numberWords {
		k[w] = true
	}
	for w := range periods {
		k[w] = true
	}
	for w := range periodWords {
		k[w] = true
	}
	for w := range plurals {
		k[w] = true
	}
	for w := range multipliers {
		k[w] = true
	}
	for _, wr := range wordRates {
		for _, w := range wr.words {
			k[w] = true
		}
	}
	for _, p := range platforms {
		for _, a := range knowledge.PlatformAliases(p.ID) {
			k[a] = true
		}
	}
	return k
}()

// correctTypos rewrites misspelled labels, periods, magnitudes and
// platform names in toks in place.
func correctTypos(toks []token) {
	for i, t := range toks {
		if t.kind != tokWord || knownWords[t.text] || len(t.text) < 4 {
			continue
		}
		target, class, ok := closestTarget(t.text)
		if !ok {
			// "foll", "comm": the start of one label.
			target, class, ok = labelPrefix(t.text)
		}
		if !ok || !fitsContext(toks, i, class) {
			continue
		}
		toks[i].text = target
	}
}

// closestTarget returns the one target within the edit distance allowed
// for a word of w's length: 1 up to 8 letters (for 4 letters only with
// the same first letter), 2 from 9. Two targets equally close is no
// answer.
func closestTarget(w string) (string, wordClass, bool) {
	n := len([]rune(w))
	allowed := 1
	if n >= 9 {
		allowed = 2
	}
	best, bestD, tie := "", allowed+1, false
	try := func(target string) {
		if n == 4 && target[0] != w[0] {
			return
		}
		best, bestD, tie = closer(w, target, best, bestD, tie)
	}
	// The answer does not depend on the order targets are tried in, nor
	// on targets farther than allowed.
	if allowed == 1 {
		// Those one edit away share a key with w (knowledge.WithoutChar).
		for _, target := range typoTargetsNear[w] {
			try(target)
		}
		var buf [64]byte
		for at := 0; at < len(w); {
			var less []byte
			less, at = knowledge.WithoutChar(buf[:0], w, at)
			for _, target := range typoTargetsNear[string(less)] {
				try(target)
			}
		}
	} else {
		// Only targets of a length within the allowed distance can be
		// close enough.
		for tn := max(4, n-allowed); tn <= n+allowed && tn < len(typoTargetsByLength); tn++ {
			for _, target := range typoTargetsByLength[tn] {
				try(target)
			}
		}
	}
	if best == "" || bestD > allowed || tie {
		return "", 0, false
	}
	return best, typoTargets[best], true
}

// closer weighs target against the best so far for closestTarget.
func closer(w, target, best string, bestD int, tie bool) (string, int, bool) {
	d := knowledge.EditDistanceWithin(w, target, bestD)
	switch {
	case d < bestD:
		best, bestD, tie = target, d, false
	case d == bestD && canonical(target) != canonical(best):
		tie = true
	case d == bestD && target < best:
		best = target // same meaning: pick one the same way every time
	}
	return best, bestD, tie
}

// typoTargetsNear holds the typoTargets of 4 letters or more by
// themselves and their one-letter deletions, for closestTarget's search
// one edit away.
var typoTargetsNear = func() map[string][]string {
	m := map[string][]string{}
	for t := range typoTargets {
		if utf8.RuneCountInString(t) < 4 {
			continue
		}
		m[t] = append(m[t], t)
		for at := 0; at < len(t); {
			var less []byte
			less, at = knowledge.WithoutChar(nil, t, at)
			k := string(less)
			if ts := m[k]; len(ts) == 0 || ts[len(ts)-1] != t {
				m[k] = append(ts, t)
			}
		}
	}
	return m
}()

// typoTargetsByLength holds typoTargets by their number of letters.
var typoTargetsByLength = func() [][]string {
	var by [][]string
	for t := range typoTargets {
		n := utf8.RuneCountInString(t)
		for len(by) <= n {
			by = append(by, nil)
		}
		by[n] = append(by[n], t)
	}
	for _, ts := range by {
		slices.Sort(ts)
	}
	return by
}()

// labelPrefix returns the count label that w, of 4 letters or more,
// starts ("foll", "comm", "subscr"), when it starts only one.
func labelPrefix(w string) (string, wordClass, bool) {
	found := ""
	for label, field := range labels {
		if len(label) > len(w) && strings.HasPrefix(label, w) {
			if found != "" && labels[found] != field {
				return "", 0, false
			}
			if found == "" || label < found {
				found = label
			}
		}
	}
	return found, classLabel, found != ""
}

// canonical groups targets that mean the same ("follower", "followers").
func canonical(w string) string {
	if f, ok := labels[w]; ok {
		return f
	}
	if s, ok := plurals[w]; ok {
		return s
	}
	return w
}

// fitsContext reports whether a word corrected to class stands where
// such a word belongs.
func fitsContext(toks []token, i int, class wordClass) bool {
	isNum := func(k int) bool { return k >= 0 && k < len(toks) && toks[k].kind == tokNumber }
	switch class {
	case classLabel:
		// The label of a number that has none: "150 likse", "4k avg
		// folowers", "folowers: 4k", "likse ~ 150". Not "200 likes bikes"
		// (200 has its label) nor "bikes 200 likes".
		between := func(k int) bool { return hedges[toks[k].text] || fillers[toks[k].text] }
		switch {
		case isNum(i - 1):
			return true
		case isNum(i-2) && between(i-1):
			return true
		case isNum(i+1) && !labelledAfter(toks, i+1):
			return true
		case isNum(i+2) && between(i+1) && !labelledAfter(toks, i+2):
			return true
		}
		return false
	case classPeriod:
		if i == 0 {
			return false
		}
		switch toks[i-1].text {
		case "a", "an", "per", "/", "every", "each", "in", "x", "times", "the":
			return true
		}
		return isNum(i - 1)
	case classMagnitude:
		return isNum(i - 1)
	default:
		return len(toks[i].text) >= 5
	}
}

// labelledAfter reports whether the number at toks[k] has a count label
// right after it (maybe past a hedge: "150 avg likes").
func labelledAfter(toks []token, k int) bool {
	for j := k + 1; j < len(toks) && j <= k+2; j++ {
		if _, ok := labels[toks[j].text]; ok {
			return true
		}
		if !hedges[toks[j].text] {
			return false
		}
	}
	return false
}

// EditDistance is the optimal string alignment distance between a and b,
// by characters: insertions, deletions, substitutions and swaps of
// neighbours cost 1. The core's autocomplete uses it too.
func EditDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	// Rows on the stack for words of up to 32 letters: the typo fixes
	// call this for every target of every unknown word.
	var rows [3][33]int
	var prev2, prev, cur []int
	if len(rb) < len(rows[0]) {
		prev2, prev, cur = rows[0][:len(rb)+1], rows[1][:len(rb)+1], rows[2][:len(rb)+1]
	} else {
		prev2, prev, cur = make([]int, len(rb)+1), make([]int, len(rb)+1), make([]int, len(rb)+1)
	}
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

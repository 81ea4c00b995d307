package bot

import (
	"regexp"
	"regexp/syntax"
	"strings"
)

// pattern is a compiled regular expression with a cheap first look: need
// holds strings one of which every match contains, read off the
// expression's syntax, so most messages are turned away by a few substring
// searches instead of the regexp engine. need is nil when the expression
// has no such strings.
type pattern struct {
	*regexp.Regexp
	need []string
	// needPairs[i] are the byte pairs of need[i] (pairOf), for a first
	// look at a message's pairs before a substring search.
	needPairs [][]uint16
}

func mustPattern(expr string) *pattern {
	p := &pattern{Regexp: regexp.MustCompile(expr)}
	if re, err := syntax.Parse(expr, syntax.Perl); err == nil {
		p.need = minimal(required(re.Simplify()))
	}
	for _, n := range p.need {
		var ps []uint16
		for i := 0; i+1 < len(n); i++ {
			ps = append(ps, pairOf(n[i], n[i+1]))
		}
		p.needPairs = append(p.needPairs, ps)
	}
	return p
}

// pairSet is a set of the byte pairs of a string, hashed into 1,024 bits:
// a string without one of a needle's pairs cannot contain it.
type pairSet [16]uint64

func pairOf(a, b byte) uint16 { return (uint16(a)*31 + uint16(b)) & 1023 }

func pairsOf(s string) (ps pairSet) {
	for i := 0; i+1 < len(s); i++ {
		h := pairOf(s[i], s[i+1])
		ps[h>>6] |= 1 << (h & 63)
	}
	return ps
}

func (ps *pairSet) has(h uint16) bool { return ps[h>>6]&(1<<(h&63)) != 0 }

// mayRead is may of a message read once, whose byte pairs are looked
// at before any substring search.
func (p *pattern) mayRead(r *reading) bool {
	if p.need == nil {
		return true
	}
	ps := r.pairs()
next:
	for i, n := range p.need {
		for _, h := range p.needPairs[i] {
			if !ps.has(h) {
				continue next
			}
		}
		if strings.Contains(r.norm, n) {
			return true
		}
	}
	return false
}

// matchRead is MatchString of a message read once.
func (p *pattern) matchRead(r *reading) bool { return p.mayRead(r) && p.Regexp.MatchString(r.norm) }

// submatchRead is FindStringSubmatch of a message read once.
func (p *pattern) submatchRead(r *reading) []string {
	if !p.mayRead(r) {
		return nil
	}
	return p.Regexp.FindStringSubmatch(r.norm)
}

// may reports whether s can match: false only when it cannot.
func (p *pattern) may(s string) bool {
	if p.need == nil {
		return true
	}
	for _, n := range p.need {
		if strings.Contains(s, n) {
			return true
		}
	}
	return false
}

// MatchString is regexp's, after the first look.
func (p *pattern) MatchString(s string) bool { return p.may(s) && p.Regexp.MatchString(s) }

// FindStringSubmatch is regexp's, after the first look.
func (p *pattern) FindStringSubmatch(s string) []string {
	if !p.may(s) {
		return nil
	}
	return p.Regexp.FindStringSubmatch(s)
}

// FindStringIndex is regexp's, after the first look.
func (p *pattern) FindStringIndex(s string) []int {
	if !p.may(s) {
		return nil
	}
	return p.Regexp.FindStringIndex(s)
}

// maxExact bounds the strings exact spells out.
const maxExact = 64

// exact returns every string re matches when they are few and re matches
// nothing else (a literal, or alternatives and sequences of them), nil
// otherwise. Case-folded literals are not exact.
func exact(re *syntax.Regexp) []string {
	switch re.Op {
	case syntax.OpEmptyMatch:
		return []string{""}
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			return nil
		}
		return []string{string(re.Rune)}
	case syntax.OpCapture:
		return exact(re.Sub[0])
	case syntax.OpQuest:
		sub := exact(re.Sub[0])
		if sub == nil || len(sub)+1 > maxExact {
			return nil
		}
		return append([]string{""}, sub...)
	case syntax.OpAlternate:
		var out []string
		for _, s := range re.Sub {
			e := exact(s)
			if e == nil || len(out)+len(e) > maxExact {
				return nil
			}
			out = append(out, e...)
		}
		return out
	case syntax.OpConcat:
		out := []string{""}
		for _, s := range re.Sub {
			e := exact(s)
			if e == nil || len(out)*len(e) > maxExact {
				return nil
			}
			out = product(out, e)
		}
		return out
	}
	return nil
}

func product(a, b []string) []string {
	out := make([]string, 0, len(a)*len(b))
	for _, x := range a {
		for _, y := range b {
			out = append(out, x+y)
		}
	}
	return out
}

// required returns strings one of which every match of re contains, nil
// when it finds none. It never returns a set holding "".
func required(re *syntax.Regexp) []string {
	if e := exact(re); e != nil {
		if containsEmpty(e) {
			return nil
		}
		return e
	}
	switch re.Op {
	case syntax.OpCapture, syntax.OpPlus:
		return required(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return required(re.Sub[0])
		}
	case syntax.OpAlternate:
		var out []string
		for _, s := range re.Sub {
			r := required(s)
			if r == nil {
				return nil
			}
			out = append(out, r...)
		}
		return out
	case syntax.OpConcat:
		// Every part is in every match: take the part whose strings are
		// the most telling (the longest shortest string), runs of exact
		// parts spelled out whole.
		var best []string
		consider := func(c []string) {
			if c != nil && !containsEmpty(c) && shortest(c) > shortest(best) {
				best = c
			}
		}
		run := []string{""}
		for _, s := range re.Sub {
			if e := exact(s); e != nil && len(run)*len(e) <= maxExact {
				run = product(run, e)
				continue
			}
			consider(run)
			run = []string{""}
			if e := exact(s); e != nil {
				run = e
				continue
			}
			consider(required(s))
		}
		consider(run)
		return best
	}
	return nil
}

// minimal drops the strings of ss that hold another of them: finding the
// other is enough.
func minimal(ss []string) []string {
	if ss == nil {
		return nil
	}
	out := []string{}
	for i, s := range ss {
		redundant := false
		for j, o := range ss {
			if i != j && strings.Contains(s, o) && (len(o) < len(s) || j < i) {
				redundant = true
				break
			}
		}
		if !redundant {
			out = append(out, s)
		}
	}
	return out
}

func containsEmpty(ss []string) bool {
	for _, s := range ss {
		if s == "" {
			return true
		}
	}
	return false
}

// shortest is the length of the shortest of ss, 0 for none.
func shortest(ss []string) int {
	if len(ss) == 0 {
		return 0
	}
	n := len(ss[0])
	for _, s := range ss[1:] {
		n = min(n, len(s))
	}
	return n
}

package knowledge

import (
	"math"
	"slices"
	"sort"
	"sync"
)

// Index answers questions from FAQ entries. It is built once and is safe for
// concurrent use.
//
// Scoring, briefly: a question becomes weighted terms (inverse document
// frequency, so "amazon" counts for little and "storefront" for a lot). Each
// entry is scored on three signals: how close the question is to its closest
// phrasing (cosine), how much of the question its phrasings, title and tags
// explain (coverage), and how much its answer text explains. Phrasings weigh
// most because they are written the way users ask. Words the index has never
// seen (weather, tracking, recipe) count against every entry, which is what
// lets off-topic questions fall below the bar; decoy entries that collect
// common off-topic questions catch the rest.
type Index struct {
	entries  []indexedEntry
	terms    map[string]int32 // stem -> term id
	words    map[string]int32 // canonical word -> term id, for words seen in entries
	idf      []float32
	unknown  float32   // weight of a word no entry contains
	keyPost  [][]posting // term -> entries with it in phrasings, title or tags
	ansPost  [][]int32 // term -> entries with it in the answer
	fuzzy    map[string][]int32
	fuzzyVoc []string // words eligible for typo correction
	fuzzyTo  []int32  // their term ids
	scratch  sync.Pool
	Params   Params
}

// Params are the scoring weights and thresholds. The defaults were chosen on
// knowledge/testdata/eval.tsv; see index_eval_test.go.
type Params struct {
	Phrasing, Coverage, AnswerText float64 // signal weights, summing to 1
	Threshold                      float64 // minimum confidence to answer
	Suggest                        float64 // minimum score to suggest an entry
	Margin                         float64 // a lead below this over the runner-up lowers confidence
	TypoWeight                     float64 // weight of a typo-corrected word
	Candidates                     int     // entries scored in full per question
}

// tfSaturation is how many phrasings using a word make an entry half-way
// "about" it.
const tfSaturation = 1

// DefaultParams are the tuned defaults.
func DefaultParams() Params {
	return Params{Phrasing: 0.6, Coverage: 0.3, AnswerText: 0.1, Threshold: 0.24, Suggest: 0.12, Margin: 0.05, TypoWeight: 0.8, Candidates: 12}
}

type indexedEntry struct {
	Entry
	decoy bool
	docs  []doc
}

// posting says how strongly an entry is about a term: saturated by how
// many of its phrasings use it, so a word that runs through an entry's
// phrasings counts more than one that appears once.
type posting struct {
	entry int32
	w     float32
}

type doc struct {
	terms []int32 // sorted, unique
	norm  float32
}

// NewIndex builds an index over the FAQ entries and the off-topic decoys.
func NewIndex(faq, decoys []Entry) *Index {
	ix := &Index{terms: map[string]int32{}, words: map[string]int32{}, fuzzy: map[string][]int32{}, Params: DefaultParams()}
	type bags struct {
		keys map[int32]float32
		ans  map[int32]bool
	}
	var all []bags
	add := func(e Entry, decoy bool) {
		ie := indexedEntry{Entry: e, decoy: decoy}
		b := bags{keys: map[int32]float32{}, ans: map[int32]bool{}}
		for _, p := range append([]string{e.Title}, e.Phrasings...) {
			ids := ix.termIDs(p, true)
			if len(ids) == 0 {
				continue
			}
			for _, id := range ids {
				b.keys[id]++
			}
			ie.docs = append(ie.docs, doc{terms: ids})
		}
		for _, tag := range e.Tags {
			for _, id := range ix.termIDs(tag, true) {
				b.keys[id]++
			}
		}
		for _, id := range ix.termIDs(e.Answer, true) {
			b.ans[id] = true
		}
		ix.entries = append(ix.entries, ie)
		all = append(all, b)
	}
	for _, e := range faq {
		add(e, false)
	}
	for _, e := range decoys {
		add(e, true)
	}

	n := len(ix.terms)
	df := make([]int, n)
	ix.keyPost = make([][]posting, n)
	ix.ansPost = make([][]int32, n)
	for ei, b := range all {
		seen := map[int32]bool{}
		for id, tf := range b.keys {
			ix.keyPost[id] = append(ix.keyPost[id], posting{entry: int32(ei), w: tf / (tf + tfSaturation)})
			seen[id] = true
		}
		for id := range b.ans {
			ix.ansPost[id] = append(ix.ansPost[id], int32(ei))
			seen[id] = true
		}
		for id := range seen {
			df[id]++
		}
	}
	N := float64(len(ix.entries))
	ix.idf = make([]float32, n)
	for id, d := range df {
		ix.idf[id] = float32(math.Log(1 + N/float64(max(d, 1))))
	}
	ix.unknown = float32(math.Log(1 + N))
	for i := range ix.entries {
		for j := range ix.entries[i].docs {
			d := &ix.entries[i].docs[j]
			var s float64
			for _, id := range d.terms {
				s += float64(ix.idf[id]) * float64(ix.idf[id])
			}
			d.norm = float32(math.Sqrt(s))
		}
	}
	for _, p := range ix.ansPost {
		slices.Sort(p)
	}
	// Typo correction looks words up by their single-letter deletions.
	for w, id := range ix.words {
		if len(w) < 4 || allDigits(w) {
			continue
		}
		wi := int32(len(ix.fuzzyVoc))
		ix.fuzzyVoc = append(ix.fuzzyVoc, w)
		ix.fuzzyTo = append(ix.fuzzyTo, id)
		ix.fuzzy[w] = append(ix.fuzzy[w], wi)
		for _, d := range deletes(w) {
			ix.fuzzy[d] = append(ix.fuzzy[d], wi)
		}
	}
	ix.scratch.New = func() any { return newScratch(len(ix.entries)) }
	return ix
}

// termIDs returns the sorted, unique term ids of s. With add, unseen terms
// are created (index build); without, they are skipped.
func (ix *Index) termIDs(s string, add bool) []int32 {
	var ids []int32
	for _, w := range contentWords(s) {
		id, ok := ix.words[w]
		if !ok {
			st := stem(w)
			id, ok = ix.terms[st]
			if !ok {
				if !add {
					continue
				}
				id = int32(len(ix.terms))
				ix.terms[st] = id
			}
			if add {
				ix.words[w] = id
			}
		}
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

func deletes(w string) []string {
	r := []rune(w)
	out := make([]string, 0, len(r))
	for i := range r {
		out = append(out, string(r[:i])+string(r[i+1:]))
	}
	return out
}

// Match is the outcome of a search.
type Match struct {
	// Entry is the best FAQ entry; nil when nothing relevant was found or
	// when the question looks off-topic.
	Entry *Entry
	// Confidence in [0,1] that Entry answers the question.
	Confidence float64
	// Answered reports whether Confidence reached the threshold.
	Answered bool
	// OffTopic reports whether the question looks unrelated to the program.
	OffTopic bool
	// Suggestions are other entries worth offering (best first, at most 3),
	// set when the question was not answered.
	Suggestions []*Entry
}

type scored struct {
	entry int32
	pre   float64
	score float64
}

type scratch struct {
	keyAcc, ansAcc []float32
	touched        []int32
	cands          []scored
	q              []qterm
}

type qterm struct {
	id int32 // -1: unknown word
	w  float32
}

func newScratch(n int) *scratch {
	return &scratch{keyAcc: make([]float32, n), ansAcc: make([]float32, n)}
}

// Search finds the entry that answers question.
func (ix *Index) Search(question string) Match {
	sc := ix.scratch.Get().(*scratch)
	defer ix.scratch.Put(sc)
	p := ix.Params
	q := ix.query(question, sc.q[:0])
	sc.q = q
	if len(q) == 0 {
		return Match{}
	}
	var total, qnorm float64
	for _, t := range q {
		total += float64(t.w)
		qnorm += float64(t.w) * float64(t.w)
	}
	qnorm = math.Sqrt(qnorm)

	sc.touched = sc.touched[:0]
	for _, t := range q {
		if t.id < 0 {
			continue
		}
		for _, p := range ix.keyPost[t.id] {
			if sc.keyAcc[p.entry] == 0 && sc.ansAcc[p.entry] == 0 {
				sc.touched = append(sc.touched, p.entry)
			}
			sc.keyAcc[p.entry] += t.w * p.w
		}
		for _, e := range ix.ansPost[t.id] {
			if sc.keyAcc[e] == 0 && sc.ansAcc[e] == 0 {
				sc.touched = append(sc.touched, e)
			}
			sc.ansAcc[e] += t.w
		}
	}
	sc.cands = sc.cands[:0]
	for _, e := range sc.touched {
		c := float64(sc.keyAcc[e]) / total
		a := float64(sc.ansAcc[e]) / total
		sc.cands = append(sc.cands, scored{entry: e, pre: 0.7*c + 0.3*a, score: p.Coverage*c + p.AnswerText*a})
		sc.keyAcc[e], sc.ansAcc[e] = 0, 0
	}
	if len(sc.cands) == 0 {
		return Match{OffTopic: true}
	}
	sort.Slice(sc.cands, func(i, j int) bool { return sc.cands[i].pre > sc.cands[j].pre })
	if len(sc.cands) > p.Candidates {
		sc.cands = sc.cands[:p.Candidates]
	}
	for i := range sc.cands {
		c := &sc.cands[i]
		c.score += p.Phrasing * ix.bestPhrasing(c.entry, q, qnorm)
	}
	sort.Slice(sc.cands, func(i, j int) bool { return sc.cands[i].score > sc.cands[j].score })

	best := sc.cands[0]
	var m Match
	if ix.entries[best.entry].decoy {
		m.OffTopic = true
	}
	// The best real entry and the runner-up among real entries.
	var top, second *scored
	for i := range sc.cands {
		c := &sc.cands[i]
		if ix.entries[c.entry].decoy {
			continue
		}
		if top == nil {
			top = c
		} else if second == nil {
			second = c
			break
		}
	}
	if top == nil {
		m.OffTopic = true
		return m
	}
	conf := top.score
	if second != nil && p.Margin > 0 {
		if lead := top.score - second.score; lead < p.Margin {
			conf -= (p.Margin - lead) * 0.5
		}
	}
	if m.OffTopic {
		conf *= 1 - best.score
	}
	m.Confidence = math.Max(0, math.Min(1, conf))
	m.Entry = &ix.entries[top.entry].Entry
	m.Answered = !m.OffTopic && m.Confidence >= p.Threshold
	if !m.Answered {
		if m.OffTopic {
			m.Entry = nil
		}
		for i := range sc.cands {
			c := sc.cands[i]
			if ix.entries[c.entry].decoy || c.score < p.Suggest || m.OffTopic {
				continue
			}
			m.Suggestions = append(m.Suggestions, &ix.entries[c.entry].Entry)
			if len(m.Suggestions) == 3 {
				break
			}
		}
	}
	return m
}

// bestPhrasing returns the highest cosine between the question and one of
// the entry's phrasings (or its title).
func (ix *Index) bestPhrasing(e int32, q []qterm, qnorm float64) float64 {
	var best float64
	for _, d := range ix.entries[e].docs {
		var dot float64
		i, j := 0, 0
		for i < len(q) && j < len(d.terms) {
			switch {
			case q[i].id < d.terms[j]:
				i++
			case q[i].id > d.terms[j]:
				j++
			default:
				dot += float64(q[i].w) * float64(ix.idf[d.terms[j]])
				i++
				j++
			}
		}
		if dot == 0 {
			continue
		}
		if cos := dot / (qnorm * float64(d.norm)); cos > best {
			best = cos
		}
	}
	return best
}

// query turns a question into weighted terms sorted by id (unknown words,
// id -1, first).
func (ix *Index) query(question string, q []qterm) []qterm {
	for _, w := range contentWords(question) {
		weight := float32(1)
		id, ok := ix.words[w]
		if !ok {
			id, ok = ix.terms[stem(w)]
		}
		if !ok {
			id, ok = ix.correct(w)
			weight = float32(ix.Params.TypoWeight)
		}
		if !ok {
			q = append(q, qterm{id: -1, w: ix.unknown})
			continue
		}
		w := weight * ix.idf[id]
		if i := slices.IndexFunc(q, func(t qterm) bool { return t.id == id }); i >= 0 {
			q[i].w = max(q[i].w, w)
			continue
		}
		q = append(q, qterm{id: id, w: w})
	}
	slices.SortFunc(q, func(a, b qterm) int { return int(a.id) - int(b.id) })
	return q
}

// correct finds the known word closest to a misspelt one: within one edit
// for words of 4 to 7 letters, two for longer words.
func (ix *Index) correct(w string) (int32, bool) {
	n := len([]rune(w))
	if n < 4 || allDigits(w) {
		return 0, false
	}
	limit := 1
	if n >= 8 {
		limit = 2
	}
	bestDist, bestID, found := limit+1, int32(0), false
	try := func(key string) {
		for _, wi := range ix.fuzzy[key] {
			cand := ix.fuzzyVoc[wi]
			d := damerau(w, cand, limit)
			if d < bestDist || d == bestDist && found && ix.idf[ix.fuzzyTo[wi]] < ix.idf[bestID] {
				bestDist, bestID, found = d, ix.fuzzyTo[wi], true
			}
		}
	}
	try(w)
	for _, d := range deletes(w) {
		try(d)
	}
	return bestID, found && bestDist <= limit
}

// damerau returns the optimal-string-alignment distance between a and b,
// or limit+1 as soon as it must exceed limit.
func damerau(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > limit || -d > limit {
		return limit + 1
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// Entries returns the FAQ entries in the index (decoys excluded).
func (ix *Index) Entries() []Entry {
	var out []Entry
	for _, e := range ix.entries {
		if !e.decoy {
			out = append(out, e.Entry)
		}
	}
	return out
}

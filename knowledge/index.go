package knowledge

import (
	"cmp"
	"encoding/binary"
	"maps"
	"math"
	"slices"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/influbot/influbot/knowledge/vectors"
)

// Index answers questions from FAQ entries. It is built once and is safe for
// concurrent use. It remembers its recent answers (see cache.go); changing
// Params between searches is allowed and makes it forget them.
//
// Scoring, briefly: a question becomes weighted terms (inverse document
// frequency, so "amazon" counts for little and "storefront" for a lot). Each
// entry is scored on three signals: how close the question is to its closest
// phrasing (cosine), how much of the question its phrasings, title and tags
// explain (coverage), and how much its answer text explains. Phrasings weigh
// most because they are written the way users ask. Words the index has never
// seen (weather, tracking, recipe) count against every entry, which is what
// lets off-topic questions fall below the bar; decoy entries that collect
// common off-topic questions catch the rest, and words only decoys use
// ("etsy", "payroll") count against answering. In a long message the
// closing question weighs more than the story before it. A calibrated
// model turns the signals into a confidence; the runner-up and the margin
// are reported so a close call can offer both entries.
type Index struct {
	entries  []indexedEntry
	terms    map[string]int32 // stem -> term id
	words    map[string]int32 // canonical word -> term id, for words seen in entries
	idf      []float32
	unknown  float32     // weight of a word no entry contains
	foreign  []float32   // term -> how much it belongs to decoys rather than entries ("etsy", "employer", "realtor")
	decoys   int         // how many entries are decoys
	keyPost  [][]posting // term -> entries with it in phrasings, title or tags
	ansPost  [][]int32   // term -> entries with it in the answer
	fuzzy    map[string][]int32
	fuzzyVoc []string // words eligible for typo correction
	fuzzyTo  []int32  // their term ids
	scratch  sync.Pool
	cache    atomic.Pointer[searchCache] // recent results (see cache.go)
	entryNum map[*Entry]int32            // where each entry is in entries, for the cache
	noCache  bool                        // search every time (tests and benchmarks)
	vt       *vectors.Table
	clf      *classifier
	maxDocs  int                    // the most docs of one entry
	center   *[vectors.Dims]float32 // mean phrasing vector, removed so similarity reflects what differs
	// programIDs are the terms of programWords.
	programIDs []int32
	// exact maps the terms of each title and phrasing (exactKey) to its
	// entry, or to -1 when two entries have one that reads the same.
	exact map[string]int32
	// passageMemo holds what Passage read of each entry, by ID
	// (passageWordsOf).
	passageMemo sync.Map
	Params      Params
}

// exactKey appends to dst the bytes that stand for a sorted set of terms.
func exactKey(dst []byte, ids []int32) []byte {
	for _, id := range ids {
		dst = binary.LittleEndian.AppendUint32(dst, uint32(id))
	}
	return dst
}

// exactEntry is the entry one of whose title or phrasings reads the same
// as the query sc holds (the same content words, whatever their order or
// form), or -1.
func (ix *Index) exactEntry(sc *scratch) int32 {
	if len(sc.q) == 0 {
		return -1
	}
	key := sc.key[:0]
	for _, t := range sc.q {
		if t.id < 0 {
			return -1
		}
		key = binary.LittleEndian.AppendUint32(key, uint32(t.id))
	}
	sc.key = key
	if e, ok := ix.exact[string(key)]; ok {
		return e
	}
	return -1
}

// Params are the scoring weights and thresholds. The defaults were chosen on
// knowledge/testdata/dev.tsv (never on never-tuned.tsv); see
// index_eval_test.go and tune_test.go.
type Params struct {
	Phrasing, Coverage, AnswerText float64 // lexical signal weights
	Meaning                        float64 // weight of the word-vector similarity
	Class                          float64 // weight of the classifier's probability
	MeaningFloor                   float64 // similarity at or below which meaning counts zero
	Threshold                      float64 // minimum confidence to answer
	// Margin is the minimum lead of the best entry's score over the
	// runner-up's to answer. It is 0 by default: the confidence model
	// already weighs the lead, and on dev.tsv every margin tried withheld
	// more right answers than wrong ones. A close call is still visible in
	// Match.RunnerUp and Match.Margin.
	Margin float64
	// RelatedMargin is the minimum lead over a runner-up that the best
	// entry names as related (rejection-reasons and rejection-feedback,
	// reapply-tips and reapply-wait): neighbours are where a narrow win
	// is most often the wrong one.
	RelatedMargin float64
	// Elsewhere declines a question that does not name the program
	// (programWords) when one word only decoys use ("bakery", "paypal",
	// "ebay") carries at least this share of its weight: it names another
	// thing and asks about it.
	Elsewhere  float64
	Suggest    float64 // minimum score to suggest an entry
	TypoWeight float64 // weight of a typo-corrected word
	Context    float64 // weight of a word before the question's focus (see focusedWords)
	Candidates int     // entries scored in full per question
	// Calibration weighs the confidence features (see
	// ranking.features) into a probability.
	Calibration [numFeatures]float64
}

// tfSaturation is how many phrasings using a word make an entry half-way
// "about" it.
const tfSaturation = 1

// answerOwns is how much a word in an entry's answer (and not in its
// phrasings) makes the word the entry's rather than a decoy's; a phrasing
// counts 1.
const answerOwns = 0.5

// DefaultParams are the tuned defaults.
func DefaultParams() Params {
	return Params{
		Coverage: 1, Phrasing: 0.3, AnswerText: 0.1, Meaning: 0.3, MeaningFloor: 0.4, Class: 0.3,
		Threshold: 0.55, Margin: 0, RelatedMargin: 0.03, Elsewhere: 0.3, Suggest: 0.25, TypoWeight: 0.8, Context: 0.5, Candidates: 6,
		Calibration: [numFeatures]float64{-1.589, 0.808, 2.478, -2.118, 0.583, -0.619, 0.440, 0.590, 0.178, -1.723, -0.299, -0.544, -1.782, -0.456, -0.857, -0.058},
	}
}

type indexedEntry struct {
	Entry
	decoy bool
	docs  []doc // while the index is built; then flattened into phrasings
	phrasings
	// titleSeq and phrasingSeqs are the term ids of the title and of each
	// phrasing with words, in order: the classifier's training examples,
	// kept from building the index so the text is analysed once.
	titleSeq     []int32
	phrasingSeqs [][]int32
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
	vec   *[vectors.Dims]float32 // meaning; nil when no word is known
}

// phrasings are an entry's docs laid out for bestPhrasing, which compares
// a question with every one of them: the docs that have each term, and
// the docs' meanings in one array.
type phrasings struct {
	terms   []int32   // the terms of the entry's docs, sorted
	idfs    []float64 // the idf of each of terms
	starts  []int32   // docsOf[starts[i]:starts[i+1]] have terms[i]
	docsOf  []int32   // doc numbers
	norms   []float64 // each doc's norm
	vecs    []float32 // the meanings of the docs that have one, Dims each
	numDocs int
}

// flatten lays the entry's docs out for bestPhrasing and drops them.
func (ie *indexedEntry) flatten(idf []float32) {
	p := &ie.phrasings
	byTerm := map[int32][]int32{}
	for k, d := range ie.docs {
		for _, id := range d.terms {
			byTerm[id] = append(byTerm[id], int32(k))
		}
		p.norms = append(p.norms, float64(d.norm))
		if d.vec != nil {
			p.vecs = append(p.vecs, d.vec[:]...)
		}
	}
	p.terms = slices.Sorted(maps.Keys(byTerm))
	p.starts = append(p.starts, 0)
	for _, id := range p.terms {
		p.idfs = append(p.idfs, float64(idf[id]))
		p.docsOf = append(p.docsOf, byTerm[id]...)
		p.starts = append(p.starts, int32(len(p.docsOf)))
	}
	p.numDocs = len(ie.docs)
	ie.docs = nil
}

// NewIndex builds an index over the FAQ entries and the off-topic decoys.
// vt, when not nil, adds a sense of meaning beyond shared words.
func NewIndex(faq, decoys []Entry, vt *vectors.Table) *Index {
	ix := &Index{terms: map[string]int32{}, words: map[string]int32{}, fuzzy: map[string][]int32{}, Params: DefaultParams(), vt: vt}
	type bags struct {
		keys map[int32]float32
		ans  map[int32]bool
	}
	var all []bags
	var docWords [][]string // each doc's content words, in order, for its meaning
	add := func(e Entry, decoy bool) {
		ie := indexedEntry{Entry: e, decoy: decoy}
		b := bags{keys: map[int32]float32{}, ans: map[int32]bool{}}
		for i, p := range append([]string{e.Title}, e.Phrasings...) {
			words := contentWords(p)
			seq := ix.addTerms(words)
			if i == 0 {
				ie.titleSeq = seq
			} else if len(seq) > 0 {
				ie.phrasingSeqs = append(ie.phrasingSeqs, seq)
			}
			if len(seq) == 0 {
				continue
			}
			ids := slices.Compact(slices.Sorted(slices.Values(seq)))
			for _, id := range ids {
				b.keys[id]++
			}
			ie.docs = append(ie.docs, doc{terms: ids})
			docWords = append(docWords, words)
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
	ix.decoys = len(decoys)
	ix.exact = map[string]int32{}
	for i, e := range ix.entries {
		for _, d := range e.docs {
			k := string(exactKey(nil, d.terms))
			if other, ok := ix.exact[k]; ok && other != int32(i) {
				ix.exact[k] = -1
				continue
			}
			ix.exact[k] = int32(i)
		}
	}

	// The terms are all known now. The classifier, which takes about half
	// the time, trains on a second core while the rest is built.
	seqs, labels := ix.examples()
	nTerms, nClasses := len(ix.terms), len(ix.entries)
	trained := make(chan *classifier, 1)
	go func() { trained <- trainClassifier(nTerms, nClasses, seqs, labels) }()

	k := 0
	for i := range ix.entries {
		for j := range ix.entries[i].docs {
			ix.entries[i].docs[j].vec = ix.meaning(docWords[k])
			k++
		}
	}
	ix.centerDocs()
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
		}
		for id := range seen {
			df[id]++
		}
	}
	// How much a term belongs to the decoys: the share of the entries
	// using it that are decoys, counting a real entry that has it only in
	// its answer as half.
	decoyKeys, realKeys, realAns := make([]float32, n), make([]float32, n), make([]float32, n)
	for ei, b := range all {
		for id := range b.keys {
			if ix.entries[ei].decoy {
				decoyKeys[id]++
			} else {
				realKeys[id]++
			}
		}
		if ix.entries[ei].decoy {
			continue
		}
		for id := range b.ans {
			if _, ok := b.keys[id]; !ok {
				realAns[id]++
			}
		}
	}
	ix.foreign = make([]float32, n)
	for id := range ix.foreign {
		if d := decoyKeys[id]; d > 0 {
			ix.foreign[id] = d / (d + realKeys[id] + answerOwns*realAns[id])
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
	for i := range ix.entries {
		ix.entries[i].flatten(ix.idf)
		ix.maxDocs = max(ix.maxDocs, ix.entries[i].numDocs)
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
	for _, w := range programWords {
		if id, ok := ix.words[w]; ok {
			ix.programIDs = append(ix.programIDs, id)
		}
	}
	ix.clf = <-trained
	ix.scratch.New = func() any { return ix.newScratch() }
	ix.entryNum = make(map[*Entry]int32, len(ix.entries))
	for i := range ix.entries {
		ix.entryNum[&ix.entries[i].Entry] = int32(i)
	}
	return ix
}

// claim marks the words of texts as the program's own, whatever decoys
// use them: creators name their niche with them ("cooking", "fitness",
// "jewelry"), so a decoy about a bakery or a gym must not make a creator's
// question about their cooking or fitness account look off-topic. Call it
// before the index is used.
func (ix *Index) claim(texts []string) {
	ix.cache.Store(nil) // results found before no longer hold
	for _, s := range texts {
		for _, w := range contentWords(s) {
			id, ok := ix.words[w]
			if !ok {
				id, ok = ix.terms[stem(w)]
			}
			if ok {
				ix.foreign[id] = 0
			}
		}
	}
}

// addTerms returns the term ids of canonical content words in order,
// creating the terms not seen yet (index build).
func (ix *Index) addTerms(words []string) []int32 {
	seq := make([]int32, 0, len(words))
	for _, w := range words {
		id, ok := ix.words[w]
		if !ok {
			st := stem(w)
			if id, ok = ix.terms[st]; !ok {
				id = int32(len(ix.terms))
				ix.terms[st] = id
			}
			ix.words[w] = id
		}
		seq = append(seq, id)
	}
	return seq
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

// examples are the classifier's training data: every phrasing, title and
// tag line, labelled with its entry. Each entry is a class, and so is each
// decoy: merged into one off-topic class the decoys' hundreds of phrasings
// made it a sink for everyday words.
func (ix *Index) examples() (seqs [][]int32, labels []int32) {
	for i, e := range ix.entries {
		// Title, tags, phrasings: the order the examples always had.
		for _, seq := range append([][]int32{e.titleSeq, ix.sequence(joinTags(e.Tags), false)}, e.phrasingSeqs...) {
			if len(seq) > 0 {
				seqs = append(seqs, seq)
				labels = append(labels, int32(i))
			}
		}
		ix.entries[i].titleSeq, ix.entries[i].phrasingSeqs = nil, nil
	}
	return seqs, labels
}

func joinTags(tags []string) string {
	s := ""
	for _, t := range tags {
		s += t + " "
	}
	return s
}

// sequence returns the term ids of s's content words in order, -1 for a
// word the index does not know; with fix, misspelt words are corrected.
func (ix *Index) sequence(s string, fix bool) []int32 {
	var seq []int32
	for _, w := range contentWords(s) {
		id, ok := ix.words[w]
		if !ok {
			id, ok = ix.terms[stem(w)]
		}
		if !ok && fix {
			id, ok = ix.correct(w)
		}
		if !ok {
			id = -1
		}
		seq = append(seq, id)
	}
	return seq
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
	// Answered reports whether Confidence reached the threshold and Entry
	// clearly beat RunnerUp.
	Answered bool
	// OffTopic reports whether the question looks unrelated to the program.
	OffTopic bool
	// Suggestions are other entries worth offering (best first, at most 3),
	// set when the question was not answered.
	Suggestions []*Entry
	// RunnerUp is the second-best FAQ entry (nil when there is none) and
	// Margin how far Entry's score is ahead of it (Entry's whole score
	// when there is no runner-up).
	RunnerUp *Entry
	Margin   float64
	// Ambiguous reports that Entry would have been answered but RunnerUp
	// came too close: neither clearly wins, so the question is not
	// answered and Suggestions start with both.
	Ambiguous bool
}

type scored struct {
	entry                    int32
	cov, ans, prob, lex, sem float64 // the signals
	score                    float64 // their weighted sum, which ranks entries
}

type scratch struct {
	keyAcc, ansAcc []float32
	touched        []int32
	cands, decoys  []scored
	q              []qterm
	seq, feats     []int32 // the question's term ids in order; its classifier features
	words          []string
	analyzer       analyzer
	logits         []float64
	hit            []bool
	classes        []int32
	// For bestPhrasing: the question's meaning, each doc's dot product
	// with the question (zero for those sharing no term) and the docs
	// with one.
	qvec      [vectors.Dims]float32
	docDot    []float64
	docShares []int32
	key       []byte // exactEntry's
}

type qterm struct {
	id int32 // -1: unknown word
	w  float32
}

func (ix *Index) newScratch() *scratch {
	n := len(ix.entries)
	return &scratch{keyAcc: make([]float32, n), ansAcc: make([]float32, n), logits: make([]float64, n), hit: make([]bool, n),
		docDot: make([]float64, ix.maxDocs)}
}

// search finds the entry that answers question, without the cache.
func (ix *Index) search(question string) Match {
	sc := ix.scratch.Get().(*scratch)
	defer ix.scratch.Put(sc)
	r := ix.rank(question, sc)
	top, decoy := r.top, r.decoy
	var m Match
	if e := ix.exactEntry(sc); e >= 0 {
		// The question is one of an entry's own phrasings, in other
		// words' order or forms ("how do i join" is how-to-apply's, even
		// though the marketplaces entry says "join" far more often).
		ie := &ix.entries[e]
		if ie.decoy {
			m.OffTopic = true
			return m
		}
		m.Entry, m.Answered = &ie.Entry, true
		m.Confidence = 1
		if top != nil {
			m.Confidence = max(ix.Params.confidence(r.features()), ix.Params.Threshold)
		}
		return m
	}
	if top == nil {
		m.OffTopic = true
		return m
	}
	f := r.features()
	m.Confidence = ix.Params.confidence(f)
	m.OffTopic = decoy != nil && decoy.score > top.score
	m.Entry = &ix.entries[top.entry].Entry
	m.Margin = top.score
	if r.runnerUp != nil {
		m.RunnerUp = &ix.entries[r.runnerUp.entry].Entry
		m.Margin = top.score - r.runnerUp.score
	}
	m.Answered = m.Confidence >= ix.Params.Threshold
	if m.Answered && !r.named && ix.Params.Elsewhere > 0 && r.elsewhere >= ix.Params.Elsewhere {
		m.Answered, m.OffTopic, m.Entry = false, true, nil
		return m
	}
	if m.Answered && (m.Margin < ix.Params.Margin || m.RunnerUp != nil && m.Margin < ix.Params.RelatedMargin && related(m.Entry, m.RunnerUp)) {
		m.Answered, m.Ambiguous, m.OffTopic = false, true, false
		m.Suggestions = append(m.Suggestions, m.Entry)
		if m.RunnerUp != nil {
			m.Suggestions = append(m.Suggestions, m.RunnerUp)
		}
	}
	if m.Answered {
		m.OffTopic = false
		return m
	}
	if m.OffTopic {
		m.Entry = nil
		return m
	}
	for _, c := range sc.cands {
		e := &ix.entries[c.entry]
		if e.decoy || c.score < ix.Params.Suggest || slices.Contains(m.Suggestions, &e.Entry) {
			continue
		}
		m.Suggestions = append(m.Suggestions, &e.Entry)
		if len(m.Suggestions) == 3 {
			break
		}
	}
	return m
}

// related reports whether either entry lists the other as related.
func related(a, b *Entry) bool {
	return slices.Contains(a.Related, b.ID) || slices.Contains(b.Related, a.ID)
}

// ranking is the outcome of scoring a question against every entry.
type ranking struct {
	// top is the best real entry, runnerUp the next real one, decoy the
	// best decoy; each nil when there is none.
	top, runnerUp, decoy *scored
	// unknown is the share of the question's weight made of words no entry
	// knows; foreign the share made of words only decoys use.
	unknown, foreign float64
	// outside is the share of the question's weight carried by its one
	// word most outside the program (unknown, or used by decoys): a
	// question that names one other thing ("herbalife", "flight
	// attendant") is about it, however many program words surround it.
	outside float64
	// elsewhere is the share of the question's weight carried by its
	// heaviest word that only decoys use (foreign at least decoyOnly);
	// named reports that the question names the program itself.
	elsewhere float64
	named     bool
	// offProb is the classifier's probability that the question belongs
	// to a decoy, any decoy.
	offProb float64
}

// rank scores the question against the entries. sc.cands holds the
// candidates, best first.
func (ix *Index) rank(question string, sc *scratch) (r ranking) {
	p := ix.Params
	ix.query(question, sc)
	q := sc.q
	if len(q) == 0 {
		sc.cands = sc.cands[:0]
		return r
	}
	var total, qnorm float64
	for _, t := range q {
		total += float64(t.w)
		qnorm += float64(t.w) * float64(t.w)
		switch {
		case t.id < 0:
			r.unknown += float64(t.w)
			r.outside = max(r.outside, float64(t.w))
		default:
			r.foreign += float64(t.w * ix.foreign[t.id])
			r.outside = max(r.outside, float64(t.w*ix.foreign[t.id]))
			if ix.foreign[t.id] >= decoyOnly {
				r.elsewhere = max(r.elsewhere, float64(t.w))
			}
			if slices.Contains(ix.programIDs, t.id) {
				r.named = true
			}
		}
	}
	r.unknown /= total
	r.foreign /= total
	r.outside /= total
	r.elsewhere /= total
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
	denom := ix.classify(sc)
	// The classifier's probability that the question is off-topic: the
	// decoys' share, those it did not touch included (logit zero).
	decoyMass := float64(ix.decoys)
	for _, cl := range sc.classes {
		if ix.entries[cl].decoy {
			decoyMass += sc.logits[cl] - 1
		}
	}
	r.offProb = decoyMass / denom
	// Keep the best few entries and the best few decoys by the cheap
	// signals, in order; only they get the phrasing comparisons. Decoys
	// have their own places so they never crowd the entries out.
	sc.cands, sc.decoys = sc.cands[:0], sc.decoys[:0]
	untouchedProb := 1 / denom
	for _, e := range sc.touched {
		cov, ans, prob := float64(sc.keyAcc[e])/total, float64(sc.ansAcc[e])/total, untouchedProb
		if sc.hit[e] {
			prob = sc.logits[e] / denom
		}
		sc.keyAcc[e], sc.ansAcc[e] = 0, 0
		score := p.Coverage*cov + p.AnswerText*ans + p.Class*prob
		list, k := &sc.cands, p.Candidates
		if ix.entries[e].decoy {
			list, k = &sc.decoys, decoyCandidates
		}
		// Most entries of a large index miss the list: tell before
		// building their candidate (as keepBest would).
		if k <= 0 || len(*list) == k && score <= (*list)[k-1].score {
			continue
		}
		*list = keepBest(*list, scored{entry: e, cov: cov, ans: ans, prob: prob, score: score}, k)
	}
	sc.cands = append(sc.cands, sc.decoys...)
	for _, cl := range sc.classes {
		sc.logits[cl], sc.hit[cl] = 0, false
	}
	if len(sc.cands) == 0 {
		return r
	}
	var qvec *[vectors.Dims]float32
	if ix.meaningOf(&sc.qvec, sc.words) {
		qvec = &sc.qvec
	}
	for i := range sc.cands {
		c := &sc.cands[i]
		c.lex, c.sem = ix.bestPhrasing(c.entry, q, qnorm, qvec, sc)
		c.score += p.Phrasing*c.lex + p.Meaning*max(0, (c.sem-p.MeaningFloor)/(1-p.MeaningFloor))
	}
	slices.SortStableFunc(sc.cands, func(a, b scored) int { return cmp.Compare(b.score, a.score) })
	for i := range sc.cands {
		c := &sc.cands[i]
		switch {
		case ix.entries[c.entry].decoy:
			if r.decoy == nil {
				r.decoy = c
			}
		case r.top == nil:
			r.top = c
		case r.runnerUp == nil:
			r.runnerUp = c
		}
	}
	return r
}

// decoyCandidates is how many decoys get the phrasing comparisons.
const decoyCandidates = 3

// keepBest inserts c into list, kept sorted best first and at most k long.
func keepBest(list []scored, c scored, k int) []scored {
	if k <= 0 || len(list) == k && c.score <= list[k-1].score {
		return list
	}
	i := len(list)
	if i < k {
		list = append(list, c)
	} else {
		i--
	}
	for ; i > 0 && list[i-1].score < c.score; i-- {
		list[i] = list[i-1]
	}
	list[i] = c
	return list
}

// programWords name the program itself, as canonical words.
var programWords = []string{"amazon", "influencer", "storefront", "associates"}

// decoyOnly is how much a word must belong to decoys to count as naming
// something else (see Params.Elsewhere).
const decoyOnly = 0.95

// numFeatures is the length of the confidence model's input.
const numFeatures = 16

// features describe how convincing the best entry is: its score and each
// signal, its lead over the runner-up, how close the best decoy came, how
// much of the question no entry knows and how much only decoys know.
func (r ranking) features() [numFeatures]float64 {
	top, runnerUp, decoy := r.top, r.runnerUp, r.decoy
	// The lead is over the closest competitor, real or decoy.
	lead := top.score
	if runnerUp != nil {
		lead = top.score - runnerUp.score
	}
	if decoy != nil {
		lead = min(lead, top.score-decoy.score)
	}
	gap, semGap := -top.score, -top.sem
	if decoy != nil {
		gap, semGap = decoy.score-top.score, decoy.sem-top.sem
	}
	return [numFeatures]float64{1, top.score, lead, gap, top.prob, top.lex, top.sem, top.cov, r.unknown, r.foreign, semGap, r.offProb, gap * r.anchor(), r.offProb * r.anchor(),
		r.outside, r.unknown * r.unknown}
}

// anchor says how much the question names something outside the program
// (words only decoys use, or that no entry knows), from 0 to 1. Decoys
// should decide only questions with an anchor: "my payment says pending,
// is that normal" names nothing else, and is about the program.
func (r ranking) anchor() float64 {
	return min(1, (r.foreign+r.unknown)/0.2)
}

// confidence is the calibrated probability that the best entry answers
// the question: a logistic model over the features, fitted on the
// development set (see TestTune).
func (p Params) confidence(f [numFeatures]float64) float64 {
	var z float64
	for i, x := range f {
		z += p.Calibration[i] * x
	}
	return 1 / (1 + math.Exp(-z))
}

// bestPhrasing returns the highest cosine between the question and one of
// the entry's phrasings (or its title): by shared words, and by meaning.
//
// Each doc's dot product with the question adds the products of the terms
// they share in term order, as a merge of the two sorted term lists
// would, so the cosines are the same to the bit; but only the docs that
// share a term are visited.
func (ix *Index) bestPhrasing(e int32, q []qterm, qnorm float64, qvec *[vectors.Dims]float32, sc *scratch) (best, sem float64) {
	ph := &ix.entries[e].phrasings
	if qvec != nil {
		sem = float64(vectors.MaxDot(qvec, ph.vecs))
	}
	dots, shares := sc.docDot[:ph.numDocs], sc.docShares[:0]
	terms := ph.terms
	base := 0
	for _, t := range q {
		// A zero weight adds nothing, and every other product is
		// positive (idf is at least ln 2): a doc's dot is zero exactly
		// when it shares no term.
		if t.id < 0 || t.w == 0 {
			continue
		}
		k, found := slices.BinarySearch(terms, t.id)
		terms, base = terms[k:], base+k
		if !found {
			continue
		}
		prod := float64(t.w) * ph.idfs[base]
		for _, d := range ph.docsOf[ph.starts[base]:ph.starts[base+1]] {
			if dots[d] == 0 {
				shares = append(shares, d)
			}
			dots[d] += prod
		}
	}
	for _, d := range shares {
		dot := dots[d]
		dots[d] = 0
		if cos := dot / (qnorm * ph.norms[d]); cos > best {
			best = cos
		}
	}
	sc.docShares = shares
	return best, sem
}

// centerDocs removes the component every phrasing shares: averaged word
// vectors of any two sentences are alike, and subtracting the mean makes
// their cosine reflect what sets them apart.
func (ix *Index) centerDocs() {
	var mean [vectors.Dims]float32
	n := 0
	for _, e := range ix.entries {
		for _, d := range e.docs {
			if d.vec == nil {
				continue
			}
			for i, x := range d.vec {
				mean[i] += x
			}
			n++
		}
	}
	if n < 2 {
		return
	}
	for i := range mean {
		mean[i] /= float32(n)
	}
	for _, e := range ix.entries {
		for _, d := range e.docs {
			if d.vec == nil {
				continue
			}
			for i := range d.vec {
				d.vec[i] -= mean[i]
			}
			vectors.Normalize(d.vec)
		}
	}
	ix.center = &mean
}

// meaning returns the unit word-vector average of content words, or
// nil when there is no table or no known word.
func (ix *Index) meaning(words []string) *[vectors.Dims]float32 {
	var v [vectors.Dims]float32
	if !ix.meaningOf(&v, words) {
		return nil
	}
	return &v
}

// meaningOf sets v to the meaning of words and reports whether there is
// one (see meaning).
func (ix *Index) meaningOf(v *[vectors.Dims]float32, words []string) bool {
	if ix.vt == nil {
		return false
	}
	*v = [vectors.Dims]float32{}
	known := false
	for _, w := range words {
		if alt, ok := vectorWord[w]; ok {
			w = alt
		}
		if ix.vt.Add(v, w) {
			known = true
		}
	}
	if !known || !vectors.Normalize(v) {
		return false
	}
	if ix.center != nil {
		for i := range v {
			v[i] -= ix.center[i]
		}
		if !vectors.Normalize(v) {
			return false
		}
	}
	return true
}

// vectorWord names the vector for canonical words the table lacks or
// spells differently.
var vectorWord = map[string]string{"x": "twitter", "qa": "questions", "tiktok": "app"}

// query turns a question into weighted terms sorted by id (unknown words,
// id -1, first) in sc.q, and its term ids in order in sc.seq.
func (ix *Index) query(question string, sc *scratch) {
	q, seq := sc.q[:0], sc.seq[:0]
	var focus int
	sc.words, focus = sc.analyzer.focusedWords(question)
	for i, w := range sc.words {
		weight := float32(1)
		if i < focus {
			weight = float32(ix.Params.Context)
		}
		id, ok := ix.words[w]
		if !ok {
			id, ok = ix.terms[stem(w)]
		}
		if !ok {
			id, ok = ix.correct(w)
			weight *= float32(ix.Params.TypoWeight)
		}
		if !ok {
			q = append(q, qterm{id: -1, w: weight * ix.unknown})
			seq = append(seq, -1)
			continue
		}
		seq = append(seq, id)
		w := weight * ix.idf[id]
		if i := slices.IndexFunc(q, func(t qterm) bool { return t.id == id }); i >= 0 {
			q[i].w = max(q[i].w, w)
			continue
		}
		q = append(q, qterm{id: id, w: w})
	}
	slices.SortFunc(q, func(a, b qterm) int { return int(a.id) - int(b.id) })
	sc.q, sc.seq = q, seq
}

// classify sets sc.logits, for the entries the question's features
// support, to the exponential of their logits (each computed once, here),
// and returns the softmax denominator.
func (ix *Index) classify(sc *scratch) float64 {
	sc.feats = ix.clf.features(sc.seq, false, sc.feats)
	if len(sc.feats) == 0 {
		sc.classes = sc.classes[:0]
		return float64(len(ix.entries))
	}
	scale := float32(1 / math.Sqrt(float64(len(sc.feats))))
	sc.classes = ix.clf.scores(sc.feats, scale, sc.logits, sc.hit, sc.classes[:0])
	for _, cl := range sc.classes {
		sc.logits[cl] = math.Exp(sc.logits[cl])
	}
	return ix.clf.denominator(sc.logits, sc.classes)
}

// correct finds the known word closest to a misspelt one: within one edit
// for words of 4 to 7 letters, two for longer words.
func (ix *Index) correct(w string) (int32, bool) {
	n := utf8.RuneCountInString(w)
	if n < 4 || allDigits(w) {
		return 0, false
	}
	// A real word is not a misspelling: "height" is not "weight", and a
	// question about height is about something the index does not know.
	if ix.vt != nil && ix.vt.Has(w) {
		return 0, false
	}
	limit := 1
	if n >= 8 {
		limit = 2
	}
	bestDist, bestID, found := limit+1, int32(0), false
	try := func(cands []int32) {
		for _, wi := range cands {
			cand := ix.fuzzyVoc[wi]
			d := EditDistanceWithin(w, cand, limit)
			if d < bestDist || d == bestDist && found && ix.idf[ix.fuzzyTo[wi]] < ix.idf[bestID] {
				bestDist, bestID, found = d, ix.fuzzyTo[wi], true
			}
		}
	}
	try(ix.fuzzy[w])
	// w's single-rune deletions, in deletes' order, looked up without
	// making strings of them (w is valid UTF-8: tokenize made it).
	var buf [64]byte
	for i := range w {
		_, size := utf8.DecodeRuneInString(w[i:])
		key := append(append(buf[:0], w[:i]...), w[i+size:]...)
		try(ix.fuzzy[string(key)])
	}
	return bestID, found && bestDist <= limit
}

// WithoutChar appends to dst w less the character that starts at byte
// at, and returns it with the byte offset of the character after that one:
// called from 0 until that offset is len(w), it gives each one-character
// deletion of w. Two words within one edit of each other (an insertion,
// a deletion, a substitution or a swap of neighbours, as
// EditDistanceWithin counts) are equal, or one is the other less a
// character, or both less one character are the same. So a list of words
// indexed by themselves and their deletions gives, for a word and its
// deletions, every word of the list one edit from it (and a few more, to
// be measured), in a few map reads instead of a comparison with each.
func WithoutChar(dst []byte, w string, at int) ([]byte, int) {
	_, size := utf8.DecodeRuneInString(w[at:])
	return append(append(dst, w[:at]...), w[at+size:]...), at + size
}

// EditDistanceWithin returns the optimal-string-alignment distance between
// a and b (by characters: insertions, deletions, substitutions and swaps
// of neighbours cost 1) when it is at most limit, and limit+1 otherwise,
// found as soon as it must exceed limit. The typo fixes of the search and
// of the eligibility check's parser use it.
func EditDistanceWithin(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > limit || -d > limit {
		return limit + 1
	}
	// Three rows, on the stack for the words of nearly every question.
	var rows [3 * 32]int
	var prev2, prev, cur []int
	if n := len(rb) + 1; 3*n <= len(rows) {
		prev2, prev, cur = rows[:n], rows[n:2*n], rows[2*n:3*n]
	} else {
		prev2, prev, cur = make([]int, n), make([]int, n), make([]int, n)
	}
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
	return min(prev[len(rb)], limit+1)
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

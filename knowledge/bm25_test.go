package knowledge

import (
	"errors"
	"io/fs"
	"math"
	"os"
	"testing"
)

// bm25 is the obvious peer to compare against: Okapi BM25 over one document
// per FAQ entry (title, tags, phrasings and answer), words lower-cased with
// stop words dropped, no synonyms, stems, typo correction or decoys. It
// answers with the best entry when its score reaches a threshold.
type bm25 struct {
	ids   []string
	tf    []map[string]float64
	len   []float64
	avg   float64
	df    map[string]float64
	k1, b float64
}

func newBM25(entries []Entry) *bm25 {
	m := &bm25{df: map[string]float64{}, k1: 1.2, b: 0.75}
	var total float64
	for _, e := range entries {
		text := e.Title + " " + e.Answer
		for _, s := range append(e.Tags, e.Phrasings...) {
			text += " " + s
		}
		tf := map[string]float64{}
		n := 0.0
		for _, w := range plainWords(text) {
			tf[w]++
			n++
		}
		for w := range tf {
			m.df[w]++
		}
		m.ids, m.tf, m.len = append(m.ids, e.ID), append(m.tf, tf), append(m.len, n)
		total += n
	}
	m.avg = total / float64(max(len(entries), 1))
	return m
}

func plainWords(s string) []string {
	var out []string
	for _, w := range tokenize(s) {
		if !stopWords[w] {
			out = append(out, w)
		}
	}
	return out
}

// best returns the best entry's id and score.
func (m *bm25) best(q string) (string, float64) {
	N := float64(len(m.ids))
	bestID, bestScore := "", 0.0
	words := plainWords(q)
	for i, tf := range m.tf {
		var s float64
		for _, w := range words {
			f := tf[w]
			if f == 0 {
				continue
			}
			idf := math.Log(1 + (N-m.df[w]+0.5)/(m.df[w]+0.5))
			s += idf * f * (m.k1 + 1) / (f + m.k1*(1-m.b+m.b*m.len[i]/m.avg))
		}
		if s > bestScore {
			bestID, bestScore = m.ids[i], s
		}
	}
	return bestID, bestScore
}

type bm25Result struct {
	topic, id string
	score     float64
}

func runBM25(m *bm25, cases []evalCase) []bm25Result {
	out := make([]bm25Result, len(cases))
	for i, c := range cases {
		id, score := m.best(c.question)
		out[i] = bm25Result{topic: c.topic, id: id, score: score}
	}
	return out
}

// scoreBM25 scores the baseline's results at one threshold.
func scoreBM25(results []bm25Result, threshold float64) evalScore {
	var s evalScore
	for _, r := range results {
		id := r.id
		if r.score < threshold {
			id = ""
		}
		if r.topic == "" {
			s.off++
			if id == "" {
				s.offRight++
			}
			continue
		}
		s.inScope++
		if id == r.topic {
			s.inRight++
		} else if id != "" {
			s.wrong++
		}
	}
	return s
}

// TestBM25Baseline compares influbot with plain BM25 on the evaluation
// sets. BM25's threshold is the one that does best on dev.tsv (highest
// sum of right-topic and declined shares); the same threshold is used on
// the other sets. influbot must beat it on dev.tsv on both counts.
func TestBM25Baseline(t *testing.T) {
	kb, err := Load(Embedded())
	if err != nil {
		t.Fatal(err)
	}
	m := newBM25(kb.FAQ)
	dev := loadCases(t, "testdata/dev.tsv")
	devResults := runBM25(m, dev)
	bestTh, best := 0.0, evalScore{}
	for th := 0.0; th <= 30; th += 0.25 {
		if s := scoreBM25(devResults, th); s.inAcc()+s.offAcc() > best.inAcc()+best.offAcc() {
			bestTh, best = th, s
		}
	}
	ours := evaluate(kb.Index, dev)
	t.Logf("BM25 threshold %.2f", bestTh)
	for _, set := range evalSets {
		if _, err := os.Stat(set.name); errors.Is(err, fs.ErrNotExist) {
			continue
		}
		s := scoreBM25(runBM25(m, loadCases(t, set.name)), bestTh)
		t.Logf("%s: BM25 in-scope %s right, off-topic %s declined", set.name, pct(s.inAcc()), pct(s.offAcc()))
	}
	if ours.inAcc() <= best.inAcc() || ours.offAcc() <= best.offAcc() {
		t.Errorf("dev.tsv: influbot %s / %s does not beat BM25 %s / %s", pct(ours.inAcc()), pct(ours.offAcc()), pct(best.inAcc()), pct(best.offAcc()))
	}
}

package knowledge

import (
	"math"
	"math/rand/v2"
	"slices"
)

// classifier is a softmax regression from a question's words and word pairs
// to the entry it belongs to, trained on the entries' phrasings when the
// index is built. Where the similarity signals ask "which phrasing looks
// most like this?", the classifier learns which words tell neighbouring
// entries apart: "tell", "explain" and "email" mark rejection-feedback,
// while "why" and "rejected" are shared with rejection-reasons.
//
// Weights exist only for (feature, entry) pairs seen in training, so memory
// and time grow with the phrasings rather than with features times entries.
type classifier struct {
	// The weights of feature f are weights[offsets[f]:offsets[f+1]]: the
	// entries it was seen with, in one array so that a question's
	// features, sorted, are read front to back.
	offsets []int32
	weights []weight
	pairs   map[uint64]int32 // (term, next term) -> feature id
	nTerms  int32
	classes int
}

// balancePower is how far training evens out the classes' sizes: 0
// leaves every example weight 1, 1 weighs each example by the inverse of
// its class's size.
const balancePower = 1.0

// maxSupport is the most entries a feature may belong to and still count.
const maxSupport = 48

// Training makes between minEpochs and maxEpochs passes over the examples,
// as many as fit in trainingBudget example updates.
const minEpochs, maxEpochs, trainingBudget = 5, 30, 200_000

// epochsFor returns how many passes to make over n examples: thirty for a
// knowledge base of a few dozen entries (the shipped one has about 4,100
// examples); a large one sees each class often enough per pass to need
// fewer, which keeps loading 2,000 entries (about 33,000 examples, 6
// passes) well under a second.
func epochsFor(n int) int {
	return min(maxEpochs, max(minEpochs, trainingBudget/max(n, 1)))
}

type weight struct {
	class int32
	w     float32
}

type example struct {
	feats []int32
	class int32
}

// features returns the feature ids of a sequence of term ids (-1 for
// unknown words): each term, and each adjacent pair of known terms seen in
// training (or, with add, any pair).
func (c *classifier) features(seq []int32, add bool, out []int32) []int32 {
	out = out[:0]
	for i, t := range seq {
		if t < 0 {
			continue
		}
		out = append(out, t)
		if i+1 < len(seq) && seq[i+1] >= 0 {
			key := uint64(uint32(t))<<32 | uint64(uint32(seq[i+1]))
			id, ok := c.pairs[key]
			if !ok && add {
				id = c.nTerms + int32(len(c.pairs))
				c.pairs[key] = id
				ok = true
			}
			if ok {
				out = append(out, id)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// trainClassifier fits the weights with plain stochastic gradient descent on
// the softmax loss, restricted to the supported pairs, with a little L2
// decay so rare words do not dominate.
func trainClassifier(nTerms int, classes int, seqs [][]int32, labels []int32) *classifier {
	c := &classifier{pairs: map[uint64]int32{}, nTerms: int32(nTerms), classes: classes}
	exs := make([]example, len(seqs))
	for i, s := range seqs {
		exs[i] = example{feats: c.features(s, true, nil), class: labels[i]}
	}
	support := make([][]weight, int(c.nTerms)+len(c.pairs))
	for _, ex := range exs {
		for _, f := range ex.feats {
			if !slices.ContainsFunc(support[f], func(w weight) bool { return w.class == ex.class }) {
				support[f] = append(support[f], weight{class: ex.class})
			}
		}
	}
	// A word used by many entries tells none of them apart; dropping it
	// keeps training and answering time bounded on large knowledge bases.
	c.offsets = make([]int32, len(support)+1)
	n := 0
	for f, sup := range support {
		if len(sup) <= maxSupport {
			n += len(sup)
		}
		c.offsets[f+1] = int32(n)
	}
	c.weights = make([]weight, 0, n)
	for _, sup := range support {
		if len(sup) <= maxSupport {
			c.weights = append(c.weights, sup...)
		}
	}
	// Each class weighs the same in total, however many phrasings it has:
	// an entry with 65 phrasings must not out-pull a decoy with 15 on the
	// words they share.
	counts := make([]int, classes)
	for _, ex := range exs {
		counts[ex.class]++
	}
	used := 0
	for _, n := range counts {
		if n > 0 {
			used++
		}
	}
	classWeight := make([]float32, classes)
	for cl, n := range counts {
		if n > 0 {
			classWeight[cl] = float32(math.Pow(float64(len(exs))/float64(used)/float64(n), balancePower))
		}
	}
	r := rand.New(rand.NewPCG(7, 11))
	logits := make([]float64, classes)
	probs := make([]float32, classes)
	touched := make([]bool, classes)
	var list []int32
	const decay = 1e-4
	for epoch, epochs := 0, epochsFor(len(exs)); epoch < epochs; epoch++ {
		rate := 0.5 / (1 + 0.2*float64(epoch))
		r.Shuffle(len(exs), func(i, j int) { exs[i], exs[j] = exs[j], exs[i] })
		for _, ex := range exs {
			if len(ex.feats) == 0 {
				continue
			}
			scale := float32(1 / math.Sqrt(float64(len(ex.feats))))
			list = c.scores(ex.feats, scale, logits, touched, list[:0])
			// One exponential per class the example touches, not one per
			// (feature, class) pair: the gradient of every weight of a class
			// shares its probability.
			denom := float64(c.classes - len(list))
			for _, cl := range list {
				e := math.Exp(logits[cl])
				logits[cl] = e
				denom += e
			}
			for _, cl := range list {
				probs[cl] = float32(logits[cl] / denom)
			}
			probs[ex.class]--
			lr := float32(rate) * classWeight[ex.class]
			for _, f := range ex.feats {
				ws := c.weights[c.offsets[f]:c.offsets[f+1]]
				for k := range ws {
					w := &ws[k]
					w.w -= lr * (probs[w.class]*scale + decay*w.w)
				}
			}
			probs[ex.class]++
			for _, cl := range list {
				logits[cl], touched[cl] = 0, false
			}
		}
	}
	return c
}

// scores adds up the logits of the classes the features support, listing
// the classes it touched.
func (c *classifier) scores(feats []int32, scale float32, logits []float64, touched []bool, list []int32) []int32 {
	for _, f := range feats {
		for _, w := range c.weights[c.offsets[f]:c.offsets[f+1]] {
			if !touched[w.class] {
				touched[w.class] = true
				list = append(list, w.class)
			}
			logits[w.class] += float64(w.w * scale)
		}
	}
	return list
}

// denominator is the softmax normaliser, given the exponentials of the
// logits of the classes touched: every class not touched has logit zero.
func (c *classifier) denominator(exps []float64, list []int32) float64 {
	d := float64(c.classes - len(list))
	for _, cl := range list {
		d += exps[cl]
	}
	return d
}

package knowledge

import (
	"fmt"
	"math"
	"os"
	"strings"
	"testing"
)

// tuneSets are the files the tuning tests fit on: dev.tsv, or the
// comma-separated list in INFLUBOT_TUNE_SET. never-tuned.tsv must never be
// one of them.
func tuneSets(t *testing.T) []evalCase {
	names := []string{"testdata/dev.tsv"}
	if v := os.Getenv("INFLUBOT_TUNE_SET"); v != "" {
		names = strings.Split(v, ",")
	}
	var cases []evalCase
	for _, n := range names {
		if strings.Contains(n, "never-tuned") {
			t.Fatalf("%s is never tuned on", n)
		}
		cases = append(cases, loadCases(t, n)...)
	}
	return cases
}

// TestTune fits the confidence model on the tuning set and prints the
// coefficients for DefaultParams, with the accuracy they give there and, as
// an honest estimate, on each half of the set when fitted on the other
// half. It runs only with INFLUBOT_TUNE=1.
func TestTune(t *testing.T) {
	if os.Getenv("INFLUBOT_TUNE") == "" {
		t.Skip("set INFLUBOT_TUNE=1 to tune")
	}
	kb, err := Load(Embedded())
	if err != nil {
		t.Fatal(err)
	}
	ix := kb.Index
	var cases []evalCase
	for _, c := range tuneSets(t) {
		if _, ok := kb.Entry(c.topic); c.topic == "" || ok {
			cases = append(cases, c)
		}
	}
	sc := ix.newScratch()
	data := func(cases []evalCase) (xs [][numFeatures]float64, ys []float64) {
		for _, c := range cases {
			r := ix.rank(c.question, sc)
			if r.top == nil {
				continue
			}
			y := 0.0
			if c.topic != "" && ix.entries[r.top.entry].ID == c.topic {
				y = 1
			}
			xs = append(xs, r.features())
			ys = append(ys, y)
		}
		return xs, ys
	}
	var halves [2][]evalCase
	for i, c := range cases {
		halves[i%2] = append(halves[i%2], c)
	}
	thresholds := []float64{0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7}
	for k := range halves {
		xs, ys := data(halves[k])
		ix.Params.Calibration = fitLogistic(xs, ys, 1e-3)
		for _, th := range thresholds {
			ix.Params.Threshold = th
			fmt.Printf("fit half %d, test half %d: threshold %.2f  %s\n", k, 1-k, th, evaluate(ix, halves[1-k]).summary())
		}
	}
	xs, ys := data(cases)
	w := fitLogistic(xs, ys, 1e-3)
	fmt.Printf("Calibration: [numFeatures]float64{")
	for i, x := range w {
		if i > 0 {
			fmt.Print(", ")
		}
		fmt.Printf("%.3f", x)
	}
	fmt.Println("},")
	ix.Params.Calibration = w
	for _, th := range thresholds {
		ix.Params.Threshold = th
		fmt.Printf("threshold %.2f  %s\n", th, evaluate(ix, cases).summary())
	}
	// The margin turns narrow wins into "not sure"; tried at the default
	// threshold.
	ix.Params.Threshold = DefaultParams().Threshold
	for _, m := range []float64{0, 0.02, 0.04, 0.06, 0.08, 0.1, 0.15} {
		ix.Params.Margin = m
		fmt.Printf("margin %.2f  %s\n", m, evaluate(ix, cases).summary())
	}
}

// fitLogistic fits weights by gradient descent on the mean log loss with
// L2 penalty lambda (the bias, feature 0, is not penalised).
func fitLogistic(xs [][numFeatures]float64, ys []float64, lambda float64) [numFeatures]float64 {
	var w [numFeatures]float64
	for it := 0; it < 20000; it++ {
		var g [numFeatures]float64
		for i, x := range xs {
			var z float64
			for j := range x {
				z += w[j] * x[j]
			}
			p := 1 / (1 + math.Exp(-z))
			for j := range x {
				g[j] += (p - ys[i]) * x[j]
			}
		}
		for j := range w {
			g[j] /= float64(len(xs))
			if j > 0 {
				g[j] += lambda * w[j]
			}
			w[j] -= 0.5 * g[j]
		}
	}
	return w
}

// TestSignals prints the top-1 accuracy (no threshold) of each signal alone.
func TestSignals(t *testing.T) {
	if os.Getenv("INFLUBOT_TUNE") == "" {
		t.Skip("set INFLUBOT_TUNE=1 to tune")
	}
	kb, err := Load(Embedded())
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"tuning set"} {
		cases := tuneSets(t)
		for _, sig := range []struct {
			name string
			p    Params
		}{
			{"phrasing", Params{Phrasing: 1}},
			{"coverage", Params{Coverage: 1}},
			{"answer", Params{AnswerText: 1}},
			{"meaning", Params{Meaning: 1}},
			{"class", Params{Class: 1}},
			{"default", DefaultParams()},
		} {
			p := sig.p
			p.Candidates, p.TypoWeight, p.Threshold = 50, 0.8, 0
			kb.Index.Params = p
			fmt.Printf("%s %-9s top-1 %.1f%%\n", name, sig.name, top1(kb.Index, cases))
		}
	}
}

func TestRankGrid(t *testing.T) {
	if os.Getenv("INFLUBOT_TUNE") == "" {
		t.Skip("set INFLUBOT_TUNE=1 to tune")
	}
	kb, err := Load(Embedded())
	if err != nil {
		t.Fatal(err)
	}
	cases := tuneSets(t)
	for _, ph := range []float64{0, 0.1, 0.3} {
		for _, an := range []float64{0, 0.1} {
			for _, mn := range []float64{0, 0.1, 0.3} {
				for _, cl := range []float64{0, 0.1, 0.3, 0.6} {
					kb.Index.Params = Params{Coverage: 1, Phrasing: ph, AnswerText: an, Meaning: mn, Class: cl, MeaningFloor: 0.4, Candidates: 12, TypoWeight: 0.8}
					fmt.Printf("ph=%.1f ans=%.1f mean=%.1f class=%.1f  top-1 %.1f\n", ph, an, mn, cl, top1(kb.Index, cases))
				}
			}
		}
	}
}

// top1 is the percentage of in-scope cases whose best entry is right,
// whatever the confidence.
func top1(ix *Index, cases []evalCase) float64 {
	right, n := 0, 0
	for _, c := range cases {
		if c.topic == "" {
			continue
		}
		n++
		if m := ix.Search(c.question); m.Entry != nil && m.Entry.ID == c.topic {
			right++
		}
	}
	return 100 * float64(right) / float64(max(n, 1))
}

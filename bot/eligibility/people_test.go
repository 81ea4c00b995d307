package eligibility

import (
	"bufio"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestPeopleTypeTheirNumbers runs the checks in testdata/people.tsv,
// written without looking at the parser by someone typing as creators do
// (typos, filler words, monthly rhythms, impossible numbers). The parser
// is not tuned on these lines one by one: a failure here points at a
// general gap.
func TestPeopleTypeTheirNumbers(t *testing.T) {
	f, err := os.Open("testdata/people.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rules := testRules(t)
	sc := bufio.NewScanner(f)
	sc.Scan() // header
	passed, total := 0, 0
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		for len(cols) < 9 {
			cols = append(cols, "")
		}
		text, wantErr := cols[0], cols[8] == "yes"
		total++
		ok := t.Run(text, func(t *testing.T) {
			in, err := ParseFreeText(text)
			if err == nil {
				_, err = Check(in, rules)
			}
			if wantErr {
				if err == nil {
					t.Errorf("accepted %+v; want it refused", in)
				}
				return
			}
			if err != nil {
				t.Fatalf("refused: %v", err)
			}
			if in.Platform != cols[1] {
				t.Errorf("platform %q, want %q", in.Platform, cols[1])
			}
			for i, c := range []struct {
				name string
				got  *float64
			}{{"followers", in.Followers}, {"likes", in.Likes}, {"comments", in.Comments}, {"views", in.Views}, {"posts_per_week", in.PostsPerWeek}} {
				want := cols[2+i]
				switch {
				case want == "" && c.got != nil:
					t.Errorf("%s = %v, but the text gives none", c.name, *c.got)
				case want == "":
				case c.got == nil:
					t.Errorf("%s missing, want %s", c.name, want)
				default:
					w, _ := strconv.ParseFloat(want, 64)
					if math.Abs(*c.got-w) > 0.01 {
						t.Errorf("%s = %v, want %v", c.name, *c.got, w)
					}
				}
			}
			if want := cols[7]; !strings.Contains(strings.ToLower(in.Niche), want) {
				t.Errorf("niche %q, want one containing %q", in.Niche, want)
			}
		})
		if ok {
			passed++
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d of %d checks read as meant", passed, total)
}

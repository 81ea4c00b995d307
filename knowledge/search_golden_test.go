package knowledge

import (
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

var updateGolden = flag.Bool("update", false, "rewrite testdata/search.golden from the current search")

// goldenQuestions are every question of every evaluation set, with the
// benchmark's and a few edge cases, each named by file and line.
func goldenQuestions(t testing.TB) (names, questions []string) {
	t.Helper()
	files, err := filepath.Glob("testdata/*.tsv")
	if err != nil {
		t.Fatal(err)
	}
	legacy, err := filepath.Glob("testdata/legacy/*.tsv")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range append(files, legacy...) {
		for _, c := range loadCases(t, f) {
			names = append(names, f+":"+strconv.Itoa(c.line))
			questions = append(questions, c.question)
		}
	}
	for i, q := range append(append([]string{}, benchQuestions...), "", "?", "   ", "the and of", "amazon", "storefrnt!!", "zzzz qqqq") {
		names = append(names, "extra:"+strconv.Itoa(i))
		questions = append(questions, q)
	}
	return names, questions
}

// describe writes every field of m exactly: floats as hexadecimal, so a
// change in the last bit shows.
func describe(m Match) string {
	id := func(e *Entry) string {
		if e == nil {
			return "-"
		}
		return e.ID
	}
	var sugg []string
	for _, e := range m.Suggestions {
		sugg = append(sugg, id(e))
	}
	flags := ""
	for _, f := range []struct {
		on bool
		c  string
	}{{m.Answered, "A"}, {m.OffTopic, "O"}, {m.Ambiguous, "M"}} {
		if f.on {
			flags += f.c
		}
	}
	return strings.Join([]string{id(m.Entry), strconv.FormatFloat(m.Confidence, 'x', -1, 64), flags,
		id(m.RunnerUp), strconv.FormatFloat(m.Margin, 'x', -1, 64), strings.Join(sugg, ",")}, "\t")
}

// goldenSearch searches every golden question on the shipped index, and
// the development set's and the extra ones on a generated index of 2,000
// entries, in one text.
func goldenSearch(shipped, generated *Index, names, questions []string) string {
	var sb strings.Builder
	for i, q := range questions {
		fmt.Fprintf(&sb, "shipped %s\t%s\n", names[i], describe(shipped.Search(q)))
	}
	for i, q := range questions {
		if strings.HasPrefix(names[i], "testdata/dev.tsv:") || strings.HasPrefix(names[i], "extra:") {
			fmt.Fprintf(&sb, "2000 %s\t%s\n", names[i], describe(generated.Search(q)))
		}
	}
	return sb.String()
}

// sameResult reports whether two lines of describe output agree: floats
// within 1e-12 (platforms that fuse multiply-adds may differ in the last
// bits), everything else exactly. exact reports a bit-for-bit match.
func sameResult(got, want string) (same, exact bool) {
	if got == want {
		return true, true
	}
	gf, wf := strings.Split(got, "\t"), strings.Split(want, "\t")
	if len(gf) != len(wf) {
		return false, false
	}
	for i := range gf {
		if gf[i] == wf[i] {
			continue
		}
		g, err1 := strconv.ParseFloat(gf[i], 64)
		w, err2 := strconv.ParseFloat(wf[i], 64)
		if err1 != nil || err2 != nil || math.Abs(g-w) > 1e-12 {
			return false, false
		}
	}
	return true, false
}

// TestSearchGolden holds the search to the results recorded in
// testdata/search.golden (within 1e-12, and bit for bit on amd64), so that making the search faster
// cannot change what it answers: searched once, again (remembered by the
// cache) and without the cache. A deliberate change to scoring rewrites
// the file with `go test ./knowledge -run TestSearchGolden -update`, and
// the diff shows what changed.
func TestSearchGolden(t *testing.T) {
	kb, err := Load(Embedded())
	if err != nil {
		t.Fatal(err)
	}
	generated := generatedBase(t, 2000)
	names, questions := goldenQuestions(t)
	got := goldenSearch(kb.Index, generated, names, questions)
	const file = "testdata/search.golden"
	if *updateGolden {
		if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	compare := func(what, got string) {
		t.Helper()
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		if len(gl) != len(wl) {
			t.Fatalf("%s: %d lines, golden has %d", what, len(gl), len(wl))
		}
		bad, inexact := 0, 0
		for i := range gl {
			same, exact := sameResult(gl[i], wl[i])
			if !same {
				if bad++; bad <= 10 {
					t.Errorf("%s:\n got  %s\n want %s", what, gl[i], wl[i])
				}
			} else if !exact {
				inexact++
			}
		}
		if bad > 0 {
			t.Errorf("%s: %d of %d results differ from %s. A change to the search's speed must change none; "+
				"after a deliberate change to the knowledge or the scoring, rewrite the file with "+
				"`go test ./knowledge -run TestSearchGolden -update` and review its diff", what, bad, len(gl)-1, file)
		}
		t.Logf("%s: %d results, %d within 1e-12 but not bit for bit", what, len(gl)-1, inexact)
		// The file was written on amd64, which fuses no multiply-adds:
		// there every bit must match.
		if inexact > 0 && runtime.GOARCH == "amd64" {
			t.Errorf("%s: %d results are not bit for bit those of %s", what, inexact, file)
		}
	}
	compare("first search", got)
	compare("second search (remembered)", goldenSearch(kb.Index, generated, names, questions))
	kb.Index.noCache, generated.noCache = true, true
	compare("search without the cache", goldenSearch(kb.Index, generated, names, questions))
}

package knowledge

import (
	"bufio"
	"errors"
	"io/fs"
	"os"
	"strings"
	"testing"
)

type evalCase struct {
	topic, question string
	line            int
}

// loadCases reads a TSV of "topic<TAB>question" lines (an empty topic is an
// off-topic question that must be declined). The first line is a header;
// blank lines and lines starting with # are skipped.
func loadCases(t testing.TB, name string) []evalCase {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []evalCase
	sc := bufio.NewScanner(f)
	line := 0
	for sc.Scan() {
		line++
		s := sc.Text()
		if line == 1 || strings.TrimSpace(s) == "" || strings.HasPrefix(s, "#") {
			continue
		}
		topic, q, ok := strings.Cut(s, "\t")
		if !ok {
			t.Fatalf("%s:%d: no tab", name, line)
		}
		cases = append(cases, evalCase{topic: strings.TrimSpace(topic), question: q, line: line})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return cases
}

// confidentlyWrong is the confidence above which a wrong answer counts as
// a confident one: the kind a user has no reason to doubt.
const confidentlyWrong = 0.9

// evalScore is what `influbot ask --json` would give on a set: the topic
// counts only when the bot answered.
type evalScore struct {
	inScope, inRight, off, offRight int
	notSure                         int // in-scope questions answered "not sure" (with suggestions)
	wrong, wrongConfident           int // answers given with the wrong topic (or to an off-topic question)
	misses                          []string
}

func (s evalScore) inAcc() float64       { return float64(s.inRight) / float64(max(s.inScope, 1)) }
func (s evalScore) offAcc() float64      { return float64(s.offRight) / float64(max(s.off, 1)) }
func (s evalScore) notSureRate() float64 { return float64(s.notSure) / float64(max(s.inScope, 1)) }

func (s evalScore) summary() string {
	return strings.Join([]string{
		"in-scope " + itoa(s.inRight) + "/" + itoa(s.inScope) + " right (" + pct(s.inAcc()) + ")",
		"off-topic " + itoa(s.offRight) + "/" + itoa(s.off) + " declined (" + pct(s.offAcc()) + ")",
		"not sure " + pct(s.notSureRate()) + " of in-scope",
		"wrong answers " + itoa(s.wrong) + ", " + itoa(s.wrongConfident) + " with confidence > 0.9",
	}, "; ")
}

func evaluate(ix *Index, cases []evalCase) evalScore {
	var s evalScore
	for _, c := range cases {
		m := ix.Search(c.question)
		got := ""
		if m.Answered {
			got = m.Entry.ID
		}
		if c.topic == "" {
			s.off++
		} else {
			s.inScope++
			if !m.Answered && len(m.Suggestions) > 0 {
				s.notSure++
			}
		}
		if got == c.topic {
			if c.topic == "" {
				s.offRight++
			} else {
				s.inRight++
			}
			continue
		}
		if got != "" {
			s.wrong++
			if m.Confidence > confidentlyWrong {
				s.wrongConfident++
			}
		}
		best := ""
		if m.Entry != nil {
			best = m.Entry.ID
		}
		s.misses = append(s.misses, strings.Join([]string{"want=" + orNone(c.topic), "got=" + orNone(got), "best=" + orNone(best), "conf=" + ftoa(m.Confidence), c.question}, "  "))
	}
	return s
}

func orNone(s string) string {
	if s == "" {
		return `""`
	}
	return s
}

func ftoa(f float64) string { return strings.TrimRight(strings.TrimRight(strconvF(f), "0"), ".") }

// evalSets are the evaluation sets with the accuracy each must keep.
// dev.tsv and never-tuned.tsv were written for this purpose by someone who
// had not seen the entries' phrasings, in the voices creators use (long
// posts, agency managers, slang, typos, emoji, non-native English,
// voice-to-text, fragments) with off-topic questions that borrow the
// program's words. dev.tsv is the one tuning looks at (the confidence model
// is fitted on it); never-tuned.tsv is never tuned on and its misses are
// never printed: its figures are what to expect from questions nobody has
// seen. The legacy sets are older ones, tuned on over many rounds, kept as
// a regression check. dev2.tsv and never-tuned-2.tsv are a second pair written blind
// the same way (dev2 tuned on, never-tuned-2 never). The probe sets were written by the engineer
// tuning the matcher, to probe what the others had too little of: probe.tsv
// look-alikes about other creator programs, Amazon services and trades,
// with in-scope fragments, voice-to-text and non-native English;
// probe-names*.tsv names of other programs, apps, services and careers.
// They are tuned on.
var evalSets = []struct {
	name       string
	bar        float64 // minimum right-topic and declined share
	showMisses bool
}{
	{"testdata/dev.tsv", 0.92, true},
	{"testdata/dev2.tsv", 0.92, true},
	{"testdata/never-tuned.tsv", 0.86, false},
	{"testdata/never-tuned-2.tsv", 0.85, false},
	{"testdata/never-tuned-3.tsv", 0.92, false},
	{"testdata/probe.tsv", 0.92, true},
	{"testdata/probe-names.tsv", 0.92, true},
	{"testdata/probe-names-2.tsv", 0.88, true},
	{"testdata/legacy/eval.tsv", 0.88, true},
	{"testdata/legacy/holdout.tsv", 0.88, true},
	{"testdata/legacy/final.tsv", 0.88, true},
}

// TestEvalSet measures answer accuracy on questions that appear in no
// entry, as `influbot ask --json` would give them.
func TestEvalSet(t *testing.T) {
	kb, err := Load(Embedded())
	if err != nil {
		t.Fatal(err)
	}
	for _, set := range evalSets {
		t.Run(set.name, func(t *testing.T) {
			if _, err := os.Stat(set.name); errors.Is(err, fs.ErrNotExist) {
				t.Skipf("%s is not there yet", set.name)
			}
			cases := loadCases(t, set.name)
			for _, c := range cases {
				if _, ok := kb.Entry(c.topic); c.topic != "" && !ok {
					t.Fatalf("%s:%d: unknown topic %q", set.name, c.line, c.topic)
				}
			}
			s := evaluate(kb.Index, cases)
			t.Log(s.summary())
			if testing.Verbose() && set.showMisses {
				for _, m := range s.misses {
					t.Log("miss: " + m)
				}
			}
			if s.off < 20 {
				t.Errorf("%d off-topic questions, want at least 20", s.off)
			}
			// The probe-names sets are off-topic only.
			if s.inScope > 0 && s.inAcc() < set.bar || s.offAcc() < set.bar {
				t.Errorf("accuracy below the %.0f%% bar: in-scope %s, off-topic %s", 100*set.bar, pct(s.inAcc()), pct(s.offAcc()))
			}
		})
	}
}

// TestEvalFile scores any question file named by INFLUBOT_EVAL (same
// format), printing its misses; questions for unknown topics are skipped.
// It is for trying out new phrasings without adding them to a set.
func TestEvalFile(t *testing.T) {
	name := os.Getenv("INFLUBOT_EVAL")
	if name == "" {
		t.Skip("set INFLUBOT_EVAL=file.tsv to score a question file")
	}
	kb, err := Load(Embedded())
	if err != nil {
		t.Fatal(err)
	}
	var cases []evalCase
	for _, c := range loadCases(t, name) {
		if _, ok := kb.Entry(c.topic); c.topic == "" || ok {
			cases = append(cases, c)
		}
	}
	s := evaluate(kb.Index, cases)
	for _, m := range s.misses {
		t.Log("miss: " + m)
	}
	t.Log(s.summary())
}

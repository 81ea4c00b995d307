package bot

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// lexiconInputs returns messages creators type: the development sets'
// questions and every user line of the conversation suites.
func lexiconInputs(tb testing.TB) []string {
	tb.Helper()
	var out []string
	read := func(name string, line func(string)) {
		f, err := os.Open(name)
		if err != nil {
			tb.Fatal(err)
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			line(sc.Text())
		}
		if err := sc.Err(); err != nil {
			tb.Fatal(err)
		}
	}
	for _, name := range []string{"../knowledge/testdata/dev.tsv", "../knowledge/testdata/dev2.tsv"} {
		read(name, func(l string) {
			if _, q, ok := strings.Cut(l, "\t"); ok && !strings.HasPrefix(l, "#") {
				out = append(out, q)
			}
		})
	}
	for _, dir := range []string{"conversations", "conversations-fresh", "conversations-heldout"} {
		files, _ := filepath.Glob(filepath.Join("testdata", dir, "*.txt"))
		for _, f := range files {
			read(f, func(l string) {
				if t, ok := strings.CutPrefix(strings.TrimSpace(l), "> "); ok {
					out = append(out, t)
				}
			})
		}
	}
	if len(out) < 100 {
		tb.Fatalf("only %d inputs", len(out))
	}
	return out
}

// readQuestion does the conversation layer's reading of a free-text
// message that ends up as an FAQ question, as one request does it: the
// adapter's Invoked, converse's moves before the FAQ, and Ask's courtesy
// check. (Before the message was read once per request, the same work
// took 27.7 µs and 91 allocations a message.)
func readQuestion(l *lexicon, text string) {
	l.plainCommandName(normalize(text)) // Invoked, for Private
	msg := l.read(normalize(text))
	l.optOutOf(msg)
	if kind, _ := l.answerOf(msg); kind != "" {
		l.phraseOf(msg)
	}
	for _, pc := range l.commands {
		pc.re.submatchRead(msg)
	}
	l.followUp.submatchRead(msg)
	l.intentOf(msg)
	l.courtesy.FindStringIndex(text)
	_ = len(msg.all) // answerWithPrior
	l.phraseOf(msg)  // Ask
}

func BenchmarkReadQuestion(b *testing.B) {
	l := newLexicon()
	in := lexiconInputs(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		readQuestion(l, in[i%len(in)])
	}
}

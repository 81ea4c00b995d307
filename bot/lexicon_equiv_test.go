package bot

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// equivInputs are the messages the faster lexicon is checked on: what
// creators type (lexiconInputs), every phrase the lexicon knows, and
// random changes of both: typos, doubled letters, capitals, punctuation,
// emoji, letters beyond ASCII, courtesies around them.
func equivInputs(tb testing.TB) []string {
	in := lexiconInputs(tb)
	for _, st := range smallTalk {
		in = append(in, st.phrases...)
	}
	in = append(in, yesPhrases...)
	in = append(in, noPhrases...)
	in = append(in, optOutPhrases...)
	in = append(in, distressWords...)
	in = append(in, "snooze 1 2h", "remind me to post every day at 7pm", "i did the bio task", "the bio task is done",
		"what about tiktok?", "and on kitchen stuff?", "how about $200", "please delete all of my data please",
		"get rid of my task list", "what do i need to do today", "ＫＫ", "K\u212a", "\xff\xfeok", "İstanbul THANKS", "a\xc3", "’sup‘", "--..hi..--", "a  \t b", "thaaanks", "ſtop", "héllo", "naïve",
		"", " ", "...", "👍", "🙏🙏", "ok 👍 thanks", "yes yes", "stop stop stop", "turn my notifications off",
		"no longer want reminders", "why did my reminders stop", "do not send me messages")
	r := rand.New(rand.NewPCG(14, 2026))
	letters := []rune("abcdefghijklmnopqrstuvwxyz éü'’.,!?-:")
	typo := func(s string) string {
		rs := []rune(s)
		if len(rs) == 0 {
			return s
		}
		i := r.IntN(len(rs))
		switch r.IntN(5) {
		case 0: // insert
			rs = slices.Insert(rs, i, letters[r.IntN(len(letters))])
		case 1: // delete
			rs = slices.Delete(rs, i, i+1)
		case 2: // substitute
			rs[i] = letters[r.IntN(len(letters))]
		case 3: // swap neighbours
			if i+1 < len(rs) {
				rs[i], rs[i+1] = rs[i+1], rs[i]
			}
		case 4: // draw out
			rs = slices.Insert(rs, i, rs[i], rs[i])
		}
		return string(rs)
	}
	around := []string{"ok ", "thanks! ", "hey ", "and ", "so ", "please ", " please", " thanks", " 🙏", " bro", "?", "!!", " now", " lol"}
	n := len(in)
	for k := 0; k < 12; k++ {
		for _, s := range in[:n] {
			v := s
			for m := r.IntN(3); m >= 0; m-- {
				v = typo(v)
			}
			switch r.IntN(4) {
			case 0:
				v = around[r.IntN(len(around))] + v
			case 1:
				v += around[r.IntN(len(around))]
			case 2:
				v = strings.ToUpper(v)
			}
			in = append(in, v)
		}
	}
	return in
}

// TestLexiconMatchesReference checks that the conversation layer reads
// every message as the lexicon before its speed-up did (lexicon_ref_test.go).
func TestLexiconMatchesReference(t *testing.T) {
	l, ref := newLexicon(), newRefLexicon()
	in := equivInputs(t)
	for _, text := range in {
		checkLexicon(t, l, ref, text)
	}
	t.Logf("%d messages", len(in))
}

func FuzzLexiconMatchesReference(f *testing.F) {
	for _, s := range equivInputs(f)[:300] {
		f.Add(s)
	}
	l, ref := newLexicon(), newRefLexicon()
	f.Fuzz(func(t *testing.T, text string) { checkLexicon(t, l, ref, text) })
}

func checkLexicon(t *testing.T, l *lexicon, ref *refLexicon, text string) {
	t.Helper()
	norm := normalize(text)
	if want := refNormalize(text); norm != want {
		t.Fatalf("normalize(%q) = %q, want %q", text, norm, want)
	}
	// HandleInvoked's reading of the request's text serves converse,
	// which reads the text trimmed.
	if trimmed := normalize(strings.TrimSpace(text)); trimmed != norm {
		t.Fatalf("normalize(TrimSpace(%q)) = %q, want %q", text, trimmed, norm)
	}
	same := func(what string, got, want any) {
		t.Helper()
		if !equalAny(got, want) {
			t.Fatalf("%s of %q (normalised %q) = %#v, want %#v", what, text, norm, got, want)
		}
	}
	same("words", l.words(norm, false), ref.words(norm, false))
	same("words without filler", l.words(norm, true), ref.words(norm, true))
	same("smallTalkPhrase", l.smallTalkPhrase(norm), ref.smallTalkPhrase(norm))
	same("smallTalkIntent", l.smallTalkIntent(norm), ref.smallTalkIntent(norm))
	same("isOptOut", l.isOptOut(norm), ref.isOptOut(norm))
	same("plainCommandName", l.plainCommandName(norm), ref.plainCommandName(norm))
	kind, nums := l.answerKind(norm)
	wantKind, wantNums := ref.answerKind(norm)
	same("answerKind", kind, wantKind)
	same("answerKind numbers", nums, wantNums)
	// One reading asked everything, in the order converse asks.
	r := l.read(norm)
	same("optOutOf", l.optOutOf(r), ref.isOptOut(norm))
	k2, n2 := l.answerOf(r)
	same("answerOf", k2, wantKind)
	same("answerOf numbers", n2, wantNums)
	same("phraseOf", l.phraseOf(r), ref.smallTalkPhrase(norm))
	same("commandOf", l.commandOf(r), ref.plainCommandName(norm))
	same("intentOf", l.intentOf(r), ref.smallTalkIntent(norm))
	for i, pc := range l.commands {
		same("command pattern "+pc.command, pc.re.FindStringSubmatch(norm), ref.commands[i].re.FindStringSubmatch(norm))
		same("command match "+pc.command, pc.re.MatchString(norm), ref.commands[i].re.MatchString(norm))
	}
	for i, pc := range l.commands {
		same("command pattern (read) "+pc.command, pc.re.submatchRead(l.read(norm)), ref.commands[i].re.FindStringSubmatch(norm))
		same("command match (read) "+pc.command, pc.re.matchRead(l.read(norm)), ref.commands[i].re.MatchString(norm))
	}
	same("followUp", l.followUp.FindStringSubmatch(norm), ref.followUp.FindStringSubmatch(norm))
	same("followUp (read)", l.followUp.submatchRead(r), ref.followUp.FindStringSubmatch(norm))
	same("remindWhen", l.remindWhen.FindStringIndex(norm), ref.remindWhen.FindStringIndex(norm))
	same("courtesy", l.courtesy.FindStringIndex(text), ref.courtesy.FindStringIndex(text))
	ws := strings.Fields(norm)
	for i := 0; i+1 < len(ws) && i < 6; i++ {
		same("editDistance1 "+ws[i]+" "+ws[i+1], editDistance1(ws[i], ws[i+1]), refEditDistance1(ws[i], ws[i+1]))
		same("wordsMatch "+ws[i]+" "+ws[i+1], wordsMatch(ws[i], ws[i+1]), refWordsMatch(ws[i], ws[i+1]))
	}
}

func equalAny(a, b any) bool {
	switch x := a.(type) {
	case []string:
		y := b.([]string)
		return len(x) == len(y) && slices.Equal(x, y) && (x == nil) == (y == nil)
	case []int:
		y := b.([]int)
		return slices.Equal(x, y) && (x == nil) == (y == nil)
	}
	return a == b
}

// TestEditDistance1MatchesReference compares the two over pairs of words
// one or two random edits apart, in ASCII and beyond.
func TestEditDistance1MatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 4))
	alphabet := []rune("abcdeé")
	word := func() []rune {
		w := make([]rune, 1+r.IntN(7))
		for i := range w {
			w[i] = alphabet[r.IntN(3+r.IntN(4))]
		}
		return w
	}
	for i := 0; i < 200000; i++ {
		a, b := word(), word()
		if r.IntN(2) == 0 {
			b = slices.Clone(a)
			for e := r.IntN(3); e >= 0; e-- {
				j := r.IntN(len(b) + 1)
				switch r.IntN(4) {
				case 0:
					b = slices.Insert(b, j, alphabet[r.IntN(len(alphabet))])
				case 1:
					if j < len(b) {
						b = slices.Delete(b, j, j+1)
					}
				case 2:
					if j < len(b) {
						b[j] = alphabet[r.IntN(len(alphabet))]
					}
				case 3:
					if j+1 < len(b) {
						b[j], b[j+1] = b[j+1], b[j]
					}
				}
			}
		}
		if got, want := editDistance1(string(a), string(b)), refEditDistance1(string(a), string(b)); got != want {
			t.Fatalf("editDistance1(%q, %q) = %v, want %v", string(a), string(b), got, want)
		}
	}
}

package bot

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp/syntax"
	"slices"
	"strings"
	"testing"
)

func TestRequiredStrings(t *testing.T) {
	for _, tc := range []struct {
		expr string
		want []string // nil: no first look
	}{
		{`^what if`, []string{"what if"}},
		{`^(?:so |ok )?what if i (?:had|got) \d`, []string{"what if i had ", "what if i got "}},
		{`\b(?:every|each)\b`, []string{"every", "each"}},
		{`(?i)^check`, nil}, // case-folded: not spelled out
		{`^(?:a|b)?$`, nil}, // the empty string matches
		{`^\d+ (?:days|weeks)$`, []string{" days", " weeks"}},
		{`x*`, nil},
		{`(?:abc)+`, []string{"abc"}},
		{`^(?:what|how)\b.*\b(?:earn|make)\b`, []string{"earn", "make"}},
	} {
		re, err := syntax.Parse(tc.expr, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		got := minimal(required(re.Simplify()))
		slices.Sort(got)
		want := slices.Clone(tc.want)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("required(%q) = %q, want %q", tc.expr, got, want)
		}
	}
}

// packagePatterns are the expressions with a first look that the core runs
// on messages.
func packagePatterns() map[string]*pattern {
	ps := map[string]*pattern{
		"whatIf": whatIf, "hypotheticalLead": hypotheticalLead, "clauseEnd": clauseEnd, "noCheckWhatIf": noCheckWhatIf,
		"aboutNiche": aboutNiche, "introLead": introLead, "mentionRE": mentionRE, "commissionMoney": commissionMoney,
		"commissionAsk": commissionAsk, "commissionAskAfter": commissionAskAfter, "commissionCount": commissionCount,
		"commissionPayment": commissionPayment, "commissionOn": commissionOn, "rateOf": rateOf, "salesPeriod": salesPeriod,
		"anyPeriod": anyPeriod, "commissionPerPeriod": commissionPerPeriod, "commissionNot": commissionNot,
		"durationRE": durationRE, "acceptedNews": acceptedNews, "checkLead": checkLead, "acceptedAsk": acceptedAsk,
		"ratePercent": ratePercent, "captionAsk": captionAsk, "captionRevised": captionRevised, "lintFixAsk": lintFixAsk,
		"remindOnce": remindOnce, "recurring": recurring, "weekdayPart": weekdayPart, "onMonthDay": onMonthDay,
		"accountSplit": accountSplit,
	}
	l := newLexicon()
	ps["followUp"], ps["remindWhen"] = l.followUp, l.remindWhen
	for i, pc := range l.commands {
		ps["plain "+pc.command+" "+string(rune('a'+i))] = pc.re
	}
	return ps
}

// userLines are messages users sent in the scripted conversations, as
// typed and as the core reads them.
func userLines(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "conversations", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no conversations: %v", err)
	}
	var lines []string
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		for sc.Scan() {
			if s, ok := strings.CutPrefix(sc.Text(), "> "); ok {
				lines = append(lines, s, normalize(s))
			}
		}
		fh.Close()
	}
	return lines
}

// The first look never turns away a string the expression matches, for
// the messages of every scripted conversation and for the strings made of
// each pattern's own needles.
func TestPatternFirstLookKeepsEveryMatch(t *testing.T) {
	lines := userLines(t)
	lex := newLexicon()
	matched := 0
	for name, p := range packagePatterns() {
		probe := slices.Clone(lines)
		for _, n := range p.need {
			probe = append(probe, n, "so "+n+" 3 days", n+" 12k followers")
		}
		for _, s := range probe {
			if !p.Regexp.MatchString(s) {
				continue
			}
			matched++
			if !p.may(s) {
				t.Errorf("%s: the first look turns away %q, which the expression matches", name, s)
			}
			if r := lex.read(s); r.norm == s && !p.mayRead(r) {
				t.Errorf("%s: the first look of a read message turns away %q", name, s)
			}
		}
	}
	if matched < 200 {
		t.Errorf("only %d matches were tried: the probe is too thin to say anything", matched)
	}
}

func FuzzPatternFirstLook(f *testing.F) {
	for _, s := range []string{"what if i had 20k", "remind me in 3 days to reapply", "$40 of beauty", "i did the bio task", "ok lets do a check: tiktok 5k"} {
		f.Add(s)
	}
	ps := packagePatterns()
	f.Fuzz(func(t *testing.T, s string) {
		for name, p := range ps {
			if p.Regexp.MatchString(s) && !p.may(s) {
				t.Errorf("%s: the first look turns away %q", name, s)
			}
		}
	})
}

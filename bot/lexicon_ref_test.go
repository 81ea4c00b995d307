package bot

// The conversation layer's reading of words as it was before it was made
// faster (lexicon.go at commit d685ebd), kept to check that the faster one
// answers the same: see lexicon_equiv_test.go.

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// The conversation layer's reading of words: normalising a message,
// matching it against the phrase lists of intents.go with typos allowed,
// and classifying answers and opt-outs. No I/O and no context.

// refPhraseSet is a list of phrases split into words, for matching.
type refPhraseSet [][]string

func newRefPhraseSet(phrases []string) refPhraseSet {
	s := make(refPhraseSet, len(phrases))
	for i, p := range phrases {
		s[i] = strings.Fields(p)
	}
	return s
}

// match reports whether words are one of the phrases, allowing one typo in
// words of four letters or more.
func (s refPhraseSet) match(words []string) bool {
	for _, p := range s {
		if len(p) != len(words) {
			continue
		}
		ok := true
		for i := range p {
			if !refWordsMatch(words[i], p[i]) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

func refWordsMatch(got, want string) bool {
	if got == want {
		return true
	}
	if len(want) == 3 && len(got) == 3 {
		// Three letters allow only a swap of neighbours ("yuo").
		return (got[0] == want[0] && got[1] == want[2] && got[2] == want[1]) || (got[2] == want[2] && got[0] == want[1] && got[1] == want[0])
	}
	return len(want) >= 4 && len(got) >= 4 && refEditDistance1(got, want)
}

// refEditDistance1 reports whether a and b are at most one edit apart
// (insert, delete, substitute, or swap two neighbours).
func refEditDistance1(a, b string) bool {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > 1 || d < -1 {
		return false
	}
	if len(ra) == len(rb) {
		var diff []int
		for i := range ra {
			if ra[i] != rb[i] {
				diff = append(diff, i)
			}
		}
		switch len(diff) {
		case 0, 1:
			return true
		case 2:
			i, j := diff[0], diff[1]
			return j == i+1 && ra[i] == rb[j] && ra[j] == rb[i]
		}
		return false
	}
	if len(ra) < len(rb) {
		ra, rb = rb, ra
	}
	for i := range rb {
		if ra[i] != rb[i] {
			return string(ra[i+1:]) == string(rb[i:])
		}
	}
	return true
}

// refLexicon is the conversation layer's compiled phrase lists, built once per
// Bot.
type refLexicon struct {
	smallTalk []struct {
		intent string
		set    refPhraseSet
	}
	distress map[string]bool
	filler   map[string]bool
	yes, no  refPhraseSet
	optOut   refPhraseSet
	optVerbs [][]string
	optSplit map[string]bool
	optBare  map[string]bool
	optAlone map[string]bool
	// courtesyVocab holds the words of the courtesy intents' phrases and
	// courtesyKey their one-word phrases, for smallTalkBag.
	courtesyVocab map[string]bool
	courtesyKey   map[string]string
	optObjects    map[string]bool
	optNotQ       map[string]bool
	courtesy      *regexp.Regexp
	commands      []struct {
		command string
		re      *regexp.Regexp
	}
	taskStop    map[string]bool
	followUp    *regexp.Regexp
	remindWhen  *regexp.Regexp
	freeAnswers map[string]*regexp.Regexp
}

func newRefLexicon() *refLexicon {
	set := func(words []string) map[string]bool {
		m := make(map[string]bool, len(words))
		for _, w := range words {
			m[w] = true
		}
		return m
	}
	l := &refLexicon{
		distress:    set(distressWords),
		filler:      set(fillerWords),
		yes:         newRefPhraseSet(yesPhrases),
		no:          newRefPhraseSet(noPhrases),
		optOut:      newRefPhraseSet(optOutPhrases),
		optVerbs:    optOutVerbs,
		optSplit:    set(optOutSplitVerbs),
		optBare:     set(optOutBare),
		optAlone:    set(optOutAlone),
		optObjects:  set(optOutObjects),
		optNotQ:     set(optOutNotQuestions),
		courtesy:    regexp.MustCompile(`(?i)` + courtesyLead),
		taskStop:    set(taskStopWords),
		followUp:    regexp.MustCompile(followUpPattern),
		remindWhen:  regexp.MustCompile(remindWhen),
		freeAnswers: map[string]*regexp.Regexp{},
	}
	l.courtesyVocab, l.courtesyKey = map[string]bool{}, map[string]string{}
	for _, st := range smallTalk {
		if slices.Contains(courtesyOrder, st.intent) {
			for _, p := range st.phrases {
				ws := strings.Fields(p)
				for _, w := range ws {
					l.courtesyVocab[w] = true
				}
				if _, seen := l.courtesyKey[p]; len(ws) == 1 && !seen {
					l.courtesyKey[p] = st.intent
				}
			}
		}
		l.smallTalk = append(l.smallTalk, struct {
			intent string
			set    refPhraseSet
		}{st.intent, newRefPhraseSet(st.phrases)})
	}
	for name, pattern := range freeAnswers {
		l.freeAnswers[name] = regexp.MustCompile(pattern)
	}
	for _, pc := range plainCommands {
		l.commands = append(l.commands, struct {
			command string
			re      *regexp.Regexp
		}{pc.command, regexp.MustCompile(pc.pattern)})
	}
	return l
}

// refNormalize lower-cases s, drops apostrophes, turns other punctuation
// (except what numbers, times and zones use) into spaces, squeezes letters
// repeated three times or more ("thanksss") and collapses spaces.
func refNormalize(s string) string {
	var sb strings.Builder
	var last rune
	run := 0
	for _, r := range strings.ToLower(s) {
		switch {
		case r == '\'' || r == '’' || r == '‘':
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("$.:/+-_%", r):
		default:
			if w, ok := emojiWords[r]; ok {
				sb.WriteString(" " + w + " ")
				last, run = ' ', 0
				continue
			}
			r = ' '
		}
		if r == last && unicode.IsLetter(r) {
			run++
			if run >= 2 {
				continue
			}
		} else {
			run = 0
		}
		last = r
		sb.WriteRune(r)
	}
	return strings.Join(strings.Fields(strings.Trim(sb.String(), " .:-")), " ")
}

// words splits a normalised message into its words (letters and digits
// only), leaving out filler when dropFiller is set.
func (l *refLexicon) words(norm string, dropFiller bool) []string {
	var out []string
	for _, w := range strings.FieldsFunc(norm, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if (dropFiller && l.filler[w]) || (len(out) > 0 && out[len(out)-1] == w) {
			continue // filler, or a word said twice ("thanks 🙏", "yes yes")
		}
		out = append(out, w)
	}
	return out
}

// smallTalkPhrase names the small-talk intent whose phrase the whole
// message is, "" for none.
func (l *refLexicon) smallTalkPhrase(norm string) string {
	all := l.words(norm, false)
	if len(all) == 0 {
		return ""
	}
	ws := l.words(norm, true)
	// The whole message before its words without fillers ("ok and then"
	// is "and then", not "ok").
	for _, st := range l.smallTalk {
		if st.set.match(all) {
			return st.intent
		}
	}
	for _, st := range l.smallTalk {
		if len(ws) > 0 && st.set.match(ws) {
			return st.intent
		}
	}
	if intent := l.smallTalkBag(ws); intent != "" {
		return intent
	}
	if intent := l.courtesyChain(ws); intent != "" {
		return intent
	}
	// Drawn-out words ("hiii", "heyy", "thankss"): refNormalize keeps two
	// of a repeated letter, which short words do not survive; try them
	// with every doubled letter single, as a last resort so "good" and
	// "cool" are still themselves above.
	if short := refUndouble(ws); !slices.Equal(short, ws) {
		for _, st := range l.smallTalk {
			if st.set.match(short) {
				return st.intent
			}
		}
		if intent := l.smallTalkBag(short); intent != "" {
			return intent
		}
		// A chain with a drawn-out word ("okk cool thx"), undoubling only
		// the words that are in no phrase of the chain's intents.
		chained := map[string]bool{}
		for _, st := range smallTalk {
			if st.intent == intentDistress || slices.Contains(courtesyOrder, st.intent) {
				for _, p := range st.phrases {
					for _, w := range strings.Fields(p) {
						chained[w] = true
					}
				}
			}
		}
		mixed := make([]string, len(ws))
		for i, w := range ws {
			mixed[i] = w
			if !chained[w] {
				mixed[i] = refUndouble([]string{w})[0]
			}
		}
		return l.courtesyChain(mixed)
	}
	return ""
}

// courtesyChain names the intent of a short message made of two or more
// whole courtesy or distress phrases in a row ("gotta go see ya", "ok cool
// thanks a lot", "ugh this is unfair"): distress if any part is, else the
// strongest of their intents in courtesyOrder; "" for none.
func (l *refLexicon) courtesyChain(words []string) string {
	if len(words) < 2 || len(words) > 8 {
		return ""
	}
	// Distress outranks courtesy: "ugh, this is so unfair" is two
	// phrases and one feeling.
	rank := map[string]int{intentDistress: -1}
	for i, intent := range courtesyOrder {
		rank[intent] = i
	}
	// best[i] is the strongest intent of a chain covering words[i:], ""
	// when none does; found[i] says whether one does.
	best := make([]string, len(words)+1)
	found := make([]bool, len(words)+1)
	parts := make([]int, len(words)+1)
	found[len(words)] = true
	for i := len(words) - 1; i >= 0; i-- {
		for j := i + 1; j <= len(words); j++ {
			if !found[j] {
				continue
			}
			for _, st := range l.smallTalk {
				if _, ok := rank[st.intent]; !ok || !st.set.match(words[i:j]) {
					continue
				}
				in := st.intent
				if best[j] != "" && rank[best[j]] < rank[in] {
					in = best[j]
				}
				if !found[i] || rank[in] < rank[best[i]] {
					best[i], found[i], parts[i] = in, true, parts[j]+1
				}
			}
		}
	}
	if !found[0] || parts[0] < 2 {
		return ""
	}
	return best[0]
}

// refUndouble returns words with each doubled letter written once ("hii" ->
// "hi"); words without one are kept as they are.
func refUndouble(words []string) []string {
	out := make([]string, len(words))
	for i, w := range words {
		var sb strings.Builder
		var last rune
		for _, r := range w {
			if r != last {
				sb.WriteRune(r)
			}
			last = r
		}
		out[i] = sb.String()
	}
	return out
}

// smallTalkBag names the intent of a short message made only of words of
// the courtesy intents' phrases, with at least one of their one-word
// phrases in it ("appreciate it 🙏", "awesome thank you bye"): the first
// such intent in courtesyOrder, "" for none.
func (l *refLexicon) smallTalkBag(words []string) string {
	if len(words) == 0 || len(words) > 6 {
		return ""
	}
	found := map[string]bool{}
	for _, w := range words {
		if !l.courtesyVocab[w] {
			return ""
		}
		if intent, ok := l.courtesyKey[w]; ok {
			found[intent] = true
		}
	}
	for _, intent := range courtesyOrder {
		if found[intent] {
			return intent
		}
	}
	return ""
}

// smallTalkIntent names the small-talk intent of a message, "" for none:
// a phrase, or a short statement with a word of distress.
func (l *refLexicon) smallTalkIntent(norm string) string {
	all := l.words(norm, false)
	if len(all) == 0 {
		return ""
	}
	if intent := l.smallTalkPhrase(norm); intent != "" {
		return intent
	}
	// A short statement, or a longer one about the writer's own feelings
	// ("i'm honestly so upset right now, i worked so hard on my page"),
	// that asks nothing.
	firstPerson := slices.ContainsFunc(all, func(w string) bool { return w == "i" || w == "im" || w == "i'm" || w == "me" })
	statement := len(all) <= 5 || (len(all) <= 16 && firstPerson && !slices.ContainsFunc(all, func(w string) bool { return questionWords[w] }))
	if statement && !questionWords[all[0]] && !slices.ContainsFunc(all, func(w string) bool { return whWords[w] }) {
		for _, w := range all {
			if l.distress[w] {
				return intentDistress
			}
		}
	}
	return ""
}

// isOptOut reports whether a message asks the bot to stop messaging.
func (l *refLexicon) isOptOut(norm string) bool {
	all := l.words(norm, false)
	if len(all) == 0 {
		return false
	}
	if l.optOut.match(all) || l.optOut.match(l.words(norm, true)) {
		return true
	}
	if l.optNotQ[all[0]] && !(all[0] == "do" && len(all) > 1 && all[1] == "not") {
		return false
	}
	if len(all) <= 6 {
		// A bare stop with words around it: "ok stop", "you can stop now",
		// "how do I unsubscribe".
		bare, verb := true, false
		for _, w := range all {
			verb = verb || w == "stop" || l.optAlone[w]
			bare = bare && l.optBare[w]
		}
		if verb && bare {
			return true
		}
	}
	for _, w := range all {
		if l.optAlone[w] {
			return true
		}
	}
	if len(all) > 12 {
		return false
	}
	for i, w := range all {
		if l.optSplit[w] {
			// "turn notifications off": an object, then "off", within a few words.
			for j := i + 1; j < len(all) && j <= i+4; j++ {
				if all[j] == "off" && j > i+1 && l.optObjects[all[j-1]] {
					return true
				}
			}
		}
		for _, v := range l.optVerbs {
			if i+len(v) > len(all) || !refEqualWords(all[i:i+len(v)], v) {
				continue
			}
			for _, w := range all[i+len(v):] {
				if l.optObjects[w] {
					return true
				}
			}
		}
	}
	return false
}

func refFirstWord(s string) string {
	f, _ := splitFirstWord(s)
	return f
}

func refEqualWords(a, b []string) bool {
	for i := range b {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// plainCommandName names the command a message says in plain words ("stop"
// for an opt-out), "" when it names none. It reads the words only, without
// context.
func (l *refLexicon) plainCommandName(norm string) string {
	if l.isOptOut(norm) {
		return "stop"
	}
	for _, pc := range l.commands {
		if pc.re.MatchString(norm) {
			return refFirstWord(pc.command) // "plan clear" is plan's
		}
	}
	return ""
}

// answerKind classifies a reply to the bot's question: "yes", "no", a list
// of numbers ("1 3"), or "" for anything else.
func (l *refLexicon) answerKind(norm string) (kind string, numbers []int) {
	all := l.words(norm, false)
	if len(all) == 0 {
		return "", nil
	}
	if nums, ok := refParseNumbers(all); ok {
		return "numbers", nums
	}
	if n, ok := refOrdinal(all); ok {
		return "numbers", []int{n}
	}
	ws := l.words(norm, true)
	switch {
	case l.yes.match(all) || (len(ws) > 0 && l.yes.match(ws)):
		return "yes", nil
	case l.no.match(all) || (len(ws) > 0 && l.no.match(ws)):
		return "no", nil
	}
	return "", nil
}

// refParseNumbers reads "1 3", "1 and 3", "number 2", "option 2", "two",
// "number one", "2 please".
func refParseNumbers(words []string) ([]int, bool) {
	spelled := map[string]int{"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
	var nums []int
	oneIsNumber := false
	for i, w := range words {
		if w == "one" {
			if len(words) == 1 || (i > 0 && slices.Contains([]string{"number", "option", "num"}, words[i-1])) {
				oneIsNumber = true
			}
			continue
		}
		if slices.Contains([]string{"and", "number", "option", "no", "num", "task", "tasks", "the", "please", "pls", "plz"}, w) {
			continue
		}
		if n, ok := spelled[w]; ok {
			nums = append(nums, n)
			continue
		}
		n, err := strconv.Atoi(w)
		if err != nil || n < 0 || n > 99 {
			return nil, false
		}
		nums = append(nums, n)
	}
	if len(nums) == 0 && oneIsNumber {
		return []int{1}, true
	}
	return nums, len(nums) > 0
}

// refOrdinal reads "the first one", "second", "the last one".
func refOrdinal(words []string) (int, bool) {
	n, found := 0, false
	for _, w := range words {
		switch w {
		case "the", "one", "option", "please":
			continue
		}
		v, ok := ordinals[w]
		if !ok || found {
			return 0, false
		}
		n, found = v, true
	}
	return n, found
}

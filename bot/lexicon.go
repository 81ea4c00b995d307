package bot

import (
	"bytes"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/influbot/influbot/knowledge"
)

// The conversation layer's reading of words: normalising a message,
// matching it against the phrase lists of intents.go with typos allowed,
// and classifying answers and opt-outs. No I/O and no context.

// phraseSet is a list of phrases split into words, for matching, kept by
// their number of words: a message is only ever compared with phrases as
// long as it is.
type phraseSet struct {
	byLen [][][]string
}

func newPhraseSet(phrases []string) phraseSet {
	var s phraseSet
	for _, p := range phrases {
		ws := strings.Fields(p)
		for len(s.byLen) <= len(ws) {
			s.byLen = append(s.byLen, nil)
		}
		s.byLen[len(ws)] = append(s.byLen[len(ws)], ws)
	}
	return s
}

// match reports whether words are one of the phrases, allowing one typo in
// words of four letters or more.
func (s phraseSet) match(words []string) bool {
	if len(words) >= len(s.byLen) {
		return false
	}
	for _, p := range s.byLen[len(words)] {
		ok := true
		for i := range p {
			if !wordsMatch(words[i], p[i]) {
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

func wordsMatch(got, want string) bool {
	if got == want {
		return true
	}
	if len(want) == 3 && len(got) == 3 {
		// Three letters allow only a swap of neighbours ("yuo").
		return (got[0] == want[0] && got[1] == want[2] && got[2] == want[1]) || (got[2] == want[2] && got[0] == want[1] && got[1] == want[0])
	}
	return len(want) >= 4 && len(got) >= 4 && editDistance1(got, want)
}

// nearWords finds whether a word matches one of a fixed list of words as
// wordsMatch does (the same or one typo apart) without comparing it with
// each: it keys the words by themselves and their one-letter deletions
// (knowledge.WithoutChar), and compares a word only with those under its
// own keys, a handful instead of every one.
type nearWords struct {
	words []string
	byKey map[string][]int32 // a word, or a word less one letter: words'
}

func newNearWords(words []string) *nearWords {
	n := &nearWords{words: words, byKey: map[string][]int32{}}
	for i, w := range words {
		n.byKey[w] = append(n.byKey[w], int32(i))
		var buf [64]byte
		for at := 0; at < len(w); {
			var less []byte
			less, at = knowledge.WithoutChar(buf[:0], w, at)
			k := string(less)
			if ids := n.byKey[k]; len(ids) == 0 || ids[len(ids)-1] != int32(i) {
				n.byKey[k] = append(ids, int32(i))
			}
		}
	}
	return n
}

// match reports whether w matches one of the words (wordsMatch).
func (n *nearWords) match(w string) bool {
	if n.matchAny(w, n.byKey[w]) {
		return true
	}
	var buf [64]byte
	for at := 0; at < len(w); {
		var less []byte
		less, at = knowledge.WithoutChar(buf[:0], w, at)
		if n.matchAny(w, n.byKey[string(less)]) { // indexing by converted bytes copies nothing
			return true
		}
	}
	return false
}

// matchAny reports whether w matches one of the words numbered ids.
func (n *nearWords) matchAny(w string, ids []int32) bool {
	for _, i := range ids {
		if wordsMatch(w, n.words[i]) {
			return true
		}
	}
	return false
}

// editDistance1 reports whether a and b are at most one edit apart
// (insert, delete, substitute, or swap two neighbours).
func editDistance1(a, b string) bool {
	if !isASCII(a) || !isASCII(b) {
		return editDistance1Runes(a, b)
	}
	// Bytes are runes here: the same steps without converting.
	if d := len(a) - len(b); d > 1 || d < -1 {
		return false
	}
	if len(a) == len(b) {
		i := 0
		for i < len(a) && a[i] == b[i] {
			i++
		}
		if i >= len(a)-1 || a[i+1:] == b[i+1:] {
			return true // equal, or one substitution
		}
		return a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
	}
	if len(a) < len(b) {
		a, b = b, a
	}
	for i := 0; i < len(b); i++ {
		if a[i] != b[i] {
			return a[i+1:] == b[i:]
		}
	}
	return true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// editDistance1Runes is editDistance1 for words with letters beyond ASCII.
func editDistance1Runes(a, b string) bool {
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

// lexicon is the conversation layer's compiled phrase lists, built once per
// Bot.
type lexicon struct {
	smallTalk []struct {
		intent string
		set    phraseSet
	}
	distress map[string]bool
	filler   map[string]bool
	yes, no  phraseSet
	optOut   phraseSet
	verdict  phraseSet // verdictPhrases
	optVerbs [][]string
	optSplit map[string]bool
	optBare  map[string]bool
	optAlone map[string]bool
	// courtesyVocab holds the words of the courtesy intents' phrases and
	// courtesyKey their one-word phrases, for smallTalkBag.
	courtesyVocab map[string]bool
	courtesyKey   map[string]int
	// chainRank ranks each of smallTalk for courtesyChain (chainRanks).
	chainRank []int
	// chainWords are the distinct words of the phrases courtesyChain
	// chains, and chainWord the same as a set: a message with a word
	// that matches none of them cannot be a chain.
	chainWords []string
	chainWord  map[string]bool
	chainNear  *nearWords // chainWords, for typos
	// longestSmallTalk is the most words of a small-talk phrase.
	longestSmallTalk int
	optObjects       map[string]bool
	optNotQ          map[string]bool
	courtesy         *regexp.Regexp
	commands         []struct {
		command string
		re      *pattern
	}
	taskStop    map[string]bool
	followUp    *pattern
	remindWhen  *pattern
	freeAnswers map[string]*regexp.Regexp
}

// wordSet is ws as a set.
func wordSet(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

func newLexicon() *lexicon {
	l := &lexicon{
		distress:    wordSet(distressWords...),
		filler:      wordSet(fillerWords...),
		yes:         newPhraseSet(yesPhrases),
		no:          newPhraseSet(noPhrases),
		optOut:      newPhraseSet(optOutPhrases),
		verdict:     newPhraseSet(verdictPhrases),
		optVerbs:    optOutVerbs,
		optSplit:    wordSet(optOutSplitVerbs...),
		optBare:     wordSet(optOutBare...),
		optAlone:    wordSet(optOutAlone...),
		optObjects:  wordSet(optOutObjects...),
		optNotQ:     wordSet(optOutNotQuestions...),
		courtesy:    regexp.MustCompile(`(?i)` + courtesyLead),
		taskStop:    wordSet(taskStopWords...),
		followUp:    mustPattern(followUpPattern),
		remindWhen:  mustPattern(remindWhen),
		freeAnswers: map[string]*regexp.Regexp{},
	}
	l.courtesyVocab, l.courtesyKey, l.chainRank = map[string]bool{}, map[string]int{}, chainRanks()
	for _, st := range smallTalk {
		if rank := slices.Index(courtesyOrder, st.intent); rank >= 0 {
			for _, p := range st.phrases {
				ws := strings.Fields(p)
				for _, w := range ws {
					l.courtesyVocab[w] = true
				}
				if _, seen := l.courtesyKey[p]; len(ws) == 1 && !seen {
					l.courtesyKey[p] = rank
				}
			}
		}
		for _, p := range st.phrases {
			l.longestSmallTalk = max(l.longestSmallTalk, len(strings.Fields(p)))
		}
		if l.chainRank[len(l.smallTalk)] != notInChain {
			if l.chainWord == nil {
				l.chainWord = map[string]bool{}
			}
			for _, p := range st.phrases {
				for _, w := range strings.Fields(p) {
					if !l.chainWord[w] {
						l.chainWord[w] = true
						l.chainWords = append(l.chainWords, w)
					}
				}
			}
		}
		l.smallTalk = append(l.smallTalk, struct {
			intent string
			set    phraseSet
		}{st.intent, newPhraseSet(st.phrases)})
	}
	l.chainNear = newNearWords(l.chainWords)
	for name, pattern := range freeAnswers {
		l.freeAnswers[name] = regexp.MustCompile(pattern)
	}
	for _, pc := range plainCommands {
		l.commands = append(l.commands, struct {
			command string
			re      *pattern
		}{pc.command, mustPattern(pc.pattern)})
	}
	return l
}

// normalize lower-cases s, drops apostrophes, turns other punctuation
// (except what numbers, times and zones use) into spaces, squeezes letters
// repeated three times or more ("thanksss") and collapses spaces.
func normalize(s string) string {
	buf := make([]byte, 0, len(s)+8)
	var last rune
	run := 0
	for _, r := range s {
		if r < utf8.RuneSelf {
			// ASCII, as unicode would classify it.
			switch {
			case 'A' <= r && r <= 'Z':
				r += 'a' - 'A'
			case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
			case r == '\'':
				continue
			case strings.ContainsRune("$.:/+-_%", r):
			default:
				r = ' '
			}
		} else {
			r = unicode.ToLower(r)
			switch {
			case r == '’' || r == '‘':
				continue
			case unicode.IsLetter(r) || unicode.IsDigit(r):
			default:
				if w, ok := emojiWords[r]; ok {
					buf = append(append(append(buf, ' '), w...), ' ')
					last, run = ' ', 0
					continue
				}
				r = ' '
			}
		}
		if r == last && isLetter(r) {
			run++
			if run >= 2 {
				continue
			}
		} else {
			run = 0
		}
		last = r
		buf = utf8.AppendRune(buf, r)
	}
	// Trim, then squeeze runs of spaces to one (what strings.Fields and
	// Join did): nothing but ' ' is space here.
	buf = bytes.Trim(buf, " .:-")
	out := buf[:0]
	for i, c := range buf {
		if c == ' ' && buf[i-1] == ' ' {
			continue // buf[0] is no space: trimmed
		}
		out = append(out, c)
	}
	return string(out)
}

func isLetter(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z'
	}
	return unicode.IsLetter(r)
}

// words splits a normalised message into its words (letters and digits
// only), leaving out filler when dropFiller is set.
func (l *lexicon) words(norm string, dropFiller bool) []string {
	r := l.read(norm)
	if dropFiller {
		return r.ws
	}
	return r.all
}

// reading is one normalised message split into words once, with what the
// lexicon found in it so far: a message is read by several moves of the
// conversation layer.
type reading struct {
	norm string
	// all are norm's words (letters and digits only), ws the same
	// without filler; each without a word said twice in a row ("thanks
	// 🙏", "yes yes"). nil when there are none.
	all, ws []string

	phraseDone, commandDone bool
	phrase, command         string
	pairsDone               bool
	pairSet                 pairSet
}

// pairs returns the byte pairs of the message (see pattern.mayRead).
func (r *reading) pairs() *pairSet {
	if !r.pairsDone {
		r.pairSet, r.pairsDone = pairsOf(r.norm), true
	}
	return &r.pairSet
}

// read splits norm into its words.
func (l *lexicon) read(norm string) *reading {
	r := &reading{norm: norm}
	n := 0
	eachWord(norm, func(string) { n++ })
	if n == 0 {
		return r
	}
	buf := make([]string, 0, 2*n)
	all, ws := buf[:0:n], buf[n:n]
	eachWord(norm, func(w string) {
		if len(all) == 0 || all[len(all)-1] != w {
			all = append(all, w)
		}
		if !l.filler[w] && (len(ws) == 0 || ws[len(ws)-1] != w) {
			ws = append(ws, w)
		}
	})
	r.all = all
	if len(ws) > 0 {
		r.ws = ws
	}
	return r
}

// eachWord calls f with each run of letters and digits of s, in order, as
// strings.FieldsFunc splits them.
func eachWord(s string, f func(string)) {
	start := -1
	for i := 0; i < len(s); {
		c := s[i]
		var word bool
		size := 1
		if c < utf8.RuneSelf {
			word = 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || 'A' <= c && c <= 'Z'
		} else {
			var r rune
			r, size = utf8.DecodeRuneInString(s[i:])
			word = unicode.IsLetter(r) || unicode.IsDigit(r)
		}
		switch {
		case word && start < 0:
			start = i
		case !word && start >= 0:
			f(s[start:i])
			start = -1
		}
		i += size
	}
	if start >= 0 {
		f(s[start:])
	}
}

// smallTalkPhrase names the small-talk intent whose phrase the whole
// message is, "" for none.
func (l *lexicon) smallTalkPhrase(norm string) string { return l.phraseOf(l.read(norm)) }

// phraseOf is smallTalkPhrase of a message read once.
// eligibleWith reports whether all is an eligibility question about what
// follows "with" ("is my account eligible with 2k followers and good
// engagement", "would i qualify with 800 subs"): one of intentEligible's
// phrases, then "with" and more.
func (l *lexicon) eligibleWith(all []string) bool {
	i := slices.Index(all, "with")
	if i <= 0 || i == len(all)-1 {
		return false
	}
	for _, st := range l.smallTalk {
		if st.intent == intentEligible {
			return st.set.match(all[:i])
		}
	}
	return false
}

func (l *lexicon) phraseOf(r *reading) string {
	if !r.phraseDone {
		r.phrase, r.phraseDone = l.findPhrase(r.all, r.ws), true
	}
	return r.phrase
}

func (l *lexicon) findPhrase(all, ws []string) string {
	if len(all) == 0 {
		return ""
	}
	// ws is often all itself (no filler): one comparison does for both.
	same := slices.Equal(all, ws)
	// The whole message first: "ok and then" is "and then" said with an
	// ok, not the "ok" left once its filler words are dropped.
	for _, st := range l.smallTalk {
		if st.set.match(all) {
			return st.intent
		}
	}
	if len(ws) > 0 && !same {
		for _, st := range l.smallTalk {
			if st.set.match(ws) {
				return st.intent
			}
		}
	}
	if intent := l.smallTalkBag(ws); intent != "" {
		return intent
	}
	if intent := l.courtesyChain(ws); intent != "" {
		return intent
	}
	// Drawn-out words ("hiii", "heyy", "thankss"): normalize keeps two
	// of a repeated letter, which short words do not survive; try them
	// with every doubled letter single, as a last resort so "good" and
	// "cool" are still themselves above.
	// (Only a message no longer than a phrase or a bag can be one.)
	if len(ws) <= max(6, l.longestSmallTalk) && hasDoubled(ws) {
		short := undouble(ws)
		for _, st := range l.smallTalk {
			if st.set.match(short) {
				return st.intent
			}
		}
		if intent := l.smallTalkBag(short); intent != "" {
			return intent
		}
		// A chain with a drawn-out word ("okk cool thx"): only the words
		// that are no chained phrase's word are written single, so that
		// "cool" stays itself.
		return l.courtesyChain(undoubleExcept(ws, l.chainWord))
	}
	return ""
}

// courtesyChain names the intent of a short message made of two or more
// whole courtesy or distress phrases in a row ("gotta go see ya", "ok cool
// thanks a lot", "ugh this is unfair"): distress if any part is, else the
// strongest of their intents in courtesyOrder; "" for none.
func (l *lexicon) courtesyChain(words []string) string {
	const most = 8
	if len(words) < 2 || len(words) > most {
		return ""
	}
	// Distress outranks courtesy (its rank is -1, see chainRank): "ugh,
	// this is so unfair" is two phrases and one feeling.
	//
	// best[i] is the rank of the strongest intent of a chain covering
	// words[i:]; found[i] says whether one does.
	// Every word of a chain is a word of one of its phrases (phraseSet.match
	// compares word by word): one that is no such word, even with a typo,
	// rules a chain out before trying every span against every phrase
	// (most questions are ruled out here).
	for _, w := range words {
		if !l.chainWord[w] && !l.chainNear.match(w) {
			return ""
		}
	}
	var best, parts [most + 1]int
	var found [most + 1]bool
	n := len(words)
	found[n] = true
	for i := n - 1; i >= 0; i-- {
		for j := i + 1; j <= n; j++ {
			if !found[j] {
				continue
			}
			for k, st := range l.smallTalk {
				rank := l.chainRank[k]
				if rank == notInChain || !st.set.match(words[i:j]) {
					continue
				}
				if j < n && best[j] < rank {
					rank = best[j]
				}
				if !found[i] || rank < best[i] {
					best[i], found[i], parts[i] = rank, true, parts[j]+1
				}
			}
		}
	}
	if !found[0] || parts[0] < 2 {
		return ""
	}
	if best[0] < 0 {
		return intentDistress
	}
	return courtesyOrder[best[0]]
}

// notInChain marks the small-talk intents that are no part of a courtesy
// chain.
const notInChain = -2

// chainRanks ranks each smallTalk intent for courtesyChain: its place in
// courtesyOrder, -1 for distress, notInChain for the rest.
func chainRanks() []int {
	ranks := make([]int, len(smallTalk))
	for k, st := range smallTalk {
		ranks[k] = notInChain
		if st.intent == intentDistress {
			ranks[k] = -1
		}
		if i := slices.Index(courtesyOrder, st.intent); i >= 0 {
			ranks[k] = i
		}
	}
	return ranks
}

// hasDoubled reports whether a word of words has a letter twice in a row.
func hasDoubled(words []string) bool {
	for _, w := range words {
		var last rune
		for _, r := range w {
			if r == last {
				return true
			}
			last = r
		}
	}
	return false
}

// undouble returns words with each doubled letter written once ("hii" ->
// "hi"); words without one are kept as they are.
func undouble(words []string) []string { return undoubleExcept(words, nil) }

// undoubleExcept is undouble of the words not in keep.
func undoubleExcept(words []string, keep map[string]bool) []string {
	out := make([]string, len(words))
	for i, w := range words {
		if keep[w] {
			out[i] = w
			continue
		}
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
func (l *lexicon) smallTalkBag(words []string) string {
	if len(words) == 0 || len(words) > 6 {
		return ""
	}
	var found uint // bit i: courtesyOrder[i]
	for _, w := range words {
		if !l.courtesyVocab[w] {
			return ""
		}
		if i, ok := l.courtesyKey[w]; ok {
			found |= 1 << i
		}
	}
	for i, intent := range courtesyOrder {
		if found&(1<<i) != 0 {
			return intent
		}
	}
	return ""
}

// smallTalkIntent names the small-talk intent of a message, "" for none:
// a phrase, or a short statement with a word of distress.
func (l *lexicon) smallTalkIntent(norm string) string { return l.intentOf(l.read(norm)) }

// intentOf is smallTalkIntent of a message read once.
func (l *lexicon) intentOf(r *reading) string {
	all := r.all
	if len(all) == 0 {
		return ""
	}
	if intent := l.phraseOf(r); intent != "" {
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

// questionWords start a question, which a distress word alone does not
// make small talk ("why is it so unfair to small creators?").
var questionWords = map[string]bool{"why": true, "how": true, "what": true, "whats": true, "when": true, "where": true, "can": true,
	"could": true, "should": true, "do": true, "does": true, "is": true, "are": true, "will": true, "which": true, "who": true}

// whWords anywhere make a message a question.
var whWords = map[string]bool{"why": true, "how": true, "what": true, "whats": true, "when": true, "where": true, "which": true}

// isOptOut reports whether a message asks the bot to stop messaging.
func (l *lexicon) isOptOut(norm string) bool { return l.optOutOf(l.read(norm)) }

// optOutOf is isOptOut of a message read once.
func (l *lexicon) optOutOf(r *reading) bool {
	all := r.all
	if len(all) == 0 {
		return false
	}
	if l.optOut.match(all) || l.optOut.match(r.ws) {
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
			if i+len(v) > len(all) || !equalWords(all[i:i+len(v)], v) {
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

func firstWord(s string) string {
	f, _ := splitFirstWord(s)
	return f
}

func equalWords(a, b []string) bool {
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
func (l *lexicon) plainCommandName(norm string) string { return l.commandOf(l.read(norm)) }

// commandOf is plainCommandName of a message read once.
func (l *lexicon) commandOf(r *reading) string {
	if !r.commandDone {
		r.command, r.commandDone = l.findCommand(r), true
	}
	return r.command
}

func (l *lexicon) findCommand(r *reading) string {
	if l.optOutOf(r) {
		return "stop"
	}
	for _, pc := range l.commands {
		if pc.re.matchRead(r) {
			return firstWord(pc.command) // "plan clear" is plan's
		}
	}
	return ""
}

// answerKind classifies a reply to the bot's question: "yes", "no", a list
// of numbers ("1 3"), or "" for anything else.
func (l *lexicon) answerKind(norm string) (kind string, numbers []int) {
	return l.answerOf(l.read(norm))
}

// answerOf is answerKind of a message read once.
func (l *lexicon) answerOf(r *reading) (kind string, numbers []int) {
	all := r.all
	if len(all) == 0 {
		return "", nil
	}
	if nums, ok := parseNumbers(all); ok {
		return "numbers", nums
	}
	if n, ok := ordinal(all); ok {
		return "numbers", []int{n}
	}
	ws := r.ws
	switch {
	case l.yes.match(all) || (len(ws) > 0 && l.yes.match(ws)):
		return "yes", nil
	case l.no.match(all) || (len(ws) > 0 && l.no.match(ws)):
		return "no", nil
	}
	return "", nil
}

// parseNumbers reads "1 3", "1 and 3", "number 2", "option 2", "two",
// "number one", "2 please".
func parseNumbers(words []string) ([]int, bool) {
	var nums []int
	one := false // "one" as a number: "number one", a lone "one"
	for i, w := range words {
		switch w {
		case "one":
			one = one || len(words) == 1 || (i > 0 && numberLead[words[i-1]])
			continue
		case "and", "number", "option", "no", "num", "task", "tasks", "the", "please", "pls", "plz":
			continue
		}
		n, ok := numberWords[w]
		if !ok {
			v, err := strconv.Atoi(w)
			if err != nil || v < 0 || v > 99 {
				return nil, false
			}
			n = v
		}
		nums = append(nums, n)
	}
	if len(nums) == 0 && one {
		return []int{1}, true
	}
	return nums, len(nums) > 0
}

// numberWords are numbers written as words ("one" is apart: see
// parseNumbers).
var numberWords = map[string]int{"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}

// numberLead are the words after which "one" is a number, not a pronoun.
// ("no one" is nobody, not "No. 1").
var numberLead = map[string]bool{"number": true, "option": true, "num": true}

// choiceWords may surround a choice's number in a sentence: "what about
// 2", "tell me about 3", "lets go with 1", "ok 2 please".
var choiceWords = map[string]bool{
	"what": true, "whats": true, "about": true, "how": true, "and": true, "tell": true, "me": true,
	"more": true, "on": true, "show": true, "go": true, "with": true, "lets": true, "let": true,
	"us": true, "do": true, "take": true, "ill": true, "i": true, "id": true, "want": true,
	"pick": true, "choose": true, "please": true, "pls": true, "plz": true, "ok": true, "okay": true,
	"the": true, "one": true, "number": true, "option": true, "no": true, "num": true, "choice": true,
	"is": true, "try": true, "open": true, "read": true, "see": true, "give": true, "can": true,
	"you": true, "could": true, "then": true, "maybe": true, "sure": true, "yes": true, "yeah": true,
	"yep": true, "that": true, "for": true, "like": true, "would": true, "now": true, "next": true,
}

// choiceInSentence reads a choice's number asked for in a sentence ("what
// about 2", "tell me about the second one"): exactly one number from 1 to
// max (or "last"), every other word one of choiceWords, and no amount ($,
// %) that would make it a follow-up's figure.
func choiceInSentence(r *reading, max int) (int, bool) {
	if strings.ContainsAny(r.norm, "$%") || len(r.all) > 8 {
		return 0, false
	}
	n, found := 0, false
	for _, w := range r.all {
		v, ok := numberWords[w]
		if !ok {
			v, ok = ordinals[w]
		}
		if !ok {
			if d, err := strconv.Atoi(w); err == nil {
				v, ok = d, true
			}
		}
		switch {
		case ok && found:
			return 0, false
		case ok:
			n, found = v, true
		case !choiceWords[w]:
			return 0, false
		}
	}
	if n == -1 {
		n = max
	}
	return n, found && n >= 1 && n <= max
}

var ordinals = map[string]int{"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "fifth": 5, "5th": 5, "last": -1}

// ordinal reads "the first one", "second", "the last one".
func ordinal(words []string) (int, bool) {
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

// verdictOf reports whether r asks what a check said ("is that bad?").
func (l *lexicon) verdictOf(r *reading) bool {
	return len(r.all) > 0 && (l.verdict.match(r.all) || (len(r.ws) > 0 && l.verdict.match(r.ws)))
}

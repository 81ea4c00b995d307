package knowledge

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
)

// The analyzer turns text into index terms: lower-case words, slang,
// abbreviations and near-synonyms rewritten to one canonical word, stop
// words dropped, stems. Entries and questions go through the same steps, so
// "subs", "subscribers" and "subscriber" all meet at one term, and "got
// denied" meets "was rejected".

// synonymGroups maps a canonical word (or words) to the ways creators write
// it. Variants may be phrases of up to four words; the longest match wins.
// Keep groups to real synonyms in this domain: a loose group makes two
// topics look alike.
var synonymGroups = map[string][]string{
	// platforms
	"instagram": {"ig", "insta", "gram", "instagrams", "instagram account"},
	"youtube":   {"yt", "youtuber", "youtubers", "ytube", "you tube"},
	"tiktok":    {"tt", "tik tok", "tiktoks", "tiktoker", "tiktokers", "tik toks"},
	"facebook":  {"fb", "face book", "meta"},
	"x":         {"twitter", "tweet", "tweets", "tweeting", "x twitter", "twitterx", "x formerly twitter"},
	// audience
	"subscribers": {"subs", "sub", "subscriber", "subscibers", "subscriber count"},
	// a requirement on an audience's size is a minimum, not the review's criteria
	"followers minimum": {"follower requirement", "follower requirements", "followers requirement", "followers requirements",
		"subscriber requirement", "subscriber requirements", "subscribers requirement", "subscribers requirements", "follower minimum", "follower min", "min followers"},
	"followers":       {"follower", "follower count", "followings", "fanbase", "fan base"},
	"audience":        {"fans", "community", "viewers", "viewer", "my people", "followers engagement"},
	"engagement rate": {"er", "engagement percentage", "engagement ratio", "interaction rate"},
	"engagement": {"engagment", "enagement", "interaction", "interactions", "interact", "interacting",
		"involved", "involvement", "talking with me", "talk to me", "comment more"},
	// chat spellings of question words that carry a topic
	"why": {"wy", "whyy", "whyyy", "y"},
	// rejection and application
	"rejected": {"denied", "declined", "refused", "deny", "denial", "decline", "rejection", "rejections",
		"reject", "rejecting", "turned down", "said no", "say no", "says no", "saying no", "not accepted", "not approved", "didnt approve",
		"wasnt accepted", "wasnt approved", "got a no", "a no", "didnt get in", "did not get in", "didnt make it", "knocked back"},
	"accepted": {"approved", "approve", "approval", "admitted", "got in", "get in", "accept", "acceptance", "accepted into"},
	"reapply": {"re apply", "reapplying", "reapplied", "reapplication", "apply again", "try again", "resubmit", "resubmission", "reaply", "reapplyng", "applying again", "apply again", "second try", "2nd try", "next try", "next attempt", "another try", "new application", "next application", "next app",
		"submit again", "submit her again", "submit him again", "submit them again", "apply her again", "apply him again",
		"another application", "submit another", "send in another", "send another application", "next round", "apply another time",
		"apply second time", "apply a second time", "apply 2nd time", "apply a 2nd time", "second time", "2nd time"},
	"application": {"app", "apps", "applying", "applied", "submission", "submit"},
	"email":       {"mail", "msg", "letter", "notification", "notice"},
	"generic":     {"template", "templated", "boilerplate", "automated", "canned", "copy paste", "same for everyone", "form letter"},
	"chance":      {"odds", "chances", "likelihood", "shot at"},
	"change":      {"do differently", "do different", "doing differently", "done differently", "differently", "diffrently", "differntly", "do diffrently"},
	"minimum":     {"min", "minimun", "minumum", "mininum"},
	// a count written as a digit reads as the word the entries use ("2 accounts", "two accounts")
	"two": {"2"},
	// real words that are common misspellings here, which typo correction leaves alone
	"channel": {"chanel", "chanels"},
	"improve": {"better", "boost", "increase", "strengthen", "stronger", "raise", "level up", "up my"},
	"criteria": {"criterion", "qualifications", "qualification", "standards", "what they look at", "looking for",
		"grade", "graded", "grading", "judge", "judged", "judging", "evaluate", "evaluated", "evaluating", "evaluation", "assess", "assessed", "assessment"},
	"prohibited": {"forbid", "forbidden", "forbids", "not allowed", "disallowed", "not permitted", "against the rules", "prohibit", "prohibits", "banned from doing", "off limits"},
	"metrics":    {"stats", "statistics", "numbers", "analytics", "insights", "kpis"},
	// program vocabulary
	"amazon":    {"amzn", "amz", "amazons", "amazon com"},
	"affiliate": {"affiliates", "aff", "affiliate marketing"},
	// creators' shorthand for the program itself
	"amazon influencer program": {"aip"},
	"associates":                {"associate", "amazon associates", "associates program"},
	"collaboration": {"collab", "collabs", "colab", "colabs", "collabing", "collaborate", "collaborations", "collaborating",
		"partner up", "team up", "teaming up", "cross promo", "cross promotion", "shoutout", "shoutouts", "shout out"},
	"storefront": {"sf", "store front", "shop page", "storefronts", "storefrnt", "amazon shop", "amazon page", "my shop", "shop url", "shop link"},
	"commission": {"comms", "commision", "comission", "commisions", "commissions", "cut", "percentage per sale"},
	"earn":       {"earnings", "earning", "money", "income", "revenue", "pay", "make money", "cash", "$", "$$"},
	// when and how the money arrives, as against how much it is
	"payout":    {"payouts", "payment", "payments", "paid", "get paid", "paycheck", "pay out", "paying out", "deposit", "deposits", "direct deposit", "payday", "pay day", "paydays"},
	"trademark": {"logo", "logos", "trademarks", "brand name", "amazon name", "amazon branding"},
	"terminate": {"kick out", "kicked out", "kick you out", "kick me out", "kicked", "ban", "banned", "terminated", "termination", "suspend", "suspended", "suspension", "close my account", "account closed", "closed", "closure", "deactivate", "deactivated", "removed from"},
	"disclosure": {"disclose", "disclosing", "disclosures", "disclaimer", "disclaimers", "hashtag ad", "hashtag ads", "hashtag sponsored",
		"hashtag affiliate", "hashtag commissionsearned", "hashtag amazonaffiliate", "hashtag paid", "hashtag partner", "paid partnership label"},
	"ftc":        {"federal trade commission", "endorsement guides"},
	"sponsor":    {"sponsored", "sponsorship", "sponsorships", "sponsors", "brand deal", "brand deals", "paid partnership", "pr package", "free product", "gifted", "free stuff"},
	"authentic":  {"authenticity", "genuine", "genuinely", "honest", "honesty", "sincere", "trustworthy", "trust", "credible", "credibility", "fake", "sellout", "sell out", "shill", "shilling"},
	"photo":      {"photos", "pic", "pics", "picture", "pictures", "image", "images", "shots", "photography"},
	"video":      {"videos", "vid", "vids", "clip", "clips", "footage", "filming", "film"},
	"quality":    {"qualty", "quailty", "lighting", "audio", "mic", "microphone", "camera", "professional", "pro looking", "look pro", "amateur", "polished", "production value"},
	"review":     {"reviews", "reviewing", "unboxing", "unboxings", "demo", "demos"},
	"live":       {"lives", "livestream", "livestreams", "livestreaming", "live stream", "live streams", "go live", "going live", "streaming", "stream"},
	"qa":         {"q a", "qna", "q and a", "ama", "ask me anything", "questions session"},
	"poll":       {"polls", "quiz", "quizzes", "question sticker", "question stickers", "vote"},
	"giveaway":   {"giveaways", "contest", "contests", "sweepstakes", "raffle"},
	"grow":       {"growth", "growing", "grown", "gain", "gaining", "get more followers", "more followers", "bigger", "expand my reach", "reach more people"},
	"percent":    {"percentage", "percentages", "per cent", "pct", "percents"},
	"new":        {"brand new", "brandnew", "just started", "just created", "just made", "just opened", "recently created", "newly created", "created recently", "fresh account", "young account"},
	"pending":    {"stuck in review", "still pending", "under review", "in review", "pending review", "waiting for a decision"},
	"plateau":    {"stuck", "plateaued", "plateauing", "stagnant", "stalled", "not growing", "flatlined"},
	"niche":      {"niches", "nich", "topic focus", "theme", "content focus", "focus on one thing"},
	"link":       {"links", "url", "urls", "linking"},
	"bio":        {"link in bio", "linktree", "link tree", "profile link"},
	"motivation": {"motivated", "discouraged", "demotivated", "give up", "giving up", "quit", "frustrated", "frustrating", "upset", "sad", "depressed", "worth it", "keep going", "morale", "hopeless", "gutted", "crushed"},
	"wait":       {"waiting", "waiting period", "cooldown", "cool down", "how long before", "how soon", "how long until", "minimum time", "time before", "too soon"},
	"platform":   {"platforms", "social media", "socials", "social network", "social networks", "channel type", "which account", "what accounts"},
	"bot":        {"influbot", "this bot", "you do", "can you do", "use you", "your commands", "ask you", "can you answer", "can you help with"},
	"prime day":  {"primeday", "black friday", "cyber monday", "holiday sales", "deal days", "big sales"},
	// filler that carries no meaning
	"": {"wat", "wut", "wht", "wats", "rn", "tbh", "ngl", "idk", "lol", "lmao", "pls", "plz", "u", "ur", "ya", "yall", "ppl", "bc", "cuz", "abt", "w", "im", "thx", "ty", "btw", "fr", "omg",
		"tryna", "lowkey", "highkey", "deadass", "istg",
		"anyway", "anyways", "tho", "literally", "honestly", "seriously", "exactly", "hw",
		// an agency asking for a creator: who asks changes nothing about the answer
		"client", "clients", "my client", "our client", "talent", "on behalf of",
		// when something happened rarely says what it is about
		"today", "tonight", "yesterday", "tomorrow", "this morning", "morning", "afternoon", "evening", "lately", "recently"},
}

// aliases is synonymGroups inverted: variant phrase -> canonical words.
// phraseLen gives, for a word that starts a multi-word variant, the length
// of the longest such variant, so most words need a single lookup.
var aliases, phraseLen = func() (map[string][]string, map[string]int) {
	m := map[string][]string{}
	starts := map[string]int{}
	for canon, variants := range synonymGroups {
		rep := strings.Fields(canon)
		for _, v := range variants {
			words := tokenize(v)
			m[strings.Join(words, " ")] = rep
			if len(words) > 1 {
				starts[words[0]] = max(starts[words[0]], len(words))
			}
		}
	}
	return m, starts
}()

// stopWords carry no topic: the usual English function words, plus chat
// filler. Question words that do carry one ("why", "when", "many", "much",
// "long") are deliberately not here, nor are "tell" and "say" (whether
// Amazon tells you why is its own topic).
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`a an the i im ive id me my mine myself we our ours us you your yours yourself he him his she her it its
	they them their what which who whom this that these those there here am is are was were be been being have has had having
	do does did doing done a an and but or as until while of at by for with about against between into through during before after
	above below to from up down in out on off over under then once here where how all any both each few other some such
	no nor not only own same so than too very s t can will just don dont should now could would shall may might must also still even
	again ever get got getting gets go going gonna wanna gotta like kinda sorta pretty guys guy yo ok okay yeah yes hey hi hello
	please thanks thank anyone someone anybody something anything know really actually basically just thing things
	isnt arent wasnt werent cant wont doesnt didnt hasnt havent wouldnt shouldnt couldnt whats hows thats theres heres lets ill youre
	theyre weve youve theyve id youd hed shed itll`) {
		m[w] = true
	}
	return m
}()

// tokenize splits text into lower-case words. Apostrophes vanish ("don't"
// becomes "dont"), digits separated by commas join ("5,000"), "5k" becomes
// "5000", "$" is a word of its own, "%" reads "percent" and "#" before a
// word reads "hashtag".
func tokenize(s string) []string {
	return appendTokens(make([]string, 0, len(s)/5+1), s)
}

// appendTokens appends the words of s (see tokenize) to words.
func appendTokens(words []string, s string) []string {
	first := len(words)
	start := -1  // start of the current word when it is plain lower-case ASCII, copied from s without allocating
	var b []byte // the current word when it needed rewriting
	flush := func(end int) {
		switch {
		case b != nil:
			words = append(words, string(b))
			b = nil
		case start >= 0:
			words = append(words, s[start:end])
		}
		start = -1
	}
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		switch {
		case r == '\'' || r == '’':
			// "don't" is "dont": the word goes on without the apostrophe.
			if start >= 0 && b == nil {
				b = append(make([]byte, 0, 16), s[start:i]...)
			}
		case r == ',' && i > 0 && i+1 < len(s) && isDigit(s[i-1]) && isDigit(s[i+1]):
			// 5,000
			if start >= 0 && b == nil {
				b = append(make([]byte, 0, 16), s[start:i]...)
			}
		case r == '$':
			flush(i)
			words = append(words, "$")
		case r == '%':
			flush(i)
			words = append(words, "percent")
		case r == '#' && i+1 < len(s) && startsWithLetter(s[i+1:]):
			// "#ad" is the disclosure, not an ad: it reads "hashtag ad".
			flush(i)
			words = append(words, "hashtag")
		case r < utf8.RuneSelf && ('a' <= r && r <= 'z' || '0' <= r && r <= '9'):
			switch {
			case b != nil:
				b = append(b, byte(r))
			case start < 0:
				start = i
			}
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if b == nil {
				b = make([]byte, 0, 16)
				if start >= 0 {
					b = append(b, s[start:i]...)
				}
				start = i
			}
			b = utf8.AppendRune(b, unicode.ToLower(r))
		default:
			flush(i)
		}
		i += size
	}
	flush(len(s))
	for i, w := range words[first:] {
		if n := len(w); n >= 2 && w[n-1] == 'k' && allDigits(w[:n-1]) {
			words[first+i] = w[:n-1] + "000"
		}
	}
	return words
}

func startsWithLetter(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLetter(r)
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// canonical rewrites variants to their canonical words, longest phrase
// first.
func canonical(words []string) []string {
	var a analyzer
	return a.appendCanonical(make([]string, 0, len(words)), words)
}

// appendCanonical appends the canonical words of words (see canonical) to
// out.
func (a *analyzer) appendCanonical(out, words []string) []string {
	for i := 0; i < len(words); {
		matched := false
		for n := min(max(phraseLen[words[i]], 1), len(words)-i); n >= 1; n-- {
			var rep []string
			var ok bool
			if n == 1 {
				rep, ok = aliases[words[i]]
			} else {
				// The phrase is looked up without making a string of it.
				a.key = append(a.key[:0], words[i]...)
				for _, w := range words[i+1 : i+n] {
					a.key = append(append(a.key, ' '), w...)
				}
				rep, ok = aliases[string(a.key)]
			}
			if ok {
				out = append(out, rep...)
				i += n
				matched = true
				break
			}
		}
		if !matched {
			out = append(out, words[i])
			i++
		}
	}
	return out
}

// stem reduces a canonical word to its index term.
func stem(w string) string {
	if len(w) <= 2 {
		return w
	}
	return english.Stem(w, true)
}

// contentWords returns the canonical words of s without stop words.
func contentWords(s string) []string {
	words := canonical(tokenize(s))
	out := words[:0]
	for _, w := range words {
		if !stopWords[w] {
			out = append(out, w)
		}
	}
	return out
}

// focusedWords returns the content words of s and the index of the first
// one in its focus: the question a long message ends with. People tell the
// story first ("I applied in January with my TikTok, cleaned up my grid...")
// and ask last ("is there a minimum time I have to wait?"); the story is
// context, the question says what they want. The focus is the last sentence
// with a question mark (or the last sentence), widened backwards until it
// holds at least three content words. A message of one sentence is all
// focus (index 0).
func focusedWords(s string) ([]string, int) {
	var a analyzer
	return a.focusedWords(s)
}

// analyzer holds the buffers of focusedWords, reused from one question to
// the next. It is not safe for concurrent use.
type analyzer struct {
	tokens, canon, words []string
	counts               []int  // each sentence's number of content words
	questions            []bool // whether each sentence is a question
	key                  []byte // a phrase being looked up
}

// focusedWords is focusedWords reusing a's buffers: the words returned are
// valid until the next call.
func (a *analyzer) focusedWords(s string) ([]string, int) {
	a.words, a.counts, a.questions = a.words[:0], a.counts[:0], a.questions[:0]
	sentence := func(text string, question bool) {
		a.tokens = appendTokens(a.tokens[:0], text)
		a.canon = a.appendCanonical(a.canon[:0], a.tokens)
		n := len(a.words)
		for _, w := range a.canon {
			if !stopWords[w] {
				a.words = append(a.words, w)
			}
		}
		a.counts = append(a.counts, len(a.words)-n)
		a.questions = append(a.questions, question)
	}
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '?' && c != '!' && c != '.' && c != '\n' {
			continue
		}
		if c == '.' && i > 0 && i+1 < len(s) && isDigit(s[i-1]) && isDigit(s[i+1]) {
			continue // 1.5%
		}
		if i > start {
			sentence(s[start:i], c == '?')
		} else if c == '?' && len(a.questions) > 0 {
			a.questions[len(a.questions)-1] = true // "why??"
		}
		start = i + 1
	}
	if start < len(s) {
		sentence(s[start:], false)
	}
	// Drop the references to the question's words the buffers keep.
	clear(a.tokens[:cap(a.tokens)])
	clear(a.canon[:cap(a.canon)])
	total := len(a.words)
	focus := -1
	for i, n := range a.counts {
		if a.questions[i] && n > 0 {
			focus = i
		}
	}
	if focus < 0 {
		focus = len(a.counts) - 1
		for focus > 0 && a.counts[focus] == 0 {
			focus--
		}
	}
	if focus <= 0 {
		return a.words, 0
	}
	n := 0
	for _, c := range a.counts[focus:] {
		n += c
	}
	for focus > 0 && n < 3 {
		focus--
		n += a.counts[focus]
	}
	return a.words, total - n
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

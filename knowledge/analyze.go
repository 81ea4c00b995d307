package knowledge

import (
	"strings"
	"unicode"

	"github.com/kljensen/snowball/english"
)

// The analyzer turns text into index terms: lower-case words, slang and
// abbreviations rewritten to the words the entries use, stop words dropped,
// stems. Entries and questions go through the same steps, so "subs",
// "subscribers" and "subscriber" all meet at one term.

// aliases rewrites a word (or two words) as typed by users into canonical
// words. Keys are lower-case surface forms; values are space-separated
// replacements.
var aliases = map[string]string{
	// platforms
	"ig": "instagram", "insta": "instagram", "gram": "instagram", "instagrams": "instagram",
	"yt": "youtube", "youtuber": "youtube", "youtubers": "youtube", "ytube": "youtube",
	"tt": "tiktok", "tik tok": "tiktok", "tiktoks": "tiktok", "tiktoker": "tiktok", "tiktokers": "tiktok",
	"fb": "facebook", "twitter": "x", "tweet": "x", "tweets": "x", "tweeting": "x",
	"x twitter": "x", "twitterx": "x",
	// audience
	"subs": "subscribers", "sub": "subscribers", "subscriber": "subscribers", "subscribers": "subscribers",
	"followers": "followers", "follower": "followers", "folks": "followers", "fans": "followers",
	"er": "engagement rate", "engagment": "engagement", "enagement": "engagement",
	"likes": "likes", "comments": "comments",
	// rejection
	"denied": "rejected", "declined": "rejected", "refused": "rejected", "deny": "rejected", "denial": "rejected",
	"decline": "rejected", "rejection": "rejected", "rejections": "rejected", "reject": "rejected", "rejecting": "rejected",
	"turned down": "rejected", "said no": "rejected", "not accepted": "rejected", "not approved": "rejected",
	"didnt approve": "rejected", "wasnt accepted": "rejected", "wasnt approved": "rejected", "got no": "rejected",
	// reapplying
	"re apply": "reapply", "reapplying": "reapply", "reapplied": "reapply", "reapplication": "reapply",
	"apply again": "reapply", "try again": "reapply", "resubmit": "reapply", "resubmission": "reapply", "reaply": "reapply",
	// program vocabulary
	"amzn": "amazon", "amz": "amazon", "amazons": "amazon",
	"affiliate": "affiliate", "affiliates": "affiliate", "aff": "affiliate",
	"collab": "collaboration", "collabs": "collaboration", "colab": "collaboration", "colabs": "collaboration", "collabing": "collaboration", "collaborate": "collaboration",
	"store front": "storefront", "shop page": "storefront", "storefronts": "storefront", "storefrnt": "storefront",
	"comms": "commission", "commision": "commission", "comission": "commission", "commisions": "commission",
	"pics": "photos", "pic": "photo", "vids": "videos", "vid": "video",
	"dm": "message", "dms": "messages",
	"livestream": "live stream", "livestreams": "live streams", "livestreaming": "live streaming",
	"ftc": "ftc disclosure", "hashtag": "hashtags",
	"$": "money", "$$": "money", "cash": "money", "income": "money",
	"bot": "bot", "influbot": "bot",
	"approx": "about", "rn": "", "tbh": "", "ngl": "", "idk": "", "lol": "", "pls": "", "plz": "", "u": "", "ur": "", "ya": "", "yall": "",
}

// stopWords carry no topic. Question words that do carry one ("why", "many",
// "long", "much") are deliberately not here.
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`a an the i im ive id me my mine myself we our ours us you your yours he she it its they them their
	is am are was were be been being do does did doing done have has had having to of in on at for with about as by from into onto
	this that these those there here and or but so if then than can could would should will shall may might must just really very
	what which who whom how when where hey hi hello please thanks thank any some anyone someone anybody something know tell
	also too still even again ever im dont doesnt didnt isnt arent wasnt cant wont whats hows thats theres gonna wanna gotta
	like kinda sorta pretty guys guy yo ok okay yeah yes no not all out up get got getting`) {
		m[w] = true
	}
	return m
}()

// tokenize splits text into lower-case words. Apostrophes vanish ("don't"
// becomes "dont"), digits separated by commas or spaces join ("5,000"), and
// "5k" becomes "5000".
func tokenize(s string) []string {
	var words []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			words = append(words, b.String())
			b.Reset()
		}
	}
	rs := []rune(s)
	for i, r := range rs {
		switch {
		case r == '\'' || r == '’':
			continue
		case r == ',' && b.Len() > 0 && i+1 < len(rs) && unicode.IsDigit(rs[i+1]) && i > 0 && unicode.IsDigit(rs[i-1]):
			continue
		case r == '$':
			flush()
			words = append(words, "$")
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		default:
			flush()
		}
	}
	flush()
	for i, w := range words {
		if n := len(w); n >= 2 && (w[n-1] == 'k') && allDigits(w[:n-1]) {
			words[i] = w[:n-1] + "000"
		}
	}
	return words
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

// canonical applies the alias table, two-word phrases first.
func canonical(words []string) []string {
	out := make([]string, 0, len(words))
	for i := 0; i < len(words); i++ {
		if i+1 < len(words) {
			if rep, ok := aliases[words[i]+" "+words[i+1]]; ok {
				out = append(out, strings.Fields(rep)...)
				i++
				continue
			}
		}
		if rep, ok := aliases[words[i]]; ok {
			out = append(out, strings.Fields(rep)...)
			continue
		}
		out = append(out, words[i])
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

package eligibility

import (
	"fmt"
	"math"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Input is what a creator tells the check. Numbers are averages per post
// (per video on YouTube and TikTok); nil means not given.
type Input struct {
	Platform     string // a platform id, see LookupPlatform
	Followers    *float64
	Likes        *float64
	Comments     *float64
	Shares       *float64
	Views        *float64
	PostsPerWeek *float64
	Niche        string
}

// Fields are the names Input.Set accepts, in the order a form asks them.
var Fields = []string{"platform", "followers", "likes", "comments", "shares", "views", "posts_per_week", "niche"}

// Limits on what a creator can plausibly have. The largest accounts have
// a few hundred million followers and the most-liked posts tens of
// millions of likes; views of one video have passed ten billion.
const (
	MaxFollowers    = 1e9  // followers or subscribers
	MaxCount        = 1e9  // likes, comments or shares per post
	MaxViews        = 1e10 // views per post
	MaxPostsPerWeek = 100
	// MaxPerFollower is how many times the follower count an average
	// post's likes, comments or shares can plausibly reach; beyond it the
	// numbers are totals, or typed wrong.
	MaxPerFollower = 100
	MaxNicheLen    = 100 // characters
	MaxFreeText    = 2000
)

// Set parses value into the named field: a platform name or alias, a
// number as ParseNumber reads it, a rhythm as ParseCadence reads it, or the
// niche as free text. "subscribers" and "cadence" are accepted as other
// names of followers and posts_per_week.
func (in *Input) Set(field, value string) error {
	field = strings.ReplaceAll(strings.ToLower(strings.TrimSpace(field)), "-", "_")
	value = strings.TrimSpace(value)
	switch field {
	case "platform":
		p, ok := LookupPlatform(value)
		if !ok {
			return unknownPlatform(value)
		}
		in.Platform = p.ID
	case "followers", "subscribers", "subs":
		return in.setCount("followers", &in.Followers, value)
	case "likes":
		return in.setCount("likes", &in.Likes, value)
	case "comments":
		return in.setCount("comments", &in.Comments, value)
	case "shares":
		return in.setCount("shares", &in.Shares, value)
	case "views":
		return in.setCount("views", &in.Views, value)
	case "posts_per_week", "cadence", "posts":
		v, err := ParseCadence(value)
		if err != nil {
			return err
		}
		if err := checkCadence(v); err != nil {
			return err
		}
		in.PostsPerWeek = &v
	case "niche":
		if n := utf8.RuneCountInString(value); n > MaxNicheLen {
			return inputErrorf("niche", "the niche is %d characters long; describe it in at most %d, e.g. home decor", n, MaxNicheLen)
		}
		in.Niche = cleanNiche(value)
	default:
		return inputErrorf(field, "unknown input %q; use %s", field, strings.Join(Fields, ", "))
	}
	return nil
}

func (in *Input) setCount(name string, dst **float64, value string) error {
	if strings.HasPrefix(value, "-") || strings.HasPrefix(value, "−") {
		return inputErrorf(name, "%s can't be negative (got %s)", name, clipText(value, 20))
	}
	v, err := ParseNumber(value)
	if err != nil {
		var ie *InputError
		if asInputError(err, &ie) {
			return &InputError{Field: name, Msg: name + ": " + ie.Msg, Example: ie.Example}
		}
		return err
	}
	if err := checkCount(name, v); err != nil {
		return err
	}
	*dst = &v
	return nil
}

func asInputError(err error, target **InputError) bool {
	ie, ok := err.(*InputError)
	if ok {
		*target = ie
	}
	return ok
}

func checkCount(name string, v float64) error {
	limit, limitText := MaxCount, "1 billion"
	switch name {
	case "followers":
		limit = MaxFollowers
	case "views":
		limit, limitText = MaxViews, "10 billion"
	}
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return exampleErrorf(name, "%s must be a number, like 4200 or 4.2k", name)
	case v < 0:
		return inputErrorf(name, "%s can't be negative (got %s)", name, formatCount(v))
	case v > limit:
		what := name
		if name != "followers" {
			what += " per post"
		}
		return inputErrorf(name, "%s %s is more than any account has; check the number (at most %s)", formatCount(v), what, limitText)
	}
	return nil
}

// checkPlausible refuses combinations no real account shows: an average
// post with more likes, comments or shares than MaxPerFollower times the
// followers (usually a profile's total likes given as an average).
func (in Input) checkPlausible() error {
	if in.Followers == nil {
		return nil
	}
	// A new account with a handful of followers can still go viral once;
	// the floor keeps those in.
	limit := MaxPerFollower * math.Max(*in.Followers, 10)
	for _, f := range []struct {
		name string
		v    *float64
	}{{"likes", in.Likes}, {"comments", in.Comments}, {"shares", in.Shares}} {
		if f.v != nil && *f.v > limit {
			return inputErrorf(f.name, "%s %s per post with %s followers is more than a real account gets; give your average %s per post, not the total",
				formatCount(*f.v), f.name, formatCount(*in.Followers), f.name)
		}
	}
	return nil
}

func checkCadence(v float64) error {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return exampleErrorf("posts_per_week", "posts per week must be a number, like 3 or 3/week")
	case v < 0:
		return inputErrorf("posts_per_week", "posts per week can't be negative")
	case v > MaxPostsPerWeek:
		return exampleErrorf("posts_per_week", "%s posts a week is more than anyone posts; give your usual rhythm (at most %d a week), like 3/week or daily", formatRate(v), MaxPostsPerWeek)
	}
	return nil
}

func unknownPlatform(name string) *InputError {
	if strings.TrimSpace(name) == "" {
		return inputErrorf("platform", "the platform is missing; use %s", PlatformNames)
	}
	return inputErrorf("platform", "unknown platform %q; use %s", clipText(name, 30), PlatformNames)
}

var nicheSpace = regexp.MustCompile(`\s+`)

func cleanNiche(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return ' '
		}
		return r
	}, s)
	return strings.Trim(nicheSpace.ReplaceAllString(s, " "), " .,;:!?")
}

// labels map the words that name a count to its field.
var labels = map[string]string{
	"followers": "followers", "follower": "followers", "subs": "followers", "sub": "followers",
	"subscribers": "followers", "subscriber": "followers", "fans": "followers", "audience": "followers",
	"likes": "likes", "hearts": "likes", "reactions": "likes", "faves": "likes", "favs": "likes",
	"comments": "comments", "comment": "comments", "replies": "comments",
	"shares": "shares", "share": "shares", "reposts": "shares", "retweets": "shares", "rts": "shares", "sends": "shares",
	"views": "views", "view": "views", "plays": "views", "watches": "views",
	// Common abbreviations.
	"flw": "followers", "flws": "followers", "flwrs": "followers", "cmts": "comments", "cmnts": "comments",
	"coms": "comments",
}

// cadenceLabels start a rhythm written label first ("posts: 3/week",
// "posting daily", "cadence weekly").
var cadenceLabels = map[string]bool{
	"posts": true, "post": true, "posting": true, "uploads": true, "upload": true, "uploading": true,
	"cadence": true, "frequency": true, "videos": true, "reels": true, "video": true, "vids": true,
	"tweet": true, "tweets": true, "tweeting": true, "publish": true, "publishing": true, "vlog": true,
	"vlogging": true, "stream": true, "streaming": true, "tiktoks": true, "shorts": true, "content": true,
}

// nicheLabels introduce the niche ("niche home decor", "topic: makeup").
var nicheLabels = map[string]bool{"niche": true, "topic": true, "category": true, "niches": true}

// fillers are words that carry no data in a check.
var fillers = map[string]bool{
	"avg": true, "average": true, "averaging": true, "about": true, "around": true, "approximately": true,
	"approx": true, "roughly": true, "with": true, "and": true, "i": true, "i'm": true, "im": true,
	"have": true, "has": true, "had": true, "got": true, "get": true, "getting": true, "my": true, "me": true,
	"on": true, "a": true, "an": true, "the": true, "of": true, "account": true, "channel": true, "page": true,
	"profile": true, "handle": true, "currently": true, "now": true, "total": true, "is": true, "are": true,
	"am": true, "at": true, "for": true, "it": true, "its": true, "it's": true, "we": true, "our": true,
	"usually": true, "typically": true, "normally": true, "like": true, "per": true, "each": true, "also": true,
	"only": true, "just": true, "in": true, "mostly": true, "do": true, "by": true, "from": true, "over": true,
	"acc": true, "ish": true, "plus": true, "but": true, "so": true, "then": true, "than": true, "this": true,
	"which": true, "that": true, "gets": true, "engagement": true,
	// Words of a question wrapped around the numbers ("check if ig 5k
	// followers is enough").
	"if": true, "whether": true, "enough": true, "good": true, "ok": true, "okay": true, "eligible": true,
	"ready": true, "can": true, "apply": true, "reapply": true, "qualify": true, "to": true, "amazon": true,
	"influencer": true, "program": true, "want": true, "would": true, "please": true, "pls": true, "plz": true,
	"hey": true, "hi": true, "you": true, "does": true, "stats": true, "numbers": true, "here": true,
	"these": true, "what": true, "how": true, "there": true, "platform": true,
	// Hedges ("maybe 100 likes", "nearly 5k followers").
	"maybe": true, "probably": true, "prob": true, "nearly": true, "almost": true, "generally": true,
	"least": true, "somewhere": true, "kinda": true, "sorta": true, "lol": true, "tbh": true,
	"odd": true, "or": true,
	// Spoken fillers, as voice-to-text writes them ("um like 5k followers").
	"um": true, "umm": true, "uh": true, "uhh": true, "er": true, "erm": true, "hmm": true, "well": true,
	"basically": true, "honestly": true, "literally": true, "idk": true, "ngl": true, "rn": true, "yeah": true,
	// Contractions and pronouns around the numbers ("i've got 2k followers").
	"i've": true, "ive": true, "we've": true, "i'd": true, "they": true, "their": true, "mine": true,
	"gotten": true, "usual": true, "most": true, "check": true, "w": true,
	// Who is writing ("yt creator here", "small youtuber, 4.8k subs").
	"creator": true, "creators": true, "youtuber": true, "tiktoker": true, "blogger": true, "vlogger": true,
	"hello": true, "hiya": true, "yo": true, "hlo": true, "hii": true, "sir": true, "maam": true, "bro": true, "sis": true,
	"fam": true, "tho": true, "though": true, "client": true, "clients": true, "fr": true, "lowkey": true,
}

func isFiller(w string) bool { return fillers[w] }

// hedges are the words people put between a label and its number, or
// after a number, to say it is approximate ("followers are like 5k",
// "150ish likes", "post like every day").
var hedges = map[string]bool{
	"like": true, "about": true, "around": true, "roughly": true, "approx": true, "approximately": true,
	"nearly": true, "almost": true, "maybe": true, "probably": true, "prob": true, "usually": true,
	"typically": true, "normally": true, "generally": true, "mostly": true, "currently": true, "now": true,
	"just": true, "only": true, "over": true, "ish": true, "or": true, "so": true, "odd": true, "plus": true,
	"is": true, "are": true, "of": true, "avg": true, "average": true, "~": true, ":": true, "=": true, "-": true,
	"at": true, "least": true, "somewhere": true, "kinda": true, "sorta": true, "lol": true, "tbh": true,
	"r": true, "iz": true, "bout": true, "abt": true, "round": true,
}

// nicheNoise are words at the edge of a niche that carry nothing ("beauty
// stuff", "fitness related").
var nicheNoise = map[string]bool{
	"stuff": true, "things": true, "thing": true, "content": true, "related": true, "type": true, "kind": true,
	"sort": true, "lol": true, "tbh": true, "etc": true, "mostly": true, "kinda": true, "sorta": true,
	"videos": true, "posts": true, "mainly": true, "mostly.": true, "vibes": true,
}

// perPostNouns are the words that may follow a count ("150 likes per
// post", "800 views a vid").
var perPostNouns = map[string]bool{
	"post": true, "video": true, "reel": true, "tiktok": true, "upload": true, "tweet": true, "short": true,
	"vid": true, "pic": true, "photo": true, "clip": true, "posts": true, "videos": true, "vids": true, "reels": true,
	"tiktoks": true, "uploads": true, "tweets": true, "shorts": true, "pics": true, "photos": true,
}

// perPostLead are the words that start "per post" after a count.
var perPostLead = map[string]bool{"per": true, "a": true, "an": true, "each": true, "every": true, "/": true, "on": true, "in": true, "my": true, "avg": true, "average": true, "the": true}

// skipPerPost returns the index after a "per post" phrase at toks[k]
// ("per post", "on each video", "a vid"), or k when there is none.
func skipPerPost(toks []token, k int) int {
	j := k
	distributive := false // "per", "a", "each": not "on tiktok", which names the platform
	for j < len(toks) && j < k+3 && perPostLead[toks[j].text] {
		switch toks[j].text {
		case "per", "a", "an", "each", "every", "/", "avg", "average":
			distributive = true
		}
		j++
	}
	if j == k || j >= len(toks) || !perPostNouns[toks[j].text] {
		return k
	}
	if _, isPlatform := LookupPlatform(toks[j].text); isPlatform && !distributive {
		return k
	}
	return j + 1
}

// ParseFreeText reads a check written as a sentence, such as
// "instagram 4.2k followers 150 likes 12 comments 3 posts a week niche home
// decor", "ig 4200 followers, avg 150 likes" or "youtube 12k subs 800 views
// 40 likes weekly". A leading "check" is ignored. Counts may come before or
// after their label ("likes: 150"); a number with no label is the follower
// count; words it does not know become the niche when they form one run.
// It returns an *InputError saying what it could not read.
func ParseFreeText(text string) (Input, error) {
	return parseFreeText(text, false)
}

// ParseFreeTextPart reads text as ParseFreeText does but lets the platform
// and the follower count be missing, for callers that take them from
// elsewhere (command-line flags); Check validates the merged input.
func ParseFreeTextPart(text string) (Input, error) {
	return parseFreeText(text, true)
}

// ParseFreeTextLoose reads what a sentence about an account says a check
// takes ("ugh amazon rejected my tiktok again, 22k followers, avg 6k views
// 400 likes"), as ParseFreeTextPart does, but skips the words it does not
// know instead of failing on them: they become the niche only when they
// form one run. A number without a label after the follower count is
// still an error. For the conversation layer, which reads numbers out of
// questions and stories; a check command stays strict.
func ParseFreeTextLoose(text string) (Input, error) {
	return parseText(likeCount.ReplaceAllString(text, "$1 likes"), true, true)
}

// likeCount is a count followed by "like" as its label ("400 like each
// post"), which the parser otherwise takes for the filler of "like 400
// likes"; in a sentence it is the likes.
var likeCount = regexp.MustCompile(`(?i)\b(\d[\d.,]*k?)\s+like\b`)

func parseFreeText(text string, partial bool) (Input, error) {
	return parseText(text, partial, false)
}

func parseText(text string, partial, loose bool) (Input, error) {
	var in Input
	if n := utf8.RuneCountInString(text); n > MaxFreeText {
		return in, exampleErrorf("", "that is %d characters long; a check needs one line, like: instagram 4.2k followers 150 likes 12 comments 3 posts a week", n)
	}
	toks := tokenize(text)
	correctTypos(toks)
	p := &freeParser{toks: mergeNumbers(toks), partial: partial, loose: loose}
	p.used = make([]bool, len(p.toks))
	p.parse(&in)
	if p.err != nil {
		p.err.SawPlatform, p.err.SawNumber = p.sawPlatform, p.sawNumber
		return Input{}, p.err
	}
	return in, nil
}

type freeParser struct {
	partial     bool // the platform and followers may be missing
	loose       bool // unknown words that form no niche are skipped
	toks        []token
	used        []bool
	err         *InputError
	sawPlatform bool
	sawNumber   bool
	bare        []int // indexes of numbers without a label
	unknown     []int // indexes of words it does not know
}

func (p *freeParser) fail(field, format string, args ...any) {
	if p.err == nil {
		p.err = inputErrorf(field, format, args...)
	}
}

// failExample is fail for a message that shows an example of good input.
func (p *freeParser) failExample(field, format string, args ...any) {
	if p.err == nil {
		p.err = exampleErrorf(field, format, args...)
	}
}

func (p *freeParser) use(i, n int) {
	for k := i; k < i+n && k < len(p.used); k++ {
		p.used[k] = true
	}
}

func (p *freeParser) parse(in *Input) {
	toks := p.toks
	i := 0
	// A leading "check" (the CLI may pass the whole chat line).
	for i < len(toks) && (toks[i].text == "check" || toks[i].text == "eligibility") {
		p.use(i, 1)
		i++
	}
	for i < len(toks) && p.err == nil {
		t := toks[i]
		if p.used[i] {
			i++
			continue
		}
		if t.kind == tokPunct {
			p.use(i, 1)
			i++
			continue
		}
		if t.kind == tokNumber {
			i = p.number(in, i)
			continue
		}
		if plat, n, ok := p.platformAt(i); ok {
			p.sawPlatform = true
			if in.Platform != "" && in.Platform != plat.ID {
				p.fail("platform", "I can check one platform at a time, and that names both %s and %s; run one check per platform", platformName(in.Platform), plat.Name)
				return
			}
			in.Platform = plat.ID
			p.use(i, n)
			i += n
			continue
		}
		if nicheLabels[t.text] {
			i = p.niche(in, i)
			continue
		}
		if field, ok := labels[t.text]; ok {
			i = p.labelFirst(in, i, field)
			continue
		}
		if v, n, ok := matchCadence(toks, i); ok {
			p.setCadence(in, v, toks[i].text)
			p.use(i, n)
			i += n
			continue
		}
		if cadenceLabels[t.text] {
			if n := p.cadenceLabelFirst(in, i); n > 0 {
				i += n
				continue
			}
			// What they post, with no rhythm after it ("videos get 12k
			// views"): no data, and not a niche.
			i++
			continue
		}
		if t.text == "engagement" || t.text == "er" {
			// "3% engagement" is caught at the number; a bare word is filler.
			p.use(i, 1)
			i++
			continue
		}
		if fillers[t.text] {
			i++
			continue
		}
		p.unknown = append(p.unknown, i)
		i++
	}
	if p.err != nil {
		return
	}
	p.finish(in)
}

// platformAt matches a platform name, including two-word spellings ("tik
// tok"), at toks[i]. A lone "x" right after a number is a multiplier ("3 x
// a week"), not the platform.
func (p *freeParser) platformAt(i int) (Platform, int, bool) {
	t := p.toks[i]
	if t.kind != tokWord {
		return Platform{}, 0, false
	}
	if i+1 < len(p.toks) && p.toks[i+1].kind == tokWord {
		if pl, ok := LookupPlatform(t.text + " " + p.toks[i+1].text); ok {
			return pl, 2, true
		}
	}
	if t.text == "x" && i > 0 && p.toks[i-1].kind == tokNumber {
		return Platform{}, 0, false
	}
	pl, ok := LookupPlatform(t.text)
	return pl, 1, ok
}

// number handles a number at toks[i]: a rhythm, a count with its label
// after it, a post count, or a bare number.
func (p *freeParser) number(in *Input, i int) int {
	toks := p.toks
	t := toks[i]
	switch {
	case t.bad != "" && t.badExample:
		p.failExample("", "%s", t.bad)
		return i + 1
	case t.bad != "":
		p.fail("", "%s", t.bad)
		return i + 1
	case t.neg:
		what := "numbers"
		if j := p.nextLabel(i + 1); j >= 0 {
			what = labels[toks[j].text]
		}
		p.fail(what, "%s can't be negative (got -%s)", what, t.text)
		return i + 1
	case t.pct:
		p.failExample("", "I work out the engagement rate myself: give your average likes and comments per post instead of %s%%", t.text)
		return i + 1
	}
	if v, n, ok := matchCadence(toks, i); ok {
		p.sawNumber = true
		p.setCadence(in, v, t.text)
		p.use(i, n)
		return i + n
	}
	// "4200 instagram followers": the platform between a count and its label.
	if i+2 < len(toks) {
		p.platformBeforeLabel(in, i+1)
		if p.err != nil {
			return i + 1
		}
	}
	if j := p.nextLabel(i + 1); j >= 0 {
		// "150 likes", "150 avg likes"; then skip "per post", "a video".
		p.sawNumber = true
		p.setCount(in, labels[toks[j].text], t.num, t.text)
		p.use(i, j-i+1)
		k := j + 1
		if e := skipPerPost(toks, k); e > k {
			p.use(k, e-k)
			k = e
		}
		return k
	}
	if i+1 < len(toks) && (toks[i+1].text == "posts" || toks[i+1].text == "videos" || toks[i+1].text == "reels" || toks[i+1].text == "uploads" || toks[i+1].text == "tiktoks") {
		// "3 posts" with no period: a week is what people mean.
		p.sawNumber = true
		p.setCadence(in, t.num, t.text)
		p.use(i, 2)
		return i + 2
	}
	p.bare = append(p.bare, i)
	p.use(i, 1)
	return i + 1
}

// platformBeforeLabel takes the platform at toks[k] when a count label
// follows it ("4200 instagram followers").
func (p *freeParser) platformBeforeLabel(in *Input, k int) {
	pl, n, ok := p.platformAt(k)
	if !ok || k+n >= len(p.toks) {
		return
	}
	if _, isLabel := labels[p.toks[k+n].text]; !isLabel {
		return
	}
	p.sawPlatform = true
	if in.Platform != "" && in.Platform != pl.ID {
		p.fail("platform", "I can check one platform at a time, and that names both %s and %s; run one check per platform", platformName(in.Platform), pl.Name)
		return
	}
	in.Platform = pl.ID
	p.use(k, n)
}

// nextLabel returns the index of a count label at toks[j], allowing
// "avg"/"average" before it, or -1.
func (p *freeParser) nextLabel(j int) int {
	for k := j; k < len(p.toks) && k < j+3; k++ {
		t := p.toks[k]
		if _, ok := labels[t.text]; ok && !p.used[k] {
			return k
		}
		if p.used[k] && t.kind == tokWord {
			continue // the platform in "4200 instagram followers"
		}
		if !hedges[t.text] && t.text != "per" && t.text != "post" {
			return -1
		}
	}
	return -1
}

// labelFirst handles "followers: 4200", "likes 150", "avg likes = 150".
func (p *freeParser) labelFirst(in *Input, i int, field string) int {
	toks := p.toks
	j := i + 1
	for j < len(toks) && j < i+6 {
		if e := skipPerPost(toks, j); e > j {
			j = e // "likes per post: 150", "views on each video about 2k"
			continue
		}
		if !hedges[toks[j].text] || p.used[j] {
			break
		}
		j++
	}
	if j < len(toks) && toks[j].kind == tokNumber && !p.used[j] {
		strong := j > i+1 && (toks[i+1].text == ":" || toks[i+1].text == "=")
		// "like 4k followers": the number belongs to the label after it,
		// unless that label itself is followed by a number.
		if k := p.nextLabel(j + 1); k >= 0 && !strong && !(k+1 < len(toks) && toks[k+1].kind == tokNumber) {
			p.failExample(field, "%s needs a number, like `%s`", field, example(field))
			return i + 1
		}
		t := toks[j]
		switch {
		case t.bad != "" && t.badExample:
			p.failExample(field, "%s: %s", field, t.bad)
		case t.bad != "":
			p.fail(field, "%s: %s", field, t.bad)
		case t.neg:
			p.fail(field, "%s can't be negative (got -%s)", field, t.text)
		case t.pct:
			p.fail(field, "give %s as a number per post, not a percentage", field)
		default:
			p.sawNumber = true
			p.setCount(in, field, t.num, t.text)
		}
		end := skipPerPost(toks, j+1) // "likes around 300 on each video"
		p.use(i, end-i)
		return end
	}
	if p.loose {
		// "i mostly share on facebook": the word, not a label.
		return i + 1
	}
	p.failExample(field, "%s needs a number, like `%s`", field, example(field))
	return i + 1
}

// cadenceLabelFirst handles "posts per week: 3", "posts: 3/week", "posting
// daily", "cadence weekly". It returns the tokens used, 0 when the label
// turned out not to start a rhythm.
func (p *freeParser) cadenceLabelFirst(in *Input, i int) int {
	toks := p.toks
	j := i + 1
	for j < len(toks) && j < i+4 && hedges[toks[j].text] && !p.used[j] {
		j++ // "post like every day", "posting about 3 times a week"
	}
	if v, n, ok := matchCadence(toks, j); ok {
		p.sawNumber = true
		p.setCadence(in, v, toks[j].text)
		p.use(i, j+n-i)
		return j + n - i
	}
	per := 1.0
	if v, n, ok := matchPeriod(toks, j); ok {
		per = v
		j += n
	}
	for j < len(toks) && hedges[toks[j].text] && !p.used[j] {
		j++
	}
	if v, n, ok := matchCadence(toks, j); ok {
		p.sawNumber = true
		p.setCadence(in, v, toks[j].text)
		p.use(i, j+n-i)
		return j + n - i
	}
	if j < len(toks) && toks[j].kind == tokNumber && toks[j].bad == "" && !toks[j].neg && !toks[j].pct && p.nextLabel(j+1) < 0 {
		// Not "videos average 2k views": that number is the views'.
		p.sawNumber = true
		p.setCadence(in, toks[j].num*per, toks[j].text)
		p.use(i, j+1-i)
		return j + 1 - i
	}
	return 0
}

// niche handles "niche home decor" (label first) and "home decor niche"
// (label last).
func (p *freeParser) niche(in *Input, i int) int {
	toks := p.toks
	j := i + 1
	for j < len(toks) && (toks[j].text == ":" || toks[j].text == "=" || toks[j].text == "is" || toks[j].text == "-") {
		j++
	}
	var words []string
	k := j
	for ; k < len(toks); k++ {
		t := toks[k]
		if t.text == "," && len(words) > 0 && k+1 < len(toks) && p.nicheWordAt(k+1) {
			// "niche: home decor, diy": a list of topics is one niche.
			words[len(words)-1] += ","
			continue
		}
		if t.kind == tokNumber || p.used[k] || nicheStop(t) {
			break
		}
		if _, ok := labels[t.text]; ok {
			break
		}
		if _, _, ok := p.platformAt(k); ok && len(words) > 0 {
			break
		}
		words = append(words, t.text)
	}
	if len(words) > 0 {
		p.setNiche(in, words)
		p.use(i, k-i)
		return k
	}
	// Label last: the unknown words right before it ("home & garden niche").
	p.use(i, 1)
	unknown := map[int]bool{}
	for _, u := range p.unknown {
		unknown[u] = true
	}
	k = i - 1
	for k >= 0 && (unknown[k] || toks[k].kind == tokPunct && !nicheStop(toks[k]) || toks[k].kind == tokWord && fillers[toks[k].text] && !p.used[k]) {
		k--
	}
	found := false
	for m := k + 1; m < i; m++ {
		if unknown[m] {
			found = true
		}
		words = append(words, toks[m].text)
	}
	if !found {
		p.failExample("niche", "the niche is missing after %q; write it like `niche home decor`", toks[i].text)
		return i + 1
	}
	kept := p.unknown[:0]
	for _, u := range p.unknown {
		if u <= k {
			kept = append(kept, u)
		}
	}
	p.unknown = kept
	p.setNiche(in, words)
	return i + 1
}

// nicheWordAt reports whether toks[k] can go on a niche: a word that is
// not a count label, a platform, the start of a rhythm or used already.
func (p *freeParser) nicheWordAt(k int) bool {
	t := p.toks[k]
	if t.kind != tokWord || p.used[k] {
		return false
	}
	if _, ok := labels[t.text]; ok {
		return false
	}
	if _, _, ok := p.platformAt(k); ok {
		return false
	}
	if _, _, ok := matchCadence(p.toks, k); ok {
		return false
	}
	return !cadenceLabels[t.text]
}

func nicheStop(t token) bool {
	if t.kind != tokPunct {
		return false
	}
	switch t.text {
	case "&", "/", "+", "-", "'":
		return false
	}
	return true
}

func (p *freeParser) setNiche(in *Input, words []string) {
	// Drop fillers and empty words at the edges ("in the home decor",
	// "beauty stuff").
	for len(words) > 0 && (fillers[words[0]] || nicheNoise[words[0]]) {
		words = words[1:]
	}
	for len(words) > 0 && (fillers[words[len(words)-1]] || nicheNoise[words[len(words)-1]]) {
		words = words[:len(words)-1]
	}
	if len(words) == 0 {
		p.failExample("niche", "the niche is missing; write it like `niche home decor`")
		return
	}
	if in.Niche != "" {
		p.failExample("niche", "the niche is given twice; give one, like `niche home decor`")
		return
	}
	if err := in.Set("niche", strings.Join(words, " ")); err != nil {
		p.err = err.(*InputError)
	}
}

func (p *freeParser) setCount(in *Input, field string, v float64, text string) {
	var dst **float64
	switch field {
	case "followers":
		dst = &in.Followers
	case "likes":
		dst = &in.Likes
	case "comments":
		dst = &in.Comments
	case "shares":
		dst = &in.Shares
	case "views":
		dst = &in.Views
	}
	if *dst != nil {
		p.fail(field, "%s is given twice (%s and %s); give one average", field, formatCount(**dst), text)
		return
	}
	if err := checkCount(field, v); err != nil {
		p.err = err.(*InputError)
		return
	}
	*dst = &v
}

func (p *freeParser) setCadence(in *Input, v float64, text string) {
	if in.PostsPerWeek != nil {
		p.failExample("posts_per_week", "how often you post is given twice; give one rhythm, like 3 posts a week")
		return
	}
	if err := checkCadence(v); err != nil {
		p.err = err.(*InputError)
		return
	}
	in.PostsPerWeek = &v
}

// finish assigns a bare number to followers, turns one run of unknown words
// into the niche, and reports what is still missing.
func (p *freeParser) finish(in *Input) {
	for _, b := range p.bare {
		t := p.toks[b]
		if p.loose && (t.num < 1000 || in.Followers != nil) {
			// "under review for 5 days", "mom of 3", "i am 25": in a
			// sentence a small number without a label is no audience.
			continue
		}
		if in.Followers == nil {
			p.sawNumber = p.sawNumber || in.Platform != ""
			p.setCount(in, "followers", t.num, t.text)
			continue
		}
		p.failExample("", "I'm not sure what %s is; put a label after it, like `%s likes`, `%s comments` or `%s views`", t.text, t.text, t.text, t.text)
		return
	}
	if len(p.unknown) > 0 {
		contiguous := true
		for k := 1; k < len(p.unknown); k++ {
			for m := p.unknown[k-1] + 1; m < p.unknown[k]; m++ {
				t := p.toks[m]
				if !(fillers[t.text] && !p.used[m]) && !(t.kind == tokPunct && !nicheStop(t)) && t.text != "," {
					contiguous = false
				}
			}
		}
		if contiguous && in.Niche == "" {
			var words []string
			for m := p.unknown[0]; m <= p.unknown[len(p.unknown)-1]; m++ {
				if p.toks[m].text != "," {
					words = append(words, p.toks[m].text)
				}
			}
			p.setNiche(in, words)
		} else if !p.loose {
			var ws []string
			for _, u := range p.unknown {
				ws = append(ws, fmt.Sprintf("%q", p.toks[u].text))
			}
			if len(ws) > 5 {
				ws = append(ws[:5], "…")
			}
			p.failExample("", "I didn't understand %s; a check takes a platform, numbers with labels (followers, likes, comments, shares, views), how often you post and a niche, like: instagram 4.2k followers 150 likes 12 comments 3 posts a week niche home decor", strings.Join(ws, ", "))
			return
		}
	}
	if p.err != nil || p.partial {
		return
	}
	if in.Platform == "" {
		if w, ok := p.leadingWord(); ok {
			// "myspace 5k followers": the first word was meant as the platform.
			p.failExample("platform", "%q isn't a platform I check; use %s, like: instagram 4.2k followers 150 likes", clipText(w, 30), PlatformNames)
			return
		}
		p.failExample("platform", "tell me the platform: %s, like: instagram 4.2k followers 150 likes", PlatformNames)
		return
	}
	if in.Followers == nil {
		p.failExample("followers", "tell me your %s, like: %s 4.2k %s", audienceOf(in.Platform), in.Platform, audienceOf(in.Platform))
	}
}

// leadingWord returns the text's first word when it is a lone word the
// parser did not know, standing where the platform usually goes: only
// "check" or filler words before it, and no other unknown word after it.
func (p *freeParser) leadingWord() (string, bool) {
	if len(p.unknown) == 0 {
		return "", false
	}
	u := p.unknown[0]
	for k := 0; k < u; k++ {
		t := p.toks[k]
		if !(t.text == "check" || t.text == "eligibility" || t.kind == tokPunct || fillers[t.text] && !p.used[k]) {
			return "", false
		}
	}
	if u+1 < len(p.toks) && p.toks[u+1].kind == tokWord && !p.used[u+1] {
		return "", false // several unknown words: a niche, not a platform
	}
	return p.toks[u].text, true
}

// mergeNumbers joins "12 300" into one number and applies a separate
// magnitude word ("4.2 k", "1.5 million").
func mergeNumbers(toks []token) []token {
	out := toks[:0:0]
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		// "five thousand", "a million": a number word with a magnitude.
		if t.kind == tokWord && i+1 < len(toks) && toks[i+1].kind == tokWord {
			w, isWord := numberWords[t.text]
			if t.text == "a" || t.text == "an" {
				w, isWord = 1, true
			}
			if m, ok := magnitudes[toks[i+1].text]; ok && isWord && w > 0 && len(toks[i+1].text) > 1 && t.text != "few" && t.text != "several" && t.text != "couple" {
				t = token{kind: tokNumber, text: t.text + " " + toks[i+1].text, num: w * m}
				i++
			} else if _, label := labels[toks[i+1].text]; label && SaysCount(t.text) {
				// "ten comments": a count in words, before its label.
				t = token{kind: tokNumber, text: t.text, num: w}
			}
		}
		if t.kind == tokNumber && t.bad == "" && !t.pct {
			for plainDigits(t.text, 1, 3) || groupedDigits(t.text) {
				if i+1 < len(toks) && toks[i+1].kind == tokNumber && plainDigits(toks[i+1].text, 3, 3) && !toks[i+1].neg {
					t.text += " " + toks[i+1].text
					t.num = t.num*1000 + toks[i+1].num
					t.pct = toks[i+1].pct
					i++
					continue
				}
				break
			}
			if i+1 < len(toks) && toks[i+1].kind == tokWord {
				if m, ok := magnitudes[toks[i+1].text]; ok && !strings.ContainsAny(t.text, "kmb") {
					t.text += " " + toks[i+1].text
					t.num *= m
					i++
				}
			}
			// A range, "200-300", "3-5k", "3k to 5k": its middle. A
			// magnitude on the second number only applies to both.
			if i+2 < len(toks) && (toks[i+1].text == "-" || toks[i+1].text == "–" || toks[i+1].text == "to") &&
				toks[i+2].kind == tokNumber && toks[i+2].bad == "" && !toks[i+2].pct && !toks[i+2].neg && !t.pct {
				lo, hi := t.num, toks[i+2].num
				if m := magnitudeOf(toks[i+2].text); m > 1 && magnitudeOf(t.text) == 1 && lo*m <= hi {
					lo *= m
				}
				if lo <= hi {
					t.text += "-" + toks[i+2].text
					t.num = (lo + hi) / 2
					i += 2
				}
			}
			if t.num > 1e18 || math.IsInf(t.num, 0) {
				// "1 000 000 000 ..." merged past any count.
				t.bad = clipText(t.text, 20) + " is far too large"
			}
		}
		out = append(out, t)
	}
	return out
}

// magnitudeOf is the multiplier a number's suffix gives ("5k": 1000), 1
// for none.
func magnitudeOf(text string) float64 {
	end := len(text)
	for end > 0 && (text[end-1] < '0' || text[end-1] > '9') {
		end--
	}
	if m, ok := magnitudes[strings.TrimSpace(text[end:])]; ok {
		return m
	}
	return 1
}

func plainDigits(s string, min, max int) bool {
	if len(s) < min || len(s) > max {
		return false
	}
	for _, r := range s {
		if !isDigit(r) {
			return false
		}
	}
	return true
}

// groupedDigits reports whether s is "12 300" style, as mergeNumbers
// builds it.
func groupedDigits(s string) bool {
	parts := strings.Split(s, " ")
	if len(parts) < 2 {
		return false
	}
	for k, part := range parts {
		if (k == 0 && !plainDigits(part, 1, 3)) || (k > 0 && !plainDigits(part, 3, 3)) {
			return false
		}
	}
	return true
}

func example(field string) string {
	switch field {
	case "followers":
		return "4.2k followers"
	case "likes":
		return "150 likes"
	case "comments":
		return "12 comments"
	case "shares":
		return "5 shares"
	case "views":
		return "800 views"
	}
	return "3 posts a week"
}

func audienceOf(platform string) string {
	for _, p := range platforms {
		if p.ID == platform {
			return p.Audience
		}
	}
	return "followers"
}

func platformName(id string) string {
	for _, p := range platforms {
		if p.ID == id {
			return p.Name
		}
	}
	return id
}

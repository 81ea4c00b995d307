// Package disclosure checks a post caption for an FTC-style affiliate
// disclosure: an Amazon link needs a clear "#ad" or "I earn a commission"
// where people see it, not a vague tag, not hidden behind "more", not
// buried in the hashtags at the end.
package disclosure

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Finding levels.
const (
	Fail = "fail"
	Warn = "warn"
	Info = "info"
)

// Rules a finding can come from.
const (
	RuleMissing     = "missing-disclosure"        // Amazon link, no clear disclosure
	RuleWeak        = "weak-disclosure"           // only vague tags like #sp or #aff
	RulePromotional = "promotional-no-disclosure" // promotes without a link and without a disclosure
	RuleBelowFold   = "disclosure-below-fold"     // after the first FoldLength characters
	RuleBuried      = "disclosure-buried"         // only among the trailing hashtags
	RuleSupport     = "support-wording"           // "support me" instead of saying you earn
	RuleAssociates  = "associates-statement"      // the profile needs Amazon's sentence
)

// FoldLength is about how much of a caption Instagram and TikTok show
// before "more".
const FoldLength = 125

// MaxCaption is the longest caption Lint reads, in characters (YouTube
// descriptions run to 5,000).
const MaxCaption = 10000

// AssociatesSentence is the statement Amazon requires of every Associate.
const AssociatesSentence = "As an Amazon Associate I earn from qualifying purchases."

// Finding is one thing the lint noticed.
type Finding struct {
	Rule    string `json:"rule"`
	Level   string `json:"level"` // fail, warn or info
	Message string `json:"message"`
}

// Report is the result of a lint. OK is false exactly when a finding has
// level fail. Its JSON form is what "influbot lint --json" prints.
type Report struct {
	OK       bool      `json:"ok"`
	Findings []Finding `json:"findings"`

	// For replies; not part of the JSON.
	HasLink       bool `json:"-"` // the caption links to Amazon
	HasDisclosure bool `json:"-"` // it has a clear disclosure
}

// Error is a caption Lint cannot check (empty or too long). Its message is
// safe to show a user.
type Error struct{ Msg string }

func (e *Error) Error() string { return e.Msg }

var (
	amazonLink = regexp.MustCompile(`(?i)(?:https?://)?(?:[a-z0-9-]+\.)*(?:amazon\.(?:com?\.)?[a-z]{2,3}|amzn\.(?:to|com|eu|asia)|a\.co/)\S*|\S*/shop/\S*`)

	clearPatterns = []*regexp.Regexp{
		regexp.MustCompile(`(?i)#ad(?:$|[^\p{L}\p{N}_])`),
		regexp.MustCompile(`(?i)#(?:advert|advertisement|advertising|sponsored|paidad|paidpartnership|paidpartner|paidlink|commissionsearned|commissionearned)\b`),
		regexp.MustCompile(`(?i)(?:^|[\s(\[|])ad\s*(?::|\||\s[-–—]|[-–—]\s)`),
		regexp.MustCompile(`(?i)[(\[]\s*(?:ad|advert|advertisement|sponsored|paid link|affiliate link, paid)\s*[)\]]`),
		regexp.MustCompile(`(?i)\b(?:advertisement|sponsored|paid partnership|paid promotion|paid links?|commissions? earned)\b`),
		regexp.MustCompile(`(?i)\b(?:this is an?|this post is an?|it'?s an?)\s+(?:ad|advert)\b`),
		regexp.MustCompile(`(?i)\b(?:i|we)\s+(?:may\s+|might\s+|will\s+|could\s+|do\s+)?(?:earn|get|receive|make)s?\s+(?:a\s+|an\s+)?(?:small\s+|little\s+|tiny\s+)?(?:affiliate\s+)?(?:commission|cut|percentage)`),
		regexp.MustCompile(`(?i)\bearns?\s+(?:me|us)\s+(?:a\s+)?(?:small\s+)?(?:affiliate\s+)?commission`),
		regexp.MustCompile(`(?i)\bi\s+earn\s+from\s+qualifying\s+purchases`),
	}
	// negated ends the text before a disclosure that denies it: "not
	// sponsored", "non-sponsored", "not #ad". An Amazon link is a paid
	// link, so a denial is no disclosure.
	negated = regexp.MustCompile(`(?i)(?:\b(?:not|non|no|never|nor)|n't)[\s\-–—(\[#"'“]*$`)

	associatesPattern = regexp.MustCompile(`(?i)as\s+an\s+amazon\s+associate,?\s+(?:i|we)\s+earn\s+from\s+qualifying\s+purchases`)

	weakPatterns = []*regexp.Regexp{
		regexp.MustCompile(`(?i)#(?:sp|spon|aff|affiliate|affiliatelink|affiliatelinks|partner|amazonpartner|collab|ambassador|brandambassador|gifted)(?:$|[^\p{L}\p{N}_])`),
		regexp.MustCompile(`(?i)\baffiliate\s+links?\b`),
		regexp.MustCompile(`(?:^|[^\p{L}])(?i:thanks|thank\s+you)(?:\s+so\s+much)?,?\s+(?i:to\s+)?(?:@[\w.]+|[A-Z][\p{L}&'’-]+)`),
	}
	// thanksNotBrand are capitalised words after "thanks" that are not a
	// brand ("Thanks Everyone").
	thanksNotBrand = map[string]bool{
		"everyone": true, "everybody": true, "guys": true, "all": true, "you": true, "for": true, "so": true,
		"again": true, "god": true, "y'all": true, "friends": true, "fam": true, "babe": true, "mom": true,
		"to": true, "a": true, "again!": true, "in": true, "team": true,
	}

	supportPattern = regexp.MustCompile(`(?i)\b(?:support\s+(?:me|my|the\s+channel|this\s+channel|our|us|small\s+creators?|a\s+small\s+creator)|helps?\s+(?:me|us)\s+out|helps?\s+support|supports?\s+(?:me|my|the|this|our|us)\b|at\s+no\s+(?:extra\s+|additional\s+)?cost\s+to\s+you)`)

	promoPattern = regexp.MustCompile(`(?i)\b(?:link\s+in\s+(?:my\s+)?bio|shop\s+(?:my|the|this)\b|(?:amazon\s+)?storefront|use\s+my\s+(?:link|code)|my\s+links?\b|discount\s+code|use\s+code|\d+\s*%\s*off|available\s+on\s+amazon|(?:grab|get|buy|order)\s+(?:it|yours|one|them)\s+(?:on|from|at)\s+amazon|found\s+(?:it|this|them)\s+on\s+amazon)|#(?:amazonfinds|founditonamazon|amazonmusthaves|amazonhome|amazonfashion|amazoninfluencer|amazondeals|amazonfind|amazonstorefront|ltkfinds|liketkit)\b`)
)

// Lint checks a caption. It returns an *Error for an empty or oversized
// caption.
func Lint(caption string) (Report, error) {
	if !utf8.ValidString(caption) {
		caption = strings.ToValidUTF8(caption, "")
	}
	if strings.TrimSpace(caption) == "" {
		return Report{}, &Error{Msg: "the caption is empty; paste the text of your post, like: lint Love this lamp! #ad amzn.to/3xYz"}
	}
	if n := utf8.RuneCountInString(caption); n > MaxCaption {
		return Report{}, &Error{Msg: fmt.Sprintf("the caption is %d characters long; I check up to %d", n, MaxCaption)}
	}
	r := Report{Findings: []Finding{}}
	r.HasLink = amazonLink.MatchString(caption)

	clear, denials := affirmed(caption, findAll(caption, clearPatterns))
	if loc := associatesPattern.FindStringIndex(caption); loc != nil {
		clear = append(clear, loc)
	}
	weak := findWeak(caption)
	r.HasDisclosure = len(clear) > 0
	tailStart := trailingHashtags(caption)

	switch {
	case len(clear) > 0:
		visible, inFold, outsideTail := false, false, false
		for _, m := range clear {
			front := runeIndex(caption, m[0]) < FoldLength
			notTail := m[0] < tailStart
			inFold = inFold || front
			outsideTail = outsideTail || notTail
			visible = visible || (front && notTail)
		}
		if !visible {
			if !outsideTail {
				r.add(RuleBuried, Warn, "The disclosure is buried among the hashtags at the end, where people skim past it. Put it on its own at the start, like \"#ad\" or \"I earn a commission from this link\".")
			}
			if !inFold {
				r.add(RuleBelowFold, Warn, fmt.Sprintf("The disclosure comes after the first %d characters, hidden behind \"more\". Move it to the first line, before the link.", FoldLength))
			}
		}
	case len(weak) > 0:
		verb := "is not a clear disclosure"
		if len(weak) > 1 {
			verb = "are not clear disclosures"
		}
		r.add(RuleWeak, Warn, fmt.Sprintf("%s %s: it doesn't plainly say you earn from this post. Use \"#ad\" or \"I earn a commission if you buy through this link\" instead.", quoteList(weak), verb))
	case r.HasLink && len(denials) > 0:
		r.add(RuleMissing, Fail, fmt.Sprintf("This caption says %q but links to Amazon: if you earn from that link, it is a paid link and %q misleads. Replace it with \"#ad\" or \"I earn a commission if you buy through this link\" at the start, before the link.", clipRunes(denials[0], 40), strings.ToLower(clipRunes(denials[0], 40))))
	case r.HasLink:
		r.add(RuleMissing, Fail, "This caption links to Amazon but doesn't say you earn from it. Add \"#ad\" or \"I earn a commission if you buy through this link\" at the start, before the link.")
	case promoPattern.MatchString(caption):
		r.add(RulePromotional, Warn, "This reads like a promotion (a storefront, a link in bio, a code). If you can earn from it, say so at the start: \"#ad\" or \"I earn a commission from my links\".")
	}
	if m := supportPattern.FindString(caption); m != "" {
		msg := fmt.Sprintf("%q doesn't tell people you earn money when they buy. Say it plainly: \"I earn a commission from this link\".", strings.TrimSpace(m))
		if len(clear) > 0 {
			msg = fmt.Sprintf("%q is fine next to your disclosure, but it never replaces one: keep the plain \"#ad\" or \"I earn a commission\".", strings.TrimSpace(m))
		}
		r.add(RuleSupport, Warn, msg)
	}
	r.add(RuleAssociates, Info, "Amazon also requires the sentence \""+AssociatesSentence+"\" on your profile or bio where your storefront link lives; a caption disclosure doesn't replace it.")
	r.OK = true
	for _, f := range r.Findings {
		if f.Level == Fail {
			r.OK = false
		}
	}
	return r, nil
}

func (r *Report) add(rule, level, msg string) {
	r.Findings = append(r.Findings, Finding{Rule: rule, Level: level, Message: msg})
}

func findAll(s string, pats []*regexp.Regexp) [][]int {
	var out [][]int
	for _, p := range pats {
		for _, m := range p.FindAllStringIndex(s, -1) {
			// Skip the separator a pattern may have matched before the tag.
			start := m[0]
			for start < m[1] && !isDisclosureStart(s[start]) {
				start++
			}
			out = append(out, []int{start, m[1]})
		}
	}
	return out
}

// affirmed splits disclosure matches into those that stand and the
// denials ("not sponsored") that only look like one, returned as written.
func affirmed(s string, matches [][]int) (clear [][]int, denials []string) {
	for _, m := range matches {
		from := m[0] - 24
		if from < 0 {
			from = 0
		}
		if loc := negated.FindStringIndex(s[from:m[0]]); loc != nil {
			denials = append(denials, strings.TrimSpace(s[from+loc[0]:m[1]]))
			continue
		}
		clear = append(clear, m)
	}
	return clear, denials
}

func clipRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

func isDisclosureStart(b byte) bool {
	return b == '#' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b == '(' || b == '['
}

// findWeak returns the weak tags a caption uses, as written.
func findWeak(s string) []string {
	var out []string
	for _, p := range weakPatterns {
		for _, m := range p.FindAllString(s, -1) {
			m = strings.TrimFunc(m, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '#' && r != '@' })
			if strings.HasPrefix(strings.ToLower(m), "thank") {
				fields := strings.Fields(m)
				last := strings.ToLower(strings.Trim(fields[len(fields)-1], ",.!"))
				if thanksNotBrand[last] {
					continue
				}
			}
			if m != "" && !containsFold(out, m) {
				out = append(out, m)
			}
		}
	}
	return out
}

// trailingHashtags returns the byte offset where a caption's closing block
// of three or more hashtags and mentions begins, or len(s) when it has none.
func trailingHashtags(s string) int {
	end := len(strings.TrimRightFunc(s, unicode.IsSpace))
	start, tags := end, 0
	for i := end; i > 0; {
		// Find the previous whitespace-separated token.
		j := strings.LastIndexFunc(s[:i], unicode.IsSpace) + 1
		tok := strings.TrimRight(s[j:i], ".!,;")
		if tok == "" || !(tok[0] == '#' || tok[0] == '@') {
			break
		}
		tags++
		start = j
		i = strings.LastIndexFunc(s[:j], func(r rune) bool { return !unicode.IsSpace(r) }) + 1
		if i <= 0 {
			break
		}
	}
	if tags < 3 {
		return len(s)
	}
	return start
}

func runeIndex(s string, byteOff int) int { return utf8.RuneCountInString(s[:byteOff]) }

func quoteList(items []string) string {
	q := make([]string, len(items))
	for i, it := range items {
		q[i] = "\"" + it + "\""
	}
	switch len(q) {
	case 1:
		return q[0]
	case 2:
		return q[0] + " and " + q[1]
	}
	return strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1]
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

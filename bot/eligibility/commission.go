package eligibility

import (
	"fmt"
	"math"
	"regexp"
	"strings"

	"github.com/influbot/influbot/knowledge"
)

// MaxAmount is the largest sale amount the estimate accepts, in US dollars.
const MaxAmount = 1e9

// Commission is an estimate of what a sale earns. Its JSON form is what
// "influbot commission --json" prints.
type Commission struct {
	Category    string  `json:"category"`
	RatePercent float64 `json:"rate_percent"`
	Amount      float64 `json:"amount"`
	Commission  float64 `json:"commission"`
	// Matched is false when the category was not found and the default
	// line (all other categories) applied.
	Matched bool `json:"matched"`

	// For replies; not part of the JSON.
	Query string                   `json:"-"` // the category as the creator wrote it
	Rate  knowledge.CommissionRate `json:"-"`
}

// MatchCategory finds the commission line for a category name written
// loosely ("electronics", "home & garden", "PC"): an exact name or alias
// first, then the longest alias the name contains. Unknown names get the
// default line (all other categories) and ok false.
func MatchCategory(name string, table []knowledge.CommissionRate) (rate knowledge.CommissionRate, ok bool) {
	rate, _, ok = MatchCategoryAlias(name, table)
	return rate, ok
}

// MatchCategoryAlias is MatchCategory that also says which alias matched:
// the whole name, or the longest alias the name holds as whole words
// ("skincare" in "do i earn on a skincare order"). alias is "" when ok is
// false.
func MatchCategoryAlias(name string, table []knowledge.CommissionRate) (rate knowledge.CommissionRate, alias string, ok bool) {
	key := knowledge.MatchKey(name)
	if key != "" {
		for _, c := range table {
			for _, a := range c.Aliases {
				if a == key {
					return c, a, true
				}
			}
		}
		padded := " " + key + " "
		best := -1
		for i, c := range table {
			for _, a := range c.Aliases {
				if len(a) > len(alias) && strings.Contains(padded, " "+a+" ") {
					best, alias = i, a
				}
			}
		}
		if best >= 0 {
			return table[best], alias, true
		}
	}
	for _, c := range table {
		if c.Default {
			return c, "", false
		}
	}
	return knowledge.CommissionRate{}, "", false
}

// EstimateCommission estimates what a sale of amount US dollars in a
// category earns at the standard rate.
func EstimateCommission(category string, amount float64, rules *knowledge.Rules) (Commission, error) {
	category = strings.TrimSpace(category)
	if category == "" {
		return Commission{}, exampleErrorf("category", "the category is missing; name one like kitchen, beauty, electronics or pc")
	}
	if len([]rune(category)) > 100 {
		return Commission{}, exampleErrorf("category", "that category name is too long; name one like kitchen, beauty, electronics or pc")
	}
	if err := checkAmount(amount); err != nil {
		return Commission{}, err
	}
	if rules == nil || len(rules.Commission) == 0 {
		return Commission{}, fmt.Errorf("eligibility: no commission table")
	}
	rate, ok := MatchCategory(category, rules.Commission)
	amount = round2(amount)
	return Commission{
		Category:    rate.Category,
		RatePercent: rate.Rate,
		Amount:      amount,
		Commission:  round2(amount * rate.Rate / 100),
		Query:       category,
		Matched:     ok,
		Rate:        rate,
	}, nil
}

func checkAmount(v float64) error {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return exampleErrorf("amount", "the amount must be a number of US dollars, like 250 or 49.99")
	case v < 0:
		return inputErrorf("amount", "the amount can't be negative (got %s)", formatNumber(v))
	case v > MaxAmount:
		return inputErrorf("amount", "$%s is more than a sale can be; give an amount up to $1,000,000,000", formatCount(v))
	}
	return nil
}

// ParseAmount reads a sale amount in US dollars: "250", "$250", "49.99",
// "1,200", "$1.2k", "250 USD", "250 dollars".
func ParseAmount(s string) (float64, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	for _, suffix := range []string{"us dollars", "dollars", "dollar", "bucks", "usd"} {
		t = strings.TrimSpace(strings.TrimSuffix(t, suffix))
	}
	t = strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(t, "us$"), "$"))
	neg := strings.HasPrefix(t, "-") || strings.HasPrefix(t, "−")
	t = strings.TrimLeft(t, "-−")
	t = strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(t, "us$"), "$"))
	if t == "" {
		return 0, exampleErrorf("amount", "the amount is missing; give it in US dollars, like 250 or 49.99")
	}
	if t[0] < '0' || t[0] > '9' {
		if t[0] != '.' {
			return 0, exampleErrorf("amount", "%q is not an amount I can read; give it in US dollars, like 250 or 49.99", clipText(strings.TrimSpace(s), 30))
		}
	}
	v, err := ParseNumber(t)
	if err != nil {
		if ie, ok := err.(*InputError); ok && ie.tooLarge && !neg {
			return 0, inputErrorf("amount", "%s is more than a sale can be; give an amount up to $1,000,000,000", clipText(strings.TrimSpace(s), 30))
		}
		return 0, exampleErrorf("amount", "%q is not an amount I can read; give it in US dollars, like 250 or 49.99", clipText(strings.TrimSpace(s), 30))
	}
	if neg {
		v = -v
	}
	if err := checkAmount(v); err != nil {
		return 0, err
	}
	return v, nil
}

// amountFillers are words around a category and amount in chat ("on a $80
// kitchen order").
var amountFillers = map[string]bool{
	"on": true, "for": true, "of": true, "in": true, "a": true, "an": true, "the": true, "at": true,
	"worth": true, "sale": true, "sales": true, "order": true, "purchase": true, "usd": true, "dollars": true,
	"dollar": true, "bucks": true, "is": true, "what": true, "how": true, "much": true, "would": true, "i": true,
	"earn": true, "make": true, "get": true, "category": true, "rate": true, "estimate": true,
}

// ParseCommissionText reads the chat form of an estimate: "electronics
// 250", "250 electronics", "home & garden $80", "$1,200 on furniture". The
// amount is nil when none is given.
func ParseCommissionText(text string) (category string, amount *float64, err error) {
	if len([]rune(text)) > 300 {
		return "", nil, exampleErrorf("", "that is too long; write it like: commission kitchen 80")
	}
	fields := strings.Fields(text)
	var words []string
	for i := 0; i < len(fields); i++ {
		f := strings.Trim(fields[i], ",;:!?()")
		if m := salesCount.FindStringSubmatch(f); m != nil {
			// "kitchen 80 x3": a number of sales, which an estimate of one
			// sale would otherwise drop without a word.
			n := m[1] + m[2]
			return "", nil, exampleErrorf("amount", "“%s” reads as %s sales; I estimate one amount, so give their total, like: commission kitchen 240 for %s sales of $80", f, n, n)
		}
		if looksLikeAmount(f) {
			// "1 200" written with a space.
			for i+1 < len(fields) && plainDigits(strings.Trim(fields[i+1], ",;:!?()"), 3, 3) && plainDigits(strings.TrimLeft(f, "$"), 1, 3) {
				f += strings.Trim(fields[i+1], ",;:!?()")
				i++
			}
			if amount != nil {
				return "", nil, exampleErrorf("amount", "give one amount, like: commission kitchen 80")
			}
			v, err := ParseAmount(f)
			if err != nil {
				return "", nil, err
			}
			amount = &v
			continue
		}
		if f != "" {
			words = append(words, f)
		}
	}
	for len(words) > 0 && amountFillers[strings.ToLower(words[0])] {
		words = words[1:]
	}
	for len(words) > 0 && amountFillers[strings.ToLower(words[len(words)-1])] {
		words = words[:len(words)-1]
	}
	return strings.Join(words, " "), amount, nil
}

// salesCount is a count of sales written with an x: "x3", "3x", "×3".
var salesCount = regexp.MustCompile(`^(?i:[x×](\d{1,4})|(\d{1,4})[x×])$`)

func looksLikeAmount(f string) bool {
	f = strings.TrimPrefix(strings.TrimPrefix(strings.ToLower(f), "us$"), "$")
	f = strings.TrimLeft(f, "-−")
	f = strings.TrimPrefix(f, "$")
	return f != "" && (f[0] >= '0' && f[0] <= '9' || f[0] == '.' && len(f) > 1 && f[1] >= '0' && f[1] <= '9')
}

package eligibility

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"
)

func TestEstimateCommission(t *testing.T) {
	rules := testRules(t)
	tests := []struct {
		name, category string
		amount         float64
		wantCategory   string
		wantRate, want float64
		matched        bool
	}{
		{"electronics fall under all other categories", "electronics", 250, "All other categories", 4, 10, true},
		{"home & garden matches Home", "home & garden", 80, "Home", 3, 2.4, true},
		{"home and garden matches Home too", "Home and Garden", 80, "Home", 3, 2.4, true},
		{"pc matches PC", "pc", 1000, "PC", 2.5, 25, true},
		{"Amazon Games earn 20%", "Amazon Games", 50, "Amazon Games", 20, 10, true},
		{"luxury beauty beats beauty", "luxury beauty", 100, "Luxury Beauty", 10, 10, true},
		{"beauty is 3%", "Beauty", 100, "Beauty", 3, 3, true},
		{"kitchen is 4.5%", "kitchen", 80, "Kitchen", 4.5, 3.6, true},
		{"tvs are televisions", "TVs", 500, "Televisions", 2, 10, true},
		{"gift cards earn nothing", "gift cards", 100, "Gift Cards", 0, 0, true},
		{"wine is an alcoholic beverage", "wine", 40, "Alcoholic Beverages", 0, 0, true},
		{"video games are physical games", "video games", 60, "Physical Video Games & Consoles", 1, 0.6, true},
		{"board games are toys, not video games", "board games", 30, "Toys", 3, 0.9, true},
		{"a plural matches its singular", "headphone", 200, "Headphones", 3, 6, true},
		{"a category inside a phrase is found", "my kitchen gadgets", 100, "Kitchen", 4.5, 4.5, true},
		{"books are physical books", "books", 20, "Physical Books", 4.5, 0.9, true},
		{"an unknown category falls under all other categories", "widgets", 100, "All other categories", 4, 4, false},
		{"cents are rounded", "kitchen", 19.99, "Kitchen", 4.5, 0.9, true},
		{"a zero amount earns zero", "kitchen", 0, "Kitchen", 4.5, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := EstimateCommission(tt.category, tt.amount, rules)
			if err != nil {
				t.Fatal(err)
			}
			if got.Category != tt.wantCategory || got.RatePercent != tt.wantRate || got.Commission != tt.want || got.Matched != tt.matched {
				t.Errorf("got %s %v%% = %v (matched %v), want %s %v%% = %v (matched %v)",
					got.Category, got.RatePercent, got.Commission, got.Matched, tt.wantCategory, tt.wantRate, tt.want, tt.matched)
			}
		})
	}
	bad := []struct {
		name, category string
		amount         float64
		want           string
	}{
		{"a negative amount is refused", "kitchen", -5, "can't be negative"},
		{"an absurd amount is refused", "kitchen", 2e9, "more than a sale can be"},
		{"a missing category is refused", " ", 5, "category is missing"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := EstimateCommission(tt.category, tt.amount, rules); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want %q", err, tt.want)
			}
		})
	}
}

func TestCommissionJSON(t *testing.T) {
	rules := testRules(t)
	tests := []struct {
		name, category, want string
	}{
		{"an unknown category says nothing matched", "spaceships", `{"category":"All other categories","rate_percent":4,"amount":250,"commission":10,"matched":false}`},
		{"a known category says it matched", rules.Commission[0].Aliases[0], ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			est, err := EstimateCommission(tt.category, 250, rules)
			if err != nil {
				t.Fatal(err)
			}
			js, err := json.Marshal(est)
			if err != nil {
				t.Fatal(err)
			}
			if tt.want != "" && !bytes.Equal(js, []byte(tt.want)) {
				t.Errorf("got %s, want %s", js, tt.want)
			}
			if tt.want == "" && !bytes.Contains(js, []byte(`"matched":true`)) {
				t.Errorf("got %s, want matched true", js)
			}
		})
	}
}

func TestParseAmount(t *testing.T) {
	good := map[string]float64{"250": 250, "$250": 250, "49.99": 49.99, "1,200": 1200, "$1.2k": 1200, "250 USD": 250, "250 dollars": 250, "US$80": 80}
	for in, want := range good {
		t.Run(in+" is read", func(t *testing.T) {
			got, err := ParseAmount(in)
			if err != nil || got != want {
				t.Errorf("ParseAmount(%q) = %v, %v; want %v", in, got, err, want)
			}
		})
	}
	bad := map[string]string{"-5": "can't be negative", "$-5": "can't be negative", "abc": "not an amount", "": "missing", "1e12": "more than a sale can be", "1e400": "more than a sale can be", "$9 999 999 999 999 999 999 999": "more than a sale can be", "NaN": "not an amount"}
	for in, want := range bad {
		t.Run(in+" is refused", func(t *testing.T) {
			if _, err := ParseAmount(in); err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("ParseAmount(%q) = %v, want %q", in, err, want)
			}
		})
	}
}

func TestParseCommissionText(t *testing.T) {
	tests := []struct {
		name, text, category string
		amount               float64 // -1: none
		wantErr              string
	}{
		{"category then amount", "electronics 250", "electronics", 250, ""},
		{"amount then category", "250 electronics", "electronics", 250, ""},
		{"a dollar sign and an ampersand", "home & garden $80", "home & garden", 80, ""},
		{"filler words around the amount", "$1,200 on furniture", "furniture", 1200, ""},
		{"a space-grouped amount", "tv 1 200", "tv", 1200, ""},
		{"no amount", "kitchen", "kitchen", -1, ""},
		{"two amounts are refused", "kitchen 80 90", "", 0, "one amount"},
		{"a negative amount is refused", "kitchen -80", "", 0, "can't be negative"},
		{"a count of sales after is refused, not dropped", "kitchen 80 x3", "", 0, "reads as 3 sales"},
		{"a count of sales before is refused", "3x kitchen 80", "", 0, "reads as 3 sales"},
		{"with the times sign", "kitchen ×12 80", "", 0, "reads as 12 sales"},
		{"a word with an x is a word", "xbox 300", "xbox", 300, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cat, amt, err := ParseCommissionText(tt.text)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if cat != tt.category || (tt.amount < 0) != (amt == nil) || (amt != nil && *amt != tt.amount) {
				t.Errorf("got %q %v, want %q %v", cat, amt, tt.category, tt.amount)
			}
		})
	}
}

func FuzzParseCommissionText(f *testing.F) {
	for _, s := range []string{"electronics 250", "250 electronics", "home & garden $80", "$1,200 on furniture", "tv 1 200",
		"kitchen -80", "kitchen 80 90", "$", "$.", "us$1e400", "1e12 kitchen", "−5 pc"} {
		f.Add(s)
	}
	rules := testRules(f)
	f.Fuzz(func(t *testing.T, s string) {
		cat, amount, err := ParseCommissionText(s)
		if err != nil {
			if err.Error() == "" {
				t.Fatalf("ParseCommissionText(%q): empty error message", s)
			}
			return
		}
		if amount == nil || strings.TrimSpace(cat) == "" {
			return
		}
		if math.IsNaN(*amount) || *amount < 0 || *amount > MaxAmount {
			t.Fatalf("ParseCommissionText(%q) returned amount %v", s, *amount)
		}
		est, err := EstimateCommission(cat, *amount, rules)
		if err != nil {
			if err.Error() == "" {
				t.Fatalf("EstimateCommission(%q, %v): empty error message", cat, *amount)
			}
			return
		}
		if est.Category == "" || est.Commission < 0 || est.Commission > est.Amount {
			t.Fatalf("EstimateCommission(%q, %v) = %+v", cat, *amount, est)
		}
	})
}

func TestMatchCategoryAlias(t *testing.T) {
	rules := testRules(t)
	tests := []struct {
		name, text, wantAlias, wantCategory string
		ok                                  bool
	}{
		{"an exact alias", "skincare", "skincare", "Beauty", true},
		{"the alias a question holds", "do i earn on a skincare order", "skincare", "Beauty", true},
		{"the longest alias wins", "75 of dog food", "dog food", "Pets", true},
		{"nothing named", "do i earn on an order", "", "All other categories", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rate, alias, ok := MatchCategoryAlias(tt.text, rules.Commission)
			if alias != tt.wantAlias || rate.Category != tt.wantCategory || ok != tt.ok {
				t.Errorf("MatchCategoryAlias(%q) = %q, %q, %v; want %q, %q, %v", tt.text, rate.Category, alias, ok, tt.wantCategory, tt.wantAlias, tt.ok)
			}
		})
	}
}

package knowledge

import (
	"regexp"
	"strings"
	"testing"
)

// internalRef matches wording that points at a document a creator cannot
// look up: an issue tracker entry, the article the knowledge was drafted
// from, an internal note or an unfinished edit.
var internalRef = regexp.MustCompile(`(?i)\bissues? #?\d|\bseed article|\binternal\b|\bTODO\b`)

// newEntryIDs are the FAQ entries added for questions creators ask that the
// first thirty did not cover; the conversation tests and evaluation sets
// name them.
var newEntryIDs = []string{
	"payouts", "taxes", "business-llc", "influencer-earnings", "giveaways",
	"private-new-accounts", "onsite-video", "creator-connections", "amazon-live",
	"storefront-handle", "multiple-accounts", "rejected-vs-banned",
	"international-marketplaces", "paid-ads",
}

func TestEveryFAQEntryNamesPublicSourcesAndADate(t *testing.T) {
	entries, err := LoadFAQ(Embedded(), "faq")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Run(e.ID+" has a source, a date and no internal references", func(t *testing.T) {
			if strings.TrimSpace(e.Source) == "" {
				t.Errorf("%s:%d: no source", e.File, e.Line)
			}
			if !datePattern.MatchString(e.Date) {
				t.Errorf("%s:%d: date %q: want YYYY, YYYY-MM or YYYY-MM-DD", e.File, e.Line, e.Date)
			}
			for name, text := range map[string]string{"title": e.Title, "answer": e.Answer, "source": e.Source} {
				if m := internalRef.FindString(text); m != "" {
					t.Errorf("%s:%d: %s names an internal document (%q); cite a public page instead", e.File, e.Line, name, m)
				}
			}
		})
	}
}

func TestEveryRulesRecordNamesPublicSourcesAndADate(t *testing.T) {
	recs, err := Embedded().Records("rules")
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) == 0 {
		t.Fatal("no rules records loaded")
	}
	for _, r := range recs {
		name := r.File + ":" + r.Get("id")
		t.Run(name+" has a source, a date and no internal references", func(t *testing.T) {
			if r.Get("source") == "" {
				t.Errorf("%s:%d: no source", r.File, r.Line)
			}
			if !datePattern.MatchString(r.Get("date")) {
				t.Errorf("%s:%d: date %q: want YYYY, YYYY-MM or YYYY-MM-DD", r.File, r.Line, r.Get("date"))
			}
			// Everything a reply can quote: the source, the note shown with
			// an estimate, and the body shown with a criterion.
			for key, text := range map[string]string{"source": r.Get("source"), "note": r.Get("note"), "body": r.Body, "name": r.Get("name"), "category": r.Get("category")} {
				if m := internalRef.FindString(text); m != "" {
					t.Errorf("%s:%d: %s names an internal document (%q); cite a public page instead", r.File, r.Line, key, m)
				}
			}
			for _, step := range r.Lists["steps"] {
				if m := internalRef.FindString(step); m != "" {
					t.Errorf("%s:%d: step names an internal document (%q)", r.File, r.Line, m)
				}
			}
		})
	}
}

func TestTheNewFAQEntriesExist(t *testing.T) {
	entries, err := LoadFAQ(Embedded(), "faq")
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]Entry{}
	for _, e := range entries {
		byID[e.ID] = e
	}
	for _, id := range newEntryIDs {
		t.Run(id+" is shipped with enough phrasings", func(t *testing.T) {
			e, ok := byID[id]
			if !ok {
				t.Fatalf("no FAQ entry %q", id)
			}
			if n := len(e.Phrasings); n < 24 {
				t.Errorf("%q has %d phrasings, want at least 24", id, n)
			}
		})
	}
}

func TestInternalReferencePatternCatchesWhatItShould(t *testing.T) {
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"as listed in influbot issue 3", true},
		{`seed article "Amazon Influencer Program Rejected"`, true},
		{"an internal note", true},
		{"TODO: check", true},
		{"Amazon Associates help: Why do I have to identify myself as an Associate?", false},
		{"Rival IQ 2024 Social Media Industry Benchmark Report", false},
		{"no issues with links in bio", false},
	} {
		t.Run(tc.text, func(t *testing.T) {
			if got := internalRef.MatchString(tc.text); got != tc.want {
				t.Errorf("match = %v, want %v", got, tc.want)
			}
		})
	}
}

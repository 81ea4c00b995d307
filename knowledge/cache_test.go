package knowledge

import (
	"fmt"
	"strings"
	"sync"
	"testing"
)

func TestSearchCache(t *testing.T) {
	t.Run("a repeated question gets the same result", func(t *testing.T) {
		ix := testIndex(t)
		q := "how many subs do i need"
		first, second := ix.Search(q), ix.Search(q)
		if describe(first) != describe(second) {
			t.Errorf("first %s, second %s", describe(first), describe(second))
		}
		if n := ix.cache.Load().len(); n != 1 {
			t.Errorf("cache holds %d results, want 1", n)
		}
	})
	t.Run("changing a result's suggestions does not change the cache's", func(t *testing.T) {
		kb, err := Load(Embedded())
		if err != nil {
			t.Fatal(err)
		}
		q := "tips for promoting prime day deals to my followers"
		m := kb.Index.Search(q)
		if len(m.Suggestions) == 0 {
			t.Fatalf("%q has no suggestions: pick a question that has", q)
		}
		want := describe(m)
		m.Suggestions[0] = nil
		if got := describe(kb.Index.Search(q)); got != want {
			t.Errorf("after changing the suggestions: %s, want %s", got, want)
		}
	})
	t.Run("new params forget old results", func(t *testing.T) {
		ix := testIndex(t)
		q := "how many subs do i need"
		if m := ix.Search(q); !m.Answered {
			t.Fatalf("%q is not answered", q)
		}
		ix.Params.Threshold = 2
		if m := ix.Search(q); m.Answered {
			t.Error("answered above a threshold no confidence reaches: a stale result")
		}
	})
	t.Run("claiming words forgets old results", func(t *testing.T) {
		ix := testIndex(t)
		ix.Search("x")
		ix.claim([]string{"cooking"})
		if ix.cache.Load() != nil {
			t.Error("the cache survived claim")
		}
	})
	t.Run("long questions are not remembered", func(t *testing.T) {
		ix := testIndex(t)
		ix.Search(strings.Repeat("how many followers do I need ", 20))
		if c := ix.cache.Load(); c != nil && c.len() != 0 {
			t.Errorf("cache holds %d results, want 0", c.len())
		}
	})
	t.Run("memory stays bounded however many questions arrive", func(t *testing.T) {
		ix := testIndex(t)
		for i := 0; i < 3*cacheEntries; i++ {
			ix.Search(fmt.Sprintf("how many followers for %d", i))
		}
		if n := ix.cache.Load().len(); n > cacheEntries || n < cacheEntries/2 {
			t.Errorf("cache holds %d results, want at most %d and most of it used", n, cacheEntries)
		}
	})
}

// TestSearchCacheConcurrent searches the development set from several
// goroutines at once, so each question is a miss for one and often a hit
// for the others, and checks every result against a search without the
// cache. Run it with -race.
func TestSearchCacheConcurrent(t *testing.T) {
	kb, err := Load(Embedded())
	if err != nil {
		t.Fatal(err)
	}
	cases := loadCases(t, "testdata/dev.tsv")
	uncached := NewIndex(kb.FAQ, kb.OffTopic, kb.Index.vt)
	uncached.Params, uncached.noCache = kb.Index.Params, true
	var niches []string
	for _, n := range kb.Rules.Niches {
		niches = append(append(niches, n.Name), n.Categories...)
	}
	uncached.claim(niches)
	want := make([]string, len(cases))
	for i, c := range cases {
		want[i] = describe(uncached.Search(c.question))
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for k := range cases {
				i := (k*(g+1) + g) % len(cases)
				if got := describe(kb.Index.Search(cases[i].question)); got != want[i] {
					t.Errorf("%s: %s, want %s", cases[i].question, got, want[i])
				}
			}
		})
	}
	wg.Wait()
	distinct := map[string]bool{}
	for _, c := range cases {
		if len(c.question) <= cacheQuestionBytes {
			distinct[c.question] = true
		}
	}
	if n := kb.Index.cache.Load().len(); n != len(distinct) {
		t.Errorf("cache holds %d results, want one for each of the %d questions", n, len(distinct))
	}
}

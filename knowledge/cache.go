package knowledge

import (
	"hash/maphash"
	"strings"
	"sync"
)

// Real FAQ traffic asks the same questions again and again, in the same
// words, and a search's result depends only on the question, the index and
// its Params. So the index remembers recent results, by the exact
// question: a repeated question costs a hash and a map lookup instead of a
// search.
//
// The cache lives in the Index and dies with it: knowledge that changes is
// a new Index (Load, WithOverrides). Its contents are tied to the Params
// they were computed with, and are dropped when Params change; claim,
// which changes the index after it is built, drops them too.

const (
	// cacheEntries bounds how many results an index remembers, and with
	// cacheQuestionBytes its memory: under 3 MB however long the
	// questions, about 1 MB for questions of typical length.
	cacheEntries = 8192
	// cacheQuestionBytes is the longest question remembered: long posts
	// are rarely repeated word for word.
	cacheQuestionBytes = 256
	cacheShards        = 16
)

// searchCache remembers the results of searches made with params.
type searchCache struct {
	params Params
	seed   maphash.Seed
	shards [cacheShards]cacheShard
}

type cacheShard struct {
	mu sync.Mutex
	m  map[string]cachedMatch
}

// cachedMatch is a Match with its entries by number in Index.entries (-1
// for none): smaller, and with no pointers for the garbage collector to
// follow through thousands of remembered results.
type cachedMatch struct {
	confidence, margin            float64
	entry, runnerUp               int32
	suggestions                   [3]int32
	nSuggestions                  uint8
	answered, offTopic, ambiguous bool
}

// compact returns m as a cachedMatch; ok is false when it does not fit.
func (ix *Index) compact(m Match) (c cachedMatch, ok bool) {
	num := func(e *Entry) int32 {
		if e == nil {
			return -1
		}
		n, found := ix.entryNum[e]
		if !found {
			ok = false
		}
		return n
	}
	ok = len(m.Suggestions) <= len(c.suggestions)
	c = cachedMatch{confidence: m.Confidence, margin: m.Margin, entry: num(m.Entry), runnerUp: num(m.RunnerUp),
		nSuggestions: uint8(len(m.Suggestions)), answered: m.Answered, offTopic: m.OffTopic, ambiguous: m.Ambiguous}
	for i, e := range m.Suggestions[:min(len(m.Suggestions), len(c.suggestions))] {
		c.suggestions[i] = num(e)
	}
	return c, ok
}

// expand returns the Match c was made from, with Suggestions of its own.
func (ix *Index) expand(c cachedMatch) Match {
	entry := func(n int32) *Entry {
		if n < 0 {
			return nil
		}
		return &ix.entries[n].Entry
	}
	m := Match{Entry: entry(c.entry), Confidence: c.confidence, Answered: c.answered, OffTopic: c.offTopic,
		RunnerUp: entry(c.runnerUp), Margin: c.margin, Ambiguous: c.ambiguous}
	if c.nSuggestions > 0 {
		m.Suggestions = make([]*Entry, c.nSuggestions)
		for i := range m.Suggestions {
			m.Suggestions[i] = entry(c.suggestions[i])
		}
	}
	return m
}

func newSearchCache(p Params) *searchCache {
	return &searchCache{params: p, seed: maphash.MakeSeed()}
}

func (c *searchCache) shard(question string) *cacheShard {
	return &c.shards[maphash.String(c.seed, question)%cacheShards]
}

func (s *cacheShard) get(question string) (cachedMatch, bool) {
	s.mu.Lock()
	m, ok := s.m[question]
	s.mu.Unlock()
	return m, ok
}

// put remembers m, forgetting an arbitrary other result when the shard is
// full (map iteration starts at a random place), so memory stays flat
// however many new questions arrive.
func (s *cacheShard) put(question string, m cachedMatch) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = make(map[string]cachedMatch)
	}
	if _, ok := s.m[question]; ok {
		return
	}
	if len(s.m) >= cacheEntries/cacheShards {
		for k := range s.m {
			delete(s.m, k)
			break
		}
	}
	s.m[strings.Clone(question)] = m
}

// len is how many results the cache holds.
func (c *searchCache) len() int {
	n := 0
	for i := range c.shards {
		s := &c.shards[i]
		s.mu.Lock()
		n += len(s.m)
		s.mu.Unlock()
	}
	return n
}

// Search finds the entry that answers question.
func (ix *Index) Search(question string) Match {
	if ix.noCache || len(question) > cacheQuestionBytes {
		return ix.search(question)
	}
	c := ix.cache.Load()
	if c == nil || c.params != ix.Params {
		if ix.Params != ix.Params { // a NaN: no result would ever match
			return ix.search(question)
		}
		c = newSearchCache(ix.Params)
		ix.cache.Store(c)
	}
	s := c.shard(question)
	if cm, ok := s.get(question); ok {
		return ix.expand(cm)
	}
	m := ix.search(question)
	if cm, ok := ix.compact(m); ok {
		s.put(question, cm)
	}
	return m
}

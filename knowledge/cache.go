package knowledge

import (
	"hash/maphash"
	"slices"
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
	// cacheQuestionBytes its memory (at most about 2.5 MB).
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
	m  map[string]Match
}

func newSearchCache(p Params) *searchCache {
	return &searchCache{params: p, seed: maphash.MakeSeed()}
}

func (c *searchCache) shard(question string) *cacheShard {
	return &c.shards[maphash.String(c.seed, question)%cacheShards]
}

func (s *cacheShard) get(question string) (Match, bool) {
	s.mu.Lock()
	m, ok := s.m[question]
	s.mu.Unlock()
	return m, ok
}

// put remembers m, forgetting an arbitrary other result when the shard is
// full (map iteration starts at a random place), so memory stays flat
// however many new questions arrive.
func (s *cacheShard) put(question string, m Match) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = make(map[string]Match)
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
	m, ok := s.get(question)
	if !ok {
		m = ix.search(question)
		s.put(question, m)
	}
	// The caller may change its Suggestions; the cache's stay as they are.
	m.Suggestions = slices.Clone(m.Suggestions)
	return m
}

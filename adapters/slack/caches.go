package slack

import (
	"sync"
	"time"

	"github.com/influbot/influbot/bot"
)

// eventSet remembers the most recent event ids, to answer each event once
// however often Slack retries it. It is bounded: the oldest ids are
// forgotten first.
type eventSet struct {
	mu   sync.Mutex
	slot map[string]int // id -> index in ring
	ring []string
	next int
}

func newEventSet(size int) *eventSet {
	return &eventSet{slot: make(map[string]int, size), ring: make([]string, size)}
}

// add records id and reports whether it is new. An empty id is always new.
func (s *eventSet) add(id string) bool {
	if id == "" {
		return true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.slot[id]; ok {
		return false
	}
	if old := s.ring[s.next]; old != "" && s.slot[old] == s.next {
		delete(s.slot, old)
	}
	s.ring[s.next] = id
	s.slot[id] = s.next
	s.next = (s.next + 1) % len(s.ring)
	return true
}

// has reports whether id is remembered.
func (s *eventSet) has(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.slot[id]
	return ok
}

// forget drops id, so that a retry of an event that could not be taken on
// is handled.
func (s *eventSet) forget(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.slot, id)
}

// profile is what the adapter learns about a user from users.info.
type profile struct {
	Admin bool
	Name  string
}

// profileCache keeps profiles for a while, bounded in size.
type profileCache struct {
	mu   sync.Mutex
	ttl  time.Duration
	max  int
	byID map[bot.UserRef]cachedProfile
}

type cachedProfile struct {
	profile
	expires time.Time
}

func newProfileCache(max int, ttl time.Duration) *profileCache {
	return &profileCache{ttl: ttl, max: max, byID: map[bot.UserRef]cachedProfile{}}
}

func (c *profileCache) get(u bot.UserRef, now time.Time) (profile, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.byID[u]
	if !ok || !now.Before(p.expires) {
		return profile{}, false
	}
	return p.profile, true
}

func (c *profileCache) put(u bot.UserRef, p profile, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.byID) >= c.max {
		for k, v := range c.byID {
			if !now.Before(v.expires) {
				delete(c.byID, k)
			}
		}
		// Still full of live entries: drop some at random (map order).
		for k := range c.byID {
			if len(c.byID) < c.max {
				break
			}
			delete(c.byID, k)
		}
	}
	c.byID[u] = cachedProfile{profile: p, expires: now.Add(c.ttl)}
}

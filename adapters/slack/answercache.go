package slack

import (
	"hash/maphash"
	"slices"
	"sync"

	"github.com/influbot/influbot/bot"
)

// answerCache keeps the rendered inline answers of replies given again and
// again (an FAQ entry's answer is the same words for everyone who asks),
// so each is rendered to Block Kit and written as JSON once instead of on
// every request: that was about a tenth of the server's work per slash
// command. An answer is kept on the second time its reply is seen, so
// one-off replies (a check's verdict with the asker's numbers) pass
// through without being copied. Entries are found by a hash of exactly
// what render reads, and then compared in full, so a cached answer is the
// one render would give. Memory is bounded: answerShards × shardAnswers
// answers of at most maxCachedReply bytes of text, and as many hashes.
type answerCache struct {
	seed   maphash.Seed
	shards [answerShards]answerShard
}

const (
	answerShards   = 16
	shardAnswers   = 64   // answers kept per shard
	maxCachedReply = 8192 // bytes of text; longer replies are not cached
)

type answerShard struct {
	mu sync.Mutex
	// seen holds the hashes of replies met once (the doorkeeper).
	seen map[uint64]struct{}
	m    map[uint64]*cachedAnswer
}

// cachedAnswer is a reply, as render reads it, with its inline answer.
type cachedAnswer struct {
	rt, title, text string
	fields          []bot.Field
	buttons         []bot.Button
	image           *bot.Image
	msg             *inlineMessage // shared: never modified
}

func newAnswerCache() *answerCache {
	return &answerCache{seed: maphash.MakeSeed()}
}

// replySize is the bytes of text in what render reads of r.
func replySize(r *bot.Reply) int {
	n := len(r.Title) + len(r.Text)
	for _, f := range r.Fields {
		n += len(f.Name) + len(f.Value)
	}
	for _, b := range r.Buttons {
		n += len(b.ActionID) + len(b.Label) + len(b.Value)
	}
	if r.Image != nil {
		n += len(r.Image.URL) + len(r.Image.Alt)
	}
	return n
}

func (c *answerCache) hash(rt string, r *bot.Reply) uint64 {
	var h maphash.Hash
	h.SetSeed(c.seed)
	str := func(s string) {
		h.WriteString(s)
		h.WriteByte(0) // "ab"+"c" and "a"+"bc" differ
	}
	str(rt)
	str(r.Title)
	str(r.Text)
	h.WriteByte(byte(len(r.Fields)))
	for _, f := range r.Fields {
		str(f.Name)
		str(f.Value)
		if f.Inline {
			h.WriteByte(1)
		}
		h.WriteByte(2)
	}
	h.WriteByte(byte(len(r.Buttons)))
	for _, b := range r.Buttons {
		str(b.ActionID)
		str(b.Label)
		str(b.Value)
		h.WriteByte(byte(b.Style))
	}
	if r.Image != nil {
		h.WriteByte(1)
		str(r.Image.URL)
		str(r.Image.Alt)
	}
	return h.Sum64()
}

func (e *cachedAnswer) is(rt string, r *bot.Reply) bool {
	if e.rt != rt || e.title != r.Title || e.text != r.Text ||
		!slices.Equal(e.fields, r.Fields) || !slices.Equal(e.buttons, r.Buttons) {
		return false
	}
	if (e.image == nil) != (r.Image == nil) {
		return false
	}
	return e.image == nil || *e.image == *r.Image
}

// answer is r's inline answer with response type rt, and whether it fits
// in one message, from the cache or made by build (which must not keep r).
func (c *answerCache) answer(rt string, r *bot.Reply, build func() (*inlineMessage, bool)) (*inlineMessage, bool) {
	if c == nil || replySize(r) > maxCachedReply {
		return build()
	}
	h := c.hash(rt, r)
	s := &c.shards[h%answerShards]
	s.mu.Lock()
	if e, ok := s.m[h]; ok && e.is(rt, r) {
		s.mu.Unlock()
		return e.msg, true
	}
	_, again := s.seen[h]
	if !again {
		if s.seen == nil || len(s.seen) >= shardAnswers*4 {
			s.seen = make(map[uint64]struct{}, shardAnswers*4)
		}
		s.seen[h] = struct{}{}
	}
	s.mu.Unlock()
	m, ok := build()
	if !again || !ok {
		return m, ok
	}
	m.raw = append(appendInlineMessage(nil, m), '\n')
	e := &cachedAnswer{rt: rt, title: r.Title, text: r.Text,
		fields: slices.Clone(r.Fields), buttons: slices.Clone(r.Buttons), msg: m}
	if r.Image != nil {
		img := *r.Image
		e.image = &img
	}
	s.mu.Lock()
	if s.m == nil {
		s.m = make(map[uint64]*cachedAnswer, shardAnswers)
	}
	if len(s.m) >= shardAnswers {
		for k := range s.m { // any one goes
			delete(s.m, k)
			break
		}
	}
	s.m[h] = e
	s.mu.Unlock()
	return m, true
}

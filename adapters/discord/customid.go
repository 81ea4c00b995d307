package discord

import (
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"sync"

	"github.com/influbot/influbot/bot"
)

// maxCustomID is Discord's limit on a component's custom_id.
const maxCustomID = 100

// A button's custom_id carries the core's action: "ACTION|VALUE", where
// ACTION is the button's ActionID with '%', '|' and '#' percent-escaped
// and VALUE is the rest as is. When that would be longer than Discord's
// 100 characters, the custom_id is "#" and a hash of both, and the action
// waits in the adapter's memory until the button is pressed; such a button
// expires when the process restarts or after many newer long buttons.
var actionEscaper = strings.NewReplacer("%", "%25", "|", "%7C", "#", "%23")

var actionUnescaper = strings.NewReplacer("%25", "%", "%7C", "|", "%23", "#")

// encodeButton returns the custom_id for b, storing its action in long
// when it does not fit.
func encodeButton(b bot.Button, long *recent[bot.Action]) (string, bool) {
	if b.ActionID == "" {
		return "", false
	}
	id := actionEscaper.Replace(b.ActionID) + "|" + b.Value
	if len(id) <= maxCustomID && textLen(id) <= maxCustomID {
		return id, true
	}
	if long == nil {
		return "", false
	}
	sum := sha256.Sum256([]byte(b.ActionID + "\x00" + b.Value))
	key := "#" + base64.RawURLEncoding.EncodeToString(sum[:18])
	long.put(key, bot.Action{ID: b.ActionID, Value: b.Value})
	return key, true
}

// decodeButton returns the action a custom_id carries; ok is false for a
// long button the adapter no longer remembers.
func decodeButton(customID string, long *recent[bot.Action]) (bot.Action, bool) {
	if strings.HasPrefix(customID, "#") {
		if long == nil {
			return bot.Action{}, false
		}
		return long.get(customID)
	}
	action, value, _ := strings.Cut(customID, "|")
	return bot.Action{ID: actionUnescaper.Replace(action), Value: value}, true
}

// recent remembers the most recent max values put in it, forgetting the
// oldest first. It is safe for concurrent use.
type recent[V any] struct {
	mu    sync.Mutex
	max   int
	byKey map[string]V
	order []string // oldest first
}

func newRecent[V any](max int) *recent[V] {
	return &recent[V]{max: max, byKey: map[string]V{}}
}

func (c *recent[V]) put(key string, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.putLocked(key, v)
}

func (c *recent[V]) putLocked(key string, v V) {
	if _, ok := c.byKey[key]; ok {
		c.byKey[key] = v
		return
	}
	if len(c.order) >= c.max {
		delete(c.byKey, c.order[0])
		c.order = c.order[1:]
	}
	c.byKey[key] = v
	c.order = append(c.order, key)
}

// add puts key with v unless it is already there, and reports whether it
// put it: the first of several callers with the same key gets true.
func (c *recent[V]) add(key string, v V) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.byKey[key]; ok {
		return false
	}
	c.putLocked(key, v)
	return true
}

func (c *recent[V]) get(key string) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.byKey[key]
	return v, ok
}

func (c *recent[V]) remove(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.byKey[key]; !ok {
		return
	}
	delete(c.byKey, key)
	for i, k := range c.order {
		if k == key {
			c.order = append(c.order[:i:i], c.order[i+1:]...)
			break
		}
	}
}

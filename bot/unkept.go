package bot

import (
	"errors"
	"sync"
)

// ErrNotKept is wrapped by an EventRecorder's or UnansweredLog's error when
// the record was not saved and will not be soon (the database is
// read-only or its disk is full): the user is told, once, that their
// history is not being kept.
var ErrNotKept = errors.New("history is not being kept")

// notKeptNote is added to a reply, once per user, while history is not
// being kept.
const notKeptNote = "\n\n_I can't save your history right now, so `history` and `export` may miss this conversation; the person who runs me has been told._"

// toldUsers remembers whom the bot told that their history is not being
// kept, so each is told once. It is bounded: when full it starts over,
// and a user may be told a second time.
type toldUsers struct {
	mu   sync.Mutex
	told map[UserRef]bool
}

const maxToldUsers = 10_000

// first reports whether u has not been told yet, and marks them told.
func (t *toldUsers) first(u UserRef) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.told == nil || len(t.told) >= maxToldUsers {
		t.told = map[UserRef]bool{}
	}
	if t.told[u] {
		return false
	}
	t.told[u] = true
	return true
}

package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// answerRef is an answers row as the commit loop knows it: its id, and
// its last_used (Unix milliseconds).
type answerRef struct {
	id   int64
	used int64
}

// answerUseAhead is how far past an event's time internAnswer moves an
// answer's last_used when it has to move it at all: an answer given all
// day has its row rewritten about once an hour, not once a request.
const answerUseAhead = time.Hour

// internAnswer returns the id of the answers row holding text, a
// knowledge answer word for word (bot.Event.KnowledgeReply), adding it when
// it is new, and makes sure its last_used is at or after at (the event's
// time, Unix milliseconds): Prune's sweepAnswers relies on that to find
// the answers no event it keeps refers to, without an index on
// events.answer_pk. The commit loop only.
func (db *DB) internAnswer(ctx context.Context, tx *sqlx.Tx, text string, at int64) (int64, error) {
	caching := db.caching()
	var h int64 // the text's hash, once a search needs it
	a, ok := answerRef{}, false
	if caching {
		a, ok = db.cache.answer(text)
	}
	if !ok {
		h = replyHash(text)
		var row struct {
			ID   int64 `db:"id"`
			Used int64 `db:"last_used"`
		}
		err := db.batch.stmt(ctx, tx, db.st.findAnswer).GetContext(ctx, &row, h, text)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return 0, fmt.Errorf("find answer: %w", err)
		default:
			a, ok = answerRef{id: row.ID, used: row.Used}, true
		}
	}
	used := at + answerUseAhead.Milliseconds()
	switch {
	case !ok:
		id, err := db.insertID(ctx, tx, db.st.addAnswer, h, text, used)
		if err != nil {
			return 0, fmt.Errorf("add answer: %w", err)
		}
		a = answerRef{id: id, used: used}
	case a.used < at:
		res, err := db.batch.stmt(ctx, tx, db.st.useAnswer).ExecContext(ctx, used, used, a.id)
		if err != nil {
			return 0, fmt.Errorf("note answer used: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			// Its row went without the caches hearing of it: never
			// expected; forget the ids and let the writes be tried again.
			db.cache.drop()
			return 0, fmt.Errorf("note answer used: %d rows for answer %d (%v)", n, a.id, err)
		}
		a.used = max(a.used, used)
	default:
		if caching {
			return a.id, nil // cached, and used late enough
		}
	}
	if caching {
		db.cache.fillAnswer(text, a)
	}
	return a.id, nil
}

const (
	findAnswerSQL = `SELECT id, last_used FROM answers WHERE hash = ? AND text = ? LIMIT 1`
	addAnswerSQL  = `INSERT INTO answers (hash, text, last_used) VALUES (?, ?, ?)` // + RETURNING id on PostgreSQL (returningID)
	useAnswerSQL  = `UPDATE answers SET last_used = CASE WHEN last_used < ? THEN ? ELSE last_used END WHERE id = ?`
)

// sweepAnswers deletes the answers no event at or after cutoff (Unix
// milliseconds) can refer to: those last used before it. Prune calls it
// once the events before cutoff are gone. On PostgreSQL an instance that
// gives such an answer again updates its last_used first, and the delete,
// which waits for that row, then skips it.
func sweepAnswers(ctx context.Context, tx *sqlx.Tx, cutoff int64) (int64, error) {
	res, err := tx.ExecContext(ctx, `DELETE FROM answers WHERE last_used < ?`, cutoff)
	if err != nil {
		return 0, fmt.Errorf("drop unused answers: %w", err)
	}
	return res.RowsAffected()
}

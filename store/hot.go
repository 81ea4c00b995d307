package store

import (
	"context"
	"fmt"
	"sync"

	"github.com/jmoiron/sqlx"
)

// readStmts are the hot path's single-statement reads (one per request or
// more: the conversation context, the replay check), prepared once on the
// reader pool and run without a transaction of their own: one statement
// sees one snapshot by itself, and BEGIN and ROLLBACK around it cost as
// much as the query. database/sql prepares each on a connection the first
// time it runs there.
type readStmts struct {
	mu sync.Mutex
	m  map[string]*sqlx.Stmt
}

// readStmt returns the prepared read statement for query, preparing it on
// the reader pool the first time.
func (db *DB) readStmt(ctx context.Context, query string) (*sqlx.Stmt, error) {
	rs := &db.rst
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if s, ok := rs.m[query]; ok {
		return s, nil
	}
	s, err := db.r.PreparexContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("prepare: %w", err)
	}
	if rs.m == nil {
		rs.m = map[string]*sqlx.Stmt{}
	}
	rs.m[query] = s
	return s, nil
}

// getOne runs a one-row read of the hot path (see readStmts) into dest.
// Its errors are formatted as read's are; a missing row is sql.ErrNoRows,
// wrapped.
func (db *DB) getOne(ctx context.Context, op string, dest any, query string, args ...any) error {
	if err := db.opened(op); err != nil {
		return err
	}
	s, err := db.readStmt(ctx, query)
	if err != nil {
		return formatError(op, err)
	}
	return formatError(op, s.GetContext(ctx, dest, args...))
}

// closeReadStmts closes the prepared reads (Close).
func (db *DB) closeReadStmts() {
	db.rst.mu.Lock()
	defer db.rst.mu.Unlock()
	for _, s := range db.rst.m {
		s.Close()
	}
	db.rst.m = nil
}

package faulttest

import (
	"context"
	"database/sql"

	_ "github.com/mattn/go-sqlite3"
)

// rawTexts reads every event's text straight from the database file.
func rawTexts(ctx context.Context, path string) ([]string, error) {
	db, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=10000")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT text FROM events`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// holdLock takes the database's write lock, as another program would,
// until release is called.
func holdLock(ctx context.Context, path string) (release func(), err error) {
	db, err := sql.Open("sqlite3", "file:"+path+"?_txlock=immediate&_busy_timeout=10000")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		db.Close()
		return nil, err
	}
	if _, err := tx.Exec(`INSERT INTO store_meta (key, value) VALUES ('fault-lock', 'x') ON CONFLICT (key) DO UPDATE SET value = value || 'x'`); err != nil {
		tx.Rollback()
		db.Close()
		return nil, err
	}
	return func() { tx.Rollback(); db.Close() }, nil
}

// unansweredTexts reads every unanswered question's text.
func unansweredTexts(ctx context.Context, path string) (map[string]bool, error) {
	db, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=10000")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT text FROM unanswered`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out[s] = true
	}
	return out, rows.Err()
}

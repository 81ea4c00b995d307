package store

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"github.com/jmoiron/sqlx"
)

// TestWALBatchVFSKeepsEveryTransaction writes transactions of every size
// the VFS treats differently through a DB's writer and reads each back on
// another connection as soon as it is committed; the file is whole when
// opened again without the VFS.
func TestWALBatchVFSKeepsEveryTransaction(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	if err := db.write(ctx, "test table", func(tx *sqlx.Tx) error {
		_, err := tx.ExecContext(ctx, `CREATE TABLE blobs (id INTEGER PRIMARY KEY, b BLOB NOT NULL)`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	var rows, bytes int64
	for _, tc := range []struct {
		name         string
		transactions int
		rows, size   int
		batched      bool // far fewer writes reach the file than SQLite made
	}{
		{"one small row", 1, 1, 100, false},
		{"over what one write may carry (128 KiB)", 1, 100, 4000, true},
		{"over what is held back (4 MiB)", 1, 1500, 4000, true},
		{"many small transactions", 200, 1, 300, false},
		{"after the big ones, big again", 3, 300, 1000, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in0, out0 := walBatchCounts()
			for range tc.transactions {
				err := db.write(ctx, "test rows", func(tx *sqlx.Tx) error {
					for i := range tc.rows {
						if _, err := tx.ExecContext(ctx, `INSERT INTO blobs (b) VALUES (?)`, []byte(strings.Repeat(string(rune('a'+i%26)), tc.size))); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
				rows += int64(tc.rows)
				bytes += int64(tc.rows * tc.size)
				var got struct {
					N     int64 `db:"n"`
					Bytes int64 `db:"bytes"`
				}
				if err := db.r.GetContext(ctx, &got, `SELECT count(*) AS n, COALESCE(sum(length(b)), 0) AS bytes FROM blobs`); err != nil {
					t.Fatal(err)
				}
				if got.N != rows || got.Bytes != bytes {
					t.Fatalf("another connection reads %d rows of %d bytes after the commit, want %d of %d", got.N, got.Bytes, rows, bytes)
				}
			}
			in, out := walBatchCounts()
			in, out = in-in0, out-out0
			if in == 0 {
				t.Fatal("no WAL write went through the VFS: the writer does not use it")
			}
			if tc.batched && out*10 > in {
				t.Errorf("%d WAL writes from SQLite became %d writes to the file, want a tenth or fewer", in, out)
			}
			if out > in {
				t.Errorf("%d WAL writes from SQLite became %d writes to the file, more", in, out)
			}
		})
	}
	path := db.Path
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	plain, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	var check string
	var n, b int64
	if err := plain.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check: %q, %v", check, err)
	}
	if err := plain.QueryRow(`SELECT count(*), sum(length(b)) FROM blobs`).Scan(&n, &b); err != nil || n != rows || b != bytes {
		t.Errorf("reopened without the VFS: %d rows of %d bytes, %v; want %d of %d", n, b, err, rows, bytes)
	}
}

package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/influbot/influbot/bot"
)

func TestRebind(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"SELECT 1", "SELECT 1"},
		{"SELECT ? , ?", "SELECT $1 , $2"},
		{"WHERE a = ? AND b IN (?, ?)", "WHERE a = $1 AND b IN ($2, $3)"},
		{"SELECT '?', ? -- why?\n, ?", "SELECT '?', $1 -- why?\n, $2"},
		{"SELECT 'it''s ?', ?", "SELECT 'it''s ?', $1"},
		{`SELECT "odd?col", ?`, `SELECT "odd?col", $1`},
		{"SELECT /* ? */ ?", "SELECT /* ? */ $1"},
		{"SELECT $$ ? $$, ?", "SELECT $$ ? $$, $1"},
		{"SELECT $tag$ ? $tag$, ?", "SELECT $tag$ ? $tag$, $1"},
		{"SELECT $1, ?", "SELECT $1, $1"}, // mixing is the caller's bug; $1 is not a dollar quote
		{"SELECT 'unterminated ?", "SELECT 'unterminated ?"},
	} {
		if got := rebind(c.in); got != c.want {
			t.Errorf("rebind(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestIsPostgresAndRedaction(t *testing.T) {
	for _, c := range []struct {
		in   string
		pg   bool
		name string
	}{
		{"influbot.db", false, "influbot.db"},
		{"/var/lib/postgres.db", false, "/var/lib/postgres.db"},
		{"postgres://bot:s3cret@db:5432/influbot", true, "postgres://bot:xxxxx@db:5432/influbot"},
		{"POSTGRESQL://db/influbot?password=s3cret&sslmode=require", true, "postgresql://db/influbot?password=xxxxx&sslmode=require"},
	} {
		db := New(c.in)
		if IsPostgres(c.in) != c.pg || db.Name() != c.name {
			t.Errorf("%q: postgres %v, name %q; want %v, %q", c.in, IsPostgres(c.in), db.Name(), c.pg, c.name)
		}
	}
}

// openPG opens the PostgreSQL database at url with clock c.
func openPG(t testing.TB, url string, c *clock) *DB {
	t.Helper()
	db := New(url)
	if c != nil {
		db.Now = c.Now
	}
	if err := db.Open(context.Background()); err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestClaimsFromSeveralInstancesNeverOverlap: instances are separate DB
// handles (pools) on one schema, claiming at once; every due nudge is
// claimed by exactly one of them (FOR UPDATE SKIP LOCKED).
func TestClaimsFromSeveralInstancesNeverOverlap(t *testing.T) {
	url := pgTestSchema(t)
	clk := newClock()
	ctx := context.Background()
	first := openPG(t, url, clk)
	const total = 3000
	now := clk.Now()
	err := first.write(ctx, "seed", func(tx *sqlx.Tx) error {
		for i := range total {
			u := bot.UserRef{Platform: bot.PlatformSlack, Tenant: "T1", ID: fmt.Sprintf("U%d", i)}
			if _, err := insertNudge(ctx, tx, taskNudge(u, "t", now.Add(-time.Minute), fmt.Sprintf("k%d", i)), now.UnixMilli()); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	dbs := []*DB{first, openPG(t, url, clk), openPG(t, url, clk)}
	var mu sync.Mutex
	claimedBy := map[int64]string{}
	var dup []int64
	var wg sync.WaitGroup
	for i, db := range dbs {
		for w := range 3 {
			owner := fmt.Sprintf("instance%d-worker%d", i, w)
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					got, err := db.ClaimDue(ctx, bot.ClaimRequest{Owner: owner, Now: now, LeaseUntil: now.Add(time.Minute), Limit: 25})
					if err != nil {
						t.Error(err)
						return
					}
					if len(got) == 0 {
						return
					}
					mu.Lock()
					for _, n := range got {
						if _, ok := claimedBy[n.ID]; ok {
							dup = append(dup, n.ID)
						}
						claimedBy[n.ID] = owner
					}
					mu.Unlock()
				}
			}()
		}
	}
	wg.Wait()
	if len(dup) > 0 {
		t.Errorf("%d nudges claimed twice, e.g. %v", len(dup), dup[:min(5, len(dup))])
	}
	if len(claimedBy) != total {
		t.Errorf("%d of %d nudges claimed", len(claimedBy), total)
	}
	owners := map[string]int{}
	for _, o := range claimedBy {
		owners[o[:len("instanceN")]]++
	}
	t.Logf("claims per instance: %v", owners)
}

func TestExclusiveRunsOneJobAtATime(t *testing.T) {
	url := pgTestSchema(t)
	a, b := openPG(t, url, nil), openPG(t, url, nil)
	ctx := context.Background()
	held, release := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		_, err := a.Exclusive(ctx, "retention", func(context.Context) error {
			close(held)
			<-release
			return nil
		})
		done <- err
	}()
	<-held
	t.Run("another instance does not run the job while one does", func(t *testing.T) {
		ran, err := b.Exclusive(ctx, "retention", func(context.Context) error { return errors.New("ran") })
		if ran || err != nil {
			t.Errorf("ran %v, %v", ran, err)
		}
	})
	t.Run("another job is not held up", func(t *testing.T) {
		ran, err := b.Exclusive(ctx, "other", func(context.Context) error { return nil })
		if !ran || err != nil {
			t.Errorf("ran %v, %v", ran, err)
		}
	})
	t.Run("a deployment in another schema is not held up", func(t *testing.T) {
		c := openPG(t, pgTestSchema(t), nil)
		ran, err := c.Exclusive(ctx, "retention", func(context.Context) error { return nil })
		if !ran || err != nil {
			t.Errorf("ran %v, %v", ran, err)
		}
	})
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	t.Run("once it is done, the other instance runs it", func(t *testing.T) {
		ran, err := b.Exclusive(ctx, "retention", func(context.Context) error { return nil })
		if !ran || err != nil {
			t.Errorf("ran %v, %v", ran, err)
		}
	})
}

func TestPostgresOpen(t *testing.T) {
	ctx := context.Background()
	t.Run("instances starting at once migrate once", func(t *testing.T) {
		url := pgTestSchema(t)
		var wg sync.WaitGroup
		errs := make(chan error, 4)
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				db := New(url)
				if err := db.Open(ctx); err != nil {
					errs <- err
					return
				}
				db.Close()
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		db := openPG(t, url, nil)
		var n int
		if err := db.r.Get(&n, "SELECT COUNT(*) FROM schema_migrations"); err != nil {
			t.Fatal(err)
		}
		ms, _ := db.loadMigrations()
		if n != len(ms) {
			t.Errorf("%d migrations recorded, want %d", n, len(ms))
		}
	})
	t.Run("a newer schema is refused", func(t *testing.T) {
		url := pgTestSchema(t)
		db := openPG(t, url, nil)
		db.w.MustExec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, '9999_future.sql', 0)")
		db.Close()
		err := New(url).Open(ctx)
		if err == nil || !strings.Contains(err.Error(), "newer than this influbot knows") {
			t.Errorf("got %v", err)
		}
	})
	t.Run("read-only opens and refuses writes", func(t *testing.T) {
		url := pgTestSchema(t)
		openPG(t, url, nil).Close()
		ro := New(url)
		ro.ReadOnly = true
		if err := ro.Open(ctx); err != nil {
			t.Fatal(err)
		}
		defer ro.Close()
		if _, err := ro.Export(ctx, alice); err != nil {
			t.Errorf("export: %v", err)
		}
		if _, err := ro.r.Exec("INSERT INTO store_meta (key, value) VALUES ('x', 'y')"); err == nil {
			t.Error("a read-only connection wrote")
		}
	})
	t.Run("must-exist refuses an empty schema", func(t *testing.T) {
		_, err := OpenExisting(ctx, pgTestSchema(t))
		if bot.ErrorCode(err) != bot.ENOTFOUND {
			t.Errorf("got %v", err)
		}
	})
	t.Run("an unreachable server is one sentence without the password", func(t *testing.T) {
		cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		err := New("postgres://bot:hunter2@127.0.0.1:1/influbot?sslmode=disable&connect_timeout=2").Open(cctx)
		if err == nil || strings.Contains(err.Error(), "hunter2") || !strings.Contains(err.Error(), "cannot connect to PostgreSQL") {
			t.Errorf("got %v", err)
		}
	})
	t.Run("statement_timeout and the pool size are applied", func(t *testing.T) {
		db := New(pgTestSchema(t))
		db.StatementTimeout = 1500 * time.Millisecond
		db.MaxConns = 3
		if err := db.Open(ctx); err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var v string
		if err := db.r.Get(&v, "SHOW statement_timeout"); err != nil || v != "1500ms" {
			t.Errorf("statement_timeout %q, %v", v, err)
		}
		if n := db.r.Stats().MaxOpenConnections; n != 3 {
			t.Errorf("pool of %d", n)
		}
		_, err := db.r.Exec("SELECT pg_sleep(3)")
		if fe := formatError("sleep", err); bot.ErrorCode(fe) != bot.EUNAVAILABLE || !strings.Contains(bot.ErrorMessage(fe), "took too long") {
			t.Errorf("a statement past the timeout: %v", fe)
		}
	})
}

// TestReadyReflectsThePool: /readyz's check fails while every pooled
// connection is busy past its deadline, and passes again after.
func TestReadyReflectsThePool(t *testing.T) {
	db := New(pgTestSchema(t))
	db.MaxConns = 1
	if err := db.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	if err := db.Ready(ctx); err != nil {
		t.Fatalf("an idle pool is not ready: %v", err)
	}
	held, err := db.r.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	err = db.Ready(short)
	cancel()
	if err == nil || !strings.Contains(err.Error(), "1 of 1 connections in use") {
		t.Errorf("a pool with no free connection: %v", err)
	}
	held.Close()
	if err := db.Ready(ctx); err != nil {
		t.Errorf("after the connection came back: %v", err)
	}
}

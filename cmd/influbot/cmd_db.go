package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"text/tabwriter"
	"time"

	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/store"
)

// dbSubcommands returns the database tools.
func dbSubcommands() []subcommand {
	return []subcommand{
		{name: "db", summary: "Database tools: 'db copy' moves a SQLite database to PostgreSQL", usage: "copy --from PATH|URL --to URL [--batch N] [--verify-users N]", run: runDB},
	}
}

func runDB(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 && args[0] == "copy" {
		return runDBCopy(ctx, e, args[1:])
	}
	fs := newFlagSet(e, "db", "copy --from PATH|URL --to URL [--batch N] [--verify-users N]", `
Database tools. 'influbot db copy' copies a SQLite database into PostgreSQL
(see 'influbot db copy -h').`)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("db: name the tool: 'db copy --from influbot.db --to postgres://...'")
	}
	return usagef("db: there is no tool %q; the tool is 'db copy'", pos[0])
}

func runDBCopy(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "db copy", "--from PATH|URL --to URL [--batch N] [--verify-users N]", `
Copy every table of one influbot database into another, usually a SQLite
file into PostgreSQL when one machine is no longer enough; rows keep their
ids. Stop the bots using either database first. The target is created
(migrated) if empty; both must be at the same schema version.

It is idempotent (a row already there is overwritten with the source's
values, so running it again leaves the target equal to the source) and
resumable (each batch commits with its progress; run it again after an
interruption and it continues). Afterwards it verifies: every table's row
count, and the exports of sampled users, which must be identical. It exits
with an error when anything differs.

Example:
  influbot db copy --from influbot.db --to postgres://influbot@db.internal/influbot`)
	from := fs.String("from", "", "the database to copy: a SQLite file (or a postgres:// URL)")
	to := fs.String("to", "", "the database to copy into: a postgres:// URL (or a SQLite file)")
	batch := fs.Int("batch", 1000, "rows per insert and transaction")
	verify := fs.Int("verify-users", 50, "how many users' exports to compare afterwards")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("db copy takes no arguments, got %q", pos[0])
	}
	if *from == "" || *to == "" {
		return usagef("db copy needs --from and --to, e.g. --from influbot.db --to postgres://influbot@localhost/influbot")
	}
	if *from == *to {
		return usagef("db copy: --from and --to are the same database")
	}
	if *batch < 1 || *batch > 5000 {
		return usagef("--batch %d: use 1 to 5000 rows", *batch)
	}
	if *verify < 1 || *verify > 100000 {
		return usagef("--verify-users %d: use 1 to 100000", *verify)
	}
	src, err := openReadOnly(ctx, e, *from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst := store.New(*to)
	if err := configureDB(e, dst); err != nil {
		return err
	}
	if err := dst.Open(ctx); err != nil {
		return err
	}
	defer dst.Close()
	o := store.CopyOptions{Batch: *batch, VerifyUsers: *verify}
	last := time.Now()
	o.Progress = func(table string, copied, total int64) {
		if time.Since(last) >= 5*time.Second || copied == total {
			last = time.Now()
			fmt.Fprintf(e.stderr, "copy: %s %d of %d rows\n", table, copied, total)
		}
	}
	rep, err := store.Copy(ctx, src, dst, o)
	if err != nil {
		return err
	}
	vstart := time.Now()
	check, err := store.Verify(ctx, src, dst, o, rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1)))
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "TABLE\tSOURCE ROWS\tTARGET ROWS\tRESUMED AFTER")
	for _, t := range check.Tables {
		resumed := ""
		for _, c := range rep.Tables {
			if c.Table == t.Table && c.Resumed != "" {
				resumed = c.Resumed
			}
		}
		fmt.Fprintf(w, "%s\t%d\t%d\t%s\n", t.Table, t.Source, t.Target, resumed)
	}
	w.Flush()
	fmt.Fprintf(e.stdout, "Copied %s to %s in %s; verified in %s: row counts of %d tables, exports of %d users.\n",
		src.Name(), dst.Name(), rep.Took.Round(time.Millisecond), time.Since(vstart).Round(time.Millisecond), len(check.Tables), check.Users)
	if len(check.Mismatches) > 0 {
		for _, m := range check.Mismatches {
			fmt.Fprintln(e.stderr, "differs:", m)
		}
		return bot.Errorf(bot.EINTERNAL, "the copy differs from the source in %d places (listed above); run db copy again", len(check.Mismatches))
	}
	fmt.Fprintln(e.stdout, "The copy is identical.")
	return nil
}

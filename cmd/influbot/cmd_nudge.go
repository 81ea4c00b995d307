package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/influbot/influbot/bot"
)

// nudgeSubcommands returns the admin tools for the nudge schedule.
func nudgeSubcommands() []subcommand {
	return []subcommand{
		{name: "nudges", summary: "List scheduled, sent and dead nudges; re-queue dead ones", usage: "--db PATH [--status pending|claimed|sent|dead|canceled] [--user PLATFORM:TENANT:USER] [--limit N] [--json] [--retry-dead]", run: runNudges},
	}
}

func runNudges(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "nudges", "--db PATH [--status STATUS] [--user PLATFORM:TENANT:USER] [--limit N] [--json] [--retry-dead]", `
List the nudges in influbot's schedule, newest first: who, what, when it
was meant to go out, its status, failed attempts and the last error (why a
dead nudge was given up). --retry-dead re-queues the dead nudges the other
flags select, due now, and clears the "cannot be messaged" mark of their
users; the running bot sends them within seconds.

Examples:
  influbot nudges --status dead
  influbot nudges --db /var/lib/influbot/influbot.db --status pending
  influbot nudges --db influbot.db --user discord:123456789:987654321
  influbot nudges --db influbot.db --retry-dead`)
	dbPath := fs.String("db", dbFromEnv(e), "the database: a SQLite file or a postgres:// URL (env INFLUBOT_DB; default influbot.db in the working directory)")
	status := fs.String("status", "", "only nudges with this status: "+strings.Join(bot.NudgeStatuses, ", "))
	user := fs.String("user", "", "only this user's nudges, as platform:tenant:user")
	limit := fs.Int("limit", 100, "list at most this many (0 for all)")
	asJSON := fs.Bool("json", false, "print one JSON array instead of a table")
	retry := fs.Bool("retry-dead", false, "re-queue dead nudges instead of listing")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("nudges takes no arguments, got %q", pos[0])
	}
	if *dbPath == "" {
		return usagef("nudges needs the database: --db PATH or INFLUBOT_DB, e.g. --db influbot.db")
	}
	if *status != "" && !slices.Contains(bot.NudgeStatuses, *status) {
		return usagef("--status %q: use one of %s", *status, strings.Join(bot.NudgeStatuses, ", "))
	}
	if *limit < 0 {
		return usagef("--limit %d: use 0 for all, or a positive number", *limit)
	}
	if *retry && *status != "" && *status != bot.NudgeDead {
		return usagef("--retry-dead re-queues dead nudges; drop --status %s", *status)
	}
	f := bot.NudgeFilter{Status: *status, Limit: *limit}
	if *user != "" {
		u, err := bot.ParseUserRef(*user)
		if err != nil {
			return usagef("--user: %v", err)
		}
		f.User = u
	}
	// Listing only reads, so it works on a database the user may not
	// write to; re-queueing writes.
	db, err := openStoreFile(ctx, e, *dbPath, !*retry)
	if err != nil {
		return err
	}
	defer db.Close()
	if *retry {
		n, err := db.RetryDead(ctx, f, time.Now())
		if err != nil {
			return fmt.Errorf("retry dead nudges: %w", err)
		}
		if n == 0 {
			fmt.Fprintln(e.stdout, "No dead nudges to re-queue.")
			return nil
		}
		fmt.Fprintf(e.stdout, "Re-queued %d dead %s, due now; a running bot sends them within seconds.\n", n, pluralWord(n, "nudge", "nudges"))
		return nil
	}
	recs, err := db.NudgeReport(ctx, f)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(e.stdout, recs)
	}
	if len(recs) == 0 {
		fmt.Fprintln(e.stdout, "No nudges match.")
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tUSER\tKIND\tTASK\tSLOT (UTC)\tSTATUS\tATTEMPTS\tLAST ERROR")
	for _, n := range recs {
		task := ""
		if n.Task != nil {
			task = *n.Task
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%d\t%s\n", n.ID, termSafe(n.User), n.Kind, dash(termSafe(task)), n.Slot.Format("2006-01-02 15:04"), n.Status, n.Attempts, dash(oneLine(n.LastError, 80)))
	}
	return tw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// oneLine is s on one line for a table, at most n characters, with
// terminal control characters made visible.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(termSafe(s)), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

func pluralWord(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"log/slog"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/store"
)

// defaultDB is the database file when neither --db nor INFLUBOT_DB says.
const defaultDB = "influbot.db"

// retentionDelay is how long the bot runs before its first prune, so that
// one-shot commands never prune.
const retentionDelay = time.Minute

func storeSubcommands() []subcommand {
	return []subcommand{
		{name: "export", summary: "Print everything stored about one user as JSON", usage: "--user platform:tenant:user [--db PATH]", run: runExport},
		{name: "forget", summary: "Erase everything stored about one user", usage: "--user platform:tenant:user [--db PATH]", run: runForget},
		{name: "unanswered", summary: "List the questions the bot could not answer, most asked first", usage: "[--tenant platform:tenant] [--limit N] [--json] [--db PATH]", run: runUnanswered},
		{name: "prune", summary: "Delete history older than an age (e.g. 365d, 6mo), after confirming", usage: "--older-than AGE [--yes] [--db PATH]", run: runPrune},
	}
}

// dbFromEnv is the --db default: INFLUBOT_DB, else influbot.db in the
// working directory.
func dbFromEnv(e *env) string {
	if v := e.getenv("INFLUBOT_DB"); v != "" {
		return v
	}
	return defaultDB
}

func registerDB(fs *flag.FlagSet, e *env, p *string) {
	fs.StringVar(p, "db", dbFromEnv(e), "database: a SQLite file or a postgres:// URL (env INFLUBOT_DB; default influbot.db in the working directory)")
}

// openStore opens the database the bot records history in, sets the
// bot's store fields, and starts the daily prune when a retention is set.
// An empty path keeps no history.
func (a *app) openStore(ctx context.Context, e *env, f appFlags, cfg *bot.Config) error {
	maxAge, err := parseRetention(f.retention)
	if err != nil {
		return err
	}
	if f.db == "" {
		return nil
	}
	db := store.New(f.db)
	db.Logger = a.log
	if err := configureDB(e, db); err != nil {
		return err
	}
	// A service (run, serve) may commit history just behind its answers
	// (INFLUBOT_HISTORY_BEHIND, store.DB.HistoryBehind); by default, and
	// always on the console, an answer waits until its history is
	// committed, so a request acknowledged is a request recorded even if
	// the process is killed right after.
	if a.metrics != nil {
		behind, err := historyBehind(e)
		if err != nil {
			return err
		}
		db.HistoryBehind = behind
	}
	if err := db.Open(ctx); err != nil {
		return err
	}
	if a.metrics != nil {
		registerDBMetrics(a.metrics.Registry(), db)
	}
	a.db = db
	a.closers = append(a.closers, db.Close)
	cfg.Events, cfg.Unanswered, cfg.Checks, cfg.History = db, db, db, db
	cfg.Admins, cfg.AdminList = db, db
	cfg.Context = db // conversation context survives a restart
	if maxAge > 0 {
		r := &store.Retention{DB: db, MaxAge: maxAge, Delay: retentionDelay, Logger: a.log}
		ctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		done := make(chan struct{})
		go func() {
			defer close(done)
			r.Run(ctx)
		}()
		a.closers = append(a.closers, func() error {
			cancel()
			<-done
			return nil
		})
	}
	return nil
}

// parseRetention reads --retention / INFLUBOT_RETENTION: an age such as
// 365d, or "" or 0 for none.
func parseRetention(s string) (time.Duration, error) {
	if s == "" || s == "0" || strings.EqualFold(s, "off") {
		return 0, nil
	}
	d, err := store.ParseAge(s)
	if err != nil {
		return 0, usagef("--retention / INFLUBOT_RETENTION: %s (or 0 for none)", bot.ErrorMessage(err))
	}
	return d, nil
}

// openExisting opens the database of a store subcommand, which must exist.
func openExisting(ctx context.Context, e *env, path string) (*store.DB, error) {
	return openStoreFile(ctx, e, path, false)
}

// openReadOnly opens an existing database for a tool that only reads it,
// so it works on a file the user may not write to.
func openReadOnly(ctx context.Context, e *env, path string) (*store.DB, error) {
	return openStoreFile(ctx, e, path, true)
}

func openStoreFile(ctx context.Context, e *env, path string, readOnly bool) (*store.DB, error) {
	if path == "" {
		return nil, usagef("--db: give the database file")
	}
	db := store.New(path)
	db.MustExist = true
	db.ReadOnly = readOnly
	db.Logger = slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	if err := configureDB(e, db); err != nil {
		return nil, err
	}
	if err := db.Open(ctx); err != nil {
		return nil, err
	}
	return db, nil
}

func parseUserFlag(s string) (bot.UserRef, error) {
	if s == "" {
		return bot.UserRef{}, usagef("--user is required: platform:tenant:user, e.g. console:local:alice")
	}
	u, err := bot.ParseUserRef(s)
	if err != nil {
		return bot.UserRef{}, usagef("--user: %v", err)
	}
	return u, nil
}

func noArgs(name string, pos []string) error {
	if len(pos) > 0 {
		return usagef("%s takes no arguments, got %q", name, strings.Join(pos, " "))
	}
	return nil
}

// openForUser parses the --db and --user flags of a tool about one user
// (export, forget) and opens the existing database.
func openForUser(ctx context.Context, e *env, fs *flag.FlagSet, args []string, readOnly bool) (*store.DB, bot.UserRef, error) {
	var path, user string
	registerDB(fs, e, &path)
	fs.StringVar(&user, "user", "", "the user, platform:tenant:user")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return nil, bot.UserRef{}, err
	}
	if err := noArgs(fs.Name(), pos); err != nil {
		return nil, bot.UserRef{}, err
	}
	u, err := parseUserFlag(user)
	if err != nil {
		return nil, bot.UserRef{}, err
	}
	db, err := openStoreFile(ctx, e, path, readOnly)
	if err != nil {
		return nil, bot.UserRef{}, err
	}
	return db, u, nil
}

func runExport(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "export", "--user platform:tenant:user [--db PATH]", `
Print everything stored about one user as one JSON object with the keys
user, events, checks, tasks, nudges and unanswered (lists, empty when there
is nothing), plus "other" for rows of further per-user tables. A user is
platform:tenant:user: console:local:alice, discord:GUILD:USER, slack:TEAM:USER.
It only reads the database, so it works on a read-only copy.`)
	db, u, err := openForUser(ctx, e, fs, args, true)
	if err != nil {
		return err
	}
	defer db.Close()
	x, err := db.Export(ctx, u)
	if err != nil {
		return err
	}
	return writeJSON(e.stdout, x)
}

func runForget(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "forget", "--user platform:tenant:user [--db PATH]", `
Erase every row stored about one user: their messages and the bot's
replies, checks, unanswered questions, plans, tasks, reminders and nudges,
and their place on an admin list. The deleted text is overwritten in the
database file and the WAL is truncated. There is no undo; run
'influbot export' first for a copy.`)
	db, u, err := openForUser(ctx, e, fs, args, false)
	if err != nil {
		return err
	}
	defer db.Close()
	rep, err := db.Forget(ctx, u)
	if err != nil {
		return err
	}
	if rep.Total() == 0 {
		fmt.Fprintf(e.stdout, "Nothing was stored about %s.\n", u)
		return nil
	}
	var parts []string
	for t, n := range rep.Rows {
		parts = append(parts, fmt.Sprintf("%s %d", t, n))
	}
	sort.Strings(parts)
	fmt.Fprintf(e.stdout, "Erased %d rows about %s (%s).\n", rep.Total(), u, strings.Join(parts, ", "))
	return nil
}

func runUnanswered(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "unanswered", "[--tenant platform:tenant] [--limit N] [--json] [--db PATH]", `
List the questions the bot could not answer, grouped (rewordings that differ
only in case and punctuation count as one) and counted, most asked first:
the FAQ entries to write next. Without --tenant, every workspace in turn.

With --json, one array of {"tenant", "text", "count", "users", "first", "last",
"off_topic"}: off_topic is true for questions declined as outside the program,
false for questions about it the bot was not sure how to answer (the gaps).`)
	var path, tenant string
	registerDB(fs, e, &path)
	fs.StringVar(&tenant, "tenant", "", "only this workspace, platform:tenant (e.g. discord:123456789, console:local)")
	limit := fs.Int("limit", 20, "at most this many questions per workspace (1-1000)")
	asJSON := fs.Bool("json", false, "print JSON instead of a table")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := noArgs("unanswered", pos); err != nil {
		return err
	}
	if *limit < 1 || *limit > store.MaxLimit {
		return usagef("--limit %d: use 1 to %d", *limit, store.MaxLimit)
	}
	var tenants []bot.TenantRef
	if tenant != "" {
		t, err := bot.ParseTenantRef(tenant)
		if err != nil {
			return usagef("--tenant: %v", err)
		}
		tenants = []bot.TenantRef{t}
	}
	db, err := openReadOnly(ctx, e, path)
	if err != nil {
		return err
	}
	defer db.Close()
	groups, err := db.UnansweredReport(ctx, tenants, *limit)
	if err != nil {
		return err
	}
	if *asJSON {
		rows := []store.UnansweredRow{}
		for _, g := range groups {
			rows = append(rows, g.Rows...)
		}
		return writeJSON(e.stdout, rows)
	}
	if len(groups) == 0 {
		fmt.Fprintln(e.stdout, "No unanswered questions.")
		return nil
	}
	for i, g := range groups {
		if i > 0 {
			fmt.Fprintln(e.stdout)
		}
		fmt.Fprintln(e.stdout, termSafe(g.Tenant.String()))
		tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "ASKED\tUSERS\tLAST\tWHY\t")
		for _, r := range g.Rows {
			why := "not sure"
			if r.OffTopic {
				why = "off-topic"
			}
			fmt.Fprintf(tw, "%d\t%d\t%s\t%s\t  %s\n", r.Count, r.Users, r.Last.Format("2006-01-02"), why, oneLine(r.Text, 200))
		}
		tw.Flush()
	}
	return nil
}

func runPrune(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "prune", "--older-than AGE [--yes] [--db PATH]", `
Delete the messages (events) and unanswered questions recorded longer ago
than AGE, and the nudges sent or canceled and the task events (done, skip,
snooze) recorded then. AGE is whole numbers with units: min, h, d, w, mo
(30 days) or y (365 days), short or in words: 365d, 12h, 1d12h, 30min, 2w,
6mo, 1y, "30 days", "6 months". A bare m is refused: write min or mo.
It first says how much it will delete and asks; without a terminal to ask
on, it deletes only with --yes.
Eligibility checks stay: they are each creator's progress, and 'forget'
erases them. The running bot can prune daily by itself: set
INFLUBOT_RETENTION (or --retention).`)
	var path string
	registerDB(fs, e, &path)
	olderThan := fs.String("older-than", "", "delete history older than this, e.g. 365d or 6mo (default INFLUBOT_RETENTION)")
	yes := fs.Bool("yes", false, "delete without asking")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := noArgs("prune", pos); err != nil {
		return err
	}
	age := *olderThan
	if age == "" {
		if r := e.getenv("INFLUBOT_RETENTION"); r != "" && r != "0" {
			age = r
		}
	}
	if age == "" {
		return usagef("prune needs --older-than, e.g. --older-than 365d")
	}
	d, err := store.ParseAge(age)
	if err != nil {
		return usagef("--older-than: %s", bot.ErrorMessage(err))
	}
	db, err := openExisting(ctx, e, path)
	if err != nil {
		return err
	}
	defer db.Close()
	before := time.Now().Add(-d)
	when := fmt.Sprintf("recorded before %s (older than %s)", before.UTC().Format("2006-01-02 15:04 MST"), store.FormatAge(d))
	preview, err := db.PrunePreview(ctx, before)
	if err != nil {
		return err
	}
	if preview.Total() == 0 {
		fmt.Fprintf(e.stdout, "Nothing is %s; nothing to delete.\n", when)
		return nil
	}
	fmt.Fprintf(e.stdout, "This deletes %s %s.\n", pruneCounts(preview), when)
	if !*yes {
		if !e.terminal(e.stdin) {
			return usagef("prune: not deleting without confirmation; run it again with --yes to delete")
		}
		fmt.Fprint(e.stdout, "Delete them? Type yes to confirm: ")
		line, _ := bufio.NewReader(e.stdin).ReadString('\n')
		if a := strings.ToLower(strings.TrimSpace(line)); a != "yes" && a != "y" {
			fmt.Fprintln(e.stdout, "Nothing deleted.")
			return nil
		}
	}
	rep, err := db.Prune(ctx, before)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Deleted %s.\n", pruneCounts(rep))
	return nil
}

// pruneCounts lists a prune's counts: "3 events, 1 unanswered question,
// 0 sent or canceled nudges and 2 task events".
func pruneCounts(r store.PruneReport) string {
	return fmt.Sprintf("%s, %s, %s and %s", countOf(r.Events, "event"), countOf(r.Unanswered, "unanswered question"),
		countOf(r.Nudges, "sent or canceled nudge"), countOf(r.TaskEvents, "task event"))
}

// countOf is "1 event", "3 events".
func countOf(n int64, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.FormatInt(n, 10) + " " + noun + "s"
}

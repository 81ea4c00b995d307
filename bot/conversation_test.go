package bot_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/knowledge"
	"github.com/influbot/influbot/store"
)

// A conversation is one scripted exchange from testdata/conversations
// (its README describes the format).
type conversation struct {
	name    string
	file    string
	line    int
	pending string // why it may fail until another branch lands, "" when it must pass
	steps   []step
}

type step struct {
	line      int
	verb, arg string
}

func loadConversations(t *testing.T, dir string) []conversation {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", dir, "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no conversation files: %v", err)
	}
	var convs []conversation
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		n := 0
		for sc.Scan() {
			n++
			line := strings.TrimSpace(sc.Text())
			switch {
			case line == "" || strings.HasPrefix(line, "#"):
				continue
			case strings.HasPrefix(line, "=="):
				convs = append(convs, conversation{name: strings.TrimSpace(line[2:]), file: filepath.Base(f), line: n})
				continue
			}
			if len(convs) == 0 {
				t.Fatalf("%s:%d: a step before the first == line", f, n)
			}
			c := &convs[len(convs)-1]
			switch {
			case strings.HasPrefix(line, "@pending"):
				c.pending = strings.TrimSpace(strings.TrimPrefix(line, "@pending"))
			case strings.HasPrefix(line, ">"):
				c.steps = append(c.steps, step{line: n, verb: "say", arg: strings.TrimSpace(line[1:])})
			case line == "restart":
				c.steps = append(c.steps, step{line: n, verb: "restart"})
			default:
				verb, arg, ok := strings.Cut(line, ":")
				if !ok {
					t.Fatalf("%s:%d: can't read %q", f, n, line)
				}
				c.steps = append(c.steps, step{line: n, verb: strings.TrimSpace(verb), arg: strings.TrimSpace(arg)})
			}
		}
		fh.Close()
		if err := sc.Err(); err != nil {
			t.Fatal(err)
		}
	}
	return convs
}

// talk is one conversation's world: a core over a real SQLite file, a
// clock, and the user.
type talk struct {
	t     *testing.T
	kb    *knowledge.Base
	path  string
	db    *store.DB
	b     *bot.Bot
	now   time.Time
	user  bot.UserRef
	reply bot.Reply
}

func (w *talk) clock() time.Time { return w.now }

func (w *talk) open() {
	w.t.Helper()
	w.db = store.New(w.path)
	w.db.Now = w.clock
	if err := w.db.Open(context.Background()); err != nil {
		w.t.Fatalf("open store: %v", err)
	}
	b, err := bot.New(bot.Config{
		Knowledge: w.kb, Events: w.db, Unanswered: w.db, Checks: w.db, History: w.db,
		Plans: w.db, Context: w.db, Now: w.clock,
	})
	if err != nil {
		w.t.Fatalf("new bot: %v", err)
	}
	w.b = b
}

func (w *talk) close() {
	if w.db != nil {
		w.db.Close()
	}
}

// check runs one expectation and returns what went wrong, "" when it held.
func (w *talk) check(ctx context.Context, s step) string {
	text := strings.ToLower(w.reply.Title + "\n" + w.reply.Text)
	lastEvent := func() (bot.Event, bool) {
		evs, err := w.db.RecentEvents(ctx, w.user, "", 1)
		if err != nil || len(evs) == 0 {
			return bot.Event{}, false
		}
		return evs[0], true
	}
	switch s.verb {
	case "contains":
		if !strings.Contains(text, strings.ToLower(s.arg)) {
			return fmt.Sprintf("reply does not contain %q", s.arg)
		}
	case "not":
		if strings.Contains(text, strings.ToLower(s.arg)) {
			return fmt.Sprintf("reply contains %q", s.arg)
		}
	case "command", "topic", "answered", "kind":
		ev, ok := lastEvent()
		if !ok {
			return "no event recorded"
		}
		got := map[string]string{"command": ev.Command, "topic": ev.Topic, "answered": strconv.FormatBool(ev.Answered), "kind": ev.Kind}[s.verb]
		want := s.arg
		if want == "-" {
			want = ""
		}
		if got != want {
			return fmt.Sprintf("%s = %q, want %q", s.verb, got, want)
		}
	case "pending":
		c, _, err := w.db.LoadContext(ctx, w.user)
		if err != nil {
			return err.Error()
		}
		got := "none"
		if c.Pending != nil && w.now.Sub(c.Updated) <= bot.ContextTTL {
			got = c.Pending.Command
		}
		if got != s.arg {
			return fmt.Sprintf("pending = %q, want %q", got, s.arg)
		}
	case "tasks":
		n, status, _ := strings.Cut(s.arg, " ")
		want, err := strconv.Atoi(n)
		if err != nil {
			return "bad tasks line"
		}
		tasks, err := w.db.Tasks(ctx, w.user)
		if err != nil {
			return err.Error()
		}
		got := 0
		for _, ts := range tasks {
			if (status == "active" && ts.Status == bot.TaskActive) || (status == "done" && ts.DoneCount > 0) {
				got++
			}
		}
		if got != want {
			return fmt.Sprintf("%d tasks %s, want %d", got, status, want)
		}
	case "stopped":
		r, _, err := w.db.Reminder(ctx, w.user)
		if err != nil {
			return err.Error()
		}
		if strconv.FormatBool(r.Stopped) != s.arg {
			return fmt.Sprintf("stopped = %v, want %s", r.Stopped, s.arg)
		}
	case "reminders":
		r, _, err := w.db.Reminder(ctx, w.user)
		if err != nil {
			return err.Error()
		}
		got := "off"
		if !r.Stopped && r.Every != "" {
			got = "on"
		}
		if got != s.arg {
			return fmt.Sprintf("reminders %s, want %s", got, s.arg)
		}
	case "forgotten":
		x, err := w.db.Export(ctx, w.user)
		if err != nil {
			return err.Error()
		}
		gone := x.User.FirstSeen == nil && len(x.Events) == 0 && len(x.Checks) == 0 && len(x.Tasks) == 0 && len(x.Unanswered) == 0
		if strconv.FormatBool(gone) != s.arg {
			return fmt.Sprintf("forgotten = %v (%d events, %d checks), want %s", gone, len(x.Events), len(x.Checks), s.arg)
		}
	default:
		return fmt.Sprintf("unknown step %q", s.verb)
	}
	return ""
}

// TestConversations plays every scripted conversation against the real
// core and a SQLite file.
func TestConversations(t *testing.T) { playConversations(t, "conversations") }

// TestHeldOutConversations plays the conversations written blind, from
// the issue and the README alone, by someone who never saw the code or the
// tuned set (testdata/conversations-heldout/README.md). Never tune on them.
func TestHeldOutConversations(t *testing.T) { playConversations(t, "conversations-heldout") }

func playConversations(t *testing.T, dir string) {
	kb, err := knowledge.LoadDir("")
	if err != nil {
		t.Fatal(err)
	}
	convs := loadConversations(t, dir)
	pending := 0
	for _, c := range convs {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			w := &talk{t: t, kb: kb, path: filepath.Join(t.TempDir(), "conv.db"), now: time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC),
				user: bot.UserRef{Platform: bot.PlatformConsole, Tenant: bot.LocalTenant, ID: "tester"}}
			w.open()
			defer w.close()
			var failures []string
			for _, s := range c.steps {
				switch s.verb {
				case "say":
					w.now = w.now.Add(time.Second)
					w.reply = w.b.Handle(ctx, bot.Request{User: w.user, Text: s.arg, DM: true})
				case "restart":
					w.close()
					w.open()
				case "as":
					u, err := bot.ParseUserRef(s.arg)
					if err != nil {
						t.Fatalf("%s:%d: %v", c.file, s.line, err)
					}
					w.user = u
				case "wait":
					d, err := time.ParseDuration(s.arg)
					if err != nil {
						t.Fatalf("%s:%d: %v", c.file, s.line, err)
					}
					w.now = w.now.Add(d)
				default:
					if msg := w.check(ctx, s); msg != "" {
						failures = append(failures, fmt.Sprintf("%s:%d: %s\n  reply: %s", c.file, s.line, msg, strings.ReplaceAll(clip(w.reply.Text, 300), "\n", " ")))
					}
				}
			}
			if len(failures) == 0 {
				return
			}
			if c.pending != "" {
				t.Skipf("pending %s:\n%s", c.pending, strings.Join(failures, "\n"))
			}
			t.Error(strings.Join(failures, "\n"))
		})
		if c.pending != "" {
			pending++
		}
	}
	t.Logf("%d conversations, %d tagged pending another branch's fix", len(convs), pending)
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// BenchmarkHandleWithStore measures messages through the core with the
// context and history in a SQLite file: small talk, an FAQ question and a
// follow-up, in turn.
func BenchmarkHandleWithStore(b *testing.B) {
	kb, err := knowledge.LoadDir("")
	if err != nil {
		b.Fatal(err)
	}
	db := store.New(filepath.Join(b.TempDir(), "bench.db"))
	if err := db.Open(context.Background()); err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	core, err := bot.New(bot.Config{Knowledge: kb, Events: db, Unanswered: db, Checks: db, History: db, Plans: db, Context: db})
	if err != nil {
		b.Fatal(err)
	}
	u := bot.UserRef{Platform: bot.PlatformConsole, Tenant: bot.LocalTenant, ID: "bench"}
	lines := []string{"thanks!", "what should I change before reapplying", "how long?", "ok"}
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		core.Handle(ctx, bot.Request{User: u, Text: lines[i%len(lines)]})
	}
}

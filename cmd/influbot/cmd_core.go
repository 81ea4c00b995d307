package main

import (
	"context"
	"flag"
	"log/slog"
	"os"
	"os/user"
	"strings"

	"github.com/influbot/influbot/adapters/console"
	"github.com/influbot/influbot/bot"
)

func coreSubcommands() []subcommand {
	return []subcommand{
		{name: "run", summary: "Run the bot (Discord/Slack when configured, else the console chat); the default", usage: "[flags]", run: runBot},
		{name: "serve", summary: "Serve over HTTP: Slack (SLACK_SIGNING_SECRET), Discord interactions (DISCORD_PUBLIC_KEY), the dashboard, /healthz, /readyz, /metrics", usage: "[--addr ADDR] [flags]", run: runServe},
		{name: "chat", summary: "Chat with the bot in this terminal (the console adapter)", usage: "[--user NAME] [flags]", run: runChat},
		{name: "ask", summary: "Answer one question from the FAQ", usage: "[--json] [--knowledge DIR] QUESTION...", run: runAsk},
	}
}

func runChat(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "chat", "[--user NAME] [flags]", `
Chat with influbot in this terminal. Type a question or a command ("help"
lists them); "quit" or end of input leaves. Works piped, too:
  echo "why was I rejected?" | influbot chat`)
	var af appFlags
	af.register(fs, e)
	name := fs.String("user", defaultUserName(e), "who is talking; history is kept as console:local:NAME")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("chat takes no arguments, got %q; to ask one question use 'influbot ask'", strings.Join(pos, " "))
	}
	if err := checkSettings(e, fs, "chat"); err != nil {
		return err
	}
	return chatWith(ctx, e, af, *name)
}

// chatWith runs the console adapter as user name.
func chatWith(ctx context.Context, e *env, af appFlags, name string) error {
	if strings.TrimSpace(name) == "" || strings.ContainsAny(name, ": \t\n") {
		return usagef("--user %q: use a name without spaces or colons", name)
	}
	c := &console.Console{
		In:   e.stdin,
		Out:  e.stdout,
		User: bot.UserRef{Platform: bot.PlatformConsole, Tenant: bot.LocalTenant, ID: name},
		Name: name,
		TTY:  e.terminal(e.stdin) && e.terminal(e.stdout),
	}
	// Logs never break into the chat: each goes out whole, between
	// replies, on stderr. On a terminal, where stderr shows in the chat,
	// only errors are logged unless --log-level asks for more; piped, the
	// default (warn) stands, stderr being apart from the chat.
	le := *e
	le.stderr = c.LogWriter(e.stderr)
	level := slog.LevelWarn
	if c.TTY {
		level = slog.LevelError
	}
	a, err := openApp(ctx, &le, af, level)
	if err != nil {
		return err
	}
	defer a.Close()
	c.Bot = a.bot
	if _, note := localZone(e); note != "" {
		c.Note(note)
	}
	// Nudges come due while the user chats and print between prompts.
	a.notify.Register(bot.PlatformConsole, &console.Notifier{Console: c})
	defer a.startNudges(ctx, []string{bot.PlatformConsole}, c.User)()
	return runAdapters(ctx, c)
}

func runAsk(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "ask", "[--json] [--knowledge DIR] QUESTION...", `
Answer one question about the Amazon Influencer Program from the FAQ. When
the bot is not confident it says so and suggests up to three topics.
Exit status is 0 whether or not it knew the answer. It records the
question only in a database named with --db or INFLUBOT_DB.

With --json it prints exactly one object:
  {"topic": "<id or \"\">", "confidence": 0..1, "answer": "...",
   "suggestions": [{"topic": "...", "title": "..."}]}`)
	var af appFlags
	af.register(fs, e)
	asJSON := fs.Bool("json", false, "print one JSON object instead of text")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if !flagGiven(fs, "db") && e.getenv("INFLUBOT_DB") == "" {
		// A one-shot question leaves nothing behind unless asked to.
		af.db = ""
	}
	q := strings.TrimSpace(strings.Join(pos, " "))
	if q == "" {
		return usagef("ask needs a question, e.g. influbot ask \"why was I rejected?\"")
	}
	if n := len([]rune(q)); n > bot.MaxInput {
		return usagef("the question is %d characters long; keep it under %d", n, bot.MaxInput)
	}
	a, err := openApp(ctx, e, af, slog.LevelWarn)
	if err != nil {
		return err
	}
	defer a.Close()
	ans := a.bot.Ask(ctx, bot.UserRef{Platform: bot.PlatformConsole, Tenant: bot.LocalTenant, ID: defaultUserName(e)}, q)
	if *asJSON {
		return printJSONLine(e.stdout, ans)
	}
	if ans.Title != "" {
		console.Render(e.stdout, bot.Reply{Title: ans.Title, Text: ans.Text}, e.terminal(e.stdout))
		return nil
	}
	console.Render(e.stdout, bot.Reply{Text: ans.Text}, e.terminal(e.stdout))
	return nil
}

// flagGiven reports whether the flag was set on the command line.
func flagGiven(fs *flag.FlagSet, name string) bool {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}

func defaultUserName(e *env) string {
	for _, k := range []string{"INFLUBOT_USER", "USER", "LOGNAME"} {
		if v := e.getenv(k); v != "" {
			return sanitizeName(v)
		}
	}
	if u, err := user.Current(); err == nil && u.Username != "" {
		return sanitizeName(u.Username)
	}
	return "me"
}

func sanitizeName(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ':' || r == ' ' || r == '\t' || r == '\n' {
			return '_'
		}
		return r
	}, s)
}

func isTerminal(r any) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

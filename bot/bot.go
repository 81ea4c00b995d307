package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/influbot/influbot/knowledge"
)

// MaxInput is the longest message the bot reads, in characters. Longer
// messages get a friendly refusal instead of an answer.
const MaxInput = 4000

// Config holds the bot's dependencies. Only Knowledge is required; every
// other field has a working zero value.
type Config struct {
	Knowledge *knowledge.Base
	// Events records every interaction; nil keeps no history.
	Events EventRecorder
	// Unanswered keeps the questions the bot could not answer; nil keeps
	// them in memory (the most recent MemoryUnansweredSize).
	Unanswered UnansweredLog
	// Admins names tenant admins beyond platform permissions.
	Admins AdminPolicy
	// Checks keeps eligibility checks; nil keeps none.
	Checks CheckStore
	// Plans keeps engagement plans, reminders and the nudge schedule; nil
	// turns plan, tasks, done, remind and the nudges off.
	Plans PlanStore
	// Nudges tunes plans and reminders; the zero value uses the defaults.
	Nudges NudgeConfig
	// History reads and erases stored history (history, export, forget,
	// unanswered); nil means none is kept, and those commands say so.
	History HistoryStore
	// AdminList manages each tenant's admin list (admin add/remove/list);
	// nil means there is none beyond platform permissions.
	AdminList AdminStore
	// Context keeps each user's conversation context (last topic, last
	// command, the question the bot is waiting on); nil keeps it in memory.
	Context ContextStore
	// Workspace gives each workspace's knowledge (the shipped FAQ with its
	// admins' overrides); nil answers every workspace from Knowledge.
	Workspace WorkspaceKnowledge
	// Dashboard issues sign-in links to the admin dashboard (the
	// dashboard command); nil means there is no dashboard.
	Dashboard LoginLinks
	// Logger receives details users never see; nil discards them.
	Logger *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Bot is influbot's core. It is safe for concurrent use.
type Bot struct {
	cfg      Config
	log      *slog.Logger
	now      func() time.Time
	commands []*Command
	byName   map[string]*Command
	lex      *lexicon
	// answers are the FAQ answers as shown (answerText), by entry id,
	// shown the same with the "Related:" line its buttons repeat left out
	// (entryReply), and answerSrc the text each was rendered from.
	answers, shown, answerSrc map[string]string
	told                      toldUsers // told that their history is not being kept
}

// New builds a bot from cfg.
func New(cfg Config) (*Bot, error) {
	if cfg.Knowledge == nil || cfg.Knowledge.Index == nil {
		return nil, errors.New("bot: Config.Knowledge is required")
	}
	b := &Bot{cfg: cfg, log: cfg.Logger, now: cfg.Now, byName: map[string]*Command{}, lex: newLexicon()}
	if b.log == nil {
		b.log = slog.New(slog.DiscardHandler)
	}
	if b.now == nil {
		b.now = time.Now
	}
	if b.cfg.Unanswered == nil {
		b.cfg.Unanswered = NewMemoryUnanswered(MemoryUnansweredSize)
	}
	if b.cfg.Context == nil {
		b.cfg.Context = NewMemoryContext()
	}
	b.answers, b.shown, b.answerSrc = map[string]string{}, map[string]string{}, map[string]string{}
	for _, e := range cfg.Knowledge.Index.Entries() {
		b.answers[e.ID], b.answerSrc[e.ID] = renderAnswer(cfg.Knowledge, e.Answer), e.Answer
		b.shown[e.ID] = dropShownRelated(b.answers[e.ID], relatedButtons(cfg.Knowledge, e))
	}
	for _, group := range [][]*Command{
		b.coreCommands(),
		b.checkCommands(),
		b.historyCommands(),
		b.planCommands(),
		b.dashboardCommands(),
	} {
		for _, c := range group {
			if err := b.register(c); err != nil {
				return nil, err
			}
		}
	}
	return b, nil
}

func (b *Bot) register(c *Command) error {
	for _, name := range append([]string{c.Name}, c.Aliases...) {
		if _, dup := b.byName[name]; dup {
			return fmt.Errorf("bot: command name %q registered twice", name)
		}
		b.byName[name] = c
	}
	b.commands = append(b.commands, c)
	return nil
}

// Commands returns every command, in help order, for adapters that register
// native slash commands.
func (b *Bot) Commands() []*Command { return b.commands }

// Command returns the command with the given name or alias.
func (b *Bot) Command(name string) (*Command, bool) {
	c, ok := b.byName[strings.ToLower(name)]
	return c, ok
}

// Invoked returns the command req runs, decided from the command records
// before anything runs: a button press by the command before the colon of
// its id, a structured command by its name, free text by its first word
// or the command its plain words name ("stop sending me messages"). ok is
// false for a question or small talk. Adapters use it, and Private, instead
// of parsing the core's grammar themselves.
func (b *Bot) Invoked(req Request) (c *Command, ok bool) {
	c, ok, _ = b.invoked(req)
	return c, ok
}

// invoked is Invoked, with the reading of req.Text when it read one.
func (b *Bot) invoked(req Request) (c *Command, ok bool, msg *reading) {
	if req.Action != nil {
		name, _, _ := strings.Cut(req.Action.ID, ":")
		c, ok = b.Command(name)
		return c, ok, nil
	}
	if req.Command != "" {
		c, ok = b.Command(req.Command)
		return c, ok, nil
	}
	first, _, _ := strings.Cut(strings.TrimSpace(req.Text), " ")
	if c, ok := b.Command(strings.TrimLeft(first, "/!")); ok {
		return c, true, nil
	}
	msg = b.lex.read(normalize(req.Text))
	c, ok = b.Command(b.lex.commandOf(msg))
	return c, ok, msg
}

// HandleInvoked is Invoked and Handle in one: the command req invokes
// (as Invoked finds it, before anything runs) and the answer. Adapters
// that need both call it, so that the message is read once.
func (b *Bot) HandleInvoked(ctx context.Context, req Request) (reply Reply, c *Command, invoked bool) {
	c, invoked, msg := b.invoked(req)
	return b.handle(ctx, req, msg), c, invoked
}

// Private reports whether the answer to req is shown only to its sender,
// from the record of the command it invokes (see Invoked). Adapters use it
// to acknowledge privately; the reply's own Ephemeral flag still applies.
func (b *Bot) Private(req Request) bool {
	c, ok := b.Invoked(req)
	return ok && c.Private
}

// Knowledge returns the knowledge base the bot answers from.
func (b *Bot) Knowledge() *knowledge.Base { return b.cfg.Knowledge }

// Now returns the bot's clock reading.
func (b *Bot) Now() time.Time { return b.now() }

// Handle answers one request. It never fails: a problem becomes a friendly
// reply, and its detail goes to the log.
func (b *Bot) Handle(ctx context.Context, req Request) (reply Reply) {
	return b.handle(ctx, req, nil)
}

// handle is Handle of a request whose text may have been read already
// (msg, from normalize(req.Text); nil when it was not).
func (b *Bot) handle(ctx context.Context, req Request, msg *reading) (reply Reply) {
	start := b.now()
	if req.Time.IsZero() {
		req.Time = start
	}
	ev := &Event{User: req.User, Time: req.Time, Kind: EventCommand, Text: capText(req.Text, MaxStoredText), Answered: true}
	// The request's writes (its context, its event) must not be lost
	// because its context ended as the reply went out; one bound serves
	// both.
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	defer func() {
		if r := recover(); r != nil {
			b.log.ErrorContext(ctx, "panic handling request", "user", req.User.String(), "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			reply = errorReply(Errorf(EINTERNAL, "internal error"))
			ev.ErrorCode, ev.Answered = EINTERNAL, false
		}
		ev.Reply = capText(reply.Text, MaxStoredText)
		ev.KnowledgeReply = b.isShownAnswer(ev.Topic, reply.Text)
		ev.Latency = b.now().Sub(start)
		if err := b.record(wctx, ev); errors.Is(err, ErrNotKept) && b.told.first(req.User) {
			reply.Text += notKeptNote
		}
	}()
	reply, err := b.dispatch(ctx, wctx, req, ev, msg)
	if err != nil {
		ev.ErrorCode, ev.Answered = ErrorCode(err), false
		b.logError(ctx, req, err)
		return errorReply(err)
	}
	return reply
}

// dispatch routes a request; wctx bounds the writes that must outlive ctx
// (the conversation context saved after it).
func (b *Bot) dispatch(ctx, wctx context.Context, req Request, ev *Event, msg *reading) (Reply, error) {
	if !req.User.Valid() {
		return Reply{}, Errorf(EINVALID, "I couldn't tell who sent that message, so I can't answer it.")
	}
	call := &Call{Request: req, Event: ev, admin: func(ctx context.Context) bool { return b.onAdminList(ctx, req.User) }}
	conv, read := b.loadContext(ctx, req.User)
	t := &turn{call: call, conv: &conv, read: msg, unread: !read}
	reply, err := b.route(ctx, t)
	if err != nil {
		ev.ErrorCode = ErrorCode(err)
	} else {
		reply = replaceOnPress(call, offerCheckForm(call, reply))
	}
	b.remember(wctx, conv, t, reply)
	return reply, err
}

func (b *Bot) route(ctx context.Context, t *turn) (Reply, error) {
	req, call, ev := t.call.Request, t.call, t.call.Event
	switch {
	case req.Action != nil:
		ev.Kind = EventAction
		if ev.Text == "" {
			// A press; a typed choice (the console's "1") keeps its words.
			ev.Text = capText(req.Action.ID+" "+req.Action.Value, MaxStoredText)
		}
		name, _, _ := strings.Cut(req.Action.ID, ":")
		c, ok := b.byName[name]
		if !ok {
			return Reply{}, Errorf(EINVALID, "That button has expired. Type `help` to see what I can do.")
		}
		ev.Command = c.Name
		return b.run(ctx, c, call)
	case req.Command != "":
		c, ok := b.byName[strings.ToLower(req.Command)]
		if !ok {
			return Reply{}, Errorf(EINVALID, "I don't know the command “%s”. Type `help` to see what I can do.", QuoteClip(req.Command, 40))
		}
		ev.Command = c.Name
		if ev.Text == "" {
			ev.Text = capText(formatOptions(req.Command, req.Options), MaxStoredText)
		}
		call.Args = strings.TrimSpace(req.Text)
		t.args = call.Args
		return b.run(ctx, c, call)
	}
	text := strings.TrimSpace(req.Text)
	if n := utf8.RuneCountInString(text); n > MaxInput {
		return Reply{}, Errorf(EINVALID, "That message is too long for me (%d characters). Please keep it under %d characters.", n, MaxInput)
	}
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, "")
		t.read = nil // normalize reads invalid bytes as spaces, not nothing
	}
	if text == "" {
		ev.Kind, ev.Command = EventChat, "chat"
		// A new session: what the bot asked last still stands. With
		// nothing live to keep, the welcome starts the context, so that
		// a "hi" right after it is not welcomed a second time; but not
		// over one that could not be read.
		t.keep = !t.conv.Updated.IsZero() || t.unread
		return b.welcome(req), nil
	}
	return b.converse(ctx, t, text, 0)
}

func (b *Bot) run(ctx context.Context, c *Command, call *Call) (Reply, error) {
	if c.Admin && !call.IsAdmin(ctx) {
		return Reply{}, Errorf(EFORBIDDEN, "Only admins of this workspace can use `%s`.", c.Name)
	}
	call.cmd = c
	return c.Run(ctx, call)
}

// onAdminList reports whether the tenant's admin list names u (Call.IsAdmin
// asks, only for a command that needs to know).
func (b *Bot) onAdminList(ctx context.Context, u UserRef) bool {
	if b.cfg.Admins == nil {
		return false
	}
	ok, err := b.cfg.Admins.IsAdmin(ctx, u)
	if err != nil {
		b.log.WarnContext(ctx, "admin lookup failed", "user", u.String(), "err", err)
		return false
	}
	return ok
}

func (b *Bot) record(ctx context.Context, ev *Event) error {
	if b.cfg.Events == nil || !ev.User.Valid() || ev.Discard {
		return nil
	}
	// ctx is handle's bounded, detached context: history must not be lost
	// because the request's context ended as the reply went out.
	err := b.cfg.Events.RecordEvent(ctx, *ev)
	switch {
	case errors.Is(err, ErrNotKept):
		// The store says so itself, once a minute, with the count.
		b.log.DebugContext(ctx, "record event queued: history is not being kept", "user", ev.User.String(), "err", err)
	case err != nil:
		b.log.ErrorContext(ctx, "record event", "user", ev.User.String(), "kind", ev.Kind, "err", err)
	}
	return err
}

func (b *Bot) logError(ctx context.Context, req Request, err error) {
	level := slog.LevelError
	switch ErrorCode(err) {
	case EINVALID, ENOTFOUND, EFORBIDDEN:
		level = slog.LevelInfo
	case EUNAVAILABLE:
		level = slog.LevelWarn
	}
	b.log.Log(ctx, level, "request failed", "user", req.User.String(), "code", ErrorCode(err), "err", err)
}

func errorReply(err error) Reply {
	// Messages echo the user's words with %q: shown as typed, never as
	// markup (QuoteEchoes).
	return Reply{Text: QuoteEchoes(ErrorMessage(err)), Tone: ToneError, Ephemeral: true}
}

func splitFirstWord(s string) (first, rest string) {
	s = strings.TrimSpace(s)
	i := strings.IndexFunc(s, func(r rune) bool { return r == ' ' || r == '\n' || r == '\t' })
	if i < 0 {
		return s, ""
	}
	return s[:i], strings.TrimSpace(s[i:])
}

func formatOptions(name string, opts map[string]string) string {
	var sb strings.Builder
	sb.WriteString(name)
	for _, k := range sortedKeys(opts) {
		fmt.Fprintf(&sb, " %s:%s", k, opts[k])
	}
	return sb.String()
}

// capText cuts s to at most n bytes without splitting a character.
func capText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func clipRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

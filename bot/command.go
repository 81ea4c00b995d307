package bot

import (
	"context"
	"errors"
	"strings"
)

// Command is one thing the bot can do, defined once for every platform:
// free text ("check instagram 4k followers"), a Slack "/influbot check ..."
// and a Discord slash command with options all reach the same Run.
type Command struct {
	Name     string   // first word that invokes it, e.g. "check"
	Aliases  []string // other first words
	Summary  string   // one line for help
	Usage    string   // e.g. "check <platform> <followers> [likes] ..."
	Examples []string // full example invocations, shown by "help <command>"
	Options  []Option // named options for native slash commands
	Admin    bool     // only tenant admins may run it
	// Private marks a command whose answers are shown only to the caller
	// (ephemeral on Discord and Slack, never in_channel): it shows a
	// creator's own numbers, plan or data. Adapters decide privacy from
	// this field alone (Bot.Private), before the command runs.
	Private bool
	Hidden  bool // left out of help (button-only handlers)
	// Run does the work. It returns ErrNotCommand when the text turned out
	// to be a question that merely starts with the command's name ("check
	// if I'm eligible?"), and the core asks the FAQ instead.
	Run func(ctx context.Context, c *Call) (Reply, error)
}

// OptionKind is the type of a slash-command option.
type OptionKind int

// Option kinds.
const (
	OptionString OptionKind = iota
	OptionNumber
	OptionInteger
	OptionBool
)

// Option is a named parameter of a command, as native slash commands show
// it.
type Option struct {
	Name        string
	Description string
	Kind        OptionKind
	Required    bool
	Choices     []string
	// Rest marks the option that free text fills when the command reads
	// its words as one value ("lint <caption>", "help <command>"); see
	// Call.Value.
	Rest bool
}

// Args is a command's typed arguments as its binder fills them (see
// Command.Bind): eligibility.Input for check, a category and an amount for
// commission.
type Args interface {
	// ParseText reads the free text after the command's name. partial
	// says named options were given too (command-line flags beside the
	// text), so the text need not be complete on its own.
	ParseText(text string, partial bool) error
	// Set reads the value of one of the command's options.
	Set(name, value string) error
}

// Bind fills dst from free text, named options, or both, the same way for
// every platform and the command line: the text first, then each of the
// command's options that has a value, which overrides what the text said.
// Options the command does not declare are ignored.
func (c *Command) Bind(dst Args, text string, opts map[string]string) error {
	text = strings.TrimSpace(text)
	given := c.given(opts)
	if text != "" {
		if err := dst.ParseText(text, len(given) > 0); err != nil {
			return err
		}
	}
	for _, o := range c.Options {
		if v, ok := given[o.Name]; ok {
			if err := dst.Set(o.Name, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// given returns the command's options that carry a value in opts.
func (c *Command) given(opts map[string]string) map[string]string {
	given := map[string]string{}
	for _, o := range c.Options {
		if v := strings.TrimSpace(opts[o.Name]); v != "" {
			given[o.Name] = v
		}
	}
	return given
}

// Call is one invocation of a command.
type Call struct {
	Request
	// Args is the free text after the command's name. For structured
	// invocations it is empty and Options carries the values.
	Args string
	// Event is the record of this interaction; commands fill in what they
	// learned (topic, confidence, kind).
	Event *Event

	cmd *Command // the command being run
	// whatIf marks a check of numbers the user asks about ("what if I
	// had 50 likes?"), not their own: it is answered, not saved.
	whatIf bool
	// admin answers IsAdmin, once per call: the tenant's admin list is
	// read only for a command that asks (an admin-only command, help).
	admin      func(ctx context.Context) bool
	adminKnown bool
	isAdmin    bool
}

// IsAdmin reports whether the caller is an admin of the tenant: the
// platform says so (Request.Admin), the console's user, or the tenant's
// admin list names them. The list is read at most once per call, and only
// when a command asks.
func (c *Call) IsAdmin(ctx context.Context) bool {
	if !c.adminKnown {
		c.adminKnown = true
		c.isAdmin = c.Request.Admin || c.User.Platform == PlatformConsole || (c.admin != nil && c.admin(ctx))
	}
	return c.isAdmin
}

// ErrNotCommand is returned by a command's Run when the text was a question
// rather than an invocation.
var ErrNotCommand = errors.New("not a command invocation")

// Option returns the named option or "".
func (c *Call) Option(name string) string { return c.Options[name] }

// Bind fills dst from the call's free text and options through its
// command's binder (Command.Bind).
func (c *Call) Bind(dst Args) error { return c.cmd.Bind(dst, c.Args, c.Options) }

// HasOptions reports whether the call gave any of its command's options a
// value.
func (c *Call) HasOptions() bool { return c.cmd != nil && len(c.cmd.given(c.Options)) > 0 }

// Value returns the named option as the command reads it: the option's
// value when given, else, for the option marked Rest, the free text.
func (c *Call) Value(name string) string {
	if v := c.Option(name); strings.TrimSpace(v) != "" || c.cmd == nil {
		return v
	}
	for _, o := range c.cmd.Options {
		if o.Name == name && o.Rest {
			return c.Args
		}
	}
	return ""
}

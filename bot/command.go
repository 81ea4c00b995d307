package bot

import (
	"context"
	"errors"
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
	// Admin reports whether the caller is an admin of the tenant.
	Admin bool
}

// ErrNotCommand is returned by a command's Run when the text was a question
// rather than an invocation.
var ErrNotCommand = errors.New("not a command invocation")

// Option returns the named option or "".
func (c *Call) Option(name string) string { return c.Options[name] }

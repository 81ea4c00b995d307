// Command influbot runs the influbot chatbot and its command-line tools.
//
// main only wires things together: it reads flags and the environment,
// loads the knowledge, opens the database and starts adapters. The logic
// lives in package bot.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/influbot/influbot/bot"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv})
	stop()
	os.Exit(code)
}

// env is what a subcommand may touch of the outside world, so tests can run
// the whole CLI in-process.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	// isTTY reports whether a stream is a terminal; nil means isTerminal.
	isTTY func(any) bool
}

// terminal reports whether f (e.stdin, e.stdout...) is a terminal a person
// reads or types at.
func (e *env) terminal(f any) bool {
	if e.isTTY != nil {
		return e.isTTY(f)
	}
	return isTerminal(f)
}

// subcommand is one "influbot NAME" tool.
type subcommand struct {
	name    string
	summary string
	usage   string // after "influbot NAME"
	run     func(ctx context.Context, e *env, args []string) error
}

// usageError is a mistake in how a command was called: exit status 2 and
// one line on stderr.
type usageError struct{ msg string }

func (u *usageError) Error() string { return u.msg }

func usagef(format string, args ...any) error { return &usageError{msg: fmt.Sprintf(format, args...)} }

func subcommands() []subcommand {
	var all []subcommand
	all = append(all, coreSubcommands()...)
	all = append(all, checkSubcommands()...)
	all = append(all, storeSubcommands()...)
	all = append(all, nudgeSubcommands()...)
	all = append(all, subcommand{name: "config", summary: "Print the effective configuration (flags, environment, defaults), secrets masked", usage: "[--json] [flags]", run: runConfig})
	all = append(all, dashboardSubcommands()...)
	all = append(all, dbSubcommands()...)
	return all
}

// run executes the command line and returns the exit status.
func run(ctx context.Context, args []string, e *env) int {
	name := "run"
	switch {
	case len(args) == 0:
	case strings.HasPrefix(args[0], "-") && !isHelpOrVersion(args[0]):
		// Global flags first: "influbot --db x.db" is "influbot run --db
		// x.db", and "influbot --db x.db export --user u" is "influbot
		// export --db x.db --user u".
		if i := commandAfterFlags(args); i >= 0 {
			name = args[i]
			args = append(append([]string{}, args[:i]...), args[i+1:]...)
			if name == "version" || name == "help" {
				// They read no settings: "influbot --db x.db version"
				// prints the version, "... help check" check's help.
				args = args[i:]
			}
		}
	default:
		name, args = args[0], args[1:]
	}
	var err error
	switch name {
	case "help", "-h", "-help", "--help":
		err = printHelp(e, args)
	case "version", "-version", "--version":
		err = printVersion(e, args)
	default:
		sc, ok := findSubcommand(name)
		if !ok {
			err = usagef("unknown command %q; run 'influbot help' to list the commands", name)
			break
		}
		err = sc.run(ctx, e, args)
	}
	var ue *usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errHelpShown):
		return 0
	case errors.As(err, &ue):
		// Messages may quote what was typed; termSafe keeps its control
		// characters from acting on the terminal.
		fmt.Fprintln(e.stderr, "influbot: "+termSafe(ue.msg))
		return 2
	default:
		fmt.Fprintln(e.stderr, "influbot: "+termSafe(errorLine(err)))
		return 1
	}
}

// errorLine is the one line a failed command prints: an influbot error's
// own message (which names the file or setting at fault) without the
// driver's detail behind it, which can mislead ("no such file or
// directory" for a directory the user may not write to); anything else
// as it is.
func errorLine(err error) string {
	var be *bot.Error
	if errors.As(err, &be) && be.Code != bot.EINTERNAL {
		return be.Message
	}
	return err.Error()
}

// boolFlags are the flags that take no value, so commandAfterFlags knows
// what follows them is not their value.
var boolFlags = map[string]bool{"json": true, "yes": true, "strict": true, "retry-dead": true}

// commandAfterFlags returns the index of the first argument after leading
// flags (and their values) when it names a command, or -1.
func commandAfterFlags(args []string) int {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			return -1
		case strings.HasPrefix(a, "-"):
			name := strings.TrimLeft(a, "-")
			if !strings.Contains(name, "=") && !boolFlags[name] {
				i++ // its value
			}
		default:
			if _, ok := findSubcommand(a); ok || a == "version" || a == "help" {
				return i
			}
			return -1
		}
	}
	return -1
}

func isHelpOrVersion(arg string) bool {
	switch arg {
	case "-h", "-help", "--help", "-version", "--version":
		return true
	}
	return false
}

func findSubcommand(name string) (subcommand, bool) {
	for _, sc := range subcommands() {
		if sc.name == name {
			return sc, true
		}
	}
	return subcommand{}, false
}

func printHelp(e *env, args []string) error {
	if len(args) > 0 && args[0] == "version" {
		fmt.Fprintln(e.stdout, "Usage: influbot version (or influbot --version)\n\nPrint the module version, the commit the binary was built from and the Go version.")
		return nil
	}
	if len(args) > 0 {
		sc, ok := findSubcommand(args[0])
		if !ok {
			return usagef("unknown command %q; run 'influbot help' to list the commands", args[0])
		}
		return sc.run(context.Background(), e, []string{"-h"})
	}
	fmt.Fprint(e.stdout, `influbot coaches creators through the Amazon Influencer Program: it answers
questions, runs eligibility checks and nudges creators about engagement tasks.

Usage: influbot [command] [flags]

With no command, influbot runs the bot: on Discord and/or Slack when their
tokens are set in the environment, otherwise as a chat in this terminal.
The flags of 'influbot run' work without the command, too:
  influbot --db history.db

Commands:
`)
	for _, sc := range subcommands() {
		fmt.Fprintf(e.stdout, "  %-12s %s\n", sc.name, sc.summary)
	}
	fmt.Fprintf(e.stdout, "  %-12s %s\n", "version", "Print the version and the commit it was built from")
	fmt.Fprint(e.stdout, `
Run 'influbot help COMMAND' or 'influbot COMMAND -h' for a command's flags.
`)
	return nil
}

// Package console is the terminal adapter: a read-answer loop on an input
// and an output stream. It is influbot's default when no platform tokens are
// configured, and works piped as well as in a terminal.
package console

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/influbot/influbot/bot"
)

// Handler is the part of the core the console needs.
type Handler interface {
	Handle(ctx context.Context, req bot.Request) bot.Reply
}

// maxLine is the most the console reads of one line; the rest is dropped
// and the core refuses the over-long message politely.
const maxLine = 64 * 1024

// Console chats with one local user.
type Console struct {
	Bot  Handler
	In   io.Reader
	Out  io.Writer
	User bot.UserRef
	Name string // display name
	TTY  bool   // a terminal: prompt, colours

	mu      sync.Mutex // serialises writes: nudges arrive from other goroutines
	buttons []bot.Button
	waiting bool // a prompt is showing
}

// Run reads lines until end of input, "quit", or ctx ends.
func (c *Console) Run(ctx context.Context) error {
	lines := make(chan line)
	readErr := make(chan error, 1)
	go func() {
		readErr <- readLines(c.In, lines)
		close(lines)
	}()
	c.show(c.Bot.Handle(ctx, c.request("", nil)))
	for {
		c.prompt()
		select {
		case <-ctx.Done():
			c.write("\n")
			return nil
		case in, ok := <-lines:
			if !ok {
				if c.TTY {
					c.write("\n")
				}
				if err := <-readErr; err != nil {
					return fmt.Errorf("console: read input: %w", err)
				}
				return nil
			}
			c.mu.Lock()
			c.waiting = false
			c.mu.Unlock()
			if in.cut {
				// The core would count only what was kept; say how long
				// the line really was.
				c.show(bot.Reply{Text: fmt.Sprintf("That message is too long for me (%d characters). Please keep it under %d characters.", in.runes, bot.MaxInput), Tone: bot.ToneError})
				continue
			}
			line := strings.TrimSpace(in.text)
			switch strings.ToLower(line) {
			case "":
				continue
			case "quit", "exit", "bye", "/quit", "/exit":
				c.write("Bye! Come back any time.\n")
				return nil
			}
			c.show(c.Bot.Handle(ctx, c.request(line, c.pressed(line))))
		}
	}
}

// request builds a core request from a typed line; a number pressing one
// of the last reply's buttons becomes an action.
func (c *Console) request(text string, action *bot.Action) bot.Request {
	r := bot.Request{User: c.User, UserName: c.Name, DM: true, Time: time.Time{}}
	if action != nil {
		r.Action = action
	} else {
		r.Text = text
	}
	return r
}

func (c *Console) pressed(line string) *bot.Action {
	n, err := strconv.Atoi(line)
	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil || n < 1 || n > len(c.buttons) {
		return nil
	}
	b := c.buttons[n-1]
	return &bot.Action{ID: b.ActionID, Value: b.Value}
}

func (c *Console) show(r bot.Reply) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.buttons = r.Buttons
	Render(c.Out, r, c.TTY)
}

// Deliver prints a message the bot sends on its own (a nudge) between
// prompts. It implements the notifier side of the console.
func (c *Console) Deliver(_ context.Context, r bot.Reply) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.waiting {
		io.WriteString(c.Out, "\n")
	}
	c.buttons = r.Buttons
	Render(c.Out, r, c.TTY)
	if c.waiting {
		io.WriteString(c.Out, promptText)
	}
	return nil
}

const promptText = "you> "

func (c *Console) prompt() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.TTY && !c.waiting {
		io.WriteString(c.Out, promptText)
		c.waiting = true
	}
}

func (c *Console) write(s string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	io.WriteString(c.Out, s)
}

// line is one line of input. A line longer than maxLine is cut there (cut
// is set) and the rest dropped; runes counts the whole line.
type line struct {
	text  string
	runes int
	cut   bool
}

// readLines sends each line of r to out.
func readLines(r io.Reader, out chan<- line) error {
	br := bufio.NewReaderSize(r, 4096)
	for {
		var sb strings.Builder
		var l line
		var chunk []byte
		for {
			var err error
			chunk, err = br.ReadSlice('\n')
			l.runes += utf8.RuneCount(chunk)
			if sb.Len() < maxLine {
				sb.Write(chunk[:min(len(chunk), maxLine-sb.Len())])
			} else if len(chunk) > 0 {
				l.cut = true
			}
			if errors.Is(err, bufio.ErrBufferFull) {
				continue
			}
			if err != nil {
				if sb.Len() > 0 {
					l.text = sb.String()
					out <- l
				}
				if errors.Is(err, io.EOF) {
					return nil
				}
				return err
			}
			break
		}
		l.text = strings.TrimRight(sb.String(), "\r\n")
		l.runes -= len(chunk) - len(bytes.TrimRight(chunk, "\r\n")) // the line ending is not part of it
		out <- l
	}
}

var (
	boldRE = regexp.MustCompile(`\*\*([^*]+)\*\*`)
	linkRE = regexp.MustCompile(`\[([^\]]+)\]\(([^)\s]+)\)`)
)

// Render writes a reply as terminal text: ANSI bold and colour on a
// terminal, plain text otherwise. Buttons become numbered choices.
func Render(w io.Writer, r bot.Reply, tty bool) {
	bold := func(s string) string {
		if tty {
			return "\x1b[1m" + s + "\x1b[0m"
		}
		return s
	}
	var sb strings.Builder
	if r.Title != "" {
		sb.WriteString(bold(toneMark(r.Tone) + r.Title))
		sb.WriteString("\n")
	} else if r.Tone == bot.ToneError || r.Tone == bot.ToneWarning {
		sb.WriteString(toneMark(r.Tone))
	}
	text := linkRE.ReplaceAllString(r.Text, "$1 <$2>")
	text = boldRE.ReplaceAllStringFunc(text, func(m string) string { return bold(m[2 : len(m)-2]) })
	// User text the core quoted (bot.Quote) is shown as typed, its
	// escapes undone once the markup around it is rendered.
	text = bot.Unquote(text)
	sb.WriteString(strings.TrimRight(text, "\n"))
	sb.WriteString("\n")
	for _, f := range r.Fields {
		fmt.Fprintf(&sb, "%s: %s\n", bold(f.Name), f.Value)
	}
	if r.Image != nil && r.Image.URL != "" {
		fmt.Fprintf(&sb, "Image: %s\n", r.Image.URL)
	}
	if r.File != nil {
		fmt.Fprintf(&sb, "--- %s ---\n%s\n", r.File.Name, strings.TrimRight(string(r.File.Data), "\n"))
	}
	if len(r.Buttons) > 0 {
		sb.WriteString("Reply with a number:")
		for i, b := range r.Buttons {
			fmt.Fprintf(&sb, "  [%d] %s", i+1, b.Label)
		}
		sb.WriteString("\n")
	}
	sb.WriteString("\n")
	io.WriteString(w, sb.String())
}

func toneMark(t bot.Tone) string {
	switch t {
	case bot.ToneError:
		return "✖ "
	case bot.ToneWarning:
		return "⚠ "
	case bot.ToneSuccess:
		return "✔ "
	}
	return ""
}

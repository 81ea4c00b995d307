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
	"path/filepath"
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
	// PictureDir is where pictures in replies (the history's chart) are
	// written, their path printed; empty means the OS temp directory.
	PictureDir string

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
	r.Text = text // with an action, what was typed, for the history
	r.Action = action
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
	Render(c.Out, savePicture(r, c.PictureDir), c.TTY)
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
	Render(c.Out, savePicture(r, c.PictureDir), c.TTY)
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

// Note prints a line about the session itself (a setting it could not
// use), before the conversation or between replies.
func (c *Console) Note(text string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.waiting {
		io.WriteString(c.Out, "\n")
	}
	io.WriteString(c.Out, styled(styleItalic, "Note: "+safeText(text), c.TTY)+"\n\n")
	if c.waiting {
		io.WriteString(c.Out, promptText)
	}
}

// LogWriter returns a writer to w that takes turns with the chat: each
// write (one log record) waits for a reply being printed to finish, and
// at a prompt it moves to a new line first and shows the prompt again
// after, so log lines and replies never mix.
func (c *Console) LogWriter(w io.Writer) io.Writer { return &logWriter{c: c, w: w} }

type logWriter struct {
	c *Console
	w io.Writer
}

func (l *logWriter) Write(p []byte) (int, error) {
	l.c.mu.Lock()
	defer l.c.mu.Unlock()
	if l.c.waiting {
		io.WriteString(l.c.Out, "\n")
	}
	n, err := l.w.Write(p)
	if l.c.waiting {
		io.WriteString(l.c.Out, promptText)
	}
	return n, err
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

// Render writes a reply as terminal text: Markdown rendered with ANSI
// styles on a terminal, plain text with the markers removed otherwise.
// Control characters in the reply (it may quote what users typed) are
// made harmless first. Buttons become numbered choices.
func Render(w io.Writer, r bot.Reply, tty bool) {
	bold := func(s string) string { return styled(styleBold, s, tty) }
	var sb strings.Builder
	if r.Title != "" {
		sb.WriteString(bold(toneMark(r.Tone) + inline(safeText(r.Title), false)))
		sb.WriteString("\n")
	} else if r.Tone == bot.ToneError || r.Tone == bot.ToneWarning {
		sb.WriteString(toneMark(r.Tone))
	}
	sb.WriteString(strings.TrimRight(markdown(safeText(r.Text), tty), "\n"))
	sb.WriteString("\n")
	for _, f := range r.Fields {
		fmt.Fprintf(&sb, "%s: %s\n", bold(inline(safeText(f.Name), false)), markdown(safeText(f.Value), tty))
	}
	if r.Image != nil && r.Image.URL != "" {
		if filepath.IsAbs(r.Image.URL) {
			fmt.Fprintf(&sb, "Picture saved to %s\n", safeText(r.Image.URL))
		} else {
			fmt.Fprintf(&sb, "Image: %s\n", safeText(r.Image.URL))
		}
	}
	if isPicture(r.File) {
		fmt.Fprintf(&sb, "--- %s (a picture, %d bytes, not shown here) ---\n", safeText(r.File.Name), len(r.File.Data))
	} else if r.File != nil {
		fmt.Fprintf(&sb, "--- %s ---\n%s\n", safeText(r.File.Name), strings.TrimRight(safeText(string(r.File.Data)), "\n"))
	}
	if len(r.Buttons) > 0 {
		sb.WriteString("Reply with a number:")
		for i, b := range r.Buttons {
			fmt.Fprintf(&sb, "  [%d] %s", i+1, inline(safeText(b.Label), tty))
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

package slack

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	slackapi "github.com/slack-go/slack"

	"github.com/influbot/influbot/bot"
)

// maxFileText is how much of a file that could not be uploaded is shown
// inline instead.
const maxFileText = 5000

// deliver posts a reply where its request came from. An ephemeral reply is
// shown only to the asking user, except in a direct message, where it is
// an ordinary message.
func (a *Adapter) deliver(ctx context.Context, o origin, r bot.Reply) error {
	msgs := render(r)
	if len(msgs) == 0 && r.File == nil {
		a.log.WarnContext(ctx, "the core returned an empty reply; nothing to post", "channel", o.Channel)
		return nil
	}
	return a.deliverRendered(ctx, o, msgs, r.File, r.Ephemeral)
}

// deliverRendered posts a reply's rendered messages, then its file.
func (a *Adapter) deliverRendered(ctx context.Context, o origin, msgs []message, f *bot.File, ephemeral bool) error {
	ephemeral = ephemeral && !o.DM
	for i, m := range msgs {
		if err := a.post(ctx, &o, m, ephemeral); err != nil {
			return fmt.Errorf("message %d of %d: %w", i+1, len(msgs), err)
		}
	}
	if f != nil {
		return a.deliverFile(ctx, o, f, ephemeral)
	}
	return nil
}

// post sends one message: to the response_url when the request has one,
// otherwise with chat.postMessage or chat.postEphemeral. A response_url
// that fails (they expire after 30 minutes or five uses) is given up in
// favour of the Web API for this and later messages.
func (a *Adapter) post(ctx context.Context, o *origin, m message, ephemeral bool) error {
	if o.ResponseURL != "" {
		responseType := slackapi.ResponseTypeInChannel
		if ephemeral {
			responseType = slackapi.ResponseTypeEphemeral
		}
		api := a.apiFor(ctx)
		if api == nil {
			api = a.api // a response_url needs no token
		}
		err := a.retry(ctx, func() error {
			_, _, err := api.PostMessageContext(ctx, o.Channel,
				slackapi.MsgOptionText(m.Text, false),
				slackapi.MsgOptionBlocks(m.Blocks...),
				slackapi.MsgOptionResponseURL(o.ResponseURL, responseType))
			return redactURL(err, o.ResponseURL)
		})
		if err == nil {
			return nil
		}
		if o.Channel == "" || !a.canSend(ctx) {
			return fmt.Errorf("post to response_url: %w", err)
		}
		a.log.WarnContext(ctx, "posting to the response_url failed; using the Web API", "channel", o.Channel, "err", err)
		o.ResponseURL = ""
	}
	if !a.canSend(ctx) {
		return errNoToken
	}
	opts := []slackapi.MsgOption{slackapi.MsgOptionText(m.Text, false), slackapi.MsgOptionBlocks(m.Blocks...)}
	if o.ThreadTS != "" {
		opts = append(opts, slackapi.MsgOptionTS(o.ThreadTS))
	}
	if ephemeral {
		return a.retry(ctx, func() error {
			if _, err := a.apiFor(ctx).PostEphemeralContext(ctx, o.Channel, o.User, opts...); err != nil {
				return fmt.Errorf("chat.postEphemeral: %w", err)
			}
			return nil
		})
	}
	return a.retry(ctx, func() error {
		if _, _, err := a.apiFor(ctx).PostMessageContext(ctx, o.Channel, opts...); err != nil {
			return fmt.Errorf("chat.postMessage: %w", err)
		}
		return nil
	})
}

// deliverFile uploads a reply's file into the conversation. A file meant
// for the asking user alone goes to their direct messages, because an
// upload is visible to everyone in a channel. When the upload fails the
// file is shown as text instead.
func (a *Adapter) deliverFile(ctx context.Context, o origin, f *bot.File, ephemeral bool) error {
	channel, thread := o.Channel, o.ThreadTS
	var err error
	if ephemeral {
		channel, thread = "", ""
		channel, err = a.openDM(ctx, o.User)
	}
	if err == nil && channel != "" && len(f.Data) > 0 {
		err = a.upload(ctx, channel, thread, f, a.retry)
		if err == nil {
			if ephemeral {
				note := bot.Reply{Text: "I sent you `" + fileName(f) + "` in a direct message."}
				for _, m := range render(note) {
					if err := a.post(ctx, &o, m, true); err != nil {
						a.log.WarnContext(ctx, "could not say where the file went", "err", err)
					}
				}
			}
			return nil
		}
	}
	noToken := errors.Is(err, errNoToken)
	if err != nil && !noToken {
		a.log.WarnContext(ctx, "file upload failed; sending it as text", "file", fileName(f), "channel", channel, "err", err)
	}
	for _, m := range render(bot.Reply{Text: fileAsText(f, noToken)}) {
		if err := a.post(ctx, &o, m, ephemeral); err != nil {
			return fmt.Errorf("file %s as text: %w", fileName(f), err)
		}
	}
	return nil
}

// maxFileAltText is the most alt text Slack keeps for an uploaded image.
const maxFileAltText = 1000

// upload shares a file into a channel with files.getUploadURLExternal, the
// upload itself and files.completeUploadExternal.
func (a *Adapter) upload(ctx context.Context, channel, thread string, f *bot.File, retry func(context.Context, func() error) error) error {
	if !a.canSend(ctx) {
		return errNoToken
	}
	name := fileName(f)
	return retry(ctx, func() error {
		_, err := a.apiFor(ctx).UploadFileContext(ctx, slackapi.UploadFileParameters{
			Reader:          bytes.NewReader(f.Data),
			FileSize:        len(f.Data),
			Filename:        name,
			Title:           name,
			AltTxt:          clip(strings.TrimSpace(f.Alt), maxFileAltText),
			Channel:         channel,
			ThreadTimestamp: thread,
		})
		if err != nil {
			return fmt.Errorf("upload %s: %w", name, err)
		}
		return nil
	})
}

// errNoToken is why a reply outside a request's own answer is not sent
// without a bot token.
var errNoToken = errors.New("no SLACK_BOT_TOKEN: the Web API is not available, only inline answers")

func (a *Adapter) openDM(ctx context.Context, user string) (string, error) {
	if !a.canSend(ctx) {
		return "", errNoToken
	}
	ch, _, _, err := a.apiFor(ctx).OpenConversationContext(ctx, &slackapi.OpenConversationParameters{Users: []string{user}, ReturnIM: true})
	if err != nil {
		return "", fmt.Errorf("conversations.open: %w", err)
	}
	if ch == nil || ch.ID == "" {
		return "", fmt.Errorf("conversations.open: no channel in the response")
	}
	return ch.ID, nil
}

// fileName is a file's name, safe for an upload and for a code span.
func fileName(f *bot.File) string {
	name := strings.Map(func(r rune) rune {
		switch {
		case r == '`' || r == '/' || r == '\\' || r < ' ':
			return '_'
		}
		return r
	}, strings.TrimSpace(f.Name))
	if name == "" {
		return "attachment"
	}
	return clip(name, 200)
}

// fileAsText is the Markdown shown in place of a file that could not be
// uploaded.
func fileAsText(f *bot.File, noToken bool) string {
	name := fileName(f)
	if len(f.Data) == 0 {
		return fmt.Sprintf("I couldn't attach `%s`: it is empty.", name)
	}
	if !textual(f) {
		why := "here. Please try again in a little while."
		if noToken {
			// Trying again cannot help: this workspace's influbot
			// answers slash commands only and cannot upload.
			why = "here: in this workspace I can only answer in the command's own reply, without files."
		}
		text := fmt.Sprintf("I couldn't attach `%s` (%d bytes) %s", name, len(f.Data), why)
		if alt := strings.TrimSpace(f.Alt); alt != "" {
			text += "\nWhat it shows: " + clip(alt, maxFileAltText)
		}
		return text
	}
	content := strings.ReplaceAll(string(f.Data), "```", "'''")
	shortened := utf8.RuneCountInString(content) > maxFileText
	content = clip(content, maxFileText)
	text := fmt.Sprintf("I couldn't attach `%s`, so here it is as text:\n```\n%s\n```", name, strings.TrimRight(content, "\n"))
	if shortened {
		text += "\n_(shortened)_"
	}
	return text
}

func textual(f *bot.File) bool {
	if !utf8.Valid(f.Data) || bytes.IndexByte(f.Data, 0) >= 0 {
		return false
	}
	ct := strings.ToLower(f.ContentType)
	return ct == "" || strings.HasPrefix(ct, "text/") || strings.Contains(ct, "json") ||
		strings.Contains(ct, "csv") || strings.Contains(ct, "xml") || strings.Contains(ct, "yaml")
}

// redactedError is an error whose message had a secret cut out; it still
// unwraps to the original for errors.Is and errors.As.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// redactURL cuts a response_url out of err's message, keeping its host.
// Whoever holds a response_url can post in the channel for 30 minutes, and
// a network error quotes the URL in full.
func redactURL(err error, raw string) error {
	if err == nil || raw == "" {
		return err
	}
	msg := err.Error()
	if u, perr := url.Parse(raw); perr == nil && u.Host != "" {
		msg = strings.ReplaceAll(msg, raw, u.Scheme+"://"+u.Host+"/[response_url]")
		if p := u.EscapedPath(); len(p) > 1 {
			msg = strings.ReplaceAll(msg, p, "/[response_url]")
		}
	} else {
		msg = strings.ReplaceAll(msg, raw, "[response_url]")
	}
	if msg == err.Error() {
		return err
	}
	return &redactedError{msg: msg, err: err}
}

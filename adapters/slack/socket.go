package slack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	slackapi "github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
)

// runSocketMode receives events, slash commands and button presses over
// Socket Mode until ctx ends. slack-go's client reconnects by itself when
// Slack asks it to (a disconnect envelope) or the connection drops; it
// gives up only on a bad app token.
func (a *Adapter) runSocketMode(ctx context.Context) error {
	client := socketmode.New(a.api,
		socketmode.OptionLog(slog.NewLogLogger(a.log.Handler(), slog.LevelDebug)))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- client.RunContext(ctx) }()
	a.log.InfoContext(ctx, "connecting to Slack with Socket Mode")
	for {
		select {
		case err := <-errc:
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("slack: socket mode: %w", err)
		case evt := <-client.Events:
			a.socketEvent(ctx, client, evt)
		}
	}
}

func (a *Adapter) socketEvent(ctx context.Context, client *socketmode.Client, evt socketmode.Event) {
	switch evt.Type {
	case socketmode.EventTypeConnecting:
		a.log.DebugContext(ctx, "socket mode connecting")
	case socketmode.EventTypeConnected:
		a.log.InfoContext(ctx, "socket mode connected")
	case socketmode.EventTypeHello:
		a.log.DebugContext(ctx, "socket mode hello")
	case socketmode.EventTypeDisconnect:
		a.log.InfoContext(ctx, "Slack asked to reconnect")
	case socketmode.EventTypeConnectionError:
		if e, ok := evt.Data.(*slackapi.ConnectionErrorEvent); ok {
			a.log.WarnContext(ctx, "socket mode connection failed; retrying", "attempt", e.Attempt, "backoff", e.Backoff, "err", e.ErrorObj)
		}
	case socketmode.EventTypeInvalidAuth:
		a.log.ErrorContext(ctx, "Slack refused the app-level token")
	case socketmode.EventTypeIncomingError, socketmode.EventTypeErrorBadMessage, socketmode.EventTypeErrorWriteFailed:
		a.log.WarnContext(ctx, "socket mode message problem", "type", string(evt.Type), "detail", socketErrorDetail(evt.Data))
	case socketmode.EventTypeEventsAPI:
		ev, ok := evt.Data.(slackevents.EventsAPIEvent)
		if !ok || evt.Request == nil {
			return
		}
		// An envelope that cannot be taken on is not acknowledged, so that
		// Slack sends it again later. Each is answered on its own
		// goroutine: respond holds the acknowledgement until the answer
		// is out.
		a.detached(ctx, func(context.Context) {
			if a.takeEvent(ctx, ev) {
				a.ack(ctx, client, evt.Request, nil)
			}
		})
	case socketmode.EventTypeSlashCommand:
		cmd, ok := evt.Data.(slackapi.SlashCommand)
		if !ok || evt.Request == nil {
			return
		}
		if cmd.UserID == "" || (cmd.TeamID == "" && cmd.EnterpriseID == "") {
			a.log.WarnContext(ctx, "malformed slash command over socket mode")
			a.ack(ctx, client, evt.Request, nil)
			return
		}
		a.detached(ctx, func(context.Context) {
			a.ack(ctx, client, evt.Request, a.takeCommand(ctx, cmd, socketKey("command", evt.Request), time.Time{}))
		})
	case socketmode.EventTypeInteractive:
		cb, ok := evt.Data.(slackapi.InteractionCallback)
		if !ok || evt.Request == nil {
			return
		}
		if cb.User.ID == "" {
			a.log.WarnContext(ctx, "malformed interaction over socket mode")
			a.ack(ctx, client, evt.Request, nil)
			return
		}
		a.detached(ctx, func(context.Context) {
			a.ack(ctx, client, evt.Request, a.takeInteraction(ctx, cb))
		})
	default:
		a.log.DebugContext(ctx, "ignored a socket mode event", "type", string(evt.Type))
	}
}

// socketKey is the replay key of a Socket Mode request: its envelope id,
// which a redelivery keeps.
func socketKey(kind string, req *socketmode.Request) string {
	if req == nil || req.EnvelopeID == "" {
		return ""
	}
	return "slack:" + kind + ":" + req.EnvelopeID
}

func (a *Adapter) ack(ctx context.Context, client *socketmode.Client, req *socketmode.Request, payload any) {
	if err := client.AckCtx(ctx, req.EnvelopeID, payload); err != nil && !errors.Is(err, context.Canceled) {
		a.log.WarnContext(ctx, "socket mode ack failed", "envelope", req.EnvelopeID, "err", err)
	}
	if m, ok := payload.(*inlineMessage); ok {
		markSent(m)
	}
}

func socketErrorDetail(data any) string {
	switch d := data.(type) {
	case *socketmode.ErrorBadMessage:
		return fmt.Sprint(d.Cause)
	case *socketmode.ErrorWriteFailed:
		return fmt.Sprint(d.Cause)
	case *slackapi.IncomingEventError:
		return fmt.Sprint(d.ErrorObj)
	}
	return fmt.Sprint(data)
}

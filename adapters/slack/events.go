package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	slackapi "github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/influbot/influbot/bot"
)

// busyText is what a user sees when no place among MaxInFlight came free
// within QueueWait.
const busyText = "I'm answering a lot of people right now. Please try again in a minute."

// busyMessage is the immediate answer to a slash command or button press
// that cannot be taken on.
type busyMessage struct {
	ResponseType string `json:"response_type"`
	Text         string `json:"text"`
}

func parseEvent(body []byte) (slackevents.EventsAPIEvent, error) {
	// The request's signature was checked; the deprecated verification
	// token is not.
	return slackevents.ParseEvent(json.RawMessage(body), slackevents.OptionNoVerifyToken())
}

// takeEvent answers an Events API event (see respond). It reports false
// when the adapter is too busy to take it on; events that need no answer
// (the bot's own messages, edits, repeats) count as taken.
func (a *Adapter) takeEvent(ctx context.Context, ev slackevents.EventsAPIEvent) bool {
	cb, ok := ev.Data.(*slackevents.EventsAPICallbackEvent)
	if !ok {
		return true
	}
	var auth slackapi.EventAuthorization
	if len(cb.Authorizations) > 0 {
		auth = cb.Authorizations[0]
	}
	team := tenant(cb.EnterpriseID, cb.TeamID, auth.TeamID)
	ctx = a.forWorkspace(ctx, team, cb.EnterpriseID, auth.IsEnterpriseInstall)
	if handled, taken := a.takeAppEvent(ctx, cb, ev.InnerEvent, team, auth.IsEnterpriseInstall); handled {
		return taken
	}
	req, o, ok := a.eventRequest(cb, ev.InnerEvent)
	if !ok {
		return true
	}
	if !a.canSend(ctx) {
		// A mention or a DM is answered by posting, which needs a token:
		// not worked out for nobody to read.
		a.rejected(ctx, "no-token", "a message was not answered: without a bot token influbot answers only slash commands and buttons", "user", req.User.String(), "channel", o.Channel)
		return true
	}
	key := ""
	if cb.EventID != "" {
		key = "slack:event:" + cb.EventID
	}
	if out := a.respond(ctx, job{req: req, origin: o, key: key}); out.busy {
		a.log.DebugContext(ctx, "too busy to take an event; Slack will retry it", "event_id", cb.EventID)
		return false
	}
	return true
}

// eventRequest maps an app_mention or a direct message to a request. It
// reports false for events the bot must not answer: other bots' messages
// (its own included), edits and deletions, and mentions in direct
// messages, which arrive again as message.im.
func (a *Adapter) eventRequest(cb *slackevents.EventsAPICallbackEvent, inner slackevents.EventsAPIInnerEvent) (bot.Request, origin, bool) {
	self := a.botUserID(cb.Authorizations)
	var authTeam string
	if len(cb.Authorizations) > 0 {
		authTeam = cb.Authorizations[0].TeamID
	}
	var (
		user, text, channel, ts, thread, sourceTeam string
		dm                                          bool
	)
	switch e := inner.Data.(type) {
	case *slackevents.AppMentionEvent:
		if e.BotID != "" || e.Edited != nil || isDM(e.Channel) {
			return bot.Request{}, origin{}, false
		}
		user, text, channel, ts, thread, sourceTeam = e.User, e.Text, e.Channel, e.TimeStamp, e.ThreadTimeStamp, e.SourceTeam
	case *slackevents.MessageEvent:
		if e.ChannelType != "im" || e.BotID != "" || (e.SubType != "" && e.SubType != "file_share") {
			return bot.Request{}, origin{}, false
		}
		user, text, channel, ts, thread, sourceTeam = e.User, e.Text, e.Channel, e.TimeStamp, e.ThreadTimeStamp, e.SourceTeam
		dm = true
	default:
		return bot.Request{}, origin{}, false
	}
	if user == "" || user == self || channel == "" || (strings.TrimSpace(text) == "" && inner.Type == "message") {
		return bot.Request{}, origin{}, false
	}
	team := tenant(cb.EnterpriseID, cb.TeamID, authTeam, sourceTeam)
	if team == "" {
		return bot.Request{}, origin{}, false
	}
	req := bot.Request{
		User:    bot.UserRef{Platform: bot.PlatformSlack, Tenant: team, ID: user},
		Channel: channel,
		DM:      dm,
		Text:    incomingText(text, self),
		// A message cannot open a form; a button in the answer can.
		Forms: bot.FormsByButton,
	}
	if t, ok := slackTime(ts); ok {
		req.Time = t
	} else {
		req.Time = a.now()
	}
	return req, origin{Channel: channel, ThreadTS: thread, User: user, DM: dm}, true
}

// slashFields are the form fields of a slash command parseSlashCommand
// reads, in the order of slashField's constants.
var slashFields = [...]string{"team_id", "team_domain", "enterprise_id", "enterprise_name", "is_enterprise_install", "channel_id",
	"channel_name", "user_id", "user_name", "command", "text", "response_url", "trigger_id", "api_app_id"}

const (
	fTeamID = iota
	fTeamDomain
	fEnterpriseID
	fEnterpriseName
	fIsEnterpriseInstall
	fChannelID
	fChannelName
	fUserID
	fUserName
	fCommand
	fText
	fResponseURL
	fTriggerID
	fAPIAppID
)

// parseSlashCommand reads a slash command's form body.
func parseSlashCommand(body []byte) (slackapi.SlashCommand, error) {
	var form [len(slashFields)]string
	if err := firstFormValues(string(body), slashFields[:], form[:]); err != nil {
		return slackapi.SlashCommand{}, fmt.Errorf("form: %w", err)
	}
	cmd := slackapi.SlashCommand{
		TeamID:              form[fTeamID],
		TeamDomain:          form[fTeamDomain],
		EnterpriseID:        form[fEnterpriseID],
		EnterpriseName:      form[fEnterpriseName],
		IsEnterpriseInstall: form[fIsEnterpriseInstall] == "true",
		ChannelID:           form[fChannelID],
		ChannelName:         form[fChannelName],
		UserID:              form[fUserID],
		UserName:            form[fUserName],
		Command:             form[fCommand],
		Text:                form[fText],
		ResponseURL:         form[fResponseURL],
		TriggerID:           form[fTriggerID],
		APIAppID:            form[fAPIAppID],
	}
	if cmd.UserID == "" || cmd.Command == "" || (cmd.TeamID == "" && cmd.EnterpriseID == "") {
		return slackapi.SlashCommand{}, errors.New("user_id, command and team_id are required")
	}
	return cmd, nil
}

// maxQuickFormPairs bounds the pairs firstFormValues reads itself; a longer
// body goes through url.ParseQuery, whose limit on their number applies.
const maxQuickFormPairs = 100

// firstFormValues sets vals[i] to the first value of keys[i] in the
// application/x-www-form-urlencoded body, "" when it has none, and
// returns the error url.ParseQuery would: it reads the body by the same
// rules without building its map.
func firstFormValues(body string, keys, vals []string) error {
	if strings.Count(body, "&") >= maxQuickFormPairs || len(keys) > 64 || strings.Contains(os.Getenv("GODEBUG"), "urlmaxqueryparams") {
		form, err := url.ParseQuery(body)
		for i, k := range keys {
			vals[i] = form.Get(k)
		}
		return err
	}
	var found uint64
	var err error
	for body != "" {
		var pair string
		pair, body, _ = strings.Cut(body, "&")
		if strings.Contains(pair, ";") {
			err = fmt.Errorf("invalid semicolon separator in query")
			continue
		}
		if pair == "" {
			continue
		}
		key, value, _ := strings.Cut(pair, "=")
		key, err1 := url.QueryUnescape(key)
		if err1 != nil {
			if err == nil {
				err = err1
			}
			continue
		}
		value, err1 = url.QueryUnescape(value)
		if err1 != nil {
			if err == nil {
				err = err1
			}
			continue
		}
		if i := slices.Index(keys, key); i >= 0 && found&(1<<i) == 0 {
			vals[i], found = value, found|1<<i
		}
	}
	return err
}

// takeCommand answers a slash command (see respond) and returns what to
// acknowledge it with: its answer, the busy message, or nil. key names
// the request for replay detection.
func (a *Adapter) takeCommand(ctx context.Context, cmd slackapi.SlashCommand, key string, until time.Time) any {
	text := incomingText(cmd.Text, "")
	// A command of the app besides /influbot that names a core command
	// ("/check 4k followers") runs that command.
	if name := strings.ToLower(strings.TrimPrefix(cmd.Command, "/")); name != "influbot" {
		if _, ok := a.Bot.Invoked(bot.Request{Command: name}); ok {
			text = strings.TrimSpace(name + " " + text)
		}
	}
	user := cmd.UserID
	dm := isDM(cmd.ChannelID) || cmd.ChannelName == "directmessage"
	team := tenant(cmd.EnterpriseID, cmd.TeamID)
	ctx = a.forWorkspace(ctx, team, cmd.EnterpriseID, cmd.IsEnterpriseInstall)
	req := bot.Request{
		User:     bot.UserRef{Platform: bot.PlatformSlack, Tenant: team, ID: user},
		UserName: cmd.UserName,
		Channel:  cmd.ChannelID,
		DM:       dm,
		Text:     text,
		Forms:    a.forms(ctx, cmd.TriggerID),
		Time:     a.now(),
	}
	o := origin{Channel: cmd.ChannelID, User: user, DM: dm, ResponseURL: a.checkResponseURL(ctx, cmd.ResponseURL), TriggerID: cmd.TriggerID}
	return a.respond(ctx, job{req: req, origin: o, key: key, until: until, inline: true}).payload
}

// parseInteraction reads an interactivity request: a form whose payload
// field is JSON.
func parseInteraction(body []byte) (slackapi.InteractionCallback, error) {
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return slackapi.InteractionCallback{}, fmt.Errorf("form: %w", err)
	}
	payload := form.Get("payload")
	if payload == "" {
		return slackapi.InteractionCallback{}, errors.New("no payload field")
	}
	var cb slackapi.InteractionCallback
	if err := json.Unmarshal([]byte(payload), &cb); err != nil {
		return slackapi.InteractionCallback{}, fmt.Errorf("payload: %w", err)
	}
	if cb.Type == "" || cb.User.ID == "" {
		return slackapi.InteractionCallback{}, errors.New("payload has no type or user")
	}
	return cb, nil
}

// noOptions answers a block_suggestion: an empty list of options.
type noOptions struct {
	Options []struct{} `json:"options"`
}

// takeInteraction answers an interaction (see respond) and returns what
// to acknowledge it with: nil, the busy message, or a view submission's
// errors. Button presses, shortcuts (the global "Quick check", the message
// shortcut "Check disclosure") and submitted forms are taken; the rest is
// ignored.
func (a *Adapter) takeInteraction(ctx context.Context, cb slackapi.InteractionCallback) any {
	team := tenant(cb.Enterprise.ID, cb.Team.ID, cb.User.TeamID, cb.View.TeamID)
	if team == "" {
		a.log.WarnContext(ctx, "ignored an interaction without a team", "user", cb.User.ID, "type", cb.Type)
		return nil
	}
	ctx = a.forWorkspace(ctx, team, cb.Enterprise.ID, cb.IsEnterpriseInstall)
	user := bot.UserRef{Platform: bot.PlatformSlack, Tenant: team, ID: cb.User.ID}
	var req bot.Request
	switch cb.Type {
	case slackapi.InteractionTypeBlockActions:
		if len(cb.ActionCallback.BlockActions) == 0 || cb.ActionCallback.BlockActions[0].ActionID == "" {
			return nil
		}
		act := cb.ActionCallback.BlockActions[0]
		req = bot.Request{Action: &bot.Action{ID: actionID(act.ActionID), Value: act.Value}}
		if t, ok := slackTime(act.ActionTs); ok {
			req.Time = t
		}
	case slackapi.InteractionTypeShortcut:
		// The app has one global shortcut; an app configured by hand
		// may have named it otherwise.
		if cb.CallbackID != QuickCheckShortcut {
			a.log.InfoContext(ctx, "a global shortcut with another callback_id; opening the quick check", "callback_id", clip(cb.CallbackID, 80), "want", QuickCheckShortcut)
		}
		req = bot.Request{Command: "check"}
	case slackapi.InteractionTypeMessageAction:
		// Likewise its one message shortcut.
		if cb.CallbackID != CheckDisclosureShortcut {
			a.log.InfoContext(ctx, "a message shortcut with another callback_id; checking its disclosure", "callback_id", clip(cb.CallbackID, 80), "want", CheckDisclosureShortcut)
		}
		text := incomingText(cb.Message.Text, a.botUserID(nil))
		req = bot.Request{Command: "lint", Options: map[string]string{"caption": text}}
	case slackapi.InteractionTypeViewSubmission:
		return a.takeViewSubmission(ctx, cb, team)
	case slackapi.InteractionTypeBlockSuggestion:
		// The app's menus have static options; a menu that asks for
		// options (an external select added by hand) gets none.
		return noOptions{Options: []struct{}{}}
	default:
		a.log.DebugContext(ctx, "ignored an interaction", "type", cb.Type)
		return nil
	}
	channel := cb.Channel.ID
	if channel == "" {
		channel = cb.Container.ChannelID
	}
	dm := isDM(channel)
	if channel == "" {
		// App Home, or a global shortcut: the answer goes to the DM.
		dm = true
		if a.canSend(ctx) {
			ch, err := a.openDM(ctx, cb.User.ID)
			if err != nil {
				a.log.WarnContext(ctx, "could not open a DM for an interaction's answer", "user", user.String(), "err", err)
			}
			channel = ch
		}
	}
	req.User, req.UserName, req.Channel, req.DM = user, cb.User.Name, channel, dm
	req.Forms = a.forms(ctx, cb.TriggerID)
	if req.Time.IsZero() {
		req.Time = a.now()
	}
	if cb.Type == slackapi.InteractionTypeMessageAction {
		req.DM = dm // private whatever the channel: lint is a private command
	}
	o := origin{Channel: channel, ThreadTS: cb.Container.ThreadTs, User: cb.User.ID, DM: dm, ResponseURL: a.checkResponseURL(ctx, cb.ResponseURL), TriggerID: cb.TriggerID}
	return a.respond(ctx, job{req: req, origin: o}).payload
}

// forms is what a request carrying triggerID can do with a form: open it
// now (a modal needs the trigger and a token), or only offer a button.
func (a *Adapter) forms(ctx context.Context, triggerID string) bot.FormSupport {
	if triggerID != "" && a.canSend(ctx) {
		return bot.FormsNow
	}
	if a.canSend(ctx) {
		return bot.FormsByButton
	}
	return bot.FormsNone
}

// checkResponseURL returns u if replies may be posted to it: an https URL
// on Slack's domains, or on the API URL's host when that is overridden for
// tests. Anything else is dropped (and the reply goes through the Web API
// instead), so a payload cannot point the bot at an arbitrary host.
func (a *Adapter) checkResponseURL(ctx context.Context, u string) string {
	if u == "" {
		return ""
	}
	p, err := url.Parse(u)
	if err == nil && p.Scheme == "https" && slackHost(p.Hostname()) {
		return u
	}
	if a.APIURL != "" {
		if api, aerr := url.Parse(a.APIURL); aerr == nil && err == nil && p.Scheme == api.Scheme && strings.EqualFold(p.Host, api.Host) {
			return u
		}
	}
	a.log.WarnContext(ctx, "ignored a response_url outside Slack", "host", hostOf(p))
	return ""
}

func slackHost(h string) bool {
	h = strings.ToLower(h)
	for _, d := range []string{"slack.com", "slack-gov.com"} {
		if h == d || strings.HasSuffix(h, "."+d) {
			return true
		}
	}
	return false
}

func hostOf(u *url.URL) string {
	if u == nil {
		return ""
	}
	return u.Host
}

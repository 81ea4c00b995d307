package slack

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	slackapi "github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/influbot/influbot/bot"
)

// Callback ids of the app's shortcuts and views, as the manifest names
// them (a test keeps them in step).
const (
	// QuickCheckShortcut is the global shortcut that opens the check form.
	QuickCheckShortcut = "quick_check"
	// CheckDisclosureShortcut is the message shortcut that lints the
	// chosen message's text.
	CheckDisclosureShortcut = "check_disclosure"
	// formCallbackPrefix starts a modal's callback_id: "form:check".
	formCallbackPrefix = "form:"
	// formActionID is the action_id of every form input; its block_id is
	// the field's name.
	formActionID = "value"
)

// HomeBot is the part of the core that draws App Home (bot.Bot has it).
type HomeBot interface {
	Home(ctx context.Context, u bot.UserRef) (bot.Home, error)
}

// handledEvents are the Events API events the adapter acts on.
var handledEvents = map[string]bool{
	"app_mention":     true,
	"message":         true,
	"app_home_opened": true,
	"app_uninstalled": true,
	"tokens_revoked":  true,
}

// homeCommands are the commands whose answer changes App Home: after one
// of them the user's Home tab is published again.
var homeCommands = map[string]bool{
	"check": true, "done": true, "skip": true, "snooze": true, "remind": true,
	"plan": true, "stop": true, "forget": true, "start": true,
}

// takeAppEvent handles the events that are not messages: App Home opened,
// the app uninstalled, tokens revoked. It reports false when the event is
// a message (for eventRequest) and whether it was taken on.
func (a *Adapter) takeAppEvent(ctx context.Context, cb *slackevents.EventsAPICallbackEvent, inner slackevents.EventsAPIInnerEvent, team string, orgInstall bool) (handled, taken bool) {
	switch e := inner.Data.(type) {
	case *slackevents.AppHomeOpenedEvent:
		if e.Tab != "home" || e.User == "" || team == "" {
			return true, true
		}
		u := bot.UserRef{Platform: bot.PlatformSlack, Tenant: team, ID: e.User}
		err := a.background(ctx, func(ctx context.Context) {
			if err := a.publishHome(ctx, u); err != nil {
				a.log.WarnContext(ctx, "could not publish App Home", "user", u.String(), "err", err)
			}
		})
		return true, err == nil
	case *slackevents.AppUninstalledEvent:
		a.uninstalled(ctx, "app_uninstalled", cb.TeamID, cb.EnterpriseID, orgInstall)
		return true, true
	case *slackevents.TokensRevokedEvent:
		if len(e.Tokens.Bot) > 0 {
			a.uninstalled(ctx, "tokens_revoked", cb.TeamID, cb.EnterpriseID, orgInstall)
		}
		return true, true
	}
	return false, false
}

// afterReply finishes a reply before it is delivered: it opens the form
// the reply asks for (a modal, when the request carried a trigger_id),
// and refreshes App Home after a command that changes it. A reply whose
// form was opened becomes empty: the modal is the answer.
func (a *Adapter) afterReply(ctx context.Context, req bot.Request, o origin, r bot.Reply, invoked func() (*bot.Command, bool)) bot.Reply {
	// The cheap tests first: finding the command may read the message
	// again.
	if r.Form == nil && len(r.FieldErrors) == 0 && r.Tone != bot.ToneError && a.homeRefreshable(ctx, req.User) {
		if cmd, ok := invoked(); ok && homeCommands[cmd.Name] {
			a.refreshHome(ctx, req.User)
		}
	}
	if r.Form == nil || len(r.FieldErrors) > 0 || o.TriggerID == "" {
		return r
	}
	api := a.apiFor(ctx)
	if api == nil {
		return r
	}
	err := a.retry(ctx, func() error {
		_, err := api.OpenViewContext(ctx, o.TriggerID, formModal(*r.Form))
		return err
	})
	if err != nil {
		// The trigger expired (3 s) or Slack refused the view: the text
		// (the how-to, with its button) is still an answer.
		a.log.WarnContext(ctx, "views.open failed; answering in text", "user", req.User.String(), "form", r.Form.ID, "err", err)
		return r
	}
	return bot.Reply{}
}

// emptyReply reports whether r shows nothing (its form was opened).
func emptyReply(r bot.Reply) bool {
	return r.Title == "" && strings.TrimSpace(r.Text) == "" && len(r.Fields) == 0 && len(r.Buttons) == 0 && r.Image == nil && r.File == nil
}

// formModal renders a form as a modal: a select for a FormSelect field,
// a plain-text input otherwise, each in an input block whose block_id is
// the field's name.
func formModal(f bot.Form) slackapi.ModalViewRequest {
	var blocks []slackapi.Block
	for _, ff := range f.Fields {
		var el slackapi.BlockElement
		switch ff.Kind {
		case bot.FormSelect:
			var opts []*slackapi.OptionBlockObject
			var initial *slackapi.OptionBlockObject
			for _, c := range ff.Choices {
				o := slackapi.NewOptionBlockObject(c.Value, plain(clip(c.Label, 75)), nil)
				opts = append(opts, o)
				if c.Value == ff.Value {
					initial = o
				}
			}
			sel := slackapi.NewOptionsSelectBlockElement(slackapi.OptTypeStatic, placeholder(ff.Placeholder), formActionID, opts...)
			if initial != nil {
				sel.InitialOption = initial
			}
			el = sel
		default:
			in := slackapi.NewPlainTextInputBlockElement(placeholder(ff.Placeholder), formActionID)
			in.InitialValue = ff.Value
			in.Multiline = ff.Kind == bot.FormParagraph
			if ff.MaxLength > 0 {
				in.MaxLength = ff.MaxLength
			}
			el = in
		}
		b := slackapi.NewInputBlock(ff.Name, plain(clip(ff.Label, 2000)), nil, el)
		b.Optional = !ff.Required
		blocks = append(blocks, b)
	}
	submit := f.Submit
	if submit == "" {
		submit = "Submit"
	}
	return slackapi.ModalViewRequest{
		Type:       slackapi.VTModal,
		Title:      plain(clip(f.Title, 24)),
		Submit:     plain(clip(submit, 24)),
		Close:      plain("Cancel"),
		Blocks:     slackapi.Blocks{BlockSet: blocks},
		CallbackID: formCallbackPrefix + f.ID,
	}
}

func placeholder(s string) *slackapi.TextBlockObject {
	if s == "" {
		return nil
	}
	return plain(clip(s, 150))
}

// formValues reads a submitted modal's values by block_id (field name).
func formValues(v slackapi.View) map[string]string {
	out := map[string]string{}
	if v.State == nil {
		return out
	}
	for block, actions := range v.State.Values {
		act, ok := actions[formActionID]
		if !ok {
			continue
		}
		val := act.Value
		if act.SelectedOption.Value != "" {
			val = act.SelectedOption.Value
		}
		if val = strings.TrimSpace(val); val != "" {
			out[block] = val
		}
	}
	return out
}

// viewErrors is the answer to a view_submission whose values are invalid:
// Slack shows each message under its field and keeps the modal open.
type viewErrors struct {
	ResponseAction string            `json:"response_action"`
	Errors         map[string]string `json:"errors"`
}

// takeViewSubmission answers a submitted form. Invalid values are answered
// in the acknowledgement itself (response_action errors, shown in the
// form); otherwise the modal closes and the result arrives as a direct
// message, and App Home is refreshed.
func (a *Adapter) takeViewSubmission(ctx context.Context, cb slackapi.InteractionCallback, team string) any {
	formID, ok := strings.CutPrefix(cb.View.CallbackID, formCallbackPrefix)
	if !ok || formID == "" {
		a.log.DebugContext(ctx, "ignored a view submission", "callback_id", clip(cb.View.CallbackID, 80))
		return nil
	}
	req := bot.Request{
		User:     bot.UserRef{Platform: bot.PlatformSlack, Tenant: team, ID: cb.User.ID},
		UserName: cb.User.Name,
		DM:       true,
		Command:  formID,
		Options:  formValues(cb.View),
		FormID:   formID,
		Forms:    bot.FormsByButton,
		Time:     a.now(),
	}
	fields := map[string]bool{}
	for _, b := range cb.View.Blocks.BlockSet {
		if in, ok := b.(*slackapi.InputBlock); ok {
			fields[in.BlockID] = true
		}
	}
	// The answer is waited for up to AnswerWithin: errors must come back
	// in the acknowledgement. A slower answer closes the modal and
	// arrives as a direct message.
	var claimed atomic.Bool
	ready := make(chan bot.Reply, 1)
	started := a.background(ctx, func(ctx context.Context) {
		r := a.reply(ctx, req, origin{User: cb.User.ID, DM: true})
		if claimed.CompareAndSwap(false, true) {
			ready <- r
			return
		}
		a.log.InfoContext(ctx, "a form's answer came after its acknowledgement; sending it as a DM", "user", req.User.String(), "form", formID)
		r.Form, r.FieldErrors = nil, nil
		a.sendDM(ctx, cb.User.ID, req, r)
	}) == nil
	if !started {
		// Keep the modal open with a word under the first field.
		a.rejected(ctx, "busy", "too busy to take a form submission", "max_in_flight", cap(a.sem))
		if a.OnBusy != nil {
			a.OnBusy()
		}
		for _, b := range cb.View.Blocks.BlockSet {
			if in, ok := b.(*slackapi.InputBlock); ok {
				return &viewErrors{ResponseAction: "errors", Errors: map[string]string{in.BlockID: busyText}}
			}
		}
		return nil
	}
	timer := time.NewTimer(a.answerWithin())
	defer timer.Stop()
	var r bot.Reply
	select {
	case r = <-ready:
	case <-timer.C:
		if claimed.CompareAndSwap(false, true) {
			return nil
		}
		r = <-ready
	}
	if len(r.FieldErrors) > 0 {
		errs := map[string]string{}
		for name, msg := range r.FieldErrors {
			if fields[name] {
				errs[name] = clip(plainText(msg), 150)
			}
		}
		if len(errs) > 0 {
			return &viewErrors{ResponseAction: "errors", Errors: errs}
		}
	}
	// Valid: the modal closes (an empty acknowledgement) and the result
	// follows in a direct message.
	r.Form, r.FieldErrors = nil, nil
	a.detached(ctx, func(ctx context.Context) { a.sendDM(ctx, cb.User.ID, req, r) })
	return nil
}

// sendDM delivers a form's result to the user's direct messages.
func (a *Adapter) sendDM(ctx context.Context, user string, req bot.Request, r bot.Reply) {
	ch, err := a.openDM(ctx, user)
	if err == nil {
		err = a.deliver(ctx, origin{Channel: ch, User: user, DM: true}, r)
	}
	if errors.Is(err, errNoToken) {
		a.rejected(ctx, "no-token", "a form's result was not sent: without a bot token influbot answers only in the slash command's own response", "user", req.User.String(), "form", req.FormID)
	} else if err != nil {
		a.log.ErrorContext(ctx, "could not send a form's result", "user", req.User.String(), "form", req.FormID, "err", err)
	}
}

// refreshHome publishes u's App Home again in the background, when the
// core draws one and the workspace can be called.
func (a *Adapter) refreshHome(ctx context.Context, u bot.UserRef) {
	if !a.homeRefreshable(ctx, u) {
		return
	}
	a.detached(ctx, func(ctx context.Context) {
		if err := a.publishHome(ctx, u); err != nil {
			a.log.WarnContext(ctx, "could not refresh App Home", "user", u.String(), "err", err)
		}
	})
}

// homeRefreshable reports whether refreshHome can publish u's App Home:
// the core draws one and the workspace can be called.
func (a *Adapter) homeRefreshable(ctx context.Context, u bot.UserRef) bool {
	_, ok := a.Bot.(HomeBot)
	return ok && a.canSend(ctx) && u.Valid()
}

// publishHome draws u's dashboard and publishes it with views.publish.
func (a *Adapter) publishHome(ctx context.Context, u bot.UserRef) error {
	hb, ok := a.Bot.(HomeBot)
	if !ok {
		return nil
	}
	api := a.apiFor(ctx)
	if api == nil {
		return errNoToken
	}
	h, err := hb.Home(ctx, u)
	if err != nil {
		return fmt.Errorf("home: %w", err)
	}
	view := homeView(h)
	return a.retry(ctx, func() error {
		if _, err := api.PublishViewContext(ctx, slackapi.PublishViewContextRequest{UserID: u.ID, View: view}); err != nil {
			return fmt.Errorf("views.publish: %w", err)
		}
		return nil
	})
}

// maxHomeTasks bounds the tasks shown (a Home tab holds 100 blocks).
const maxHomeTasks = 20

// homeView lays out a dashboard as a Home tab. The progress chart is
// described in words: an image block needs a public URL, which a private
// deployment does not have; "Show my chart" posts the PNG to the user's
// direct messages (history uploads it).
func homeView(h bot.Home) slackapi.HomeTabViewRequest {
	var blocks []slackapi.Block
	section := func(md string) {
		blocks = append(blocks, slackapi.NewSectionBlock(markdown(clip(mrkdwn(md), maxSectionText)), nil, nil))
	}
	button := func(id, label, value string, style slackapi.Style) *slackapi.ButtonBlockElement {
		b := slackapi.NewButtonBlockElement(id, value, plain(label))
		b.Style = style
		return b
	}
	blocks = append(blocks, slackapi.NewHeaderBlock(plain("Your influbot dashboard")))
	blocks = append(blocks, slackapi.NewActionBlock("home_actions",
		button("check:"+bot.ActionFormOpen, "Run a check", "", slackapi.StylePrimary),
		button("help:home", "Help", "", ""),
	))

	blocks = append(blocks, slackapi.NewHeaderBlock(plain("Latest verdicts")))
	if len(h.Verdicts) == 0 {
		section("No checks yet. Press **Run a check** to see where you stand.")
	}
	for _, v := range h.Verdicts {
		section(fmt.Sprintf("%s **%s**: %s, score %d/100 · %s", verdictEmoji(v.Verdict), v.Name, v.Label, v.Score, v.When))
	}
	if h.Trend != "" {
		blocks = append(blocks, slackapi.NewHeaderBlock(plain("Progress")))
		section(h.Trend)
		blocks = append(blocks, slackapi.NewActionBlock("home_chart", button("history:home", "Show my chart", "", "")))
	}

	if h.Plans {
		blocks = append(blocks, slackapi.NewHeaderBlock(plain("Your tasks")))
		if len(h.Tasks) == 0 {
			section("No active tasks. Type `plan` in a message to me for a few aimed at your weakest areas.")
		}
		for i, t := range h.Tasks {
			if i == maxHomeTasks {
				section(fmt.Sprintf("…and %d more: type `tasks` to see them all.", len(h.Tasks)-i))
				break
			}
			line := fmt.Sprintf("**%d. %s** (%s)\n%s", t.Number, t.Title, t.Rhythm, t.Streak)
			if t.NextNudge != "" {
				line += " · next nudge " + t.NextNudge
			}
			section(line)
			n := strconv.Itoa(t.Number)
			blocks = append(blocks, slackapi.NewActionBlock("task_"+n,
				button("done:home", "Done", t.ID, slackapi.StylePrimary),
				button("snooze:home", "Snooze 1 day", t.ID+" 1d", ""),
				button("skip:home", "Skip", t.ID, ""),
			))
		}
		if h.Done > 0 {
			section(fmt.Sprintf("Completed: %d %s.", h.Done, map[bool]string{true: "task", false: "tasks"}[h.Done == 1]))
		}
		blocks = append(blocks, slackapi.NewHeaderBlock(plain("Reminders")))
		text := h.Reminders
		if h.NextNudge != "" {
			text += "\nNext nudge: " + h.NextNudge
		}
		section(text)
		if !h.RemindersOn {
			blocks = append(blocks, slackapi.NewActionBlock("home_remind",
				button("remind:set", "Daily at 09:00", "daily at 9:00", ""),
				button("remind:set#2", "Weekdays at 18:00", "weekdays at 18:00", "")))
		}
	}
	return slackapi.HomeTabViewRequest{Type: slackapi.VTHomeTab, Blocks: slackapi.Blocks{BlockSet: blocks}, CallbackID: "home"}
}

func verdictEmoji(v string) string {
	switch v {
	case "ready":
		return "🟢"
	case "borderline":
		return "🟡"
	}
	return "🔴"
}

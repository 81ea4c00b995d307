package discord

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/influbot/influbot/bot"
)

// Suggester is the part of the core that completes options as they are
// typed (autocomplete): *bot.Bot. A Handler without it registers no
// autocomplete options.
type Suggester interface {
	// Suggests reports whether the core completes command's option.
	Suggests(command, option string) bool
	// Suggest returns at most 25 choices for the option being typed.
	Suggest(ctx context.Context, r bot.SuggestRequest) []bot.Choice
}

// Sharer is the part of the core that says which private results may be
// posted publicly ("Share to channel"): *bot.Bot.
type Sharer interface {
	Shareable(req bot.Request, reply bot.Reply) bool
}

// Sentences and limits of the native interactions.
const (
	// shareAction is the adapter's own button: post a public copy of a
	// private result. Its value is the key of the result in Adapter.shares.
	shareAction = "discord:share"
	shareLabel  = "Share to channel"
	// sharedNote heads the public copy.
	sharedNote = "Shared by <@%s>:"
	shareGone  = "That result can't be shared any more (it was shared already, or I restarted since). Run the command again to share a fresh one."
	// openFormLabel is the button that opens a form the answer could not
	// open itself (the core took too long to answer in time).
	openFormLabel = "Open the form"
	// modalPrefix starts a modal's custom_id; the rest is the form's id,
	// the core command its submission runs.
	modalPrefix = "form:"
	// Discord's limits on modals.
	maxModalTitle       = 45
	maxModalInputs      = 5
	maxInputLabel       = 45
	maxInputPlaceholder = 100
	maxInputLength      = 4000
	// maxAutocomplete is how many choices Discord shows.
	maxAutocomplete = 25
	// gatewayInline is how long a gateway interaction waits for the core
	// before it is deferred: Discord drops an interaction not answered
	// within 3 seconds, and the answer still has to travel there. Answers
	// that come in time can be a modal or an update of the pressed message,
	// which a deferral rules out.
	gatewayInline = 2 * time.Second
	// suggestTimeout bounds the core's work on an autocomplete.
	suggestTimeout = 2 * time.Second
	// rememberedShares bounds the private results kept for sharing (a
	// history's chart is a picture of some tens of kilobytes).
	rememberedShares = 512
)

// sharedResult is a private result kept until it is shared (once).
type sharedResult struct {
	user  string // who may share it: the only one who saw it
	reply bot.Reply
}

// interact runs the core on an interaction and answers it. When the core
// answers within inline, the answer is the interaction's response itself:
// a message (type 4), a modal (9) when the request allowed one, or the
// update of the pressed message (7); otherwise the interaction is deferred
// (5, or 6 for an update) and the answer follows through the webhook.
// respond sends the initial response (a REST callback over the gateway,
// the HTTP response on the endpoint); it is called once, before any
// webhook call.
func (a *Adapter) interact(ctx context.Context, rest *interactionREST, req bot.Request, private bool, inline time.Duration, respond func(*discordgo.InteractionResponse) error) {
	i := rest.i
	done := make(chan bot.Reply, 1)
	run := func() {
		a.handlers.Add(1)
		go func() {
			defer a.end(ctx, "interaction core")
			done <- a.handle(ctx, req)
		}()
	}
	var reply bot.Reply
	got := false
	if inline > 0 {
		run()
		t := time.NewTimer(inline)
		select {
		case reply = <-done:
			got = true
		case <-t.C:
		case <-ctx.Done():
		}
		t.Stop()
	}
	if got {
		reply = a.decorate(req, reply, private, true)
		if resp := a.inlineResponse(req, reply, private); resp != nil {
			if err := respond(resp); err != nil {
				a.log.ErrorContext(ctx, "discord: answer interaction failed; it will show as failed", "interaction", i.ID, "user", req.User.String(), "err", redact(err, i.Token))
			}
			return
		}
	}
	deferral := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource, Data: &discordgo.InteractionResponseData{}}
	if private {
		deferral.Data.Flags = discordgo.MessageFlagsEphemeral
	}
	if err := respond(deferral); err != nil {
		a.log.ErrorContext(ctx, "discord: acknowledge interaction failed; it will show as failed", "interaction", i.ID, "user", req.User.String(), "err", redact(err, i.Token))
		return
	}
	if inline <= 0 {
		// Deferred at once: the core starts after the acknowledgement.
		run()
	}
	a.handlers.Add(1)
	go func() {
		defer a.end(ctx, "interaction answer")
		r := reply
		if !got {
			r = a.decorate(req, <-done, private, false)
		}
		sctx, cancel := sendContext(ctx)
		defer cancel()
		if err := a.deliver(sctx, rest, private, r); err != nil {
			a.log.ErrorContext(ctx, "discord: answer interaction failed", "interaction", i.ID, "user", req.User.String(), "err", redact(err, i.Token))
		}
	}()
}

// decorate adapts a reply to where it goes. A form the response cannot
// open (the request allowed none, or the answer came too late to be the
// response) becomes a button that opens it; a private result the core
// marks shareable gets a "Share to channel" button, outside DMs with the
// bot.
func (a *Adapter) decorate(req bot.Request, reply bot.Reply, private, inline bool) bot.Reply {
	if f := reply.Form; f != nil && !(inline && req.Forms == bot.FormsNow) {
		reply.Form = nil
		open := f.ID + ":" + bot.ActionFormOpen
		has := false
		for _, b := range reply.Buttons {
			has = has || b.ActionID == open
		}
		if !has {
			values := map[string]string{}
			for _, ff := range f.Fields {
				values[ff.Name] = ff.Value
			}
			reply.Buttons = append(reply.Buttons, bot.FormButton(f.ID, openFormLabel, values))
		}
	}
	sh, ok := a.Bot.(Sharer)
	if !ok || req.DM || !(private || reply.Ephemeral) || reply.Form != nil || !sh.Shareable(req, reply) {
		return reply
	}
	key, err := shareKey()
	if err != nil {
		return reply
	}
	a.shares.put(key, sharedResult{user: req.User.ID, reply: reply})
	reply.Buttons = append(reply.Buttons, bot.Button{ActionID: shareAction, Label: shareLabel, Value: key})
	return reply
}

// shareKey returns a fresh random key for a shared result.
func shareKey() (string, error) {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// inlineResponse is the interaction's response for a reply ready in time,
// or nil when the reply must be deferred (more than one message, a file):
// a modal for a form, the update of the pressed message (type 7) for a
// reply that replaces it (Reply.Replace, not private on a public message),
// a new message (type 4) otherwise.
func (a *Adapter) inlineResponse(req bot.Request, reply bot.Reply, private bool) *discordgo.InteractionResponse {
	if reply.Form != nil {
		return modalResponse(reply.Form)
	}
	msgs := render(reply, a.encoder())
	if len(msgs) != 1 || len(msgs[0].files()) > 0 {
		return nil
	}
	m := msgs[0]
	data := &discordgo.InteractionResponseData{Content: m.Content, Embeds: m.Embeds, Components: m.Components, AllowedMentions: noMentions()}
	if req.Action != nil && reply.Replace && (private || !reply.Ephemeral) {
		// The answer takes the place of the message the button was on
		// (type 7); what it leaves out is cleared, buttons included.
		if data.Embeds == nil {
			data.Embeds = []*discordgo.MessageEmbed{}
		}
		if data.Components == nil {
			data.Components = []discordgo.MessageComponent{}
		}
		return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseUpdateMessage, Data: data}
	}
	if private || reply.Ephemeral {
		data.Flags = discordgo.MessageFlagsEphemeral
	}
	return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: data}
}

// modalResponse renders a form as a modal (response type 9): one text
// input per field, at most five. A select is a short text input whose
// placeholder lists the choices (discordgo v0.29.0 has no Label component
// to hold a select in a modal); the core validates what is typed.
func modalResponse(f *bot.Form) *discordgo.InteractionResponse {
	title := strings.TrimSpace(f.Title)
	if title == "" {
		title = "influbot"
	}
	var rows []discordgo.MessageComponent
	for _, ff := range f.Fields {
		if len(rows) == maxModalInputs {
			break
		}
		in := discordgo.TextInput{
			CustomID:    ff.Name,
			Label:       clip(nonBlank(ff.Label, ff.Name), maxInputLabel),
			Style:       discordgo.TextInputShort,
			Placeholder: clip(ff.Placeholder, maxInputPlaceholder),
			Value:       clip(ff.Value, maxInputLength),
			Required:    ff.Required,
			MaxLength:   min(ff.MaxLength, maxInputLength),
		}
		switch ff.Kind {
		case bot.FormParagraph:
			in.Style = discordgo.TextInputParagraph
		case bot.FormSelect:
			if in.Placeholder == "" {
				var names []string
				for _, c := range ff.Choices {
					names = append(names, c.Value)
				}
				in.Placeholder = clip(strings.Join(names, ", "), maxInputPlaceholder)
			}
			in.MaxLength = 40
		}
		if in.MaxLength <= 0 {
			in.MaxLength = maxInputLength
		}
		rows = append(rows, discordgo.ActionsRow{Components: []discordgo.MessageComponent{in}})
	}
	return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseModal, Data: &discordgo.InteractionResponseData{
		CustomID:   modalPrefix + f.ID,
		Title:      clip(title, maxModalTitle),
		Components: rows,
	}}
}

func nonBlank(s, fallback string) string {
	if strings.TrimSpace(s) == "" {
		return fallback
	}
	return s
}

// modalRequest reads a modal submission into req: the form's command, its
// values by field name, and FormID. ok is false for a modal the adapter
// did not open.
func modalRequest(data discordgo.ModalSubmitInteractionData, req *bot.Request) bool {
	id, ok := strings.CutPrefix(data.CustomID, modalPrefix)
	if !ok || id == "" {
		return false
	}
	opts := map[string]string{}
	var walk func([]discordgo.MessageComponent)
	walk = func(cs []discordgo.MessageComponent) {
		for _, c := range cs {
			switch c := c.(type) {
			case *discordgo.ActionsRow:
				walk(c.Components)
			case discordgo.ActionsRow:
				walk(c.Components)
			case *discordgo.TextInput:
				opts[c.CustomID] = c.Value
			case discordgo.TextInput:
				opts[c.CustomID] = c.Value
			}
		}
	}
	walk(data.Components)
	req.Command, req.FormID, req.Options = id, id, opts
	// A modal cannot be answered with another modal: a form shown again
	// (invalid values) becomes a button that reopens it.
	req.Forms = bot.FormsByButton
	return true
}

// autocompleteResponse is the answer to an autocomplete (type 8). It is
// its own type because discordgo leaves out an empty choices list, which
// Discord requires.
type autocompleteResponse struct {
	Type discordgo.InteractionResponseType `json:"type"`
	Data struct {
		Choices []*discordgo.ApplicationCommandOptionChoice `json:"choices"`
	} `json:"data"`
}

// autocomplete answers an option being typed with the core's choices; an
// unknown command or option, or a core that suggests nothing, gets an
// empty list.
func (a *Adapter) autocomplete(ctx context.Context, i *discordgo.Interaction) *autocompleteResponse {
	resp := &autocompleteResponse{Type: discordgo.InteractionApplicationCommandAutocompleteResult}
	resp.Data.Choices = []*discordgo.ApplicationCommandOptionChoice{}
	data, ok := i.Data.(discordgo.ApplicationCommandInteractionData)
	sg, can := a.Bot.(Suggester)
	if !ok || !can {
		return resp
	}
	req, ok := a.interactionRequest(i)
	if !ok {
		return resp
	}
	command, option, typed, others, ok := a.table.focused(data)
	if !ok {
		return resp
	}
	ctx, cancel := context.WithTimeout(ctx, suggestTimeout)
	defer cancel()
	for _, c := range sg.Suggest(ctx, bot.SuggestRequest{User: req.User, Command: command, Option: option, Typed: typed, Options: others}) {
		if len(resp.Data.Choices) == maxAutocomplete {
			break
		}
		name, value := clip(strings.TrimSpace(c.Label), maxChoiceLen), strings.TrimSpace(c.Value)
		if name == "" || value == "" || textLen(value) > maxChoiceLen {
			continue
		}
		resp.Data.Choices = append(resp.Data.Choices, &discordgo.ApplicationCommandOptionChoice{Name: name, Value: value})
	}
	return resp
}

// share answers a press of "Share to channel": the private message loses
// the button (response type 7, so it is shared once) and a public copy,
// without buttons, follows in the channel. The first return is the
// response; post, when not nil, sends the public copy and must run after
// the response was sent.
func (a *Adapter) share(ctx context.Context, rest *interactionREST, req bot.Request, key string) (*discordgo.InteractionResponse, func()) {
	i := rest.i
	res, ok := a.shares.get(key)
	if !ok || res.user != req.User.ID {
		return privateText(shareGone), nil
	}
	a.shares.remove(key)
	update := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseUpdateMessage, Data: &discordgo.InteractionResponseData{AllowedMentions: noMentions()}}
	if m := i.Message; m != nil {
		update.Data.Content = m.Content
		update.Data.Embeds = m.Embeds
		update.Data.Components = withoutShare(m.Components)
	} else {
		update.Data.Components = []discordgo.MessageComponent{}
	}
	public := res.reply
	public.Buttons, public.Ephemeral, public.Question = nil, false, nil
	msgs := render(public, a.encoder())
	msgs[0].Content = joinContent(fmt.Sprintf(sharedNote, req.User.ID), msgs[0].Content)
	post := func() {
		sctx, cancel := sendContext(ctx)
		defer cancel()
		if err := a.followUp(sctx, rest, msgs, false); err != nil {
			a.log.ErrorContext(ctx, "discord: post shared result failed", "interaction", i.ID, "user", req.User.String(), "err", redact(err, i.Token))
			return
		}
		a.log.InfoContext(ctx, "discord: private result shared to the channel", "user", req.User.String(), "channel", req.Channel)
	}
	return update, post
}

// withoutShare returns a message's components without the share button
// (and without a row it leaves empty).
func withoutShare(rows []discordgo.MessageComponent) []discordgo.MessageComponent {
	out := []discordgo.MessageComponent{}
	for _, r := range rows {
		row, ok := r.(*discordgo.ActionsRow)
		if !ok {
			if v, isRow := r.(discordgo.ActionsRow); isRow {
				row = &v
			} else {
				out = append(out, r)
				continue
			}
		}
		var kept []discordgo.MessageComponent
		for _, c := range row.Components {
			if b, isBtn := c.(*discordgo.Button); isBtn && strings.HasPrefix(b.CustomID, shareAction+"|") {
				continue
			}
			kept = append(kept, c)
		}
		if len(kept) > 0 {
			out = append(out, discordgo.ActionsRow{Components: kept})
		}
	}
	return out
}

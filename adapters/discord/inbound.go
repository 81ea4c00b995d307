package discord

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/influbot/influbot/bot"
)

// Sentences the adapter itself shows users.
const (
	sentDMNote     = "📬 I sent you the answer in a direct message."
	noDMNote       = "I couldn't send you a direct message (your DMs may be closed for this server). Use the `/influbot` slash command instead: its private answers are visible only to you."
	noDisplayText  = "Sorry, I couldn't display that answer here. Please try again, or ask in a direct message."
	expiredButton  = "That button has expired. Ask me again to get fresh buttons."
	unknownCommand = "I don't know that command any more. Type `/influbot text:help` to see what I can do."
	unknownUser    = "Sorry, I couldn't tell who sent that, so I can't answer it."
	expiredForm    = "That form has expired. Run the command again to get a fresh one."
	// unknownInteraction answers a kind of interaction the bot does not use.
	unknownInteraction = "Sorry, I can't answer that kind of interaction."
)

// adminPermissions are the guild permissions that make a member an admin
// of the tenant.
const adminPermissions = discordgo.PermissionAdministrator | discordgo.PermissionManageGuild

// onMessageCreate answers a DM, or a guild message that mentions the bot.
func (a *Adapter) onMessageCreate(s *discordgo.Session, m *discordgo.MessageCreate) {
	ctx, ok := a.begin()
	if !ok {
		return
	}
	defer a.end(ctx, "MESSAGE_CREATE")
	if m == nil || m.Message == nil {
		return
	}
	req, ok := a.messageRequest(s, m.Message)
	if !ok {
		return
	}
	// A resumed or replayed session can dispatch the same message again.
	if m.ID != "" && !a.answered.add(m.ID, struct{}{}) {
		a.log.DebugContext(ctx, "discord: message already answered", "message", m.ID)
		return
	}
	reply := a.handle(ctx, req)
	sendCtx, cancel := sendContext(ctx)
	defer cancel()
	a.replyToMessage(sendCtx, s, m.Message, req, reply)
}

// messageRequest reads a message into a request; ok is false for messages
// the bot does not answer.
func (a *Adapter) messageRequest(s *discordgo.Session, m *discordgo.Message) (bot.Request, bool) {
	if m.Author == nil || m.Author.ID == "" || m.Author.Bot || m.Author.System || m.WebhookID != "" || m.ChannelID == "" {
		return bot.Request{}, false
	}
	if m.Type != discordgo.MessageTypeDefault && m.Type != discordgo.MessageTypeReply {
		return bot.Request{}, false
	}
	self := botUserID(s)
	if self == "" || m.Author.ID == self || strings.TrimSpace(m.Content) == "" {
		return bot.Request{}, false
	}
	dm := m.GuildID == ""
	if !dm && !mentions(m, self) {
		return bot.Request{}, false
	}
	text := stripMention(m.Content, self)
	req := bot.Request{
		User:     bot.UserRef{Platform: bot.PlatformDiscord, Tenant: DMTenant, ID: m.Author.ID},
		UserName: displayName(m.Author, m.Member),
		Channel:  m.ChannelID,
		DM:       dm,
		Text:     strings.TrimSpace(text),
		Time:     m.Timestamp.UTC(),
		// A message cannot be answered with a modal; a button can open one.
		Forms: bot.FormsByButton,
	}
	if req.Time.IsZero() {
		req.Time = a.now().UTC()
	}
	if !dm {
		req.User.Tenant = m.GuildID
		var roles []string
		if m.Member != nil {
			roles = m.Member.Roles
		}
		req.Admin = guildAdmin(s, m.GuildID, m.Author.ID, roles)
	}
	return req, true
}

// botUserID returns the bot's own user id from the READY the session got.
func botUserID(s *discordgo.Session) string {
	if s == nil || s.State == nil {
		return ""
	}
	s.State.RLock()
	defer s.State.RUnlock()
	if s.State.User == nil {
		return ""
	}
	return s.State.User.ID
}

func mentions(m *discordgo.Message, self string) bool {
	for _, u := range m.Mentions {
		if u != nil && u.ID == self {
			return true
		}
	}
	return strings.Contains(m.Content, "<@"+self+">") || strings.Contains(m.Content, "<@!"+self+">")
}

// stripMention removes the bot's mentions from text.
func stripMention(text, self string) string {
	text = strings.ReplaceAll(text, "<@!"+self+">", "")
	text = strings.ReplaceAll(text, "<@"+self+">", "")
	return strings.TrimSpace(text)
}

func displayName(u *discordgo.User, m *discordgo.Member) string {
	switch {
	case m != nil && m.Nick != "":
		return m.Nick
	case u == nil:
		return ""
	case u.GlobalName != "":
		return u.GlobalName
	}
	return u.Username
}

// guildAdmin reports whether a member with these roles may manage the
// guild: its owner, or a role with Administrator or Manage Server. An
// unknown guild (not yet in the state) makes nobody an admin.
func guildAdmin(s *discordgo.Session, guildID, userID string, roles []string) bool {
	if s == nil || s.State == nil {
		return false
	}
	g, err := s.State.Guild(guildID)
	if err != nil {
		return false
	}
	s.State.RLock()
	defer s.State.RUnlock()
	if g.OwnerID != "" && g.OwnerID == userID {
		return true
	}
	var perms int64
	for _, r := range g.Roles {
		if r != nil && (r.ID == guildID || slices.Contains(roles, r.ID)) {
			perms |= r.Permissions
		}
	}
	return perms&adminPermissions != 0
}

// replyToMessage sends the reply where the message came from. A private
// answer to a mention in a guild channel goes by DM, with a note in the
// channel; an error stays in the channel, where the user is looking.
func (a *Adapter) replyToMessage(ctx context.Context, s *discordgo.Session, m *discordgo.Message, req bot.Request, reply bot.Reply) {
	msgs := render(reply, a.encoder())
	var ref *discordgo.MessageReference
	if !req.DM {
		no := false
		ref = &discordgo.MessageReference{MessageID: m.ID, ChannelID: m.ChannelID, GuildID: m.GuildID, FailIfNotExists: &no}
	}
	if reply.Ephemeral && !req.DM && reply.Tone != bot.ToneError {
		note := sentDMNote
		ch, err := a.dmChannel(ctx, s, m.Author.ID)
		if err == nil {
			err = a.send(ctx, s, ch, msgs, nil, "")
		}
		if err != nil {
			a.log.WarnContext(ctx, "discord: private answer by DM failed", "user", req.User.String(), "err", err)
			note = noDMNote
		}
		msgs = []message{{Content: note}}
	}
	if err := a.send(ctx, s, m.ChannelID, msgs, ref, ""); err != nil {
		a.log.ErrorContext(ctx, "discord: reply to message failed", "user", req.User.String(), "channel", m.ChannelID, "err", err)
	}
}

// send posts messages to a channel, the first as a reply to ref when set.
// A message Discord refuses as malformed is replaced by a short apology so
// the user is not left without an answer. nonce, when set, is the first
// message's nonce, enforced so that a retry cannot post it twice.
func (a *Adapter) send(ctx context.Context, s *discordgo.Session, channelID string, msgs []message, ref *discordgo.MessageReference, nonce string, opts ...discordgo.RequestOption) error {
	for i, m := range msgs {
		data := outgoing{
			Content:         m.Content,
			Embeds:          m.Embeds,
			Components:      m.Components,
			AllowedMentions: noMentions(),
		}
		if i == 0 {
			data.Reference = ref
		}
		if nonce != "" {
			data.Nonce, data.EnforceNonce = nonceFor(nonce, i), true
		}
		err := a.post(ctx, s, channelID, data, m.files(), opts...)
		if isInvalidForm(err) {
			a.log.ErrorContext(ctx, "discord: message refused as malformed; sending an apology instead", "channel", channelID, "err", err)
			data = outgoing{Content: noDisplayText, AllowedMentions: noMentions(), Reference: data.Reference}
			if nonce != "" {
				data.Nonce, data.EnforceNonce = nonceFor(nonce+"x", i), true
			}
			err = a.post(ctx, s, channelID, data, nil, opts...)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// outgoing is the JSON of a new message. discordgo's MessageSend has no
// nonce fields, so the adapter sends its own through the session, which
// keeps discordgo's rate limiter and retries.
type outgoing struct {
	Content         string                            `json:"content,omitempty"`
	Embeds          []*discordgo.MessageEmbed         `json:"embeds,omitempty"`
	Components      []discordgo.MessageComponent      `json:"components,omitempty"`
	AllowedMentions *discordgo.MessageAllowedMentions `json:"allowed_mentions,omitempty"`
	Reference       *discordgo.MessageReference       `json:"message_reference,omitempty"`
	Nonce           string                            `json:"nonce,omitempty"`
	EnforceNonce    bool                              `json:"enforce_nonce,omitempty"`
	Attachments     []*discordgo.MessageAttachment    `json:"attachments,omitempty"`
}

// post sends one message: JSON, or multipart with the files.
func (a *Adapter) post(ctx context.Context, s *discordgo.Session, channelID string, data outgoing, files []*discordgo.File, opts ...discordgo.RequestOption) error {
	endpoint := discordgo.EndpointChannelMessages(channelID)
	opts = append([]discordgo.RequestOption{discordgo.WithContext(ctx)}, opts...)
	if len(files) == 0 {
		_, err := s.RequestWithBucketID(http.MethodPost, endpoint, data, endpoint, opts...)
		return err
	}
	for i, f := range files {
		data.Attachments = append(data.Attachments, &discordgo.MessageAttachment{ID: strconv.Itoa(i), Filename: f.Name})
	}
	contentType, body, err := discordgo.MultipartBodyWithJSON(data, files)
	if err != nil {
		return err
	}
	_, err = s.RequestRaw(http.MethodPost, endpoint, contentType, body, endpoint, 0, opts...)
	return err
}

// isInvalidForm reports whether Discord refused a request as malformed
// (HTTP 400): sending the same again cannot help.
func isInvalidForm(err error) bool {
	var re *discordgo.RESTError
	return errors.As(err, &re) && re.Response != nil && re.Response.StatusCode == http.StatusBadRequest
}

// onInteractionCreate answers slash commands, message commands, button
// presses, autocompletes and modal submissions.
func (a *Adapter) onInteractionCreate(s *discordgo.Session, ic *discordgo.InteractionCreate) {
	ctx, ok := a.begin()
	if !ok {
		return
	}
	defer a.end(ctx, "INTERACTION_CREATE")
	if ic == nil || ic.Interaction == nil || ic.ID == "" || ic.Token == "" {
		return
	}
	i := ic.Interaction
	if i.AppID == "" {
		i.AppID = a.appID
	}
	rest := newInteractionREST(s, i)
	respond := func(resp any) error {
		ackCtx, cancel := context.WithTimeout(ctx, ackTimeout)
		defer cancel()
		return rest.respond(resp, discordgo.WithContext(ackCtx))
	}
	r := a.route(ctx, rest)
	if r.resp == nil {
		a.interact(ctx, rest, r.req, r.private, a.inline, func(resp *discordgo.InteractionResponse) error { return respond(resp) })
		return
	}
	if err := respond(r.resp); err != nil {
		a.log.ErrorContext(ctx, "discord: respond to interaction failed", "interaction", i.ID, "type", int(i.Type), "err", redact(err, i.Token))
		return
	}
	if r.after != nil {
		r.after()
	}
}

// routed is how an interaction is answered: resp at once without the
// core (then after, when set, once resp was sent), or the core's answer
// to req, private or not.
type routed struct {
	req     bot.Request
	private bool
	resp    any // *discordgo.InteractionResponse or *autocompleteResponse
	after   func()
}

// route reads an interaction, the same over the gateway and over HTTP.
func (a *Adapter) route(ctx context.Context, rest *interactionREST) routed {
	i := rest.i
	switch i.Type {
	case discordgo.InteractionApplicationCommand:
		data, _ := i.Data.(discordgo.ApplicationCommandInteractionData)
		req, ok := a.interactionRequest(i)
		if !ok {
			return routed{resp: privateText(unknownUser)}
		}
		if !a.table.invocation(data, &req) {
			a.log.InfoContext(ctx, "discord: unknown slash command (registered by an older version?)", "command", data.Name)
			return routed{resp: privateText(unknownCommand)}
		}
		// A message command's answer is about someone's message: only the
		// one who asked sees it (Share to channel can post it).
		private := a.Bot.Private(req) || data.CommandType == discordgo.MessageApplicationCommand
		return routed{req: req, private: private}
	case discordgo.InteractionMessageComponent:
		data, _ := i.Data.(discordgo.MessageComponentInteractionData)
		if data.ComponentType != discordgo.ButtonComponent {
			// Nothing to do; acknowledge without changing the message.
			return routed{resp: &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredMessageUpdate}}
		}
		req, ok := a.interactionRequest(i)
		if !ok {
			return routed{resp: privateText(unknownUser)}
		}
		action, ok := decodeButton(data.CustomID, a.buttons)
		if !ok {
			return routed{resp: privateText(expiredButton)}
		}
		if action.ID == shareAction {
			resp, after := a.share(ctx, rest, req, action.Value)
			return routed{resp: resp, after: after}
		}
		req.Action = &action
		// The answer to a button is as private as the message it was on.
		private := i.Message != nil && i.Message.Flags&discordgo.MessageFlagsEphemeral != 0
		return routed{req: req, private: private}
	case discordgo.InteractionApplicationCommandAutocomplete:
		return routed{resp: a.autocomplete(ctx, i)}
	case discordgo.InteractionModalSubmit:
		data, _ := i.Data.(discordgo.ModalSubmitInteractionData)
		req, ok := a.interactionRequest(i)
		if !ok {
			return routed{resp: privateText(unknownUser)}
		}
		if !modalRequest(data, &req) {
			return routed{resp: privateText(expiredForm)}
		}
		return routed{req: req, private: a.Bot.Private(req)}
	}
	a.log.DebugContext(ctx, "discord: interaction type not handled", "type", int(i.Type))
	return routed{resp: privateText(unknownInteraction)}
}

// interactionRequest reads who asked, where; ok is false without a user.
// An interaction in a server that installed the app belongs to that
// server's tenant. One without a server (a DM with the bot, a group DM),
// or in a server where only the user installed the app, belongs to the
// user's personal scope, DMTenant: the same user's history follows them
// there and never mixes with a server's.
func (a *Adapter) interactionRequest(i *discordgo.Interaction) (bot.Request, bool) {
	u := i.User
	if i.Member != nil && i.Member.User != nil {
		u = i.Member.User
	}
	if u == nil || u.ID == "" {
		return bot.Request{}, false
	}
	req := bot.Request{
		User:     bot.UserRef{Platform: bot.PlatformDiscord, Tenant: DMTenant, ID: u.ID},
		UserName: displayName(u, i.Member),
		Channel:  i.ChannelID,
		DM:       i.GuildID == "" && i.Context != discordgo.InteractionContextPrivateChannel,
		// Commands and buttons can be answered with a modal.
		Forms: bot.FormsNow,
	}
	if i.GuildID != "" && serverInstalled(i) {
		req.User.Tenant = i.GuildID
		req.Admin = i.Member != nil && i.Member.Permissions&adminPermissions != 0
	}
	if t, ok := snowflakeTime(i.ID); ok {
		req.Time = t
	} else {
		req.Time = a.now().UTC()
	}
	return req, true
}

// serverInstalled reports whether the app is installed in the server the
// interaction came from. Discord lists who authorized it; an interaction
// without that list (older payloads) comes from a server install.
func serverInstalled(i *discordgo.Interaction) bool {
	if len(i.AuthorizingIntegrationOwners) == 0 {
		return true
	}
	_, ok := i.AuthorizingIntegrationOwners[discordgo.ApplicationIntegrationGuildInstall]
	return ok
}

// deliver sends the reply to a deferred interaction. The first message
// replaces the placeholder; the rest follow up. A private reply to a public
// placeholder (an error, say) deletes the placeholder and follows up
// privately instead.
func (a *Adapter) deliver(ctx context.Context, rest *interactionREST, private bool, reply bot.Reply) error {
	i := rest.i
	msgs := render(reply, a.encoder())
	opt := discordgo.WithContext(ctx)
	if reply.Ephemeral && !private {
		if err := rest.delete(opt); err != nil {
			a.log.WarnContext(ctx, "discord: delete public placeholder failed", "interaction", i.ID, "err", redact(err, i.Token))
		}
		return a.followUp(ctx, rest, msgs, true)
	}
	err := rest.edit(webhookEdit(msgs[0]), opt)
	if isInvalidForm(err) {
		a.log.ErrorContext(ctx, "discord: answer refused as malformed; showing an apology instead", "interaction", i.ID, "err", redact(err, i.Token))
		err = rest.edit(webhookEdit(message{Content: noDisplayText}), opt)
	}
	if err != nil {
		return err
	}
	return a.followUp(ctx, rest, msgs[1:], private)
}

func webhookEdit(m message) *discordgo.WebhookEdit {
	content := m.Content
	embeds := m.Embeds
	if embeds == nil {
		embeds = []*discordgo.MessageEmbed{}
	}
	components := m.Components
	if components == nil {
		components = []discordgo.MessageComponent{}
	}
	e := &discordgo.WebhookEdit{Content: &content, Embeds: &embeds, Components: &components, AllowedMentions: noMentions()}
	if files := m.files(); len(files) > 0 {
		e.Files = files
		atts := []*discordgo.MessageAttachment{{ID: "0", Filename: files[0].Name}}
		e.Attachments = &atts
	}
	return e
}

func (a *Adapter) followUp(ctx context.Context, rest *interactionREST, msgs []message, private bool) error {
	i := rest.i
	for _, m := range msgs {
		p := &discordgo.WebhookParams{Content: m.Content, Embeds: m.Embeds, Components: m.Components, Files: m.files(), AllowedMentions: noMentions()}
		if private {
			p.Flags = discordgo.MessageFlagsEphemeral
		}
		err := rest.followUp(p, discordgo.WithContext(ctx))
		if isInvalidForm(err) {
			a.log.ErrorContext(ctx, "discord: follow-up refused as malformed; showing an apology instead", "interaction", i.ID, "err", redact(err, i.Token))
			err = rest.followUp(&discordgo.WebhookParams{Content: noDisplayText, AllowedMentions: noMentions(), Flags: p.Flags}, discordgo.WithContext(ctx))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// redact returns err's message with an interaction token cut out. The
// token is in the URL of every request about the interaction, a network
// error quotes that URL, and whoever has the token can answer in the bot's
// place for 15 minutes: it is kept out of the log like the bot token.
func redact(err error, token string) string {
	if err == nil {
		return ""
	}
	msg := err.Error()
	if token == "" {
		return msg
	}
	return strings.ReplaceAll(msg, token, "[interaction token]")
}

// onGuildDelete cancels the nudges of a server the bot was removed from
// (kicked, banned, or the server deleted): Discord would refuse them, or
// deliver them to people who removed the bot. A server that is only
// unavailable (an outage) keeps its nudges.
func (a *Adapter) onGuildDelete(_ *discordgo.Session, g *discordgo.GuildDelete) {
	ctx, ok := a.begin()
	if !ok {
		return
	}
	defer a.end(ctx, "GUILD_DELETE")
	if g == nil || g.Guild == nil || !isSnowflake(g.ID) {
		return
	}
	if g.Unavailable {
		a.log.InfoContext(ctx, "discord server unavailable (an outage); its nudges are kept", "guild", g.ID)
		return
	}
	if a.Nudges == nil {
		a.log.WarnContext(ctx, "discord: removed from a server; its nudges are not canceled (no schedule given)", "guild", g.ID)
		return
	}
	a.cancelServerNudges(ctx, g.ID)
}

// cancelNudgesOfServersLeft cancels, at READY, the nudges of servers the
// bot is no longer in: it was removed while it was not connected, so no
// GUILD_DELETE came. READY lists every server the bot is in.
func (a *Adapter) cancelNudgesOfServersLeft(s *discordgo.Session, r *discordgo.Ready) {
	ctx, ok := a.begin()
	if !ok {
		return
	}
	defer a.end(ctx, "READY")
	if r == nil || a.Nudges == nil || s == nil || s.State == nil {
		return
	}
	in := map[string]bool{}
	// The state updates these guilds as their GUILD_CREATEs arrive.
	s.State.RLock()
	for _, g := range r.Guilds {
		if g != nil {
			in[g.ID] = true
		}
	}
	s.State.RUnlock()
	lctx, cancel := context.WithTimeout(ctx, sendTimeout)
	tenants, err := a.Nudges.NudgeTenants(lctx, bot.PlatformDiscord)
	cancel()
	if err != nil {
		a.log.ErrorContext(ctx, "discord: list the servers with nudges", "err", err)
		return
	}
	for _, t := range tenants {
		if t != DMTenant && isSnowflake(t) && !in[t] {
			a.cancelServerNudges(ctx, t)
		}
	}
}

// cancelServerNudges cancels the nudges of a server the bot was removed
// from.
func (a *Adapter) cancelServerNudges(ctx context.Context, guild string) {
	ctx, cancel := context.WithTimeout(ctx, sendTimeout)
	defer cancel()
	n, err := a.Nudges.CancelTenantNudges(ctx, bot.PlatformDiscord, guild, removedReason)
	if err != nil {
		a.log.ErrorContext(ctx, "discord: removed from a server; canceling its nudges failed", "guild", guild, "err", err)
		return
	}
	a.log.InfoContext(ctx, "discord: removed from a server; its nudges are canceled", "guild", guild, "canceled", n)
}

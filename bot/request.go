package bot

import (
	"fmt"
	"strings"
	"time"
)

// Platforms influbot knows. The console platform always uses the tenant
// LocalTenant.
const (
	PlatformConsole = "console"
	PlatformDiscord = "discord"
	PlatformSlack   = "slack"

	LocalTenant = "local"
)

// TenantRef names a workspace: a Discord guild, a Slack team, or the local
// console. Every piece of stored data belongs to exactly one tenant.
type TenantRef struct {
	Platform string
	ID       string
}

// String formats the tenant as "platform:tenant".
func (t TenantRef) String() string { return t.Platform + ":" + t.ID }

// ParseTenantRef parses "platform:tenant".
func ParseTenantRef(s string) (TenantRef, error) {
	p, id, ok := strings.Cut(s, ":")
	if !ok || p == "" || id == "" || strings.Contains(id, ":") {
		return TenantRef{}, fmt.Errorf("tenant %q: want platform:tenant, e.g. discord:123456789 or console:local", s)
	}
	return TenantRef{Platform: p, ID: id}, nil
}

// UserRef identifies a user: the same person in two workspaces is two users.
type UserRef struct {
	Platform string // PlatformConsole, PlatformDiscord or PlatformSlack
	Tenant   string // guild id, team id, or LocalTenant
	ID       string // the platform's user id (the login name on the console)
}

// String formats the user as "platform:tenant:user".
func (u UserRef) String() string { return u.Platform + ":" + u.Tenant + ":" + u.ID }

// TenantRef returns the workspace the user belongs to.
func (u UserRef) TenantRef() TenantRef { return TenantRef{Platform: u.Platform, ID: u.Tenant} }

// Valid reports whether every part of the reference is set.
func (u UserRef) Valid() bool { return u.Platform != "" && u.Tenant != "" && u.ID != "" }

// ParseUserRef parses "platform:tenant:user".
func ParseUserRef(s string) (UserRef, error) {
	parts := strings.SplitN(s, ":", 3)
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" {
		return UserRef{}, fmt.Errorf("user %q: want platform:tenant:user, e.g. console:local:alice or discord:123456789:987654321", s)
	}
	return UserRef{Platform: parts[0], Tenant: parts[1], ID: parts[2]}, nil
}

// Request is one thing a user asked of the bot, on any platform.
//
// Exactly one of Text, Command or Action carries the content; an adapter
// that turns a typed choice into an Action (the console's "1") may keep
// what was typed in Text, for the history. Free text is
// routed by its first word (see Bot.Handle); a structured command (a Discord
// or Slack slash command with named options) names its command directly.
type Request struct {
	User     UserRef
	UserName string // display name, for greetings only
	Channel  string // where the request came from; empty on the console
	DM       bool   // a direct message rather than a shared channel
	// Admin is the adapter's judgement from platform permissions (Discord
	// Manage Server, Slack workspace admin). The core also honours its own
	// per-tenant admin list.
	Admin bool

	Text    string            // free text as the user typed it
	Command string            // structured command name, e.g. "check"
	Options map[string]string // structured command options by name
	Action  *Action           // a button press
	// FormID is set when the request is a submitted Form: Command is the
	// form's ID and Options its values. A command answers invalid values
	// with Reply.FieldErrors and the form again, rather than an error.
	FormID string
	// Forms says whether the platform can show a form and whether this
	// request can be answered with one (see FormSupport).
	Forms FormSupport

	Time time.Time // when the platform received it; zero means "now"
}

// Action is a button press: which button, and the value it carried.
type Action struct {
	ID    string
	Value string
}

// Reply is what the bot answers. Text is Markdown in the common subset that
// Discord renders directly and the Slack adapter converts to mrkdwn:
// **bold**, _italic_, `code`, [text](url), bullet lists.
type Reply struct {
	Title     string
	Text      string
	Fields    []Field
	Buttons   []Button
	Ephemeral bool   // visible only to the asking user where the platform allows
	Tone      Tone   // colours an embed or an attachment
	Image     *Image // an optional picture
	File      *File  // an optional attachment (an export, say)
	// Question, when set, is a yes/no question the reply asks (see
	// Question): the conversation layer keeps it pending for the user.
	Question *Question
	// Form, when set, asks the platform to open this form (a modal) in
	// answer; set only when the request allowed it (Request.Forms ==
	// FormsNow) or, with FieldErrors, in answer to a submitted form.
	// Text stays the answer for platforms that show no form.
	Form *Form
	// FieldErrors, on an answer to a submitted form, are the problems by
	// field name: Slack shows them in the form (response_action errors);
	// Discord shows Text and a button that opens the form again.
	FieldErrors map[string]string
	// Replace, on the answer to a button press, asks that the answer take
	// the place of the message the button was on (a nudge's Done, Skip or
	// Snooze: the nudge becomes its outcome, and cannot be pressed twice),
	// where the platform can; elsewhere the answer is a new message.
	Replace bool
}

// Field is a labelled value shown beside the text (an embed field, a Block
// Kit section field).
type Field struct {
	Name   string
	Value  string
	Inline bool
}

// ButtonStyle hints at how a button is drawn.
type ButtonStyle int

// Button styles, mapped by adapters to the closest native style.
const (
	ButtonDefault ButtonStyle = iota
	ButtonPrimary
	ButtonDanger
	ButtonSuccess
)

// Button is an action the user can take with one press. ActionID routes the
// press back to the core; Value travels with it.
type Button struct {
	ActionID string
	Label    string
	Value    string
	Style    ButtonStyle
}

// Tone tells adapters how to colour a reply.
type Tone int

// Tones.
const (
	ToneInfo Tone = iota
	ToneSuccess
	ToneWarning
	ToneError
)

// Image is a picture to show with a reply.
type Image struct {
	URL string
	Alt string
}

// File is an attachment: adapters upload it where the platform allows and
// fall back to text otherwise.
type File struct {
	Name        string
	ContentType string
	Data        []byte
	Alt         string // for a picture: what it shows, in words
}

package bot

import (
	"context"
	"errors"
	"net/url"
	"strings"

	"github.com/influbot/influbot/bot/eligibility"
)

// FormSupport says whether the platform a request came from can show a
// form (a Discord modal, a Slack modal), and whether it can open one in
// answer to this very request. Adapters set Request.Forms; the zero value
// (FormsNone) is the console's: forms are never offered.
type FormSupport int

const (
	// FormsNone: the platform shows no forms; commands answer in text.
	FormsNone FormSupport = iota
	// FormsByButton: the platform shows forms, but only in answer to an
	// interaction (a slash command, a button press), not to this request
	// (a typed message). A command that wants a form offers a button that
	// opens it (ActionFormOpen).
	FormsByButton
	// FormsNow: this request can be answered with a form (Reply.Form).
	FormsNow
)

// Form is a small form the bot asks the platform to show: a Discord modal
// or a Slack modal. Its submission comes back as a structured Request for
// the command named by ID (Request.Command = ID, Request.Options = the
// fields' values by Name, Request.FormID = ID).
type Form struct {
	// ID is the command the submission runs ("check").
	ID string
	// Title is the form's heading: at most 24 characters (Slack's limit
	// for a modal's title; Discord allows 45).
	Title string
	// Submit labels the submit button (Slack; Discord's modals have one
	// fixed submit button).
	Submit string
	// Fields are the inputs, in order. Discord shows at most 5.
	Fields []FormField
}

// FormFieldKind is what a field accepts.
type FormFieldKind int

const (
	FormText      FormFieldKind = iota // a one-line text input
	FormNumber                         // a one-line input holding a number as people write them (4.2k)
	FormSelect                         // one of Choices
	FormParagraph                      // several lines of text
)

// FormField is one input of a Form. Its value comes back as the option
// Name of the submitted command.
type FormField struct {
	Name        string
	Label       string // at most 45 characters (Discord)
	Kind        FormFieldKind
	Choices     []Choice // for FormSelect
	Placeholder string   // at most 100 characters
	// Value prefills the field: a form opened again after invalid input
	// keeps what the user typed.
	Value    string
	Required bool
	// MaxLength limits the typed length; 0 means the platform's limit.
	MaxLength int
}

// Choice is one option of a FormSelect field (or of an autocomplete list).
type Choice struct {
	Label string
	Value string
}

// ActionFormOpen is the button action ("COMMAND:form") that opens a
// command's form; its value carries the values to prefill, as encoded by
// EncodeFormValues. A command that offers a form handles it.
const ActionFormOpen = "form"

// FormButton returns the button that opens command's form with values
// prefilled.
func FormButton(command, label string, values map[string]string) Button {
	return Button{ActionID: command + ":" + ActionFormOpen, Label: label, Value: EncodeFormValues(values), Style: ButtonPrimary}
}

// EncodeFormValues packs non-empty form values into a button's value (a
// URL query string, sorted by name).
func EncodeFormValues(values map[string]string) string {
	q := url.Values{}
	for k, v := range values {
		if v = strings.TrimSpace(v); v != "" {
			q.Set(k, v)
		}
	}
	return q.Encode()
}

// DecodeFormValues unpacks EncodeFormValues' output; anything unreadable
// yields no values.
func DecodeFormValues(s string) map[string]string {
	q, err := url.ParseQuery(s)
	if err != nil {
		return nil
	}
	out := make(map[string]string, len(q))
	for k, v := range q {
		if len(v) > 0 {
			out[k] = v[0]
		}
	}
	return out
}

// isFormOpen reports whether c is a press of its command's form button.
func (c *Call) isFormOpen() bool {
	if c.Action == nil {
		return false
	}
	_, verb, _ := strings.Cut(c.Action.ID, ":")
	return verb == ActionFormOpen
}

// checkFormButtonLabel is the label of the button that opens the check form.
const checkFormButtonLabel = "Check my numbers"

// CheckForm returns the quick check's form with values prefilled: the
// platform as a select and the numbers as inputs. Discord shows 5 fields,
// so the form keeps the five that matter most for a verdict (platform,
// followers, likes, comments or views, and the posting rhythm); the rest
// are optional in the command and can be typed.
func CheckForm(values map[string]string) Form {
	var platforms []Choice
	for _, p := range eligibility.Platforms() {
		platforms = append(platforms, Choice{Label: p.Name, Value: p.ID})
	}
	f := Form{
		ID:     "check",
		Title:  "Quick eligibility check",
		Submit: "Check",
		Fields: []FormField{
			{Name: "platform", Label: "Platform", Kind: FormSelect, Choices: platforms, Required: true, Placeholder: "instagram, youtube, tiktok, facebook or x"},
			{Name: "followers", Label: "Followers (subscribers on YouTube)", Kind: FormNumber, Required: true, Placeholder: "4200 or 4.2k", MaxLength: 20},
			{Name: "likes", Label: "Average likes per post", Kind: FormNumber, Placeholder: "150", MaxLength: 20},
			{Name: "comments", Label: "Average comments per post", Kind: FormNumber, Placeholder: "12", MaxLength: 20},
			{Name: "posts_per_week", Label: "How often you post", Kind: FormText, Placeholder: "3 a week, daily, 12 a month", MaxLength: 40},
		},
	}
	for i := range f.Fields {
		f.Fields[i].Value = strings.TrimSpace(values[f.Fields[i].Name])
	}
	if v := strings.TrimSpace(values["platform"]); v != "" {
		if p, ok := eligibility.LookupPlatform(v); ok {
			f.Fields[0].Value = p.ID
		}
	}
	return f
}

// checkFormReply answers a check with nothing to check, or a press of the
// "Check my numbers" button: the form where the platform can open it now,
// otherwise the how-to with a button that opens the form.
func checkFormReply(c *Call, values map[string]string) Reply {
	r := Reply{Title: "Quick eligibility check", Text: checkHowTo, Ephemeral: true}
	switch c.Forms {
	case FormsNow:
		f := CheckForm(values)
		r.Form = &f
	case FormsByButton:
		r.Buttons = []Button{FormButton("check", checkFormButtonLabel, values)}
	}
	return r
}

// checkFormInvalid answers a submitted check form whose values do not
// read: the error in words, each field's problem for platforms that show
// them in the form (Reply.FieldErrors), and a button that opens the form
// again with the values kept.
func (b *Bot) checkFormInvalid(ctx context.Context, c *Call, err error) Reply {
	msg := ErrorMessage(checkInputError(err))
	r := Reply{Text: QuoteEchoes(msg), Tone: ToneError, Ephemeral: true}
	var ie *eligibility.InputError
	field := ""
	if errors.As(err, &ie) {
		field = ie.Field
	}
	f := CheckForm(c.Options)
	known := false
	for _, ff := range f.Fields {
		known = known || ff.Name == field
	}
	if !known {
		// An error about the whole input (or a field the form does not
		// show) is shown against the first field.
		field = f.Fields[0].Name
	}
	text := msg
	if ie != nil && ie.Msg != "" {
		text = ie.Msg
	}
	r.FieldErrors = map[string]string{field: text}
	r.Form = &f
	if c.Forms != FormsNone {
		r.Buttons = []Button{FormButton("check", "Fix my numbers", c.Options)}
	}
	c.Event.ErrorCode, c.Event.Answered = EINVALID, false
	b.log.InfoContext(ctx, "check form rejected", "user", c.User.String(), "field", field, "err", err)
	return r
}

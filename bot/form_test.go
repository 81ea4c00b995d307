package bot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/bot/bottest"
)

func TestCheckOffersItsForm(t *testing.T) {
	tests := []struct {
		name       string
		forms      bot.FormSupport
		wantForm   bool
		wantButton bool
	}{
		{"the console gets the how-to only", bot.FormsNone, false, false},
		{"a typed message on a platform with forms gets a button that opens it", bot.FormsByButton, false, true},
		{"a slash command gets the form itself", bot.FormsNow, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := bottest.New(t, bot.Config{})
			r := b.Handle(context.Background(), bot.Request{User: b.User, Command: "check", Forms: tt.forms})
			if got := r.Form != nil; got != tt.wantForm {
				t.Fatalf("form = %v, want %v", got, tt.wantForm)
			}
			if !strings.Contains(r.Text, "followers") {
				t.Errorf("the how-to is missing from the text: %q", r.Text)
			}
			var btn *bot.Button
			for i := range r.Buttons {
				if r.Buttons[i].ActionID == "check:form" {
					btn = &r.Buttons[i]
				}
			}
			if (btn != nil) != tt.wantButton {
				t.Fatalf("form button = %v, want %v (%+v)", btn != nil, tt.wantButton, r.Buttons)
			}
			if btn != nil {
				// Pressing it is an interaction: the form opens.
				r := b.Handle(context.Background(), bot.Request{User: b.User, Action: &bot.Action{ID: btn.ActionID, Value: btn.Value}, Forms: bot.FormsNow})
				if r.Form == nil || r.Form.ID != "check" {
					t.Fatalf("pressing %q opened no check form: %+v", btn.Label, r)
				}
			}
		})
	}
}

func TestCheckFormFields(t *testing.T) {
	f := bot.CheckForm(map[string]string{"platform": "ig", "followers": "4.2k"})
	if len(f.Fields) > 5 {
		t.Fatalf("%d fields; Discord shows at most 5", len(f.Fields))
	}
	if len(f.Title) > 24 {
		t.Errorf("title %q longer than Slack's 24 characters", f.Title)
	}
	byName := map[string]bot.FormField{}
	for _, ff := range f.Fields {
		if len(ff.Label) > 45 {
			t.Errorf("label %q longer than Discord's 45 characters", ff.Label)
		}
		byName[ff.Name] = ff
	}
	if got := byName["platform"].Value; got != "instagram" {
		t.Errorf("platform prefilled as %q, want instagram (ig read as the platform's id)", got)
	}
	if got := byName["followers"].Value; got != "4.2k" {
		t.Errorf("followers prefilled as %q, want 4.2k as typed", got)
	}
	if byName["platform"].Kind != bot.FormSelect || len(byName["platform"].Choices) < 5 {
		t.Errorf("platform is not a select of the platforms: %+v", byName["platform"])
	}
}

func TestCheckFormSubmission(t *testing.T) {
	tests := []struct {
		name      string
		values    map[string]string
		wantField string // "" when the check runs
	}{
		{"good numbers run the check", map[string]string{"platform": "instagram", "followers": "4.2k", "likes": "150", "comments": "12", "posts_per_week": "3 a week"}, ""},
		{"negative followers are reported against followers", map[string]string{"platform": "instagram", "followers": "-5"}, "followers"},
		{"an unknown platform is reported against the platform", map[string]string{"platform": "myspace", "followers": "5000"}, "platform"},
		{"unreadable likes are reported against likes", map[string]string{"platform": "tiktok", "followers": "8k", "likes": "lots"}, "likes"},
		{"absurd followers are refused", map[string]string{"platform": "youtube", "followers": "5000000000"}, "followers"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := bottest.New(t, bot.Config{})
			r := b.Handle(context.Background(), bot.Request{User: b.User, Command: "check", Options: tt.values, FormID: "check", Forms: bot.FormsNow})
			if tt.wantField == "" {
				if len(r.FieldErrors) > 0 || r.Form != nil {
					t.Fatalf("valid form answered with errors %v", r.FieldErrors)
				}
				if !strings.Contains(strings.ToLower(r.Text+r.Title), "engagement") {
					t.Errorf("no check result: %q", r.Text)
				}
				return
			}
			if r.FieldErrors[tt.wantField] == "" {
				t.Fatalf("field errors %v, want one for %q", r.FieldErrors, tt.wantField)
			}
			if r.Form == nil {
				t.Fatal("the form to open again is missing")
			}
			for _, f := range r.Form.Fields {
				if v := tt.values[f.Name]; v != "" && f.Name != "platform" && f.Value != v {
					t.Errorf("field %s lost its value: %q, want %q", f.Name, f.Value, v)
				}
			}
			var reopen *bot.Button
			for i := range r.Buttons {
				if r.Buttons[i].ActionID == "check:form" {
					reopen = &r.Buttons[i]
				}
			}
			if reopen == nil {
				t.Fatal("no button to open the form again")
			}
			if got := bot.DecodeFormValues(reopen.Value); got["followers"] != tt.values["followers"] {
				t.Errorf("the retry button keeps followers %q, want %q", got["followers"], tt.values["followers"])
			}
			if r.Text == "" {
				t.Error("no error text for platforms that cannot show field errors")
			}
		})
	}
}

func TestFormValuesRoundTrip(t *testing.T) {
	in := map[string]string{"platform": "x", "niche": "home & decor = cozy", "followers": "", "likes": "1,200"}
	out := bot.DecodeFormValues(bot.EncodeFormValues(in))
	if len(out) != 3 || out["niche"] != in["niche"] || out["likes"] != "1,200" {
		t.Fatalf("round trip = %v", out)
	}
	if got := bot.DecodeFormValues("%zz"); len(got) != 0 {
		t.Errorf("garbage decoded to %v", got)
	}
}

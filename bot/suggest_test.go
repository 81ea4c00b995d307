package bot_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/bot/bottest"
)

func choiceValues(cs []bot.Choice) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Value)
	}
	return out
}

func TestSuggestFromMemory(t *testing.T) {
	b := bottest.New(t, bot.Config{})
	ctx := context.Background()
	tests := []struct {
		name            string
		command, option string
		typed           string
		wantFirst       string // the best choice's value
		wantAmong       string // a value somewhere in the list
		wantNone        bool
	}{
		{name: "an FAQ title by its first words", command: "ask", option: "question", typed: "how many fol", wantFirst: "follower-requirement"},
		{name: "an FAQ title by words in any order", command: "ask", option: "question", typed: "rejected why", wantFirst: "rejection-reasons"},
		{name: "an FAQ title with a typo", command: "ask", option: "question", typed: "reaply tips", wantFirst: "reapply-tips"},
		{name: "an FAQ entry its search finds from other words", command: "ask", option: "question", typed: "how much commission on kitchen stuff", wantAmong: "commission-rates"},
		{name: "FAQ titles before anything is typed", command: "ask", option: "question", typed: "", wantAmong: "how-to-apply"},
		{name: "a commission category by prefix", command: "commission", option: "category", typed: "kitch", wantFirst: "Kitchen"},
		{name: "a commission category with a typo", command: "commission", option: "category", typed: "jewlery", wantFirst: "Jewelry"},
		{name: "a zone completes the reminder rule", command: "remind", option: "when", typed: "daily at 9:00 europe/ber", wantFirst: "daily at 9:00 Europe/Berlin"},
		{name: "a city completes to its zone", command: "remind", option: "when", typed: "daily at 9am tokyo", wantFirst: "daily at 9am Asia/Tokyo"},
		{name: "an abbreviation the core understands", command: "remind", option: "when", typed: "daily at 9am pst", wantFirst: "daily at 9am PST"},
		{name: "common zones after a time", command: "remind", option: "when", typed: "daily at 9:00", wantAmong: "daily at 9:00 America/New_York"},
		{name: "an option without suggestions", command: "check", option: "platform", typed: "ins", wantNone: true},
		{name: "nothing matches gibberish", command: "commission", option: "category", typed: "qqqqzzzz", wantNone: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := b.Suggest(ctx, bot.SuggestRequest{User: b.User, Command: tt.command, Option: tt.option, Typed: tt.typed})
			if len(got) > bot.MaxSuggestions {
				t.Fatalf("%d choices, want at most %d", len(got), bot.MaxSuggestions)
			}
			for _, c := range got {
				if c.Label == "" || c.Value == "" || len([]rune(c.Label)) > 100 || len([]rune(c.Value)) > 100 {
					t.Errorf("choice %+v: label and value must be 1-100 characters", c)
				}
			}
			vals := choiceValues(got)
			switch {
			case tt.wantNone && len(got) > 0:
				t.Errorf("choices = %v, want none", vals)
			case tt.wantFirst != "" && (len(got) == 0 || got[0].Value != tt.wantFirst):
				t.Errorf("choices = %v, want %q first", vals, tt.wantFirst)
			case tt.wantAmong != "" && !slices.Contains(vals, tt.wantAmong):
				t.Errorf("choices = %v, want %q among them", vals, tt.wantAmong)
			}
			if b.Suggests(tt.command, tt.option) == tt.wantNone && !strings.Contains(tt.name, "gibberish") {
				t.Errorf("Suggests(%q, %q) = %v", tt.command, tt.option, !tt.wantNone)
			}
		})
	}
}

func TestSuggestTasksAreTheUsersOwn(t *testing.T) {
	e := newPlanEnv(t, time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC))
	maya := bot.UserRef{Platform: bot.PlatformDiscord, Tenant: "400000000000000001", ID: "maya"}
	other := bot.UserRef{Platform: bot.PlatformDiscord, Tenant: "400000000000000002", ID: "maya"}
	e.saveCheck(maya, "instagram", map[string]string{"followers": "pass", "engagement": "fail", "cadence": "fail"})
	if r := e.as(maya).Say("plan accept"); !strings.Contains(r.Title+r.Text, "Plan started") {
		t.Fatalf("plan accept: %q %q", r.Title, r.Text)
	}
	ctx := context.Background()
	all := e.bot.Suggest(ctx, bot.SuggestRequest{User: maya, Command: "done", Option: "task"})
	if len(all) == 0 {
		t.Fatal("no task suggested after a plan was accepted")
	}
	if !strings.HasPrefix(all[0].Label, "1. ") {
		t.Errorf("first task label %q, want it numbered as `tasks` numbers it", all[0].Label)
	}
	// Typing part of the second task's title puts it first; its value is
	// what `done` takes.
	title := strings.TrimPrefix(all[len(all)-1].Label, strings.SplitN(all[len(all)-1].Label, " ", 2)[0]+" ")
	word := strings.Fields(title)[0]
	got := e.bot.Suggest(ctx, bot.SuggestRequest{User: maya, Command: "skip", Option: "task", Typed: word})
	if len(got) == 0 || !strings.Contains(got[0].Label, word) {
		t.Errorf("typed %q: choices %v", word, got)
	}
	if r := e.bot.Handle(ctx, bot.Request{User: maya, Command: "done", Options: map[string]string{"task": all[0].Value}}); r.Tone == bot.ToneError {
		t.Errorf("done with the suggested value %q: %q", all[0].Value, r.Text)
	}
	// The same user id in another server has no plan there.
	if got := e.bot.Suggest(ctx, bot.SuggestRequest{User: other, Command: "done", Option: "task"}); len(got) != 0 {
		t.Errorf("another workspace's user sees tasks %v", got)
	}
}

func TestCheckMyNumbersButtonOnRelevantAnswers(t *testing.T) {
	b := bottest.New(t, bot.Config{})
	ctx := context.Background()
	hasButton := func(r bot.Reply) bool {
		return slices.ContainsFunc(r.Buttons, func(btn bot.Button) bool { return btn.ActionID == "check:form" })
	}
	tests := []struct {
		name string
		req  bot.Request
		want bool
	}{
		{"the follower requirement on a platform with forms", bot.Request{Command: "ask", Options: map[string]string{"question": "follower-requirement"}, Forms: bot.FormsNow}, true},
		{"engagement rate asked in words", bot.Request{Text: "what is a good engagement rate?", Forms: bot.FormsByButton}, true},
		{"the same on the console, which shows no forms", bot.Request{Command: "ask", Options: map[string]string{"question": "follower-requirement"}}, false},
		{"an answer about payouts", bot.Request{Command: "ask", Options: map[string]string{"question": "payouts"}, Forms: bot.FormsNow}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.req.User = b.User
			r := b.Handle(ctx, tt.req)
			if hasButton(r) != tt.want {
				t.Errorf("Check my numbers button = %v, want %v (buttons %+v)", hasButton(r), tt.want, r.Buttons)
			}
			if !tt.want {
				return
			}
			// Pressing it where a form can open now opens the check's form.
			btn := r.Buttons[len(r.Buttons)-1]
			f := b.Handle(ctx, bot.Request{User: b.User, Action: &bot.Action{ID: btn.ActionID, Value: btn.Value}, Forms: bot.FormsNow})
			if f.Form == nil || f.Form.ID != "check" {
				t.Errorf("pressing it gave no check form: %+v", f)
			}
		})
	}
}

func TestShareableResults(t *testing.T) {
	b := bottest.New(t, bot.Config{})
	ctx := context.Background()
	check := bot.Request{User: b.User, Command: "check", Options: map[string]string{"platform": "instagram", "followers": "5000", "likes": "200", "comments": "10"}}
	tests := []struct {
		name string
		req  bot.Request
		want bool
	}{
		{"a check's verdict", check, true},
		{"a check with nothing to check (the form)", bot.Request{User: b.User, Command: "check", Forms: bot.FormsNow}, false},
		{"a check with bad numbers", bot.Request{User: b.User, Command: "check", Options: map[string]string{"platform": "myspace", "followers": "x"}}, false},
		{"a data export", bot.Request{User: b.User, Command: "export"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := b.Handle(ctx, tt.req)
			if got := b.Shareable(tt.req, r); got != tt.want {
				t.Errorf("Shareable = %v, want %v (reply %q %q)", got, tt.want, r.Title, r.Text)
			}
		})
	}
}

func BenchmarkSuggest(b *testing.B) {
	core := bottest.New(b, bot.Config{})
	ctx := context.Background()
	cases := []bot.SuggestRequest{
		{Command: "ask", Option: "question", Typed: "how many fol"},
		{Command: "ask", Option: "question", Typed: "reaply tips after rejction"},
		{Command: "commission", Option: "category", Typed: "jewlery"},
		{Command: "remind", Option: "when", Typed: "daily at 9:00 europe/ber"},
	}
	for _, c := range cases {
		c.User = core.User
		b.Run(c.Command+"/"+strings.ReplaceAll(c.Typed, " ", "_"), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if len(core.Suggest(ctx, c)) == 0 {
					b.Fatal("no choices")
				}
			}
		})
	}
}

func TestANudgesButtonsReplaceTheNudge(t *testing.T) {
	e := newPlanEnv(t, time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC))
	maya := bot.UserRef{Platform: bot.PlatformDiscord, Tenant: "400000000000000001", ID: "maya"}
	e.saveCheck(maya, "instagram", map[string]string{"followers": "pass", "engagement": "fail", "cadence": "fail"})
	e.as(maya).Say("plan accept")
	tasks := e.bot.Suggest(context.Background(), bot.SuggestRequest{User: maya, Command: "done", Option: "task"})
	if len(tasks) < 2 {
		t.Fatalf("tasks %v", tasks)
	}
	tests := []struct {
		name string
		req  bot.Request
		want bool
	}{
		{"Done on a nudge", bot.Request{Action: &bot.Action{ID: "done:nudge", Value: tasks[0].Value}}, true},
		{"Skip on a nudge", bot.Request{Action: &bot.Action{ID: "skip:nudge", Value: tasks[1].Value}}, true},
		{"Done on a task that does not exist (an error)", bot.Request{Action: &bot.Action{ID: "done:nudge", Value: "no-such-task"}}, false},
		{"done typed", bot.Request{Text: "done " + tasks[0].Value}, false},
		{"another button", bot.Request{Action: &bot.Action{ID: "ask:topic", Value: "reapply-tips"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.req.User = maya
			if r := e.bot.Handle(context.Background(), tt.req); r.Replace != tt.want {
				t.Errorf("Replace = %v, want %v (%q %q)", r.Replace, tt.want, r.Title, r.Text)
			}
		})
	}
}

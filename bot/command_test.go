package bot_test

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/bot/bottest"
	"github.com/influbot/influbot/bot/eligibility"
)

// boundArgs records what a binder hands it.
type boundArgs struct {
	text    string
	partial bool
	set     map[string]string
	order   []string
	failOn  string
}

func (a *boundArgs) ParseText(text string, partial bool) error {
	a.text, a.partial = text, partial
	if a.failOn == "text" {
		return errors.New("unreadable text")
	}
	a.set = map[string]string{"size": "from text"}
	return nil
}

func (a *boundArgs) Set(name, value string) error {
	if a.set == nil {
		a.set = map[string]string{}
	}
	if a.failOn == name {
		return errors.New("bad " + name)
	}
	a.set[name] = value
	a.order = append(a.order, name)
	return nil
}

func TestCommandBind(t *testing.T) {
	cmd := &bot.Command{Name: "order", Options: []bot.Option{{Name: "size"}, {Name: "colour"}}}
	tests := []struct {
		name        string
		text        string
		opts        map[string]string
		failOn      string
		wantText    string
		wantPartial bool
		wantSet     map[string]string
		wantOrder   []string
		wantErr     bool
	}{
		{name: "free text alone goes to ParseText, complete", text: "  large red ", wantText: "large red", wantSet: map[string]string{"size": "from text"}},
		{name: "options alone are set in the command's order", opts: map[string]string{"colour": "red", "size": "L"},
			wantSet: map[string]string{"size": "L", "colour": "red"}, wantOrder: []string{"size", "colour"}},
		{name: "text and options together: the text is partial and an option overrides it", text: "large", opts: map[string]string{"size": "XL"},
			wantText: "large", wantPartial: true, wantSet: map[string]string{"size": "XL"}, wantOrder: []string{"size"}},
		{name: "an option the command does not declare is ignored", opts: map[string]string{"flavour": "mint", "colour": "blue"},
			wantSet: map[string]string{"colour": "blue"}, wantOrder: []string{"colour"}},
		{name: "a blank option counts as not given", text: "large", opts: map[string]string{"colour": "  "},
			wantText: "large", wantSet: map[string]string{"size": "from text"}},
		{name: "a text error stops the binding", text: "???", opts: map[string]string{"colour": "red"}, failOn: "text", wantText: "???", wantPartial: true, wantErr: true},
		{name: "an option's error is returned", opts: map[string]string{"size": "huge"}, failOn: "size", wantErr: true, wantSet: map[string]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := &boundArgs{failOn: tt.failOn}
			err := cmd.Bind(a, tt.text, tt.opts)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if a.text != tt.wantText || a.partial != tt.wantPartial {
				t.Errorf("ParseText(%q, %v), want (%q, %v)", a.text, a.partial, tt.wantText, tt.wantPartial)
			}
			if tt.wantErr {
				return
			}
			if !maps.Equal(a.set, tt.wantSet) {
				t.Errorf("bound %v, want %v", a.set, tt.wantSet)
			}
			if !slices.Equal(a.order, tt.wantOrder) {
				t.Errorf("options set in order %v, want %v", a.order, tt.wantOrder)
			}
		})
	}
}

func TestCheckBindsTextAndOptionsAlike(t *testing.T) {
	b := bottest.New(t, bot.Config{})
	text := b.Say("check instagram 4.2k followers 150 likes 12 comments 3 posts a week niche home decor")
	opts := b.Run("check", map[string]string{"platform": "instagram", "followers": "4.2k", "likes": "150", "comments": "12", "posts_per_week": "3", "niche": "home decor"})
	if text.Title == "" || text.Title != opts.Title || text.Text != opts.Text {
		t.Errorf("free text and options differ:\n%s\n%s\n---\n%s\n%s", text.Title, text.Text, opts.Title, opts.Text)
	}
	t.Run("the command line's binder reads the same input", func(t *testing.T) {
		fromText, err := bot.BindCheck("instagram 4.2k followers 150 likes", nil)
		if err != nil {
			t.Fatal(err)
		}
		mixed, err := bot.BindCheck("150 likes", map[string]string{"platform": "ig", "followers": "4200"})
		if err != nil {
			t.Fatal(err)
		}
		if mixed.Platform != fromText.Platform || *mixed.Followers != *fromText.Followers || *mixed.Likes != *fromText.Likes {
			t.Errorf("text %+v, text and options %+v", fromText, mixed)
		}
	})
}

func TestCheckOptionsAreTheEligibilityFields(t *testing.T) {
	b := bottest.New(t, bot.Config{})
	c, ok := b.Command("check")
	if !ok {
		t.Fatal("no check command")
	}
	var names []string
	for _, o := range c.Options {
		names = append(names, o.Name)
	}
	if !slices.Equal(names, eligibility.Fields) {
		t.Errorf("check's options %v, want eligibility.Fields %v", names, eligibility.Fields)
	}
	for _, sc := range bot.StandaloneCommands() {
		rc, ok := b.Command(sc.Name)
		if !ok || rc.Summary != sc.Summary || len(rc.Options) != len(sc.Options) || rc.Private != sc.Private {
			t.Errorf("the command line's record of %q differs from the bot's", sc.Name)
		}
	}
}

func TestCheckErrorsGiveAnExampleUnlessTheyShowOne(t *testing.T) {
	b := bottest.New(t, bot.Config{})
	tests := []struct {
		name        string
		reply       func() bot.Reply
		wantExample bool
	}{
		{"an unknown platform whose words say 'like' still gets the example",
			func() bot.Reply {
				return b.Run("check", map[string]string{"platform": "i like cats", "followers": "5k"})
			}, true},
		{"an unknown platform gets the example", func() bot.Reply {
			return b.Run("check", map[string]string{"platform": "myspace", "followers": "5k"})
		}, true},
		{"a message that shows how to write the number gets no second example", func() bot.Reply {
			return b.Run("check", map[string]string{"platform": "instagram", "followers": "lots"})
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.reply()
			if r.Tone != bot.ToneError {
				t.Fatalf("not an error: %s", r.Text)
			}
			if got := strings.Contains(r.Text, "Try: `check "); got != tt.wantExample {
				t.Errorf("example shown = %v, want %v: %s", got, tt.wantExample, r.Text)
			}
		})
	}
}

// countingAdmins is an admin list that counts its reads.
type countingAdmins struct {
	mu    sync.Mutex
	reads int
	admin bool
}

func (a *countingAdmins) IsAdmin(context.Context, bot.UserRef) (bool, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.reads++
	return a.admin, nil
}

func (a *countingAdmins) count() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.reads
}

func TestAdminListIsReadOnlyWhenACommandAsks(t *testing.T) {
	admins := &countingAdmins{admin: true}
	b := bottest.New(t, bot.Config{Admins: admins})
	u := b.As(bot.UserRef{Platform: bot.PlatformDiscord, Tenant: "guild1", ID: "user1"})
	tests := []struct {
		name      string
		say       string
		wantReads int
		check     func(bot.Reply) bool
	}{
		{"a question reads no admin list", "how long should I wait before reapplying?", 0, nil},
		{"a check reads no admin list", "check instagram 4200 followers 150 likes", 0, nil},
		{"help reads it once, to list the admin commands", "help", 1, func(r bot.Reply) bool { return strings.Contains(r.Text, "`admin ") }},
		{"an admin-only command reads it once", "admin list", 1, func(r bot.Reply) bool { return r.Tone != bot.ToneError }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := admins.count()
			r := u.Say(tt.say)
			if got := admins.count() - before; got != tt.wantReads {
				t.Errorf("%d reads of the admin list, want %d", got, tt.wantReads)
			}
			if tt.check != nil && !tt.check(r) {
				t.Errorf("reply: %s %s", r.Title, r.Text)
			}
		})
	}
	t.Run("a user the list does not name is refused an admin-only command", func(t *testing.T) {
		admins.mu.Lock()
		admins.admin = false
		admins.mu.Unlock()
		if r := u.Say("admin list"); r.Tone != bot.ToneError || !strings.Contains(r.Text, "Only admins") {
			t.Errorf("reply: %s", r.Text)
		}
	})
}

func TestInvoked(t *testing.T) {
	b := bottest.New(t, bot.Config{})
	tests := []struct {
		name string
		req  bot.Request
		want string // "" for none
	}{
		{"a button press names its command before the colon", bot.Request{Action: &bot.Action{ID: "plan:accept"}}, "plan"},
		{"a slash command names its command", bot.Request{Command: "CHECK"}, "check"},
		{"free text names its command by its first word", bot.Request{Text: "check instagram 4k followers"}, "check"},
		{"an alias finds its command", bot.Request{Text: "!eligibility ig 4k followers"}, "check"},
		{"plain words find the command they mean", bot.Request{Text: "stop sending me messages"}, "stop"},
		{"a question invokes no command", bot.Request{Text: "why was I rejected?"}, ""},
		{"an unknown slash command invokes nothing", bot.Request{Command: "nope"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, ok := b.Invoked(tt.req)
			got := ""
			if ok {
				got = c.Name
			}
			if got != tt.want {
				t.Errorf("Invoked = %q, want %q", got, tt.want)
			}
			if want := ok && c.Private; b.Private(tt.req) != want {
				t.Errorf("Private = %v, want the record's %v", !want, want)
			}
		})
	}
}

package discord

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/influbot/influbot/bot"
)

func find(t *testing.T, tab commandTable, name string) *discordgo.ApplicationCommand {
	t.Helper()
	for _, d := range tab.defs {
		if d.Name == name {
			return d
		}
	}
	t.Fatalf("no command %q in %v", name, tab.byName)
	return nil
}

func TestBuildCommands(t *testing.T) {
	many := make([]string, 30)
	for i := range many {
		many[i] = "choice" + strconv.Itoa(i)
	}
	cmds := []*bot.Command{
		{Name: "Check Eligibility!", Summary: strings.Repeat("Check your numbers. ", 10), Options: []bot.Option{
			{Name: "Likes", Kind: bot.OptionInteger},
			{Name: "platform", Description: "Where", Required: true, Choices: []string{"instagram", "youtube"}},
			{Name: "rate", Kind: bot.OptionNumber, Required: true, Choices: []string{"1.5", "2"}},
			{Name: "pick", Choices: many},
			{Name: "size", Kind: bot.OptionInteger, Choices: []string{"1", "big"}},
			{Name: "public", Kind: bot.OptionBool},
		}},
		{Name: "check-eligibility", Summary: "A second command with the same Discord name"},
		{Name: "influbot", Summary: "Clashes with the generic command"},
		{Name: "secret", Hidden: true},
		{Name: "ÜBER", Summary: ""},
		{Name: "!!!", Summary: "No valid characters"},
	}
	tab := buildCommands(cmds, nil)

	t.Run("Discord accepts the whole set", func(t *testing.T) {
		b, _ := json.Marshal(tab.defs)
		var list []any
		json.Unmarshal(b, &list)
		if msg := validateCommands(list); msg != "" {
			t.Fatal(msg)
		}
	})
	t.Run("names are lowercased and made valid", func(t *testing.T) {
		find(t, tab, "check-eligibility")
		find(t, tab, "über")
		if d := find(t, tab, "über"); d.Description != "ÜBER" {
			t.Errorf("an empty summary falls back to the name: %q", d.Description)
		}
	})
	t.Run("descriptions are cut to 100 characters", func(t *testing.T) {
		if d := find(t, tab, "check-eligibility").Description; textLen(d) != maxDescription || !strings.HasSuffix(d, "…") {
			t.Errorf("description %q", d)
		}
	})
	t.Run("required options come first", func(t *testing.T) {
		var names []string
		for _, o := range find(t, tab, "check-eligibility").Options {
			names = append(names, o.Name)
		}
		if got := strings.Join(names, ","); got != "platform,rate,likes,pick,size,public" {
			t.Errorf("options %s", got)
		}
	})
	t.Run("choices are kept only where Discord can list them all", func(t *testing.T) {
		opts := map[string]*discordgo.ApplicationCommandOption{}
		for _, o := range find(t, tab, "check-eligibility").Options {
			opts[o.Name] = o
		}
		if len(opts["platform"].Choices) != 2 || opts["platform"].Choices[0].Value != "instagram" {
			t.Errorf("platform choices %v", opts["platform"].Choices)
		}
		if len(opts["rate"].Choices) != 2 || opts["rate"].Choices[0].Value != 1.5 {
			t.Errorf("number choices %v", opts["rate"].Choices)
		}
		if opts["pick"].Choices != nil || opts["size"].Choices != nil {
			t.Errorf("30 choices or a non-number integer choice should leave free input")
		}
		if opts["likes"].Type != discordgo.ApplicationCommandOptionInteger || opts["public"].Type != discordgo.ApplicationCommandOptionBoolean {
			t.Errorf("kinds not mapped")
		}
	})
	t.Run("hidden, clashing and nameless commands are left out with a reason", func(t *testing.T) {
		if _, ok := tab.byName["secret"]; ok {
			t.Errorf("hidden command registered")
		}
		if len(tab.skipped) != 3 {
			t.Errorf("skipped = %q, want the duplicate, influbot and !!!", tab.skipped)
		}
		if tab.byName["influbot"].core != "" {
			t.Errorf("/influbot was taken over by a core command")
		}
	})
	t.Run("at most 100 commands are registered", func(t *testing.T) {
		var lots []*bot.Command
		for i := range 120 {
			lots = append(lots, &bot.Command{Name: "c" + strconv.Itoa(i), Summary: "x"})
		}
		if n := len(buildCommands(lots, nil).defs); n != maxCommands {
			t.Errorf("%d commands", n)
		}
	})
}

func TestInvocation(t *testing.T) {
	tab := buildCommands([]*bot.Command{{Name: "Check", Options: []bot.Option{{Name: "Followers", Kind: bot.OptionInteger}, {Name: "rate", Kind: bot.OptionNumber}, {Name: "public", Kind: bot.OptionBool}}}}, nil)
	tests := []struct {
		name    string
		data    discordgo.ApplicationCommandInteractionData
		ok      bool
		command string
		text    string
		options map[string]string
	}{
		{"options come back under the core's names, numbers without exponent", discordgo.ApplicationCommandInteractionData{Name: "check", Options: []*discordgo.ApplicationCommandInteractionDataOption{
			{Name: "followers", Value: float64(12000000)}, {Name: "rate", Value: 2.5}, {Name: "public", Value: true}, nil,
		}}, true, "Check", "", map[string]string{"Followers": "12000000", "rate": "2.5", "public": "true"}},
		{"/influbot carries free text", discordgo.ApplicationCommandInteractionData{Name: "influbot", Options: []*discordgo.ApplicationCommandInteractionDataOption{{Name: "text", Value: "check instagram 5k"}}}, true, "", "check instagram 5k", nil},
		{"an unknown command is refused", discordgo.ApplicationCommandInteractionData{Name: "gone"}, false, "", "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var req bot.Request
			ok := tab.invocation(tc.data, &req)
			if ok != tc.ok || req.Command != tc.command || req.Text != tc.text {
				t.Fatalf("ok %v request %+v", ok, req)
			}
			for k, v := range tc.options {
				if req.Options[k] != v {
					t.Errorf("option %s = %q, want %q", k, req.Options[k], v)
				}
			}
		})
	}
}

func TestButtonCustomIDs(t *testing.T) {
	long := newRecent[bot.Action](2)
	tests := []struct {
		name   string
		button bot.Button
		stored bool
	}{
		{"action and value travel in the custom_id", bot.Button{ActionID: "ask:topic", Value: "reapply-tips"}, false},
		{"a value with separators survives", bot.Button{ActionID: "plan:pick", Value: "a|b#c%d"}, false},
		{"an action with separators survives", bot.Button{ActionID: "odd|id#%", Value: "v"}, false},
		{"an empty value survives", bot.Button{ActionID: "help:more"}, false},
		{"a value too long for Discord is kept by the adapter", bot.Button{ActionID: "plan:pick", Value: strings.Repeat("é", 60)}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id, ok := encodeButton(tc.button, long)
			if !ok || textLen(id) > maxCustomID || len(id) > maxCustomID {
				t.Fatalf("custom_id %q (%d bytes), ok %v", id, len(id), ok)
			}
			if strings.HasPrefix(id, "#") != tc.stored {
				t.Errorf("custom_id %q: stored = %v, want %v", id, !tc.stored, tc.stored)
			}
			got, ok := decodeButton(id, long)
			if !ok || got != (bot.Action{ID: tc.button.ActionID, Value: tc.button.Value}) {
				t.Errorf("decoded %+v, ok %v", got, ok)
			}
		})
	}
	t.Run("a button without an action is not shown", func(t *testing.T) {
		if _, ok := encodeButton(bot.Button{Label: "x"}, long); ok {
			t.Error("encoded")
		}
	})
	t.Run("the oldest long buttons are forgotten", func(t *testing.T) {
		first, _ := encodeButton(bot.Button{ActionID: "a", Value: strings.Repeat("1", 120)}, long)
		encodeButton(bot.Button{ActionID: "a", Value: strings.Repeat("2", 120)}, long)
		encodeButton(bot.Button{ActionID: "a", Value: strings.Repeat("3", 120)}, long)
		if _, ok := decodeButton(first, long); ok {
			t.Error("still remembered beyond the cache size")
		}
	})
	t.Run("a custom_id of another app is passed on as the action", func(t *testing.T) {
		if got, _ := decodeButton("legacy", long); got != (bot.Action{ID: "legacy"}) {
			t.Errorf("got %+v", got)
		}
	})
}

func TestNonce(t *testing.T) {
	tests := []struct {
		name, key string
		i         int
		same      bool // the nonce is the key itself
	}{
		{"a valid key is the nonce", "nudge20261124alice", 0, true},
		{"a key of 25 letters and digits is the nonce", strings.Repeat("a", 25), 0, true},
		{"a longer key is hashed", strings.Repeat("a", 26), 0, false},
		{"a key with punctuation is hashed", "nudge:42", 0, false},
		{"later messages of a notification get their own nonce", "nudge42", 1, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := nonceFor(tc.key, tc.i)
			if !validNonce(n) || (n == tc.key) != tc.same {
				t.Errorf("nonce %q for %q", n, tc.key)
			}
			if nonceFor(tc.key, tc.i) != n {
				t.Errorf("not deterministic")
			}
		})
	}
}

func TestSnowflakeTime(t *testing.T) {
	// The example from Discord's reference documentation.
	got, ok := snowflakeTime("175928847299117063")
	if want := time.Date(2016, 4, 30, 11, 18, 25, 796e6, time.UTC); !ok || !got.Equal(want) {
		t.Errorf("got %v, want %v", got, want)
	}
	for _, bad := range []string{"", "12a", "99999999999999999999999"} {
		if _, ok := snowflakeTime(bad); ok {
			t.Errorf("%q parsed", bad)
		}
	}
}

package discord

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/knowledge"
	"github.com/influbot/influbot/store"
)

const (
	guildA   = "100000000000000001"
	guildB   = "100000000000000002"
	channelA = "200000000000000001"
	channelB = "200000000000000002"
	dmChan   = "200000000000000009"
	ownerID  = "300000000000000099"
	modRole  = "400000000000000001"
)

var (
	alice = fakeUser{ID: "300000000000000001", Name: "alice"}
	bob   = fakeUser{ID: "300000000000000002", Name: "bob"}
)

func TestMessages(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t, fakeGuild{ID: guildA, OwnerID: ownerID, AdminRole: modRole}, fakeGuild{ID: guildB, OwnerID: ownerID})
	core := newFakeCore()
	startAdapter(t, f, core)

	t.Run("a mention in a guild channel gets a reply in that channel", func(t *testing.T) {
		msgID := f.message(guildA, channelA, alice, "<@"+fakeBotID+"> how long should I wait?", true)
		req := core.next(t)
		want := bot.UserRef{Platform: bot.PlatformDiscord, Tenant: guildA, ID: alice.ID}
		if req.User != want || req.Channel != channelA || req.DM || req.Text != "how long should I wait?" || req.Admin {
			t.Fatalf("request = %+v, want user %v in %s, text without the mention, not admin", req, want, channelA)
		}
		if req.UserName != "alice" || req.Time.IsZero() {
			t.Errorf("user name %q, time %v: want alice and the message time", req.UserName, req.Time)
		}
		got := f.waitRequests(t, 1, "POST", "/channels/"+channelA+"/messages")[0]
		if str(got.JSON["content"]) != "you said: how long should I wait?" {
			t.Errorf("content = %q", got.JSON["content"])
		}
		if jsonPath(got.JSON, "message_reference", "message_id") != msgID {
			t.Errorf("reply does not reference the question: %v", got.JSON["message_reference"])
		}
		if p, ok := jsonPath(got.JSON, "allowed_mentions", "parse").([]any); !ok || len(p) != 0 {
			t.Errorf("allowed_mentions = %v, want parse: [] so nobody is pinged", got.JSON["allowed_mentions"])
		}
	})

	t.Run("a DM gets a reply in the DM under the DM tenant", func(t *testing.T) {
		f.message("", dmChan, alice, "hello there", false)
		req := core.next(t)
		want := bot.UserRef{Platform: bot.PlatformDiscord, Tenant: DMTenant, ID: alice.ID}
		if req.User != want || !req.DM || req.Channel != dmChan || req.Text != "hello there" {
			t.Fatalf("request = %+v, want a DM from %v", req, want)
		}
		got := f.waitRequests(t, 1, "POST", "/channels/"+dmChan+"/messages")[0]
		if got.JSON["message_reference"] != nil {
			t.Errorf("a DM reply needs no reference: %v", got.JSON["message_reference"])
		}
	})

	t.Run("members with Manage Server and the owner are admins", func(t *testing.T) {
		f.message(guildA, channelA, bob, "<@!"+fakeBotID+"> stats", true, modRole)
		if req := core.next(t); !req.Admin || req.Text != "stats" {
			t.Errorf("a member with a Manage Server role: request %+v, want admin with text %q", req, "stats")
		}
		f.message(guildB, channelB, fakeUser{ID: ownerID, Name: "owner"}, "<@"+fakeBotID+"> stats", true)
		if req := core.next(t); !req.Admin {
			t.Errorf("the guild owner is not an admin")
		}
	})

	t.Run("the same user in two guilds is two users", func(t *testing.T) {
		f.message(guildA, channelA, bob, "<@"+fakeBotID+"> hi", true)
		first := core.next(t)
		f.message(guildB, channelB, bob, "<@"+fakeBotID+"> hi", true)
		second := core.next(t)
		if first.User == second.User || first.User.ID != second.User.ID || first.User.Tenant != guildA || second.User.Tenant != guildB {
			t.Errorf("users %v and %v: want the same id under two tenants", first.User, second.User)
		}
	})

	t.Run("a private answer to a mention goes by DM with a note in the channel", func(t *testing.T) {
		core.setReply(func(bot.Request) bot.Reply {
			return bot.Reply{Title: "Your history", Text: "3 questions", Ephemeral: true}
		})
		defer core.setReply(nil)
		f.message(guildA, channelA, bob, "<@"+fakeBotID+"> history", true)
		core.next(t)
		f.wait(t, "the note in the channel", func() bool {
			for _, r := range f.requestsToLocked("POST", "/channels/"+channelA+"/messages") {
				if str(r.JSON["content"]) == sentDMNote {
					return jsonPath(r.JSON, "message_reference", "channel_id") == channelA
				}
			}
			return false
		})
		open := f.requestsTo("POST", "/users/@me/channels")
		if len(open) == 0 || open[len(open)-1].JSON["recipient_id"] != bob.ID {
			t.Fatalf("no DM channel opened for bob: %v", open)
		}
		f.mu.Lock()
		dm := f.dmChannels[bob.ID]
		f.mu.Unlock()
		msgs := f.messagesIn(dm)
		if len(msgs) != 1 || jsonPath(msgs[0].JSON, "embeds", 0, "title") != "Your history" {
			t.Errorf("DM to bob = %v, want the private answer", msgs)
		}
	})
}

func TestMessageRequestIgnores(t *testing.T) {
	t.Parallel()
	s, _ := discordgo.New("Bot x")
	s.State.User = &discordgo.User{ID: fakeBotID}
	a := &Adapter{now: time.Now}
	human := &discordgo.User{ID: alice.ID, Username: "alice"}
	mention := []*discordgo.User{{ID: fakeBotID}}
	tests := []struct {
		name   string
		msg    discordgo.Message
		answer bool
		text   string
	}{
		{"a guild message that mentions the bot is answered", discordgo.Message{GuildID: guildA, ChannelID: channelA, Author: human, Content: "<@" + fakeBotID + "> hi", Mentions: mention}, true, "hi"},
		{"a bare mention is answered with empty text (the core greets)", discordgo.Message{GuildID: guildA, ChannelID: channelA, Author: human, Content: "<@" + fakeBotID + ">", Mentions: mention}, true, ""},
		{"a mention in the middle is stripped", discordgo.Message{GuildID: guildA, ChannelID: channelA, Author: human, Content: "check <@!" + fakeBotID + "> instagram 5k", Mentions: mention}, true, "check  instagram 5k"},
		{"a reply is answered like a message", discordgo.Message{Type: discordgo.MessageTypeReply, GuildID: guildA, ChannelID: channelA, Author: human, Content: "<@" + fakeBotID + "> more", Mentions: mention}, true, "more"},
		{"a guild message without a mention is ignored", discordgo.Message{GuildID: guildA, ChannelID: channelA, Author: human, Content: "hi all"}, false, ""},
		{"a mention of someone else is ignored", discordgo.Message{GuildID: guildA, ChannelID: channelA, Author: human, Content: "<@123> hi", Mentions: []*discordgo.User{{ID: "123"}}}, false, ""},
		{"another bot is ignored", discordgo.Message{ChannelID: dmChan, Author: &discordgo.User{ID: "5", Bot: true}, Content: "hi"}, false, ""},
		{"the bot itself is ignored", discordgo.Message{ChannelID: dmChan, Author: &discordgo.User{ID: fakeBotID}, Content: "hi"}, false, ""},
		{"a webhook is ignored", discordgo.Message{ChannelID: dmChan, Author: human, WebhookID: "77", Content: "hi"}, false, ""},
		{"a message without text is ignored", discordgo.Message{ChannelID: dmChan, Author: human, Content: "  "}, false, ""},
		{"a message without an author is ignored", discordgo.Message{ChannelID: dmChan, Content: "hi"}, false, ""},
		{"a system message is ignored", discordgo.Message{Type: discordgo.MessageTypeGuildMemberJoin, GuildID: guildA, ChannelID: channelA, Author: human, Content: "<@" + fakeBotID + ">", Mentions: mention}, false, ""},
		{"a DM is answered without a mention", discordgo.Message{ChannelID: dmChan, Author: human, Content: "why was I rejected?"}, true, "why was I rejected?"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, ok := a.messageRequest(s, &tc.msg)
			if ok != tc.answer {
				t.Fatalf("answered = %v, want %v", ok, tc.answer)
			}
			if ok && req.Text != tc.text {
				t.Errorf("text = %q, want %q", req.Text, tc.text)
			}
		})
	}
}

func TestSlashCommands(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t, fakeGuild{ID: guildA, OwnerID: ownerID})
	core := newFakeCore()
	startAdapter(t, f, core, deferAtOnce)

	t.Run("start registers one slash command per visible core command plus /influbot", func(t *testing.T) {
		puts := f.requestsTo("PUT", "/applications/"+fakeAppID+"/commands")
		if len(puts) != 1 || puts[0].Status != 200 {
			t.Fatalf("bulk overwrites = %v, want one accepted", puts)
		}
		var names []string
		for _, c := range puts[0].List {
			names = append(names, str(jsonPath(c, "name")))
		}
		if got := strings.Join(names, ","); got != "influbot,help,ask,check,export,Ask influbot" {
			t.Errorf("registered %s, want influbot,help,ask,check,export (hidden commands left out), then the message command Ask influbot", got)
		}
	})

	t.Run("a slash command is acknowledged before the core runs, then answered with an embed", func(t *testing.T) {
		var acked bool
		core.setBefore(func(bot.Request) {
			f.mu.Lock()
			defer f.mu.Unlock()
			acked = len(f.interactions) > 0
			for _, in := range f.interactions {
				acked = acked && in.AckType != 0
			}
		})
		defer core.setBefore(nil)
		core.setReply(func(req bot.Request) bot.Reply {
			return bot.Reply{Title: "Eligibility", Text: "**Likely eligible.**", Tone: bot.ToneSuccess,
				Fields:  []bot.Field{{Name: "Followers", Value: "5,000", Inline: true}},
				Buttons: []bot.Button{{ActionID: "check:plan", Label: "Make a plan", Value: "instagram", Style: bot.ButtonPrimary}}}
		})
		defer core.setReply(nil)
		id, _ := f.slash(guildA, channelA, alice, discordgo.PermissionManageGuild, "check", map[string]any{"platform": "instagram", "followers": float64(5000)})
		req := core.next(t)
		if !acked {
			t.Errorf("the core ran before the interaction was acknowledged")
		}
		if req.Command != "check" || req.Options["platform"] != "instagram" || req.Options["followers"] != "5000" || !req.Admin || req.DM {
			t.Errorf("request = %+v, want check with platform and followers (no exponent), admin from permissions", req)
		}
		in := f.waitAnswered(t, id)
		if in.AckType != 5 || in.AckFlags&64 != 0 {
			t.Errorf("ack type %d flags %d: want a public deferral (5, no ephemeral flag)", in.AckType, in.AckFlags)
		}
		if jsonPath(in.Original, "embeds", 0, "title") != "Eligibility" || jsonPath(in.Original, "embeds", 0, "color") != float64(0x57F287) {
			t.Errorf("answer embed = %v", jsonPath(in.Original, "embeds", 0))
		}
		if jsonPath(in.Original, "embeds", 0, "fields", 0, "value") != "5,000" {
			t.Errorf("fields = %v", jsonPath(in.Original, "embeds", 0, "fields"))
		}
		btn := jsonPath(in.Original, "components", 0, "components", 0)
		if jsonPath(btn, "custom_id") != "check:plan|instagram" || jsonPath(btn, "style") != float64(1) || jsonPath(btn, "label") != "Make a plan" {
			t.Errorf("button = %v", btn)
		}
	})

	t.Run("a private command is deferred ephemerally", func(t *testing.T) {
		id, _ := f.slash(guildA, channelA, alice, 0, "help", nil)
		if req := core.next(t); req.Command != "help" {
			t.Errorf("request %+v, want help", req)
		}
		if in := f.waitAnswered(t, id); in.AckFlags&64 == 0 {
			t.Errorf("help was deferred publicly (flags %d)", in.AckFlags)
		}
		id, _ = f.slash(guildA, channelA, alice, 0, "influbot", map[string]any{"text": "commands"})
		if req := core.next(t); req.Text != "commands" || req.Command != "" {
			t.Errorf("request %+v, want the free text", req)
		}
		if in := f.waitAnswered(t, id); in.AckFlags&64 == 0 {
			t.Errorf("/influbot text:commands (an alias of help) was deferred publicly")
		}
	})

	t.Run("an error to a public deferral replaces it with a private follow-up", func(t *testing.T) {
		core.setReply(func(bot.Request) bot.Reply {
			return bot.Reply{Text: "That number looks wrong.", Tone: bot.ToneError, Ephemeral: true}
		})
		defer core.setReply(nil)
		id, _ := f.slash(guildA, channelA, alice, 0, "check", map[string]any{"platform": "instagram", "followers": float64(-5)})
		core.next(t)
		in := f.waitAnswered(t, id)
		if !in.Deleted || len(in.Followups) != 1 || jsonPath(in.Followups[0], "flags") != float64(64) {
			t.Errorf("deleted %v, follow-ups %v: want the placeholder deleted and one ephemeral follow-up", in.Deleted, in.Followups)
		}
	})

	t.Run("an export is attached as a file", func(t *testing.T) {
		core.setReply(func(bot.Request) bot.Reply {
			return bot.Reply{Text: "Here is your data.", Ephemeral: true, File: &bot.File{Name: "influbot-export.json", ContentType: "application/json", Data: []byte(`{"events":[]}`)}}
		})
		defer core.setReply(nil)
		id, _ := f.slash("", dmChan, alice, 0, "export", nil)
		if req := core.next(t); req.User.Tenant != DMTenant || !req.DM {
			t.Errorf("request %+v: want a DM", req)
		}
		f.waitAnswered(t, id)
		patches := f.requestsTo("PATCH", "/webhooks/"+fakeAppID+"/token-"+id+"/messages/@original")
		last := patches[len(patches)-1]
		if len(last.Files) != 1 || last.Files[0].Name != "influbot-export.json" || string(last.Files[0].Data) != `{"events":[]}` {
			t.Errorf("files = %+v, want the export", last.Files)
		}
	})

	t.Run("a command Discord still has but the bot no longer knows gets a private note", func(t *testing.T) {
		id, _ := f.slash(guildA, channelA, alice, 0, "retired", nil)
		in := f.waitAnswered(t, id)
		if in.AckType != 4 || in.AckFlags != 64 || str(in.Original["content"]) != unknownCommand {
			t.Errorf("ack %d flags %d content %v", in.AckType, in.AckFlags, in.Original["content"])
		}
	})
}

func TestButtons(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t, fakeGuild{ID: guildA, OwnerID: ownerID})
	core := newFakeCore()
	startAdapter(t, f, core, deferAtOnce)

	t.Run("a button press becomes an action", func(t *testing.T) {
		id, _ := f.press(guildA, channelA, alice, "ask:topic|reapply-tips", false)
		req := core.next(t)
		if req.Action == nil || *req.Action != (bot.Action{ID: "ask:topic", Value: "reapply-tips"}) {
			t.Fatalf("action = %+v", req.Action)
		}
		if req.User.Tenant != guildA || req.Command != "" || req.Text != "" {
			t.Errorf("request = %+v", req)
		}
		if in := f.waitAnswered(t, id); in.AckType != 5 || in.AckFlags != 0 {
			t.Errorf("ack %d flags %d: want a public deferral for a button on a public message", in.AckType, in.AckFlags)
		}
	})

	t.Run("a button on a private message answers privately", func(t *testing.T) {
		id, _ := f.press(guildA, channelA, alice, "ask:topic|x", true)
		core.next(t)
		if in := f.waitAnswered(t, id); in.AckFlags != 64 {
			t.Errorf("flags %d, want ephemeral", in.AckFlags)
		}
	})

	t.Run("a button whose value is too long for a custom_id still works", func(t *testing.T) {
		long := strings.Repeat("v", 150)
		core.setReply(func(req bot.Request) bot.Reply {
			return bot.Reply{Text: "pick", Buttons: []bot.Button{{ActionID: "plan:choose", Label: "This one", Value: long}}}
		})
		f.message("", dmChan, alice, "plan", false)
		core.next(t)
		sent := f.waitRequests(t, 1, "POST", "/channels/"+dmChan+"/messages")
		core.setReply(nil)
		customID := str(jsonPath(sent[len(sent)-1].JSON, "components", 0, "components", 0, "custom_id"))
		if len(customID) > maxCustomID || customID == "" {
			t.Fatalf("custom_id %q", customID)
		}
		f.press("", dmChan, alice, customID, false)
		if req := core.next(t); req.Action == nil || req.Action.ID != "plan:choose" || req.Action.Value != long {
			t.Errorf("action = %+v", req.Action)
		}
	})

	t.Run("a long button the adapter forgot says it expired", func(t *testing.T) {
		id, _ := f.press(guildA, channelA, alice, "#forgotten0000000000000000", false)
		in := f.waitAnswered(t, id)
		if in.AckType != 4 || in.AckFlags != 64 || str(in.Original["content"]) != expiredButton {
			t.Errorf("ack %d flags %d content %v", in.AckType, in.AckFlags, in.Original["content"])
		}
	})
}

func TestRateLimitedReplyIsRetried(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	core := newFakeCore()
	startAdapter(t, f, core)
	path := "/channels/" + dmChan + "/messages"
	f.fail(fault{Method: "POST", Path: path, Status: 429,
		Header: map[string]string{"Retry-After": "1", "X-RateLimit-Limit": "5", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset-After": "0.05", "X-RateLimit-Bucket": "abc"},
		Body:   `{"message":"You are being rate limited.","retry_after":0.05,"global":false}`})
	f.message("", dmChan, alice, "hi", false)
	core.next(t)
	f.waitRequests(t, 1, "POST", path)
	all := f.requestsTo("POST", path)
	if len(all) != 2 || all[0].Status != 429 || all[1].Status != 200 {
		t.Fatalf("attempts = %v, want a 429 then a delivered reply", all)
	}
	if str(all[1].JSON["content"]) != "you said: hi" {
		t.Errorf("retried content = %q", all[1].JSON["content"])
	}
}

func TestGatewayResilience(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t, fakeGuild{ID: guildA, OwnerID: ownerID})
	core := newFakeCore()
	startAdapter(t, f, core)
	f.waitSessions(t, 1, 0)
	answered := 0
	ask := func(t *testing.T, text string) {
		t.Helper()
		f.message("", dmChan, alice, text, false)
		if req := core.next(t); req.Text != text {
			t.Fatalf("core got %q, want %q", req.Text, text)
		}
		answered++
		f.waitRequests(t, answered, "POST", "/channels/"+dmChan+"/messages")
	}
	ask(t, "before")

	t.Run("heartbeats are sent and carry the last sequence number", func(t *testing.T) {
		f.wait(t, "two heartbeats", func() bool { return len(f.heartbeats) >= 2 })
		f.mu.Lock()
		last := f.heartbeats[len(f.heartbeats)-1]
		f.mu.Unlock()
		if last < 1 {
			t.Errorf("heartbeat sequence %d, want the last dispatch's", last)
		}
	})

	t.Run("after op 7 RECONNECT it resumes and keeps answering", func(t *testing.T) {
		f.reconnect()
		f.waitSessions(t, 1, 1)
		f.mu.Lock()
		r := f.resumes[0]
		f.mu.Unlock()
		if r["session_id"] != "session-1" || r["seq"].(int64) < 1 {
			t.Errorf("resume = %v, want session-1 with its sequence", r)
		}
		ask(t, "after reconnect")
	})

	t.Run("after the TCP connection drops it resumes and gets the events it missed", func(t *testing.T) {
		f.dropConnection()
		f.wait(t, "the drop to be noticed", func() bool { return f.conn == nil || f.connections > 2 })
		// Sent while the bot is away: replayed on resume.
		f.message("", dmChan, alice, "while away", false)
		if req := core.next(t); req.Text != "while away" {
			t.Fatalf("core got %q", req.Text)
		}
		answered++
		f.waitRequests(t, answered, "POST", "/channels/"+dmChan+"/messages")
		f.waitSessions(t, 1, 2)
		ask(t, "after drop")
	})

	t.Run("after op 9 INVALID_SESSION it identifies again and keeps answering", func(t *testing.T) {
		// Op 9 goes to the connection open now; should that connection be
		// replaced before the bot reads it (a loaded machine can miss
		// heartbeat ACKs and reconnect), send it again on the new one.
		identified := func() bool { return len(f.identifies) >= 2 }
		for try := 0; ; try++ {
			f.invalidSession()
			if f.waitFor(3*time.Second, identified) {
				break
			}
			if try == 4 {
				t.Fatalf("no identify after op 9; requests so far:\n%s", f.describe())
			}
		}
		f.waitSessions(t, 2, 2)
		// A fresh session replays nothing, so a message written to a
		// connection that discordgo then replaces is lost, as it would be
		// on Discord. discordgo v0.29 can replace a healthy connection: a
		// heartbeat that was blocked while an op 7 close held the session
		// lock fails on the old socket and closes the new one. Against the
		// fake's 1 s heartbeat that race is likely; against Discord's 41 s
		// it is rare and heals by itself. So write again when, and only
		// when, the connection changed under the message.
		const text = "after invalid session"
		for try := 0; ; try++ {
			f.mu.Lock()
			conns := f.connections
			f.mu.Unlock()
			f.message("", dmChan, alice, text, false)
			req, ok := core.within(3 * time.Second)
			if ok {
				if req.Text != text {
					t.Fatalf("core got %q, want %q", req.Text, text)
				}
				break
			}
			f.mu.Lock()
			replaced := f.connections != conns
			f.mu.Unlock()
			if !replaced {
				// Only slow: wait the full limit for it.
				if req := core.next(t); req.Text != text {
					t.Fatalf("core got %q, want %q", req.Text, text)
				}
				break
			}
			if try == 4 {
				t.Fatalf("the connection was replaced under the message five times; requests so far:\n%s", f.describe())
			}
			f.waitSessions(t, 2, 0)
		}
		answered++
		f.waitRequests(t, answered, "POST", "/channels/"+dmChan+"/messages")
	})
}

func TestMalformedPayloadsDoNotCrash(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t, fakeGuild{ID: guildA, OwnerID: ownerID})
	core := newFakeCore()
	_, logs := startAdapter(t, f, core)
	f.waitSessions(t, 1, 0)
	frames := []string{
		`not json at all`,
		`{"op":0,"s":90,"t":"MESSAGE_CREATE","d":null}`,
		`{"op":0,"s":91,"t":"MESSAGE_CREATE","d":{"author":"nobody","content":5}}`,
		`{"op":0,"s":92,"t":"MESSAGE_CREATE","d":{"channel_id":"1","content":"hi"}}`,
		`{"op":0,"s":93,"t":"INTERACTION_CREATE","d":null}`,
		`{"op":0,"s":94,"t":"INTERACTION_CREATE","d":{"id":"1","token":"t","type":2,"data":"oops"}}`,
		`{"op":0,"s":95,"t":"INTERACTION_CREATE","d":{"id":"2","token":"t","type":3,"data":{"custom_id":7}}}`,
		`{"op":0,"s":96,"t":"INTERACTION_CREATE","d":{"id":"3","token":"t","type":2,"data":{"name":"help"}}}`,
		`{"op":0,"s":97,"t":"NO_SUCH_EVENT","d":{}}`,
		`{"op":42,"d":"unknown op"}`,
		`{"op":0,"s":98,"t":"MESSAGE_CREATE","d":{"id":"5","channel_id":"` + dmChan + `","author":{"id":"` + alice.ID + `"},"content":"` + strings.Repeat("x", 50000) + `"}}`,
	}
	for _, fr := range frames {
		f.sendRaw(fr)
	}
	// The over-long message reaches the core, which refuses it politely.
	if req := core.next(t); len(req.Text) != 50000 {
		t.Fatalf("core got %d characters, want the long message", len(req.Text))
	}
	f.message("", dmChan, alice, "still there?", false)
	if req := core.next(t); req.Text != "still there?" {
		t.Fatalf("core got %q", req.Text)
	}
	f.waitRequests(t, 2, "POST", "/channels/"+dmChan+"/messages")

	t.Run("a panic in the core is logged and the adapter keeps answering", func(t *testing.T) {
		core.setReply(func(bot.Request) bot.Reply { panic("boom") })
		f.message("", dmChan, alice, "explode", false)
		core.next(t)
		core.setReply(nil)
		f.wait(t, "the panic in the log", func() bool { return strings.Contains(logs.String(), "panic") })
		f.message("", dmChan, alice, "and now?", false)
		if req := core.next(t); req.Text != "and now?" {
			t.Fatalf("core got %q", req.Text)
		}
		f.waitRequests(t, 3, "POST", "/channels/"+dmChan+"/messages")
	})
}

func TestNotify(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	core := newFakeCore()
	a, _ := startAdapter(t, f, core)
	ctx := context.Background()
	user := func(u fakeUser) bot.UserRef {
		return bot.UserRef{Platform: bot.PlatformDiscord, Tenant: guildA, ID: u.ID}
	}

	t.Run("a nudge is a DM with the key as an enforced nonce", func(t *testing.T) {
		err := a.Notify(ctx, user(alice), bot.Reply{Title: "Today's task", Text: "Post one story."}, "nudge42")
		if err != nil {
			t.Fatal(err)
		}
		f.mu.Lock()
		ch := f.dmChannels[alice.ID]
		f.mu.Unlock()
		msgs := f.messagesIn(ch)
		if len(msgs) != 1 || msgs[0].JSON["nonce"] != "nudge42" || msgs[0].JSON["enforce_nonce"] != true {
			t.Fatalf("messages = %v, want one with nonce nudge42 and enforce_nonce", msgs)
		}
		if jsonPath(msgs[0].JSON, "embeds", 0, "title") != "Today's task" {
			t.Errorf("embed = %v", jsonPath(msgs[0].JSON, "embeds"))
		}
	})

	t.Run("a retried nudge reuses the DM channel and its nonce", func(t *testing.T) {
		if err := a.Notify(ctx, user(alice), bot.Reply{Text: "again"}, "nudge42"); err != nil {
			t.Fatal(err)
		}
		if n := len(f.requestsTo("POST", "/users/@me/channels")); n != 1 {
			t.Errorf("DM channel opened %d times, want once", n)
		}
		f.mu.Lock()
		ch := f.dmChannels[alice.ID]
		f.mu.Unlock()
		msgs := f.messagesIn(ch)
		if msgs[len(msgs)-1].JSON["nonce"] != "nudge42" {
			t.Errorf("nonce %v", msgs[len(msgs)-1].JSON["nonce"])
		}
	})

	tests := []struct {
		name        string
		setup       func(u fakeUser)
		unreachable bool
		limited     time.Duration
	}{
		{"closed DMs (50007) are unreachable", func(u fakeUser) {
			f.mu.Lock()
			f.closedDMs[u.ID] = true
			f.mu.Unlock()
		}, true, 0},
		{"an unknown user (10013) is unreachable", func(u fakeUser) {
			f.mu.Lock()
			f.unknownUsers[u.ID] = true
			f.mu.Unlock()
		}, true, 0},
		{"a 429 is a RateLimitedError with Retry-After", func(u fakeUser) {
			f.fail(fault{Method: "POST", Path: "/users/@me/channels", Status: 429,
				Header: map[string]string{"Retry-After": "7", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset-After": "0.01"},
				Body:   `{"message":"You are being rate limited.","retry_after":7.5,"global":false}`})
		}, false, 7500 * time.Millisecond},
		{"a server error is a plain error", func(u fakeUser) {
			f.fail(fault{Method: "POST", Path: "/users/@me/channels", Status: 500, Body: `{"message":"500: Internal Server Error","code":0}`})
		}, false, 0},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			u := fakeUser{ID: "31000000000000000" + string(rune('0'+i)), Name: "u"}
			tc.setup(u)
			err := a.Notify(ctx, user(u), bot.Reply{Text: "hi"}, "k1")
			if err == nil {
				t.Fatal("Notify succeeded")
			}
			if got := errors.Is(err, bot.ErrUnreachable); got != tc.unreachable {
				t.Errorf("errors.Is(%v, ErrUnreachable) = %v, want %v", err, got, tc.unreachable)
			}
			var rl *bot.RateLimitedError
			if got := errors.As(err, &rl); got != (tc.limited > 0) {
				t.Errorf("rate limited = %v for %v", got, err)
			} else if got && rl.RetryAfter != tc.limited {
				t.Errorf("RetryAfter = %v, want %v", rl.RetryAfter, tc.limited)
			}
			if strings.Contains(err.Error(), fakeToken) {
				t.Errorf("the error shows the token")
			}
		})
	}

	t.Run("a user of another platform is unreachable", func(t *testing.T) {
		err := a.Notify(ctx, bot.UserRef{Platform: bot.PlatformSlack, Tenant: "T1", ID: "U1"}, bot.Reply{Text: "hi"}, "k")
		if !errors.Is(err, bot.ErrUnreachable) {
			t.Errorf("err = %v", err)
		}
	})

	t.Run("a DM channel Discord no longer knows is opened again", func(t *testing.T) {
		carol := fakeUser{ID: "300000000000000003"}
		if err := a.Notify(ctx, user(carol), bot.Reply{Text: "one"}, "a1"); err != nil {
			t.Fatal(err)
		}
		f.mu.Lock()
		old := f.dmChannels[carol.ID]
		f.mu.Unlock()
		f.fail(fault{Method: "POST", Path: "/channels/" + old + "/messages", Status: 404, Body: `{"message":"Unknown Channel","code":10003}`})
		if err := a.Notify(ctx, user(carol), bot.Reply{Text: "two"}, "a2"); err != nil {
			t.Fatal(err)
		}
		if n := len(f.requestsTo("POST", "/users/@me/channels")); n < 2 {
			t.Errorf("DM channel was not reopened")
		}
	})
}

func TestStartErrors(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	tests := []struct {
		name  string
		a     *Adapter
		wants string
	}{
		{"no token", &Adapter{Bot: newFakeCore()}, "DISCORD_TOKEN"},
		{"a rejected token", &Adapter{Token: "wrong.token", Bot: newFakeCore()}, "rejected the token"},
		{"an application id that is not an id", &Adapter{Token: fakeToken, ApplicationID: "my-app", Bot: newFakeCore()}, "not a Discord id"},
		{"a guild id that is not an id", &Adapter{Token: fakeToken, GuildID: "12ab", Bot: newFakeCore()}, "not a Discord id"},
		{"no bot", &Adapter{Token: fakeToken}, "Bot is required"},
		{"the wrong application id", &Adapter{Token: fakeToken, ApplicationID: "123", Bot: newFakeCore()}, "register slash commands"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := tc.a
			a.HTTPClient = f.client()
			err := a.Start(context.Background())
			if err == nil {
				a.Close()
				t.Fatal("Start succeeded")
			}
			if !strings.Contains(err.Error(), tc.wants) {
				t.Errorf("err = %v, want it to mention %q", err, tc.wants)
			}
			if strings.Contains(err.Error(), "wrong.token") || strings.Contains(err.Error(), fakeToken) {
				t.Errorf("the error shows the token: %v", err)
			}
		})
	}
}

func TestGuildCommandsForDevelopment(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	startAdapter(t, f, newFakeCore(), func(a *Adapter) { a.GuildID = guildA; a.ApplicationID = fakeAppID })
	if puts := f.requestsTo("PUT", "/applications/"+fakeAppID+"/guilds/"+guildA+"/commands"); len(puts) != 1 || puts[0].Status != 200 {
		t.Errorf("guild bulk overwrites = %v", puts)
	}
	if n := len(f.requestsTo("GET", "/oauth2/applications/@me")); n != 0 {
		t.Errorf("looked the application up %d times although its id was given", n)
	}
}

func TestWithTheRealCore(t *testing.T) {
	t.Parallel()
	kb, err := knowledge.LoadDir("")
	if err != nil {
		t.Fatal(err)
	}
	b, err := bot.New(bot.Config{Knowledge: kb})
	if err != nil {
		t.Fatal(err)
	}
	f := newFakeDiscord(t, fakeGuild{ID: guildA, OwnerID: ownerID})
	startAdapter(t, f, b)

	puts := f.requestsTo("PUT", "/applications/"+fakeAppID+"/commands")
	if len(puts) != 1 || puts[0].Status != http.StatusOK {
		t.Fatalf("Discord refused the real core's commands: %v", f.describe())
	}

	id, _ := f.slash(guildA, channelA, alice, 0, "ask", map[string]any{"question": "how long should I wait before reapplying?"})
	in := f.waitAnswered(t, id)
	title := str(jsonPath(in.Original, "embeds", 0, "title"))
	desc := str(jsonPath(in.Original, "embeds", 0, "description"))
	if title == "" || desc == "" || strings.Contains(desc, "something went wrong") {
		t.Fatalf("answer = %v, want an FAQ entry as an embed", in.Original)
	}
	customID := str(jsonPath(in.Original, "components", 0, "components", 0, "custom_id"))
	if !strings.HasPrefix(customID, "ask:topic|") {
		t.Fatalf("no related-topic button: %v", in.Original["components"])
	}
	id, _ = f.press(guildA, channelA, alice, customID, false)
	in = f.waitAnswered(t, id)
	if t2 := str(jsonPath(in.Original, "embeds", 0, "title")); t2 == "" || t2 == title {
		t.Errorf("pressing the related topic answered %q, want another entry than %q", t2, title)
	}

	f.message(guildA, channelA, bob, "<@"+fakeBotID+"> help", true)
	f.wait(t, "help by DM", func() bool {
		ch, ok := f.dmChannels[bob.ID]
		return ok && len(f.requestsToLocked("POST", "/channels/"+ch+"/messages")) == 1
	})
}

func TestPrivacyComesFromTheCommandRecord(t *testing.T) {
	t.Parallel()
	// Discord shows "alice used /unanswered… thinking…" to the whole
	// channel when the deferral is public: the privacy of the answer must
	// be known before the acknowledgement, from the core's command record.
	kb, err := knowledge.LoadDir("")
	if err != nil {
		t.Fatal(err)
	}
	b, err := bot.New(bot.Config{Knowledge: kb})
	if err != nil {
		t.Fatal(err)
	}
	f := newFakeDiscord(t, fakeGuild{ID: guildA, OwnerID: ownerID})
	startAdapter(t, f, b)
	tests := []struct {
		name    string
		command string
		options map[string]any
		private bool
	}{
		{"the unanswered list is acknowledged privately", "unanswered", nil, true},
		{"admin commands are acknowledged privately", "admin", nil, true},
		{"history is acknowledged privately", "history", nil, true},
		{"unanswered typed into /influbot is acknowledged privately", "influbot", map[string]any{"text": "unanswered"}, true},
		{"a question is acknowledged publicly", "ask", map[string]any{"question": "how do I apply?"}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id, _ := f.slash(guildA, channelA, alice, discordgo.PermissionManageGuild, tc.command, tc.options)
			in := f.waitAnswered(t, id)
			if got := in.AckFlags&64 != 0; got != tc.private {
				t.Errorf("/%s acknowledged with flags %d: private = %v, want %v", tc.command, in.AckFlags, got, tc.private)
			}
		})
	}
}

func TestInteractionTokensStayOutOfTheLog(t *testing.T) {
	t.Parallel()
	// A network error quotes the request's URL, and an interaction's URLs
	// hold its token, which lets anyone answer in the bot's place for 15
	// minutes: it is a secret like the bot token.
	f := newFakeDiscord(t, fakeGuild{ID: guildA, OwnerID: ownerID})
	core := newFakeCore()
	_, logs := startAdapter(t, f, core, deferAtOnce)
	for _, tc := range []struct {
		name, logLine string
		fault         fault
		wantCore      bool
	}{
		{"a lost acknowledgement is logged without the token", "acknowledge interaction failed",
			fault{Method: "POST", Path: "/interactions/*", Drop: true}, false},
		{"a lost answer is logged without the token", "answer interaction failed",
			fault{Method: "PATCH", Path: "/webhooks/" + fakeAppID + "/*", Drop: true}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f.fail(tc.fault)
			_, token := f.slash(guildA, channelA, alice, 0, "ask", map[string]any{"question": "why?"})
			if tc.wantCore {
				core.next(t)
			}
			f.wait(t, "the failure in the log", func() bool { return strings.Contains(logs.String(), tc.logLine) })
			if strings.Contains(logs.String(), token) {
				t.Errorf("the interaction token is in the log:\n%s", logs)
			}
			for _, line := range strings.Split(logs.String(), "\n") {
				if strings.Contains(line, tc.logLine) && !strings.Contains(line, "[interaction token]") {
					t.Errorf("the log line does not show where the token was cut: %s", line)
				}
			}
		})
	}
}

func TestInteractionsLeaveNoRateLimitBucketsBehind(t *testing.T) {
	t.Parallel()
	// discordgo keys a rate-limit bucket by URL and never forgets one; an
	// interaction's URLs hold its token, so a bucket per interaction would
	// grow the bot's memory for as long as it runs.
	f := newFakeDiscord(t, fakeGuild{ID: guildA, OwnerID: ownerID})
	core := newFakeCore()
	core.setReply(func(bot.Request) bot.Reply {
		// An edit of the placeholder and a follow-up, both with files.
		return bot.Reply{Text: strings.Repeat("long answer ", 700), File: &bot.File{Name: "a.txt", Data: []byte("x")}}
	})
	a, _ := startAdapter(t, f, core)
	buckets := func() int {
		return reflect.ValueOf(a.session.Ratelimiter).Elem().FieldByName("buckets").Len()
	}
	before := buckets()
	for range 20 {
		id, _ := f.slash(guildA, channelA, alice, 0, "ask", map[string]any{"question": "why?"})
		core.next(t)
		f.wait(t, "a follow-up", func() bool { return len(f.interactions[id].Followups) > 0 })
	}
	if after := buckets(); after > before+2 {
		t.Errorf("rate-limit buckets grew from %d to %d over 20 interactions", before, after)
	}
}

func TestAnswersOutliveTheReplyTimeout(t *testing.T) {
	t.Parallel()
	// The answer is sent under a deadline of its own: work that took
	// longer than ReplyTimeout still gets its answer out, and a request
	// that found every slot taken is told the truth, that the bot is busy.
	f := newFakeDiscord(t, fakeGuild{ID: guildA, OwnerID: ownerID})
	core := newFakeCore()
	release := make(chan struct{})
	core.setReply(func(req bot.Request) bot.Reply {
		if req.Text == "hold" {
			<-release
		}
		time.Sleep(300 * time.Millisecond) // longer than the reply timeout
		return bot.Reply{Text: "slow answer to " + req.Text}
	})
	startAdapter(t, f, core, deferAtOnce, func(a *Adapter) {
		a.ReplyTimeout = 100 * time.Millisecond
		a.MaxConcurrent = 1
	})
	defer func() {
		select {
		case <-release:
		default:
			close(release)
		}
	}()

	t.Run("a slow core's answer to a slash command still replaces the placeholder", func(t *testing.T) {
		id, _ := f.slash(guildA, channelA, alice, 0, "influbot", map[string]any{"text": "slow"})
		in := f.waitAnswered(t, id)
		if got := str(in.Original["content"]); got != "slow answer to slow" {
			t.Errorf("answer = %q, want the slow answer", got)
		}
	})

	t.Run("a slow core's answer to a direct message still arrives", func(t *testing.T) {
		f.message("", dmChan, bob, "slow dm", false)
		msgs := f.waitRequests(t, 1, "POST", "/channels/"+dmChan+"/messages")
		if got := str(msgs[0].JSON["content"]); got != "slow answer to slow dm" {
			t.Errorf("answer = %q, want the slow answer", got)
		}
	})

	t.Run("with every slot taken the user is told the bot is busy, and the note arrives", func(t *testing.T) {
		hold, _ := f.slash(guildA, channelA, alice, 0, "influbot", map[string]any{"text": "hold"})
		for core.next(t).Text != "hold" { // the only slot is now taken
		}
		id, _ := f.slash(guildA, channelA, bob, 0, "influbot", map[string]any{"text": "second"})
		in := f.waitAnswered(t, id)
		var got string
		if len(in.Followups) > 0 {
			got = str(jsonPath(in.Followups[0], "embeds", 0, "description"))
		}
		if got != busyText || !in.Deleted || jsonPath(in.Followups[0], "flags") != float64(64) {
			t.Errorf("deleted %v, follow-ups %v: want the public placeholder replaced by a private %q", in.Deleted, in.Followups, busyText)
		}
		if strings.Contains(got, "restarting") {
			t.Errorf("an overload was called a restart: %q", got)
		}
		close(release)
		f.waitAnswered(t, hold)
	})
}

func TestADuplicatedMessageIsAnsweredOnce(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t, fakeGuild{ID: guildA, OwnerID: ownerID})
	core := newFakeCore()
	startAdapter(t, f, core)
	for _, tc := range []struct {
		name, guild, channel string
	}{
		{"a direct message dispatched twice gets one reply", "", dmChan},
		{"a mention dispatched twice gets one reply", guildA, channelA},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := f.messageEvent(tc.guild, tc.channel, alice, "<@"+fakeBotID+"> hello "+tc.name, true)
			f.dispatch("MESSAGE_CREATE", m)
			f.dispatch("MESSAGE_CREATE", m)
			f.waitRequests(t, 1, "POST", "/channels/"+tc.channel+"/messages")
			// Then a fresh message: once its reply is there, a second reply
			// to the duplicate would have been sent before it.
			f.message(tc.guild, tc.channel, alice, "<@"+fakeBotID+"> marker", true)
			f.waitRequests(t, 2, "POST", "/channels/"+tc.channel+"/messages")
			time.Sleep(100 * time.Millisecond)
			if n := len(f.messagesIn(tc.channel)); n != 2 {
				t.Errorf("%d replies, want 2 (one to the duplicated message, one to the next)", n)
			}
		})
	}
}

func TestRemovedFromAServerCancelsItsNudges(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "influbot.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f := newFakeDiscord(t, fakeGuild{ID: guildA, OwnerID: ownerID}, fakeGuild{ID: guildB, OwnerID: ownerID})
	startAdapter(t, f, newFakeCore(), func(a *Adapter) { a.Nudges = db })
	due := time.Now().Add(time.Hour)
	users := map[string]bot.UserRef{}
	for i, g := range []string{guildA, guildB} {
		u := bot.UserRef{Platform: bot.PlatformDiscord, Tenant: g, ID: alice.ID}
		users[g] = u
		n := bot.Nudge{User: u, Kind: bot.NudgeTask, TaskID: "post-a-video", Slot: due, Due: due, Key: fmt.Sprintf("key%d", i)}
		if ok, err := db.Enqueue(ctx, n); err != nil || !ok {
			t.Fatalf("enqueue: %v %v", ok, err)
		}
	}
	status := func(g string) bot.Nudge {
		list, err := db.ListNudges(ctx, bot.NudgeFilter{User: users[g]})
		if err != nil || len(list) != 1 {
			t.Fatalf("list: %v %v", list, err)
		}
		return list[0]
	}

	t.Run("an outage (unavailable) keeps the server's nudges", func(t *testing.T) {
		f.dispatch("GUILD_DELETE", map[string]any{"id": guildB, "unavailable": true})
		f.message("", dmChan, alice, "marker", false) // handled after the event
		f.waitRequests(t, 1, "POST", "/channels/"+dmChan+"/messages")
		time.Sleep(50 * time.Millisecond)
		if n := status(guildB); n.Status != bot.NudgePending {
			t.Errorf("status %s after an outage, want pending", n.Status)
		}
	})
	t.Run("removal cancels the server's pending nudges and says why", func(t *testing.T) {
		f.dispatch("GUILD_DELETE", map[string]any{"id": guildA})
		deadline := time.Now().Add(waitLimit)
		for status(guildA).Status != bot.NudgeCanceled && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if n := status(guildA); n.Status != bot.NudgeCanceled || !strings.Contains(n.LastError, "removed from this Discord server") {
			t.Errorf("status %s, last error %q: want canceled, saying the bot was removed", n.Status, n.LastError)
		}
		if n := status(guildB); n.Status != bot.NudgePending {
			t.Errorf("another server's nudge is %s", n.Status)
		}
	})
}

func TestAResumableInvalidSessionIsResumed(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t, fakeGuild{ID: guildA, OwnerID: ownerID})
	core := newFakeCore()
	startAdapter(t, f, core)
	f.waitSessions(t, 1, 0)
	f.mu.Lock()
	compress := f.identifies[0]["compress"]
	f.mu.Unlock()
	if compress != false {
		t.Errorf("identify asked for compress = %v; compressed payloads would hide op 9 from the adapter", compress)
	}
	f.message("", dmChan, alice, "before", false)
	core.next(t)
	f.waitRequests(t, 1, "POST", "/channels/"+dmChan+"/messages")

	f.invalidSessionResumable()
	// Sent while the bot reconnects: replayed when it resumes.
	f.message("", dmChan, alice, "meanwhile", false)
	if req := core.next(t); req.Text != "meanwhile" {
		t.Fatalf("core got %q, want the message sent meanwhile", req.Text)
	}
	f.waitRequests(t, 2, "POST", "/channels/"+dmChan+"/messages")
	f.mu.Lock()
	identifies, resumes := len(f.identifies), len(f.resumes)
	f.mu.Unlock()
	if identifies != 1 || resumes < 1 {
		t.Errorf("%d identifies and %d resumes after a resumable op 9, want 1 identify (the first) and a resume", identifies, resumes)
	}
	f.message("", dmChan, alice, "after", false)
	if req := core.next(t); req.Text != "after" {
		t.Fatalf("core got %q after the resume", req.Text)
	}
}

func TestRemovedWhileOfflineCancelsThatServersNudges(t *testing.T) {
	t.Parallel()
	// No GUILD_DELETE reaches a bot that was not connected: READY, which
	// lists every server the bot is in, tells instead.
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "influbot.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	due := time.Now().Add(time.Hour)
	tenants := []string{guildA, guildB, DMTenant}
	for i, tenant := range tenants {
		u := bot.UserRef{Platform: bot.PlatformDiscord, Tenant: tenant, ID: alice.ID}
		n := bot.Nudge{User: u, Kind: bot.NudgeTask, TaskID: "post-a-video", Slot: due, Due: due, Key: fmt.Sprintf("key%d", i)}
		if ok, err := db.Enqueue(ctx, n); err != nil || !ok {
			t.Fatalf("enqueue: %v %v", ok, err)
		}
	}
	f := newFakeDiscord(t, fakeGuild{ID: guildA, OwnerID: ownerID}) // no longer in guild B
	startAdapter(t, f, newFakeCore(), func(a *Adapter) { a.Nudges = db })
	status := func(tenant string) string {
		list, err := db.ListNudges(ctx, bot.NudgeFilter{User: bot.UserRef{Platform: bot.PlatformDiscord, Tenant: tenant}})
		if err != nil || len(list) != 1 {
			t.Fatalf("list: %v %v", list, err)
		}
		return list[0].Status
	}
	deadline := time.Now().Add(waitLimit)
	for status(guildB) != bot.NudgeCanceled && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	want := map[string]string{guildA: bot.NudgePending, guildB: bot.NudgeCanceled, DMTenant: bot.NudgePending}
	for _, tenant := range tenants {
		if got := status(tenant); got != want[tenant] {
			t.Errorf("the nudge in %s is %s, want %s", tenant, got, want[tenant])
		}
	}
}

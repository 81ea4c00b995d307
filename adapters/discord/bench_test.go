package discord

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/influbot/influbot/bot"
)

func BenchmarkRender(b *testing.B) {
	answer := bot.Reply{
		Title:  "How long should I wait before reapplying?",
		Text:   strings.Repeat("Amazon does not publish a waiting period; most creators reapply after **30 days** of steady posting. ", 8),
		Fields: []bot.Field{{Name: "Source", Value: "Community guidance"}},
		Buttons: []bot.Button{
			{ActionID: "ask:topic", Label: "Why was I rejected?", Value: "rejection-reasons"},
			{ActionID: "ask:topic", Label: "Reapply tips", Value: "reapply-tips"},
			{ActionID: "ask:topic", Label: "Engagement rate", Value: "engagement-rate"},
		},
	}
	long := bot.Reply{Title: "Everything", Text: strings.Repeat("A paragraph of advice about posting and engagement. ", 400)}
	for _, bc := range []struct {
		name  string
		reply bot.Reply
	}{{"faq-answer", answer}, {"21k-characters", long}} {
		b.Run(bc.name, func(b *testing.B) {
			enc := plainEncoder
			b.ReportAllocs()
			for b.Loop() {
				render(bc.reply, enc)
			}
		})
	}
}

func BenchmarkMessageRequest(b *testing.B) {
	s, _ := discordgo.New("Bot x")
	s.State.User = &discordgo.User{ID: fakeBotID}
	a := &Adapter{now: time.Now}
	m := &discordgo.Message{GuildID: guildA, ChannelID: channelA, Author: &discordgo.User{ID: alice.ID, Username: "alice"},
		Content: "<@" + fakeBotID + "> how long should I wait before reapplying?", Mentions: []*discordgo.User{{ID: fakeBotID}},
		Member: &discordgo.Member{Roles: []string{modRole}}}
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := a.messageRequest(s, m); !ok {
			b.Fatal("not answered")
		}
	}
}

// BenchmarkDMRoundTrip measures one DM from the fake gateway to the reply
// POSTed back, through the real discordgo session, one at a time.
func BenchmarkDMRoundTrip(b *testing.B) {
	f := newFakeDiscord(b)
	core := newFakeCore()
	core.got = make(chan bot.Request, 1<<20)
	startAdapter(b, f, core)
	f.waitSessions(b, 1, 0)
	f.mu.Lock()
	base := len(f.requests)
	f.mu.Unlock()
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		f.message("", dmChan, alice, "how long should I wait?", false)
		f.wait(b, "the reply", func() bool { return len(f.requests) >= base+i+1 })
	}
}

// BenchmarkDMBurst sends 200 DMs from 200 users at once and waits for all
// 200 replies: the adapter's throughput, which the gate holds to 40
// requests a second (Discord's global limit is 50), whatever the core's
// speed.
func BenchmarkDMBurst(b *testing.B) {
	const burst = 200
	f := newFakeDiscord(b)
	core := newFakeCore()
	core.got = make(chan bot.Request, 1<<20)
	startAdapter(b, f, core)
	f.waitSessions(b, 1, 0)
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		f.mu.Lock()
		base := len(f.requests)
		f.mu.Unlock()
		for u := range burst {
			f.message("", "20000000000000"+strconv.Itoa(1000+u), fakeUser{ID: "31000000000000" + strconv.Itoa(1000+u)}, "hi", false)
		}
		f.wait(b, "all replies", func() bool { return len(f.requests) >= base+burst })
	}
	b.ReportMetric(float64(burst*b.N)/time.Since(start).Seconds(), "msgs/s")
}

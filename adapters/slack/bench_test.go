package slack

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/influbot/influbot/bot"
)

// typicalReply is the size of a FAQ answer: a title, a few paragraphs with
// links and bullets, a source field and related-topic buttons.
var typicalReply = bot.Reply{
	Title: "How long should I wait before reapplying?",
	Text: strings.Repeat("Amazon does not publish a **waiting period**, but creators report that "+
		"[reapplying](https://affiliate-program.amazon.com/influencers) after _30 days_ works when something changed:\n\n"+
		"- post more *product-focused* content\n- grow engagement, not just followers\n\n", 4),
	Fields:  []bot.Field{{Name: "Source", Value: "Community reports, 2024"}},
	Buttons: []bot.Button{{ActionID: "ask:topic", Label: "Reapply tips", Value: "reapply-tips"}, {ActionID: "ask:topic", Label: "Why rejected", Value: "rejection-reasons"}, {ActionID: "ask:topic", Label: "Engagement", Value: "engagement-rate"}},
}

func BenchmarkRender(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if msgs := render(typicalReply); len(msgs) != 1 {
			b.Fatal(len(msgs))
		}
	}
}

func BenchmarkMrkdwn(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		mrkdwn(typicalReply.Text)
	}
}

// BenchmarkEventAck measures the synchronous part of an Events API
// request: reading, verifying the signature, parsing, deduplicating and
// handing the event to a background goroutine, up to the 200. The
// signature is computed in the loop as well (Slack's side, about 1 µs).
func BenchmarkEventAck(b *testing.B) {
	a := &Adapter{BotToken: testBotToken, SigningSecret: testSecret, Bot: instantCore{}, APIURL: "http://127.0.0.1:1/api/", Logger: slog.New(slog.DiscardHandler), MaxInFlight: 1 << 20}
	a.init()
	a.self.Store(&identity{UserID: botUser, TeamID: teamA})
	sign := signer{secret: testSecret, now: time.Now}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		body, _ := json.Marshal(eventCallback(teamA, fmt.Sprintf("Ev%d", i), appMention("U1", "C1", "<@"+botUser+"> why was I rejected?")))
		req := httptest.NewRequest(http.MethodPost, EventsPath, strings.NewReader(string(body)))
		sign.sign(req.Header, body)
		w := httptest.NewRecorder()
		a.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("status %d", w.Code)
		}
	}
	b.StopTimer()
	a.Wait(context.Background())
}

// instantCore answers nothing, so that only the adapter is measured.
type instantCore struct{}

func (instantCore) Private(bot.Request) bool { return false }

func (instantCore) Handle(context.Context, bot.Request) bot.Reply { return bot.Reply{} }
func (instantCore) Invoked(bot.Request) (*bot.Command, bool)      { return nil, false }

// BenchmarkEventToReply is the whole round trip under parallel load: a
// signed app_mention over HTTP to the adapter, the core's answer rendered
// as Block Kit and posted to a fake chat.postMessage, per operation.
func BenchmarkEventToReply(b *testing.B) {
	fs := newFakeSlack(b)
	fs.posts = make(chan post, 1<<16)
	core := newFakeCore()
	core.got = make(chan bot.Request, 1<<16)
	core.reply = func(bot.Request) bot.Reply { return typicalReply }
	a := &Adapter{BotToken: testBotToken, SigningSecret: testSecret, Bot: core, APIURL: fs.apiURL(), Logger: slog.New(slog.DiscardHandler), MaxInFlight: 1024}
	if err := a.Start(context.Background()); err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(a)
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	sign := signer{secret: testSecret, now: time.Now}
	var n atomic.Int64
	var delivered atomic.Int64
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for {
			select {
			case <-fs.posts:
				delivered.Add(1)
			case <-core.got:
			case <-stop:
				return
			}
		}
	}()
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			id := n.Add(1)
			body, _ := json.Marshal(eventCallback(teamA, fmt.Sprintf("Ev%d", id), directMessage("U1", "D1", "why was I rejected?")))
			req, _ := http.NewRequest(http.MethodPost, srv.URL+EventsPath, strings.NewReader(string(body)))
			sign.sign(req.Header, body)
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
	if err := a.Wait(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	if got, want := delivered.Load(), n.Load(); got != want {
		// Posts are counted asynchronously; give the counter a moment.
		deadline := time.Now().Add(5 * time.Second)
		for delivered.Load() != want && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if got = delivered.Load(); got != want {
			b.Errorf("%d replies delivered for %d events", got, want)
		}
	}
}

func TestServeShutsDownGracefully(t *testing.T) {
	fs := newFakeSlack(t)
	core := newFakeCore()
	core.release = make(chan struct{})
	a := &Adapter{BotToken: testBotToken, SigningSecret: testSecret, Bot: core, APIURL: fs.apiURL()}
	if err := a.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- a.Serve(ctx, ln) }()

	body, _ := json.Marshal(eventCallback(teamA, "EvG1", directMessage("U1", "D1", "hi")))
	req, _ := http.NewRequest(http.MethodPost, "http://"+ln.Addr().String()+EventsPath, strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	signer{secret: testSecret, now: time.Now}.sign(req.Header, body)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	core.nextRequest(t)

	cancel()
	if err := <-served; err != nil {
		t.Fatalf("serve: %v", err)
	}
	// The server is down, but the reply being worked on still goes out.
	close(core.release)
	wctx, wcancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer wcancel()
	if err := a.Wait(wctx); err != nil {
		t.Fatalf("wait: %v", err)
	}
	if p := fs.nextPost(t); p.Channel != "D1" {
		t.Errorf("reply in %q", p.Channel)
	}
	if _, err := http.DefaultClient.Do(req); err == nil {
		t.Error("the server still answers after shutdown")
	}
}

func TestStartRefusesAnIncompleteConfiguration(t *testing.T) {
	fs := newFakeSlack(t)
	for _, tc := range []struct {
		name string
		a    *Adapter
		want string
	}{
		{"without a core", &Adapter{BotToken: testBotToken, SigningSecret: testSecret, APIURL: fs.apiURL()}, "Bot is required"},
		{"without a bot token in Socket Mode", &Adapter{AppToken: "xapp-1", Bot: newFakeCore(), APIURL: fs.apiURL()}, "SLACK_BOT_TOKEN"},
		{"without a secret or an app token", &Adapter{BotToken: testBotToken, Bot: newFakeCore(), APIURL: fs.apiURL()}, "SLACK_SIGNING_SECRET"},
		{"with a token Slack refuses", &Adapter{BotToken: "xoxb-revoked", SigningSecret: testSecret, Bot: newFakeCore(), APIURL: fs.apiURL()}, "invalid_auth"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.a.Start(context.Background())
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err %v, want one mentioning %q", err, tc.want)
			}
			if err != nil && strings.Contains(err.Error(), "xoxb-revoked") {
				t.Errorf("the error shows the token: %v", err)
			}
		})
	}
}

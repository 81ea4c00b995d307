package slack

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/bot/bottest"
)

// BenchmarkViewSubmissionErrors is a signed view_submission with an
// invalid value answered with its errors, through ServeHTTP and the real
// core: what must fit in Slack's 3 seconds.
func BenchmarkViewSubmissionErrors(b *testing.B) {
	core := bottest.New(b, bot.Config{})
	a := &Adapter{BotToken: testBotToken, SigningSecret: testSecret, Bot: core.Bot, APIURL: "http://127.0.0.1:1/api/", Logger: slog.New(slog.DiscardHandler)}
	a.init()
	a.self.Store(&identity{UserID: botUser, TeamID: teamA})
	a.profiles.put(bot.UserRef{Platform: bot.PlatformSlack, Tenant: teamA, ID: "U1"}, profile{Name: "maya"}, time.Now())
	form := interaction(checkSubmission(teamA, "U1", map[string]string{"platform": "instagram", "followers": "lots"})).Encode()
	sign := signer{secret: testSecret, now: time.Now}
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, InteractivePath, strings.NewReader(form))
		req.Header.Set("Content-Type", formType)
		sign.sign(req.Header, []byte(form))
		w := httptest.NewRecorder()
		a.ServeHTTP(w, req)
		if !strings.Contains(w.Body.String(), `"response_action":"errors"`) {
			b.Fatalf("%d %s", w.Code, w.Body)
		}
	}
	b.StopTimer()
	a.Wait(context.Background())
}

// BenchmarkHome is App Home's content for a user with checks on two
// platforms and a plan, read from SQLite and laid out as a Home tab.
func BenchmarkHome(b *testing.B) {
	core := storedCoreB(b)
	u := bot.UserRef{Platform: bot.PlatformSlack, Tenant: teamA, ID: "U1"}
	me := core.As(u)
	for _, line := range []string{"check instagram 4200 followers 150 likes 12 comments 3 posts a week", "check tiktok 9000 followers 300 likes 20 comments daily", "check instagram 4600 followers 170 likes 14 comments 3 posts a week", "plan"} {
		me.Say(line)
	}
	me.Press(bot.Button{ActionID: "plan:accept", Value: "all"})
	me.Say("remind daily at 18:00 Europe/Berlin")
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		h, err := core.Home(ctx, u)
		if err != nil || len(h.Tasks) == 0 {
			b.Fatal(err, len(h.Tasks))
		}
		v := homeView(h)
		if _, err := json.Marshal(v); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSealerOpen(b *testing.B) {
	s := newTestSealer(b)
	sealed, _ := s.Seal("xoxb-0000-1111-abcdefabcdefabcdef", teamA)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := s.Open(sealed, teamA); err != nil {
			b.Fatal(err)
		}
	}
}

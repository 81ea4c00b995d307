package slack

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// slashLoad is the load tool's mix in small: four FAQ questions in the
// creators' words to one eligibility check.
var slashLoad = []string{
	"how many followers do I need to join the influencer program",
	"why was I rejected from the amazon influencer program?",
	"can I reapply after getting rejected",
	"how do I disclose affiliate links on instagram",
	"check instagram 4.2k followers 150 likes 12 comments 3 posts a week niche home decor",
	"what's a good engagement rate for instagram",
	"do I need to make 3 sales in 180 days",
	"is #ad enough or do I need to say amazon commission",
	"how do cookies work for amazon links, 24 hours?",
	"check tiktok 12.5k followers 300 likes 20 comments 5 posts a week niche beauty",
}

// BenchmarkSlashCommand is one signed slash command through the adapter
// and the real core (knowledge search included, context in memory): read,
// verify, parse, answer, render, and the inline JSON answer. Compare
// BenchmarkReadQuestion (bot) and BenchmarkRender for the parts.
func BenchmarkSlashCommand(b *testing.B) {
	a := &Adapter{SigningSecret: testSecret, Bot: realCore(b), Logger: slog.New(slog.DiscardHandler), MaxInFlight: 64}
	a.init()
	sign := signer{secret: testSecret, now: time.Now}
	bodies := make([]string, 0, 500)
	for i := 0; i < cap(bodies); i++ {
		form := url.Values{
			"team_id": {fmt.Sprintf("T%03d", i%20)}, "channel_id": {"C1"}, "channel_name": {"general"},
			"user_id": {fmt.Sprintf("U%05d", i%50)}, "user_name": {"ada"}, "command": {"/influbot"},
			"text": {slashLoad[i%len(slashLoad)]}, "api_app_id": {"A0000APP"},
			"response_url": {"https://hooks.slack.com/commands/T1/1/x"}, "trigger_id": {"1.2.3"},
		}
		bodies = append(bodies, form.Encode())
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		// Each body is new (a repeated signature is dropped as a replay).
		body := bodies[i%len(bodies)] + "&n=" + strconv.Itoa(i)
		i++
		req := httptest.NewRequest(http.MethodPost, CommandsPath, strings.NewReader(body))
		req.Header.Set("Content-Type", formType)
		sign.sign(req.Header, []byte(body))
		w := httptest.NewRecorder()
		a.ServeHTTP(w, req)
		if w.Code != http.StatusOK || w.Body.Len() == 0 {
			b.Fatalf("status %d, body %q", w.Code, w.Body.String())
		}
	}
	b.StopTimer()
	a.Wait(context.Background())
}

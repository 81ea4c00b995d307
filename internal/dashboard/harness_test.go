package dashboard

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/bot/bottest"
	"github.com/influbot/influbot/internal/fakeclock"
	"github.com/influbot/influbot/store"
)

// harness is a dashboard over a real SQLite file (or a PostgreSQL schema,
// under bothEngines' "postgres" subtest), with the core answering
// from the same database and workspaces, as influbot serve wires them.
type harness struct {
	t     *testing.T
	clock *fakeclock.Clock
	db    *store.DB
	ws    *Workspaces
	bot   *bot.Bot
	dash  *Server
	srv   *httptest.Server
	links *Links
}

var (
	consoleAlice = bot.UserRef{Platform: bot.PlatformConsole, Tenant: bot.LocalTenant, ID: "alice"}
	slackAdminA  = bot.UserRef{Platform: bot.PlatformSlack, Tenant: "TA", ID: "UADMIN"}
	slackAdminB  = bot.UserRef{Platform: bot.PlatformSlack, Tenant: "TB", ID: "UBOSS"}
)

func newHarness(t *testing.T, mod ...func(*Config)) *harness {
	t.Helper()
	ctx := context.Background()
	clock := fakeclock.New(time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC))
	db := store.New(testDBPath(t))
	db.Now = clock.Now
	if err := db.Open(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	kb := bottest.Knowledge(t)
	ws := &Workspaces{Base: kb, Store: db}
	h := &harness{t: t, clock: clock, db: db, ws: ws}
	h.links = &Links{Store: db, Rights: db, PublicURL: "http://dashboard.test", Now: clock.Now}
	b, err := bot.New(bot.Config{Knowledge: kb, Events: db, Unanswered: db, Checks: db, History: db, Admins: db, AdminList: db,
		Plans: db, Context: db, Workspace: ws, Dashboard: h.links, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	h.bot = b
	for _, u := range []bot.UserRef{slackAdminA, slackAdminB} {
		if err := db.AddAdmin(ctx, u.TenantRef(), u.ID, "test"); err != nil {
			t.Fatal(err)
		}
	}
	cfg := Config{Store: db, Workspaces: ws, PublicURL: "http://dashboard.test", Now: clock.Now}
	for _, m := range mod {
		m(&cfg)
	}
	if h.dash, err = New(cfg); err != nil {
		t.Fatal(err)
	}
	h.srv = httptest.NewServer(h.dash)
	t.Cleanup(h.srv.Close)
	// Links point at the test server.
	h.links.PublicURL = h.srv.URL
	return h
}

// say sends text to the core as u and returns the reply's text.
func (h *harness) say(u bot.UserRef, text string) string {
	h.t.Helper()
	r := h.bot.Handle(context.Background(), bot.Request{User: u, Text: text, DM: true})
	return r.Title + "\n" + r.Text
}

// setClock moves the clock to t, back or forth (fakeclock.Set only moves
// forward).
func (h *harness) setClock(t time.Time) { h.clock.Add(t.Sub(h.clock.Now())) }

// logUnanswered records q as a question of u the bot could not answer,
// as the core does.
func (h *harness) logUnanswered(u bot.UserRef, q string) {
	h.t.Helper()
	if err := h.db.LogUnanswered(context.Background(), bot.UnansweredQuestion{User: u, Time: h.clock.Now(), Text: q}); err != nil {
		h.t.Fatal(err)
	}
}

// link returns a fresh sign-in link for u.
func (h *harness) link(u bot.UserRef) string {
	h.t.Helper()
	l, _, err := h.links.LoginLink(context.Background(), u, false)
	if err != nil {
		h.t.Fatalf("login link for %s: %v", u, err)
	}
	return l
}

// browser is an HTTP client with its own cookies, like one browser.
type browser struct {
	h *harness
	c *http.Client
}

func (h *harness) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{h: h, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

type page struct {
	code   int
	body   string
	header http.Header
}

func (b *browser) do(req *http.Request) page {
	b.h.t.Helper()
	res, err := b.c.Do(req)
	if err != nil {
		b.h.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return page{code: res.StatusCode, body: string(body), header: res.Header}
}

func (b *browser) get(path string) page {
	b.h.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.url(path), nil)
	return b.do(req)
}

func (b *browser) post(path string, form url.Values) page {
	b.h.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.url(path), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

func (b *browser) url(path string) string {
	if strings.HasPrefix(path, "http") {
		return path
	}
	return b.h.srv.URL + path
}

// signIn opens a link for u and presses its button; it fails the test
// unless that lands on the workspace's overview.
func (b *browser) signIn(u bot.UserRef) {
	b.h.t.Helper()
	link := b.h.link(u)
	if p := b.get(link); p.code != http.StatusOK || !strings.Contains(p.body, `type="submit"`) {
		b.h.t.Fatalf("link page: %d %s", p.code, p.body)
	}
	tok := link[strings.Index(link, "t=")+2:]
	p := b.post(LoginPath, url.Values{"t": {tok}})
	if p.code != http.StatusSeeOther || p.header.Get("Location") != wsPath(u.TenantRef())+"/" {
		b.h.t.Fatalf("sign-in: %d to %q: %s", p.code, p.header.Get("Location"), p.body)
	}
}

func wsPath(t bot.TenantRef) string { return "/dashboard/w/" + url.PathEscape(t.String()) }

package dashboard

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/store"
)

func TestSignInLink(t *testing.T) { bothEngines(t, testSignInLink) }

func testSignInLink(t *testing.T) {
	h := newHarness(t)
	tokenOf := func(link string) string { return link[strings.Index(link, "t=")+2:] }

	t.Run("opening the link changes nothing; its button signs in once", func(t *testing.T) {
		b := h.browser()
		link := h.link(consoleAlice)
		for range 3 { // previews, scanners, the person
			p := b.get(link)
			if p.code != http.StatusOK || strings.Count(p.body, `type="submit"`) != 1 {
				t.Fatalf("GET link: %d, want one submit button: %s", p.code, p.body)
			}
		}
		p := b.post(LoginPath, url.Values{"t": {tokenOf(link)}})
		if p.code != http.StatusSeeOther {
			t.Fatalf("POST: %d %s", p.code, p.body)
		}
		if got := b.get(wsPath(consoleAlice.TenantRef()) + "/"); got.code != http.StatusOK || !strings.Contains(got.body, "questions asked") {
			t.Fatalf("overview after sign-in: %d %s", got.code, got.body)
		}
		if p := h.browser().post(LoginPath, url.Values{"t": {tokenOf(link)}}); p.code != http.StatusGone || strings.Contains(p.header.Get("Set-Cookie"), "influbot_session=") {
			t.Fatalf("replayed link: %d %v", p.code, p.header)
		}
		if p := h.browser().get(link); strings.Contains(p.body, `type="submit"`) {
			t.Error("a spent link still shows its button")
		}
	})
	t.Run("an expired link is refused", func(t *testing.T) {
		link := h.link(consoleAlice)
		h.clock.Add(LinkTTL + time.Second)
		defer h.clock.Add(-LinkTTL - time.Second)
		if p := h.browser().post(LoginPath, url.Values{"t": {tokenOf(link)}}); p.code != http.StatusGone {
			t.Fatalf("expired link: %d", p.code)
		}
	})
	t.Run("a made-up token is refused", func(t *testing.T) {
		if p := h.browser().post(LoginPath, url.Values{"t": {"x" + tokenOf(h.link(consoleAlice))}}); p.code != http.StatusGone {
			t.Fatalf("forged token: %d", p.code)
		}
	})
	t.Run("rights are checked again when the link is used", func(t *testing.T) {
		u := bot.UserRef{Platform: bot.PlatformSlack, Tenant: "TA", ID: "UFORMER"}
		ctx := context.Background()
		if err := h.db.AddAdmin(ctx, u.TenantRef(), u.ID, "test"); err != nil {
			t.Fatal(err)
		}
		link := h.link(u)
		if _, err := h.db.RemoveAdmin(ctx, u.TenantRef(), u.ID); err != nil {
			t.Fatal(err)
		}
		if p := h.browser().post(LoginPath, url.Values{"t": {tokenOf(link)}}); p.code != http.StatusForbidden {
			t.Fatalf("former admin: %d %s", p.code, p.body)
		}
	})
	t.Run("a member who is no admin gets no link", func(t *testing.T) {
		_, _, err := h.links.LoginLink(context.Background(), bot.UserRef{Platform: bot.PlatformSlack, Tenant: "TA", ID: "UMEMBER"}, false)
		if bot.ErrorCode(err) != bot.EFORBIDDEN {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("only the token's hash is stored", func(t *testing.T) {
		link := h.link(consoleAlice)
		tok := tokenOf(link)
		if _, err := h.db.PeekLoginToken(context.Background(), tok); err == nil {
			t.Fatal("the raw token finds a stored token")
		}
		if _, err := h.db.PeekLoginToken(context.Background(), hashSecret(tok)); err != nil {
			t.Fatalf("the hash finds nothing: %v", err)
		}
		if raw, _ := url.QueryUnescape(tok); len(raw) != 43 { // 256 bits, base64url
			t.Errorf("token %q is not 256 bits", tok)
		}
	})
}

func TestSessionCookieAndTimeouts(t *testing.T) {
	for _, tc := range []struct {
		name, publicURL, cookie string
		secure                  bool
	}{
		{"plain HTTP", "http://dashboard.test", "influbot_session", false},
		{"HTTPS", "https://dashboard.example", "__Host-influbot_session", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, func(c *Config) { c.PublicURL = tc.publicURL })
			b := h.browser()
			link := h.link(consoleAlice)
			p := b.post(LoginPath, url.Values{"t": {link[strings.Index(link, "t=")+2:]}})
			res := http.Response{Header: p.header}
			cookies := res.Cookies()
			if len(cookies) != 1 {
				t.Fatalf("cookies: %v", p.header["Set-Cookie"])
			}
			c := cookies[0]
			if c.Name != tc.cookie || !c.HttpOnly || c.Secure != tc.secure || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Domain != "" {
				t.Errorf("cookie %+v", c)
			}
		})
	}
	t.Run("idle and absolute timeouts end a session", func(t *testing.T) {
		h := newHarness(t)
		ov := wsPath(consoleAlice.TenantRef()) + "/"
		b := h.browser()
		b.signIn(consoleAlice)
		h.clock.Add(DefaultIdleTimeout - time.Minute)
		if p := b.get(ov); p.code != http.StatusOK {
			t.Fatalf("active session refused: %d", p.code)
		}
		h.clock.Add(DefaultIdleTimeout + time.Second)
		if p := b.get(ov); p.code != http.StatusUnauthorized {
			t.Fatalf("idle session: %d", p.code)
		}
		b = h.browser()
		b.signIn(consoleAlice)
		for i := time.Duration(0); i < DefaultAbsoluteTimeout; i += 20 * time.Minute {
			h.clock.Add(20 * time.Minute)
			b.get(ov)
		}
		if p := b.get(ov); p.code != http.StatusUnauthorized {
			t.Fatalf("session past its absolute end: %d", p.code)
		}
	})
	t.Run("sign out everywhere ends every session of the user", func(t *testing.T) {
		h := newHarness(t)
		ov := wsPath(consoleAlice.TenantRef()) + "/"
		one, two := h.browser(), h.browser()
		one.signIn(consoleAlice)
		two.signIn(consoleAlice)
		if p := one.post("/dashboard/logout-everywhere", nil); p.code != http.StatusOK {
			t.Fatalf("sign out everywhere: %d", p.code)
		}
		for _, b := range []*browser{one, two} {
			if p := b.get(ov); p.code != http.StatusUnauthorized {
				t.Errorf("session still works: %d", p.code)
			}
		}
	})
}

func TestWorkspaceFromURLIsChecked(t *testing.T) { bothEngines(t, testWorkspaceFromURLIsChecked) }

func testWorkspaceFromURLIsChecked(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	// Workspace A has an unanswered question and an entry of its own.
	h.say(slackAdminA, "what is the wifi password at the creator meetup")
	a := h.browser()
	a.signIn(slackAdminA)
	if p := a.post(wsPath(slackAdminA.TenantRef())+"/unanswered/answer", url.Values{"question": {"what is the wifi password at the creator meetup"},
		"title": {"Meetup wifi"}, "answer": {"It is influ2026."}}); p.code != http.StatusSeeOther {
		t.Fatalf("answer in A: %d %s", p.code, p.body)
	}
	b := h.browser()
	b.signIn(slackAdminB)
	other := wsPath(slackAdminA.TenantRef())
	for _, path := range []string{"/", "/unanswered", "/knowledge", "/knowledge/export", "/audit", "/audit.csv", "/nudges", "/admins", "/test?q=wifi", "/knowledge/edit?id=meetup-wifi"} {
		if p := b.get(other + path); p.code != http.StatusNotFound || strings.Contains(p.body, "influ2026") || strings.Contains(p.body, "wifi password") {
			t.Errorf("B reads A's %s: %d", path, p.code)
		}
	}
	for path, form := range map[string]url.Values{
		"/knowledge/hide":     {"id": {"meetup-wifi"}},
		"/knowledge/revert":   {"id": {"meetup-wifi"}},
		"/knowledge/save":     {"id": {"meetup-wifi"}, "title": {"pwned"}, "answer": {"pwned"}},
		"/unanswered/dismiss": {"question": {"x"}},
		"/admins/role":        {"user": {"UBOSS"}, "role": {"write"}},
		"/nudges/retry":       {},
	} {
		if p := b.post(other+path, form); p.code != http.StatusNotFound {
			t.Errorf("B changes A's %s: %d", path, p.code)
		}
	}
	all, _, err := h.db.FAQOverrides(ctx, slackAdminA.TenantRef())
	if err != nil || len(all) != 1 || all[0].Answer != "It is influ2026." || all[0].Hidden {
		t.Fatalf("A's overrides after B's attempts: %+v %v", all, err)
	}
	// The bot answers in A with A's entry, and not in B.
	if got := h.say(slackAdminA, "what is the wifi password at the creator meetup"); !strings.Contains(got, "influ2026") {
		t.Errorf("A's bot: %q", got)
	}
	if got := h.say(slackAdminB, "what is the wifi password at the creator meetup"); strings.Contains(got, "influ2026") {
		t.Errorf("B's bot answers with A's entry: %q", got)
	}
}

func TestUnansweredQueueActions(t *testing.T) { bothEngines(t, testUnansweredQueueActions) }

func testUnansweredQueueActions(t *testing.T) {
	h := newHarness(t)
	ws := wsPath(consoleAlice.TenantRef())
	member := bot.UserRef{Platform: bot.PlatformConsole, Tenant: bot.LocalTenant, ID: "member"}
	b := h.browser()
	b.signIn(consoleAlice)

	tests := []struct {
		name, question string
		action         string
		form           url.Values
		wantReply      string
	}{
		{"a new answer is used at once", "what is the wifi password at the creator meetup", "/unanswered/answer",
			url.Values{"title": {"Meetup wifi"}, "answer": {"The password is **influ2026**."}}, "influ2026"},
		{"a question in the bot's field gets the workspace's own answer", "does our guild run a mentoring programme for new applicants", "/unanswered/answer",
			url.Values{"answer": {"Yes: ask in #mentors and a member who got in pairs with you."}}, "#mentors"},
		// (Since the answer threshold went to 0.55, "is there a cooling off
		// thing before I try my luck again" is answered, wrongly, with
		// what-you-get-once-accepted, so it never reaches the queue.)
		{"a phrasing added to a shipped entry finds it", "whats the cooling off period before round two", "/unanswered/phrasing",
			url.Values{"entry": {"reapply-wait"}}, "How long should I wait before reapplying?"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h.say(member, tc.question)
			h.say(member, tc.question)
			if p := b.get(ws + "/unanswered"); !strings.Contains(p.body, tc.question) || !strings.Contains(p.body, "asked 2 times") {
				t.Fatalf("queue lacks %q asked twice: %s", tc.question, p.body)
			}
			form := tc.form
			form.Set("question", tc.question)
			if p := b.post(ws+tc.action, form); p.code != http.StatusSeeOther || strings.Contains(p.header.Get("Location"), "error=") {
				t.Fatalf("%s: %d %s", tc.action, p.code, p.header.Get("Location"))
			}
			if got := h.say(member, tc.question); !strings.Contains(got, tc.wantReply) {
				t.Errorf("bot after %s: %q, want %q", tc.action, got, tc.wantReply)
			}
			if p := b.get(ws + "/unanswered"); strings.Contains(p.body, ">"+tc.question+"<") {
				t.Errorf("answered question still queued")
			}
			if p := b.get(ws + "/test?q=" + url.QueryEscape(tc.question)); !strings.Contains(p.body, `id="test-entry"`) {
				t.Errorf("test pane does not show an entry: %s", p.body)
			}
		})
	}
	t.Run("dismissed questions leave the queue until asked again", func(t *testing.T) {
		q := "where do we park for the guild barbecue"
		h.logUnanswered(member, q)
		if p := b.post(ws+"/unanswered/dismiss", url.Values{"question": {q}}); p.code != http.StatusSeeOther {
			t.Fatalf("dismiss: %d", p.code)
		}
		if p := b.get(ws + "/unanswered"); strings.Contains(p.body, q) {
			t.Error("dismissed question still queued")
		}
		h.clock.Add(time.Second)
		h.logUnanswered(member, q)
		if p := b.get(ws + "/unanswered"); !strings.Contains(p.body, q) {
			t.Error("question asked again after dismissal is not queued")
		}
	})
	t.Run("the test pane records nothing", func(t *testing.T) {
		before, _ := h.db.UnansweredQueue(context.Background(), consoleAlice.TenantRef(), 100)
		b.get(ws + "/test?q=" + url.QueryEscape("a brand new thing nobody asked about crypto mining"))
		after, _ := h.db.UnansweredQueue(context.Background(), consoleAlice.TenantRef(), 100)
		if len(after) != len(before) {
			t.Errorf("queue went from %d to %d", len(before), len(after))
		}
	})
	t.Run("every change is in the audit log with before and after", func(t *testing.T) {
		log, err := h.db.Audit(context.Background(), consoleAlice.TenantRef(), 50)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, a := range log {
			seen[a.Action] = true
			if a.Action == "phrasing" && !strings.Contains(a.After, "cooling off period") {
				t.Errorf("phrasing entry after = %q", a.After)
			}
		}
		for _, want := range []string{"login", "answer", "phrasing", "dismiss"} {
			if !seen[want] {
				t.Errorf("no %q in the audit log", want)
			}
		}
	})
}

func TestKnowledgeEditHideExportImport(t *testing.T) {
	bothEngines(t, testKnowledgeEditHideExportImport)
}

func testKnowledgeEditHideExportImport(t *testing.T) {
	h := newHarness(t)
	ws := wsPath(consoleAlice.TenantRef())
	b := h.browser()
	b.signIn(consoleAlice)
	member := bot.UserRef{Platform: bot.PlatformConsole, Tenant: bot.LocalTenant, ID: "member"}
	shipped, _ := h.ws.Base.Entry("reapply-wait")

	if p := b.post(ws+"/knowledge/save", url.Values{"id": {"reapply-wait"}, "title": {shipped.Title}, "answer": {"In this guild we wait **60 days**."}}); p.code != http.StatusSeeOther || strings.Contains(p.header.Get("Location"), "error") {
		t.Fatalf("save: %d %s", p.code, p.header.Get("Location"))
	}
	if got := h.say(member, "how long do I have to wait to reapply"); !strings.Contains(got, "60 days") {
		t.Errorf("edited answer not used: %q", got)
	}
	if got := h.say(bot.UserRef{Platform: bot.PlatformSlack, Tenant: "TA", ID: "U1"}, "how long do I have to wait to reapply"); strings.Contains(got, "60 days") {
		t.Errorf("another workspace got the edit: %q", got)
	}
	export := b.get(ws + "/knowledge/export").body
	if !strings.Contains(export, "id: reapply-wait") || !strings.Contains(export, "60 days") || strings.Contains(export, "title:") {
		t.Errorf("export:\n%s", export)
	}
	if p := b.post(ws+"/knowledge/hide", url.Values{"id": {"reapply-wait"}}); p.code != http.StatusSeeOther {
		t.Fatalf("hide: %d", p.code)
	}
	if got := h.say(member, "how long do I have to wait to reapply"); strings.Contains(got, "60 days") || strings.Contains(got, shipped.Title+"\n") {
		t.Errorf("hidden entry still answers: %q", got)
	}
	if p := b.post(ws+"/knowledge/revert", url.Values{"id": {"reapply-wait"}}); p.code != http.StatusSeeOther {
		t.Fatalf("revert: %d", p.code)
	}
	// Import what was exported: the edit is back.
	if p := b.post(ws+"/knowledge/import", url.Values{"cards": {export}}); p.code != http.StatusSeeOther || strings.Contains(p.header.Get("Location"), "error") {
		t.Fatalf("import: %d %s", p.code, p.header.Get("Location"))
	}
	if got := h.say(member, "how long do I have to wait to reapply"); !strings.Contains(got, "60 days") {
		t.Errorf("imported answer not used: %q", got)
	}
	for name, bad := range map[string]url.Values{
		"an answer with a record separator": {"id": {"reapply-wait"}, "answer": {"a\n===\nid: x"}},
		"a new entry without phrasings":     {"new": {"1"}, "id": {"brand-new"}, "title": {"New"}, "answer": {"body"}},
	} {
		t.Run(name, func(t *testing.T) {
			p := b.post(ws+"/knowledge/save", bad)
			if loc := p.header.Get("Location"); p.code != http.StatusSeeOther || !strings.Contains(loc, "error=") {
				t.Errorf("accepted: %d %s", p.code, loc)
			}
		})
	}
}

func TestHostileTextIsShownAsText(t *testing.T) {
	h := newHarness(t)
	ws := wsPath(consoleAlice.TenantRef())
	member := bot.UserRef{Platform: bot.PlatformConsole, Tenant: bot.LocalTenant, ID: "member"}
	hostile := []string{`<img src=x onerror=alert(1)>`, `[click me](javascript:alert(1)) <script>alert(2)</script>`}
	for _, q := range hostile {
		h.logUnanswered(member, q)
	}
	b := h.browser()
	b.signIn(consoleAlice)
	p := b.get(ws + "/unanswered")
	for _, bad := range []string{"<img src=x", "<script>", `href="javascript`} {
		if strings.Contains(p.body, bad) {
			t.Errorf("queue page has live %q", bad)
		}
	}
	if !strings.Contains(p.body, "&lt;img src=x onerror=alert(1)&gt;") {
		t.Errorf("hostile question not shown escaped")
	}
	// An answer written with hostile Markdown is sanitised where shown.
	b.post(ws+"/unanswered/answer", url.Values{"question": {hostile[0]}, "title": {"<b>t</b>"},
		"answer": {"See [docs](javascript:alert(1)) and [real](https://example.com) <iframe src=x>"}})
	p = b.get(ws + "/test?q=" + url.QueryEscape(hostile[0]))
	if strings.Contains(p.body, "<iframe") || strings.Contains(p.body, `href="javascript`) || strings.Contains(p.body, "<b>t</b>") {
		t.Errorf("test pane shows live markup: %s", p.body)
	}
	if !strings.Contains(p.body, `<a href="https://example.com" rel="nofollow noopener noreferrer">real</a>`) {
		t.Errorf("safe link not rendered: %s", p.body)
	}
}

func TestMarkdownHTML(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"**bold** and _it_", "<p><strong>bold</strong> and <em>it</em></p>"},
		{"- one\n- `two`", "<ul><li>one</li><li><code>two</code></li></ul>"},
		{"<script>x</script>", "<p>&lt;script&gt;x&lt;/script&gt;</p>"},
		{"[x](javascript:alert(1))", "<p>[x](javascript:alert(1))</p>"},
		{`[x](https://a.example/"onmouseover=1)`, "<p>[x](https://a.example/&#34;onmouseover=1)</p>"},
		{"[ok](https://a.example/p?q=1&r=2)", `<p><a href="https://a.example/p?q=1&amp;r=2" rel="nofollow noopener noreferrer">ok</a></p>`},
		{"café – naïve", "<p>café – naïve</p>"},
	} {
		if got := string(markdownHTML(tc.in)); got != tc.want {
			t.Errorf("markdownHTML(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestCSVCellsCannotBeFormulas(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"=HYPERLINK(\"http://evil\")", "'=HYPERLINK(\"http://evil\")"},
		{"+1+1", "'+1+1"}, {"-2", "'-2"}, {"@SUM(A1)", "'@SUM(A1)"}, {"\tx", "'\tx"}, {"\rx", "'\rx"},
		{"plain question?", "plain question?"}, {"", ""},
	} {
		if got := csvCell(tc.in); got != tc.want {
			t.Errorf("csvCell(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	h := newHarness(t)
	h.logUnanswered(bot.UserRef{Platform: bot.PlatformConsole, Tenant: bot.LocalTenant, ID: "m"}, "=cmd|' /C calc'!A0 what is this")
	b := h.browser()
	b.signIn(consoleAlice)
	p := b.get(wsPath(consoleAlice.TenantRef()) + "/unanswered.csv")
	if !strings.Contains(p.body, "'=cmd|") || strings.Contains(p.body, "\n=cmd") {
		t.Errorf("csv: %s", p.body)
	}
}

func TestSecurityHeadersAndMethods(t *testing.T) {
	h := newHarness(t)
	b := h.browser()
	b.signIn(consoleAlice)
	ws := wsPath(consoleAlice.TenantRef())
	p := b.get(ws + "/")
	if csp := p.header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("CSP %q", csp)
	}
	t.Run("no change on GET", func(t *testing.T) {
		for _, path := range []string{"/unanswered/answer", "/unanswered/dismiss", "/knowledge/save", "/knowledge/hide", "/admins/role", "/nudges/retry"} {
			if p := b.get(ws + path + "?question=x&id=reapply-wait&user=U&role=write"); p.code != http.StatusMethodNotAllowed {
				t.Errorf("GET %s: %d", path, p.code)
			}
		}
		if p := b.get("/dashboard/logout-everywhere"); p.code != http.StatusMethodNotAllowed {
			t.Errorf("GET logout-everywhere: %d", p.code)
		}
	})
	t.Run("cross-origin POSTs are refused", func(t *testing.T) {
		for _, hdr := range []map[string]string{{"Sec-Fetch-Site": "cross-site"}, {"Origin": "https://evil.example"}} {
			req, _ := http.NewRequest(http.MethodPost, b.url(ws+"/unanswered/dismiss"), strings.NewReader("question=x"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for k, v := range hdr {
				req.Header.Set(k, v)
			}
			if p := b.do(req); p.code != http.StatusForbidden {
				t.Errorf("%v: %d", hdr, p.code)
			}
		}
		if q, _ := h.db.UnansweredQueue(context.Background(), consoleAlice.TenantRef(), 10); len(q) != 0 {
			t.Errorf("queue changed")
		}
		log, _ := h.db.Audit(context.Background(), consoleAlice.TenantRef(), 10)
		for _, a := range log {
			if a.Action == "dismiss" {
				t.Error("a cross-origin dismiss was carried out")
			}
		}
	})
}

func TestRateLimits(t *testing.T) {
	h := newHarness(t, func(c *Config) {
		c.LoginRate, c.LoginBurst = rate.Every(time.Hour), 3
		c.WriteRate, c.WriteBurst = rate.Every(time.Hour), 2
	})
	for i := range 3 {
		if p := h.browser().post(LoginPath, url.Values{"t": {"nope"}}); p.code != http.StatusGone {
			t.Fatalf("attempt %d: %d", i, p.code)
		}
	}
	if p := h.browser().post(LoginPath, url.Values{"t": {"nope"}}); p.code != http.StatusTooManyRequests {
		t.Fatalf("4th sign-in attempt: %d", p.code)
	}
	h2 := newHarness(t, func(c *Config) { c.WriteRate, c.WriteBurst = rate.Every(time.Hour), 2 })
	b := h2.browser()
	b.signIn(consoleAlice)
	ws := wsPath(consoleAlice.TenantRef())
	codes := []int{}
	for range 3 {
		codes = append(codes, b.post(ws+"/unanswered/dismiss", url.Values{"question": {"q"}}).code)
	}
	if codes[0] != http.StatusSeeOther || codes[2] != http.StatusTooManyRequests {
		t.Errorf("write codes %v", codes)
	}
}

func TestReadOnlyRole(t *testing.T) { bothEngines(t, testReadOnlyRole) }

func testReadOnlyRole(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	reader := bot.UserRef{Platform: bot.PlatformSlack, Tenant: "TA", ID: "UREADER"}
	if err := h.db.SetDashboardRole(ctx, reader.TenantRef(), reader.ID, store.RoleRead, slackAdminA); err != nil {
		t.Fatal(err)
	}
	b := h.browser()
	b.signIn(reader)
	ws := wsPath(reader.TenantRef())
	if p := b.get(ws + "/unanswered"); p.code != http.StatusOK {
		t.Fatalf("reader can't read: %d", p.code)
	}
	if p := b.post(ws+"/knowledge/save", url.Values{"id": {"reapply-wait"}, "answer": {"x"}}); p.code != http.StatusForbidden {
		t.Errorf("reader wrote: %d", p.code)
	}
	// Taking the role away ends the session at once.
	if err := h.db.SetDashboardRole(ctx, reader.TenantRef(), reader.ID, "", slackAdminA); err != nil {
		t.Fatal(err)
	}
	if p := b.get(ws + "/"); p.code != http.StatusUnauthorized {
		t.Errorf("session survived losing the role: %d", p.code)
	}
}

func TestDashboardCommand(t *testing.T) { bothEngines(t, testDashboardCommand) }

func testDashboardCommand(t *testing.T) {
	h := newHarness(t)
	r := h.bot.Handle(context.Background(), bot.Request{User: slackAdminA, Text: "dashboard", Channel: "C1"})
	if !r.Ephemeral || !strings.Contains(r.Text, h.srv.URL+LoginPath+"?t=") {
		t.Fatalf("admin's reply: %+v", r)
	}
	member := bot.UserRef{Platform: bot.PlatformSlack, Tenant: "TA", ID: "UMEMBER"}
	r = h.bot.Handle(context.Background(), bot.Request{User: member, Text: "dashboard", Channel: "C1"})
	if strings.Contains(r.Text, "http") || !strings.Contains(r.Text, "admins") {
		t.Fatalf("member's reply: %+v", r)
	}
	t.Run("help offers admins the dashboard as a button", func(t *testing.T) {
		help := h.bot.Handle(context.Background(), bot.Request{User: slackAdminA, Text: "help", Channel: "C1"})
		var btn *bot.Button
		for i := range help.Buttons {
			if help.Buttons[i].ActionID == "dashboard:open" {
				btn = &help.Buttons[i]
			}
		}
		if btn == nil {
			t.Fatalf("no dashboard button on an admin's help: %+v", help.Buttons)
		}
		pressed := h.bot.Handle(context.Background(), bot.Request{User: slackAdminA, Action: &bot.Action{ID: btn.ActionID, Value: btn.Value}, Channel: "C1"})
		if !strings.Contains(pressed.Text, LoginPath+"?t=") || !pressed.Ephemeral {
			t.Errorf("pressing it: %+v", pressed)
		}
		for _, b := range h.bot.Handle(context.Background(), bot.Request{User: member, Text: "help", Channel: "C1"}).Buttons {
			if b.ActionID == "dashboard:open" {
				t.Error("a member's help offers the dashboard")
			}
		}
	})
}

// An admin's answer to a question is what the bot gives for those words,
// even where the index, left to itself, prefers a shipped entry.
func TestAnAdminsWordingWins(t *testing.T) { bothEngines(t, testAnAdminsWordingWins) }

func testAnAdminsWordingWins(t *testing.T) {
	h := newHarness(t)
	ws := wsPath(consoleAlice.TenantRef())
	member := bot.UserRef{Platform: bot.PlatformConsole, Tenant: bot.LocalTenant, ID: "member"}
	q := "rejected again"
	if m := h.ws.Base.Index.Search(q); m.Answered && m.Confidence > 0.9 {
		t.Fatalf("the shipped index is sure about %q (%.2f): pick a wording it is not", q, m.Confidence)
	}
	b := h.browser()
	b.signIn(consoleAlice)
	if p := b.post(ws+"/unanswered/answer", url.Values{"question": {q}, "title": {"Rejected twice"}, "answer": {"Post in #second-try and a mentor will look at your profile."}}); p.code != http.StatusSeeOther {
		t.Fatalf("answer: %d", p.code)
	}
	for _, asked := range []string{q, "Rejected again?", "  rejected   AGAIN "} {
		if got := h.say(member, asked); !strings.Contains(got, "#second-try") {
			t.Errorf("%q: %q", asked, got)
		}
	}
	if p := b.post(ws+"/knowledge/hide", url.Values{"id": {"rejected-twice"}}); p.code != http.StatusSeeOther {
		t.Fatalf("hide: %d", p.code)
	}
	if got := h.say(member, q); strings.Contains(got, "#second-try") {
		t.Errorf("a hidden entry still answers: %q", got)
	}
}

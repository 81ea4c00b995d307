package dashboard

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/influbot/influbot/bot"
)

// The browser tests drive Debian's chromium, headless, through chromedp.
// Without chromium they skip and say so (.ci/run installs it).

func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{os.Getenv("INFLUBOT_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("chromium is not installed: skipping the browser tests (apt-get install chromium)")
	return ""
}

// newChrome starts a fresh headless chromium with its own profile and
// returns a tab's context. alerts counts JavaScript dialogs the pages open.
func newChrome(t *testing.T, alerts *atomic.Int32) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium(t)),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() { cancelT(); cancelC(); cancelA() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	dialogs := chromedp.Events(ctx, cdppage.JavascriptDialogOpening)
	go func() {
		for _, err := range dialogs {
			if err != nil {
				return
			}
			alerts.Add(1)
			chromedp.Call(ctx, cdppage.HandleJavaScriptDialog, cdppage.HandleJavaScriptDialogParams{Accept: true})
		}
	}()
	return ctx
}

// run runs browser steps and fails the test on an error.
func run(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("browser: %v", err)
	}
}

// get runs one browser action that returns a value.
func get[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	return v
}

// screenshotDir is INFLUBOT_SCREENSHOTS, else a temporary directory.
func screenshotDir(t *testing.T) string {
	if d := os.Getenv("INFLUBOT_SCREENSHOTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

// shoot saves the page at desktop (1280) and phone (390) widths as PNG.
func shoot(t *testing.T, ctx context.Context, dir, name string) {
	t.Helper()
	for _, w := range []int64{1280, 390} {
		run(t, ctx, chromedp.EmulateViewport(w, 800), chromedp.Sleep(100*time.Millisecond))
		png := get(t, ctx, chromedp.FullScreenshot(100))
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-%d.png", name, w)), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run(t, ctx, chromedp.EmulateViewport(1280, 900))
}

func TestBrowser(t *testing.T) {
	chromium(t)
	h := newHarness(t)
	ctx := context.Background()
	dir := screenshotDir(t)
	member := bot.UserRef{Platform: bot.PlatformConsole, Tenant: bot.LocalTenant, ID: "member"}
	question := "what is the wifi password at the creator meetup"
	hostile := `<img src=x onerror=alert(1)> [click](javascript:alert(2))`
	seedForScreenshots(t, h, member)
	h.say(member, question)
	h.say(member, question)
	h.logUnanswered(member, hostile)

	var alerts atomic.Int32
	c := newChrome(t, &alerts)
	ws := h.srv.URL + wsPath(consoleAlice.TenantRef())

	t.Run("sign in through a link: a preview spends nothing, the button does, once", func(t *testing.T) {
		link := h.link(consoleAlice)
		if res, err := http.Get(link); err != nil || res.StatusCode != http.StatusOK { // a chat app's preview
			t.Fatalf("preview: %v %v", res, err)
		} else {
			res.Body.Close()
		}
		run(t, c, chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`button[type=submit]`)))
		buttons := get(t, c, chromedp.Evaluate[int](`document.querySelectorAll('button[type=submit], input[type=submit]').length`))
		if buttons != 1 {
			t.Fatalf("%d submit buttons on the confirmation page", buttons)
		}
		shoot(t, c, dir, "login")
		run(t, c, chromedp.Click(chromedp.CSS(`button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(`#n-asked`)))
		loc := get(t, c, chromedp.Location())
		if loc != ws+"/" {
			t.Fatalf("after sign-in the browser is on %s", loc)
		}
		run(t, c, chromedp.Navigate(link))
		if text := get(t, c, chromedp.Text(chromedp.CSS(`main`))); !strings.Contains(text, "already been used") {
			t.Errorf("replayed link page says %q", text)
		}
		n := get(t, c, chromedp.Evaluate[int](`document.querySelectorAll('button[type=submit]').length`))
		if n != 0 {
			t.Error("a replayed link still offers its button")
		}
	})

	t.Run("the overview's numbers are the database's", func(t *testing.T) {
		run(t, c, chromedp.Navigate(ws+"/?days=7"))
		asked, notSure, declined := get(t, c, chromedp.Text(chromedp.CSS(`#n-asked`))), get(t, c, chromedp.Text(chromedp.CSS(`#n-notsure`))), get(t, c, chromedp.Text(chromedp.CSS(`#n-declined`)))
		raw, err := sql.Open("sqlite3", "file:"+h.db.Path+"?mode=ro")
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		to := h.clock.Now().UTC().Truncate(24 * time.Hour).Add(24 * time.Hour).UnixMilli()
		from := to - 7*24*3600*1000
		var wantAsked, wantMissed int
		raw.QueryRowContext(ctx, `SELECT COUNT(*) FROM users u JOIN events e ON e.user_pk = u.id WHERE u.platform = 'console' AND u.tenant = 'local' AND e.kind = 'question' AND e.at >= ? AND e.at < ?`, from, to).Scan(&wantAsked)
		raw.QueryRowContext(ctx, `SELECT COUNT(*) FROM users u JOIN unanswered q ON q.user_pk = u.id WHERE u.platform = 'console' AND u.tenant = 'local' AND q.at >= ? AND q.at < ?`, from, to).Scan(&wantMissed)
		a, _ := strconv.Atoi(asked)
		ns, _ := strconv.Atoi(notSure)
		d, _ := strconv.Atoi(declined)
		if a != wantAsked || ns+d != wantMissed || a == 0 {
			t.Errorf("page: %s asked, %s+%s unanswered; database: %d asked, %d unanswered", asked, notSure, declined, wantAsked, wantMissed)
		}
		shoot(t, c, dir, "overview")
	})

	t.Run("hostile text is shown as text", func(t *testing.T) {
		run(t, c, chromedp.Navigate(ws+"/"), chromedp.Click(chromedp.CSS(`a[href$="/unanswered"].button`)), chromedp.WaitVisible(chromedp.CSS(`ol.queue`)))
		imgs := get(t, c, chromedp.Evaluate[int](`document.querySelectorAll('main img, main script, a[href^="javascript"]').length`))
		texts := get(t, c, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('.qtext')).map(e => e.textContent)`))
		if imgs != 0 {
			t.Errorf("%d live elements from user text", imgs)
		}
		found := false
		for _, s := range texts {
			found = found || s == hostile
		}
		if !found {
			t.Errorf("hostile question not shown as typed: %q", texts)
		}
		if n := alerts.Load(); n != 0 {
			t.Errorf("%d JavaScript dialogs opened", n)
		}
		shoot(t, c, dir, "unanswered")
	})

	t.Run("answer an unanswered question and the bot uses it", func(t *testing.T) {
		sel := fmt.Sprintf(`//li[contains(@class,"q")][.//span[@class="qtext" and text()=%q]]`, question)
		run(t, c, chromedp.Navigate(ws+"/unanswered"),
			chromedp.Click(sel+`//summary[contains(., "Write an answer")]`),
			chromedp.SendKeys(sel+`//textarea[@name="answer"]`, "The password is **influ2026**, ask at the desk."),
			chromedp.Click(sel+`//button[contains(., "Save answer")]`),
			chromedp.WaitVisible(chromedp.CSS(`.flash`)))
		if got := h.say(member, question); !strings.Contains(got, "influ2026") {
			t.Errorf("the bot says %q", got)
		}
		run(t, c, chromedp.Navigate(ws+"/test?q="+strings.ReplaceAll(question, " ", "+")))
		entry, conf := get(t, c, chromedp.Text(chromedp.CSS(`#test-entry`))), get(t, c, chromedp.Text(chromedp.CSS(`#test-confidence`)))
		if entry == "" || conf == "" {
			t.Errorf("test pane: entry %q confidence %q", entry, conf)
		}
		shoot(t, c, dir, "test")
		for _, p := range []string{"knowledge", "nudges", "admins", "audit"} {
			run(t, c, chromedp.Navigate(ws+"/"+p), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
			shoot(t, c, dir, p)
		}
		run(t, c, chromedp.Navigate(ws+"/knowledge/edit?id="+entry), chromedp.WaitVisible(chromedp.CSS(`textarea[name=answer]`)))
		shoot(t, c, dir, "edit")
	})

	t.Run("another workspace's admin can neither see nor change this one", func(t *testing.T) {
		var alerts2 atomic.Int32
		c2 := newChrome(t, &alerts2)
		link := h.link(slackAdminB)
		run(t, c2, chromedp.Navigate(link), chromedp.Click(chromedp.CSS(`button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(`#n-asked`)))
		run(t, c2, chromedp.Navigate(ws+"/unanswered"))
		text := get(t, c2, chromedp.Text(chromedp.CSS(`main`)))
		if !strings.Contains(text, "no such page") || strings.Contains(text, "wifi") {
			t.Errorf("B sees %q", text)
		}
		// B's own session posting a form at A's address changes nothing.
		run(t, c2, chromedp.Navigate(h.srv.URL+wsPath(slackAdminB.TenantRef())+"/knowledge"))
		// The page's own CSP forbids inline script, but DevTools may run it.
		get(t, c2, chromedp.Evaluate[bool](fmt.Sprintf(`
			(() => { const f = document.createElement('form'); f.method = 'post'; f.action = %q;
			  const i = document.createElement('input'); i.name = 'id'; i.value = 'reapply-wait'; f.appendChild(i);
			  document.body.appendChild(f); f.submit(); return true })()`, ws+"/knowledge/hide")))
		run(t, c2, chromedp.Sleep(500*time.Millisecond), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
		text = get(t, c2, chromedp.Text(chromedp.CSS(`main`)))
		if !strings.Contains(text, "no such page") {
			t.Errorf("B's post to A answered %q", text)
		}
		all, _, err := h.db.FAQOverrides(ctx, consoleAlice.TenantRef())
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range all {
			if o.Hidden {
				t.Errorf("B hid %s in A", o.ID)
			}
		}
	})
	t.Logf("screenshots in %s", dir)
}

// seedForScreenshots gives every page something to show.
func seedForScreenshots(t *testing.T, h *harness, member bot.UserRef) {
	t.Helper()
	ctx := context.Background()
	start := h.clock.Now()
	for day := range 7 {
		h.setClock(start.Add(-time.Duration(day*24+2) * time.Hour))
		for _, q := range []string{"how long should I wait before reapplying", "why was I rejected", "how many followers do I need"}[:1+day%3] {
			h.say(member, q)
		}
		if _, err := h.db.SaveCheck(ctx, bot.CheckRecord{User: member, Time: h.clock.Now(), Platform: "instagram", Followers: 4200, Verdict: []string{"ready", "not_yet", "borderline"}[day%3], Score: 60}); err != nil {
			t.Fatal(err)
		}
	}
	h.setClock(start)
	h.logUnanswered(member, "does the guild have a discord for tiktok creators")
	h.logUnanswered(bot.UserRef{Platform: "console", Tenant: "local", ID: "other"}, "does the guild have a discord for tiktok creators")
	w, err := sql.Open("sqlite3", "file:"+h.db.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	now := h.clock.Now().UnixMilli()
	for _, stmt := range []string{
		fmt.Sprintf(`INSERT INTO nudges (platform, tenant, user_id, kind, task_id, slot_at, due_at, status, attempts, idem_key, last_error, created_at, updated_at)
			VALUES ('console','local','member','task','bio-link',%[1]d,%[1]d,'dead',5,'kdead1','send: connection reset by peer',%[1]d,%[1]d)`, now-3600000),
		fmt.Sprintf(`INSERT INTO reminders (platform, tenant, user_id, unreachable, updated_at) VALUES ('console','local','gone','left the server',%d)`, now),
	} {
		if _, err := w.ExecContext(ctx, stmt); err != nil {
			t.Fatal(err)
		}
	}
}

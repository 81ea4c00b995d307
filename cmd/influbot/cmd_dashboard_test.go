package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/store"
)

func TestAdminLoginLinkRefuses(t *testing.T) {
	db := filepath.Join(t.TempDir(), "influbot.db")
	pub := map[string]string{"INFLUBOT_PUBLIC_URL": "http://127.0.0.1:3000"}
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		code int
		want string
	}{
		{"no sub-command", pub, []string{"admin"}, 2, "login-link"},
		{"no workspace", pub, []string{"admin", "login-link", "--user", "console:local:alice", "--db", db}, 2, "--workspace"},
		{"a user of another workspace", pub, []string{"admin", "login-link", "--workspace", "slack:T1", "--user", "slack:T2:U1", "--db", db}, 2, "not in workspace"},
		{"no public URL", nil, []string{"admin", "login-link", "--workspace", "console:local", "--user", "alice", "--db", db}, 2, "INFLUBOT_PUBLIC_URL"},
		{"a public URL that is no http address", map[string]string{"INFLUBOT_PUBLIC_URL": "javascript:alert(1)"}, []string{"admin", "login-link", "--workspace", "console:local", "--user", "alice", "--db", db}, 2, "INFLUBOT_PUBLIC_URL"},
		{"a member who is no admin", pub, []string{"admin", "login-link", "--workspace", "slack:T1", "--user", "U1", "--db", db}, 1, "not an admin of slack:T1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runMain(t, "", tc.env, tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.want) || stdout != "" {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d and %q", code, stdout, stderr, tc.code, tc.want)
			}
		})
	}
	t.Run("an admin on the list gets one line", func(t *testing.T) {
		s, err := store.Open(context.Background(), db)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.AddAdmin(context.Background(), bot.TenantRef{Platform: "slack", ID: "T1"}, "UADMIN", "test"); err != nil {
			t.Fatal(err)
		}
		s.Close()
		code, stdout, stderr := runMain(t, "", pub, "admin", "login-link", "--workspace", "slack:T1", "--user", "slack:T1:UADMIN", "--db", db)
		if code != 0 || !regexp.MustCompile(`^http://127\.0\.0\.1:3000/dashboard/login\?t=[A-Za-z0-9_-]{43}\n$`).MatchString(stdout) {
			t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
		}
	})
}

// TestDashboardContract is the contract with the real binary: a
// link printed by `admin login-link` for a `serve` on the same database,
// a confirmation page with one submit button, the overview after it, the
// unanswered queue one link away, and an answer written there being what
// `influbot chat --db` gives for the question afterwards.
func TestDashboardContract(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "influbot.db")
	question := "what is the wifi password at the creator meetup"
	answer := "The wifi password is influ2026, at the front desk."
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	base := "http://" + addr
	environ := append(os.Environ(), "INFLUBOT_PUBLIC_URL="+base, "INFLUBOT_ADDR=", "INFLUBOT_HTTP_ADDR=", "SLACK_SIGNING_SECRET=", "DISCORD_PUBLIC_KEY=")
	influbot := func(stdin string, args ...string) string {
		t.Helper()
		cmd := exec.Command(binary, args...)
		cmd.Env, cmd.Stdin, cmd.Dir = environ, strings.NewReader(stdin), dir
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Run(); err != nil {
			t.Fatalf("influbot %s: %v\n%s", strings.Join(args, " "), err, errb.String())
		}
		return out.String()
	}

	if got := influbot(question+"\n", "chat", "--db", dbPath, "--user", "bob"); strings.Contains(got, "influ2026") {
		t.Fatalf("answered before anyone wrote the answer: %q", got)
	}
	link := strings.TrimSpace(influbot("", "admin", "login-link", "--workspace", "console:local", "--user", "console:local:alice", "--db", dbPath))
	if strings.Contains(link, "\n") || !strings.HasPrefix(link, base+"/dashboard/login?") {
		t.Fatalf("link %q", link)
	}

	srv := &served{base: base, stderr: &syncBuffer{}, done: make(chan error, 1)}
	srv.cmd = exec.Command(binary, "serve", "--addr", addr, "--db", dbPath)
	srv.cmd.Env, srv.cmd.Stderr = environ, srv.stderr
	if err := srv.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { srv.done <- srv.cmd.Wait() }()
	t.Cleanup(func() {
		srv.cmd.Process.Kill()
		<-srv.done
	})
	if !eventually(20*time.Second, func() bool { return srv.status(t, "/readyz") == http.StatusOK }) {
		t.Fatalf("serve never got ready:\n%s", srv.stderr.String())
	}

	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	get := func(u string) (int, string) {
		t.Helper()
		res, err := c.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	post := func(u string, form url.Values) (*http.Response, string) {
		t.Helper()
		res, err := c.PostForm(u, form)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, string(b)
	}
	code, page := get(link)
	if code != http.StatusOK || strings.Count(page, `type="submit"`) != 1 {
		t.Fatalf("confirmation page: %d\n%s", code, page)
	}
	tok := regexp.MustCompile(`name="t" value="([^"]+)"`).FindStringSubmatch(page)
	if tok == nil {
		t.Fatalf("no token in the form:\n%s", page)
	}
	res, overview := post(base+"/dashboard/login", url.Values{"t": {tok[1]}})
	if res.Request.URL.Path != "/dashboard/w/console:local/" || !strings.Contains(overview, "questions asked") {
		t.Fatalf("after sign-in on %s:\n%s", res.Request.URL, overview)
	}
	queue := regexp.MustCompile(`href="(/dashboard/w/[^"]+/unanswered)"`).FindStringSubmatch(overview)
	if queue == nil {
		t.Fatalf("no link to the unanswered queue on the overview")
	}
	_, page = get(base + queue[1])
	if !strings.Contains(page, question) {
		t.Fatalf("the queue lacks the question:\n%s", page)
	}
	res, _ = post(base+queue[1]+"/answer", url.Values{"question": {question}, "title": {"Meetup wifi"}, "answer": {answer}})
	if res.StatusCode != http.StatusOK || res.Request.URL.Query().Get("done") == "" {
		t.Fatalf("answer: %d on %s", res.StatusCode, res.Request.URL)
	}
	if got := influbot(question+"\n", "chat", "--db", dbPath, "--user", "carol"); !strings.Contains(got, "influ2026") {
		t.Errorf("influbot chat after the answer: %q", got)
	}
	if res, _ := post(base+"/dashboard/login", url.Values{"t": {tok[1]}}); res.StatusCode != http.StatusGone {
		t.Errorf("replayed link: %d", res.StatusCode)
	}
}

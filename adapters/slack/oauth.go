package slack

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	slackapi "github.com/slack-go/slack"
)

// Paths of the install flow (OAuth v2), served when Adapter.OAuth is set.
const (
	InstallPath       = "/slack/install"
	OAuthCallbackPath = "/slack/oauth/callback"
)

// DefaultAuthorizeURL is Slack's OAuth v2 authorize page.
const DefaultAuthorizeURL = "https://slack.com/oauth/v2/authorize"

// DefaultStateTTL is how long an install link's state is good for.
const DefaultStateTTL = 10 * time.Minute

// stateCookie binds a state to the browser that asked for it.
const stateCookie = "influbot_slack_oauth"

// BotScopes are the bot scopes the app asks for, the manifest's
// oauth_config.scopes.bot (a test keeps them in step).
var BotScopes = []string{
	"app_mentions:read",
	"chat:write",
	"commands",
	"files:write",
	"im:history",
	"im:read",
	"im:write",
	"users:read",
}

// OAuthConfig is the app's side of Slack's OAuth v2 install flow, for
// distributing one deployment to many workspaces.
type OAuthConfig struct {
	ClientID     string // SLACK_CLIENT_ID
	ClientSecret string // SLACK_CLIENT_SECRET
	// RedirectURL is where Slack sends the browser back:
	// INFLUBOT_PUBLIC_URL + OAuthCallbackPath. It must be one of the
	// app's redirect URLs (the manifest's oauth_config.redirect_urls).
	RedirectURL string
	// AuthorizeURL overrides DefaultAuthorizeURL (tests, GovSlack).
	AuthorizeURL string
	// StateTTL overrides DefaultStateTTL.
	StateTTL time.Duration
}

// validate checks the install flow's settings without the network.
func (c *OAuthConfig) validate() error {
	switch {
	case c.ClientID == "" || c.ClientSecret == "":
		return errors.New("slack: the install flow needs SLACK_CLIENT_ID and SLACK_CLIENT_SECRET (Basic Information → App Credentials)")
	case c.RedirectURL == "":
		return errors.New("slack: the install flow needs INFLUBOT_PUBLIC_URL, the public https address Slack redirects to")
	}
	u, err := url.Parse(c.RedirectURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("slack: redirect URL %q is not an http(s) URL", c.RedirectURL)
	}
	return nil
}

func (c *OAuthConfig) ttl() time.Duration {
	if c.StateTTL > 0 {
		return c.StateTTL
	}
	return DefaultStateTTL
}

// handleInstall starts an install: a fresh state, bound to this browser by
// a cookie, and a redirect to Slack's authorize page.
func (a *Adapter) handleInstall(w http.ResponseWriter, r *http.Request) {
	c := a.OAuth
	nonce := make([]byte, 16)
	if _, err := rand.Read(nonce); err != nil {
		a.log.ErrorContext(r.Context(), "install: no randomness for the state", "err", err)
		http.Error(w, "could not start the install; try again", http.StatusInternalServerError)
		return
	}
	n := base64.RawURLEncoding.EncodeToString(nonce)
	expires := a.now().Add(c.ttl())
	state := a.signState(n, expires)
	http.SetCookie(w, &http.Cookie{
		Name: stateCookie, Value: n, Path: "/slack/oauth", MaxAge: int(c.ttl().Seconds()),
		HttpOnly: true, Secure: strings.HasPrefix(c.RedirectURL, "https://"), SameSite: http.SameSiteLaxMode,
	})
	authorize := c.AuthorizeURL
	if authorize == "" {
		authorize = DefaultAuthorizeURL
	}
	q := url.Values{}
	q.Set("client_id", c.ClientID)
	q.Set("scope", strings.Join(BotScopes, ","))
	q.Set("user_scope", "")
	q.Set("redirect_uri", c.RedirectURL)
	q.Set("state", state)
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, authorize+"?"+q.Encode(), http.StatusFound)
}

// signState is "nonce.expiry.mac": the MAC (HMAC-SHA256 under a key
// derived from INFLUBOT_SECRET_KEY) covers the nonce and the expiry.
func (a *Adapter) signState(nonce string, expires time.Time) string {
	exp := strconv.FormatInt(expires.Unix(), 10)
	m := hmac.New(sha256.New, a.Sealer.derive("oauth state"))
	m.Write([]byte(nonce + "." + exp))
	return nonce + "." + exp + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// errState is why a callback's state is refused, safe to show.
type errState string

func (e errState) Error() string { return string(e) }

// checkState verifies a callback's state: signed by us, not expired, for
// the browser that holds the cookie, and not used before.
func (a *Adapter) checkState(r *http.Request, state string) error {
	parts := strings.Split(state, ".")
	if len(parts) != 3 {
		return errState("the install link's state is malformed")
	}
	sec, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil {
		return errState("the install link's state is malformed")
	}
	want := a.signState(parts[0], time.Unix(sec, 0))
	if !hmac.Equal([]byte(want), []byte(state)) {
		return errState("the install link's state is not ours")
	}
	if !a.now().Before(time.Unix(sec, 0)) {
		return errState("the install link expired")
	}
	ck, err := r.Cookie(stateCookie)
	if err != nil || !hmac.Equal([]byte(ck.Value), []byte(parts[0])) {
		return errState("the install was started in another browser (or its cookie was blocked)")
	}
	if !a.seen.add("slack:oauth-state:"+parts[0]) || a.replayed(r.Context(), "slack:oauth-state:"+parts[0]) {
		return errState("the install link was already used")
	}
	a.remember(r.Context(), "slack:oauth-state:"+parts[0], time.Time{})
	return nil
}

// handleOAuthCallback finishes an install: checks the state, exchanges the
// code with oauth.v2.access and stores the workspace's bot token sealed.
func (a *Adapter) handleOAuthCallback(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	http.SetCookie(w, &http.Cookie{Name: stateCookie, Value: "", Path: "/slack/oauth", MaxAge: -1, HttpOnly: true})
	if e := q.Get("error"); e != "" {
		a.log.InfoContext(ctx, "install canceled in Slack", "error", clip(e, 80))
		installPage(w, http.StatusOK, "Install canceled", "influbot was not installed. You can start again from the install link whenever you like.")
		return
	}
	code, state := q.Get("code"), q.Get("state")
	if code == "" || state == "" {
		installPage(w, http.StatusBadRequest, "Install link incomplete", "This page needs the code and state Slack sends back. Start again from the install link.")
		return
	}
	if err := a.checkState(r, state); err != nil {
		a.rejected(ctx, "oauth-state", "refused an install callback", "reason", err.Error(), "remote", r.RemoteAddr)
		installPage(w, http.StatusBadRequest, "Install link not valid", "Sorry: "+err.Error()+". Start again from the install link.")
		return
	}
	opts := []slackapi.OAuthOption{}
	if a.APIURL != "" {
		opts = append(opts, slackapi.OAuthOptionAPIURL(a.APIURL))
	}
	hc := a.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	resp, err := slackapi.GetOAuthV2ResponseContext(ctx, hc, a.OAuth.ClientID, a.OAuth.ClientSecret, code, a.OAuth.RedirectURL, opts...)
	if err != nil {
		a.log.WarnContext(ctx, "install: oauth.v2.access failed", "err", err)
		installPage(w, http.StatusBadGateway, "Install failed", "Slack did not confirm the install. Start again from the install link; if it keeps failing, tell the person who runs influbot.")
		return
	}
	if !strings.HasPrefix(resp.AccessToken, "xoxb-") || resp.TokenType != "bot" {
		a.log.WarnContext(ctx, "install: oauth.v2.access returned no bot token", "token_type", resp.TokenType)
		installPage(w, http.StatusBadGateway, "Install failed", "Slack did not give influbot a bot token. Start again from the install link.")
		return
	}
	in := Install{
		ID: resp.Team.ID, TeamID: resp.Team.ID, TeamName: resp.Team.Name,
		EnterpriseID: resp.Enterprise.ID, EnterpriseName: resp.Enterprise.Name, EnterpriseInstall: resp.IsEnterpriseInstall,
		BotUserID: resp.BotUserID, Scopes: resp.Scope, InstalledBy: resp.AuthedUser.ID, InstalledAt: a.now(),
	}
	name := resp.Team.Name
	if in.EnterpriseInstall {
		in.ID, in.TeamID, in.TeamName, name = resp.Enterprise.ID, "", "", resp.Enterprise.Name
	}
	if in.ID == "" {
		a.log.WarnContext(ctx, "install: oauth.v2.access named no team or enterprise")
		installPage(w, http.StatusBadGateway, "Install failed", "Slack did not say which workspace installed influbot. Start again from the install link.")
		return
	}
	if in.Token, err = a.Sealer.Seal(resp.AccessToken, in.ID); err == nil {
		err = a.Installs.SaveInstall(ctx, in)
	}
	if err != nil {
		a.log.ErrorContext(ctx, "install: could not store the workspace's token", "install", in.ID, "err", err)
		installPage(w, http.StatusInternalServerError, "Install not saved", "Slack approved the install but influbot could not save it. Please try again in a minute.")
		return
	}
	a.clients.mu.Lock()
	for k, c := range a.clients.m {
		if k == in.ID || c.install == in.ID {
			delete(a.clients.m, k)
		}
	}
	a.clients.mu.Unlock()
	a.log.InfoContext(ctx, "installed in a workspace", "install", in.ID, "enterprise_install", in.EnterpriseInstall, "scopes", in.Scopes, "by", in.InstalledBy)
	installPage(w, http.StatusOK, "influbot is installed", "influbot is now installed in "+name+". Open Slack and find influbot under Apps: its Home tab shows your dashboard, and /influbot help lists what it can do.")
}

var installTmpl = template.Must(template.New("install").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{{.Title}}</title></head>
<body style="font-family:sans-serif;max-width:36em;margin:3em auto;padding:0 1em">
<h1>{{.Title}}</h1><p>{{.Text}}</p></body></html>
`))

// installPage answers the browser with a short page; text is escaped.
func installPage(w http.ResponseWriter, status int, title, text string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	installTmpl.Execute(w, struct{ Title, Text string }{title, text})
}

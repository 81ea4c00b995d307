package slack

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	slackapi "github.com/slack-go/slack"
)

// Install is the app installed in one workspace, or in a whole Enterprise
// Grid organisation (an org install), as the OAuth flow stores it.
type Install struct {
	// ID is the workspace's team id, or the organisation's enterprise id
	// for an org install.
	ID                string
	TeamID            string // "" for an org install
	TeamName          string
	EnterpriseID      string // "" outside Enterprise Grid
	EnterpriseName    string
	EnterpriseInstall bool
	BotUserID         string
	// Token is the bot token sealed with the Sealer (never the plain
	// token): the store keeps it as it is.
	Token       string
	Scopes      string
	InstalledBy string // the installing user's id
	InstalledAt time.Time
}

// InstallStore keeps installs (store.DB through cmd/influbot).
type InstallStore interface {
	// SaveInstall inserts or replaces the install with in.ID, clearing any
	// earlier revocation.
	SaveInstall(ctx context.Context, in Install) error
	// LoadInstall returns the live install for id: an install id, or a
	// team noted (NoteInstallTeam) as part of an org install. ok is false
	// when there is none or it was revoked.
	LoadInstall(ctx context.Context, id string) (in Install, ok bool, err error)
	// RevokeInstall forgets the install's token and marks it revoked at
	// at: its workspace's data is erased after the grace period. It
	// reports whether there was a live install.
	RevokeInstall(ctx context.Context, id string, at time.Time) (bool, error)
	// NoteInstallTeam records that team belongs to the org install id, so
	// nudges to its users find the token and its data is erased with it.
	NoteInstallTeam(ctx context.Context, id, team string) error
}

// clientTTL is how long a workspace's client is kept before its install
// is read again (a revocation by another process takes effect by then).
const clientTTL = 5 * time.Minute

// clientCache holds a Web API client per install.
type clientCache struct {
	mu sync.Mutex
	m  map[string]cachedClient
}

type cachedClient struct {
	api     *slackapi.Client
	install string // the install id it belongs to
	expires time.Time
}

type clientKey struct{}

// withClient carries the Web API client of the workspace a request or a
// nudge concerns.
func withClient(ctx context.Context, api *slackapi.Client) context.Context {
	return context.WithValue(ctx, clientKey{}, api)
}

// apiFor returns the client for the workspace ctx concerns: the one
// resolved for it (an installed workspace's token), or in single-workspace
// mode the SLACK_BOT_TOKEN client; nil when there is no token for it.
func (a *Adapter) apiFor(ctx context.Context) *slackapi.Client {
	if api, ok := ctx.Value(clientKey{}).(*slackapi.Client); ok {
		return api
	}
	if a.Installs == nil && a.BotToken != "" {
		return a.api
	}
	return nil
}

// canSend reports whether the workspace ctx concerns can be called.
func (a *Adapter) canSend(ctx context.Context) bool { return a.apiFor(ctx) != nil }

// errNotInstalled means a workspace has no install (or it was revoked).
var errNotInstalled = errors.New("the app is not installed in this workspace")

// forWorkspace returns ctx carrying the client of the workspace with
// team id team (and enterprise id enterprise; orgInstall when the request
// came through an org install). In single-workspace mode (no Installs) it
// is the SLACK_BOT_TOKEN client. With Installs, the workspace's own token,
// or, for the workspace SLACK_BOT_TOKEN belongs to, that token; any other
// workspace gets no client (answers inline only) and never another's token.
func (a *Adapter) forWorkspace(ctx context.Context, team, enterprise string, orgInstall bool) context.Context {
	if a.Installs == nil {
		return ctx
	}
	api, err := a.client(ctx, team, enterprise, orgInstall)
	if err != nil {
		if !errors.Is(err, errNotInstalled) {
			a.log.WarnContext(ctx, "could not load the workspace's install; answering inline only", "team", team, "enterprise", enterprise, "err", err)
		}
		return withClient(ctx, (*slackapi.Client)(nil))
	}
	return withClient(ctx, api)
}

func (a *Adapter) client(ctx context.Context, team, enterprise string, orgInstall bool) (*slackapi.Client, error) {
	ids := []string{team}
	if orgInstall && enterprise != "" {
		ids = []string{enterprise}
	} else if enterprise != "" && enterprise != team {
		ids = append(ids, enterprise)
	}
	now := a.now()
	for _, id := range ids {
		if id == "" {
			continue
		}
		a.clients.mu.Lock()
		c, ok := a.clients.m[id]
		a.clients.mu.Unlock()
		if ok && now.Before(c.expires) {
			return c.api, nil
		}
		in, found, err := a.Installs.LoadInstall(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("load install %s: %w", id, err)
		}
		if !found {
			continue
		}
		token, stale, err := a.Sealer.Open(in.Token, in.ID)
		if err != nil {
			return nil, fmt.Errorf("install %s: %w", in.ID, err)
		}
		if stale {
			a.reseal(ctx, in, token)
		}
		api := a.newClient(token)
		a.clients.mu.Lock()
		a.clients.m[id] = cachedClient{api: api, install: in.ID, expires: now.Add(clientTTL)}
		a.clients.mu.Unlock()
		if in.EnterpriseInstall && team != "" && team != in.ID {
			// Learn the organisation's workspaces as they talk: nudges to
			// their users, and the purge, find the install by team.
			if err := a.Installs.NoteInstallTeam(ctx, in.ID, team); err != nil {
				a.log.WarnContext(ctx, "could not note a team of an org install", "install", in.ID, "team", team, "err", err)
			}
		}
		return api, nil
	}
	if a.BotToken != "" {
		if self := a.self.Load(); self != nil && self.TeamID != "" && (self.TeamID == team || (self.EnterpriseID != "" && self.EnterpriseID == enterprise)) {
			return a.api, nil
		}
	}
	return nil, errNotInstalled
}

// reseal stores an install's token sealed again with the current key,
// after it was read with an old one (key rotation).
func (a *Adapter) reseal(ctx context.Context, in Install, token string) {
	sealed, err := a.Sealer.Seal(token, in.ID)
	if err == nil {
		in.Token = sealed
		err = a.Installs.SaveInstall(ctx, in)
	}
	if err != nil {
		a.log.WarnContext(ctx, "could not seal an install's token with the current key; it still opens with the old one", "install", in.ID, "err", err)
		return
	}
	a.log.InfoContext(ctx, "sealed an install's token with the current key", "install", in.ID, "key", a.Sealer.KeyID())
}

// newClient is a Web API client with token and the adapter's options.
func (a *Adapter) newClient(token string) *slackapi.Client {
	hc := a.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	opts := []slackapi.Option{slackapi.OptionHTTPClient(hc)}
	if a.APIURL != "" {
		opts = append(opts, slackapi.OptionAPIURL(a.APIURL))
	}
	return slackapi.New(token, opts...)
}

// uninstalled handles app_uninstalled and tokens_revoked for an install:
// its token is forgotten at once (store and cache); its workspace's data
// is erased after the grace period by whoever purges (cmd/influbot).
func (a *Adapter) uninstalled(ctx context.Context, kind, team, enterprise string, orgInstall bool) {
	id := team
	if orgInstall && enterprise != "" {
		id = enterprise
	}
	if id == "" {
		return
	}
	a.clients.mu.Lock()
	for k, c := range a.clients.m {
		if k == id || c.install == id {
			delete(a.clients.m, k)
		}
	}
	a.clients.mu.Unlock()
	if a.Installs == nil {
		a.log.WarnContext(ctx, "Slack says the app's token was revoked; without installs (SLACK_BOT_TOKEN mode) a new token must be configured", "event", kind, "team", id)
		return
	}
	ok, err := a.Installs.RevokeInstall(ctx, id, a.now())
	if err != nil {
		a.log.ErrorContext(ctx, "could not delete an uninstalled workspace's token", "event", kind, "install", id, "err", err)
		return
	}
	a.log.InfoContext(ctx, "workspace uninstalled the app or revoked its token; token deleted, data erased after the grace period", "event", kind, "install", id, "was_installed", ok)
}

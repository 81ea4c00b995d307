package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	slackadapter "github.com/influbot/influbot/adapters/slack"
	"github.com/influbot/influbot/store"
)

// defaultSlackPurgeAfter is the grace period between a workspace
// uninstalling the app and the erasure of its data.
const defaultSlackPurgeAfter = 30 * 24 * time.Hour

// slackMultiWorkspace reports whether the environment asks for the OAuth
// install flow (many workspaces from one deployment).
func slackMultiWorkspace(e *env) bool {
	return strings.TrimSpace(e.getenv("SLACK_CLIENT_ID")) != ""
}

// configureSlackInstalls turns on the install flow from SLACK_CLIENT_ID,
// SLACK_CLIENT_SECRET, INFLUBOT_SECRET_KEY (and INFLUBOT_SECRET_KEY_OLD)
// and INFLUBOT_PUBLIC_URL: installs kept in the database with their tokens
// sealed, the install routes, and the erasure of uninstalled workspaces'
// data after INFLUBOT_SLACK_PURGE_AFTER (default 30 days). Without
// SLACK_CLIENT_ID it does nothing: SLACK_BOT_TOKEN alone is single-
// workspace mode. Secret values never appear in its errors.
func configureSlackInstalls(a *app, e *env, sa *slackadapter.Adapter) error {
	if !slackMultiWorkspace(e) {
		return nil
	}
	secret := strings.TrimSpace(e.getenv("SLACK_CLIENT_SECRET"))
	if secret == "" {
		return usagef("SLACK_CLIENT_ID is set but SLACK_CLIENT_SECRET is not: copy both from your Slack app's Basic Information → App Credentials")
	}
	key := strings.TrimSpace(e.getenv("INFLUBOT_SECRET_KEY"))
	if key == "" {
		return usagef("installs across workspaces store each bot token encrypted: set INFLUBOT_SECRET_KEY to 32 random bytes in base64 (openssl rand -base64 32)")
	}
	sealer, err := slackadapter.NewSealer(key, e.getenv("INFLUBOT_SECRET_KEY_OLD"))
	if err != nil {
		return usagef("%v", err)
	}
	public, err := publicURL(e.getenv("INFLUBOT_PUBLIC_URL"))
	if err != nil {
		return err
	}
	if a.db == nil {
		return usagef("installs across workspaces are kept in the database: run with --db PATH (or INFLUBOT_DB), not --db=")
	}
	grace := defaultSlackPurgeAfter
	if v := strings.TrimSpace(e.getenv("INFLUBOT_SLACK_PURGE_AFTER")); v != "" {
		if grace, err = store.ParseAge(v); err != nil || grace <= 0 {
			return usagef("INFLUBOT_SLACK_PURGE_AFTER %q: want an age such as 30d or 1w", v)
		}
	}
	sa.Installs = slackInstalls{a.db}
	sa.Sealer = sealer
	sa.OAuth = &slackadapter.OAuthConfig{
		ClientID:     strings.TrimSpace(e.getenv("SLACK_CLIENT_ID")),
		ClientSecret: secret,
		RedirectURL:  public + slackadapter.OAuthCallbackPath,
		AuthorizeURL: strings.TrimSpace(e.getenv("SLACK_AUTHORIZE_URL")),
	}
	db, log, now := a.db, a.log, time.Now
	if db.Now != nil {
		now = db.Now
	}
	sa.Housekeeping = func(ctx context.Context) {
		rep, err := db.PurgeSlackWorkspaces(ctx, now().Add(-grace))
		switch {
		case err != nil && ctx.Err() == nil:
			log.WarnContext(ctx, "could not erase the data of uninstalled Slack workspaces; trying again later", "err", err)
		case rep.Workspaces > 0:
			log.InfoContext(ctx, "erased the data of uninstalled Slack workspaces", "workspaces", rep.Workspaces, "users", rep.Users, "rows", rep.Rows, "grace", store.FormatAge(grace))
		}
	}
	return nil
}

// publicURL checks INFLUBOT_PUBLIC_URL, the public base address of the
// HTTP server (https://influbot.example.com), without a trailing slash.
func publicURL(raw string) (string, error) {
	raw = strings.TrimRight(strings.TrimSpace(raw), "/")
	if raw == "" {
		return "", usagef("set INFLUBOT_PUBLIC_URL to the public https address that reaches influbot (Slack sends installers back to INFLUBOT_PUBLIC_URL%s)", slackadapter.OAuthCallbackPath)
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" {
		return "", usagef("INFLUBOT_PUBLIC_URL %q is not a base URL like https://influbot.example.com", raw)
	}
	return raw, nil
}

// slackInstalls keeps the adapter's installs in the database.
type slackInstalls struct{ db *store.DB }

func (s slackInstalls) SaveInstall(ctx context.Context, in slackadapter.Install) error {
	err := s.db.SaveSlackInstall(ctx, store.SlackInstall{
		ID: in.ID, TeamID: in.TeamID, TeamName: in.TeamName, EnterpriseID: in.EnterpriseID, EnterpriseName: in.EnterpriseName,
		EnterpriseInstall: in.EnterpriseInstall, BotUserID: in.BotUserID, BotToken: in.Token, Scopes: in.Scopes,
		InstalledBy: in.InstalledBy, InstalledAt: in.InstalledAt,
	})
	if err != nil {
		return fmt.Errorf("save install %s: %w", in.ID, err)
	}
	return nil
}

func (s slackInstalls) LoadInstall(ctx context.Context, id string) (slackadapter.Install, bool, error) {
	in, ok, err := s.db.SlackInstall(ctx, id)
	if err != nil || !ok {
		return slackadapter.Install{}, false, err
	}
	return slackadapter.Install{
		ID: in.ID, TeamID: in.TeamID, TeamName: in.TeamName, EnterpriseID: in.EnterpriseID, EnterpriseName: in.EnterpriseName,
		EnterpriseInstall: in.EnterpriseInstall, BotUserID: in.BotUserID, Token: in.BotToken, Scopes: in.Scopes,
		InstalledBy: in.InstalledBy, InstalledAt: in.InstalledAt,
	}, true, nil
}

func (s slackInstalls) RevokeInstall(ctx context.Context, id string, at time.Time) (bool, error) {
	return s.db.RevokeSlackInstall(ctx, id, at)
}

func (s slackInstalls) NoteInstallTeam(ctx context.Context, id, team string) error {
	return s.db.NoteSlackInstallTeam(ctx, id, team)
}

var _ slackadapter.InstallStore = slackInstalls{}

// errNoSlackToken is why run refuses Slack without any token.
var errNoSlackToken = errors.New("SLACK_BOT_TOKEN is not set: copy the Bot User OAuth Token (xoxb-...) from your Slack app's OAuth & Permissions page, set SLACK_CLIENT_ID and its companions to install the app in many workspaces, or use 'influbot serve' to answer slash commands inline without it")

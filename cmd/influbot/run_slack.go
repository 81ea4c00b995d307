package main

import (
	"fmt"
	"net/url"
	"strings"

	slackadapter "github.com/influbot/influbot/adapters/slack"
	"github.com/influbot/influbot/bot"
)

// slackPlatform runs influbot in a Slack workspace: over Socket Mode when
// SLACK_APP_TOKEN is set, otherwise as HTTP endpoints on INFLUBOT_HTTP_ADDR
// (default :3000) verified with SLACK_SIGNING_SECRET. SLACK_API_URL points
// it at another Web API (GovSlack's, or a test double).
func slackPlatform() platform {
	return platform{
		name: bot.PlatformSlack,
		// Any Slack variable means Slack is wanted: an incomplete set is
		// an error at start rather than a silent terminal chat.
		configured: func(e *env) bool {
			return e.getenv("SLACK_BOT_TOKEN") != "" || e.getenv("SLACK_SIGNING_SECRET") != "" || e.getenv("SLACK_APP_TOKEN") != "" || slackMultiWorkspace(e)
		},
		adapter: func(a *app, e *env) (adapter, error) {
			sa, err := slackAdapter(a, e)
			if err != nil {
				return nil, err
			}
			// run talks to Slack as a bot; only serve answers inline
			// without a token.
			if sa.BotToken == "" && sa.Installs == nil {
				return nil, errNoSlackToken
			}
			return sa, nil
		},
	}
}

// slackAdapter builds the adapter from the environment; it checks its
// tokens when it starts (Validate). Token values never appear in errors.
func slackAdapter(a *app, e *env) (*slackadapter.Adapter, error) {
	apiURL, err := slackAPIURL(e.getenv("SLACK_API_URL"))
	if err != nil {
		return nil, err
	}
	sa := &slackadapter.Adapter{
		BotToken:      strings.TrimSpace(e.getenv("SLACK_BOT_TOKEN")),
		SigningSecret: strings.TrimSpace(e.getenv("SLACK_SIGNING_SECRET")),
		AppToken:      strings.TrimSpace(e.getenv("SLACK_APP_TOKEN")),
		Addr:          e.getenv("INFLUBOT_HTTP_ADDR"),
		Bot:           a.bot,
		Logger:        a.log,
		APIURL:        apiURL,
	}
	if err := configureSlackInstalls(a, e, sa); err != nil {
		return nil, err
	}
	sa.OnReady = func() { a.notify.Register(bot.PlatformSlack, sa) }
	if a.db != nil {
		sa.Replays = a.db // replayed slash commands and retried events, across restarts
		sa.Ready = a.db.Health
	}
	return sa, nil
}

// slackAPIURL checks SLACK_API_URL, the Web API's base URL for GovSlack
// (https://slack-gov.com/api/) or a test double; "" means Slack's own.
// It ends with a slash, as slack-go wants.
func slackAPIURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", fmt.Errorf("SLACK_API_URL %q is not an http(s) URL like https://slack-gov.com/api/", raw)
	}
	if !strings.HasSuffix(raw, "/") {
		raw += "/"
	}
	return raw, nil
}

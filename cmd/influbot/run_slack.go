package main

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	slackadapter "github.com/influbot/influbot/adapters/slack"
	"github.com/influbot/influbot/bot"
)

// defaultHTTPAddr is where the Slack endpoints listen in HTTP mode.
const defaultHTTPAddr = ":3000"

// slackPlatform runs influbot in a Slack workspace: over Socket Mode when
// SLACK_APP_TOKEN is set, otherwise as HTTP endpoints on INFLUBOT_HTTP_ADDR
// verified with SLACK_SIGNING_SECRET. SLACK_API_URL points it at another
// Web API (GovSlack's, or a test double).
func slackPlatform() platform {
	return platform{
		name: bot.PlatformSlack,
		// Any Slack variable means Slack is wanted: an incomplete set is
		// an error at start rather than a silent terminal chat.
		configured: func(e *env) bool {
			return e.getenv("SLACK_BOT_TOKEN") != "" || e.getenv("SLACK_SIGNING_SECRET") != "" || e.getenv("SLACK_APP_TOKEN") != ""
		},
		run: runSlack,
	}
}

func runSlack(ctx context.Context, a *app, e *env) error {
	sa, err := slackAdapter(a, e)
	if err != nil {
		return err
	}
	if err := sa.Start(ctx); err != nil {
		return err
	}
	a.notify.Register(bot.PlatformSlack, sa)
	addr := e.getenv("INFLUBOT_HTTP_ADDR")
	if addr == "" {
		addr = defaultHTTPAddr
	}
	return sa.Run(ctx, addr)
}

// slackAdapter builds the adapter from the environment, checking that the
// tokens are present and not swapped. Token values never appear in errors.
func slackAdapter(a *app, e *env) (*slackadapter.Adapter, error) {
	botToken := strings.TrimSpace(e.getenv("SLACK_BOT_TOKEN"))
	secret := strings.TrimSpace(e.getenv("SLACK_SIGNING_SECRET"))
	appToken := strings.TrimSpace(e.getenv("SLACK_APP_TOKEN"))
	switch {
	case botToken == "":
		return nil, fmt.Errorf("SLACK_BOT_TOKEN is not set: copy the Bot User OAuth Token (xoxb-...) from your Slack app's OAuth & Permissions page")
	case !strings.HasPrefix(botToken, "xoxb-"):
		return nil, fmt.Errorf("SLACK_BOT_TOKEN does not look like a bot token: it should start with xoxb-")
	case appToken != "" && !strings.HasPrefix(appToken, "xapp-"):
		return nil, fmt.Errorf("SLACK_APP_TOKEN does not look like an app-level token: it should start with xapp-")
	case appToken == "" && secret == "":
		return nil, fmt.Errorf("set SLACK_SIGNING_SECRET (from Basic Information) to serve Slack's requests over HTTP, or SLACK_APP_TOKEN (xapp-...) to use Socket Mode")
	}
	apiURL, err := slackAPIURL(e.getenv("SLACK_API_URL"))
	if err != nil {
		return nil, err
	}
	sa := &slackadapter.Adapter{
		BotToken:      botToken,
		SigningSecret: secret,
		AppToken:      appToken,
		Bot:           a.bot,
		Logger:        a.log,
		APIURL:        apiURL,
	}
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

package main

import (
	"strings"
	"testing"

	slackadapter "github.com/influbot/influbot/adapters/slack"
	"github.com/influbot/influbot/bot"
)

func TestSlackConfiguration(t *testing.T) {
	const (
		botToken = "xoxb-1111-secret-bot"
		appToken = "xapp-1-secret-app"
		secret   = "0123456789abcdef-signing"
	)
	for _, tc := range []struct {
		name       string
		env        map[string]string
		configured bool
		wantErr    string // "" means the adapter is built
		socketMode bool
	}{
		{"no Slack variables leave Slack off", map[string]string{}, false, "", false},
		{"a bot token with a signing secret serves HTTP", map[string]string{"SLACK_BOT_TOKEN": botToken, "SLACK_SIGNING_SECRET": secret}, true, "", false},
		{"a bot token with an app token uses Socket Mode", map[string]string{"SLACK_BOT_TOKEN": botToken, "SLACK_APP_TOKEN": appToken}, true, "", true},
		{"a bot token alone is an error, not a silent terminal chat", map[string]string{"SLACK_BOT_TOKEN": botToken}, true, "SLACK_SIGNING_SECRET", false},
		{"a signing secret without a bot token is an error for run", map[string]string{"SLACK_SIGNING_SECRET": secret}, true, "SLACK_BOT_TOKEN is not set", false},
		{"swapped tokens are caught", map[string]string{"SLACK_BOT_TOKEN": appToken, "SLACK_APP_TOKEN": botToken}, true, "should start with xoxb-", false},
		{"an app token of the wrong kind is caught", map[string]string{"SLACK_BOT_TOKEN": botToken, "SLACK_APP_TOKEN": "xoxp-user-token"}, true, "should start with xapp-", false},
		{"SLACK_API_URL must be an http(s) URL", map[string]string{"SLACK_BOT_TOKEN": botToken, "SLACK_SIGNING_SECRET": secret, "SLACK_API_URL": "slack-gov.com/api"}, true, "SLACK_API_URL", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := &env{getenv: func(k string) string { return tc.env[k] }}
			if got := slackPlatform().configured(e); got != tc.configured {
				t.Fatalf("configured = %v, want %v", got, tc.configured)
			}
			if !tc.configured {
				return
			}
			var sa *slackadapter.Adapter
			ad, err := slackPlatform().adapter(&app{bot: &bot.Bot{}}, e)
			if err == nil {
				sa = ad.(*slackadapter.Adapter)
				err = sa.Validate()
			}
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err %v, want one mentioning %q", err, tc.wantErr)
				}
				for _, s := range []string{botToken, appToken, secret} {
					if strings.Contains(err.Error(), s) {
						t.Errorf("the error shows a secret: %v", err)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("err %v", err)
			}
			if sa.BotToken != botToken || (sa.AppToken != "") != tc.socketMode {
				t.Errorf("adapter has bot token %v, app token %v", sa.BotToken != "", sa.AppToken != "")
			}
		})
	}
}

func TestSlackAPIURL(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"unset means Slack's own", "", ""},
		{"GovSlack's gets its trailing slash", "https://slack-gov.com/api", "https://slack-gov.com/api/"},
		{"a local test double is allowed", "http://127.0.0.1:8080/api/", "http://127.0.0.1:8080/api/"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := &env{getenv: func(k string) string {
				return map[string]string{"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "SLACK_API_URL": tc.in}[k]
			}}
			sa, err := slackAdapter(&app{}, e)
			if err != nil {
				t.Fatal(err)
			}
			if sa.APIURL != tc.want {
				t.Errorf("APIURL %q, want %q", sa.APIURL, tc.want)
			}
		})
	}
}

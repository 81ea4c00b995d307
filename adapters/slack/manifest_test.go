package slack

import (
	"encoding/json"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
)

// manifest is the part of Slack's app manifest the adapter depends on.
type manifest struct {
	Features struct {
		AppHome struct {
			HomeTab     bool `json:"home_tab_enabled"`
			MessagesTab bool `json:"messages_tab_enabled"`
		} `json:"app_home"`
		Shortcuts []struct {
			Name       string `json:"name"`
			Type       string `json:"type"`
			CallbackID string `json:"callback_id"`
		} `json:"shortcuts"`
		SlashCommands []struct {
			Command string `json:"command"`
			URL     string `json:"url"`
		} `json:"slash_commands"`
	} `json:"features"`
	OAuth struct {
		RedirectURLs []string `json:"redirect_urls"`
		Scopes       struct {
			Bot []string `json:"bot"`
		} `json:"scopes"`
	} `json:"oauth_config"`
	Settings struct {
		Events struct {
			RequestURL string   `json:"request_url"`
			BotEvents  []string `json:"bot_events"`
		} `json:"event_subscriptions"`
		Interactivity struct {
			Enabled    bool   `json:"is_enabled"`
			RequestURL string `json:"request_url"`
		} `json:"interactivity"`
		OrgDeploy bool `json:"org_deploy_enabled"`
	} `json:"settings"`
}

func readManifest(t *testing.T) (string, manifest) {
	t.Helper()
	raw, err := os.ReadFile("manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	var m manifest
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("manifest.json: %v", err)
	}
	return string(raw), m
}

// readmeSlack is the README's Slack section.
func readmeSlack(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i := strings.Index(s, "\n## Slack\n")
	if i < 0 {
		t.Fatal("README has no Slack section")
	}
	s = s[i+1:]
	if j := strings.Index(s[3:], "\n## "); j >= 0 {
		s = s[:j+3]
	}
	return s
}

func TestManifestIsTheREADMEs(t *testing.T) {
	raw, _ := readManifest(t)
	section := readmeSlack(t)
	start := strings.Index(section, "```json\n")
	if start < 0 {
		t.Fatal("the README's Slack section shows no JSON manifest")
	}
	rest := section[start+len("```json\n"):]
	end := strings.Index(rest, "```")
	if end < 0 {
		t.Fatal("unclosed manifest in the README")
	}
	if got := rest[:end]; strings.TrimSpace(got) != strings.TrimSpace(raw) {
		t.Errorf("the README's manifest differs from adapters/slack/manifest.json: copy the file into the README")
	}
	for _, v := range []string{"SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "INFLUBOT_SECRET_KEY", "INFLUBOT_SECRET_KEY_OLD", "INFLUBOT_PUBLIC_URL", "INFLUBOT_SLACK_PURGE_AFTER", InstallPath, OAuthCallbackPath, "Quick check", "Check disclosure", "App Home"} {
		if !strings.Contains(section, v) {
			t.Errorf("the README's Slack section does not mention %s", v)
		}
	}
}

func TestManifestMatchesTheAdapter(t *testing.T) {
	_, m := readManifest(t)
	path := func(raw string) string {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatalf("%q: %v", raw, err)
		}
		return u.Path
	}
	if !slices.Equal(m.OAuth.Scopes.Bot, BotScopes) {
		t.Errorf("manifest scopes %v, the install flow asks for %v", m.OAuth.Scopes.Bot, BotScopes)
	}
	events := map[string]bool{}
	for _, e := range m.Settings.Events.BotEvents {
		name, _, _ := strings.Cut(e, ".") // message.im is the message event
		events[name] = true
	}
	for e := range handledEvents {
		if !events[e] {
			t.Errorf("the adapter handles %s but the manifest does not subscribe to it", e)
		}
	}
	for e := range events {
		if !handledEvents[e] {
			t.Errorf("the manifest subscribes to %s, which the adapter ignores", e)
		}
	}
	shortcuts := map[string]string{}
	for _, s := range m.Features.Shortcuts {
		shortcuts[s.CallbackID] = s.Type
	}
	if shortcuts[QuickCheckShortcut] != "global" || shortcuts[CheckDisclosureShortcut] != "message" || len(shortcuts) != 2 {
		t.Errorf("shortcuts %v", shortcuts)
	}
	if !m.Features.AppHome.HomeTab || !m.Features.AppHome.MessagesTab {
		t.Error("App Home's tabs are off")
	}
	if len(m.Features.SlashCommands) != 1 || path(m.Features.SlashCommands[0].URL) != CommandsPath {
		t.Errorf("slash commands %+v", m.Features.SlashCommands)
	}
	if path(m.Settings.Events.RequestURL) != EventsPath || path(m.Settings.Interactivity.RequestURL) != InteractivePath || !m.Settings.Interactivity.Enabled {
		t.Errorf("request URLs %q %q", m.Settings.Events.RequestURL, m.Settings.Interactivity.RequestURL)
	}
	if len(m.OAuth.RedirectURLs) != 1 || path(m.OAuth.RedirectURLs[0]) != OAuthCallbackPath {
		t.Errorf("redirect URLs %v", m.OAuth.RedirectURLs)
	}
	if !m.Settings.OrgDeploy {
		t.Error("org_deploy_enabled is off: Enterprise Grid organisations cannot install the app")
	}
}

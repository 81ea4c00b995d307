package faulttest

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// hostile are questions members might ask so that the bot shows an admin a
// live link, mention or formatting when it quotes them.
var hostile = []string{
	"[Verify your Amazon account](https://evil.example/login) *bold* @everyone",
	"<https://evil.example|https://amazon.com> <!channel> <@UADMIN1>",
	"&lt;https://evil.example|click here&gt; ~strike~ `code` _it_",
	"<!here> <!subteam^S1|@team> [a](<https://evil.example>)",
}

// liveInMrkdwn finds what Slack would turn into a link, a mention or
// formatting in mrkdwn text.
var liveInMrkdwn = regexp.MustCompile("<[^>]*>|[*_~`]|@(everyone|channel|here)\\b")

func TestHostileQuestionsReachAdminsInert(t *testing.T) {
	f := newFakeSlack(t)
	s := startServer(t, f, filepath.Join(t.TempDir(), "influbot.db"))
	for i, q := range hostile {
		if st, _, _ := s.post("/slack/events", "application/json", directMessage(fmt.Sprint("EvHostile", i), fmt.Sprint("UMEMBER", i), q+" flibbertigibbet quixotic")); st != 200 {
			t.Fatalf("question %d got %d", i, st)
		}
	}
	st, body, _ := s.post("/slack/commands", "application/x-www-form-urlencoded", slashCommand(f, "UADMIN1", "C1", "unanswered", "u1"))
	if st != 200 {
		t.Fatalf("unanswered got %d", st)
	}
	var answer struct {
		ResponseType string `json:"response_type"`
		Text         string `json:"text"`
		Blocks       []struct {
			Text *struct {
				Text string `json:"text"`
			} `json:"text"`
		} `json:"blocks"`
	}
	if err := json.Unmarshal(body, &answer); err != nil {
		t.Fatalf("unanswered answer %q: %v", body, err)
	}
	if answer.ResponseType != "ephemeral" {
		t.Errorf("unanswered answered %q, want ephemeral", answer.ResponseType)
	}
	var sections []string
	for _, b := range answer.Blocks {
		if b.Text != nil {
			sections = append(sections, b.Text.Text)
		}
	}
	all := strings.Join(sections, "\n")
	if !strings.Contains(all, "Verify your Amazon account") {
		t.Fatalf("the unanswered list does not quote the questions:\n%s", all)
	}
	live := 0
	for _, sec := range append(sections, answer.Text) {
		for _, line := range strings.Split(sec, "\n") {
			if !strings.Contains(line, "flibbertigibbet") {
				continue // the bot's own words around the list
			}
			if m := liveInMrkdwn.FindString(line); m != "" {
				live++
				t.Errorf("quoted question carries live markup %q: %s", m, line)
			}
		}
	}

	st, body, _ = s.post("/slack/commands", "application/x-www-form-urlencoded", slashCommand(f, "UADMIN1", "C1", "admin add <@UEVE0001|eve>", "a1"))
	var added struct {
		Text string `json:"text"`
	}
	json.Unmarshal(body, &added)
	if st != 200 || !strings.HasPrefix(added.Text, "<@UEVE0001> is now an admin") {
		t.Errorf("admin add answered %d %q, want a real mention <@UEVE0001>", st, added.Text)
	}
	t.Logf("hostile text: %d hostile questions quoted in an admin's unanswered list with %d live links, mentions or formatting; admin add mentions the user for real", len(hostile), live)
}

package slack

import (
	"strings"
	"testing"
	"time"

	"github.com/influbot/influbot/bot"
)

func nextUpload(t *testing.T, f *fakeSlack) upload {
	t.Helper()
	select {
	case up := <-f.uploads:
		return up
	case <-time.After(10 * time.Second):
		t.Fatal("no file was uploaded")
		return upload{}
	}
}

func TestReplyFileIsUploadedIntoTheConversation(t *testing.T) {
	core := newFakeCore()
	core.reply = func(bot.Request) bot.Reply {
		return bot.Reply{Text: "Here is your history.", File: &bot.File{Name: "history.csv", ContentType: "text/csv", Data: []byte("when,what\n")}}
	}
	h := newHarness(t, core)
	ev := appMention("U1", "C1", "<@"+botUser+"> history export")
	ev["thread_ts"] = "1699999999.000100"
	h.sendEvent(t, eventCallback(teamA, "EvF1", ev))

	h.slack.nextPost(t)
	up := nextUpload(t, h.slack)
	if up.Name != "history.csv" || up.Content != "when,what\n" || up.Channel != "C1" || up.Thread != "1699999999.000100" {
		t.Errorf("upload %+v, want history.csv in C1's thread", up)
	}
	for _, m := range []string{"files.getUploadURLExternal", "files.completeUploadExternal"} {
		if h.slack.called(m) != 1 {
			t.Errorf("%s called %d times, want 1", m, h.slack.called(m))
		}
	}
}

func TestEphemeralFileGoesToTheUsersDM(t *testing.T) {
	core := newFakeCore()
	core.reply = func(bot.Request) bot.Reply {
		return bot.Reply{Text: "Only for you.", Ephemeral: true, File: &bot.File{Name: "mine.txt", Data: []byte("private")}}
	}
	h := newHarness(t, core)
	h.sendEvent(t, eventCallback(teamA, "EvF2", appMention("U1", "C1", "<@"+botUser+"> export")))

	if p := h.slack.nextPost(t); p.Via != "chat.postEphemeral" {
		t.Errorf("reply via %s, want chat.postEphemeral", p.Via)
	}
	if up := nextUpload(t, h.slack); up.Channel != "DU1" {
		t.Errorf("the private file was shared in %q, want the DM DU1", up.Channel)
	}
	if p := h.slack.nextPost(t); p.Via != "chat.postEphemeral" || !strings.Contains(blockText(p.Blocks[0]), "direct message") {
		t.Errorf("note %+v, want an ephemeral pointer to the DM", p)
	}
}

func TestFailedUploadFallsBackToText(t *testing.T) {
	for _, tc := range []struct {
		name string
		file bot.File
		want string
	}{
		{"a text file is shown in a code block", bot.File{Name: "plan.csv", ContentType: "text/csv", Data: []byte("day,task\n1,<post>\n")},
			"```\nday,task\n1,&lt;post&gt;\n```"},
		{"a binary file is named", bot.File{Name: "chart.png", ContentType: "image/png", Data: []byte{0x89, 'P', 'N', 'G', 0, 1}},
			"I couldn't attach `chart.png` (6 bytes)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			core := newFakeCore()
			core.reply = func(bot.Request) bot.Reply { return bot.Reply{Text: "Export:", File: &tc.file} }
			h := newHarness(t, core)
			h.slack.fail("files.getUploadURLExternal", failure{Code: "missing_scope"})
			h.sendEvent(t, eventCallback(teamA, "EvF3", directMessage("U1", "D1", "export")))

			h.slack.nextPost(t)
			p := h.slack.nextPost(t)
			if got := blockText(p.Blocks[0]); !strings.Contains(got, tc.want) {
				t.Errorf("fallback %q, want it to contain %q", got, tc.want)
			}
		})
	}
}

func TestAPictureIsUploadedWithItsAltText(t *testing.T) {
	core := newFakeCore()
	const alt = "Progress chart. Instagram (2 checks): followers 3,900 → 4,600 (+18%) from 2 Oct to 30 Nov."
	core.reply = func(bot.Request) bot.Reply {
		return bot.Reply{
			Title: "Your progress", Text: "**Instagram**: followers 3,900 → 4,600 (+18%) since 2 Oct", Ephemeral: true,
			Image: &bot.Image{URL: "attachment://influbot-progress-2026-11-30.png", Alt: alt},
			File:  &bot.File{Name: "influbot-progress-2026-11-30.png", ContentType: "image/png", Data: []byte("\x89PNG\r\n\x1a\nfake"), Alt: alt},
		}
	}
	h := newHarness(t, core)
	h.sendEvent(t, eventCallback(teamA, "EvF9", directMessage("U1", "D1", "history")))

	p := h.slack.nextPost(t)
	for _, b := range p.Blocks {
		if b["type"] == "image" {
			t.Errorf("an attachment:// picture became an image block Slack would refuse: %v", b)
		}
	}
	up := nextUpload(t, h.slack)
	if up.Name != "influbot-progress-2026-11-30.png" || up.Alt != alt {
		t.Errorf("upload %q with alt %q, want the chart with its alt text", up.Name, up.Alt)
	}
}

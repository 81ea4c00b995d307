package dashboard

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/bot/bottest"
	"github.com/influbot/influbot/store"
)

// An answer written in one instance's dashboard is used by another
// instance on the same database (its own connections and its own
// workspace cache), at its next question: on PostgreSQL that is how
// several serve processes share a database.
func TestAnotherInstanceUsesTheEdit(t *testing.T) { bothEngines(t, testAnotherInstanceUsesTheEdit) }

func testAnotherInstanceUsesTheEdit(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	db2 := store.New(h.db.Path)
	db2.Now = h.clock.Now
	if err := db2.Open(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db2.Close() })
	kb := bottest.Knowledge(t)
	other, err := bot.New(bot.Config{Knowledge: kb, Events: db2, Unanswered: db2, Checks: db2, History: db2, Admins: db2,
		AdminList: db2, Plans: db2, Context: db2, Workspace: &Workspaces{Base: kb, Store: db2}, Now: h.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	member := bot.UserRef{Platform: bot.PlatformSlack, Tenant: "TA", ID: "UMEMBER"}
	ask := func() string {
		r := other.Handle(ctx, bot.Request{User: member, Text: "where do we park for the guild barbecue", DM: true})
		return r.Title + "\n" + r.Text
	}
	if got := ask(); strings.Contains(got, "lot behind the bakery") {
		t.Fatalf("answered before the edit: %q", got)
	}
	b := h.browser()
	b.signIn(slackAdminA)
	p := b.post(wsPath(slackAdminA.TenantRef())+"/unanswered/answer", url.Values{
		"question": {"where do we park for the guild barbecue"}, "title": {"Barbecue parking"}, "answer": {"Park in the lot behind the bakery."}})
	if p.code != http.StatusSeeOther || strings.Contains(p.header.Get("Location"), "error=") {
		t.Fatalf("answer: %d %s", p.code, p.header.Get("Location"))
	}
	if got := ask(); !strings.Contains(got, "lot behind the bakery") {
		t.Errorf("the other instance after the edit: %q", got)
	}
	if got := other.Handle(ctx, bot.Request{User: bot.UserRef{Platform: bot.PlatformSlack, Tenant: "TB", ID: "U1"}, Text: "where do we park for the guild barbecue", DM: true}); strings.Contains(got.Text, "bakery") {
		t.Errorf("another workspace got TA's answer: %q", got.Text)
	}
}

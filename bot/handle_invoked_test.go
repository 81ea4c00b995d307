package bot

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/influbot/influbot/knowledge"
)

// TestHandleInvokedMatchesInvokedAndHandle plays every message of the
// conversation suites and the dev sets through two bots, one asked
// Invoked then Handle, the other HandleInvoked (which reads the message
// once), and compares the commands and the replies.
func TestHandleInvokedMatchesInvokedAndHandle(t *testing.T) {
	kb, err := knowledge.LoadDir("")
	if err != nil {
		t.Fatal(err)
	}
	clock := func() time.Time { return time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC) }
	newBot := func() *Bot {
		b, err := New(Config{Knowledge: kb, Now: clock})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	two, one := newBot(), newBot()
	ctx := context.Background()
	in := lexiconInputs(t)
	in = append(in, "  thanks!  ", "\tstop\n", "ok \xff thanks", "remind me \xffat 9")
	for i, text := range in {
		req := Request{User: UserRef{Platform: PlatformConsole, Tenant: LocalTenant, ID: fmt.Sprintf("u%d", i%7)}, Text: text, Time: clock()}
		wantCmd, wantOK := two.Invoked(req)
		want := two.Handle(ctx, req)
		got, gotCmd, gotOK := one.HandleInvoked(ctx, req)
		if gotCmd != wantCmd && !(gotCmd != nil && wantCmd != nil && gotCmd.Name == wantCmd.Name) || gotOK != wantOK {
			t.Fatalf("%q: HandleInvoked's command %v %v, Invoked's %v %v", text, gotCmd, gotOK, wantCmd, wantOK)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: HandleInvoked replied\n%#v\nHandle replied\n%#v", text, got, want)
		}
	}
}

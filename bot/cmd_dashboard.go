package bot

import (
	"context"
	"time"
)

// LoginLinks issues one-time sign-in links to the admin dashboard.
type LoginLinks interface {
	// LoginLink returns a link that signs u in to their workspace's
	// dashboard once, before it expires. platformAdmin is the platform's
	// word that u administers the workspace (Request.Admin).
	LoginLink(ctx context.Context, u UserRef, platformAdmin bool) (link string, expires time.Time, err error)
}

func (b *Bot) dashboardCommands() []*Command {
	return []*Command{b.dashboardCommand()}
}

func (b *Bot) dashboardCommand() *Command {
	return &Command{
		Name:     "dashboard",
		Aliases:  []string{"dash"},
		Private:  true,
		Admin:    true,
		Summary:  "Get a private one-time link to this workspace's admin dashboard in your browser.",
		Usage:    "dashboard",
		Examples: []string{"dashboard"},
		Run: func(ctx context.Context, c *Call) (Reply, error) {
			if b.cfg.Dashboard == nil {
				return Reply{Text: "The dashboard isn't switched on for this bot. Its operator can switch it on by running `influbot serve` with INFLUBOT_PUBLIC_URL set.", Ephemeral: true}, nil
			}
			link, exp, err := b.cfg.Dashboard.LoginLink(ctx, c.User, c.Request.Admin)
			if err != nil {
				return Reply{}, err
			}
			mins := int(exp.Sub(b.now()).Round(time.Minute) / time.Minute)
			return Reply{
				Title: "Your dashboard link",
				Text: "Open this link to sign in to this workspace's dashboard. It works once, for the next " +
					quantity(mins, "minute") + ", and only for you: don't share it.\n\n" + link,
				Ephemeral: true,
			}, nil
		},
	}
}

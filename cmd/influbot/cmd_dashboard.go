package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/internal/dashboard"
	"github.com/influbot/influbot/internal/service"
	"github.com/influbot/influbot/store"
)

// dashboardSubcommands returns the dashboard's operator tools.
func dashboardSubcommands() []subcommand {
	return []subcommand{
		{name: "admin", summary: "Dashboard tools: 'admin login-link' prints a one-time sign-in link to a workspace's dashboard", usage: "login-link --workspace PLATFORM:TENANT --user PLATFORM:TENANT:USER [--db PATH]", run: runAdmin},
	}
}

func runAdmin(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || (args[0] != "login-link" && !strings.HasPrefix(args[0], "-")) {
		return usagef("admin: say what to do: influbot admin login-link --workspace PLATFORM:TENANT --user PLATFORM:TENANT:USER")
	}
	if args[0] == "login-link" {
		args = args[1:]
	}
	fs := newFlagSet(e, "admin login-link", "--workspace PLATFORM:TENANT --user PLATFORM:TENANT:USER [--db PATH]", `
Print a one-time link (one line) that signs USER in to the dashboard of
the workspace, for 10 minutes. It points at INFLUBOT_PUBLIC_URL, where
'influbot serve' on the same database is reached. On the console's
workspace (console:local) the operator is its admin; elsewhere USER must be
on the workspace's admin list or hold a dashboard role.`)
	var path, ws, user string
	registerDB(fs, e, &path)
	fs.StringVar(&ws, "workspace", "", "the workspace, platform:tenant (e.g. console:local or discord:123456789)")
	fs.StringVar(&user, "user", "", "who signs in, platform:tenant:user (or just the user id within --workspace)")
	publicURL := fs.String("public-url", e.getenv("INFLUBOT_PUBLIC_URL"), "where the dashboard is reached (env INFLUBOT_PUBLIC_URL)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := noArgs("admin login-link", pos); err != nil {
		return err
	}
	t, err := bot.ParseTenantRef(ws)
	if err != nil {
		return usagef("--workspace: %v", err)
	}
	if user != "" && !strings.Contains(user, ":") {
		user = t.String() + ":" + user
	}
	u, err := parseUserFlag(user)
	if err != nil {
		return err
	}
	if u.TenantRef() != t {
		return usagef("--user %s is not in workspace %s", u, t)
	}
	if _, err := dashboard.PublicBase(*publicURL); err != nil {
		return usagef("%s", bot.ErrorMessage(err))
	}
	if path == "" {
		return usagef("--db: give the database file")
	}
	// The database may be new: serve, started later on it, finds the link.
	db := store.New(path)
	if err := db.Open(ctx); err != nil {
		return err
	}
	defer db.Close()
	links := &dashboard.Links{Store: db, Rights: db, PublicURL: *publicURL}
	link, _, err := links.LoginLink(ctx, u, false)
	if err != nil {
		if bot.ErrorCode(err) == bot.EFORBIDDEN {
			return fmt.Errorf("%s is not an admin of %s: add them with the bot's `admin add` command, or give them a role on the dashboard's Admins page", u, t)
		}
		return err
	}
	fmt.Fprintln(e.stdout, link)
	return nil
}

// wireDashboard gives the bot each workspace's own knowledge (its
// dashboard edits) and, with INFLUBOT_PUBLIC_URL, the dashboard command's
// sign-in links. Without a database there is neither.
func (a *app) wireDashboard(e *env, cfg *bot.Config) {
	if a.db == nil {
		return
	}
	a.workspaces = &dashboard.Workspaces{Base: a.kb, Store: a.db, Logger: a.log}
	cfg.Workspace = a.workspaces
	if pub := strings.TrimSpace(e.getenv("INFLUBOT_PUBLIC_URL")); pub != "" {
		if _, err := dashboard.PublicBase(pub); err == nil {
			a.publicURL = pub
			cfg.Dashboard = &dashboard.Links{Store: a.db, Rights: a.db, PublicURL: pub}
		} else {
			a.log.Warn("dashboard off: " + bot.ErrorMessage(err))
		}
	}
}

// mountDashboard serves the dashboard under /dashboard/ on srv when
// INFLUBOT_PUBLIC_URL and a database are set.
func (a *app) mountDashboard(srv *service.Server) error {
	if a.workspaces == nil || a.publicURL == "" {
		a.log.Info("dashboard off: it needs a database and INFLUBOT_PUBLIC_URL")
		return nil
	}
	d, err := dashboard.New(dashboard.Config{Store: a.db, Workspaces: a.workspaces, PublicURL: a.publicURL, Logger: a.log})
	if err != nil {
		return err
	}
	srv.Mount("dashboard", "dashboard", d, "/dashboard/")
	a.log.Info("dashboard on", "url", strings.TrimRight(a.publicURL, "/")+"/dashboard/")
	return nil
}

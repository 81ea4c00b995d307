// Package dashboard is influbot's admin dashboard in the browser, served
// by "influbot serve" under /dashboard/: a workspace's overview, its
// unanswered questions (answer, add as a phrasing, dismiss) with a test
// pane, its own FAQ entries on top of the shipped knowledge, nudge health,
// roles and the audit log.
//
// Admins sign in with one-time links (Links), which the bot's dashboard
// command or "influbot admin login-link" hands out: opening one shows a
// confirmation page, and only its POST spends the token and starts a
// server-side session. Every page is under /dashboard/w/{workspace}/ and
// checked against the session's workspace; every query names it.
//
// Workspaces gives the bot each workspace's knowledge (bot.WorkspaceKnowledge):
// the shipped knowledge with the workspace's overrides merged on top
// (knowledge.Base.WithOverrides), cached and rebuilt when they change.
package dashboard

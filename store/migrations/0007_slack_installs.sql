-- 0007: Slack workspaces that installed the app through the OAuth flow
-- (many workspaces from one deployment). install_id is the workspace's
-- team id, or the Enterprise Grid organisation's id for an org install.
-- bot_token is sealed by the adapter (AES-GCM, "v1:<key id>:..."), never
-- plain; it is emptied when the app is uninstalled or its token revoked,
-- and revoked_at starts the grace period after which the workspace's data
-- is erased (PurgeSlackWorkspaces).
CREATE TABLE slack_installs (
	install_id         TEXT PRIMARY KEY,
	team_id            TEXT NOT NULL DEFAULT '',
	team_name          TEXT NOT NULL DEFAULT '',
	enterprise_id      TEXT NOT NULL DEFAULT '',
	enterprise_name    TEXT NOT NULL DEFAULT '',
	enterprise_install INTEGER NOT NULL DEFAULT 0,
	bot_user_id        TEXT NOT NULL DEFAULT '',
	bot_token          TEXT NOT NULL DEFAULT '',
	scopes             TEXT NOT NULL DEFAULT '',
	installed_by       TEXT NOT NULL DEFAULT '',
	installed_at       INTEGER NOT NULL,
	revoked_at         INTEGER
);

CREATE INDEX slack_installs_revoked ON slack_installs (revoked_at);

-- The workspaces of an org install, learned as their users talk to the
-- bot: nudges to them find the organisation's token, and the purge
-- erases their data with the organisation's.
CREATE TABLE slack_install_teams (
	team_id    TEXT PRIMARY KEY,
	install_id TEXT NOT NULL REFERENCES slack_installs (install_id) ON DELETE CASCADE
);

CREATE INDEX slack_install_teams_install ON slack_install_teams (install_id);

-- PostgreSQL twin of ../0007_slack_installs.sql (see 0001 for the type mapping).
-- 0007: Slack workspaces that installed the app through the OAuth flow
-- (many workspaces from one deployment). install_id is the workspace's
-- team id, or the Enterprise Grid organisation's id for an org install.
-- bot_token is sealed by the adapter (AES-GCM, "v1:<key id>:..."), never
-- plain; it is emptied when the app is uninstalled or its token revoked,
-- and revoked_at starts the grace period after which the workspace's data
-- is erased (PurgeSlackWorkspaces).
CREATE TABLE slack_installs (
	install_id         TEXT COLLATE "C" PRIMARY KEY,
	team_id            TEXT COLLATE "C" NOT NULL DEFAULT '',
	team_name          TEXT COLLATE "C" NOT NULL DEFAULT '',
	enterprise_id      TEXT COLLATE "C" NOT NULL DEFAULT '',
	enterprise_name    TEXT COLLATE "C" NOT NULL DEFAULT '',
	enterprise_install BIGINT NOT NULL DEFAULT 0,
	bot_user_id        TEXT COLLATE "C" NOT NULL DEFAULT '',
	bot_token          TEXT COLLATE "C" NOT NULL DEFAULT '',
	scopes             TEXT COLLATE "C" NOT NULL DEFAULT '',
	installed_by       TEXT COLLATE "C" NOT NULL DEFAULT '',
	installed_at       BIGINT NOT NULL,
	revoked_at         BIGINT
);

CREATE INDEX slack_installs_revoked ON slack_installs (revoked_at);

-- The workspaces of an org install, learned as their users talk to the
-- bot: nudges to them find the organisation's token, and the purge
-- erases their data with the organisation's.
CREATE TABLE slack_install_teams (
	team_id    TEXT COLLATE "C" PRIMARY KEY,
	install_id TEXT COLLATE "C" NOT NULL REFERENCES slack_installs (install_id) ON DELETE CASCADE DEFERRABLE
);

CREATE INDEX slack_install_teams_install ON slack_install_teams (install_id);

package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/influbot/influbot/bot"
)

// SlackInstall is a Slack workspace (or Enterprise Grid organisation)
// that installed the app through the OAuth flow. BotToken is sealed by
// the adapter; the store keeps it as given and never sees it in plain.
type SlackInstall struct {
	ID                string `db:"install_id"` // team id, or enterprise id for an org install
	TeamID            string `db:"team_id"`
	TeamName          string `db:"team_name"`
	EnterpriseID      string `db:"enterprise_id"`
	EnterpriseName    string `db:"enterprise_name"`
	EnterpriseInstall bool   `db:"enterprise_install"`
	BotUserID         string `db:"bot_user_id"`
	BotToken          string `db:"bot_token"`
	Scopes            string `db:"scopes"`
	InstalledBy       string `db:"installed_by"`
	InstalledAt       time.Time
	// RevokedAt is when the app was uninstalled or its token revoked;
	// zero while installed.
	RevokedAt time.Time
}

type slackInstallRow struct {
	SlackInstall
	InstalledAtMS int64         `db:"installed_at"`
	RevokedAtMS   sql.NullInt64 `db:"revoked_at"`
}

const slackInstallColumns = `install_id, team_id, team_name, enterprise_id, enterprise_name, enterprise_install,
	bot_user_id, bot_token, scopes, installed_by, installed_at, revoked_at`

// SaveSlackInstall inserts or replaces an install; installing again
// (after an uninstall, within the grace period) clears the revocation,
// so the workspace's data is kept.
func (db *DB) SaveSlackInstall(ctx context.Context, in SlackInstall) error {
	if in.ID == "" || in.BotToken == "" {
		return errors.New("save slack install: id and token are required")
	}
	return db.write(ctx, "save slack install", func(tx *sqlx.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO slack_installs (`+slackInstallColumns+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)
			ON CONFLICT (install_id) DO UPDATE SET team_id = excluded.team_id, team_name = excluded.team_name,
				enterprise_id = excluded.enterprise_id, enterprise_name = excluded.enterprise_name,
				enterprise_install = excluded.enterprise_install, bot_user_id = excluded.bot_user_id,
				bot_token = excluded.bot_token, scopes = excluded.scopes, installed_by = excluded.installed_by,
				installed_at = excluded.installed_at, revoked_at = NULL`,
			in.ID, in.TeamID, clip(in.TeamName, 200), in.EnterpriseID, clip(in.EnterpriseName, 200), in.EnterpriseInstall,
			in.BotUserID, in.BotToken, clip(in.Scopes, 2000), in.InstalledBy, db.timeOr(in.InstalledAt).UnixMilli())
		return err
	})
}

// SlackInstall returns the live (not revoked) install for id: an install
// id, or a team noted as part of an org install. ok is false when there
// is none.
func (db *DB) SlackInstall(ctx context.Context, id string) (SlackInstall, bool, error) {
	var row slackInstallRow
	err := db.read(ctx, "slack install", func(tx *sqlx.Tx) error {
		return tx.GetContext(ctx, &row, `SELECT `+slackInstallColumns+` FROM slack_installs
			WHERE revoked_at IS NULL AND bot_token != '' AND (install_id = ?
				OR install_id = (SELECT install_id FROM slack_install_teams WHERE team_id = ?))
			ORDER BY install_id = ? DESC LIMIT 1`, id, id, id)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return SlackInstall{}, false, nil
	}
	if err != nil {
		return SlackInstall{}, false, err
	}
	return row.install(), true, nil
}

func (r slackInstallRow) install() SlackInstall {
	in := r.SlackInstall
	in.InstalledAt = time.UnixMilli(r.InstalledAtMS)
	if r.RevokedAtMS.Valid {
		in.RevokedAt = time.UnixMilli(r.RevokedAtMS.Int64)
	}
	return in
}

// RevokeSlackInstall empties the install's token and marks it revoked at
// at, starting the grace period; it reports whether it was live.
func (db *DB) RevokeSlackInstall(ctx context.Context, id string, at time.Time) (bool, error) {
	var n int64
	err := db.write(ctx, "revoke slack install", func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE slack_installs SET bot_token = '', revoked_at = ?
			WHERE install_id = ? AND revoked_at IS NULL`, db.timeOr(at).UnixMilli(), id)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n > 0, err
}

// NoteSlackInstallTeam records that team belongs to the org install id.
func (db *DB) NoteSlackInstallTeam(ctx context.Context, id, team string) error {
	if id == "" || team == "" || id == team {
		return nil
	}
	return db.write(ctx, "note slack install team", func(tx *sqlx.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO slack_install_teams (team_id, install_id)
			SELECT ?, install_id FROM slack_installs WHERE install_id = ?
			ON CONFLICT (team_id) DO UPDATE SET install_id = excluded.install_id`, team, id)
		return err
	})
}

// SlackPurgeReport says what PurgeSlackWorkspaces erased.
type SlackPurgeReport struct {
	Workspaces int   // installs erased
	Users      int   // users forgotten
	Rows       int64 // rows deleted in all, users included
}

// PurgeSlackWorkspaces erases the data of the workspaces whose install was
// revoked at or before before (the grace period is the caller's): every
// user of the workspace (and of the organisation's noted workspaces, for
// an org install) is forgotten as `forget me` would, the workspace's admin
// list and live nudges go, and then the install itself.
func (db *DB) PurgeSlackWorkspaces(ctx context.Context, before time.Time) (SlackPurgeReport, error) {
	var rep SlackPurgeReport
	db.settle(ctx) // the users of history still queued are users to purge
	var due []string
	err := db.read(ctx, "revoked slack installs", func(tx *sqlx.Tx) error {
		return tx.SelectContext(ctx, &due, `SELECT install_id FROM slack_installs
			WHERE revoked_at IS NOT NULL AND revoked_at <= ? ORDER BY install_id`, before.UnixMilli())
	})
	if err != nil {
		return rep, err
	}
	for _, id := range due {
		var tenants []string
		err := db.read(ctx, "slack install tenants", func(tx *sqlx.Tx) error {
			return tx.SelectContext(ctx, &tenants, `SELECT install_id FROM slack_installs WHERE install_id = ?
				UNION SELECT team_id FROM slack_installs WHERE install_id = ? AND team_id != ''
				UNION SELECT team_id FROM slack_install_teams WHERE install_id = ?`, id, id, id)
		})
		if err != nil {
			return rep, err
		}
		for _, tenant := range tenants {
			var users []string
			err := db.read(ctx, "slack workspace users", func(tx *sqlx.Tx) error {
				return tx.SelectContext(ctx, &users, `SELECT user_id FROM users WHERE platform = ? AND tenant = ? ORDER BY user_id`, bot.PlatformSlack, tenant)
			})
			if err != nil {
				return rep, err
			}
			for _, u := range users {
				// One scrub (VACUUM on PostgreSQL) after the purge, not one
				// per user.
				fr, err := db.forget(ctx, bot.UserRef{Platform: bot.PlatformSlack, Tenant: tenant, ID: u}, false)
				if err != nil {
					return rep, fmt.Errorf("purge slack workspace %s: %w", id, err)
				}
				rep.Users++
				for _, n := range fr.Rows {
					rep.Rows += n
				}
			}
			err = db.write(ctx, "purge slack workspace", func(tx *sqlx.Tx) error {
				for _, q := range []string{
					`DELETE FROM tenant_admins WHERE platform = ? AND tenant = ?`,
					`DELETE FROM nudges WHERE platform = ? AND tenant = ?`,
					// The dashboard's per-workspace rows (migration 0006).
					`DELETE FROM workspace_faq WHERE platform = ? AND tenant = ?`,
					`DELETE FROM workspace_knowledge WHERE platform = ? AND tenant = ?`,
					`DELETE FROM unanswered_resolved WHERE platform = ? AND tenant = ?`,
					`DELETE FROM dashboard_audit WHERE platform = ? AND tenant = ?`,
					`DELETE FROM dashboard_roles WHERE platform = ? AND tenant = ?`,
					`DELETE FROM dashboard_sessions WHERE platform = ? AND tenant = ?`,
					`DELETE FROM dashboard_tokens WHERE platform = ? AND tenant = ?`,
				} {
					res, err := tx.ExecContext(ctx, q, bot.PlatformSlack, tenant)
					if err != nil {
						return err
					}
					n, _ := res.RowsAffected()
					rep.Rows += n
				}
				return nil
			})
			if err != nil {
				return rep, err
			}
		}
		// Only if still revoked: a workspace that installed again
		// meanwhile keeps its (new) install.
		err = db.write(ctx, "delete slack install", func(tx *sqlx.Tx) error {
			res, err := tx.ExecContext(ctx, `DELETE FROM slack_installs WHERE install_id = ? AND revoked_at IS NOT NULL`, id)
			if err != nil {
				return err
			}
			n, _ := res.RowsAffected()
			rep.Workspaces += int(n)
			return nil
		})
		if err != nil {
			return rep, err
		}
	}
	if rep.Rows > 0 {
		if err := db.scrubAll(ctx); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

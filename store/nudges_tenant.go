package store

import (
	"context"
	"errors"

	"github.com/jmoiron/sqlx"

	"github.com/influbot/influbot/bot"
)

// CancelTenantNudges cancels every pending or claimed nudge of the users
// of one tenant (a Discord server the bot was removed from, say), with
// reason as the last error that `influbot nudges` shows, and returns how
// many it canceled. A dispatcher holding one of them finds its claim gone
// and does not record it.
func (db *DB) CancelTenantNudges(ctx context.Context, platform, tenant, reason string) (int, error) {
	if platform == "" || tenant == "" {
		return 0, errors.New("cancel a tenant's nudges: platform and tenant are required")
	}
	var n int64
	err := db.write(ctx, "cancel a tenant's nudges", func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE nudges SET status = ?, last_error = ?, lease_owner = '', updated_at = ?
			WHERE platform = ? AND tenant = ? AND `+liveStatuses, bot.NudgeCanceled, clip(reason, 500), db.now().UnixMilli(), platform, tenant)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}

// NudgeTenants returns the tenants of a platform with live (pending or
// claimed) nudges, so an adapter can tell which of them it no longer
// belongs to.
func (db *DB) NudgeTenants(ctx context.Context, platform string) ([]string, error) {
	var tenants []string
	err := db.r.SelectContext(ctx, &tenants, `SELECT DISTINCT tenant FROM nudges WHERE platform = ? AND `+liveStatuses+` ORDER BY tenant`, platform)
	if err != nil {
		return nil, formatError("list the tenants with nudges", err)
	}
	return tenants, nil
}

package store

import (
	"context"
	"strings"

	"github.com/jmoiron/sqlx"

	"github.com/influbot/influbot/bot"
)

// IsAdmin implements bot.AdminPolicy: whether u is on their tenant's admin
// list.
func (db *DB) IsAdmin(ctx context.Context, u bot.UserRef) (bool, error) {
	var n int
	err := db.read(ctx, "is admin", func(tx *sqlx.Tx) error {
		return tx.GetContext(ctx, &n, `SELECT COUNT(*) FROM tenant_admins WHERE platform = ? AND tenant = ? AND user_id = ?`,
			u.Platform, u.Tenant, u.ID)
	})
	return n > 0, err
}

// AddAdmin implements bot.AdminStore.
func (db *DB) AddAdmin(ctx context.Context, t bot.TenantRef, userID, addedBy string) error {
	if err := validTenantUser(t, userID); err != nil {
		return err
	}
	return db.write(ctx, "add admin", func(tx *sqlx.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO tenant_admins (platform, tenant, user_id, added_by, added_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, t.Platform, t.ID, userID, clip(addedBy, 128), db.now().UnixMilli())
		return err
	})
}

// RemoveAdmin implements bot.AdminStore.
func (db *DB) RemoveAdmin(ctx context.Context, t bot.TenantRef, userID string) (bool, error) {
	if err := validTenantUser(t, userID); err != nil {
		return false, err
	}
	var n int64
	err := db.write(ctx, "remove admin", func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM tenant_admins WHERE platform = ? AND tenant = ? AND user_id = ?`, t.Platform, t.ID, userID)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n > 0, err
}

// Admins implements bot.AdminStore.
func (db *DB) Admins(ctx context.Context, t bot.TenantRef) ([]bot.TenantAdmin, error) {
	var rows []struct {
		UserID  string `db:"user_id"`
		AddedBy string `db:"added_by"`
		AddedAt int64  `db:"added_at"`
	}
	err := db.read(ctx, "admins", func(tx *sqlx.Tx) error {
		return tx.SelectContext(ctx, &rows, `SELECT user_id, added_by, added_at FROM tenant_admins
			WHERE platform = ? AND tenant = ? ORDER BY added_at, user_id`, t.Platform, t.ID)
	})
	if err != nil {
		return nil, err
	}
	out := make([]bot.TenantAdmin, len(rows))
	for i, r := range rows {
		out[i] = bot.TenantAdmin{UserID: r.UserID, AddedBy: r.AddedBy, AddedAt: fromMilli(r.AddedAt)}
	}
	return out, nil
}

// MaxUserID is the longest user id the store accepts.
const MaxUserID = 128

func validTenantUser(t bot.TenantRef, userID string) error {
	if t.Platform == "" || t.ID == "" {
		return bot.Errorf(bot.EINVALID, "I couldn't tell which workspace this is.")
	}
	if userID == "" || len(userID) > MaxUserID || strings.ContainsAny(userID, " \t\n:") {
		return bot.Errorf(bot.EINVALID, "That doesn't look like a user id.")
	}
	return nil
}

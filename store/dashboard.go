package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/influbot/influbot/bot"
)

// The admin dashboard's storage (migration 0006): sign-in tokens and
// sessions (stored as hashes only), dashboard roles, the audit log. Every
// query names the workspace.

// Dashboard roles.
const (
	RoleRead  = "read"
	RoleWrite = "write"
)

// LoginToken is a sign-in link's token as stored: its hash and whom it
// signs in.
type LoginToken struct {
	Hash          string
	User          bot.UserRef
	PlatformAdmin bool
	Expires       time.Time
}

// ErrTokenSpent is returned for a sign-in token that is unknown, already
// used or expired; its message is safe to show.
var ErrTokenSpent = bot.Errorf(bot.ENOTFOUND, "This sign-in link has already been used or has expired. Ask the bot for a new one with `dashboard`.")

// ErrNoSession is returned for a session that is unknown, signed out or
// timed out.
var ErrNoSession = bot.Errorf(bot.ENOTFOUND, "Your dashboard session has ended. Ask the bot for a new sign-in link with `dashboard`.")

// AuditEntry is one line of a workspace's audit log.
type AuditEntry struct {
	ID      int64
	Tenant  bot.TenantRef
	Actor   string // platform:tenant:user
	Action  string // login, answer, phrasing, dismiss, edit, hide, import, role, retry...
	Subject string // what it was done to: an entry id, a question, a user
	Before  string
	After   string
	At      time.Time
}

// CreateLoginToken stores a sign-in token's hash, valid until expires.
// Tokens that expired a day ago or more are deleted on the way.
func (db *DB) CreateLoginToken(ctx context.Context, tok LoginToken) error {
	if err := validUser(tok.User); err != nil {
		return err
	}
	now := db.now()
	return db.write(ctx, "create login token", func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM dashboard_tokens WHERE expires_at < ?`, msOf(now.Add(-24*time.Hour))); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO dashboard_tokens (token_hash, platform, tenant, account, platform_admin, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, tok.Hash, tok.User.Platform, tok.User.Tenant, tok.User.ID, boolInt(tok.PlatformAdmin), msOf(now), msOf(tok.Expires))
		return err
	})
}

// PeekLoginToken returns the unspent, unexpired token with hash, without
// spending it (the confirmation page a link opens), or ErrTokenSpent.
func (db *DB) PeekLoginToken(ctx context.Context, hash string) (LoginToken, error) {
	var row tokenRow
	err := db.read(ctx, "peek login token", func(tx *sqlx.Tx) error {
		return tx.GetContext(ctx, &row, `SELECT platform, tenant, account, platform_admin, expires_at FROM dashboard_tokens
			WHERE token_hash = ? AND used_at = 0 AND expires_at > ?`, hash, msOf(db.now()))
	})
	if errors.Is(err, sql.ErrNoRows) {
		return LoginToken{}, ErrTokenSpent
	}
	if err != nil {
		return LoginToken{}, err
	}
	return row.token(hash), nil
}

// SpendLoginToken marks the token with hash used and returns it, in one
// statement: of two requests racing with one link, one gets it and the
// other ErrTokenSpent, as does any request after it expired.
func (db *DB) SpendLoginToken(ctx context.Context, hash string) (LoginToken, error) {
	var row tokenRow
	now := msOf(db.now())
	err := db.write(ctx, "spend login token", func(tx *sqlx.Tx) error {
		return tx.GetContext(ctx, &row, `UPDATE dashboard_tokens SET used_at = ?
			WHERE token_hash = ? AND used_at = 0 AND expires_at > ?
			RETURNING platform, tenant, account, platform_admin, expires_at`, now, hash, now)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return LoginToken{}, ErrTokenSpent
	}
	if err != nil {
		return LoginToken{}, err
	}
	return row.token(hash), nil
}

type tokenRow struct {
	Platform      string `db:"platform"`
	Tenant        string `db:"tenant"`
	Account       string `db:"account"`
	PlatformAdmin bool   `db:"platform_admin"`
	ExpiresAt     int64  `db:"expires_at"`
}

func (r tokenRow) token(hash string) LoginToken {
	return LoginToken{Hash: hash, User: bot.UserRef{Platform: r.Platform, Tenant: r.Tenant, ID: r.Account}, PlatformAdmin: r.PlatformAdmin, Expires: fromMilli(r.ExpiresAt)}
}

// Session is a signed-in dashboard user.
type Session struct {
	Hash    string // SHA-256 of the cookie's value
	User    bot.UserRef
	Role    string // RoleRead or RoleWrite
	Created time.Time
	Seen    time.Time
	Expires time.Time // absolute end
}

// CreateSession stores a new session and logs the sign-in in the audit
// log, in one transaction. Sessions past their end are deleted on the way.
func (db *DB) CreateSession(ctx context.Context, s Session) error {
	if err := validUser(s.User); err != nil {
		return err
	}
	now := db.now()
	return db.write(ctx, "create session", func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM dashboard_sessions WHERE expires_at < ?`, msOf(now)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO dashboard_sessions (id_hash, platform, tenant, account, role, created_at, seen_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, s.Hash, s.User.Platform, s.User.Tenant, s.User.ID, s.Role, msOf(now), msOf(now), msOf(s.Expires)); err != nil {
			return err
		}
		return addAudit(ctx, tx, AuditEntry{Tenant: s.User.TenantRef(), Actor: s.User.String(), Action: "login", After: "role " + s.Role, At: now})
	})
}

// Session returns the live session with hash and marks it seen: one idle
// longer than idle, or past its end, is deleted and ErrNoSession returned.
func (db *DB) Session(ctx context.Context, hash string, idle time.Duration) (Session, error) {
	now := db.now()
	var row struct {
		Platform string `db:"platform"`
		Tenant   string `db:"tenant"`
		Account  string `db:"account"`
		Role     string `db:"role"`
		Created  int64  `db:"created_at"`
		Seen     int64  `db:"seen_at"`
		Expires  int64  `db:"expires_at"`
	}
	err := db.read(ctx, "session", func(tx *sqlx.Tx) error {
		return tx.GetContext(ctx, &row, `SELECT platform, tenant, account, role, created_at, seen_at, expires_at
			FROM dashboard_sessions WHERE id_hash = ?`, hash)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return Session{}, ErrNoSession
	}
	if err != nil {
		return Session{}, err
	}
	s := Session{Hash: hash, User: bot.UserRef{Platform: row.Platform, Tenant: row.Tenant, ID: row.Account}, Role: row.Role,
		Created: fromMilli(row.Created), Seen: fromMilli(row.Seen), Expires: fromMilli(row.Expires)}
	if !now.Before(s.Expires) || now.Sub(s.Seen) >= idle {
		if err := db.DeleteSession(ctx, hash); err != nil {
			return Session{}, err
		}
		return Session{}, ErrNoSession
	}
	// Written at most once a minute: a page view is not worth a write each.
	if now.Sub(s.Seen) >= time.Minute {
		if err := db.write(ctx, "touch session", func(tx *sqlx.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE dashboard_sessions SET seen_at = ? WHERE id_hash = ?`, msOf(now), hash)
			return err
		}); err != nil {
			return Session{}, err
		}
		s.Seen = now
	}
	return s, nil
}

// DeleteSession ends one session (sign out).
func (db *DB) DeleteSession(ctx context.Context, hash string) error {
	return db.write(ctx, "delete session", func(tx *sqlx.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM dashboard_sessions WHERE id_hash = ?`, hash)
		return err
	})
}

// DeleteSessions ends every session of u ("sign out everywhere") and
// returns how many there were.
func (db *DB) DeleteSessions(ctx context.Context, u bot.UserRef) (int, error) {
	var n int64
	err := db.write(ctx, "delete sessions", func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM dashboard_sessions WHERE platform = ? AND tenant = ? AND account = ?`, u.Platform, u.Tenant, u.ID)
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil {
			return err
		}
		return addAudit(ctx, tx, AuditEntry{Tenant: u.TenantRef(), Actor: u.String(), Action: "sign out everywhere", After: quantityWord(n, "session"), At: db.now()})
	})
	return int(n), err
}

// DashboardRole is one user's granted dashboard right.
type DashboardRole struct {
	UserID  string
	Role    string
	AddedBy string
	AddedAt time.Time
}

// DashboardRoleOf returns the role granted to u, or "" for none.
func (db *DB) DashboardRoleOf(ctx context.Context, u bot.UserRef) (string, error) {
	var role string
	err := db.read(ctx, "dashboard role", func(tx *sqlx.Tx) error {
		return tx.GetContext(ctx, &role, `SELECT role FROM dashboard_roles WHERE platform = ? AND tenant = ? AND user_id = ?`, u.Platform, u.Tenant, u.ID)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return role, err
}

// DashboardRoles lists the rights granted in workspace t.
func (db *DB) DashboardRoles(ctx context.Context, t bot.TenantRef) ([]DashboardRole, error) {
	var rows []struct {
		UserID  string `db:"user_id"`
		Role    string `db:"role"`
		AddedBy string `db:"added_by"`
		AddedAt int64  `db:"added_at"`
	}
	err := db.read(ctx, "dashboard roles", func(tx *sqlx.Tx) error {
		return tx.SelectContext(ctx, &rows, `SELECT user_id, role, added_by, added_at FROM dashboard_roles
			WHERE platform = ? AND tenant = ? ORDER BY user_id`, t.Platform, t.ID)
	})
	if err != nil {
		return nil, err
	}
	out := make([]DashboardRole, len(rows))
	for i, r := range rows {
		out[i] = DashboardRole{UserID: r.UserID, Role: r.Role, AddedBy: r.AddedBy, AddedAt: fromMilli(r.AddedAt)}
	}
	return out, nil
}

// SetDashboardRole grants userID role (RoleRead or RoleWrite) in t, or
// removes their grant when role is "", and logs the change.
func (db *DB) SetDashboardRole(ctx context.Context, t bot.TenantRef, userID, role string, by bot.UserRef) error {
	if err := validTenantUser(t, userID); err != nil {
		return err
	}
	if role != "" && role != RoleRead && role != RoleWrite {
		return bot.Errorf(bot.EINVALID, "A role is read or write.")
	}
	now := db.now()
	return db.write(ctx, "set dashboard role", func(tx *sqlx.Tx) error {
		var before string
		if err := tx.GetContext(ctx, &before, `SELECT role FROM dashboard_roles WHERE platform = ? AND tenant = ? AND user_id = ?`, t.Platform, t.ID, userID); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		var err error
		if role == "" {
			_, err = tx.ExecContext(ctx, `DELETE FROM dashboard_roles WHERE platform = ? AND tenant = ? AND user_id = ?`, t.Platform, t.ID, userID)
		} else {
			_, err = tx.ExecContext(ctx, `INSERT INTO dashboard_roles (platform, tenant, user_id, role, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?)
				ON CONFLICT (platform, tenant, user_id) DO UPDATE SET role = excluded.role, added_by = excluded.added_by, added_at = excluded.added_at`,
				t.Platform, t.ID, userID, role, by.String(), msOf(now))
		}
		if err != nil {
			return err
		}
		// A changed right applies at once: the user's sessions end.
		if _, err := tx.ExecContext(ctx, `DELETE FROM dashboard_sessions WHERE platform = ? AND tenant = ? AND account = ?`, t.Platform, t.ID, userID); err != nil {
			return err
		}
		return addAudit(ctx, tx, AuditEntry{Tenant: t, Actor: by.String(), Action: "role", Subject: userID, Before: before, After: role, At: now})
	})
}

// AddAudit writes one entry to the audit log.
func (db *DB) AddAudit(ctx context.Context, a AuditEntry) error {
	if a.At.IsZero() {
		a.At = db.now()
	}
	return db.write(ctx, "audit", func(tx *sqlx.Tx) error { return addAudit(ctx, tx, a) })
}

func addAudit(ctx context.Context, tx *sqlx.Tx, a AuditEntry) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO dashboard_audit (platform, tenant, actor, action, subject, before_text, after_text, at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, a.Tenant.Platform, a.Tenant.ID, clip(a.Actor, 400), clip(a.Action, 64), clip(a.Subject, bot.MaxStoredText),
		clip(a.Before, 16000), clip(a.After, 16000), msOf(a.At))
	return err
}

// Audit returns workspace t's audit log, newest first, at most limit.
func (db *DB) Audit(ctx context.Context, t bot.TenantRef, limit int) ([]AuditEntry, error) {
	var rows []struct {
		ID      int64  `db:"id"`
		Actor   string `db:"actor"`
		Action  string `db:"action"`
		Subject string `db:"subject"`
		Before  string `db:"before_text"`
		After   string `db:"after_text"`
		At      int64  `db:"at"`
	}
	err := db.read(ctx, "audit", func(tx *sqlx.Tx) error {
		return tx.SelectContext(ctx, &rows, `SELECT id, actor, action, subject, before_text, after_text, at FROM dashboard_audit
			WHERE platform = ? AND tenant = ? ORDER BY at DESC, id DESC LIMIT ?`, t.Platform, t.ID, clampLimit(limit))
	})
	if err != nil {
		return nil, err
	}
	out := make([]AuditEntry, len(rows))
	for i, r := range rows {
		out[i] = AuditEntry{ID: r.ID, Tenant: t, Actor: r.Actor, Action: r.Action, Subject: r.Subject, Before: r.Before, After: r.After, At: fromMilli(r.At)}
	}
	return out, nil
}

// boolInt stores a bool as 0 or 1: the columns are INTEGER, which a bool
// parameter does not fit on every database.
func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func quantityWord(n int64, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.FormatInt(n, 10) + " " + noun + "s"
}

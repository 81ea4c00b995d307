package dashboard

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/store"
)

// LinkTTL is how long a sign-in link works.
const LinkTTL = 10 * time.Minute

// LoginPath is where sign-in links point.
const LoginPath = "/dashboard/login"

// TokenStore keeps sign-in tokens (*store.DB).
type TokenStore interface {
	CreateLoginToken(ctx context.Context, tok store.LoginToken) error
}

// RightsStore answers who may use a workspace's dashboard (*store.DB).
type RightsStore interface {
	IsAdmin(ctx context.Context, u bot.UserRef) (bool, error)
	DashboardRoleOf(ctx context.Context, u bot.UserRef) (string, error)
}

// Links issues one-time sign-in links. It implements bot.LoginLinks.
type Links struct {
	Store  TokenStore
	Rights RightsStore
	// PublicURL is where the dashboard is reached (INFLUBOT_PUBLIC_URL),
	// e.g. https://bot.example.com; links are PublicURL + LoginPath.
	PublicURL string
	Now       func() time.Time
}

// LoginLink implements bot.LoginLinks: a link that signs u in once, within
// LinkTTL. The token is 256 random bits; only its SHA-256 is stored.
func (l *Links) LoginLink(ctx context.Context, u bot.UserRef, platformAdmin bool) (string, time.Time, error) {
	role, err := roleOf(ctx, l.Rights, u, platformAdmin)
	if err != nil {
		return "", time.Time{}, err
	}
	if role == "" {
		return "", time.Time{}, bot.Errorf(bot.EFORBIDDEN, "The dashboard is for admins of this workspace.")
	}
	base, err := PublicBase(l.PublicURL)
	if err != nil {
		return "", time.Time{}, err
	}
	tok, hash, err := newSecret()
	if err != nil {
		return "", time.Time{}, err
	}
	now := time.Now
	if l.Now != nil {
		now = l.Now
	}
	exp := now().Add(LinkTTL)
	if err := l.Store.CreateLoginToken(ctx, store.LoginToken{Hash: hash, User: u, PlatformAdmin: platformAdmin, Expires: exp}); err != nil {
		return "", time.Time{}, err
	}
	return base + LoginPath + "?t=" + tok, exp, nil
}

// PublicBase checks INFLUBOT_PUBLIC_URL and returns it without a trailing
// slash.
func PublicBase(raw string) (string, error) {
	raw = strings.TrimRight(strings.TrimSpace(raw), "/")
	if raw == "" {
		return "", bot.Errorf(bot.EUNAVAILABLE, "INFLUBOT_PUBLIC_URL is not set: set it to the address the dashboard is reached at, e.g. https://bot.example.com")
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", bot.Errorf(bot.EINVALID, "INFLUBOT_PUBLIC_URL %q: give an http(s) address such as https://bot.example.com", raw)
	}
	return raw, nil
}

// roleOf decides u's dashboard right: write for the console's user (the
// operator at the machine), the platform's admins and the workspace's
// admin list; else the role granted in the dashboard, or "" for none.
func roleOf(ctx context.Context, rs RightsStore, u bot.UserRef, platformAdmin bool) (string, error) {
	if !u.Valid() {
		return "", nil
	}
	if u.Platform == bot.PlatformConsole || platformAdmin {
		return store.RoleWrite, nil
	}
	ok, err := rs.IsAdmin(ctx, u)
	if err != nil {
		return "", err
	}
	if ok {
		return store.RoleWrite, nil
	}
	return rs.DashboardRoleOf(ctx, u)
}

// newSecret returns a random 256-bit secret, base64url, and its SHA-256.
func newSecret() (secret, hash string, err error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", "", fmt.Errorf("random token: %w", err)
	}
	secret = base64.RawURLEncoding.EncodeToString(b[:])
	return secret, hashSecret(secret), nil
}

func hashSecret(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

package dashboard

import (
	"context"
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/knowledge"
	"github.com/influbot/influbot/store"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Session timeouts.
const (
	DefaultIdleTimeout     = 30 * time.Minute
	DefaultAbsoluteTimeout = 12 * time.Hour
)

// Store is everything the dashboard reads and writes (*store.DB).
type Store interface {
	RightsStore
	OverrideStore
	PeekLoginToken(ctx context.Context, hash string) (store.LoginToken, error)
	SpendLoginToken(ctx context.Context, hash string) (store.LoginToken, error)
	CreateSession(ctx context.Context, s store.Session) error
	Session(ctx context.Context, hash string, idle time.Duration) (store.Session, error)
	DeleteSession(ctx context.Context, hash string) error
	DeleteSessions(ctx context.Context, u bot.UserRef) (int, error)
	DashboardRoles(ctx context.Context, t bot.TenantRef) ([]store.DashboardRole, error)
	SetDashboardRole(ctx context.Context, t bot.TenantRef, userID, role string, by bot.UserRef) error
	Admins(ctx context.Context, t bot.TenantRef) ([]bot.TenantAdmin, error)
	AddAudit(ctx context.Context, a store.AuditEntry) error
	Audit(ctx context.Context, t bot.TenantRef, limit int) ([]store.AuditEntry, error)
	ChangeFAQ(ctx context.Context, c store.FAQChange) error
	DismissUnanswered(ctx context.Context, t bot.TenantRef, norm, text string, by bot.UserRef) error
	UnansweredQueue(ctx context.Context, t bot.TenantRef, limit int) ([]store.QueuedQuestion, error)
	WorkspaceOverview(ctx context.Context, t bot.TenantRef, from, to time.Time) (store.Overview, error)
	UnreachableUsers(ctx context.Context, t bot.TenantRef) ([]store.UnreachableUser, error)
	ListNudges(ctx context.Context, f bot.NudgeFilter) ([]bot.Nudge, error)
	RetryDead(ctx context.Context, f bot.NudgeFilter, now time.Time) (int, error)
}

// Config is what a Server needs.
type Config struct {
	Store      Store
	Workspaces *Workspaces
	// PublicURL is INFLUBOT_PUBLIC_URL: an https address makes cookies
	// Secure and __Host- prefixed.
	PublicURL string
	Logger    *slog.Logger
	Now       func() time.Time
	// IdleTimeout and AbsoluteTimeout end sessions; 0 means the defaults.
	IdleTimeout, AbsoluteTimeout time.Duration
	// LoginRate and WriteRate limit sign-ins per client address and
	// changes per session; zero values mean the defaults (a sign-in every
	// 6 s, burst 10; 2 changes a second, burst 20).
	LoginRate, WriteRate   rate.Limit
	LoginBurst, WriteBurst int
}

// Server serves the dashboard under /dashboard/.
type Server struct {
	cfg     Config
	log     *slog.Logger
	now     func() time.Time
	tmpl    map[string]*template.Template
	secure  bool
	cookie  string
	handler http.Handler

	limMu       sync.Mutex
	loginLimits map[string]*limiter
	writeLimits map[string]*limiter
}

type limiter struct {
	lim  *rate.Limiter
	seen time.Time
}

// New builds the dashboard's handler.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil || cfg.Workspaces == nil {
		return nil, errors.New("dashboard: Store and Workspaces are required")
	}
	s := &Server{cfg: cfg, log: cfg.Logger, now: cfg.Now, loginLimits: map[string]*limiter{}, writeLimits: map[string]*limiter{}}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.cfg.IdleTimeout <= 0 {
		s.cfg.IdleTimeout = DefaultIdleTimeout
	}
	if s.cfg.AbsoluteTimeout <= 0 {
		s.cfg.AbsoluteTimeout = DefaultAbsoluteTimeout
	}
	if s.cfg.LoginRate == 0 {
		s.cfg.LoginRate, s.cfg.LoginBurst = rate.Every(6*time.Second), 10
	}
	if s.cfg.WriteRate == 0 {
		s.cfg.WriteRate, s.cfg.WriteBurst = 2, 20
	}
	if u, err := url.Parse(cfg.PublicURL); err == nil && u.Scheme == "https" {
		s.secure = true
	}
	s.cookie = "influbot_session"
	if s.secure {
		s.cookie = "__Host-influbot_session"
	}
	var err error
	if s.tmpl, err = parseTemplates(); err != nil {
		return nil, err
	}
	s.handler = s.routes()
	return s, nil
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	static, _ := fs.Sub(staticFS, "static")
	mux.Handle("GET /dashboard/static/", http.StripPrefix("/dashboard/static/", http.FileServerFS(static)))
	mux.HandleFunc("GET /dashboard/{$}", s.home)
	mux.HandleFunc("GET "+LoginPath, s.loginPage)
	mux.HandleFunc("POST "+LoginPath, s.login)
	mux.HandleFunc("POST /dashboard/logout", s.logout)
	mux.HandleFunc("POST /dashboard/logout-everywhere", s.logoutEverywhere)

	read := func(pattern string, h pageFunc) { mux.Handle("GET /dashboard/w/{ws}"+pattern, s.workspace(h, false)) }
	write := func(pattern string, h pageFunc) { mux.Handle("POST /dashboard/w/{ws}"+pattern, s.workspace(h, true)) }
	read("/{$}", s.overview)
	read("/unanswered", s.unanswered)
	read("/unanswered.csv", s.unansweredCSV)
	write("/unanswered/answer", s.answerQuestion)
	write("/unanswered/phrasing", s.addPhrasing)
	write("/unanswered/dismiss", s.dismiss)
	read("/test", s.testPane)
	read("/knowledge", s.knowledgePage)
	read("/knowledge/export", s.exportKnowledge)
	read("/knowledge/edit", s.editPage)
	write("/knowledge/save", s.saveEntry)
	write("/knowledge/hide", s.hideEntry)
	write("/knowledge/revert", s.revertEntry)
	write("/knowledge/import", s.importKnowledge)
	read("/nudges", s.nudgesPage)
	write("/nudges/retry", s.retryNudges)
	read("/admins", s.adminsPage)
	write("/admins/role", s.setRole)
	read("/audit", s.auditPage)
	read("/audit.csv", s.auditCSV)

	// Cross-origin POSTs (CSRF) are refused before any handler runs.
	return securityHeaders(http.NewCrossOriginProtection().Handler(mux))
}

// securityHeaders sets the headers every dashboard response carries.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		// Sign-in links carry their token in the query: no Referer leaks it.
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

// pageFunc serves one workspace page for a signed-in user.
type pageFunc func(w http.ResponseWriter, r *http.Request, v *view) error

// view is what a workspace page knows: who asks, in which workspace, and
// the data its template shows.
type view struct {
	Session   store.Session
	Tenant    bot.TenantRef
	Base      string // /dashboard/w/{ws}
	Page      string
	Title     string
	CanWrite  bool
	Flash     string
	Error     string
	Data      any
	csrfReady bool
}

// workspace wraps h: a session is required, the workspace in the URL must
// be the session's, and a change needs the write role and is rate-limited.
func (s *Server) workspace(h pageFunc, change bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		sess, ok := s.session(w, r)
		if !ok {
			return
		}
		t, err := bot.ParseTenantRef(r.PathValue("ws"))
		if err != nil || t != sess.User.TenantRef() {
			// Another workspace's pages do not exist for this session.
			s.log.WarnContext(ctx, "dashboard: workspace refused", "user", sess.User.String(), "asked", r.PathValue("ws"))
			s.errorPage(w, r, http.StatusNotFound, "There is no such page for your workspace.")
			return
		}
		v := &view{Session: sess, Tenant: t, Base: "/dashboard/w/" + url.PathEscape(t.String()), CanWrite: sess.Role == store.RoleWrite,
			Flash: r.URL.Query().Get("done"), Error: r.URL.Query().Get("error")}
		if change {
			if !v.CanWrite {
				s.errorPage(w, r, http.StatusForbidden, "Your role in this workspace is read-only.")
				return
			}
			if !s.allow(s.writeLimits, sess.Hash, s.cfg.WriteRate, s.cfg.WriteBurst) {
				w.Header().Set("Retry-After", "10")
				s.errorPage(w, r, http.StatusTooManyRequests, "That's a lot of changes at once. Wait a few seconds and try again.")
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
			if err := r.ParseForm(); err != nil {
				s.errorPage(w, r, http.StatusBadRequest, "That form was too large or malformed.")
				return
			}
		}
		if err := h(w, r, v); err != nil {
			s.fail(w, r, v, err)
		}
	})
}

// fail shows err: a *bot.Error's message back on the page it came from
// for a change, else a generic page; the detail goes to the log.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, v *view, err error) {
	code := bot.ErrorCode(err)
	level := slog.LevelError
	if code == bot.EINVALID || code == bot.ENOTFOUND || code == bot.EFORBIDDEN {
		level = slog.LevelInfo
	}
	s.log.Log(r.Context(), level, "dashboard request failed", "path", r.URL.Path, "user", v.Session.User.String(), "code", code, "err", err)
	msg := bot.ErrorMessage(err)
	if code == bot.EINTERNAL {
		msg = "Something went wrong on our side; it has been logged. Please try again."
	}
	if r.Method == http.MethodPost {
		back := r.FormValue("back")
		if !strings.HasPrefix(back, v.Base+"/") {
			back = v.Base + "/"
		}
		http.Redirect(w, r, withParam(back, "error", msg), http.StatusSeeOther)
		return
	}
	s.errorPage(w, r, http.StatusBadRequest, msg)
}

func withParam(path, key, value string) string {
	u, err := url.Parse(path)
	if err != nil {
		return path
	}
	q := u.Query()
	q.Del("done")
	q.Del("error")
	q.Set(key, value)
	u.RawQuery = q.Encode()
	return u.String()
}

// session returns the request's session, or answers with the signed-out
// page.
func (s *Server) session(w http.ResponseWriter, r *http.Request) (store.Session, bool) {
	c, err := r.Cookie(s.cookie)
	if err != nil || c.Value == "" {
		s.errorPage(w, r, http.StatusUnauthorized, "You are not signed in. Ask the bot for a sign-in link: type dashboard in a chat with it.")
		return store.Session{}, false
	}
	sess, err := s.cfg.Store.Session(r.Context(), hashSecret(c.Value), s.cfg.IdleTimeout)
	if err != nil {
		if bot.ErrorCode(err) != bot.ENOTFOUND {
			s.log.ErrorContext(r.Context(), "dashboard: session lookup", "err", err)
		}
		s.clearCookie(w)
		s.errorPage(w, r, http.StatusUnauthorized, bot.ErrorMessage(store.ErrNoSession))
		return store.Session{}, false
	}
	return sess, true
}

func (s *Server) setCookie(w http.ResponseWriter, value string, maxAge time.Duration) {
	http.SetCookie(w, &http.Cookie{Name: s.cookie, Value: value, Path: "/", MaxAge: int(maxAge / time.Second),
		HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode})
}

func (s *Server) clearCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: s.cookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode})
}

// allow takes a token from key's limiter in m.
func (s *Server) allow(m map[string]*limiter, key string, r rate.Limit, burst int) bool {
	s.limMu.Lock()
	defer s.limMu.Unlock()
	now := s.now()
	if len(m) > 10000 {
		for k, l := range m {
			if now.Sub(l.seen) > 10*time.Minute {
				delete(m, k)
			}
		}
	}
	l := m[key]
	if l == nil {
		l = &limiter{lim: rate.NewLimiter(r, burst)}
		m[key] = l
	}
	l.seen = now
	return l.lim.AllowN(now, 1)
}

func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// home sends a signed-in user to their workspace.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	sess, ok := s.session(w, r)
	if !ok {
		return
	}
	http.Redirect(w, r, "/dashboard/w/"+url.PathEscape(sess.User.TenantRef().String())+"/", http.StatusSeeOther)
}

type loginData struct {
	Token     string
	User      string // the user id
	Workspace string
	Valid     bool
	Error     string
}

// loginPage is what a sign-in link opens: a confirmation with one button.
// It changes nothing, so a chat app's link preview spends no token.
func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	tok := r.URL.Query().Get("t")
	d := loginData{Token: tok}
	if t, err := s.cfg.Store.PeekLoginToken(r.Context(), hashSecret(tok)); err == nil {
		d.Valid, d.User, d.Workspace = true, t.User.ID, t.User.TenantRef().String()
	} else {
		d.Error = bot.ErrorMessage(store.ErrTokenSpent)
		if bot.ErrorCode(err) != bot.ENOTFOUND {
			s.log.ErrorContext(r.Context(), "dashboard: peek login token", "err", err)
			d.Error = "I can't check this link right now. Please try again in a moment."
		}
	}
	s.render(w, r, http.StatusOK, "login", &view{Title: "Sign in", Data: d})
}

// login spends the token, checks the user's rights again, and starts a
// new session (a new id at every sign-in).
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if !s.allow(s.loginLimits, clientAddr(r), s.cfg.LoginRate, s.cfg.LoginBurst) {
		w.Header().Set("Retry-After", "60")
		s.errorPage(w, r, http.StatusTooManyRequests, "Too many sign-in attempts. Wait a minute and try again.")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 4096)
	tok, err := s.cfg.Store.SpendLoginToken(ctx, hashSecret(r.FormValue("t")))
	if err != nil {
		if bot.ErrorCode(err) != bot.ENOTFOUND {
			s.log.ErrorContext(ctx, "dashboard: spend login token", "err", err)
		}
		s.render(w, r, http.StatusGone, "login", &view{Title: "Sign in", Data: loginData{Error: bot.ErrorMessage(store.ErrTokenSpent)}})
		return
	}
	role, err := roleOf(ctx, s.cfg.Store, tok.User, tok.PlatformAdmin)
	if err != nil {
		s.log.ErrorContext(ctx, "dashboard: rights at sign-in", "user", tok.User.String(), "err", err)
		s.errorPage(w, r, http.StatusServiceUnavailable, "I can't check your rights right now. Please ask for a new link in a moment.")
		return
	}
	if role == "" {
		s.log.InfoContext(ctx, "dashboard: sign-in refused, no longer an admin", "user", tok.User.String())
		s.errorPage(w, r, http.StatusForbidden, "You are no longer an admin of this workspace, so this link can't sign you in.")
		return
	}
	secret, hash, err := newSecret()
	if err != nil {
		s.log.ErrorContext(ctx, "dashboard: session id", "err", err)
		s.errorPage(w, r, http.StatusInternalServerError, "Something went wrong on our side. Please try again.")
		return
	}
	now := s.now()
	sess := store.Session{Hash: hash, User: tok.User, Role: role, Expires: now.Add(s.cfg.AbsoluteTimeout)}
	if err := s.cfg.Store.CreateSession(ctx, sess); err != nil {
		s.log.ErrorContext(ctx, "dashboard: create session", "err", err)
		s.errorPage(w, r, http.StatusServiceUnavailable, bot.ErrorMessage(err))
		return
	}
	// A session cookie from before (another sign-in) is replaced.
	if old, err := r.Cookie(s.cookie); err == nil && old.Value != "" {
		if err := s.cfg.Store.DeleteSession(ctx, hashSecret(old.Value)); err != nil {
			s.log.WarnContext(ctx, "dashboard: end the previous session", "err", err)
		}
	}
	s.setCookie(w, secret, s.cfg.AbsoluteTimeout)
	s.log.InfoContext(ctx, "dashboard: signed in", "user", tok.User.String(), "role", role)
	http.Redirect(w, r, "/dashboard/w/"+url.PathEscape(tok.User.TenantRef().String())+"/", http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(s.cookie); err == nil && c.Value != "" {
		if err := s.cfg.Store.DeleteSession(r.Context(), hashSecret(c.Value)); err != nil {
			s.log.ErrorContext(r.Context(), "dashboard: sign out", "err", err)
		}
	}
	s.clearCookie(w)
	s.errorPage(w, r, http.StatusOK, "You are signed out.")
}

func (s *Server) logoutEverywhere(w http.ResponseWriter, r *http.Request) {
	sess, ok := s.session(w, r)
	if !ok {
		return
	}
	n, err := s.cfg.Store.DeleteSessions(r.Context(), sess.User)
	if err != nil {
		s.log.ErrorContext(r.Context(), "dashboard: sign out everywhere", "err", err)
		s.errorPage(w, r, http.StatusServiceUnavailable, bot.ErrorMessage(err))
		return
	}
	s.clearCookie(w)
	s.errorPage(w, r, http.StatusOK, "You are signed out everywhere ("+plural(n, "session")+" ended).")
}

// ctxKnowledge is the workspace's knowledge, or the shipped one when it
// cannot be built (logged).
func (s *Server) knowledgeOf(ctx context.Context, t bot.TenantRef) *knowledge.Base {
	kb, err := s.cfg.Workspaces.KnowledgeFor(ctx, t)
	if err != nil {
		s.log.ErrorContext(ctx, "dashboard: workspace knowledge", "tenant", t.String(), "err", err)
		return s.cfg.Workspaces.Base
	}
	return kb
}

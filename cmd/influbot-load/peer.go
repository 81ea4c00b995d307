package main

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"net/url"
	"time"

	_ "github.com/mattn/go-sqlite3" // the SQLite driver
)

// peerMaxBody caps a request body, as the bot's adapters do.
const peerMaxBody = 1 << 20

// peerMaxBatch bounds how many inserts share one transaction.
const peerMaxBatch = 512

// peerSchema is one flat table: the least a server must write to keep a
// record of each request.
const peerSchema = `CREATE TABLE IF NOT EXISTS events (
	id       INTEGER PRIMARY KEY,
	at       INTEGER NOT NULL, -- Unix milliseconds
	platform TEXT NOT NULL,
	tenant   TEXT NOT NULL,
	user_id  TEXT NOT NULL,
	text     TEXT NOT NULL
)`

// peer is the yardstick server: it does only the unavoidable work of a
// request (read the capped body, verify the signature, parse it, insert
// one row with group commit, answer inline) and nothing of the bot.
type peer struct {
	secret string            // Slack signing secret; "" refuses Slack requests
	pub    ed25519.PublicKey // Discord public key; nil refuses Discord requests
	now    func() time.Time
	log    *slog.Logger
	db     *sql.DB
	ins    chan *pendingRow
}

type peerRow struct {
	at                           time.Time
	platform, tenant, user, text string
}

type pendingRow struct {
	row  peerRow
	done chan error
}

// openPeerDB opens (creating) the peer's database in WAL mode with one
// connection: the writer goroutine is its only user.
func openPeerDB(ctx context.Context, path string) (*sql.DB, error) {
	dsn := "file:" + url.PathEscape(path) + "?_journal_mode=WAL&_synchronous=NORMAL&_busy_timeout=5000&_txlock=immediate"
	db, err := sql.Open("sqlite3", dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, peerSchema); err != nil {
		db.Close()
		return nil, fmt.Errorf("create the events table in %s: %w", path, err)
	}
	return db, nil
}

func newPeer(db *sql.DB, secret string, pub ed25519.PublicKey, log *slog.Logger) *peer {
	return &peer{secret: secret, pub: pub, now: time.Now, log: log, db: db, ins: make(chan *pendingRow, 4096)}
}

// writeLoop is the one writer: it takes the rows waiting, inserts them in
// one transaction and tells each sender the outcome, until ctx ends.
func (p *peer) writeLoop(ctx context.Context) {
	batch := make([]*pendingRow, 0, peerMaxBatch)
	for {
		select {
		case <-ctx.Done():
			return
		case first := <-p.ins:
			batch = append(batch[:0], first)
		}
	drain:
		for len(batch) < peerMaxBatch {
			select {
			case x := <-p.ins:
				batch = append(batch, x)
			default:
				break drain
			}
		}
		err := p.commit(ctx, batch)
		for _, x := range batch {
			x.done <- err
		}
	}
}

func (p *peer) commit(ctx context.Context, batch []*pendingRow) error {
	tx, err := p.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	st, err := tx.PrepareContext(ctx, `INSERT INTO events (at, platform, tenant, user_id, text) VALUES (?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("prepare insert: %w", err)
	}
	defer st.Close()
	for _, x := range batch {
		r := x.row
		if _, err := st.ExecContext(ctx, r.at.UnixMilli(), r.platform, r.tenant, r.user, r.text); err != nil {
			return fmt.Errorf("insert: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// insert queues a row and waits until it is committed.
func (p *peer) insert(ctx context.Context, r peerRow) error {
	x := &pendingRow{row: r, done: make(chan error, 1)}
	select {
	case p.ins <- x:
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-x.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (p *peer) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+slackCommandsPath, p.handleSlack)
	mux.HandleFunc("POST "+discordInteractionsPath, p.handleDiscord)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok\n") })
	return mux
}

// readBody reads a capped body of the given media type; on failure it has
// answered the request.
func readBody(w http.ResponseWriter, r *http.Request, mediaType string) ([]byte, bool) {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != mediaType {
		http.Error(w, "unsupported content type", http.StatusUnsupportedMediaType)
		return nil, false
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, peerMaxBody))
	if err != nil {
		http.Error(w, "could not read the request body", http.StatusBadRequest)
		return nil, false
	}
	return body, true
}

func (p *peer) handleSlack(w http.ResponseWriter, r *http.Request) {
	body, ok := readBody(w, r, "application/x-www-form-urlencoded")
	if !ok {
		return
	}
	if p.secret == "" || verifySlack(p.secret, r.Header.Get("X-Slack-Request-Timestamp"), r.Header.Get("X-Slack-Signature"), body, p.now()) != nil {
		http.Error(w, "invalid request signature", http.StatusUnauthorized)
		return
	}
	form, err := url.ParseQuery(string(body))
	if err != nil || form.Get("user_id") == "" || form.Get("command") == "" || form.Get("team_id") == "" {
		http.Error(w, "malformed slash command", http.StatusBadRequest)
		return
	}
	text := form.Get("text")
	row := peerRow{at: p.now(), platform: "slack", tenant: form.Get("team_id"), user: form.Get("user_id"), text: text}
	if err := p.insert(r.Context(), row); err != nil {
		p.log.ErrorContext(r.Context(), "record a slash command", "err", err)
		http.Error(w, "could not record the request", http.StatusServiceUnavailable)
		return
	}
	writeJSON(w, map[string]string{"response_type": "ephemeral", "text": "Noted: " + clipText(text, 80)})
}

func (p *peer) handleDiscord(w http.ResponseWriter, r *http.Request) {
	body, ok := readBody(w, r, "application/json")
	if !ok {
		return
	}
	if p.pub == nil || verifyDiscord(p.pub, r.Header.Get("X-Signature-Timestamp"), r.Header.Get("X-Signature-Ed25519"), body, p.now()) != nil {
		http.Error(w, "invalid request signature", http.StatusUnauthorized)
		return
	}
	var in discordInteraction
	if err := json.Unmarshal(body, &in); err != nil {
		http.Error(w, "malformed interaction", http.StatusBadRequest)
		return
	}
	switch {
	case in.Type == 1:
		writeJSON(w, map[string]int{"type": 1})
		return
	case in.Type != 2 || in.Data == nil || in.Member == nil || in.Member.User.ID == "" || in.GuildID == "":
		http.Error(w, "unsupported interaction", http.StatusBadRequest)
		return
	}
	text := in.Data.Name
	for _, o := range in.Data.Options {
		text += " " + o.Value
	}
	row := peerRow{at: p.now(), platform: "discord", tenant: in.GuildID, user: in.Member.User.ID, text: text}
	if err := p.insert(r.Context(), row); err != nil {
		p.log.ErrorContext(r.Context(), "record an interaction", "err", err)
		http.Error(w, "could not record the request", http.StatusServiceUnavailable)
		return
	}
	writeJSON(w, map[string]any{"type": 4, "data": map[string]any{"content": "Noted: " + clipText(text, 80), "flags": 64}})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

func clipText(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// serve answers on ln until ctx ends, then shuts down gracefully and
// stops the writer once in-flight requests are answered.
func (p *peer) serve(ctx context.Context, ln net.Listener) error {
	wctx, stopWriter := context.WithCancel(context.WithoutCancel(ctx))
	defer stopWriter()
	go p.writeLoop(wctx)
	srv := &http.Server{
		Handler:           p.routes(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("peer: serve: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("peer: shut down: %w", err)
	}
	return nil
}

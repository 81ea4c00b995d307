package slack

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"mime"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Paths the adapter serves. Point the Slack app's request URLs at them.
const (
	EventsPath      = "/slack/events"
	CommandsPath    = "/slack/commands"
	InteractivePath = "/slack/interactive"
	// InteractionsPath is another name for InteractivePath.
	InteractionsPath = "/slack/interactions"
	HealthPath       = "/healthz"
	ReadyPath        = "/readyz"
)

func (a *Adapter) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+EventsPath, a.handleEvents)
	mux.HandleFunc("POST "+CommandsPath, a.handleCommand)
	mux.HandleFunc("POST "+InteractivePath, a.handleInteractive)
	mux.HandleFunc("POST "+InteractionsPath, a.handleInteractive)
	mux.HandleFunc("GET "+HealthPath, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "ok\n")
	})
	mux.HandleFunc("GET "+ReadyPath, a.handleReady)
	if a.OAuth != nil {
		mux.HandleFunc("GET "+InstallPath, a.handleInstall)
		mux.HandleFunc("GET "+OAuthCallbackPath, a.handleOAuthCallback)
	}
	return mux
}

// handleReady answers 200 when the process is fully able to serve, and 503
// with the reason when Ready reports a problem (the database refusing
// writes: history is not being saved).
func (a *Adapter) handleReady(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if a.Ready != nil {
		if err := a.Ready(); err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, "not ready: "+err.Error()+"\n")
			return
		}
	}
	io.WriteString(w, "ok\n")
}

// ServeHTTP serves Slack's requests on EventsPath, CommandsPath and
// InteractivePath, a liveness check on HealthPath and a readiness check
// on ReadyPath.
func (a *Adapter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.init()
	a.mux.ServeHTTP(w, r)
}

// Serve answers HTTP requests on ln until ctx ends, then shuts the server
// down gracefully.
func (a *Adapter) Serve(ctx context.Context, ln net.Listener) error {
	a.init()
	srv := &http.Server{
		Handler:           a,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	a.log.InfoContext(ctx, "serving Slack requests", "addr", ln.Addr().String(), "events", EventsPath, "commands", CommandsPath, "interactive", InteractivePath)
	select {
	case err := <-errc:
		return fmt.Errorf("slack: serve HTTP: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("slack: shut down HTTP server: %w", err)
	}
	return nil
}

func (a *Adapter) listenAndServe(ctx context.Context, addr string) error {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("slack: listen on %s: %w", addr, err)
	}
	return a.Serve(ctx, ln)
}

// errStale means a request's timestamp is too far from the clock.
var errStale = errors.New("request timestamp is more than 5 minutes from the clock")

// readVerified reads the body of a request from Slack, of the content
// type Slack sends to that path, and checks its signature. On failure it
// has answered the request and returns false. Refusals are logged at most
// once every rejectLogEvery per kind, with a count of the rest.
func (a *Adapter) readVerified(w http.ResponseWriter, r *http.Request, contentType string) ([]byte, bool) {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != contentType {
		a.rejected(r.Context(), "content-type", "refused a request of the wrong content type", "path", r.URL.Path, "content_type", clip(r.Header.Get("Content-Type"), 80), "want", contentType, "remote", r.RemoteAddr)
		http.Error(w, "unsupported content type: want "+contentType, http.StatusUnsupportedMediaType)
		return nil, false
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			a.rejected(r.Context(), "too-big", "refused an oversized request", "path", r.URL.Path, "limit", tooBig.Limit, "remote", r.RemoteAddr)
			http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
			return nil, false
		}
		a.rejected(r.Context(), "unreadable", "could not read request body", "path", r.URL.Path, "remote", r.RemoteAddr, "err", err)
		http.Error(w, "could not read the request body", http.StatusBadRequest)
		return nil, false
	}
	if err := a.verify(r.Header, body); err != nil {
		if r.URL.Path == CommandsPath && noSignature(r.Header) && isSSLCheck(body) {
			// Slack's check of the certificate when a command's URL is
			// saved: answered like Bolt, before any verification, and
			// nothing is done with it.
			w.WriteHeader(http.StatusOK)
			return nil, false
		}
		a.rejected(r.Context(), "signature", "refused a request with a bad signature", "path", r.URL.Path, "remote", r.RemoteAddr, "reason", err.Error())
		http.Error(w, "invalid request signature", http.StatusUnauthorized)
		return nil, false
	}
	return body, true
}

// noSignature reports whether a request carries neither of Slack's
// signature headers.
func noSignature(h http.Header) bool {
	return h.Get("X-Slack-Signature") == "" && h.Get("X-Slack-Request-Timestamp") == ""
}

// isSSLCheck reports whether a slash command's body is Slack's SSL
// check (ssl_check=1 and no command), which asks only for a 200.
func isSSLCheck(body []byte) bool {
	if !bytes.Contains(body, []byte("ssl")) {
		// Every slash command comes here first: a body without "ssl" (as
		// ssl_check is sent, or with its underscore escaped) is not read
		// a second time.
		return false
	}
	var form [2]string
	err := firstFormValues(string(body), []string{"ssl_check", "command"}, form[:])
	return err == nil && form[0] == "1" && form[1] == ""
}

const (
	formType = "application/x-www-form-urlencoded"
	jsonType = "application/json"
)

// verify checks Slack's v0 signature of body, "v0=" followed by the hex
// HMAC-SHA256 of "v0:" + timestamp + ":" + body under the signing secret,
// and that the request is fresh by the adapter's clock. (slack-go's
// SecretsVerifier would judge freshness by the wall clock instead.)
func (a *Adapter) verify(h http.Header, body []byte) error {
	if a.SigningSecret == "" {
		return errors.New("no signing secret is configured")
	}
	ts := h.Get("X-Slack-Request-Timestamp")
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return errors.New("missing or malformed X-Slack-Request-Timestamp")
	}
	if skew := a.now().Sub(time.Unix(sec, 0)); skew > maxSkew || skew < -maxSkew {
		return errStale
	}
	sig, ok := strings.CutPrefix(h.Get("X-Slack-Signature"), "v0=")
	if !ok {
		return errors.New("missing X-Slack-Signature, or not a v0 signature")
	}
	var got, want [sha256.Size]byte
	if len(sig) != 2*len(got) {
		return errors.New("malformed X-Slack-Signature")
	}
	for i := range got {
		hi, ok1 := fromHex(sig[2*i])
		lo, ok2 := fromHex(sig[2*i+1])
		if !ok1 || !ok2 {
			return errors.New("malformed X-Slack-Signature")
		}
		got[i] = hi<<4 | lo
	}
	mac := a.mac()
	mac.Write([]byte("v0:"))
	mac.Write([]byte(ts))
	mac.Write([]byte(":"))
	mac.Write(body)
	ok = hmac.Equal(got[:], mac.h.Sum(want[:0]))
	a.macs.Put(mac)
	if !ok {
		return errors.New("the signature does not match the body")
	}
	return nil
}

// fromHex reads one hexadecimal digit, as encoding/hex does.
func fromHex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// signingMAC is an HMAC-SHA256 keyed with the signing secret it was made
// for, reset for the next request.
type signingMAC struct {
	secret string
	h      hash.Hash
}

func (m *signingMAC) Write(p []byte) { m.h.Write(p) }

// mac returns an HMAC of the signing secret from the adapter's pool (put
// it back with a.macs.Put): keying one costs two hashes and allocations.
func (a *Adapter) mac() *signingMAC {
	if m, ok := a.macs.Get().(*signingMAC); ok && m.secret == a.SigningSecret {
		m.h.Reset()
		return m
	}
	return &signingMAC{secret: a.SigningSecret, h: hmac.New(sha256.New, []byte(a.SigningSecret))}
}

// handleEvents serves the Events API.
func (a *Adapter) handleEvents(w http.ResponseWriter, r *http.Request) {
	body, ok := a.readVerified(w, r, jsonType)
	if !ok {
		return
	}
	var probe struct {
		Type      string          `json:"type"`
		Challenge string          `json:"challenge"`
		EventID   string          `json:"event_id"`
		Event     json.RawMessage `json:"event"`
	}
	if err := json.Unmarshal(body, &probe); err != nil {
		a.rejected(r.Context(), "malformed", "malformed event payload", "err", err)
		http.Error(w, "malformed JSON", http.StatusBadRequest)
		return
	}
	switch probe.Type {
	case "url_verification":
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, probe.Challenge)
		return
	case "event_callback":
	case "app_rate_limited":
		a.log.WarnContext(r.Context(), "Slack is dropping events: the app exceeded 30,000 events an hour in a workspace")
		w.WriteHeader(http.StatusOK)
		return
	default:
		a.log.DebugContext(r.Context(), "ignored an event envelope", "type", probe.Type)
		w.WriteHeader(http.StatusOK)
		return
	}
	var inner struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(probe.Event, &inner); err != nil || inner.Type == "" {
		a.log.WarnContext(r.Context(), "malformed event_callback: no inner event", "event_id", probe.EventID)
		http.Error(w, "malformed event", http.StatusBadRequest)
		return
	}
	if !handledEvents[inner.Type] {
		a.log.DebugContext(r.Context(), "ignored an event", "type", inner.Type, "event_id", probe.EventID)
		w.WriteHeader(http.StatusOK)
		return
	}
	ev, err := parseEvent(body)
	if err != nil {
		a.log.WarnContext(r.Context(), "malformed event", "event_id", probe.EventID, "err", err)
		http.Error(w, "malformed event", http.StatusBadRequest)
		return
	}
	if n := r.Header.Get("X-Slack-Retry-Num"); n != "" {
		a.log.InfoContext(r.Context(), "Slack retried an event", "event_id", probe.EventID, "retry", n, "reason", r.Header.Get("X-Slack-Retry-Reason"))
	}
	if !a.takeEvent(r.Context(), ev) {
		// Slack retries with backoff; by then there is room.
		w.Header().Set("Retry-After", "30")
		http.Error(w, "busy", http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// handleCommand serves slash commands.
func (a *Adapter) handleCommand(w http.ResponseWriter, r *http.Request) {
	body, ok := a.readVerified(w, r, formType)
	if !ok {
		return
	}
	if isSSLCheck(body) {
		w.WriteHeader(http.StatusOK)
		return
	}
	cmd, err := parseSlashCommand(body)
	if err != nil {
		a.rejected(r.Context(), "malformed", "malformed slash command", "err", err)
		http.Error(w, "malformed slash command", http.StatusBadRequest)
		return
	}
	key := signatureKey("command", r.Header.Get("X-Slack-Signature"))
	if answer := a.takeCommand(r.Context(), cmd, key, signedUntil(r.Header)); answer != nil {
		a.writeJSON(w, answer)
		if m, ok := answer.(*inlineMessage); ok && m.sent != nil {
			// More follows by the response_url: this goes out first.
			if f, ok := w.(http.Flusher); ok {
				f.Flush()
			}
			markSent(m)
		}
		return
	}
	w.WriteHeader(http.StatusOK)
}

// handleInteractive serves button presses.
func (a *Adapter) handleInteractive(w http.ResponseWriter, r *http.Request) {
	body, ok := a.readVerified(w, r, formType)
	if !ok {
		return
	}
	cb, err := parseInteraction(body)
	if err != nil {
		a.rejected(r.Context(), "malformed", "malformed interaction payload", "err", err)
		http.Error(w, "malformed interaction payload", http.StatusBadRequest)
		return
	}
	if answer := a.takeInteraction(r.Context(), cb); answer != nil {
		a.writeJSON(w, answer)
		return
	}
	w.WriteHeader(http.StatusOK)
}

func (a *Adapter) writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	if m, ok := v.(*inlineMessage); ok && m.raw != nil {
		w.Header()["Content-Length"] = []string{strconv.Itoa(len(m.raw))}
		w.Write(m.raw)
		return
	}
	if m, ok := v.(*inlineMessage); ok {
		// The same bytes as the Encoder's, newline included, written
		// without reflection (see appendInlineMessage).
		buf, _ := a.jsonBufs.Get().(*[]byte)
		if buf == nil {
			buf = new([]byte)
		}
		*buf = append(appendInlineMessage((*buf)[:0], m), '\n')
		// With its length, the answer goes out as it is, not chunked.
		w.Header()["Content-Length"] = []string{strconv.Itoa(len(*buf))}
		w.Write(*buf)
		if cap(*buf) <= 64<<10 {
			a.jsonBufs.Put(buf)
		}
		return
	}
	json.NewEncoder(w).Encode(v)
}

package discord

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
)

// Defaults and limits of the HTTP interactions endpoint.
const (
	// DefaultInlineTimeout is how long the endpoint waits for the core
	// before deferring: Discord drops an interaction not answered within 3
	// seconds, and the answer still has to travel back.
	DefaultInlineTimeout = 2500 * time.Millisecond
	// MaxInteractionBody caps the size of an interaction payload. Discord's
	// largest (a button on a message full of embeds) stays far below it.
	MaxInteractionBody = 256 << 10
	// maxSignatureAge is how old (or how far ahead) a signed timestamp may
	// be: older requests are refused as possible replays.
	maxSignatureAge = 5 * time.Minute
)

// EndpointConfig configures an Endpoint.
type EndpointConfig struct {
	// PublicKey is the application's public key from the General
	// Information page of the Developer Portal (DISCORD_PUBLIC_KEY), in hex.
	PublicKey string
	// ApplicationID is the application's id (DISCORD_APPLICATION_ID); the
	// follow-ups of deferred answers are posted to its webhook.
	ApplicationID string
	// Bot answers requests.
	Bot Handler
	// Logger receives the endpoint's log; nil discards it.
	Logger *slog.Logger
	// HTTPClient posts deferred answers; nil uses discordgo's default client.
	HTTPClient *http.Client
	// APIURL replaces DefaultAPIURL (a proxy, or a fake Discord).
	APIURL string
	// Now is the clock that judges signed timestamps; nil means time.Now.
	Now func() time.Time
	// InlineTimeout is how long to wait for the core before deferring; 0
	// means DefaultInlineTimeout.
	InlineTimeout time.Duration
	// ReplyTimeout, ShutdownTimeout and MaxConcurrent mean what they mean
	// on the Adapter.
	ReplyTimeout    time.Duration
	ShutdownTimeout time.Duration
	MaxConcurrent   int
}

// Endpoint answers Discord's interactions over HTTP, at the Interactions
// Endpoint URL set in the Developer Portal (mounted at
// POST /discord/interactions): no gateway connection and no bot token are
// needed. Each request's Ed25519 signature is checked; a PING gets a PONG;
// slash and message commands, buttons, autocompletes and modal submissions
// are routed as through the gateway (Adapter.route) and answered in the
// HTTP response when the core is done within InlineTimeout (a message, a
// modal, an update, choices), or deferred and then answered through the
// interaction's webhook otherwise. Close waits for deferred answers.
type Endpoint struct {
	a       *Adapter
	key     ed25519.PublicKey
	inline  time.Duration
	session *discordgo.Session
}

// NewEndpoint checks cfg and returns an Endpoint ready to serve.
func NewEndpoint(cfg EndpointConfig) (*Endpoint, error) {
	key, err := hex.DecodeString(strings.TrimSpace(cfg.PublicKey))
	switch {
	case strings.TrimSpace(cfg.PublicKey) == "":
		return nil, errors.New("discord: DISCORD_PUBLIC_KEY is not set: copy the Public Key from the General Information page of your application in the Discord Developer Portal")
	case err != nil || len(key) != ed25519.PublicKeySize:
		return nil, errors.New("discord: DISCORD_PUBLIC_KEY is not a public key (64 hexadecimal digits): copy it again from the General Information page")
	case !isSnowflake(cfg.ApplicationID):
		return nil, fmt.Errorf("discord: DISCORD_APPLICATION_ID %q is not a Discord id: copy the Application ID from the General Information page", cfg.ApplicationID)
	case cfg.Bot == nil:
		return nil, errors.New("discord: EndpointConfig.Bot is required")
	}
	base, err := parseAPIURL(cfg.APIURL)
	if err != nil {
		return nil, err
	}
	a := &Adapter{
		ApplicationID:   cfg.ApplicationID,
		Bot:             cfg.Bot,
		Logger:          cfg.Logger,
		Now:             cfg.Now,
		ReplyTimeout:    cfg.ReplyTimeout,
		ShutdownTimeout: cfg.ShutdownTimeout,
		MaxConcurrent:   cfg.MaxConcurrent,
	}
	a.prepare(context.Background())
	a.appID = cfg.ApplicationID
	a.started = true
	a.ctx, a.cancel = context.WithCancel(context.Background())

	// Webhook calls with the interaction token need no bot token.
	s, err := discordgo.New("")
	if err != nil {
		return nil, fmt.Errorf("discord: new session: %w", err)
	}
	s.LogLevel = routeLibraryLog(a.log, "")
	client := s.Client
	if cfg.HTTPClient != nil {
		client = cfg.HTTPClient
	}
	gated := *client
	gated.Transport = newGate(client.Transport, base, a.now)
	s.Client = &gated

	inline := cfg.InlineTimeout
	if inline <= 0 {
		inline = DefaultInlineTimeout
	}
	return &Endpoint{a: a, key: key, inline: inline, session: s}, nil
}

// Close stops taking interactions and waits up to ShutdownTimeout for the
// deferred answers in flight.
func (e *Endpoint) Close() error {
	a := e.a
	a.mu.Lock()
	if a.closed {
		a.mu.Unlock()
		return nil
	}
	a.closed = true
	a.mu.Unlock()
	a.drain()
	return nil
}

// ServeHTTP answers one interaction.
func (e *Endpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		httpError(w, http.StatusMethodNotAllowed, "only POST is accepted here")
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxInteractionBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			httpError(w, http.StatusRequestEntityTooLarge, "the request body is too large")
			return
		}
		httpError(w, http.StatusBadRequest, "the request body could not be read")
		return
	}
	if why := e.verify(r.Header, body); why != "" {
		e.a.log.DebugContext(r.Context(), "discord: interaction refused", "reason", why, "remote", r.RemoteAddr)
		httpError(w, http.StatusUnauthorized, "invalid request signature")
		return
	}
	var i discordgo.Interaction
	if err := json.Unmarshal(body, &i); err != nil {
		// A component type discordgo does not know (a modal's Labels)
		// fails the whole interaction: read it again without them.
		fixed, ok := withKnownComponents(body)
		if !ok || json.Unmarshal(fixed, &i) != nil {
			e.a.log.DebugContext(r.Context(), "discord: unreadable interaction", "err", err)
			httpError(w, http.StatusBadRequest, "the interaction could not be read")
			return
		}
	}
	if i.Type == discordgo.InteractionPing {
		writeJSON(w, &discordgo.InteractionResponse{Type: discordgo.InteractionResponsePong})
		return
	}
	if i.ID == "" || i.Token == "" {
		httpError(w, http.StatusBadRequest, "the interaction has no id or token")
		return
	}
	if i.AppID == "" {
		i.AppID = e.a.appID
	}
	ctx, ok := e.a.begin()
	if !ok {
		httpError(w, http.StatusServiceUnavailable, "shutting down")
		return
	}
	defer e.a.end(ctx, "HTTP interaction")
	rest := newInteractionREST(e.session, &i)
	rt := e.a.route(ctx, rest)
	if rt.resp == nil {
		e.a.interact(ctx, rest, rt.req, rt.private, e.inline, func(resp *discordgo.InteractionResponse) error {
			writeJSON(w, resp)
			// Send the response now: the webhook calls that may follow
			// need Discord to have it.
			if f, ok := w.(http.Flusher); ok {
				f.Flush()
			}
			return nil
		})
		return
	}
	writeJSON(w, rt.resp)
	if rt.after != nil {
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
		e.a.handlers.Add(1)
		go func() {
			defer e.a.end(ctx, "HTTP interaction after")
			rt.after()
		}()
	}
}

func privateText(text string) *discordgo.InteractionResponse {
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: text, Flags: discordgo.MessageFlagsEphemeral, AllowedMentions: noMentions()},
	}
}

// writeJSON writes v as the JSON response.
func writeJSON(w http.ResponseWriter, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		httpError(w, http.StatusInternalServerError, "the answer could not be encoded")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(b)
}

// httpError answers with a status and a JSON error message.
func httpError(w http.ResponseWriter, status int, msg string) {
	b, _ := json.Marshal(map[string]string{"error": msg})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// verify checks the request's signature and timestamp; it returns why they
// are refused, or "".
func (e *Endpoint) verify(h http.Header, body []byte) string {
	sig, err := hex.DecodeString(h.Get("X-Signature-Ed25519"))
	if err != nil || len(sig) != ed25519.SignatureSize {
		return "missing or malformed signature"
	}
	ts := h.Get("X-Signature-Timestamp")
	secs, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return "missing or malformed timestamp"
	}
	msg := make([]byte, 0, len(ts)+len(body))
	msg = append(append(msg, ts...), body...)
	if !ed25519.Verify(e.key, msg, sig) {
		return "bad signature"
	}
	if age := e.a.now().Sub(time.Unix(secs, 0)); age > maxSignatureAge || age < -maxSignatureAge {
		return "timestamp more than 5 minutes away"
	}
	return ""
}

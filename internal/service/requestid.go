package service

import (
	"context"
	"crypto/rand"
	"log/slog"
)

// RequestIDHeader carries a request's id: taken from the incoming request
// when it is sane (a proxy's or load balancer's), otherwise made here, and
// echoed in the response.
const RequestIDHeader = "X-Request-Id"

// maxRequestID bounds an incoming id's length.
const maxRequestID = 128

type requestIDKey struct{}

// WithRequestID returns ctx carrying the request id id.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// RequestID is the id of the request ctx belongs to, or "".
func RequestID(ctx context.Context) string {
	if ctx == nil {
		return ""
	}
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// NewRequestID makes a random id (26 letters and digits).
func NewRequestID() string { return rand.Text() }

// saneRequestID reports whether an incoming id may be used as it is: 1 to
// 128 characters of letters, digits and - _ . : (no spaces, quotes or
// control characters to forge log lines or headers with).
func saneRequestID(id string) bool {
	if id == "" || len(id) > maxRequestID {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '-' || c == '_' || c == '.' || c == ':':
		default:
			return false
		}
	}
	return true
}

// LogHandler wraps h so that every record logged with a request's context
// (InfoContext(ctx, ...) and the like) carries the request's id as the
// attribute request_id.
func LogHandler(h slog.Handler) slog.Handler { return requestIDHandler{h} }

type requestIDHandler struct{ slog.Handler }

func (h requestIDHandler) Handle(ctx context.Context, r slog.Record) error {
	if id := RequestID(ctx); id != "" {
		r = r.Clone()
		r.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, r)
}

func (h requestIDHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return requestIDHandler{h.Handler.WithAttrs(attrs)}
}

func (h requestIDHandler) WithGroup(name string) slog.Handler {
	return requestIDHandler{h.Handler.WithGroup(name)}
}

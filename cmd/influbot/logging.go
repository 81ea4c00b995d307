package main

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/influbot/influbot/internal/service"
)

// newLogger logs to w at the given level ("" means def) in the given
// format (text or json; "" means text). Every line logged with a
// request's context carries its request_id (service.LogHandler).
func newLogger(w io.Writer, level, format string, def slog.Level) (*slog.Logger, error) {
	lv := def
	if level != "" {
		l, err := parseLogLevel(level)
		if err != nil {
			return nil, usagef("--log-level / INFLUBOT_LOG_LEVEL %q: %v", level, err)
		}
		lv = l
	}
	f, err := parseLogFormat(format)
	if err != nil {
		return nil, usagef("--log-format / INFLUBOT_LOG_FORMAT %q: %v", format, err)
	}
	opts := &slog.HandlerOptions{Level: lv}
	var h slog.Handler = slog.NewTextHandler(w, opts)
	if f == "json" {
		h = slog.NewJSONHandler(w, opts)
	}
	return slog.New(service.LogHandler(h)), nil
}

func parseLogLevel(s string) (slog.Level, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(strings.ToUpper(strings.TrimSpace(s)))); err != nil {
		return 0, errors.New("use debug, info, warn or error")
	}
	return lv, nil
}

// parseLogFormat returns "text" or "json".
func parseLogFormat(s string) (string, error) {
	switch f := strings.ToLower(strings.TrimSpace(s)); f {
	case "", "text":
		return "text", nil
	case "json":
		return f, nil
	default:
		return "", fmt.Errorf("use text or json")
	}
}

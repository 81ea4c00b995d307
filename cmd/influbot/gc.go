package main

import (
	"log/slog"
	"runtime/debug"
	"strings"
)

// serverGCPercent is the garbage collector's target (GOGC) for the
// processes that answer over HTTP, unless GOGC is set. Go's default, 100,
// lets the heap grow to twice what is live before collecting; at 400 it
// grows to five times, so a server answering thousands of requests a
// second collects a quarter as often. Measured with influbot-load (128
// clients): about 10% less CPU per request (196-208 µs -> 176-186 µs),
// with the resident size under load going from ~110 MB to ~190 MB.
const serverGCPercent = 400

// tuneGC sets the garbage collector's target for a server, leaving alone
// a GOGC the operator set (Go has applied it already).
func tuneGC(e *env, log *slog.Logger) {
	if strings.TrimSpace(e.getenv("GOGC")) != "" {
		return
	}
	was := debug.SetGCPercent(serverGCPercent)
	log.Debug("garbage collector target set for a server", "gogc", serverGCPercent, "was", was)
}

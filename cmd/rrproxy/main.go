// Command rrproxy is the reverse proxy of the README's "Running several
// instances" example: it spreads requests round-robin over influbot
// instances and skips one whose /readyz fails. It stands in for nginx or
// a cloud load balancer on a machine without one; it is not hardened for
// production (no TLS, no timeouts beyond the defaults).
//
//	go run ./cmd/rrproxy --addr 127.0.0.1:3000 http://127.0.0.1:3001 http://127.0.0.1:3002
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"time"
)

// backend is one instance and whether its /readyz said 200 last time.
type backend struct {
	url   *url.URL
	proxy *httputil.ReverseProxy
	ready atomic.Bool
}

func main() {
	addr := flag.String("addr", "127.0.0.1:3000", "listen address")
	flag.Parse()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: rrproxy [--addr ADDR] http://instance1 http://instance2 ...")
		os.Exit(2)
	}
	var backends []*backend
	for _, a := range flag.Args() {
		u, err := url.Parse(a)
		if err != nil || u.Host == "" {
			fmt.Fprintf(os.Stderr, "rrproxy: %q is not an instance URL\n", a)
			os.Exit(2)
		}
		b := &backend{url: u, proxy: httputil.NewSingleHostReverseProxy(u)}
		b.proxy.Transport = &http.Transport{MaxIdleConnsPerHost: 256}
		b.ready.Store(true)
		backends = append(backends, b)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go checkReady(ctx, log, backends)
	var next atomic.Uint64
	srv := &http.Server{Addr: *addr, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for range backends {
			b := backends[next.Add(1)%uint64(len(backends))]
			if b.ready.Load() {
				b.proxy.ServeHTTP(w, r)
				return
			}
		}
		http.Error(w, "no instance is ready", http.StatusServiceUnavailable)
	})}
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		srv.Shutdown(shut)
	}()
	log.Info("rrproxy listening", "addr", *addr, "instances", flag.Args())
	if err := srv.ListenAndServe(); err != nil && err != http.ErrServerClosed {
		log.Error("rrproxy", "err", err)
		os.Exit(1)
	}
}

// checkReady asks each instance's /readyz every second.
func checkReady(ctx context.Context, log *slog.Logger, backends []*backend) {
	client := &http.Client{Timeout: 2 * time.Second}
	for {
		for _, b := range backends {
			resp, err := client.Get(b.url.JoinPath("/readyz").String())
			ok := err == nil && resp.StatusCode == http.StatusOK
			if resp != nil {
				resp.Body.Close()
			}
			if ok != b.ready.Load() {
				log.Info("instance readiness changed", "instance", b.url.String(), "ready", ok)
			}
			b.ready.Store(ok)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Second):
		}
	}
}

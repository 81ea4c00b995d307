package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/big"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// fakeSlack stands in for Slack's Web API and response URLs so a real bot
// can be measured without Slack. It is an HTTP proxy: the bot, started
// with HTTPS_PROXY pointing at it and SSL_CERT_FILE at its certificate
// authority, reaches "slack.com" and "hooks.slack.com" through it, and the
// proxy answers them itself over TLS with certificates it signs. Requests
// sent to it directly (not through CONNECT) are answered the same way.
type fakeSlack struct {
	caCert *x509.Certificate
	caKey  *ecdsa.PrivateKey
	caPEM  []byte

	mu     sync.Mutex
	certs  map[string]*tls.Certificate
	counts map[string]int64

	tlsConns *connListener
	outer    *http.Server
	inner    *http.Server
	ts       atomic.Int64
}

func newFakeSlack() (*fakeSlack, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("fake Slack: CA key: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "influbot-load fake Slack CA"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(7 * 24 * time.Hour),
		IsCA:                  true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("fake Slack: CA certificate: %w", err)
	}
	ca, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("fake Slack: CA certificate: %w", err)
	}
	f := &fakeSlack{
		caCert: ca, caKey: key,
		caPEM:  pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		certs:  map[string]*tls.Certificate{},
		counts: map[string]int64{},
	}
	api := f.api()
	f.outer = &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodConnect {
			f.connect(w, r)
			return
		}
		api.ServeHTTP(w, r)
	}), ReadHeaderTimeout: 10 * time.Second}
	f.inner = &http.Server{Handler: api, ReadHeaderTimeout: 10 * time.Second}
	return f, nil
}

// certificate signs (once per host) a certificate for the host a client
// asks for.
func (f *fakeSlack) certificate(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
	host := hello.ServerName
	if host == "" {
		host = "slack.com"
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if c, ok := f.certs[host]; ok {
		return c, nil
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(int64(len(f.certs) + 2)),
		Subject:      pkix.Name{CommonName: host},
		DNSNames:     []string{host},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(7 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, f.caCert, &key.PublicKey, f.caKey)
	if err != nil {
		return nil, err
	}
	c := &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
	f.certs[host] = c
	return c, nil
}

// connect accepts a CONNECT tunnel and serves the API over TLS inside it.
func (f *fakeSlack) connect(w http.ResponseWriter, r *http.Request) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		http.Error(w, "cannot tunnel", http.StatusInternalServerError)
		return
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		return
	}
	if _, err := io.WriteString(conn, "HTTP/1.1 200 Connection Established\r\n\r\n"); err != nil {
		conn.Close()
		return
	}
	f.count("tunnels")
	tc := tls.Server(conn, &tls.Config{GetCertificate: f.certificate, NextProtos: []string{"http/1.1"}})
	if !f.tlsConns.push(tc) {
		tc.Close()
	}
}

func (f *fakeSlack) count(name string) {
	f.mu.Lock()
	f.counts[name]++
	f.mu.Unlock()
}

// Counts returns how many of each call the fake has answered.
func (f *fakeSlack) Counts() map[string]int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return maps.Clone(f.counts)
}

// settle waits until the counts have not moved for quiet (at most max)
// and returns them.
func (f *fakeSlack) settle(ctx context.Context, quiet, max time.Duration) map[string]int64 {
	deadline := time.Now().Add(max)
	last, since := f.Counts(), time.Now()
	for time.Now().Before(deadline) && time.Since(since) < quiet {
		select {
		case <-ctx.Done():
			return last
		case <-time.After(100 * time.Millisecond):
		}
		if c := f.Counts(); !maps.Equal(c, last) {
			last, since = c, time.Now()
		}
	}
	return last
}

func (f *fakeSlack) nextTS() string {
	n := f.ts.Add(1)
	return strconv.FormatInt(time.Now().Unix(), 10) + "." + fmt.Sprintf("%06d", n%1000000)
}

func (f *fakeSlack) api() http.Handler {
	mux := http.NewServeMux()
	ok := func(w http.ResponseWriter, v map[string]any) {
		v["ok"] = true
		writeJSON(w, v)
	}
	mux.HandleFunc("/api/auth.test", func(w http.ResponseWriter, r *http.Request) {
		f.count("auth.test")
		ok(w, map[string]any{"url": "https://load.slack.com/", "team": "Load", "user": "influbot", "team_id": "T0LOAD", "user_id": "U0BOT", "bot_id": "B0BOT"})
	})
	mux.HandleFunc("/api/chat.postMessage", func(w http.ResponseWriter, r *http.Request) {
		f.count("chat.postMessage")
		r.ParseForm()
		ok(w, map[string]any{"channel": r.Form.Get("channel"), "ts": f.nextTS()})
	})
	mux.HandleFunc("/api/chat.postEphemeral", func(w http.ResponseWriter, r *http.Request) {
		f.count("chat.postEphemeral")
		ok(w, map[string]any{"message_ts": f.nextTS()})
	})
	mux.HandleFunc("/api/users.info", func(w http.ResponseWriter, r *http.Request) {
		f.count("users.info")
		r.ParseForm()
		id := r.Form.Get("user")
		ok(w, map[string]any{"user": map[string]any{"id": id, "name": "creator-" + id, "is_admin": false, "profile": map[string]any{"display_name": "creator-" + id}}})
	})
	mux.HandleFunc("/api/conversations.open", func(w http.ResponseWriter, r *http.Request) {
		f.count("conversations.open")
		ok(w, map[string]any{"channel": map[string]any{"id": "D0LOAD"}})
	})
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		f.count(strings.TrimPrefix(r.URL.Path, "/api/"))
		ok(w, map[string]any{})
	})
	mux.HandleFunc("/commands/", func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		f.count("response_url")
		io.WriteString(w, "ok")
	})
	mux.HandleFunc("GET /counts", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, f.Counts())
	})
	return mux
}

// writeCA writes the certificate authority's PEM to path, for the bot's
// SSL_CERT_FILE.
func (f *fakeSlack) writeCA(path string) error {
	if err := os.WriteFile(path, f.caPEM, 0o644); err != nil {
		return fmt.Errorf("fake Slack: write the CA certificate: %w", err)
	}
	return nil
}

// serve answers on ln until ctx ends.
func (f *fakeSlack) serve(ctx context.Context, ln net.Listener) error {
	f.tlsConns = newConnListener(ln.Addr())
	go f.inner.Serve(f.tlsConns)
	errc := make(chan error, 1)
	go func() { errc <- f.outer.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("fake Slack: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	err := errors.Join(f.outer.Shutdown(sctx), f.inner.Shutdown(sctx))
	if err != nil {
		return fmt.Errorf("fake Slack: shut down: %w", err)
	}
	return nil
}

// connListener hands connections made elsewhere (TLS tunnels) to an
// http.Server.
type connListener struct {
	addr  net.Addr
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
}

func newConnListener(addr net.Addr) *connListener {
	return &connListener{addr: addr, conns: make(chan net.Conn), done: make(chan struct{})}
}

func (l *connListener) push(c net.Conn) bool {
	select {
	case l.conns <- c:
		return true
	case <-l.done:
		return false
	}
}

func (l *connListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *connListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return nil
}

func (l *connListener) Addr() net.Addr { return l.addr }

package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// loadRequest is one signed request, before it goes on the wire.
type loadRequest struct {
	path        string // from the target's base, e.g. /slack/commands
	contentType string
	headers     [2][2]string // the platform's signature headers: name, value
	body        []byte
}

// sender sends one client's requests, one at a time. A closed-loop
// client and an open-loop worker each own one, so a sender needs no
// locking of its own for do.
type sender interface {
	// do sends req and reads at most maxAnswer bytes of the answer into
	// answer. It gives up after timeout, or at once when ctx ends.
	do(ctx context.Context, req *loadRequest, answer *bytes.Buffer) (status int, err error)
	// open dials the sender's connection ahead of its first request, when
	// it has one of its own.
	open(ctx context.Context) error
	close()
}

// newSender makes the sender of one client for the run's target: for a
// plain-HTTP target, a connection the client owns and speaks HTTP/1.1 on
// itself; otherwise (https) the shared http.Client.
//
// The tool shares a two-core machine with the server it measures, and
// every microsecond it spends is one the server cannot. net/http's
// client costs a goroutine per request (whose stack grows on every
// request) and hands each request and answer between three goroutines;
// a connection of its own costs the client neither, so the load is as
// cheap to make as keep-alive HTTP allows. Answers are still read by
// net/http's parser.
func (r *runner) newSender(ctx context.Context) sender {
	if r.wire != nil {
		return r.wire.sender(ctx, r.timeout)
	}
	return &clientSender{client: r.client, target: r.target, timeout: r.timeout}
}

// wireTarget is where a plain-HTTP target's connections go.
type wireTarget struct {
	addr   string // host:port to dial
	host   string // the Host header
	prefix string // the base URL's path, put before every request's path
	dialer *net.Dialer
}

// newWireTarget reads target, a base URL: nil for an https one (the
// http.Client serves those), an error for one that is neither http nor
// https or names no host.
func newWireTarget(target string) (*wireTarget, error) {
	u, err := url.Parse(target)
	if err != nil {
		return nil, fmt.Errorf("--target %q: %w", target, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("--target %q: want a base URL such as http://127.0.0.1:3000", target)
	}
	if u.Scheme == "https" {
		return nil, nil
	}
	addr := u.Host
	if u.Port() == "" {
		addr = net.JoinHostPort(u.Hostname(), "80")
	}
	return &wireTarget{
		addr: addr, host: u.Host, prefix: u.EscapedPath(),
		dialer: &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second},
	}, nil
}

func (t *wireTarget) sender(ctx context.Context, timeout time.Duration) *wireSender {
	s := &wireSender{t: t, timeout: timeout}
	s.stopAbort = context.AfterFunc(ctx, s.abort)
	return s
}

// wireSender is one keep-alive connection and the client that owns it.
type wireSender struct {
	t       *wireTarget
	timeout time.Duration

	mu        sync.Mutex // guards conn against abort, which runs on its own
	conn      net.Conn
	aborted   bool
	stopAbort func() bool

	br     *bufio.Reader
	bw     *bufio.Writer
	head   []byte
	reused bool // conn has carried a request before this one
}

// pastDeadline makes every blocked read and write on a connection fail.
var pastDeadline = time.Unix(1, 0)

// abort ends the request in progress and every later one: the run was
// interrupted.
func (s *wireSender) abort() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.aborted = true
	if s.conn != nil {
		s.conn.SetDeadline(pastDeadline)
	}
}

// open dials, so the first request finds its connection made. The
// connection counts as kept alive: if the server closed it while it
// waited (an idle timeout), the first request dials again and is sent
// once more, as on any kept-alive connection.
func (s *wireSender) open(ctx context.Context) error {
	if err := s.connect(ctx); err != nil {
		return err
	}
	s.mu.Lock()
	s.reused = true
	s.mu.Unlock()
	return nil
}

func (s *wireSender) close() {
	s.stopAbort()
	s.drop()
}

// drop closes a connection that can carry no more requests.
func (s *wireSender) drop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn != nil {
		s.conn.Close()
		s.conn = nil
	}
}

// connect dials when the client has no connection, and sets the
// deadline of the request about to go.
func (s *wireSender) connect(ctx context.Context) error {
	s.mu.Lock()
	c := s.conn
	s.mu.Unlock()
	if c == nil {
		nc, err := s.t.dialer.DialContext(ctx, "tcp", s.t.addr)
		if err != nil {
			return err
		}
		if s.br == nil {
			s.br, s.bw = bufio.NewReader(nc), bufio.NewWriter(nc)
		} else {
			s.br.Reset(nc)
			s.bw.Reset(nc)
		}
		s.mu.Lock()
		s.conn, s.reused = nc, false
		s.mu.Unlock()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.aborted {
		return context.Canceled
	}
	return s.conn.SetDeadline(time.Now().Add(s.timeout))
}

func (s *wireSender) do(ctx context.Context, req *loadRequest, answer *bytes.Buffer) (int, error) {
	for attempt := 0; ; attempt++ {
		if err := s.connect(ctx); err != nil {
			return 0, s.cause(ctx, err)
		}
		reused := s.reused
		status, err, stale := s.roundTrip(req, answer)
		if err == nil {
			return status, nil
		}
		s.drop()
		// A kept-alive connection the server closed while it sat idle
		// fails before any answer: send again once on a new one, as
		// net/http's client does.
		if stale && reused && attempt == 0 && ctx.Err() == nil {
			answer.Reset()
			continue
		}
		return 0, s.cause(ctx, err)
	}
}

// cause is what ended a failed request: the run's end, if it was that.
func (s *wireSender) cause(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}

// roundTrip writes req and reads its answer. stale reports a failure
// before a byte of the answer came back.
func (s *wireSender) roundTrip(req *loadRequest, answer *bytes.Buffer) (status int, err error, stale bool) {
	h := append(s.head[:0], "POST "...)
	h = append(h, s.t.prefix...)
	h = append(h, req.path...)
	h = append(h, " HTTP/1.1\r\nHost: "...)
	h = append(h, s.t.host...)
	h = append(h, "\r\nUser-Agent: influbot-load\r\nContent-Type: "...)
	h = append(h, req.contentType...)
	for _, kv := range req.headers {
		h = append(h, "\r\n"...)
		h = append(h, kv[0]...)
		h = append(h, ": "...)
		h = append(h, kv[1]...)
	}
	h = append(h, "\r\nContent-Length: "...)
	h = strconv.AppendInt(h, int64(len(req.body)), 10)
	h = append(h, "\r\n\r\n"...)
	s.head = h
	s.bw.Write(h)
	s.bw.Write(req.body)
	if err := s.bw.Flush(); err != nil {
		return 0, err, true
	}
	s.reused = true
	if _, err := s.br.Peek(1); err != nil {
		return 0, err, errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET)
	}
	resp, err := http.ReadResponse(s.br, nil)
	if err != nil {
		return 0, err, false
	}
	n, err := answer.ReadFrom(io.LimitReader(resp.Body, maxAnswer))
	if err == nil && n == maxAnswer {
		// Longer than any answer is read: the rest is not worth
		// reading, and the connection cannot carry more without it.
		resp.Close = true
	} else if err == nil {
		err = resp.Body.Close()
	}
	if err != nil {
		return 0, err, false
	}
	if resp.Close {
		s.drop()
	}
	return resp.StatusCode, nil, false
}

// clientSender sends through net/http's client, for https targets.
type clientSender struct {
	client  *http.Client
	target  string
	timeout time.Duration
}

func (s *clientSender) do(ctx context.Context, req *loadRequest, answer *bytes.Buffer) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, s.target+req.path, bytes.NewReader(req.body))
	if err != nil {
		return 0, err
	}
	hr.Header.Set("Content-Type", req.contentType)
	for _, kv := range req.headers {
		hr.Header.Set(kv[0], kv[1])
	}
	hr.Header.Set("User-Agent", "influbot-load")
	resp, err := s.client.Do(hr)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if _, err := answer.ReadFrom(io.LimitReader(resp.Body, maxAnswer)); err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// open does nothing: the http.Client dials when a request needs it.
func (s *clientSender) open(context.Context) error { return nil }

func (s *clientSender) close() {}

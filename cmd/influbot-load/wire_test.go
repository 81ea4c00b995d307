package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestSlackFormIsWhatURLValuesEncodes holds the hand-written form to
// the encoding it replaced, for every kind of request in the mix and
// for texts with every character class a question can hold.
func TestSlackFormIsWhatURLValuesEncodes(t *testing.T) {
	w := &workload{mix: Mix{Questions: 4, Checks: 1, Commissions: 1, Lints: 1}, users: 500, workspaces: 20, runID: "123456", responseURL: "https://hooks.slack.com/"}
	r := testRunner("http://unused", 0)
	ops := []op{{text: "what's the 3% rate on a $60 order? #ad & more=ok/+~é😀", team: 7, user: 1234}}
	for i := range 2000 {
		ops = append(ops, w.next(r.rngFor(uint64(i))))
	}
	for i, o := range ops {
		seq := uint64(i * 7919)
		team, user := w.slackTeam(o.team), w.slackUser(o.user)
		want := url.Values{
			"token":        {"load-test-verification-token"},
			"team_id":      {team},
			"team_domain":  {"load" + strconv.Itoa(o.team)},
			"channel_id":   {fmt.Sprintf("C%s%03d", w.runID, o.team)},
			"channel_name": {"creators"},
			"user_id":      {user},
			"user_name":    {"creator" + strconv.Itoa(o.user)},
			"command":      {"/influbot"},
			"text":         {o.text},
			"api_app_id":   {"A0LOAD"},
			"response_url": {fmt.Sprintf("%s/commands/%s/%d/load%s", "https://hooks.slack.com", team, seq, w.runID)},
			"trigger_id":   {fmt.Sprintf("%d.%s.load", seq, w.runID)},
		}.Encode()
		if got := string(w.slackForm(o, seq)); got != want {
			t.Fatalf("op %d (%q):\n got %s\nwant %s", i, o.text, got, want)
		}
	}
}

// rawServer accepts connections and answers each with serve, so a test
// can misbehave as net/http's server never would.
func rawServer(t *testing.T, serve func(c net.Conn, n int)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	var conns atomic.Int64
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				serve(c, int(conns.Add(1)))
			}()
		}
	}()
	return "http://" + ln.Addr().String()
}

// readRequest reads one request off c and its body.
func readRequest(br *bufio.Reader) (*http.Request, []byte, error) {
	req, err := http.ReadRequest(br)
	if err != nil {
		return nil, nil, err
	}
	body, err := io.ReadAll(req.Body)
	return req, body, err
}

// eachRequest reads requests off c and calls answer after each, most
// of them (0: until the client closes or answer returns false).
func eachRequest(c net.Conn, most int, answer func() bool) {
	br := bufio.NewReader(c)
	for i := 0; most == 0 || i < most; i++ {
		if _, _, err := readRequest(br); err != nil || !answer() {
			return
		}
	}
}

// answerRequests answers most requests on c (0: all) with answer.
func answerRequests(c net.Conn, most int, answer string) {
	eachRequest(c, most, func() bool {
		_, err := io.WriteString(c, answer)
		return err == nil
	})
}

func TestWireSender(t *testing.T) {
	ok := "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
	tests := []struct {
		name string
		// serve answers the requests on connection n (from 1).
		serve     func(t *testing.T, c net.Conn, n int)
		wantConns int64
		want      []string // each request's outcome: "answered" or an error kind
	}{
		{
			name:      "requests share one kept-alive connection",
			serve:     func(t *testing.T, c net.Conn, n int) { answerRequests(c, 0, ok) },
			wantConns: 1, want: []string{"answered", "answered", "answered"},
		},
		{
			name: "a connection the server closed while idle is redialled and the request sent again",
			serve: func(t *testing.T, c net.Conn, n int) {
				if n == 1 {
					answerRequests(c, 1, ok) // then closes, without saying so
					return
				}
				answerRequests(c, 0, ok)
			},
			wantConns: 2, want: []string{"answered", "answered", "answered"},
		},
		{
			name: "Connection: close is honoured",
			serve: func(t *testing.T, c net.Conn, n int) {
				answerRequests(c, 1, "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}")
			},
			wantConns: 2, want: []string{"answered", "answered"},
		},
		{
			name: "a chunked answer is read whole and the connection kept",
			serve: func(t *testing.T, c net.Conn, n int) {
				answerRequests(c, 0, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
			},
			wantConns: 1, want: []string{"answered", "answered"},
		},
		{
			name: "a connection cut in the middle of an answer is an error, not sent again",
			serve: func(t *testing.T, c net.Conn, n int) {
				answerRequests(c, 1, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"text\":")
			},
			wantConns: 1, want: []string{"transport"},
		},
		{
			name:      "garbage instead of an answer is an error",
			serve:     func(t *testing.T, c net.Conn, n int) { answerRequests(c, 1, "SSH-2.0-OpenSSH\r\n") },
			wantConns: 1, want: []string{"transport"},
		},
		{
			name: "a server that never answers times out",
			serve: func(t *testing.T, c net.Conn, n int) {
				io.Copy(io.Discard, c)
			},
			wantConns: 1, want: []string{"timeout"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var conns atomic.Int64
			target := rawServer(t, func(c net.Conn, n int) {
				conns.Add(1)
				tc.serve(t, c, n)
			})
			r := testRunner(target, 300*time.Millisecond)
			s := r.newSender(t.Context())
			defer s.close()
			for i, want := range tc.want {
				res := r.send(t.Context(), s, time.Now())
				got := res.kind
				if res.outcome == answered {
					got = "answered"
				}
				if got != want {
					t.Errorf("request %d: %q, want %q", i+1, got, want)
				}
				if i == 0 && tc.wantConns == 2 {
					time.Sleep(50 * time.Millisecond) // let the server's close arrive
				}
			}
			if got := conns.Load(); got != tc.wantConns {
				t.Errorf("%d connections, want %d", got, tc.wantConns)
			}
		})
	}
}

// TestWireSenderSendsWhatTheServerVerifies checks the request on the
// wire: path under the target's base, Host, the signature over the exact
// body, and a body net/http's server parses as the form.
func TestWireSenderSendsWhatTheServerVerifies(t *testing.T) {
	got := make(chan error, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		var err error
		switch {
		case req.URL.Path != "/base"+slackCommandsPath:
			err = fmt.Errorf("path %q", req.URL.Path)
		case req.Host != strings.TrimPrefix(srvURL(req), "http://"):
			err = fmt.Errorf("host %q", req.Host)
		case req.Header.Get("Content-Type") != "application/x-www-form-urlencoded":
			err = fmt.Errorf("content type %q", req.Header.Get("Content-Type"))
		default:
			err = verifySlack(testSecret, req.Header.Get("X-Slack-Request-Timestamp"), req.Header.Get("X-Slack-Signature"), body, time.Now())
		}
		if err == nil {
			form, perr := url.ParseQuery(string(body))
			if perr != nil || form.Get("command") != "/influbot" || form.Get("text") == "" {
				err = fmt.Errorf("form %v (%v)", form, perr)
			}
		}
		got <- err
	}))
	defer srv.Close()
	r := testRunner(srv.URL+"/base", time.Second)
	if res := sendOne(r, time.Now()); res.outcome != answered {
		t.Fatalf("outcome %d %q", res.outcome, res.kind)
	}
	if err := <-got; err != nil {
		t.Error(err)
	}
}

func srvURL(req *http.Request) string {
	return "http://" + req.Context().Value(http.LocalAddrContextKey).(net.Addr).String()
}

// TestWireSenderStopsWhenTheRunIsInterrupted: a request in flight when
// the run's context ends fails at once as interrupted, as do later ones.
func TestWireSenderStopsWhenTheRunIsInterrupted(t *testing.T) {
	target := rawServer(t, func(c net.Conn, n int) { io.Copy(io.Discard, c) })
	r := testRunner(target, time.Minute)
	ctx, cancel := context.WithCancel(t.Context())
	s := r.newSender(ctx)
	defer s.close()
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	res := r.send(ctx, s, start)
	if res.outcome != failed || res.kind != "interrupted" {
		t.Errorf("outcome %d %q, want interrupted", res.outcome, res.kind)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("took %v to stop", took)
	}
	if res := r.send(ctx, s, time.Now()); res.kind != "interrupted" {
		t.Errorf("after the end: %q, want interrupted", res.kind)
	}
}

// TestLongAnswersAreCutAndTheConnectionDropped: an answer longer than
// maxAnswer is read to that length, and the next request goes on a new
// connection rather than reading the rest.
func TestLongAnswersAreCutAndTheConnectionDropped(t *testing.T) {
	var conns atomic.Int64
	long := bytes.Repeat([]byte("x"), maxAnswer+10)
	target := rawServer(t, func(c net.Conn, n int) {
		conns.Add(1)
		eachRequest(c, 0, func() bool {
			fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n", len(long))
			_, err := c.Write(long)
			return err == nil
		})
	})
	r := testRunner(target, 5*time.Second)
	s := r.newSender(t.Context())
	defer s.close()
	for i := range 2 {
		if res := r.send(t.Context(), s, time.Now()); res.outcome != answered {
			t.Fatalf("request %d: %d %q", i+1, res.outcome, res.kind)
		}
	}
	if n := conns.Load(); n != 2 {
		t.Errorf("%d connections, want 2", n)
	}
}

// TestOpenLoopStaysOnItsConnections: requests due while every connection
// is busy wait for a free one (and are charged the wait), and no
// connection is dialed beyond those opened before the run.
func TestOpenLoopStaysOnItsConnections(t *testing.T) {
	var conns, inFlight, most atomic.Int64
	target := rawServer(t, func(c net.Conn, n int) {
		conns.Add(1)
		eachRequest(c, 0, func() bool {
			now := inFlight.Add(1)
			for m := most.Load(); now > m && !most.CompareAndSwap(m, now); m = most.Load() {
			}
			time.Sleep(20 * time.Millisecond)
			inFlight.Add(-1)
			_, err := io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")
			return err == nil
		})
	})
	r := testRunner(target, 5*time.Second)
	ready := r.openSenders(t.Context(), 3)
	for deadline := time.Now().Add(2 * time.Second); conns.Load() < 3 && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond) // the server accepts on its own goroutine
	}
	if n := conns.Load(); n != 3 {
		t.Fatalf("%d connections dialed before the run, want 3", n)
	}
	r.openLoop(t.Context(), 400, ready, time.Now(), 250*time.Millisecond)
	s := r.rec.summary(250 * time.Millisecond)
	if s.Sent != 100 || s.Answered != 100 {
		t.Errorf("sent %d answered %d (%v), want 100 and 100", s.Sent, s.Answered, s.ErrorKinds)
	}
	if n := conns.Load(); n != 3 {
		t.Errorf("%d connections, want the 3 dialed before the run", n)
	}
	if m := most.Load(); m > 3 {
		t.Errorf("%d requests at once, want at most 3", m)
	}
	// 100 requests 20 ms each on 3 connections take at least 660 ms, so
	// the last ones were due long before they were answered.
	if s.Latency.Max < 300 {
		t.Errorf("max latency %v ms: requests that waited for a worker were not charged the wait", s.Latency.Max)
	}
}

func TestNewWireTargetRefusesWhatIsNoHTTPBaseURL(t *testing.T) {
	tests := []struct {
		target  string
		wantErr bool
		wire    bool
	}{
		{"http://127.0.0.1:3000", false, true},
		{"http://example.com/base", false, true},
		{"https://bot.example.com", false, false},
		{"ftp://x", true, false},
		{"127.0.0.1:3000", true, false},
		{"http://", true, false},
		{"http://[::1", true, false},
	}
	for _, tc := range tests {
		w, err := newWireTarget(tc.target)
		if (err != nil) != tc.wantErr || (w != nil) != tc.wire {
			t.Errorf("newWireTarget(%q) = %v, %v; want error %v, wire target %v", tc.target, w, err, tc.wantErr, tc.wire)
		}
	}
}

// TestOpenLoopRedialsAConnectionClosedBeforeItsFirstRequest: a connection
// dialed before the run that the server closed while it idled (its idle
// timeout) is dialed again by its first request, which succeeds.
func TestOpenLoopRedialsAConnectionClosedBeforeItsFirstRequest(t *testing.T) {
	ok := "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}"
	closed := make(chan struct{})
	target := rawServer(t, func(c net.Conn, n int) {
		if n == 1 {
			close(closed) // the server gives up on an idle connection
			return
		}
		answerRequests(c, 0, ok)
	})
	r := testRunner(target, 5*time.Second)
	ready := r.openSenders(t.Context(), 1)
	<-closed
	time.Sleep(20 * time.Millisecond) // the close reaches the client
	r.openLoop(t.Context(), 20, ready, time.Now(), 100*time.Millisecond)
	if s := r.rec.summary(100 * time.Millisecond); s.Answered != 2 || s.Errors != 0 {
		t.Errorf("answered %d, errors %d (%v); want 2 answered, none failed", s.Answered, s.Errors, s.ErrorKinds)
	}
}

// TestOpenLoopWaitsNoLongerThanTheTimeout: requests that find every
// connection busy for longer than --timeout are counted as timed out,
// and the run ends about then, not after a queue has drained.
func TestOpenLoopWaitsNoLongerThanTheTimeout(t *testing.T) {
	target := rawServer(t, func(c net.Conn, n int) {
		eachRequest(c, 0, func() bool {
			time.Sleep(300 * time.Millisecond) // past the timeout: never answered in time
			return false
		})
	})
	r := testRunner(target, 150*time.Millisecond)
	ready := r.openSenders(t.Context(), 1)
	start := time.Now()
	r.openLoop(t.Context(), 100, ready, start, 200*time.Millisecond)
	took := time.Since(start)
	s := r.rec.summary(took)
	if s.Sent != 20 || s.Errors != 20 || s.ErrorKinds["timeout"] != 20 {
		t.Errorf("sent %d, errors %d (%v); want 20 sent, all timed out", s.Sent, s.Errors, s.ErrorKinds)
	}
	// The last request was due at 190 ms and gives up 150 ms later.
	if took > 2*time.Second {
		t.Errorf("the run took %v: requests waited past their timeout", took)
	}
}

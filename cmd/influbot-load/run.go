package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// runner sends signed requests to one server.
type runner struct {
	client   *http.Client // for https targets and readiness
	wire     *wireTarget  // a plain-HTTP target's connections; nil for https
	target   string       // base URL, no trailing slash
	platform string       // slack, discord or both
	secret   string       // Slack signing secret
	key      ed25519.PrivateKey
	w        *workload
	rec      *recorder
	busyText string // lower case
	timeout  time.Duration
	clk      clock
	seed     uint64
	seq      atomic.Uint64
	progress io.Writer // where the progress lines go
	bodies   bodyPool
}

// Paths of the endpoints the load goes to.
const (
	slackCommandsPath       = "/slack/commands"
	discordInteractionsPath = "/discord/interactions"
)

// build makes the next signed request.
func (r *runner) build(rng *rand.Rand, seq uint64) loadRequest {
	o := r.w.next(rng)
	platform := r.platform
	if platform == "both" {
		platform = "slack"
		if seq%2 == 1 {
			platform = "discord"
		}
	}
	ts := strconv.FormatInt(r.clk.now().Unix(), 10)
	if platform == "discord" {
		body := r.w.discordBody(o, seq)
		return loadRequest{
			path: discordInteractionsPath, contentType: "application/json", body: body,
			headers: [2][2]string{{"X-Signature-Timestamp", ts}, {"X-Signature-Ed25519", discordSignature(r.key, ts, body)}},
		}
	}
	body := r.w.slackForm(o, seq)
	return loadRequest{
		path: slackCommandsPath, contentType: "application/x-www-form-urlencoded", body: body,
		headers: [2][2]string{{"X-Slack-Request-Timestamp", ts}, {"X-Slack-Signature", slackSignature(r.secret, ts, body)}},
	}
}

// rngFor is the random source of request seq: the run's seed and the
// sequence number make each request's draw repeatable.
func (r *runner) rngFor(seq uint64) *rand.Rand { return rand.New(rand.NewPCG(r.seed, seq)) }

// send makes one request due at intended on s and reports how it ended.
func (r *runner) send(ctx context.Context, s sender, intended time.Time) result {
	seq := r.seq.Add(1)
	req := r.build(r.rngFor(seq), seq)
	buf := r.bodies.get()
	defer r.bodies.put(buf)
	status, err := s.do(ctx, &req, buf)
	latency := r.clk.now().Sub(intended)
	switch {
	case err != nil:
		return result{outcome: failed, kind: errorKind(err), latency: latency}
	case status < 200 || status > 299:
		return result{outcome: failed, kind: "status " + strconv.Itoa(status), latency: latency}
	case r.busyText != "" && containsFold(buf.Bytes(), r.busyText):
		return result{outcome: busy, latency: latency}
	}
	return result{outcome: answered, latency: latency}
}

// maxAnswer is the most of an answer read.
const maxAnswer = 1 << 20

// bodyPool lends the buffers answers are read into: the tool shares the
// machine with the server it measures, so it reads answers without
// allocating a buffer for each.
type bodyPool struct{ p sync.Pool }

func (b *bodyPool) get() *bytes.Buffer {
	if v, ok := b.p.Get().(*bytes.Buffer); ok {
		v.Reset()
		return v
	}
	return new(bytes.Buffer)
}

func (b *bodyPool) put(v *bytes.Buffer) {
	if v.Cap() <= 64<<10 {
		b.p.Put(v)
	}
}

// containsFold reports whether s holds lower, ignoring the case of ASCII
// letters (lower is in lower case). It compares in place rather than
// lower-casing a copy of every answer, and it jumps between the places
// where the pattern's rarest letter occurs (bytes.IndexByte, which scans
// many bytes at a time) instead of trying every offset: the tool shares
// the machine with the server it measures, and a byte-by-byte scan of
// every 3 KB answer was a tenth of its CPU.
func containsFold(s []byte, lower string) bool {
	n := len(lower)
	if n == 0 {
		return true
	}
	k := rarestByte(lower)
	lo, up := lower[k], lower[k]
	if 'a' <= lo && lo <= 'z' {
		up = lo - 'a' + 'A'
	}
	// An occurrence has its anchor at i in [k, end); nextLo and nextUp
	// are the next places of each case of the anchor at or after i (end
	// when there is none), found once and used until passed.
	end := len(s) - n + k + 1
	nextLo, nextUp := -1, -1
	for i := k; i < end; i++ {
		if nextLo < i {
			nextLo = indexFrom(s[:end], lo, i)
		}
		if nextUp < i {
			nextUp = indexFrom(s[:end], up, i)
		}
		if i = min(nextLo, nextUp); i >= end {
			return false
		}
		if equalFold(s[i-k:i-k+n], lower) {
			return true
		}
	}
	return false
}

// indexFrom is the index in s of the first c at or after from, or len(s)
// when there is none.
func indexFrom(s []byte, c byte, from int) int {
	if from >= len(s) {
		return len(s)
	}
	j := bytes.IndexByte(s[from:], c)
	if j < 0 {
		return len(s)
	}
	return from + j
}

// equalFold reports whether b equals lower, ignoring ASCII case; they
// have the same length.
func equalFold(b []byte, lower string) bool {
	for j := range len(lower) {
		if asciiLower(b[j]) != lower[j] {
			return false
		}
	}
	return true
}

// letterRarity ranks letters from the most common in English text to the
// rarest.
const letterRarity = "etaoinshrdlcumwfgypbvkjxqz"

// rarestByte is the index of the byte of lower least likely in an answer:
// the rarest letter, else any other byte before a space.
func rarestByte(lower string) int {
	best, bestRank := 0, -2
	for i := range len(lower) {
		c := lower[i]
		rank := strings.IndexByte(letterRarity, c)
		switch {
		case c == ' ':
			rank = -1
		case rank < 0:
			rank = len(letterRarity) / 2
		}
		if rank > bestRank {
			best, bestRank = i, rank
		}
	}
	return best
}

func asciiLower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// asciiLowerString lower-cases the ASCII letters of s (containsFold's
// pattern).
func asciiLowerString(s string) string {
	b := []byte(s)
	for i, c := range b {
		b[i] = asciiLower(c)
	}
	return string(b)
}

func errorKind(err error) string {
	var ne net.Error
	if errors.Is(err, context.Canceled) {
		return "interrupted"
	}
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		return "timeout"
	}
	return "transport"
}

// closedLoop runs n clients, each sending its next request as soon as
// the last is answered, until d has passed.
func (r *runner) closedLoop(ctx context.Context, n int, start time.Time, d time.Duration) {
	end := start.Add(d)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			s := r.newSender(ctx)
			defer s.close()
			for ctx.Err() == nil {
				t := r.clk.now()
				if !t.Before(end) {
					return
				}
				r.rec.started()
				r.rec.add(r.send(ctx, s, t))
			}
		})
	}
	wg.Wait()
}

// openSenders makes n senders (at least one) and dials their
// connections, all at once, before a run's clock starts.
func (r *runner) openSenders(ctx context.Context, n int) []sender {
	senders := make([]sender, max(n, 1))
	var wg sync.WaitGroup
	for i := range senders {
		s := r.newSender(ctx)
		senders[i] = s
		wg.Go(func() { _ = s.open(ctx) }) // a failed dial is tried again by the first request
	}
	wg.Wait()
	return senders
}

// openLoop sends rate requests a second until d has passed, whatever the
// server's answers, on the connections of ready (dialed before start, as
// wrk2 does), one request at a time on each.
//
// A request due while every connection is busy waits for the first free
// one (on a goroutine of its own, for at most the request timeout) and is
// charged the wait: its latency runs from when it was due. A request that
// finds a connection free starts no goroutine. No connection is dialed
// during the run but to replace one that closed: a tool that dialed one
// more whenever all were busy would answer a slow moment of the server
// with a burst of dials, hundreds in the first tenth of a second of a run
// at 3,000 a second, that cost both sides CPU on the same cores and made
// the moment longer.
func (r *runner) openLoop(ctx context.Context, rate float64, ready []sender, start time.Time, d time.Duration) {
	due := make(chan time.Time)
	var workers, waiting sync.WaitGroup
	for _, s := range ready {
		workers.Go(func() {
			defer s.close()
			for t := range due {
				r.rec.add(r.send(ctx, s, t))
			}
		})
	}
	openLoop(ctx, r.clk, start, rate, d, func(intended time.Time) {
		r.rec.started()
		select {
		case due <- intended: // an idle connection took it
			return
		default:
		}
		// It waits no longer than a request on the wire would: one that
		// no connection took within --timeout of when it was due timed
		// out, so a stalled server does not leave a queue to drain
		// after the run.
		waiting.Go(func() {
			giveUp := time.NewTimer(time.Until(intended.Add(r.timeout)))
			defer giveUp.Stop()
			select {
			case due <- intended:
			case <-giveUp.C:
				r.rec.add(result{outcome: failed, kind: "timeout", latency: r.timeout})
			case <-ctx.Done():
				r.rec.add(result{outcome: failed, kind: "not sent"})
			}
		})
	})
	waiting.Wait()
	close(due)
	workers.Wait()
}

// waitReady polls the target's /readyz (the server has loaded its
// knowledge and opened its database) until it answers 200; a target
// without /readyz (404, the peer) is ready when /healthz answers 200.
func waitReady(ctx context.Context, client *http.Client, target string, d time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	path := "/readyz"
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, target+path, nil)
		if err != nil {
			return err
		}
		resp, err := client.Do(req)
		if err == nil {
			resp.Body.Close()
			switch {
			case resp.StatusCode == http.StatusOK:
				return nil
			case resp.StatusCode == http.StatusNotFound && path == "/readyz":
				path = "/healthz"
				continue
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s%s did not answer 200 within %s", target, path, d)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// progressLoop prints a progress line every second, and the totals
// when ctx ends.
func progressLoop(ctx context.Context, rec *recorder, w io.Writer) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	var last progressMark
	for i := 1; ; i++ {
		select {
		case <-ctx.Done():
			fmt.Fprintf(w, "done  sent %d  answered %d  busy %d  errors %d\n", rec.sent.Load(), rec.answered.Load(), rec.busy.Load(), rec.failed.Load())
			return
		case <-t.C:
			last = rec.progress(w, i, last)
		}
	}
}

func trimURL(s string) string { return strings.TrimRight(s, "/") }

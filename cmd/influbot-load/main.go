// Command influbot-load measures an influbot server: it sends signed Slack
// slash commands and Discord interactions with a realistic mix, closed
// loop at a concurrency or open loop at a rate, and reports throughput,
// latency percentiles, errors, busy answers and, with --db, whether every
// successful request was recorded.
//
//	influbot-load [flags]             send load to --target
//	influbot-load peer [flags]        run the minimal peer server
//	influbot-load fake-slack [flags]  run a fake Slack API for the bot
package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "influbot-load:", err)
		}
		os.Exit(2)
	}
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "peer":
			return runPeer(ctx, args[1:], getenv, stderr)
		case "fake-slack":
			return runFakeSlack(ctx, args[1:], stderr)
		}
	}
	return runLoad(ctx, args, getenv, stdout, stderr)
}

// loadConfig is the load command's flags.
type loadConfig struct {
	target, platform       string
	concurrency            int
	rate                   float64
	duration, timeout      time.Duration
	users, workspaces      int
	mix                    Mix
	jsonOut                bool
	db                     string
	dbWait                 time.Duration
	discordKey, appID      string
	fakeSlack, fakeSlackCA string
	responseURL            string
	waitReady              time.Duration
	busyText               string
	maxInFlight            int
	connections            int
	seed                   uint64
}

func parseLoadFlags(args []string, stderr io.Writer) (loadConfig, error) {
	var c loadConfig
	fs := flag.NewFlagSet("influbot-load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.target, "target", "http://127.0.0.1:3000", "base URL of the server under load")
	fs.StringVar(&c.platform, "platform", "slack", "slack, discord, or both (alternating)")
	fs.IntVar(&c.concurrency, "concurrency", 16, "closed loop: clients each sending the next request when the last is answered")
	fs.Float64Var(&c.rate, "rate", 0, "open loop: requests a second, each timed from when it was due (overrides --concurrency)")
	fs.DurationVar(&c.duration, "duration", 10*time.Second, "how long to send")
	fs.DurationVar(&c.timeout, "timeout", 10*time.Second, "give up on a request after this long")
	fs.IntVar(&c.users, "users", 500, "distinct users")
	fs.IntVar(&c.workspaces, "workspaces", 20, "distinct Slack workspaces / Discord servers")
	fs.IntVar(&c.mix.Questions, "questions", 4, "weight of FAQ questions in the mix")
	fs.IntVar(&c.mix.Checks, "checks", 1, "weight of eligibility checks")
	fs.IntVar(&c.mix.Commissions, "commissions", 0, "weight of commission estimates")
	fs.IntVar(&c.mix.Lints, "lints", 0, "weight of caption lints")
	fs.BoolVar(&c.jsonOut, "json", false, "print the summary as JSON")
	fs.StringVar(&c.db, "db", "", "the server's SQLite file: check that it recorded every successful request")
	fs.DurationVar(&c.dbWait, "db-wait", 15*time.Second, "with --db, how long to wait for records that lag the answers")
	fs.StringVar(&c.discordKey, "discord-key", "", "Ed25519 seed (64 hex digits) to sign Discord requests; empty makes a key and prints its public key")
	fs.StringVar(&c.appID, "discord-app-id", "100000000000000001", "application_id in Discord interactions")
	fs.StringVar(&c.fakeSlack, "fake-slack", "", "also run a fake Slack API on this address (host:port) for the server to post answers to")
	fs.StringVar(&c.fakeSlackCA, "fake-slack-ca", "", "with --fake-slack, write its CA certificate here (default: a file in the temporary directory)")
	fs.StringVar(&c.responseURL, "response-url", "https://hooks.slack.com", "base of the response_url in slash commands")
	fs.DurationVar(&c.waitReady, "wait-ready", 0, "first wait up to this long for the target's /readyz (or, without one, /healthz) to answer 200")
	fs.StringVar(&c.busyText, "busy-text", "a lot of people right now", "words in an answer that mean the bot refused as busy (ASCII letters in any case)")
	fs.IntVar(&c.connections, "connections", 128, "open loop: connections, dialed before the first request is due, each carrying one request at a time; a request due while all are busy waits for one, and is charged the wait")
	fs.IntVar(&c.maxInFlight, "max-inflight", 4096, "open loop: most requests on the wire at once (caps --connections)")
	fs.Uint64Var(&c.seed, "seed", 0, "random seed for the mix (0: a new one each run)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: influbot-load [flags]   (SLACK_SIGNING_SECRET signs Slack requests)")
		fmt.Fprintln(stderr, "       influbot-load peer [flags]")
		fmt.Fprintln(stderr, "       influbot-load fake-slack [flags]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	switch {
	case fs.NArg() > 0:
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	case c.platform != "slack" && c.platform != "discord" && c.platform != "both":
		return c, fmt.Errorf("--platform must be slack, discord or both, not %q", c.platform)
	case c.rate < 0 || (c.rate == 0 && c.concurrency < 1):
		return c, errors.New("--concurrency must be at least 1, or --rate above 0")
	case c.duration <= 0 || c.timeout <= 0:
		return c, errors.New("--duration and --timeout must be above 0")
	case c.users < 1 || c.workspaces < 1:
		return c, errors.New("--users and --workspaces must be at least 1")
	case c.mix.Questions < 0 || c.mix.Checks < 0 || c.mix.Commissions < 0 || c.mix.Lints < 0 || c.mix.total() == 0:
		return c, errors.New("the mix weights must not be negative and not all 0")
	case c.maxInFlight < 1:
		return c, errors.New("--max-inflight must be at least 1")
	case c.connections < 1:
		return c, errors.New("--connections must be at least 1")
	}
	c.target = trimURL(c.target)
	c.busyText = asciiLowerString(c.busyText)
	return c, nil
}

func runLoad(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	c, err := parseLoadFlags(args, stderr)
	if err != nil {
		return err
	}
	secret := getenv("SLACK_SIGNING_SECRET")
	if c.platform != "discord" && secret == "" {
		return errors.New("set SLACK_SIGNING_SECRET to the server's signing secret to sign Slack requests")
	}
	key, err := discordKey(c.discordKey, rand.Read)
	if err != nil {
		return err
	}
	if c.platform != "slack" && c.discordKey == "" {
		fmt.Fprintf(stderr, "Discord public key (configure the server with it): %s\n", hex.EncodeToString(key.Public().(ed25519.PublicKey)))
	}
	runID, err := newRunID()
	if err != nil {
		return err
	}
	seed := c.seed
	if seed == 0 {
		b, err := rand.Int(rand.Reader, new(big.Int).SetUint64(1<<62))
		if err != nil {
			return fmt.Errorf("random seed: %w", err)
		}
		seed = b.Uint64() + 1
	}

	wire, err := newWireTarget(c.target)
	if err != nil {
		return err
	}

	var fake *fakeSlack
	if c.fakeSlack != "" {
		fctx, stopFake := context.WithCancel(ctx)
		defer stopFake()
		if fake, err = startFakeSlack(fctx, c.fakeSlack, c.fakeSlackCA, stderr); err != nil {
			return err
		}
	}

	conns := max(c.concurrency, 64)
	if c.rate > 0 {
		conns = min(c.maxInFlight, 1024)
	}
	client := &http.Client{Transport: &http.Transport{
		Proxy:               nil, // the load goes straight to the target
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        conns,
		MaxIdleConnsPerHost: conns,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}}
	defer client.CloseIdleConnections()
	if c.waitReady > 0 {
		if err := waitReady(ctx, client, c.target, c.waitReady); err != nil {
			return err
		}
	}
	r := &runner{
		client: client, wire: wire, target: c.target, platform: c.platform, secret: secret, key: key,
		w: &workload{mix: c.mix, users: c.users, workspaces: c.workspaces, runID: runID,
			responseURL: c.responseURL, appID: c.appID},
		rec: newRecorder(), busyText: c.busyText, timeout: c.timeout, clk: realClock(), seed: seed, progress: stderr,
	}
	s, err := r.run(ctx, c)
	if err != nil {
		return err
	}
	if fake != nil {
		// The bot posts its answers after acknowledging; let it finish.
		s.FakeSlack = fake.settle(ctx, time.Second, 10*time.Second)
	}
	if c.jsonOut {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(s)
	}
	s.writeText(stdout)
	return nil
}

// run sends the load and summarises it.
func (r *runner) run(ctx context.Context, c loadConfig) (Summary, error) {
	pctx, cancelProgress := context.WithCancel(ctx)
	progressDone := make(chan struct{})
	go func() { progressLoop(pctx, r.rec, r.progress); close(progressDone) }()
	stopProgress := func() { cancelProgress(); <-progressDone }
	var ready []sender
	if c.rate > 0 {
		// More connections than requests a second would mostly idle.
		ready = r.openSenders(ctx, min(c.connections, c.maxInFlight, int(math.Ceil(c.rate))))
	}
	start := r.clk.now()
	if c.rate > 0 {
		r.openLoop(ctx, c.rate, ready, start, c.duration)
	} else {
		r.closedLoop(ctx, c.concurrency, start, c.duration)
	}
	end := r.clk.now()
	stopProgress()
	s := r.rec.summary(end.Sub(start))
	s.Target, s.Platform, s.Users, s.Workspaces = c.target, c.platform, c.users, c.workspaces
	s.Mode, s.Concurrency = "closed", c.concurrency
	if c.rate > 0 {
		s.Mode, s.Rate, s.Concurrency = "open", c.rate, 0
	}
	if c.db != "" {
		var prefixes []string
		if c.platform != "discord" {
			prefixes = append(prefixes, r.w.userPrefix("slack"))
		}
		if c.platform != "slack" {
			prefixes = append(prefixes, r.w.userPrefix("discord"))
		}
		// The window allows for a server whose clock reads a request's
		// time a moment before the load's.
		check, err := checkRecorded(ctx, c.db, prefixes, start.Add(-2*time.Second), end.Add(c.dbWait+2*time.Second), s.Answered, c.dbWait)
		if err != nil {
			return s, err
		}
		s.Recorded = check
	}
	return s, nil
}

// newRunID is six random digits that begin every id the run makes.
func newRunID() (string, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(900000))
	if err != nil {
		return "", fmt.Errorf("run id: %w", err)
	}
	return fmt.Sprintf("%06d", n.Int64()+100000), nil
}

func startFakeSlack(ctx context.Context, addr, caPath string, stderr io.Writer) (*fakeSlack, error) {
	f, err := newFakeSlack()
	if err != nil {
		return nil, err
	}
	if caPath == "" {
		caPath = filepath.Join(os.TempDir(), "influbot-load-fake-slack-ca.pem")
	}
	if err := f.writeCA(caPath); err != nil {
		return nil, err
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("fake Slack: listen on %s: %w", addr, err)
	}
	go f.serve(ctx, ln)
	fmt.Fprintf(stderr, "fake Slack on %s; start the bot with HTTPS_PROXY=http://%s SSL_CERT_FILE=%s SLACK_BOT_TOKEN=xoxb-load\n", ln.Addr(), ln.Addr(), caPath)
	return f, nil
}

func runFakeSlack(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("influbot-load fake-slack", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:3200", "address to listen on")
	ca := fs.String("ca", "", "write the CA certificate here (default: a file in the temporary directory)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	f, err := startFakeSlack(ctx, *addr, *ca, stderr)
	if err != nil {
		return err
	}
	<-ctx.Done()
	b, _ := json.Marshal(f.Counts())
	fmt.Fprintf(stderr, "fake Slack answered: %s\n", b)
	return nil
}

func runPeer(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) error {
	fs := flag.NewFlagSet("influbot-load peer", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:3100", "address to listen on")
	dbPath := fs.String("db", "influbot-peer.db", "SQLite file to record requests in")
	pubHex := fs.String("discord-public-key", "", "Discord public key (hex) to verify interactions with; empty refuses them")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var pub []byte
	if *pubHex != "" {
		b, err := hex.DecodeString(*pubHex)
		if err != nil || len(b) != 32 {
			return errors.New("--discord-public-key must be 64 hex digits")
		}
		pub = b
	}
	secret := getenv("SLACK_SIGNING_SECRET")
	if secret == "" && pub == nil {
		return errors.New("set SLACK_SIGNING_SECRET or --discord-public-key, or the peer refuses everything")
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	db, err := openPeerDB(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", *addr)
	if err != nil {
		return fmt.Errorf("peer: listen on %s: %w", *addr, err)
	}
	log.Info("peer serving", "addr", ln.Addr().String(), "db", *dbPath)
	return newPeer(db, secret, pub, log).serve(ctx, ln)
}

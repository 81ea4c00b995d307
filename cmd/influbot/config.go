package main

import (
	"context"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/influbot/influbot/bot/nudge"
	"github.com/influbot/influbot/bot/schedule"
	"github.com/influbot/influbot/internal/service"
	"github.com/influbot/influbot/store"
)

// setting is one thing influbot reads from a flag or the environment.
type setting struct {
	// env is the variable, then older names it is also read from.
	env []string
	// flag overrides the variable where the command has it ("" none).
	flag string
	// def is what applies when neither is set, as the command sees it.
	def func(e *env) string
	// secret values are never shown or logged: only their length (and a
	// token's well-known prefix).
	secret bool
	// usedBy names the commands that read it; they check it at start-up.
	usedBy []string
	// check reports what is wrong with a value that is set; nil takes any.
	check func(v string) error
}

// Sources of a setting's value.
const (
	sourceFlag    = "flag"
	sourceEnv     = "env"
	sourceDefault = "default"
)

func constant(v string) func(*env) string { return func(*env) string { return v } }

// settings are everything run, serve and the tools read from flags and
// the environment, in the order 'influbot config' prints them.
func settings() []setting {
	runServe := []string{"run", "serve"}
	bots := []string{"run", "serve", "chat"}
	return []setting{
		{env: []string{"INFLUBOT_ADDR", "INFLUBOT_HTTP_ADDR"}, flag: "addr", def: constant(service.DefaultAddr), usedBy: runServe, check: checkAddr},
		{env: []string{"INFLUBOT_PPROF_ADDR"}, usedBy: []string{"serve"}, check: checkAddr},
		{env: []string{"INFLUBOT_HISTORY_BEHIND"}, def: constant("0"), usedBy: runServe, check: func(v string) error {
			_, err := parseHistoryBehind(v)
			return err
		}},
		{env: []string{"INFLUBOT_DB"}, flag: "db", def: constant(defaultDB), usedBy: bots},
		{env: []string{"INFLUBOT_KNOWLEDGE"}, flag: "knowledge", def: constant(""), usedBy: bots, check: checkDir},
		{env: []string{"INFLUBOT_LOG_LEVEL"}, flag: "log-level", def: constant("info"), usedBy: bots, check: checkLogLevel},
		{env: []string{"INFLUBOT_LOG_FORMAT"}, flag: "log-format", def: constant("text"), usedBy: bots, check: checkLogFormat},
		{env: []string{"INFLUBOT_RETENTION"}, flag: "retention", def: constant("0"), usedBy: bots, check: func(v string) error {
			if _, err := parseRetention(v); err != nil {
				return errors.New(strings.TrimPrefix(plainError(err).Error(), "--retention / INFLUBOT_RETENTION: "))
			}
			return nil
		}},
		{env: []string{"INFLUBOT_NUDGE_RATE"}, def: constant(formatRates(nudge.DefaultLimits)), usedBy: bots, check: func(v string) error {
			_, err := nudge.ParseRateLimits(v, nudge.DefaultLimits)
			return err
		}},
		{env: []string{"INFLUBOT_QUIET_HOURS"}, def: constant(""), usedBy: bots, check: func(v string) error {
			_, err := schedule.ParseQuiet(v)
			return err
		}},
		{env: []string{"INFLUBOT_RECHECK_AFTER"}, def: constant(""), usedBy: bots, check: checkRecheck},
		{env: []string{"INFLUBOT_USER"}, flag: "user", def: defaultUserName, usedBy: []string{"run", "chat"}},
		{env: []string{"TZ"}, def: func(*env) string { return systemZone().String() }, usedBy: []string{"chat"}},
		{env: []string{"SLACK_BOT_TOKEN"}, secret: true, usedBy: runServe, check: checkPrefix("xoxb-", "a bot token")},
		{env: []string{"SLACK_SIGNING_SECRET"}, secret: true, usedBy: runServe},
		{env: []string{"SLACK_APP_TOKEN"}, secret: true, usedBy: []string{"run"}, check: checkPrefix("xapp-", "an app-level token")},
		{env: []string{"SLACK_API_URL"}, usedBy: runServe, check: func(v string) error {
			_, err := slackAPIURL(v)
			return err
		}},
		{env: []string{"SLACK_CLIENT_ID"}, usedBy: runServe},
		{env: []string{"SLACK_CLIENT_SECRET"}, secret: true, usedBy: runServe},
		{env: []string{"INFLUBOT_SECRET_KEY"}, secret: true, usedBy: runServe},
		{env: []string{"INFLUBOT_SECRET_KEY_OLD"}, secret: true, usedBy: runServe},
		{env: []string{"INFLUBOT_PUBLIC_URL"}, usedBy: runServe, check: checkURL},
		{env: []string{"INFLUBOT_SLACK_PURGE_AFTER"}, def: constant("30d"), usedBy: runServe, check: func(v string) error {
			_, err := store.ParseAge(v)
			return err
		}},
		{env: []string{"SLACK_AUTHORIZE_URL"}, usedBy: runServe, check: checkURL},
		{env: []string{"DISCORD_TOKEN"}, secret: true, usedBy: []string{"run"}},
		{env: []string{"DISCORD_APPLICATION_ID"}, usedBy: runServe, check: checkSnowflake},
		{env: []string{"DISCORD_GUILD_ID"}, usedBy: []string{"run"}, check: checkSnowflake},
		{env: []string{"DISCORD_PUBLIC_KEY"}, usedBy: []string{"serve"}, check: checkPublicKey},
		{env: []string{"DISCORD_API_URL"}, usedBy: runServe, check: checkURL},
	}
}

// resolved is a setting's effective value and where it came from.
type resolved struct {
	Name   string `json:"name"`
	Flag   string `json:"flag,omitempty"`
	Value  string `json:"value"` // masked for a secret
	Source string `json:"source"`
	From   string `json:"from,omitempty"` // the variable it was read from, when an older name
	Secret bool   `json:"secret,omitempty"`
	Error  string `json:"error,omitempty"`

	raw string
}

// resolve works out a setting's value: a flag given on the command line
// (fs may be nil, or lack the flag), then the environment, then the
// default.
func (s setting) resolve(e *env, fs *flag.FlagSet) resolved {
	r := resolved{Name: s.env[0], Secret: s.secret}
	if s.flag != "" {
		r.Flag = "--" + s.flag
	}
	set := false
	if fs != nil && s.flag != "" {
		fs.Visit(func(f *flag.Flag) {
			if f.Name == s.flag {
				set, r.raw, r.Source = true, f.Value.String(), sourceFlag
			}
		})
	}
	for _, name := range s.env {
		if set {
			break
		}
		if v := strings.TrimSpace(e.getenv(name)); v != "" {
			set, r.raw, r.Source = true, v, sourceEnv
			if name != s.env[0] {
				r.From = name
			}
		}
	}
	if !set {
		r.Source = sourceDefault
		if s.def != nil {
			r.raw = s.def(e)
		}
	}
	r.Value = r.raw
	if s.secret {
		r.Value = mask(r.raw)
	} else if r.raw == "" {
		r.Value = "(not set)"
	}
	if set && s.check != nil {
		if err := s.check(r.raw); err != nil {
			r.Error = err.Error()
		}
	}
	return r
}

// where names how a setting was given, for an error: the flag or the
// variable.
func (r resolved) where() string {
	switch {
	case r.Source == sourceFlag:
		return r.Flag
	case r.From != "":
		return r.From
	}
	return r.Name
}

// problem is the start-up error for a bad value, naming the variable (or
// flag) and, unless it is a secret, the value.
func (r resolved) problem() string {
	if r.Secret {
		return fmt.Sprintf("%s: %s", r.where(), r.Error)
	}
	return fmt.Sprintf("%s: %s (it is %q)", r.where(), r.Error, oneLine(r.raw, 80))
}

// checkSettings checks every setting command reads, from the environment
// and the flags given in fs, and fails naming the first bad one (and how
// many more there are), before anything starts.
func checkSettings(e *env, fs *flag.FlagSet, command string) error {
	var bad []string
	for _, s := range settings() {
		if !contains(s.usedBy, command) {
			continue
		}
		if r := s.resolve(e, fs); r.Error != "" {
			bad = append(bad, r.problem())
		}
	}
	switch len(bad) {
	case 0:
		return nil
	case 1:
		return usagef("%s", bad[0])
	default:
		return usagef("%s (and %d more bad settings: run 'influbot config')", bad[0], len(bad)-1)
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func runConfig(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "config", "[--json] [flags of serve and run]", `
Print the effective configuration: every setting with its value and where
it came from (a flag given here, the environment, or the default). Secrets
(tokens, signing secrets) show only whether they are set and their length.
Bad values are listed, and make it exit with status 2. Give the flags you
would give serve or run to see what they change.`)
	var af appFlags
	af.register(fs, e)
	fs.String("addr", httpAddr(e), "address serve listens on (env INFLUBOT_ADDR, or INFLUBOT_HTTP_ADDR)")
	fs.String("user", defaultUserName(e), "who is talking in the terminal chat")
	asJSON := fs.Bool("json", false, "print the settings as JSON")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("config takes no arguments, got %q", pos[0])
	}
	var (
		all []resolved
		bad []string
	)
	for _, s := range settings() {
		r := s.resolve(e, fs)
		all = append(all, r)
		if r.Error != "" {
			bad = append(bad, r.problem())
		}
	}
	if *asJSON {
		if err := writeJSON(e.stdout, all); err != nil {
			return fmt.Errorf("write configuration: %w", err)
		}
	} else {
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "SETTING\tFLAG\tVALUE\tSOURCE")
		for _, r := range all {
			src := r.Source
			if r.From != "" {
				src += " (" + r.From + ")"
			}
			if r.Error != "" {
				src += "  BAD: " + r.Error
			}
			flagName := r.Flag
			if flagName == "" {
				flagName = "-"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.Name, flagName, termSafe(oneLine(r.Value, 100)), termSafe(src))
		}
		if err := tw.Flush(); err != nil {
			return fmt.Errorf("write configuration: %w", err)
		}
	}
	if len(bad) > 0 {
		return usagef("%d bad settings: %s", len(bad), strings.Join(bad, "; "))
	}
	return nil
}

// mask shows a secret as whether it is set and its length, with a
// token's well-known prefix (xoxb-, xapp-): never any of the secret part.
func mask(v string) string {
	if v == "" {
		return "(not set)"
	}
	prefix := ""
	for _, p := range []string{"xoxb-", "xoxp-", "xapp-"} {
		if strings.HasPrefix(v, p) {
			prefix = p
		}
	}
	return fmt.Sprintf("%s…(set, %d chars)", prefix, len(v))
}

// plainError is err's message without the usage wrapping.
func plainError(err error) error {
	var ue *usageError
	if errors.As(err, &ue) {
		return errors.New(ue.msg)
	}
	return err
}

func checkAddr(v string) error {
	host, port, err := net.SplitHostPort(v)
	if err != nil {
		return fmt.Errorf("not a listen address like :3000 or 127.0.0.1:3000: %w", err)
	}
	if strings.ContainsAny(host, " /") {
		return fmt.Errorf("host %q is not a host name or IP address", host)
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("port %q is not a number from 0 to 65535", port)
	}
	return nil
}

func checkLogLevel(v string) error {
	if _, err := parseLogLevel(v); err != nil {
		return err
	}
	return nil
}

func checkLogFormat(v string) error {
	_, err := parseLogFormat(v)
	return err
}

func checkDir(v string) error {
	fi, err := os.Stat(v)
	if err != nil {
		return fmt.Errorf("cannot read the directory: %w", err)
	}
	if !fi.IsDir() {
		return errors.New("not a directory")
	}
	return nil
}

func checkRecheck(v string) error {
	d, err := store.ParseAge(v)
	if err != nil {
		return err
	}
	if d < minRecheckAfter || d > maxRecheckAfter {
		return errors.New("suggest a new check after 1d to 366d")
	}
	return nil
}

func checkPrefix(prefix, what string) func(string) error {
	return func(v string) error {
		if !strings.HasPrefix(v, prefix) {
			return fmt.Errorf("does not look like %s: it should start with %s", what, prefix)
		}
		return nil
	}
}

func checkSnowflake(v string) error {
	if _, err := strconv.ParseUint(v, 10, 64); err != nil {
		return errors.New("not a Discord id (a number): copy it from the Discord Developer Portal")
	}
	return nil
}

func checkPublicKey(v string) error {
	if b, err := hex.DecodeString(v); err != nil || len(b) != 32 {
		return errors.New("not a public key (64 hexadecimal digits): copy it from the General Information page")
	}
	return nil
}

func checkURL(v string) error {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return errors.New("not an http(s) URL")
	}
	return nil
}

// formatRates shows rate limits as INFLUBOT_NUDGE_RATE writes them.
func formatRates(limits map[string]nudge.RateLimit) string {
	var parts []string
	for _, p := range []string{"discord", "slack", "console"} {
		if l, ok := limits[p]; ok {
			parts = append(parts, fmt.Sprintf("%s=%g:%d", p, l.PerSecond, l.Burst))
		}
	}
	return strings.Join(parts, ",")
}

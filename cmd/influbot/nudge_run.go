package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	// The IANA zone database, so reminders work in any zone on machines
	// without /usr/share/zoneinfo.
	_ "time/tzdata"

	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/bot/nudge"
	"github.com/influbot/influbot/bot/schedule"
	"github.com/influbot/influbot/store"
)

// startNudges runs the nudge dispatcher in the background until ctx ends
// or the returned stop is called; stop waits for it. It sends the due
// nudges of the given platforms (only user's when user is set: the
// console) through a.notify. Without a database there is no schedule and
// it does nothing.
func (a *app) startNudges(ctx context.Context, platforms []string, user bot.UserRef) (stop func()) {
	if a.db == nil {
		return func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	var queue bot.NudgeQueue = a.db
	if a.metrics != nil {
		queue = timedQueue{NudgeQueue: a.db, m: a.metrics}
	}
	d := &nudge.Dispatcher{
		Composer: a.bot, Now: a.bot.Now, Queue: queue, Notifier: a.notify,
		Platforms: platforms, User: user, Limits: a.limits,
		Log: a.log.With("component", "nudges"),
	}
	if a.metrics != nil {
		a.metrics.Nudges(d.Stats)
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := d.Run(ctx); err != nil {
			a.log.Error("nudge dispatcher stopped", "err", err)
		}
	})
	return func() {
		cancel()
		wg.Wait()
	}
}

// Bounds of INFLUBOT_RECHECK_AFTER.
const (
	minRecheckAfter = 24 * time.Hour
	maxRecheckAfter = 366 * 24 * time.Hour
)

// nudgeEnv reads the operator's nudge settings from the environment into
// cfg and returns the send rates per platform: INFLUBOT_NUDGE_RATE
// ("discord=40:10,slack=20"), INFLUBOT_QUIET_HOURS (the default quiet
// hours, "22:00-08:00" or "off") and INFLUBOT_RECHECK_AFTER (when to
// suggest a new check, "28d"). A bad value is a usage error.
func nudgeEnv(e *env, cfg *bot.NudgeConfig) (map[string]nudge.RateLimit, error) {
	cfg.ConsoleZone, _ = localZone(e)
	limits, err := nudge.ParseRateLimits(e.getenv("INFLUBOT_NUDGE_RATE"), nudge.DefaultLimits)
	if err != nil {
		return nil, usagef("INFLUBOT_NUDGE_RATE: %v", err)
	}
	if limits, err = shareLimits(e, limits); err != nil {
		return nil, err
	}
	if v := strings.TrimSpace(e.getenv("INFLUBOT_QUIET_HOURS")); v != "" {
		q, err := schedule.ParseQuiet(v)
		if err != nil {
			return nil, usagef("INFLUBOT_QUIET_HOURS: %v", err)
		}
		cfg.Quiet = &q
	}
	if v := strings.TrimSpace(e.getenv("INFLUBOT_RECHECK_AFTER")); v != "" {
		d, err := store.ParseAge(v)
		if err == nil && (d < minRecheckAfter || d > maxRecheckAfter) {
			err = bot.Errorf(bot.EINVALID, "%q: suggest a new check after 1d to 366d", v)
		}
		if err != nil {
			return nil, usagef("INFLUBOT_RECHECK_AFTER: %s", bot.ErrorMessage(err))
		}
		cfg.RecheckAfter = d
	}
	return limits, nil
}

// localZone is the machine's time zone as an IANA name, for reminders set
// at the console without one: TZ, else where /etc/localtime points, else
// UTC. When TZ names no zone it knows, note says so and which zone it uses
// instead, for the console to say once.
func localZone(e *env) (loc *time.Location, note string) {
	if tz := strings.TrimPrefix(e.getenv("TZ"), ":"); tz != "" {
		l, err := schedule.LoadZone(tz)
		if err == nil {
			return l, ""
		}
		loc = systemZone()
		return loc, fmt.Sprintf("TZ=%q is not a time zone I know, so reminders use %s; set TZ to an IANA name such as Europe/Berlin, or add a zone to remind (remind daily at 9:00 America/New_York)", termSafe(oneLine(tz, 40)), loc)
	}
	return systemZone(), ""
}

// systemZone is where /etc/localtime points, else Go's local zone, else
// UTC.
func systemZone() *time.Location {
	if target, err := os.Readlink("/etc/localtime"); err == nil {
		if _, name, ok := strings.Cut(target, "zoneinfo/"); ok {
			if loc, err := schedule.LoadZone(name); err == nil {
				return loc
			}
		}
	}
	if name := time.Local.String(); name != "Local" && name != "" {
		if loc, err := schedule.LoadZone(name); err == nil {
			return loc
		}
	}
	return time.UTC
}

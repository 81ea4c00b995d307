package main

import (
	"context"
	"os"
	"strings"
	"sync"
	"time"

	// The IANA zone database, so reminders work in any zone on machines
	// without /usr/share/zoneinfo.
	_ "time/tzdata"

	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/bot/schedule"
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
	d := &bot.Dispatcher{
		Bot: a.bot, Queue: a.db, Notifier: a.notify,
		Platforms: platforms, User: user,
		Log: a.log.With("component", "nudges"),
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

// localZone is the machine's time zone as an IANA name, for reminders set
// at the console without one: TZ, else where /etc/localtime points, else
// UTC.
func localZone(e *env) *time.Location {
	if tz := strings.TrimPrefix(e.getenv("TZ"), ":"); tz != "" {
		if loc, err := schedule.LoadZone(tz); err == nil {
			return loc
		}
	}
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

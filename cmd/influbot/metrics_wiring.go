package main

import (
	"context"
	"time"

	slackadapter "github.com/influbot/influbot/adapters/slack"
	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/internal/service"
)

// timedQueue times the nudge dispatcher's database writes (claims, marks,
// records, releases) in the service's metrics.
type timedQueue struct {
	bot.NudgeQueue
	m *service.Metrics
}

func (q timedQueue) ClaimDue(ctx context.Context, r bot.ClaimRequest) (ns []bot.Nudge, err error) {
	err = q.m.TimeWrite(service.WriteNudge, func() error {
		ns, err = q.NudgeQueue.ClaimDue(ctx, r)
		return err
	})
	return ns, err
}

func (q timedQueue) MarkSending(ctx context.Context, owner string, ids []int64, at time.Time) (n int, err error) {
	err = q.m.TimeWrite(service.WriteNudge, func() error {
		n, err = q.NudgeQueue.MarkSending(ctx, owner, ids, at)
		return err
	})
	return n, err
}

func (q timedQueue) MarkSent(ctx context.Context, owner string, sent []bot.SentNudge) (n int, err error) {
	err = q.m.TimeWrite(service.WriteNudge, func() error {
		n, err = q.NudgeQueue.MarkSent(ctx, owner, sent)
		return err
	})
	return n, err
}

func (q timedQueue) Release(ctx context.Context, id int64, owner string, due time.Time, reason string, countAttempt bool) (ok bool, err error) {
	err = q.m.TimeWrite(service.WriteNudge, func() error {
		ok, err = q.NudgeQueue.Release(ctx, id, owner, due, reason, countAttempt)
		return err
	})
	return ok, err
}

func (q timedQueue) Finish(ctx context.Context, id int64, owner, status, reason string) (ok bool, err error) {
	err = q.m.TimeWrite(service.WriteNudge, func() error {
		ok, err = q.NudgeQueue.Finish(ctx, id, owner, status, reason)
		return err
	})
	return ok, err
}

// timedReplays times the Slack adapter's replay-log writes.
type timedReplays struct {
	slackadapter.ReplayLog
	m *service.Metrics
}

func (r timedReplays) Remember(ctx context.Context, key string, until time.Time) error {
	return r.m.TimeWrite(service.WriteReplay, func() error { return r.ReplayLog.Remember(ctx, key, until) })
}

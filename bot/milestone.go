package bot

import (
	"context"
	"strconv"
)

// watchChecks makes a new stored check that passes every criterion send
// the "ready to reapply" message to a creator with a plan. It wraps the
// check command, whichever package area defines it.
func (b *Bot) watchChecks() {
	c, ok := b.byName["check"]
	if !ok || c.Run == nil {
		return
	}
	run := c.Run
	c.Run = func(ctx context.Context, call *Call) (Reply, error) {
		r, err := run(ctx, call)
		if err == nil && b.cfg.Plans != nil && b.cfg.Checks != nil {
			// The check's answer must not fail because the milestone
			// could not be queued; the log gets the detail.
			if err := b.afterCheck(context.WithoutCancel(ctx), call.User); err != nil {
				b.log.WarnContext(ctx, "queue ready-to-reapply message", "user", call.User.String(), "err", err)
			}
		}
		return r, err
	}
}

func (b *Bot) afterCheck(ctx context.Context, u UserRef) error {
	chk, ok, err := b.latestCheck(ctx, u)
	if err != nil || !ok || chk.ID == 0 {
		return err
	}
	if !summarizeCheck(chk).passesAll() {
		return nil
	}
	tasks, err := b.cfg.Plans.Tasks(ctx, u)
	if err != nil || len(tasks) == 0 {
		return err
	}
	now := b.now()
	_, err = b.cfg.Plans.Enqueue(ctx, Nudge{
		User: u, Kind: NudgeReady, TaskID: strconv.FormatInt(chk.ID, 10), Slot: now, Due: now, Status: NudgePending,
		// One message per passing check, however often it is looked at.
		Key: "ready" + strconv.FormatInt(chk.ID, 36),
	})
	return err
}

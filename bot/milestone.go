package bot

import (
	"context"
	"strconv"

	"github.com/influbot/influbot/bot/eligibility"
)

// afterCheck queues the "ready to reapply" message for a creator with a
// plan whose new check (stored as id) passes every criterion. runCheck
// calls it with the check's typed result.
func (b *Bot) afterCheck(ctx context.Context, u UserRef, id int64, res eligibility.Result) error {
	if b.cfg.Plans == nil || id == 0 || !passesAll(res) {
		return nil
	}
	tasks, err := b.cfg.Plans.Tasks(ctx, u)
	if err != nil || len(tasks) == 0 {
		return err
	}
	now := b.now()
	_, err = b.cfg.Plans.Enqueue(ctx, Nudge{
		User: u, Kind: NudgeReady, TaskID: strconv.FormatInt(id, 10), Slot: now, Due: now, Status: NudgePending,
		// One message per passing check, however often it is looked at.
		Key: "ready" + strconv.FormatInt(id, 36),
	})
	return err
}

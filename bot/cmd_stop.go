package bot

import (
	"context"
	"fmt"
	"strings"
)

// stopCommand is the opt-out: no message the bot starts on its own (task
// nudges, summaries, re-checks) until the user sets a reminder again. An
// opt-out in other words ("leave me alone") reaches it through the
// conversation layer.
func (b *Bot) stopCommand() *Command {
	return &Command{
		Name:    "stop",
		Private: true,
		Aliases: []string{"unsubscribe", "mute"},
		Summary: "Stop every message I send on my own (reminders, summaries, re-check nudges), at once.",
		Usage:   "stop",
		Run: func(ctx context.Context, c *Call) (Reply, error) {
			if strings.TrimSpace(c.Args) != "" {
				// "stop posting every day?" is a question.
				return Reply{}, ErrNotCommand
			}
			if b.cfg.Plans == nil {
				return Reply{}, errNoPlans
			}
			s, err := b.loadSchedule(ctx, c.User)
			if err != nil {
				return Reply{}, err
			}
			// The schedule stays (stopped wins over it everywhere), so
			// "remind on" resumes it instead of asking again.
			s.rem.Stopped, s.rem.Updated = true, b.now()
			if err := b.cfg.Plans.SaveReminder(ctx, s.rem); err != nil {
				return Reply{}, storeUnavailable(err)
			}
			n, err := b.cfg.Plans.Reschedule(ctx, c.User, nil, "", nil)
			if err != nil {
				return Reply{}, storeUnavailable(err)
			}
			text := "Okay, I won't message you on my own any more"
			if n > 0 {
				text += fmt.Sprintf(" (%d scheduled %s canceled, including any about to go out)", n, plural(n, "message", "messages"))
			}
			text += ". I'll still answer whenever you write. "
			text += s.restart() + " starts reminders again; `forget me` erases everything I keep about you."
			return Reply{Title: "Stopped", Text: text, Tone: ToneSuccess}, nil
		},
	}
}

package bot

import (
	"context"
	"errors"
	"strings"

	"github.com/influbot/influbot/bot/schedule"
)

// A pause in plain words: "pause reminders for a week", "no reminders
// until next week", "snooze all my nudges for 3 days", "can you stop the
// notifications for 2 weeks". An opt-out with a length of time is a pause
// (remind pause), not a stop; without one ("pause reminders") it stays a
// stop.

var (
	pauseLead  = wordSet("please", "pls", "plz", "can", "could", "would", "you", "hey", "ok", "okay", "so", "i", "want", "to", "id", "like", "just", "need", "and")
	pauseVerbs = wordSet("pause", "snooze", "stop", "mute", "silence", "hold", "suspend", "halt")
	pauseFill  = wordSet("off", "all", "my", "the", "your", "any", "these", "those", "of", "on", "daily", "task")
	pauseWhat  = wordSet("reminders", "reminder", "nudges", "nudge", "notifications", "notification", "notifs", "messages", "message",
		"dms", "dm", "pings", "ping", "them", "it", "everything", "alerts")
	pauseUnits = wordSet("m", "min", "mins", "minute", "minutes", "h", "hr", "hrs", "hour", "hours", "d", "day", "days",
		"w", "wk", "week", "weeks", "tomorrow", "month", "months")
	pauseUntil = wordSet("for", "until", "untill", "till", "til", "during")
)

// pauseOf returns the length of time of a pause asked in plain words ("a
// week"), or "" when msg is not one.
func pauseOf(msg *reading) string {
	w := msg.all
	if len(w) < 3 || len(w) > 14 || strings.HasSuffix(strings.TrimSpace(msg.norm), "?") && w[0] != "can" && w[0] != "could" {
		return ""
	}
	// Most messages end in no unit of time and name no verb of a pause:
	// they are passed over before any parsing.
	last := w[len(w)-1]
	if !pauseUnits[last] && !(last[0] >= '0' && last[0] <= '9') {
		return ""
	}
	verb := false
	for _, x := range w {
		if pauseVerbs[x] || x == "no" || x == "zero" || x == "break" {
			verb = true
			break
		}
	}
	if !verb {
		return ""
	}
	// The length of time ends the message: "for a week", "2 days".
	cut, dur := -1, ""
	for k := min(4, len(w)-1); k >= 1; k-- {
		tail := strings.Join(w[len(w)-k:], " ")
		var outside *schedule.RangeError
		if _, err := parsePause(tail); err == nil || errors.Is(err, errPauseTooLong) || errors.As(err, &outside) {
			cut, dur = len(w)-k, tail
			break
		}
	}
	if cut < 0 {
		return ""
	}
	for cut < len(w)-1 && pauseUntil[w[cut]] {
		cut++ // "for a week": the length is "a week"
	}
	dur = strings.Join(w[cut:], " ")
	head := w[:cut]
	for len(head) > 0 && pauseUntil[head[len(head)-1]] {
		head = head[:len(head)-1]
	}
	i := 0
	for i < len(head) && pauseLead[head[i]] {
		i++
	}
	switch {
	case i < len(head) && pauseVerbs[head[i]]:
		verb := head[i]
		i++
		for i < len(head) && pauseFill[head[i]] {
			i++
		}
		if i < len(head) && pauseWhat[head[i]] {
			i++
		} else if verb != "pause" && verb != "hold" {
			return "" // "stop posting for a week" is not about messages
		}
	case i+1 < len(head) && (head[i] == "no" || head[i] == "zero") && pauseWhat[head[i+1]]:
		i += 2 // "no reminders for a week"
	case i+3 < len(head) && head[i] == "take" && head[i+1] == "a" && head[i+2] == "break" && head[i+3] == "from":
		i += 4 // "take a break from reminders for a week"
		for i < len(head) && pauseFill[head[i]] {
			i++
		}
		if i >= len(head) || !pauseWhat[head[i]] {
			return ""
		}
		i++
	default:
		return ""
	}
	for i < len(head) && (head[i] == "please" || head[i] == "pls" || head[i] == "now" || head[i] == "from" || head[i] == "me") {
		i++
	}
	if i != len(head) {
		return ""
	}
	return dur
}

// pauseAsked runs a pause asked in plain words; ok is false when msg is
// not one.
func (b *Bot) pauseAsked(ctx context.Context, t *turn, msg *reading) (Reply, bool, error) {
	dur := pauseOf(msg)
	if dur == "" {
		return Reply{}, false, nil
	}
	r, err := b.runNamed(ctx, t, "remind", "pause "+dur)
	return r, true, err
}

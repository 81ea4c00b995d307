package bot

import "strings"

// replacingPresses are the buttons whose answer replaces the message they
// were on: a nudge's Done, Snooze and Skip.
var replacingPresses = map[string]bool{"done:nudge": true, "snooze:nudge": true, "skip:nudge": true}

// replaceOnPress marks the answer to a nudge's task button as replacing
// the nudge (Reply.Replace). Dispatch calls it on every reply that is not
// an error.
func replaceOnPress(c *Call, r Reply) Reply {
	if c.Action != nil && r.Tone != ToneError && replacingPresses[strings.ToLower(c.Action.ID)] {
		r.Replace = true
	}
	return r
}

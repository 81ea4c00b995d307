package bot

// shareable are the commands whose private results a user may post to the
// channel: a check's verdict and the history with its chart. Nothing else
// private (an export, the admin list, tasks) is offered for sharing.
var shareable = map[string]bool{"check": true, "history": true, "lint": true}

// Shareable reports whether the private answer to req may be offered for
// posting publicly ("Share to channel" on Discord): the answer of a check,
// a history or a disclosure lint, when it is a result (not an error, not a
// form, not the how-to shown when nothing was given).
func (b *Bot) Shareable(req Request, reply Reply) bool {
	c, ok := b.Invoked(req)
	if !ok || !shareable[c.Name] || reply.Tone == ToneError || reply.Form != nil || reply.Question != nil {
		return false
	}
	for _, btn := range reply.Buttons {
		if btn.ActionID == c.Name+":"+ActionFormOpen {
			return false // the how-to, offering the form
		}
	}
	return reply.Text != "" || len(reply.Fields) > 0 || reply.File != nil || reply.Image != nil
}

package bot

// checkFormTopics are the FAQ entries about the numbers a check looks at:
// their answers offer the "Check my numbers" button.
var checkFormTopics = map[string]bool{
	"follower-requirement": true,
	"engagement-rate":      true,
	"evaluation-criteria":  true,
	"rejection-reasons":    true,
	"reapply-tips":         true,
}

// offerCheckForm adds the "Check my numbers" button (it opens the check's
// form) to an FAQ answer about the numbers a check looks at, on platforms
// that show forms. Dispatch calls it on every reply.
func offerCheckForm(c *Call, r Reply) Reply {
	if c.Forms == FormsNone || c.Event == nil || c.Event.Kind != EventQuestion || !checkFormTopics[c.Event.Topic] {
		return r
	}
	for _, btn := range r.Buttons {
		if btn.ActionID == "check:"+ActionFormOpen {
			return r
		}
	}
	r.Buttons = append(r.Buttons, FormButton("check", checkFormButtonLabel, nil))
	return r
}

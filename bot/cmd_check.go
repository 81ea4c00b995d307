package bot

// checkCommands returns the commands of this area. (Placeholder until the
// area lands; it registers nothing.)
func (b *Bot) checkCommands() []*Command { return nil }

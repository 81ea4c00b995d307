package bot

// historyCommands returns the commands of this area. (Placeholder until the
// area lands; it registers nothing.)
func (b *Bot) historyCommands() []*Command { return nil }

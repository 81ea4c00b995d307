package bot

// planCommands returns the commands of this area. (Placeholder until the
// area lands; it registers nothing.)
func (b *Bot) planCommands() []*Command { return nil }

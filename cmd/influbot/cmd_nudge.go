package main

// nudgeSubcommands returns this area's subcommands. (Placeholder until the
// area lands; it adds none.)
func nudgeSubcommands() []subcommand { return nil }

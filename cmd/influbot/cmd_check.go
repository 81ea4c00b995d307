package main

// checkSubcommands returns this area's subcommands. (Placeholder until the
// area lands; it adds none.)
func checkSubcommands() []subcommand { return nil }

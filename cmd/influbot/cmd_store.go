package main

// storeSubcommands returns this area's subcommands. (Placeholder until the
// area lands; it adds none.)
func storeSubcommands() []subcommand { return nil }

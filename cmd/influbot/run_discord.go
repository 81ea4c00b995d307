package main

// discordPlatform returns the discord platform. (Placeholder until the adapter
// lands: never configured.)
func discordPlatform() platform {
	return platform{name: "discord", configured: func(*env) bool { return false }}
}

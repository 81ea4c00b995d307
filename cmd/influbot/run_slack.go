package main

// slackPlatform returns the slack platform. (Placeholder until the adapter
// lands: never configured.)
func slackPlatform() platform {
	return platform{name: "slack", configured: func(*env) bool { return false }}
}

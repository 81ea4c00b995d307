package main

import (
	"fmt"
	"runtime/debug"
	"strings"
)

// printVersion prints the module version and the VCS commit the binary
// was built from, as the Go toolchain stamped them.
func printVersion(e *env, args []string) error {
	if len(args) > 0 {
		return usagef("version takes no arguments, got %q", strings.Join(args, " "))
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		fmt.Fprintln(e.stdout, "influbot: version unknown (built without module information)")
		return nil
	}
	fmt.Fprintln(e.stdout, versionLine(info))
	return nil
}

// versionLine is "influbot v1.2.3 (commit 0123abcd4567, 2026-11-30T01:00:00Z,
// modified) go1.26". A binary built from a checkout carries the
// module version "(devel)" and the commit; "go run" and tests carry no
// commit.
func versionLine(info *debug.BuildInfo) string {
	version := info.Main.Version
	if version == "" {
		version = "(devel)"
	}
	var commit, at string
	modified := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			commit = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	var parts []string
	if commit == "" {
		parts = append(parts, "commit unknown")
	} else {
		parts = append(parts, "commit "+commit)
	}
	if at != "" {
		parts = append(parts, at)
	}
	if modified {
		parts = append(parts, "with uncommitted changes")
	}
	return fmt.Sprintf("influbot %s (%s) %s", version, strings.Join(parts, ", "), info.GoVersion)
}

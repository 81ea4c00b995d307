// Package faulttest is influbot's fault suite: it builds the real binary,
// points it at a fake Slack (SLACK_API_URL) and a console, and checks what
// users see when the process is killed under load, another program locks
// the database, the disk fills up or the database turns read-only.
//
// The short form runs with the other tests (go test ./...): two kill runs
// and a 5-second lock. The full form kills six times and holds the lock
// for 30 seconds:
//
//	INFLUBOT_FAULTS=full go test -v -timeout 20m ./internal/faulttest/
//
// Each test logs its counts (t.Log), so -v shows them. Tests that need to
// mount a file system (a small tmpfs for the full disk and the read-only
// database) are skipped, saying why, when not run as root on Linux.
package faulttest

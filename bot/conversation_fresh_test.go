package bot_test

import "testing"

// TestFreshConversations plays the conversations written blind for issue 13
// (testdata/conversations-fresh/README.md). Never tune the bot on them.
func TestFreshConversations(t *testing.T) { playConversations(t, "conversations-fresh") }

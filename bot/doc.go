// Package bot is influbot's platform-neutral core.
//
// A Request goes in (who is asking, where, and what: free text, a command
// with named options, or a button action), a Reply comes out (Markdown
// text, optional title, fields, buttons, an image or a file). Adapters for
// the console, Discord and Slack only translate platform events into
// Requests and Replies into embeds, Block Kit or plain text; the grammar,
// the answers and the bookkeeping all live here, so every platform behaves
// the same.
//
// The core declares the interfaces it needs from the outside world (a
// knowledge base, a history store, a notifier) and imports no platform SDK
// and no database driver.
package bot

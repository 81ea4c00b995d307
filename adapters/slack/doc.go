// Package slack runs influbot in Slack workspaces with slack-go.
//
// An Adapter turns Slack's input into bot.Requests and renders bot.Replies
// as Block Kit messages:
//
//   - Events API (POST /slack/events): app_mention in channels and
//     message.im in direct messages. Requests are verified with the signing
//     secret, acknowledged at once and answered in the background; Slack's
//     retries are recognised by event_id and answered once.
//   - Slash commands (POST /slack/commands): "/influbot <text>" is
//     acknowledged with an empty 200 and the reply is posted to the
//     command's response_url, ephemeral or in the channel as the Reply asks.
//   - Interactivity (POST /slack/interactive): a press of one of the bot's
//     buttons reaches the core as bot.Request.Action.
//   - Socket Mode: with an app-level token the same three inputs arrive
//     over a WebSocket instead, and no public URL is needed.
//
// The adapter is also the Slack bot.Notifier: nudges go out as direct
// messages opened with conversations.open.
//
// A user is (slack, workspace team id, user id): the same user id in two
// workspaces is two users, and on Enterprise Grid the tenant is the
// workspace, not the organisation.
package slack

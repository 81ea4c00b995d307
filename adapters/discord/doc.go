// Package discord runs influbot on Discord with github.com/bwmarrin/discordgo.
//
// The Adapter connects to the gateway and turns events into core requests:
//
//   - A direct message (any text) and a guild message that mentions the bot
//     (the mention stripped) become free-text requests. Messages from bots,
//     webhooks and the adapter itself, and messages without text, are
//     ignored; a message dispatched twice is answered once.
//   - Slash commands become structured requests: /influbot text:... takes
//     free text, and every visible core command has its own slash command
//     with its options. Every interaction is acknowledged (a deferred
//     response, ephemeral when the core's command record says the answer
//     is private) before the core runs, so none misses Discord's 3-second
//     deadline; the answer then replaces the "thinking…" placeholder,
//     under a deadline of its own so that slow work still gets its answer.
//   - Button presses become actions (see encodeButton for the custom_id).
//
// Users are (discord, tenant, user id): the tenant is the guild id, or
// DMTenant for direct messages, which belong to no guild. The same person
// in two guilds, or in a guild and in DMs, is therefore two users, and
// nothing one of them stored is visible to the other.
//
// Replies become message content or embeds (coloured by tone), buttons in
// rows of five, and a file attachment, split over several messages where
// Discord's limits require it. A reply the core marks ephemeral is shown
// only to the asking user in an interaction, and is sent by DM when it
// answers a mention in a guild channel.
//
// The adapter is also influbot's Notifier on Discord: nudges go out as DMs
// with the notification key as the message nonce and enforce_nonce set,
// so a retried delivery is not shown twice. When the bot is removed from a
// server (GUILD_DELETE, not an outage) that server's nudges are canceled.
//
// Endpoint (http.go) serves the same slash commands and buttons over HTTP,
// at the Interactions Endpoint URL, without the gateway or a bot token:
// requests are checked against the application's Ed25519 public key, and
// answered in the HTTP response when the core is done within about 2.5
// seconds, or deferred and followed up through the interaction's webhook.
//
// Every REST call passes a gate (gate.go) that keeps the bot under
// Discord's global limit counting requests, not messages, and holds every
// route after a global 429. Quoted user text is defanged (defang.go), and
// a resumable INVALID_SESSION is resumed (gwconn.go).
package discord

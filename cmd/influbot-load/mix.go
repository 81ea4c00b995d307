package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// questions are things creators ask, in their own words: the FAQ share
// of the load.
var questions = []string{
	"how many followers do I need to join the influencer program",
	"why was I rejected from the amazon influencer program?",
	"can I reapply after getting rejected",
	"how long does approval take",
	"do I need a website to apply",
	"what counts as engagement for amazon",
	"how do I add shoppable videos to my storefront",
	"whats the difference between associates and influencer program",
	"can I use my tiktok account to apply",
	"do youtube shorts count towards eligibility",
	"how do I get paid and when",
	"what is the minimum payout",
	"how do I disclose affiliate links on instagram",
	"is #ad enough or do I need to say amazon commission",
	"can I link to amazon from my facebook page",
	"why are my commissions so low this month",
	"what are onsite commissions",
	"how do idea lists work",
	"how do I customize my storefront url",
	"can I have two storefronts",
	"my storefront got suspended what do I do",
	"do I need to make 3 sales in 180 days",
	"what happens if I don't make a sale in 180 days",
	"how do I get my videos approved faster",
	"why was my video rejected for quality",
	"can I upload the same video to several products",
	"how do I find products that pay the best commission",
	"do returns reduce my commission",
	"how do cookies work for amazon links, 24 hours?",
	"can I use amzn.to short links in emails",
	"is it ok to buy followers to qualify",
	"which niche makes the most money on amazon",
	"how do I do a livestream on amazon live",
	"do I need a tax interview before getting paid",
	"can I join from outside the US",
	"how many posts a week should I do to grow",
	"what's a good engagement rate for instagram",
	"is my account eligible with 2k followers and good engagement",
	"can brands send me free products to review",
	"how do creator connections campaigns work",
}

var (
	checkPlatforms = []string{"instagram", "youtube", "tiktok", "facebook", "x"}
	niches         = []string{"home decor", "beauty", "fitness", "tech", "kitchen", "parenting", "fashion", "outdoors"}
	categories     = []string{"electronics", "kitchen", "beauty", "home & garden", "toys", "books", "apparel", "grocery"}
	captions       = []string{
		"Obsessed with this lamp! amzn.to/3xYz",
		"#ad My go-to blender: amzn.to/3xYz",
		"new skincare routine, link in bio",
		"These headphones changed my commute #amazonfinds amzn.to/4abc",
		"As an Amazon Associate I earn from qualifying purchases. Cozy throw: amzn.to/2qwe",
		"my favourite running shoes, use my link!",
	}
)

// Mix weighs the kinds of request in the load.
type Mix struct {
	Questions, Checks, Commissions, Lints int
}

func (m Mix) total() int { return m.Questions + m.Checks + m.Commissions + m.Lints }

// op is one request to send: what the user types and, for Discord, the
// native slash command and its options.
type op struct {
	kind    string // question, check, commission or lint
	user    int
	team    int
	text    string // the text after /influbot
	command string // Discord slash command name
	options [][2]string
}

// workload makes ops for a run. The ids it gives users and workspaces
// all start with the run's id, so what the run recorded can be counted.
type workload struct {
	mix        Mix
	users      int
	workspaces int
	runID      string // digits, so Discord ids stay snowflake-shaped
	// responseURL is the base of each slash command's response_url.
	responseURL string
	appID       string
}

func (w *workload) next(rng *rand.Rand) op {
	o := op{user: rng.IntN(w.users)}
	o.team = o.user % w.workspaces
	n := rng.IntN(w.mix.total())
	switch {
	case n < w.mix.Questions:
		q := questions[rng.IntN(len(questions))]
		o.kind, o.text, o.command = "question", q, "ask"
		o.options = [][2]string{{"question", q}}
	case n < w.mix.Questions+w.mix.Checks:
		p := checkPlatforms[rng.IntN(len(checkPlatforms))]
		followers := fmt.Sprintf("%.1fk", float64(rng.IntN(500)+5)/10)
		likes, comments, posts := strconv.Itoa(rng.IntN(400)+5), strconv.Itoa(rng.IntN(40)), strconv.Itoa(rng.IntN(7)+1)
		niche := niches[rng.IntN(len(niches))]
		o.kind, o.command = "check", "check"
		o.text = fmt.Sprintf("check %s %s followers %s likes %s comments %s posts a week niche %s", p, followers, likes, comments, posts, niche)
		o.options = [][2]string{{"platform", p}, {"followers", followers}, {"likes", likes}, {"comments", comments}, {"posts_per_week", posts}, {"niche", niche}}
	case n < w.mix.Questions+w.mix.Checks+w.mix.Commissions:
		c, amount := categories[rng.IntN(len(categories))], strconv.Itoa(rng.IntN(500)+5)
		o.kind, o.command = "commission", "commission"
		o.text = "commission " + c + " " + amount
		o.options = [][2]string{{"category", c}, {"amount", amount}}
	default:
		c := captions[rng.IntN(len(captions))]
		o.kind, o.command, o.text = "lint", "lint", "lint "+c
		o.options = [][2]string{{"caption", c}}
	}
	return o
}

func (w *workload) slackTeam(team int) string { return fmt.Sprintf("T%s%03d", w.runID, team) }
func (w *workload) slackUser(user int) string { return fmt.Sprintf("U%s%05d", w.runID, user) }
func (w *workload) discordGuild(team int) string {
	return fmt.Sprintf("9%s%08d", w.runID, team)
}
func (w *workload) discordUser(user int) string { return fmt.Sprintf("8%s%08d", w.runID, user) }

// userPrefix is what every user id of the run starts with, per platform.
func (w *workload) userPrefix(platform string) string {
	if platform == "discord" {
		return "8" + w.runID
	}
	return "U" + w.runID
}

// slackForm is a slash command's form body, as Slack sends it: the
// fields in url.Values.Encode's order, written straight into one buffer
// (the tool shares the machine with the server it measures).
func (w *workload) slackForm(o op, seq uint64) []byte {
	team, user := w.slackTeam(o.team), w.slackUser(o.user)
	b := make([]byte, 0, 512)
	field := func(name string) {
		if len(b) > 0 {
			b = append(b, '&')
		}
		b = append(b, name...)
		b = append(b, '=')
	}
	field("api_app_id")
	b = append(b, "A0LOAD"...)
	field("channel_id")
	b = append(b, 'C')
	b = append(b, w.runID...)
	b = fmt.Appendf(b, "%03d", o.team)
	field("channel_name")
	b = append(b, "creators"...)
	field("command")
	b = append(b, "%2Finflubot"...)
	field("response_url")
	b = append(b, url.QueryEscape(strings.TrimRight(w.responseURL, "/"))...)
	b = append(b, "%2Fcommands%2F"...)
	b = append(b, team...)
	b = append(b, "%2F"...)
	b = strconv.AppendUint(b, seq, 10)
	b = append(b, "%2Fload"...)
	b = append(b, w.runID...)
	field("team_domain")
	b = append(b, "load"...)
	b = strconv.AppendInt(b, int64(o.team), 10)
	field("team_id")
	b = append(b, team...)
	field("text")
	b = append(b, url.QueryEscape(o.text)...)
	field("token")
	b = append(b, "load-test-verification-token"...)
	field("trigger_id")
	b = strconv.AppendUint(b, seq, 10)
	b = append(b, '.')
	b = append(b, w.runID...)
	b = append(b, ".load"...)
	field("user_id")
	b = append(b, user...)
	field("user_name")
	b = append(b, "creator"...)
	b = strconv.AppendInt(b, int64(o.user), 10)
	return b
}

type discordOption struct {
	Name  string `json:"name"`
	Type  int    `json:"type"`
	Value string `json:"value"`
}

type discordInteraction struct {
	Type          int    `json:"type"`
	ID            string `json:"id"`
	ApplicationID string `json:"application_id"`
	Token         string `json:"token"`
	Version       int    `json:"version"`
	GuildID       string `json:"guild_id,omitempty"`
	ChannelID     string `json:"channel_id"`
	Member        *struct {
		User        discordUser `json:"user"`
		Permissions string      `json:"permissions"`
	} `json:"member,omitempty"`
	Data *struct {
		ID      string          `json:"id"`
		Name    string          `json:"name"`
		Type    int             `json:"type"`
		Options []discordOption `json:"options,omitempty"`
	} `json:"data,omitempty"`
	Locale string `json:"locale,omitempty"`
}

type discordUser struct {
	ID       string `json:"id"`
	Username string `json:"username"`
}

// discordEpoch is the start of Discord's snowflakes, 2015-01-01 UTC, in
// Unix milliseconds.
const discordEpoch = 1420070400000

// snowflake is a Discord id made at t: the milliseconds since Discord's
// epoch above 22 bits of seq. The server reads the interaction's time
// from it, as it does Discord's, so it must be now for the --db check.
func snowflake(t time.Time, seq uint64) string {
	return strconv.FormatUint(uint64(t.UnixMilli()-discordEpoch)<<22|seq&(1<<22-1), 10)
}

// discordBody is a type-2 (application command) interaction in a guild,
// as Discord sends it.
func (w *workload) discordBody(o op, seq uint64) []byte {
	in := discordInteraction{
		Type:          2,
		ID:            snowflake(time.Now(), seq),
		ApplicationID: w.appID,
		Token:         fmt.Sprintf("load-%s-%d", w.runID, seq),
		Version:       1,
		GuildID:       w.discordGuild(o.team),
		ChannelID:     fmt.Sprintf("7%s%08d", w.runID, o.team),
		Locale:        "en-US",
	}
	in.Member = &struct {
		User        discordUser `json:"user"`
		Permissions string      `json:"permissions"`
	}{User: discordUser{ID: w.discordUser(o.user), Username: "creator" + strconv.Itoa(o.user)}, Permissions: "0"}
	in.Data = &struct {
		ID      string          `json:"id"`
		Name    string          `json:"name"`
		Type    int             `json:"type"`
		Options []discordOption `json:"options,omitempty"`
	}{ID: "6" + w.runID + "00000001", Name: o.command, Type: 1}
	for _, kv := range o.options {
		in.Data.Options = append(in.Data.Options, discordOption{Name: kv[0], Type: 3, Value: kv[1]})
	}
	b, err := json.Marshal(in)
	if err != nil {
		panic(err) // only strings and ints: cannot fail
	}
	return b
}

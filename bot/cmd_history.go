package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/influbot/influbot/bot/eligibility"
	"github.com/influbot/influbot/bot/numfmt"
)

// historyCommands returns the commands over what the bot remembers: a
// creator's progress, their data (export, forget me), and for admins the
// questions nobody could answer and the admin list.
func (b *Bot) historyCommands() []*Command {
	return []*Command{b.historyCommand(), b.exportCommand(), b.forgetCommand(), b.unansweredCommand(), b.adminCommand()}
}

// forgetConfirmTTL is how long a forget confirmation button stays valid.
const forgetConfirmTTL = 15 * time.Minute

const noStoreText = "I'm not keeping any history here (no database is configured), so "

// isSelf reports whether the words after a command only point at the
// caller ("history", "history me", "export my data").
func isSelf(args string) bool {
	switch strings.Trim(strings.ToLower(strings.TrimSpace(args)), "!.? ") {
	case "", "me", "mine", "my data", "my history", "please", "my progress", "everything", "all", "all my data":
		return true
	}
	return false
}

func (b *Bot) historyCommand() *Command {
	return &Command{
		Name:     "history",
		Private:  true,
		Summary:  "Your progress: how your numbers moved across your checks, and your recent questions.",
		Usage:    "history",
		Examples: []string{"history"},
		Run: func(ctx context.Context, c *Call) (Reply, error) {
			if !isSelf(c.Args) {
				return Reply{}, ErrNotCommand // "history of the program?"
			}
			return b.historyReply(ctx, c.User)
		},
	}
}

func (b *Bot) historyReply(ctx context.Context, u UserRef) (Reply, error) {
	if b.cfg.History == nil && b.cfg.Checks == nil {
		return Reply{Text: noStoreText + "there's no progress to show yet.", Ephemeral: true}, nil
	}
	var checks []CheckRecord
	if b.cfg.Checks != nil {
		var err error
		if checks, err = b.cfg.Checks.LatestChecks(ctx, u, 20); err != nil {
			return Reply{}, err
		}
	}
	var questions []Event
	if b.cfg.History != nil {
		var err error
		if questions, err = b.cfg.History.RecentEvents(ctx, u, EventQuestion, 20); err != nil {
			return Reply{}, err
		}
		questions = realQuestions(questions, 5)
	}
	now := b.now()
	var sb strings.Builder
	if len(checks) == 0 {
		sb.WriteString("You haven't run an eligibility check yet. Try `" + historyCheckExample + "` and I'll track how your numbers move from check to check.\n")
	} else {
		for _, line := range checkTrends(checks, now) {
			sb.WriteString(line + "\n")
		}
	}
	if len(questions) > 0 {
		sb.WriteString("\n**Recent questions**\n")
		for _, q := range questions {
			outcome := "not answered yet"
			if q.Topic != "" {
				outcome = "`ask " + q.Topic + "`"
			}
			fmt.Fprintf(&sb, "- %s: “%s” → %s\n", shortDate(q.Time, now), QuoteClip(b.questionText(q), 80), outcome)
		}
	} else if b.cfg.History != nil && len(checks) > 0 {
		// Their talk about a check (what should I improve?) is no
		// question about the program: "you haven't asked me anything"
		// right after it read as if the bot had forgotten it.
		sb.WriteString("\nNo questions about the program itself yet: ask in your own words, e.g. _why was I rejected?_\n")
	} else if b.cfg.History != nil {
		sb.WriteString("\nYou haven't asked me anything yet: ask in your own words, e.g. _why was I rejected?_\n")
	}
	r := Reply{Title: "Your progress", Text: strings.TrimSpace(sb.String()), Ephemeral: true}
	if len(checks) > 0 {
		r.File, r.Image = b.progressChart(ctx, checks, now)
	}
	if b.cfg.History != nil {
		r.Buttons = []Button{{ActionID: "export:me", Label: "Export my data"}}
	}
	return r, nil
}

// realQuestions keeps up to n of events that were questions: answered
// from an entry, or left unanswered. A greeting or a bare "ask" is recorded
// as a question that found no entry yet was answered (with the welcome or
// a how-to); listing it as "not answered yet" would be wrong.
func realQuestions(events []Event, n int) []Event {
	out := events[:0:0]
	for _, e := range events {
		if e.Topic == "" && e.Answered {
			continue
		}
		if out = append(out, e); len(out) == n {
			break
		}
	}
	return out
}

// questionText is what the user asked: their words, or for a suggestion
// they picked by button (recorded as "ask:topic ID", or as the number
// typed in the console) the entry's title.
func (b *Bot) questionText(e Event) string {
	if (strings.HasPrefix(e.Text, "ask:") || e.Kind == EventAction) && e.Topic != "" {
		if entry, ok := b.cfg.Knowledge.Entry(e.Topic); ok {
			return entry.Title
		}
	}
	return e.Text
}

const historyCheckExample = "check instagram 4.2k followers 150 likes 12 comments 3 posts a week niche home decor"

// checkTrends describes, per social platform (most recently checked
// first), how the numbers moved from the oldest to the newest of checks
// (newest first): "followers 3,900 → 4,600 (+18%) since 2 Oct; engagement
// 1.1% → 1.8%; verdict borderline → ready". Engagement compares the oldest
// and newest checks that measured it, and is left out when none did.
func checkTrends(checks []CheckRecord, now time.Time) []string {
	var order []string
	by := map[string][]CheckRecord{}
	for _, c := range checks {
		if _, seen := by[c.Platform]; !seen {
			order = append(order, c.Platform)
		}
		by[c.Platform] = append(by[c.Platform], c)
	}
	var lines []string
	for _, p := range order {
		cs := by[p]
		newest, oldest := cs[0], cs[len(cs)-1]
		name := "**" + socialName(p) + "**"
		audience := audienceOf(p)
		if len(cs) == 1 {
			parts := []string{numfmt.Thousands(newest.Followers) + " " + audience}
			if er, ok := newest.Engagement(); ok {
				parts = append(parts, "engagement "+numfmt.Percent(er)+basisNote(newest))
			}
			parts = append(parts, "verdict "+verdictName(newest.Verdict))
			lines = append(lines, fmt.Sprintf("%s (%s): %s. Run another check later to see your trend.",
				name, shortDate(newest.Time, now), strings.Join(parts, ", ")))
			continue
		}
		followers := fmt.Sprintf("%s %s → %s", audience, numfmt.Thousands(oldest.Followers), numfmt.Thousands(newest.Followers))
		if change := numfmt.Change(oldest.Followers, newest.Followers); change != "" {
			followers += " (" + change + ")"
		}
		parts := []string{followers + " since " + shortDate(oldest.Time, now)}
		if e := engagementTrend(cs); e != "" {
			parts = append(parts, e)
		}
		verdict := "verdict " + verdictName(oldest.Verdict) + " → " + verdictName(newest.Verdict)
		if oldest.Verdict == newest.Verdict {
			verdict = "verdict still " + verdictName(newest.Verdict)
		}
		parts = append(parts, verdict)
		lines = append(lines, fmt.Sprintf("%s: %s (%d checks)", name, strings.Join(parts, "; "), len(cs)))
	}
	return lines
}

// engagementTrend compares the oldest and newest of checks (newest first)
// that measured engagement against the same basis as the newest one did:
// "engagement 1.1% → 1.8%", "engagement 2.2%" when only one did, "" when
// none did.
func engagementTrend(cs []CheckRecord) string {
	var measured []CheckRecord
	for _, c := range cs {
		if _, ok := c.Engagement(); ok && (len(measured) == 0 || c.EngagementBasis == measured[0].EngagementBasis) {
			measured = append(measured, c)
		}
	}
	switch len(measured) {
	case 0:
		return ""
	case 1:
		er, _ := measured[0].Engagement()
		return "engagement " + numfmt.Percent(er) + basisNote(measured[0])
	}
	newest, oldest := measured[0], measured[len(measured)-1]
	to, _ := newest.Engagement()
	from, _ := oldest.Engagement()
	return "engagement " + numfmt.Percent(from) + " → " + numfmt.Percent(to) + basisNote(newest)
}

// basisNote names what engagement was measured against when it is not the
// audience.
func basisNote(c CheckRecord) string {
	if c.EngagementBasis == eligibility.BasisViews {
		return " of views"
	}
	return ""
}

// socialName is how a creator writes their social platform.
func socialName(p string) string {
	if p == "" {
		return "Your account"
	}
	return platformDisplayName(p)
}

func verdictName(v string) string { return strings.ReplaceAll(v, "_", " ") }

// shortDate is "2 Oct" this year and "2 Oct 2025" otherwise, in UTC.
func shortDate(t, now time.Time) string {
	t, now = t.UTC(), now.UTC()
	if t.Year() == now.Year() {
		return t.Format("2 Jan")
	}
	return t.Format("2 Jan 2006")
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func (b *Bot) exportCommand() *Command {
	return &Command{
		Name:     "export",
		Private:  true,
		Summary:  "Everything I keep about you, as a JSON file.",
		Usage:    "export",
		Examples: []string{"export"},
		Run: func(ctx context.Context, c *Call) (Reply, error) {
			if c.Action == nil && !isSelf(c.Args) {
				return Reply{}, ErrNotCommand // "export to which countries?"
			}
			if b.cfg.History == nil {
				return Reply{Text: noStoreText + "there's nothing about you to export.", Ephemeral: true}, nil
			}
			x, err := b.cfg.History.Export(ctx, c.User)
			if err != nil {
				return Reply{}, err
			}
			data, err := json.MarshalIndent(x, "", "  ")
			if err != nil {
				return Reply{}, WrapError(EINTERNAL, err, "internal error")
			}
			summary := exportSummary(x)
			return Reply{
				Title: "Your data",
				Text: "Here is everything I keep about you: " + summary + ". " +
					"To erase it all, type `forget me`.",
				File:      &File{Name: "influbot-export-" + b.now().UTC().Format("2006-01-02") + ".json", ContentType: "application/json", Data: data},
				Ephemeral: true,
			}, nil
		},
	}
}

func exportSummary(x *UserExport) string {
	parts := []string{
		quantity(len(x.Events), "message"),
		quantity(len(x.Checks), "eligibility check"),
		quantity(len(x.Tasks), "task"),
		quantity(len(x.Nudges), "reminder"),
		quantity(len(x.Unanswered), "unanswered question"),
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// quantity is "1 task", "3 tasks".
func quantity(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return numfmt.Thousands(int64(n)) + " " + noun + "s"
}

func (b *Bot) forgetCommand() *Command {
	return &Command{
		Name:     "forget",
		Private:  true,
		Summary:  "Erase everything I keep about you (I ask you to confirm first).",
		Usage:    "forget me",
		Examples: []string{"forget me", "forget me confirm"},
		Run: func(ctx context.Context, c *Call) (Reply, error) {
			if c.Action != nil {
				return b.forgetAction(ctx, c)
			}
			switch strings.Trim(strings.ToLower(oneLine(c.Args)), "!.? ") {
			case "", "me", "about me", "my data", "everything", "me now", "me please":
				return b.forgetPrompt(c), nil
			case "me confirm", "confirm", "everything confirm", "my data confirm":
				// The typed confirmation the prompt offers where buttons
				// are missing; nothing short of "confirm" skips the prompt.
				return b.forget(ctx, c)
			}
			return Reply{}, ErrNotCommand // "forget my password?"
		},
	}
}

func (b *Bot) forgetPrompt(c *Call) Reply {
	if b.cfg.History == nil {
		return Reply{Text: noStoreText + "there's nothing stored about you to erase.", Ephemeral: true}
	}
	value := c.User.ID + "|" + strconv.FormatInt(b.now().Unix(), 10)
	return Reply{
		Title: "Erase everything about you?",
		Text: "This permanently deletes everything I keep about you in this workspace: your questions and my answers, " +
			"your eligibility checks, your plan, tasks and reminders. It can't be undone.\n\n" +
			"Want a copy first? Type `export`. No buttons? Type `forget me confirm`.",
		Tone:      ToneWarning,
		Ephemeral: true,
		Buttons: []Button{
			{ActionID: "forget:confirm", Label: "Yes, erase everything", Value: value, Style: ButtonDanger},
			{ActionID: "forget:cancel", Label: "Cancel", Value: c.User.ID},
		},
	}
}

func (b *Bot) forgetAction(ctx context.Context, c *Call) (Reply, error) {
	switch c.Action.ID {
	case "forget:cancel":
		return Reply{Text: "Okay, I kept everything. Nothing was erased.", Ephemeral: true}, nil
	case "forget:confirm":
		who, at, ok := strings.Cut(c.Action.Value, "|")
		sent, err := strconv.ParseInt(at, 10, 64)
		if !ok || err != nil {
			return Reply{}, Errorf(EINVALID, "That button has expired. Type `forget me` if you want me to erase your data.")
		}
		if who != c.User.ID {
			// Someone else's confirmation, pressed in a shared channel.
			return Reply{}, Errorf(EFORBIDDEN, "That button was for someone else. To erase your own data, type `forget me`.")
		}
		if age := b.now().Sub(time.Unix(sent, 0)); age > forgetConfirmTTL || age < -time.Minute {
			return Reply{}, Errorf(EINVALID, "That confirmation has expired. Type `forget me` again if you still want me to erase your data.")
		}
		return b.forget(ctx, c)
	}
	return Reply{}, Errorf(EINVALID, "That button has expired. Type `forget me` if you want me to erase your data.")
}

func (b *Bot) forget(ctx context.Context, c *Call) (Reply, error) {
	if b.cfg.History == nil {
		return Reply{Text: noStoreText + "there's nothing stored about you to erase.", Ephemeral: true}, nil
	}
	rep, err := b.cfg.History.Forget(ctx, c.User)
	if err != nil {
		return Reply{}, err
	}
	// Recording this request would start a new history at once.
	c.Event.Discard = true
	b.log.InfoContext(ctx, "forgot a user", "user", c.User.String(), "rows", rep.Total())
	if rep.Total() == 0 {
		return Reply{Text: "There was nothing stored about you, so there was nothing to erase.", Ephemeral: true}, nil
	}
	return Reply{
		Text:      "Done. I erased everything I kept about you (" + forgetSummary(rep) + "). If you talk to me again, I'll start a fresh history.",
		Tone:      ToneSuccess,
		Ephemeral: true,
	}, nil
}

// forgetSummary names what went, in words a user knows.
func forgetSummary(rep ForgetReport) string {
	words := map[string]string{
		"events": "message", "checks": "eligibility check", "unanswered": "unanswered question", "tasks": "task",
		"nudges": "reminder", "plans": "plan", "reminders": "reminder setting", "tenant_admins": "admin role",
		"task_events": "task update",
	}
	var names []string
	for t := range rep.Rows {
		if t != "users" && t != "replies" && rep.Rows[t] > 0 {
			names = append(names, t)
		}
	}
	sort.Slice(names, func(i, j int) bool {
		return rep.Rows[names[i]] > rep.Rows[names[j]] || (rep.Rows[names[i]] == rep.Rows[names[j]] && names[i] < names[j])
	})
	var parts []string
	for _, t := range names {
		w, ok := words[t]
		if !ok {
			w = strings.ReplaceAll(strings.TrimSuffix(t, "s"), "_", " ")
		}
		parts = append(parts, quantity(int(rep.Rows[t]), w))
	}
	if len(parts) == 0 {
		return "your profile"
	}
	return strings.Join(parts, ", ")
}

// Limits of the unanswered listing.
const (
	defaultUnanswered = 10
	maxUnanswered     = 50
)

func (b *Bot) unansweredCommand() *Command {
	return &Command{
		Name:     "unanswered",
		Private:  true,
		Summary:  "The questions I couldn't answer in this workspace, most asked first: the FAQ entries to write next.",
		Usage:    "unanswered [how many]",
		Examples: []string{"unanswered", "unanswered 25"},
		Options:  []Option{{Name: "count", Description: fmt.Sprintf("How many to list (1-%d)", maxUnanswered), Kind: OptionInteger, Rest: true}},
		Admin:    true,
		Run: func(ctx context.Context, c *Call) (Reply, error) {
			arg := strings.TrimSpace(c.Value("count"))
			limit := defaultUnanswered
			if arg != "" {
				n, err := strconv.Atoi(arg)
				if err != nil && c.Request.Command == "" {
					return Reply{}, ErrNotCommand // "unanswered questions about payouts?"
				}
				if err != nil || n < 1 || n > maxUnanswered {
					return Reply{}, Errorf(EINVALID, "Give a number from 1 to %d, e.g. `unanswered 20`.", maxUnanswered)
				}
				limit = n
			}
			t := c.User.TenantRef()
			var topics []UnansweredTopic
			note := ""
			switch mem, isMem := b.cfg.Unanswered.(*MemoryUnanswered); {
			case b.cfg.History != nil:
				var err error
				if topics, err = b.cfg.History.UnansweredTopics(ctx, t, limit); err != nil {
					return Reply{}, err
				}
			case isMem:
				topics = GroupUnanswered(mem.Questions(), t, limit)
				note = "\n\n_No database is configured: this covers only questions since I last started._"
			default:
				return Reply{Text: noStoreText + "I can't list unanswered questions.", Ephemeral: true}, nil
			}
			if len(topics) == 0 {
				return Reply{Title: "Unanswered questions", Text: "Nothing unanswered in this workspace: every question so far found an answer." + note, Ephemeral: true}, nil
			}
			return Reply{Title: "Questions I couldn't answer here, most asked first", Text: unansweredText(topics, b.now()) + note, Ephemeral: true}, nil
		},
	}
}

// unansweredText lists unanswered questions in two parts: in-scope ones
// the bot was not sure about (the real gaps, an FAQ entry to write or a
// phrasing to add) and off-topic ones it declined.
func unansweredText(topics []UnansweredTopic, now time.Time) string {
	var sb strings.Builder
	for _, part := range []struct {
		off   bool
		title string
	}{
		{false, "**Not sure (about the program): the FAQ entries or phrasings to add**"},
		{true, "**Declined as off-topic**"},
	} {
		n := 0
		for _, q := range topics {
			if q.OffTopic != part.off {
				continue
			}
			if n == 0 {
				if sb.Len() > 0 {
					sb.WriteString("\n")
				}
				sb.WriteString(part.title + "\n")
			}
			n++
			fmt.Fprintf(&sb, "%d. “%s”: asked %s by %s, last %s\n", n, QuoteClip(q.Text, 100),
				times(q.Count), people(q.Users), shortDate(q.Last, now))
		}
	}
	sb.WriteString("\nAn FAQ entry for the top in-scope ones (see knowledge/FORMAT.md) answers them next time; check the off-topic ones were rightly declined.")
	return sb.String()
}

func people(n int) string {
	if n == 1 {
		return "1 person"
	}
	return numfmt.Thousands(int64(n)) + " people"
}

func times(n int) string {
	if n == 1 {
		return "once"
	}
	if n == 2 {
		return "twice"
	}
	return numfmt.Thousands(int64(n)) + " times"
}

// GroupUnanswered groups questions of tenant t by NormalizeQuestion, most
// asked first (then most recently asked), as a HistoryStore's
// UnansweredTopics does.
func GroupUnanswered(qs []UnansweredQuestion, t TenantRef, limit int) []UnansweredTopic {
	type group struct {
		UnansweredTopic
		users map[string]bool
	}
	by := map[string]*group{}
	for _, q := range qs {
		if q.User.TenantRef() != t {
			continue
		}
		norm := NormalizeQuestion(q.Text)
		if norm == "" {
			continue
		}
		key := norm
		if q.OffTopic {
			key = "\x00" + norm
		}
		g, ok := by[key]
		if !ok {
			g = &group{UnansweredTopic: UnansweredTopic{First: q.Time, OffTopic: q.OffTopic}, users: map[string]bool{}}
			by[key] = g
		}
		g.Count++
		g.users[q.User.ID] = true
		if q.Time.Before(g.First) {
			g.First = q.Time
		}
		if !q.Time.Before(g.Last) {
			g.Last, g.Text = q.Time, q.Text
		}
	}
	out := make([]UnansweredTopic, 0, len(by))
	for _, g := range by {
		g.Users = len(g.users)
		out = append(out, g.UnansweredTopic)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		if !out[i].Last.Equal(out[j].Last) {
			return out[i].Last.After(out[j].Last)
		}
		if a, b := NormalizeQuestion(out[i].Text), NormalizeQuestion(out[j].Text); a != b {
			return a < b
		}
		return !out[i].OffTopic && out[j].OffTopic
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

// mentionRE matches a user id as typed or as Discord and Slack write a
// mention: 123456789, <@123456789>, <@!123456789>, <@U024BE7LH|maria>.
var mentionRE = mustPattern(`^<?@?!?([A-Za-z0-9_.-]{1,64})(\|[^>]*)?>?$`)

// ParseUserID returns the user id in a mention or a bare id.
func ParseUserID(s string) (string, bool) {
	m := mentionRE.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return "", false
	}
	return m[1], true
}

func (b *Bot) adminCommand() *Command {
	return &Command{
		Name:     "admin",
		Private:  true,
		Summary:  "See or change who administers me in this workspace, besides its platform admins.",
		Usage:    "admin [list | add <user> | remove <user>]",
		Examples: []string{"admin list", "admin add @maria", "admin remove 123456789012345678"},
		Options: []Option{
			{Name: "action", Description: "list, add or remove", Choices: []string{"list", "add", "remove"}},
			{Name: "user", Description: "The user to add or remove"},
		},
		Admin: true,
		Run: func(ctx context.Context, c *Call) (Reply, error) {
			verb, who, _ := strings.Cut(oneLine(c.Args), " ")
			if c.Request.Command != "" && c.Args == "" {
				verb, who = c.Option("action"), c.Option("user")
			}
			verb = strings.ToLower(verb)
			switch verb {
			case "", "list", "add", "remove":
			default:
				return Reply{}, ErrNotCommand
			}
			if c.User.Platform == PlatformConsole {
				return Reply{Text: "On the console everyone is an admin, so there is no list to keep.", Ephemeral: true}, nil
			}
			if b.cfg.AdminList == nil {
				return Reply{Text: noStoreText + "I can't keep an admin list. The workspace's own admins (Manage Server on Discord, admins and owners on Slack) can use the admin commands.", Ephemeral: true}, nil
			}
			t := c.User.TenantRef()
			if verb == "" || verb == "list" {
				return b.adminList(ctx, t)
			}
			id, ok := ParseUserID(who)
			if !ok {
				return Reply{}, Errorf(EINVALID, "Tell me who: `admin %s @name` (a mention) or their user id.", verb)
			}
			if verb == "add" {
				if err := b.cfg.AdminList.AddAdmin(ctx, t, id, c.User.ID); err != nil {
					return Reply{}, err
				}
				return Reply{Text: fmt.Sprintf("<@%s> is now an admin of this workspace: they can see unanswered questions and manage admins.", id), Tone: ToneSuccess, Ephemeral: true}, nil
			}
			removed, err := b.cfg.AdminList.RemoveAdmin(ctx, t, id)
			if err != nil {
				return Reply{}, err
			}
			if !removed {
				return Reply{}, Errorf(ENOTFOUND, "<@%s> isn't on this workspace's admin list. (Platform admins can't be removed here.)", id)
			}
			return Reply{Text: fmt.Sprintf("<@%s> is no longer on this workspace's admin list.", id), Ephemeral: true}, nil
		},
	}
}

func (b *Bot) adminList(ctx context.Context, t TenantRef) (Reply, error) {
	admins, err := b.cfg.AdminList.Admins(ctx, t)
	if err != nil {
		return Reply{}, err
	}
	const platformAdmins = "The workspace's own admins (Manage Server on Discord, admins and owners on Slack) are always admins."
	if len(admins) == 0 {
		return Reply{Title: "Admins", Text: "No one is on the list yet. " + platformAdmins + " Add someone with `admin add @name`.", Ephemeral: true}, nil
	}
	now := b.now()
	var sb strings.Builder
	for _, a := range admins {
		fmt.Fprintf(&sb, "- <@%s>, since %s", a.UserID, shortDate(a.AddedAt, now))
		if a.AddedBy != "" {
			fmt.Fprintf(&sb, " (added by <@%s>)", a.AddedBy)
		}
		sb.WriteString("\n")
	}
	sb.WriteString("\n" + platformAdmins)
	return Reply{Title: "Admins", Text: sb.String(), Ephemeral: true}, nil
}

package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/influbot/influbot/bot/eligibility"
	"github.com/influbot/influbot/knowledge"
)

// The conversation layer: what the core does with free text before (and
// around) the FAQ. In order, a message is
//
//  1. an opt-out ("stop sending me messages"), which always wins; with a
//     length of time ("pause reminders for a week") it is a pause;
//  2. an answer to the question the bot is waiting on (yes, no, a number,
//     a choice's words), or a bare yes/no/number with nothing pending;
//  3. a command in plain words ("remind me at 9am", "I did the bio task",
//     "how much do I earn on a $40 skincare order?");
//  4. a command by its first word ("check instagram ...");
//  5. right after a check, a question about its verdict ("is that bad?",
//     checkVerdict), or an elliptical follow-up of the last command ("what
//     about tiktok?");
//  6. small talk (thanks, greetings, "what do I do now"), and "do I
//     qualify?", answered from the user's last check (eligibleAsked);
//  7. numbers for a check: those a check asked for, right after it, or a
//     platform, followers and likes on their own (checkMore);
//  8. a bare "why?" about the answer just given: what it rests on
//     (whyAgain), not the same answer again;
//  9. a question for the FAQ, with the last topic as a prior for short
//     ones; an answer about readiness offers to check the numbers the
//     question gave (offerCheck).
//
// The phrases live in intents.go; a Conversation (context.go) carries what
// came before.

// turn is one free-text message on its way through the conversation layer.
type turn struct {
	call *Call
	conv *Conversation
	// args is the text a command ran with, kept as the context's LastArgs.
	args string
	// task is the task id the turn referred to, kept as LastTask.
	task string
	// read is the request's text read already (normalize(Request.Text),
	// see Bot.HandleInvoked), for converse's first look; nil when it was
	// not.
	read *reading
	// keep leaves the conversation context as it was: the turn (the
	// welcome of an empty message, as a new chat session sends) neither
	// answers nor asks anything.
	keep bool
	// reset: the user asked to start over; the context is emptied.
	reset bool
	// unread: the stored context could not be read (conv is empty).
	unread bool
	// checkSeed, when set, becomes the context's last check ("tiktok
	// 3000 followers"): an answer offered to check the numbers the
	// question gave (offerCheck).
	checkSeed string
	// commissionSeed, when set, becomes the context's last estimate (an
	// amount, "250"): a commission question without a category, which
	// the category sent next completes (commissionCounted).
	commissionSeed string
}

// converse routes a free-text message (see the comment at the top of this
// file).
func (b *Bot) converse(ctx context.Context, t *turn, text string, depth int) (Reply, error) {
	// The message is read into words once; every move below asks the
	// same reading. The request's own text may have been read already:
	// normalize(TrimSpace(s)) is normalize(s).
	msg := t.read
	if msg == nil || depth > 0 {
		msg = b.lex.read(normalize(text))
	}
	t.read = nil
	ev := t.call.Event
	if depth == 0 {
		// "wait what", "hold on, is it 5k?": the interjection is not the
		// waiting period the FAQ knows "wait" for.
		if n, ok := afterInterjection(msg.norm); ok {
			return b.converse(ctx, t, dropWords(text, n), depth+1)
		}
		// "ok lets do a check: tiktok 45k followers ...": the check, not
		// a niche called "lets".
		// (Case-folded, the expression has no cheap first look of its
		// own; the words of every match hold "check".)
		if strings.Contains(msg.norm, "check") {
			if loc := checkLead.FindStringIndex(text); loc != nil && loc[1] < len(text) {
				return b.converse(ctx, t, "check "+strings.TrimSpace(text[loc[1]:]), depth+1)
			}
		}
	}
	if r, ok, err := b.pauseAsked(ctx, t, msg); ok {
		return r, err
	}
	if b.lex.optOutOf(msg) {
		return b.runNamed(ctx, t, "stop", "")
	}
	if r, ok, err := b.remindAdjust(ctx, t, msg); ok {
		return r, err
	}
	if r, ok, err := b.commissionCounted(ctx, t, msg); ok {
		return r, err
	}
	if r, ok, err := b.answerPending(ctx, t, msg); ok {
		return r, err
	}
	if r, ok, err := b.remindOnceAsked(ctx, t, msg); ok {
		return r, err
	}
	// Plain words first: "remind me at 9am" starts with a command's name
	// but is not its grammar.
	if r, ok, err := b.plainCommand(ctx, t, msg); ok {
		return r, err
	}
	if r, ok, err := b.commissionAsked(ctx, t, msg); ok {
		return r, err
	}
	if r, ok, err := b.captionAsked(ctx, t, text, msg); ok {
		return r, err
	}
	first, rest := splitFirstWord(text)
	name := strings.ToLower(strings.TrimRight(strings.TrimLeft(first, "/!"), ":")) // "lint: my caption"
	c, ok := b.byName[name]
	if !ok && (rest != "" || utf8.RuneCountInString(name) >= minBareTypo) {
		// "chek instagram 2k followers ...", or "histroy" alone; but
		// not a command's name with an ending, alone ("checks",
		// "reminds", "snoozed"): that is a word, not a typo.
		if c, ok = b.commandByTypo(name); ok && rest == "" && strings.HasPrefix(name, c.Name) {
			c, ok = nil, false
		}
	}
	if ok {
		ev.Command = c.Name
		t.call.Args, t.args = rest, rest
		reply, err := b.run(ctx, c, t.call)
		if !errors.Is(err, ErrNotCommand) {
			return reply, err
		}
		ev.Command, t.call.Args, t.args = "", "", ""
	}
	if t.conv.LastCommand == "check" && (b.lex.verdictOf(msg) || bareWhy(msg) || doubting(msg) || disputesVerdict(msg)) {
		if r, ok, err := b.checkVerdict(ctx, t); ok {
			return r, err
		}
	}
	if r, ok, err := b.checkCorrection(ctx, t, msg); ok {
		return r, err
	}
	if r, ok, err := b.followUp(ctx, t, msg); ok {
		return r, err
	}
	if intent := b.lex.intentOf(msg); intent == intentEligible {
		return b.eligibleAsked(ctx, t, text, msg)
	} else if intent != "" {
		return b.smallTalkReply(ctx, t, intent)
	}
	if r, ok, err := b.checkMore(ctx, t, text, msg); ok {
		return r, err
	}
	if depth == 0 {
		if loc := b.lex.courtesy.FindStringIndex(text); loc != nil && loc[1] < len(text) {
			restText := strings.TrimSpace(text[loc[1]:])
			restWords := b.lex.words(normalize(restText), false)
			if len(restWords) >= 4 || strings.Contains(restText, "?") || (len(restWords) > 0 && questionWords[restWords[0]]) {
				return b.converse(ctx, t, restText, depth+1)
			}
			// "thank you for everything": the courtesy is the message.
			if intent := b.lex.smallTalkIntent(normalize(text[:loc[1]])); intent != "" {
				return b.smallTalkReply(ctx, t, intent)
			}
		}
	}
	if r, ok := b.whyAgain(ctx, t, msg); ok {
		return r, nil
	}
	if b.lex.eligibleWith(msg.all) && !namesPlatform(msg) {
		// "is my account eligible with 2k followers": no platform to
		// check them on, so what Amazon looks at and what to send.
		return b.eligibleAsked(ctx, t, text, msg)
	}
	ev.Kind, ev.Command = EventQuestion, "ask"
	if r, ok := b.twoAccounts(t, text, msg); ok {
		return r, nil
	}
	if r, ok := b.rejectionStory(ctx, t, text, msg); ok {
		return r, nil
	}
	if r, ok := b.engagementGiven(ctx, t, msg); ok {
		return r, nil
	}
	if r, ok := b.introAsked(t, text, msg); ok {
		return r, nil
	}
	if acceptanceNews(text, msg) {
		// "my account got approved!!! 🎉": news, not a question about
		// how accounts are reviewed.
		return b.smallTalkReply(ctx, t, intentAccepted)
	}
	r, err := b.answerWithPrior(ctx, t, text, msg)
	if err == nil && ev.Answered {
		r = b.askedAgain(ctx, t, text, r)
		r = b.offerCheck(t, text, msg, r)
	}
	return r, err
}

// passageShare is how much of a follow-up's new words (those not in the
// answer's title) one passage of the answer must hold for askedAgain to
// give that passage alone.
const passageShare = 0.5

// askedAgainWithin is how recent the same answer must be for askedAgain
// to say so.
const askedAgainWithin = 30 * time.Minute

// askedAgain leads an answer with a line that says it is the one just
// given, when the user's last turn got that same answer word for word
// ("why was I rejected?" after the rejection answer, in other words):
// someone asking again was likely not helped, so the line asks what is
// different about their case. The answer stays in full, for whoever
// missed it.
func (b *Bot) askedAgain(ctx context.Context, t *turn, text string, r Reply) Reply {
	ev, conv := t.call.Event, t.conv
	if ev.Topic == "" || conv.LastTopic != ev.Topic || conv.LastCommand != "" || conv.Updated.IsZero() ||
		b.now().Sub(conv.Updated) > askedAgainWithin || !b.isShownAnswer(ev.Topic, r.Text) {
		return r
	}
	// A question about one part of it ("is it free?", "does #sp count?")
	// gets that part, not the whole answer again.
	kb := b.knowledgeFor(ctx, t.call.User.TenantRef())
	if e, ok := kb.Entry(ev.Topic); ok {
		if p, share, ok := kb.Index.Passage(e, text); ok && share >= passageShare {
			r.Text = "From the answer I just gave:\n\n" + p
			return r
		}
	}
	r.Text = "That's the answer I just gave: it's all I have on this. If it doesn't fit your case, tell me what's different " +
		"(your platform, your numbers, what Amazon's email said) and I'll look at that.\n\n" + r.Text
	return r
}

// runNamed runs a command by name with args, recording it as the turn's
// command.
func (b *Bot) runNamed(ctx context.Context, t *turn, name, args string) (Reply, error) {
	c := b.byName[name]
	t.call.Event.Command = c.Name
	t.call.Event.Kind = EventCommand
	t.call.Args, t.args = args, args
	if name == "stop" && b.cfg.Plans == nil {
		return Reply{Title: "Stopped", Text: "I'm not sending you anything on my own here: no reminders or nudges are set up, so there's nothing to stop. I'll only answer when you write.", Tone: ToneSuccess}, nil
	}
	return b.run(ctx, c, t.call)
}

// press runs a choice the bot offered as if its button were pressed.
func (b *Bot) press(ctx context.Context, t *turn, btn Button) (Reply, error) {
	name, _, _ := strings.Cut(btn.ActionID, ":")
	c, ok := b.byName[name]
	if !ok {
		return Reply{}, Errorf(EINVALID, "That question has expired. Type `help` to see what I can do.")
	}
	t.call.Event.Command = c.Name
	t.call.Action = &Action{ID: btn.ActionID, Value: btn.Value}
	defer func() { t.call.Action = nil }()
	return b.run(ctx, c, t.call)
}

// answerPending answers the question the bot is waiting on; ok is false
// when the message is not an answer (it then goes on through the layer).
// A bare yes, no or number with nothing pending is answered here too.
func (b *Bot) answerPending(ctx context.Context, t *turn, msg *reading) (Reply, bool, error) {
	norm := msg.norm
	kind, nums := b.lex.answerOf(msg)
	p := t.conv.Pending
	ev := t.call.Event
	if kind == "" && p != nil && !p.YesNo && p.NumberArgs == "" {
		if n, ok := choiceInSentence(msg, len(p.Choices)); ok {
			kind, nums = "numbers", []int{n}
		}
	}
	if kind == "" && p == nil {
		// "what about 2" with no choices on offer; after a commission
		// estimate it is an amount (see followUp).
		if t.conv.LastCommand != "commission" {
			if n, ok := choiceInSentence(msg, 9); ok {
				kind, nums = "numbers", []int{n}
			}
		}
	}
	if p != nil && p.NumbersOnly && kind != "numbers" {
		p = nil
	}
	if p == nil {
		if kind == "" {
			return Reply{}, false, nil
		}
		if b.lex.phraseOf(msg) != "" {
			return Reply{}, false, nil // "ok", "alright", "nvm": small talk when nothing was asked
		}
		ev.Kind, ev.Command = EventChat, "chat"
		if kind == "no" {
			return Reply{Text: "Okay! I haven't asked you anything, so there's nothing to cancel. Ask me anything in your own words, or type `help` to see what I can do."}, true, nil
		}
		what := map[string]string{"yes": "yes", "numbers": "a number"}[kind]
		return Reply{Text: "There's nothing to say " + what + " to right now: I haven't asked you anything. " +
			"Ask me a question in your own words, or type `help` to see what I can do."}, true, nil
	}
	pick := func(i int) (Reply, bool, error) {
		r, err := b.press(ctx, t, p.Choices[i])
		return r, true, err
	}
	if p.YesNo {
		switch {
		case kind == "yes" || (kind == "numbers" && len(nums) == 1 && nums[0] == 1):
			return pick(0)
		case kind == "no" && len(p.Choices) > 1:
			return pick(1)
		case kind == "no" || kind == "numbers":
			ev.Kind, ev.Command = EventChat, "chat"
			t.conv.Pending = nil
			return Reply{Text: "Okay, I left it as it was."}, true, nil
		}
		return Reply{}, false, nil
	}
	switch kind {
	case "yes":
		if i := yesChoice(p.Choices); i >= 0 {
			return pick(i)
		}
		return b.whichOne(t, p), true, nil
	case "no":
		if i := noChoice(p.Choices); i >= 0 {
			return pick(i)
		}
		ev.Kind, ev.Command = EventChat, "chat"
		t.conv.Pending = nil
		return Reply{Text: "Okay, I'll leave it there. Ask me anything whenever you're ready, or type `help`."}, true, nil
	case "numbers":
		if p.NumberArgs != "" && !slices.Contains(nums, -1) {
			strs := make([]string, len(nums))
			for i, n := range nums {
				strs[i] = strconv.Itoa(n)
			}
			r, err := b.runNamed(ctx, t, p.Command, p.NumberArgs+" "+strings.Join(strs, " "))
			return r, true, err
		}
		n := nums[0]
		if n == -1 {
			n = len(p.Choices)
		}
		if len(nums) != 1 || n < 1 || n > len(p.Choices) {
			ev.Kind, ev.Command = EventChat, "chat"
			return Reply{Text: fmt.Sprintf("Pick one number from 1 to %d.", len(p.Choices))}, true, nil
		}
		return pick(n - 1)
	}
	// The choice's own words: "weekdays", "the reapply one".
	if i := choiceByWords(b.lex, p.Choices, msg); i >= 0 && !p.NumbersOnly {
		return pick(i)
	}
	// Or the command's own words: "every day at 9" for a reminder time.
	// A command typed instead ("snooze 1 2h") is not such an answer.
	_, isCommand := b.byName[firstWord(norm)]
	if re, ok := b.lex.freeAnswers[p.Command]; ok && !isCommand && b.lex.commandOf(msg) == "" &&
		re.MatchString(norm) && len(strings.Fields(norm)) <= 8 && !questionWords[firstWord(norm)] {
		r, err := b.runNamed(ctx, t, p.Command, norm)
		return r, true, err
	}
	return Reply{}, false, nil
}

func (b *Bot) whichOne(t *turn, p *Pending) Reply {
	t.call.Event.Kind, t.call.Event.Command = EventChat, "chat"
	var sb strings.Builder
	sb.WriteString("Which one? Reply with its number:\n")
	for i, c := range p.Choices {
		fmt.Fprintf(&sb, "%d. %s\n", i+1, c.Label)
	}
	return Reply{Text: strings.TrimSpace(sb.String()), Buttons: p.Choices}
}

// yesChoice is the choice a "yes" means: the one drawn as the main action,
// or the only one that is not a way out; -1 when it is ambiguous.
func yesChoice(cs []Button) int {
	for i, c := range cs {
		if c.Style == ButtonPrimary || c.Style == ButtonDanger || c.Style == ButtonSuccess {
			return i
		}
	}
	yes := -1
	for i, c := range cs {
		if isWayOut(c) {
			continue
		}
		if yes >= 0 {
			return -1
		}
		yes = i
	}
	return yes
}

// noChoice is the way out among cs, -1 when there is none.
func noChoice(cs []Button) int {
	for i, c := range cs {
		if isWayOut(c) {
			return i
		}
	}
	return -1
}

func isWayOut(c Button) bool {
	_, verb, _ := strings.Cut(c.ActionID, ":")
	switch verb {
	case "cancel", "dismiss", "no":
		return true
	}
	switch strings.ToLower(c.Label) {
	case "cancel", "not now", "no", "no thanks":
		return true
	}
	return false
}

// choiceByWords finds the one choice whose label holds every content word
// of the message ("weekdays" → "Weekdays at 18:00"); -1 when none or
// several do.
func choiceByWords(l *lexicon, cs []Button, msg *reading) int {
	ws := msg.ws
	var content []string
	for _, w := range ws {
		if !l.taskStop[w] {
			content = append(content, w)
		}
	}
	if len(content) == 0 || len(content) > 6 {
		return -1
	}
	found := -1
	for i, c := range cs {
		label := l.words(normalize(c.Label+" "+c.Value), false)
		all := true
		for _, w := range content {
			if !hasWordLike(label, w) {
				all = false
				break
			}
		}
		if all {
			if found >= 0 {
				return -1
			}
			found = i
		}
	}
	return found
}

// hasWordLike reports whether words hold w, a word sharing its first five
// letters, or w one typo off.
func hasWordLike(words []string, w string) bool {
	for _, x := range words {
		if x == w || wordsMatch(w, x) || (len(w) >= 3 && len(x) >= 3 && strings.HasPrefix(x, w[:min(len(w), 5)])) || (len(x) >= 4 && strings.HasPrefix(w, x)) {
			return true
		}
	}
	return false
}

// plainRuns are the plain-word commands that run a command with fixed
// arguments: name, then arguments.
var plainRuns = map[string][2]string{
	"forget":      {"forget", "me"},
	"history":     {"history", ""},
	"remind on":   {"remind", "on"},
	"remind show": {"remind", ""},
	"export":      {"export", ""},
}

// plainCommand runs a command said in plain words; ok is false when the
// message is not one.
func (b *Bot) plainCommand(ctx context.Context, t *turn, msg *reading) (Reply, bool, error) {
	for _, pc := range b.lex.commands {
		m := pc.re.submatchRead(msg)
		if m == nil {
			continue
		}
		arg := ""
		if len(m) > 1 {
			arg = strings.TrimSpace(m[1])
		}
		switch pc.command {
		case "remind":
			if strings.HasPrefix(arg, "to ") || strings.HasPrefix(arg, "about ") {
				// "to post every day at 7pm": the schedule starts at its first time word.
				if loc := b.lex.remindWhen.FindStringIndex(arg); loc != nil {
					arg = arg[loc[0]:]
				} else {
					arg = ""
				}
			}
			// "every monday to post a review": what the nudge is about
			// follows the schedule; the nudges are about the plan's tasks.
			note := ""
			for _, sep := range []string{" to ", " about ", " that i "} {
				i := strings.Index(arg, sep)
				if i <= 0 {
					continue
				}
				if next, _ := splitFirstWord(arg[i+len(sep):]); sep == " to " && weekdayPart.MatchString(next) {
					continue // "monday to friday": a range of days, not what about
				}
				note = strings.TrimSpace(arg[i+len(sep):])
				arg = strings.TrimSpace(arg[:i])
			}
			if note != "" && arg != "" && !strings.Contains(note, "task") {
				r, err := b.runNamed(ctx, t, "remind", arg)
				if err == nil {
					day := "tomorrow"
					if d := weekdayOf(arg, ""); d != "" {
						day = "on " + d
					}
					r.Text = strings.TrimRight(r.Text, "\n") + "\n\nThese nudges are about your plan's tasks; I can't repeat a note of your own (“" + note +
						"”). For one reminder with it, say `remind me " + day + " to " + note + "`."
				}
				return r, true, err
			}
			if arg == "" {
				t.call.Event.Kind, t.call.Event.Command = EventCommand, "remind"
				return remindPrompt(), true, nil
			}
			r, err := b.runNamed(ctx, t, "remind", arg)
			return r, true, err
		case "done", "skip", "snooze":
			r, ok, err := b.taskByWords(ctx, t, pc.command, arg)
			if ok {
				return r, true, err
			}
		case "plan":
			name := "plan"
			if b.cfg.Plans != nil {
				if tasks, err := b.cfg.Plans.Tasks(ctx, t.call.User); err == nil && hasActive(tasks) {
					name = "tasks"
				}
			}
			r, err := b.runNamed(ctx, t, name, "")
			return r, true, err
		case "remind zone":
			r, err := b.runNamed(ctx, t, "remind", "zone "+arg)
			return r, true, err
		case "forget", "history", "remind on", "remind show", "export":
			run := plainRuns[pc.command]
			r, err := b.runNamed(ctx, t, run[0], run[1])
			return r, true, err
		case "plan clear":
			// Destructive: ask first; the buttons run `plan clear` or keep it.
			t.call.Event.Kind, t.call.Event.Command = EventCommand, "plan"
			if b.cfg.Plans == nil {
				return Reply{}, true, errNoPlans
			}
			tasks, err := b.cfg.Plans.Tasks(ctx, t.call.User)
			if err != nil {
				return Reply{}, true, storeUnavailable(err)
			}
			n := 0
			for _, ts := range tasks {
				if ts.Status == TaskActive {
					n++
				}
			}
			if n == 0 {
				return Reply{Text: "You have no active tasks, so there's no plan to clear. Type `plan` and I'll suggest some.", Ephemeral: true}, true, nil
			}
			return Reply{
				Title: "Clear your plan?",
				Text: fmt.Sprintf("This drops your %d active %s and their reminders (streaks included). Type `plan` any time for a fresh plan.",
					n, plural(n, "task", "tasks")),
				Tone:      ToneWarning,
				Ephemeral: true,
				Buttons: []Button{
					{ActionID: "plan:clear", Label: "Yes, clear my plan", Style: ButtonDanger},
					{ActionID: "plan:dismiss", Label: "Keep it"},
				},
			}, true, nil
		}
	}
	return Reply{}, false, nil
}

// reminderChoices are the reminder times the bot offers.
func reminderChoices() []Button {
	return []Button{
		{ActionID: "remind:set", Label: "Daily at 09:00", Value: "daily at 9:00"},
		{ActionID: "remind:set", Label: "Weekdays at 18:00", Value: "weekdays at 18:00"},
	}
}

func hasActive(tasks []TaskState) bool {
	for _, ts := range tasks {
		if ts.Status == TaskActive {
			return true
		}
	}
	return false
}

// taskByWords runs done, skip or snooze on the task the words mean: "the
// bio task", "the hashtag one", "that" (the task last referred to). ok is
// false when no task of the user's fits, so the message goes on.
func (b *Bot) taskByWords(ctx context.Context, t *turn, verb, arg string) (Reply, bool, error) {
	if b.cfg.Plans == nil {
		return Reply{}, false, nil
	}
	duration := ""
	if verb == "snooze" {
		words := strings.Fields(arg)
		// The duration is at the end: "that for 2 hours", "it 1h".
		for k := min(3, len(words)); k >= 1; k-- {
			tail := strings.Join(words[len(words)-k:], " ")
			if looksLikeDuration(tail) {
				duration = tail
				words = words[:len(words)-k]
				break
			}
		}
		for len(words) > 0 && (words[len(words)-1] == "for" || words[len(words)-1] == "by" || words[len(words)-1] == "in") {
			words = words[:len(words)-1]
		}
		arg = strings.Join(words, " ")
	}
	tasks, err := b.cfg.Plans.Tasks(ctx, t.call.User)
	if err != nil {
		return Reply{}, true, storeUnavailable(err)
	}
	var active []TaskState
	for _, ts := range tasks {
		if ts.Status == TaskActive || (verb == "done" && ts.Status == TaskDone) {
			active = append(active, ts)
		}
	}
	if len(active) == 0 {
		// "I did the bio one" names a task, and there is none: say so,
		// rather than read it as a question. "I did everything right"
		// names none and stays a question.
		if w := strings.Fields(strings.Trim(arg, ".!")); len(w) >= 2 && (w[len(w)-1] == "one" || w[len(w)-1] == "task" || slices.Contains(w, "task")) {
			t.call.Event.Kind, t.call.Event.Command = EventCommand, verb
			return Reply{Text: "You have no tasks in your plan yet, so there's nothing to mark. Type `plan` and I'll suggest a few for your weakest areas (`plan accept` starts them); then `done 1` marks the first.", Ephemeral: true}, true, nil
		}
		return Reply{}, false, nil
	}
	id := ""
	content := b.taskWords(arg)
	if n, ok := taskNumber(content); ok {
		// "I did task 2", "finished the first one": its number in `tasks`.
		r, err := b.runNamed(ctx, t, verb, strings.TrimSpace(strconv.Itoa(n)+" "+duration))
		return r, true, err
	}
	switch {
	case len(content) == 0 || isPronoun(content):
		switch {
		case t.conv.LastTask != "" && slices.ContainsFunc(active, func(ts TaskState) bool { return ts.TaskID == t.conv.LastTask }):
			id = t.conv.LastTask
		case len(active) == 1:
			id = active[0].TaskID
		default:
			// Nothing mentioned in this conversation: the command reads
			// the pronoun as the task nudged last, and asks when none was.
			r, err := b.runNamed(ctx, t, verb, strings.TrimSpace("that "+duration))
			return r, true, err
		}
	default:
		id = b.matchTask(active, content)
		if id == "" {
			return Reply{}, false, nil
		}
	}
	t.task = id
	r, err := b.runNamed(ctx, t, verb, strings.TrimSpace(id+" "+duration))
	return r, true, err
}

// taskNumber reads a task's number: "2", "#2", "number 2", "first".
func taskNumber(words []string) (int, bool) {
	if nums, ok := parseNumbers(words); ok && len(nums) == 1 {
		return nums[0], true
	}
	if n, ok := ordinal(words); ok && n > 0 {
		return n, true
	}
	return 0, false
}

func isPronoun(ws []string) bool {
	return len(ws) == 1 && (ws[0] == "that" || ws[0] == "it" || ws[0] == "this" || ws[0] == "them")
}

// taskWords are the words of arg that can name a task; a lone pronoun is
// kept so the caller can resolve it from context.
func (b *Bot) taskWords(arg string) []string {
	all := b.lex.words(arg, true)
	if len(all) == 1 && isPronoun(all) {
		return all
	}
	var out []string
	for _, w := range all {
		if !b.lex.taskStop[w] && !isPronoun([]string{w}) {
			out = append(out, w)
		}
	}
	return out
}

// matchTask returns the id of the one task whose title or id holds the
// most of words, "" when none does or two tie.
func (b *Bot) matchTask(tasks []TaskState, words []string) string {
	best, bestID, tie := 0, "", false
	for _, ts := range tasks {
		kt, _ := b.cfg.Knowledge.Task(ts.TaskID)
		label := b.lex.words(normalize(kt.Title+" "+strings.ReplaceAll(ts.TaskID, "-", " ")), false)
		score := 0
		for _, w := range words {
			if hasWordLike(label, w) {
				score++
			}
		}
		switch {
		case score > best:
			best, bestID, tie = score, ts.TaskID, false
		case score == best && score > 0:
			tie = true
		}
	}
	if tie || best == 0 || best*2 < len(words) {
		return ""
	}
	return bestID
}

var durationRE = mustPattern(`^(?:\d+(?:\.\d+)?\s*(?:m|min|mins|minute|minutes|h|hr|hrs|hour|hours|d|day|days|w|wk|week|weeks)|an? (?:hour|day|week|minute)|half an hour)$`)

func looksLikeDuration(s string) bool { return durationRE.MatchString(strings.TrimSpace(s)) }

// followUp re-runs the last command with one argument replaced: "what
// about tiktok?" after a check, "and on kitchen stuff?" after a commission
// estimate. ok is false when the message is not such a follow-up.
func (b *Bot) followUp(ctx context.Context, t *turn, msg *reading) (Reply, bool, error) {
	if t.conv.LastCommand == "" {
		return Reply{}, false, nil
	}
	m := b.lex.followUp.submatchRead(msg)
	if m == nil {
		return Reply{}, false, nil
	}
	slot, ok := argSlots[t.conv.LastCommand]
	if !ok || len(strings.Fields(m[1])) > 3 && !(t.conv.LastCommand == "commission" && moneyFragment(m[1])) {
		// "what about instagram engagement rates?" is a new question;
		// "what about 50 bucks of groceries" after an estimate is not.
		return Reply{}, false, nil
	}
	args, ok := slot(b, t.conv.LastArgs, strings.TrimSpace(m[1]))
	if !ok {
		return Reply{}, false, nil
	}
	// "what about youtube?" after a check re-reads its numbers as that
	// platform's: answered, not saved as a check of an account.
	t.call.whatIf = t.conv.LastCommand == "check"
	r, err := b.runNamed(ctx, t, t.conv.LastCommand, args)
	t.call.whatIf = false
	if err == nil && t.conv.LastCommand == "check" {
		if in, perr := eligibility.ParseFreeTextPart(args); perr == nil {
			if p, ok := eligibility.LookupPlatform(in.Platform); ok {
				// "what about youtube?": the same numbers, read as that
				// platform's; an account there has numbers of its own.
				r.Text = fmt.Sprintf("_The same numbers, read as %s's. If you have %s %s account, send its own numbers (%s, and average views, likes and comments per %s) and I'll check those._\n\n",
					p.Name, article(p.Name), p.Name, p.Audience, p.Post) + r.Text
			}
		}
	}
	return r, true, err
}

// argSlots says, per command, how a follow-up's words replace one of the
// last invocation's arguments; false when they fit none.
var argSlots = map[string]func(b *Bot, last, fragment string) (string, bool){
	"commission": func(b *Bot, last, fragment string) (string, bool) {
		category, amount, err := eligibility.ParseCommissionText(last)
		if err != nil || commissionCount.MatchString(" "+fragment) {
			// "and if 10 people buy": a count of the same sale, which
			// commissionCounted answers, not a $10 sale of "people buy".
			return "", false
		}
		// "a $200 laptop", "50 bucks of groceries": a new sale, both parts.
		if words, v, err := eligibility.ParseCommissionText(strings.TrimPrefix(fragment, "a ")); err == nil && v != nil && words != "" {
			if cat, ok := b.commissionCategory(words); ok {
				return fmt.Sprintf("%s %s", cat, strconv.FormatFloat(*v, 'f', -1, 64)), true
			}
			if words != "one" && words != "it" && words != "that" && len(strings.Fields(words)) <= 3 {
				// "a $35 candle": a product the table does not name; the
				// estimate says which rate it used.
				return fmt.Sprintf("%s %s", words, strconv.FormatFloat(*v, 'f', -1, 64)), true
			}
		}
		if v, err := eligibility.ParseAmount(strings.TrimPrefix(fragment, "a ")); err == nil {
			return fmt.Sprintf("%s %s", category, strconv.FormatFloat(v, 'f', -1, 64)), true
		}
		// "a $90 one": an amount, and a word for the same category.
		if words, v, err := eligibility.ParseCommissionText(fragment); err == nil && v != nil &&
			(words == "" || words == "one" || words == "it" || words == "that") {
			return fmt.Sprintf("%s %s", category, strconv.FormatFloat(*v, 'f', -1, 64)), true
		}
		cat, ok := b.commissionCategory(fragment)
		if !ok {
			return "", false
		}
		if amount == nil {
			return cat, true
		}
		return fmt.Sprintf("%s %s", cat, strconv.FormatFloat(*amount, 'f', -1, 64)), true
	},
	"check": func(_ *Bot, last, fragment string) (string, bool) {
		var platform string
		for _, w := range strings.Fields(fragment) {
			if _, ok := eligibility.LookupPlatform(w); ok {
				platform = w
				break
			}
		}
		if platform == "" {
			return "", false
		}
		words := strings.Fields(last)
		for i, w := range words {
			if _, ok := eligibility.LookupPlatform(w); ok {
				words[i] = platform
				return strings.Join(words, " "), true
			}
		}
		return platform + " " + last, true
	},
}

// moneyFragment reports whether a follow-up's words give an amount of
// money ("50 bucks of groceries", "a $200 laptop").
func moneyFragment(fragment string) bool {
	return commissionMoney.MatchString(strings.ToLower(fragment)) && len(strings.Fields(fragment)) <= 6
}

// commissionCategory finds the commission category a fragment names: the
// whole of it, or one of its words ("kitchen stuff").
func (b *Bot) commissionCategory(fragment string) (string, bool) {
	table := b.cfg.Knowledge.Rules.Commission
	if _, ok := eligibility.MatchCategory(fragment, table); ok {
		return fragment, true
	}
	for _, w := range strings.Fields(fragment) {
		if _, ok := eligibility.MatchCategory(w, table); ok {
			return w, true
		}
	}
	return "", false
}

// greetName is ", Sam" for a greeting back, or "" without a name.
func greetName(name string) string {
	if name = strings.TrimSpace(name); name == "" {
		return ""
	}
	return ", " + name
}

// smallTalkReply answers a conversation move.
func (b *Bot) smallTalkReply(ctx context.Context, t *turn, intent string) (Reply, error) {
	ev := t.call.Event
	ev.Kind, ev.Command = EventChat, "chat"
	switch intent {
	case intentGreeting:
		switch {
		case t.conv.Updated.IsZero():
		case t.conv.LastTopic == "" && t.conv.LastCommand == "":
			// Just welcomed: a hello back, not the welcome again.
			return Reply{Text: "Hi" + greetName(t.call.Request.UserName) + "! Where shall we start? Ask me about the program in your own words " +
				"(\"why was I rejected?\"), or run a quick `check` with your platform and numbers."}, nil
		default:
			return Reply{Text: "Hi again" + greetName(t.call.Request.UserName) + "! " + b.nextStep(ctx, t, false)}, nil
		}
		return b.welcome(t.call.Request), nil
	case intentThanks:
		return Reply{Text: "You're welcome! " + b.nextStep(ctx, t, false)}, nil
	case intentBye:
		return Reply{Text: "Bye for now, and good luck with your application! I'm here whenever you want to pick it up again."}, nil
	case intentWho:
		return Reply{Title: "I'm influbot", Text: "I'm influbot, a coach bot for the Amazon Influencer Program: not a person, and independent of Amazon (not made by it or affiliated with it). " +
			"I answer questions about applying, rejections, storefronts, commissions and disclosure, check whether your numbers look ready, " +
			"and turn the gaps into a weekly plan with reminders. Type `help` to see everything I can do."}, nil
	case intentAbility:
		return b.runNamed(ctx, t, "help", "")
	case intentRestart:
		t.reset = true
		return Reply{Text: "Fresh start: I've set aside what we were just talking about. Your history, checks and tasks are kept " +
			"(`history` shows them, `forget me` erases them). Ask me anything in your own words, or run a quick `check` with your numbers."}, nil
	case intentCant:
		return Reply{Text: "I can't do that for you: I'm a coach in this chat, with no access to your Amazon or social accounts, and I don't act or post for you. " +
			"What I can do: tell you how ready your numbers look (`check`), check a caption you wrote for its disclosure (`lint <caption>`), " +
			"answer your questions about the program in your own words, and turn your gaps into weekly tasks with reminders (`plan`)."}, nil
	case intentPrivacy:
		return Reply{Text: "I keep what you do here (your questions, checks, tasks and reminders) so I can show your progress over time. " +
			"It stays in this workspace: its admins see totals and the questions I couldn't answer, nobody outside it sees anything, and I don't share or sell it. " +
			"`export` shows everything I keep about you; `forget me` erases it all.", Ephemeral: true}, nil
	case intentAck:
		return Reply{Text: "👍 " + b.nextStep(ctx, t, false)}, nil
	case intentPraise:
		return Reply{Text: "Thank you, that's kind! " + b.nextStep(ctx, t, false)}, nil
	case intentComplain:
		return Reply{Text: "Sorry that didn't help. Try asking again in other words, or with the details of your situation " +
			"(your platform, your numbers, what Amazon's email said). Type `help` to see everything I can do."}, nil
	case intentSorry:
		return Reply{Text: "No worries at all! " + b.nextStep(ctx, t, false)}, nil
	case intentConfused:
		return Reply{Text: "Sorry, I wasn't clear. Tell me what you're trying to do in your own words, for example " +
			"\"why was I rejected?\" or \"am I eligible?\", or send your numbers, like `instagram 4.2k followers 150 likes 12 comments`, " +
			"and I'll check them. Type `help` to see everything I can do."}, nil
	case intentAccepted:
		kb := b.knowledgeFor(ctx, t.call.User.TenantRef())
		var bs []Button
		for _, id := range []string{"storefront", "ftc-disclosure", "onsite-video"} {
			if e, ok := kb.Entry(id); ok {
				bs = append(bs, Button{ActionID: "ask:topic", Label: e.Title, Value: e.ID})
			}
		}
		return Reply{Title: "Congratulations! 🎉", Text: "Congratulations, that's a real milestone! Three first steps most creators take:\n" +
			"1. **Set up your storefront**: a photo, a short bio and two or three idea lists around your niche, so the link you share has something in it.\n" +
			"2. **Disclose**: put Amazon's sentence (\"As an Amazon Associate I earn from qualifying purchases.\") in your bio, and #ad or \"I earn a commission\" on each post with a link (`lint <caption>` checks one).\n" +
			"3. **Keep posting** what got you in, now with your storefront link; shoppable videos on your storefront can also earn onsite commissions.\n" +
			"Pick one below to read more.", Buttons: bs, Tone: ToneSuccess}, nil
	case intentDistress:
		return Reply{Text: "I'm sorry, that's really frustrating. A rejection isn't the end: many creators are accepted on a later try, once their numbers and content line up. " + b.nextStep(ctx, t, true)}, nil
	}
	return Reply{Text: b.nextStep(ctx, t, true)}, nil
}

// nextStep is one concrete thing to do next, from what the user has done
// so far. strong asks for it; otherwise it is offered lightly.
func (b *Bot) nextStep(ctx context.Context, t *turn, strong bool) string {
	u := t.call.User
	switch {
	case t.conv.LastCommand == "check":
		if c, ok, err := b.latestCheck(ctx, u); err == nil && ok && c.Verdict == eligibility.Ready {
			return "Next step: apply, and keep posting while you wait; type `plan` if you want weekly tasks to keep the account growing."
		}
		return "Next step: " + planOffer + " the gaps in your check into a few weekly tasks."
	case t.conv.LastCommand == "plan" || t.conv.LastCommand == "tasks" || t.conv.LastCommand == "done":
		return "Next step: do one task today and mark it with `done 1`; `tasks` shows your list and streaks."
	}
	if b.cfg.Plans != nil && strong {
		if tasks, err := b.cfg.Plans.Tasks(ctx, u); err == nil && hasActive(tasks) {
			return "Next step: pick one task from `tasks` to do today, and mark it with `done 1`."
		}
	}
	if !strong {
		return "Anything else? Ask me in your own words, or type `help` to see what I can do."
	}
	return "Here's one concrete next step: run a quick eligibility check so we know where you stand, with your platform and numbers, e.g. " +
		"`check instagram 4.2k followers 150 likes 12 comments 3 posts a week`. Then type `plan` and I'll turn the gaps into weekly tasks."
}

// priorYields is the confidence of a question alone above which the last
// topic is not used as a prior, unless the question is elliptical.
const priorYields = 0.6

// backReferences point at what was just said ("how do I raise it").
var backReferences = map[string]bool{"it": true, "that": true, "this": true, "them": true, "those": true, "these": true, "there": true, "they": true}

// fragmentWords are the words of a question that names nothing of its own
// ("how often?", "how long should I?", "why?").
var fragmentWords = map[string]bool{
	"how": true, "what": true, "whats": true, "why": true, "when": true, "where": true, "which": true, "who": true,
	"often": true, "long": true, "much": true, "many": true, "soon": true, "else": true, "more": true,
	"do": true, "does": true, "did": true, "i": true, "is": true, "are": true, "was": true, "should": true, "can": true,
	"could": true, "would": true, "will": true, "the": true, "a": true, "an": true, "to": true, "for": true, "about": true,
	"and": true, "so": true, "then": true, "too": true, "also": true, "again": true, "ok": true, "okay": true,
}

// continuations open or close a question that goes on from the last
// answer ("on stories too?", "and for youtube?", "what about reels
// instead").
var continuations = map[string]bool{"and": true, "on": true, "in": true, "for": true, "with": true, "also": true, "too": true, "instead": true, "same": true}

// elliptical reports whether a short question leans on what came before:
// it points back ("how do I raise it"), goes on from it ("on stories
// too?") or names nothing of its own ("how often?").
func elliptical(msg *reading) bool {
	if n := len(msg.all); n > 0 && (continuations[msg.all[0]] || continuations[msg.all[n-1]]) {
		return true
	}
	named := false
	for _, w := range msg.all {
		if backReferences[w] {
			return true
		}
		if !fragmentWords[w] {
			named = true
		}
	}
	return !named
}

// mentionedIn reports whether a passage of e's answer has one of the
// question's own words (Index.Passage; it stems every passage, so it is
// asked only of the rare off-topic follow-up).
func mentionedIn(ix *knowledge.Index, e knowledge.Entry, question string) bool {
	_, _, ok := ix.Passage(e, question)
	return ok
}

// answerWithPrior asks the FAQ, reading a short question after an answer
// in the light of that answer's topic ("how long?" after reapply tips, "and
// on kitchen stuff?" after commission rates). The question alone wins when
// it names something of its own and the FAQ is fairly sure of it alone
// (confidence priorYields or more); otherwise a
// reading with the topic as a prior (the question with the topic's first
// tag, or the topic's title with the follow-up's words) wins when it lands
// on that topic or one of its related entries, or when the question alone
// found nothing; never a reading less sure than the question alone.
//
// msg is text read (normalised and split into words).
func (b *Bot) answerWithPrior(ctx context.Context, t *turn, text string, msg *reading) (Reply, error) {
	if last := t.conv.LastTopic; last != "" && len(msg.all) <= 5 {
		kb := b.knowledgeFor(ctx, t.call.User.TenantRef())
		fragment := text
		if m := b.lex.followUp.submatchRead(msg); m != nil {
			fragment = m[1]
			if r, ok := b.platformFollowUp(kb, t, last, fragment); ok {
				return r, nil
			}
		}
		if e, ok := kb.Entry(last); ok {
			ix := kb.Index
			alone := ix.Search(text)
			// A question that is clearly about something on its own ("how
			// do I get paid" after the disclosure answer) is not read in
			// the light of the last topic; a fragment ("how long?") is.
			// Nor is one the FAQ finds plainly off-topic on its own ("where
			// is my package"), unless it is a fragment that leans on the
			// answer before.
			ell := elliptical(msg)
			if alone.OffTopic && !ell && !mentionedIn(ix, e, text) {
				// Unless the last answer speaks of its words ("can i use
				// my bank" after the payouts answer).
				return b.answerRead(ctx, t.call, text, msg)
			}
			if !alone.Answered || alone.Confidence < priorYields || ell {
				readings := []string{e.Title + " " + fragment}
				if len(e.Tags) > 0 {
					readings = append([]string{text + " " + e.Tags[0]}, readings...)
				}
				for _, q := range readings {
					m := ix.Search(q)
					if alone.Answered && m.Confidence < alone.Confidence && m.Entry != nil && m.Entry.ID != alone.Entry.ID {
						continue // the reading with the prior is less sure than the question alone
					}
					if m.Answered && (!alone.Answered || m.Entry.ID == last || m.Entry.ID == alone.Entry.ID || slices.Contains(e.Related, m.Entry.ID)) {
						ev := t.call.Event
						ev.Topic, ev.Confidence = m.Entry.ID, round3(m.Confidence)
						return b.entryReply(kb, *m.Entry), nil
					}
				}
			}
		}
	}
	return b.answerRead(ctx, t.call, text, msg)
}

// platformFollowUp answers "and on tiktok?" (fragment "tiktok") after an
// answer: the same question for that platform. After an answer about one
// platform ("How do I grow on Instagram?") it is the entry that asks it
// of the other one, when the knowledge has such an entry; after an answer
// that names no platform ("How many followers do I need?") it is that
// answer again, said to cover the platform, unless a related entry is
// about the platform itself. ok is false when the fragment is more than one
// platform's name or nothing fits, and the FAQ is then asked as usual.
func (b *Bot) platformFollowUp(kb *knowledge.Base, t *turn, last, fragment string) (Reply, bool) {
	fragment = strings.TrimSpace(fragment)
	if first, rest := splitFirstWord(fragment); continuations[first] {
		fragment = rest // "what about for youtube", "what about on tiktok"
	}
	p, ok := eligibility.LookupPlatform(fragment)
	if !ok {
		return Reply{}, false
	}
	e, ok := kb.Entry(last)
	if !ok {
		return Reply{}, false
	}
	named := titlePlatforms(e.Title)
	if slices.Contains(named, p.ID) {
		return Reply{}, false // asked again about the same platform
	}
	answer := func(to knowledge.Entry, confidence float64, lead string) (Reply, bool) {
		ev := t.call.Event
		ev.Topic, ev.Confidence = to.ID, round3(confidence)
		r := b.entryReply(kb, to)
		if lead != "" {
			r.Text = lead + "\n\n" + r.Text
		}
		return r, true
	}
	if len(named) > 0 {
		// The same question of another platform: its entry names it.
		q := replacePlatformWords(e.Title, p.Name)
		if r := kb.Index.Search(q); r.Answered && r.Entry.ID != e.ID && slices.Contains(titlePlatforms(r.Entry.Title), p.ID) {
			return answer(*r.Entry, r.Confidence, "")
		}
		return Reply{}, false
	}
	if r := kb.Index.Search(e.Title + " on " + p.Name); r.Answered && r.Entry.ID != e.ID &&
		slices.Contains(titlePlatforms(r.Entry.Title), p.ID) &&
		(slices.Contains(e.Related, r.Entry.ID) || slices.Contains(r.Entry.Related, e.ID)) {
		return answer(*r.Entry, r.Confidence, "")
	}
	return answer(e, 1, "That covers "+p.Name+" too.")
}

// titlePlatforms lists the ids of the platforms a title names, by any of
// their names ("How do I grow on Facebook and X (Twitter)?": facebook and
// x), in the order the title names them.
func titlePlatforms(title string) []string {
	var ids []string
	for _, w := range strings.FieldsFunc(strings.ToLower(title), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		if p, ok := eligibility.LookupPlatform(w); ok && !slices.Contains(ids, p.ID) {
			ids = append(ids, p.ID)
		}
	}
	return ids
}

// replacePlatformWords puts name in place of the platform names in title.
func replacePlatformWords(title, name string) string {
	words := strings.Fields(title)
	for i, w := range words {
		core := strings.Trim(w, "?.,:;!()")
		if _, ok := eligibility.LookupPlatform(core); ok {
			words[i] = strings.Replace(w, core, name, 1)
		}
	}
	return strings.Join(words, " ")
}

// questionActions are the buttons that make a reply a question the bot
// waits on, with the words a number answer adds ("plan accept 1 3").
var questionActions = map[string]string{
	"forget:confirm": "",
	"plan:clear":     "",
	"plan:accept":    "accept",
	"remind:set":     "",
}

// offers are replies that end by suggesting the next command without
// buttons ("Type `plan` to turn these steps into weekly tasks"): after the
// command, when the reply mentions the suggestion, "yes" runs it.
var offers = []struct {
	command, mentions string
	choice            Button
}{
	{"check", "`plan`", Button{ActionID: "plan:show", Label: "Make me a plan"}},
	{"chat", planOffer, Button{ActionID: "plan:show", Label: "Make me a plan"}},
}

// planOffer is how small talk offers a plan after a check.
const planOffer = "type `plan` and I'll turn"

// pendingFrom is the question a reply asks, nil when it asks none: a
// reply offering a question's buttons, suggestions when the FAQ was not
// sure, an offer of the next command, or (numbers only) an answer's
// related topics.
func pendingFrom(r Reply, ev *Event) *Pending {
	if q := r.Question; q != nil && ev.ErrorCode == "" {
		name, _, _ := strings.Cut(q.Yes.ID, ":")
		choices := []Button{{ActionID: q.Yes.ID, Value: q.Yes.Value, Label: "Yes"}}
		if q.No != nil {
			choices = append(choices, Button{ActionID: q.No.ID, Value: q.No.Value, Label: "No"})
		}
		return &Pending{Command: name, Choices: choices, YesNo: true}
	}
	for _, btn := range r.Buttons {
		if args, ok := questionActions[btn.ActionID]; ok {
			name, _, _ := strings.Cut(btn.ActionID, ":")
			return &Pending{Command: name, Choices: r.Buttons, NumberArgs: args}
		}
	}
	if len(r.Buttons) > 0 && ev.Kind == EventQuestion {
		return &Pending{Command: "ask", Choices: r.Buttons, NumbersOnly: ev.Topic != ""}
	}
	if ev.ErrorCode != "" {
		return nil
	}
	for _, o := range offers {
		if ev.Command == o.command && strings.Contains(r.Text, o.mentions) {
			name, _, _ := strings.Cut(o.choice.ActionID, ":")
			return &Pending{Command: name, Choices: []Button{o.choice}}
		}
	}
	return nil
}

// remember updates the user's context after a turn and stores it.
func (b *Bot) remember(ctx context.Context, conv Conversation, t *turn, reply Reply) {
	ev := t.call.Event
	if ev.Discard {
		// forget me: the store erased the context with everything else.
		if m, ok := b.cfg.Context.(*MemoryContext); ok {
			m.ForgetContext(conv.User)
		}
		return
	}
	if t.keep {
		return
	}
	if t.reset {
		conv = Conversation{User: conv.User, Updated: b.now()}
		b.saveContext(ctx, conv)
		return
	}
	conv.Pending = pendingFrom(reply, ev)
	if ev.Topic != "" {
		conv.LastTopic = ev.Topic
	}
	if ev.Command == "ask" && ev.Topic != "" {
		// A follow-up now refers to this answer, not an older command.
		conv.LastCommand, conv.LastArgs = "", ""
	}
	if ev.ErrorCode == "" {
		if _, followable := argSlots[ev.Command]; followable && t.args != "" {
			conv.LastCommand, conv.LastArgs = ev.Command, t.args
		} else if ev.Command != "" && ev.Command != "chat" && ev.Command != "ask" && ev.Command != "help" {
			conv.LastCommand, conv.LastArgs = ev.Command, t.args
		}
	}
	if t.checkSeed != "" {
		conv.LastCommand, conv.LastArgs = checkOffered, t.checkSeed
	}
	if t.commissionSeed != "" {
		conv.LastCommand, conv.LastArgs = "commission", t.commissionSeed
	}
	if t.task != "" {
		conv.LastTask = t.task
	}
	conv.Updated = b.now()
	b.saveContext(ctx, conv)
}

// minBareTypo is the shortest mistyped word taken for a command when it
// is the whole message ("histroy"): a short one alone is too
// often a word of its own ("cheek", "masks").
const minBareTypo = 6

// typoCommands are the commands a mistyped first word may name. Short
// names (plan, done, stop, lint, skip) are left out, as "step", "link" and
// "play" are words of their own; so are commands that erase, export or
// need an admin ("forgot my password", "expert tips", "admit it").
var typoCommands = []string{"check", "commission", "remind", "snooze", "tasks", "history"}

// commandByTypo finds the command a mistyped first word names: one edit
// from one of typoCommands ("chek", "remnd", "histroy"), and from no
// other.
func (b *Bot) commandByTypo(word string) (*Command, bool) {
	if len(word) < 4 {
		return nil, false
	}
	found := ""
	for _, name := range typoCommands {
		if name == word || !editDistance1(word, name) {
			continue
		}
		if found != "" {
			return nil, false
		}
		found = name
	}
	c, ok := b.byName[found]
	return c, ok
}

// weekdayOf is the weekday an "every friday at 6pm" schedule names, or
// def.
func weekdayOf(schedule, def string) string {
	for _, w := range strings.Fields(schedule) {
		if _, ok := weekdays[w[:min(3, len(w))]]; ok && len(w) >= 3 {
			return w
		}
	}
	return def
}

// acceptedNews tells of an acceptance into the program: "my account got
// approved", "i was finally accepted", "she got in".
var acceptedNews = mustPattern(`^(?:(?:omg|yay|yess*|guess what|finally|so|ok|wow|hey|hi)\s+)*(?:i|we|my (?:account|application|tiktok|instagram|insta|ig|youtube|channel|page)|ive|im)\s+(?:(?:just|finally|officially)\s+)?(?:got|been|was|am|is|have been|has been)\s+(?:(?:just|finally|officially)\s+)?(?:approved|accepted|in)(?:\s+(?:into|to|for|in)\s+(?:the\s+)?(?:amazon\s+)?(?:influencer\s+)?(?:program|it))?(?:\s+(?:finally|today|yay|omg|nice|woo+|lets go))*$`)

// checkLead asks for a check in words before its numbers: "ok lets do a
// check:", "can you run a quick check -", "pls check my numbers:".
var checkLead = mustPattern(`(?i)^\s*(?:(?:ok|okay|so|alright|hey)[,!.]?\s+)?(?:(?:lets|let's|let us|can you|could you|pls|please)\s+)?(?:(?:do|run)\s+(?:a|an|my|the)\s+(?:quick\s+)?(?:eligibility\s+)?check|check\s+(?:my|these)\s+numbers)\s*(?:[:\-–—]\s*|\s+(?:for|on)\s+)`)

// acceptedAsk is acceptance news followed by a question about what to do
// first: "ok im approved now!! first thing i should do?".
var acceptedAsk = mustPattern(`^(?:(?:ok|omg|yay|so|finally|guess what)\s+)*(?:i|we|ive|im)\s+(?:(?:just|finally|officially)\s+)?(?:got\s+|been\s+|was\s+|am\s+)?(?:approved|accepted)(?:\s+now)?(?:\s+(?:nice|yay|omg|finally))*\s+(?:so\s+|and\s+|now\s+)*(?:whats the |what is the |what the |the )?(?:first thing|what now|now what|what next|whats next|what do i do|what should i do|where do i start|first steps?)\b`)

// acceptanceNews reports whether msg tells of an acceptance (acceptedNews),
// or tells of one and asks what to do first (acceptedAsk). Most messages
// name neither word and are not read further.
func acceptanceNews(text string, msg *reading) bool {
	if !strings.Contains(msg.norm, "approved") && !strings.Contains(msg.norm, "accepted") && !strings.Contains(msg.norm, " in") || mentionsRejection(msg) {
		return false
	}
	words := strings.Join(msg.all, " ")
	return acceptedNews.MatchString(words) && !looksLikeQuestion(text) || acceptedAsk.MatchString(words)
}

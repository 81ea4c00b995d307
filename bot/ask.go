package bot

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/influbot/influbot/knowledge"
)

// Answer is the FAQ's response to a question, as the CLI's --json prints it.
type Answer struct {
	Topic       string       `json:"topic"` // entry id, "" when not confident
	Title       string       `json:"-"`
	Confidence  float64      `json:"confidence"`
	Text        string       `json:"answer"`
	Suggestions []Suggestion `json:"suggestions"`
	OffTopic    bool         `json:"-"`
	Related     []Suggestion `json:"-"`
	Source      string       `json:"-"`
}

// Suggestion names an FAQ entry.
type Suggestion struct {
	Topic string `json:"topic"`
	Title string `json:"title"`
}

// offTopicText declines a question outside the program; a question about
// shopping on Amazon (shopper) is pointed at Amazon's customer service.
func offTopicText(shopper bool) string {
	text := "That's outside what I can help with: I only know about the Amazon Influencer Program " +
		"(applying, rejections, engagement, storefronts, commissions, disclosure). "
	if shopper {
		text += "For orders, returns or your Amazon account, Amazon's customer service is the right place. "
	}
	return text + "Type `help` to see what I can do."
}

// shopperWords mark a question about shopping on Amazon, not about the
// program: its orders, deliveries, returns, Prime, devices and account.
var shopperWords = wordSet(
	"order", "orders", "ordered", "package", "parcel", "delivery", "delivered", "deliver", "shipping", "shipped",
	"shipment", "tracking", "refund", "refunds", "return", "returns", "returned", "prime", "kindle", "alexa", "echo",
	"password", "login", "hacked", "locked", "charged", "charge", "subscription", "cart", "checkout", "item", "seller",
	"sellers", "warranty", "replacement",
)

// shopperQuestion reports whether msg reads as a shopper's question.
func shopperQuestion(msg *reading) bool {
	for _, w := range msg.all {
		if shopperWords[w] {
			return true
		}
	}
	return false
}

// Ask answers a question from the FAQ. It records the question as
// unanswered when it could not help, under user.
//
// A courtesy ("thank you so much", "exit", "ok") is no question for the
// FAQ: it gets the conversation's answer, with no topic, and is not kept
// as unanswered. Other small talk ("who are you", "I give up") has FAQ
// entries (bot-help, staying-motivated) and goes to them.
func (b *Bot) Ask(ctx context.Context, user UserRef, question string) Answer {
	return b.ask(ctx, user, question, nil)
}

// ask is Ask of a question already read by the conversation layer (msg, nil
// when it was not).
func (b *Bot) ask(ctx context.Context, user UserRef, question string, msg *reading) Answer {
	if msg == nil {
		msg = b.lex.read(normalize(question))
	}
	if intent := b.lex.phraseOf(msg); slices.Contains(courtesyOrder, intent) {
		t := &turn{call: &Call{Request: Request{User: user}, Event: &Event{}}, conv: &Conversation{User: user}}
		r, err := b.smallTalkReply(ctx, t, intent)
		if err == nil {
			return Answer{Text: r.Text, Suggestions: []Suggestion{}}
		}
	}
	kb := b.knowledgeFor(ctx, user.TenantRef())
	var m knowledge.Match
	if e, ok := b.exactEntry(kb, question); ok {
		m = knowledge.Match{Entry: &e, Confidence: 1, Answered: true}
	} else {
		m = kb.Index.Search(question)
	}
	a := Answer{Confidence: round3(m.Confidence), OffTopic: m.OffTopic, Suggestions: []Suggestion{}}
	switch {
	case m.Answered:
		a.Topic, a.Title, a.Text, a.Source = m.Entry.ID, m.Entry.Title, b.answerText(kb, *m.Entry), m.Entry.Source
		for _, id := range m.Entry.Related {
			if e, ok := kb.Entry(id); ok {
				a.Related = append(a.Related, Suggestion{Topic: e.ID, Title: e.Title})
			}
		}
	case m.OffTopic || len(m.Suggestions) == 0:
		a.OffTopic = true
		a.Text = offTopicText(shopperQuestion(msg))
	default:
		var sb strings.Builder
		sb.WriteString("I'm not sure I understood that, and I'd rather not guess. Did you mean one of these?\n")
		for _, e := range m.Suggestions {
			a.Suggestions = append(a.Suggestions, Suggestion{Topic: e.ID, Title: e.Title})
			fmt.Fprintf(&sb, "- **%s** (`ask %s`)\n", e.Title, e.ID)
		}
		sb.WriteString("\nOr rephrase the question; type `help` to see everything I can do.")
		a.Text = sb.String()
	}
	if a.Topic == "" {
		q := UnansweredQuestion{User: user, Time: b.now(), Text: capText(strings.TrimSpace(question), MaxStoredText), Confidence: a.Confidence, OffTopic: a.OffTopic}
		for _, s := range a.Suggestions {
			q.Suggestions = append(q.Suggestions, s.Topic)
		}
		if err := b.cfg.Unanswered.LogUnanswered(ctx, q); err != nil {
			b.log.ErrorContext(ctx, "log unanswered question", "user", user.String(), "err", err)
		}
	}
	return a
}

func (b *Bot) answer(ctx context.Context, call *Call, question string) (Reply, error) {
	return b.answerRead(ctx, call, question, nil)
}

// answerRead is answer of a question already read by the conversation
// layer (msg, nil when it was not).
func (b *Bot) answerRead(ctx context.Context, call *Call, question string, msg *reading) (Reply, error) {
	if isGreeting(question) {
		return b.welcome(call.Request), nil
	}
	// "ask reapply-tips" (a suggestion's hint) opens that entry directly.
	kb := b.knowledgeFor(ctx, call.User.TenantRef())
	if e, ok := kb.Entry(strings.ToLower(strings.TrimSpace(question))); ok {
		call.Event.Topic, call.Event.Confidence = e.ID, 1
		return b.entryReply(kb, e), nil
	}
	a := b.ask(ctx, call.User, question, msg)
	call.Event.Topic, call.Event.Confidence, call.Event.Answered = a.Topic, a.Confidence, a.Topic != ""
	if a.Topic == "" {
		r := Reply{Text: a.Text, Tone: ToneWarning}
		for _, s := range a.Suggestions {
			r.Buttons = append(r.Buttons, Button{ActionID: "ask:topic", Label: s.Title, Value: s.Topic})
		}
		return r, nil
	}
	e, _ := kb.Entry(a.Topic)
	r := b.entryReply(kb, e)
	if other, ok := secondQuestion(kb, question, a.Topic); ok {
		// "how many followers do i need and how long does review take":
		// this answer, and the other question one tap away.
		r.Text = fmt.Sprintf("_You asked two things: this answers “%s”. For “%s”, pick 1 below._\n\n", e.Title, other.Title) + r.Text
		r.Buttons = append([]Button{{ActionID: "ask:topic", Label: other.Title, Value: other.ID}}, slices.DeleteFunc(r.Buttons, func(b Button) bool { return b.Value == other.ID })...)
		r.Buttons = r.Buttons[:min(len(r.Buttons), 4)]
		call.Event.OneOffReply = true
	}
	return r, nil
}

// questionStarts are the words a second question in one message starts
// with ("... and how long does review take").
var questionStarts = wordSet("how", "what", "whats", "when", "why", "where", "which", "who", "do", "does", "did", "is", "are",
	"can", "could", "should", "will", "would", "am")

// secondQuestion finds, in a message that asks two things joined by "and"
// or in two sentences, the entry of the one the answer (topic) is not
// about; ok is false when the message asks one thing, or the FAQ is not
// sure of both.
func secondQuestion(kb *knowledge.Base, text, topic string) (knowledge.Entry, bool) {
	lower := strings.ToLower(text)
	for _, sep := range []string{"? ", " and ", ". ", ", also ", " also "} {
		i := strings.Index(lower, sep)
		if i < 0 {
			continue
		}
		first, second := strings.TrimSpace(lower[:i]), strings.TrimSpace(strings.TrimLeft(lower[i+len(sep):], " ,"))
		w, _ := splitFirstWord(strings.TrimPrefix(second, "also "))
		if len(strings.Fields(first)) < 3 || len(strings.Fields(second)) < 3 || !questionStarts[strings.Trim(w, "?,.!")] {
			continue
		}
		a, b := kb.Index.Search(first), kb.Index.Search(second)
		if !a.Answered || !b.Answered || a.Entry.ID == b.Entry.ID || a.Confidence < 0.6 || b.Confidence < 0.6 {
			continue
		}
		switch topic {
		case a.Entry.ID:
			return *b.Entry, true
		case b.Entry.ID:
			return *a.Entry, true
		}
	}
	return knowledge.Entry{}, false
}

// entryReply shows entry e of knowledge kb (the workspace's).
func (b *Bot) entryReply(kb *knowledge.Base, e knowledge.Entry) Reply {
	r := Reply{Title: e.Title, Buttons: relatedButtons(kb, e)}
	if e.Source != "" {
		r.Fields = append(r.Fields, Field{Name: "Source", Value: e.Source})
	}
	if t, ok := b.shown[e.ID]; ok && b.answerSrc[e.ID] == e.Answer && kb == b.cfg.Knowledge {
		r.Text = t
	} else {
		r.Text = dropShownRelated(b.answerText(kb, e), r.Buttons)
	}
	return r
}

// isShownAnswer reports whether text is the shipped knowledge's answer of
// entry id word for word, as entryReply shows it or as answerText renders
// it (Event.KnowledgeReply): a workspace's own answers, and any reply a
// request's words shaped or added to, are not.
func (b *Bot) isShownAnswer(id, text string) bool {
	if id == "" {
		return false
	}
	if t, ok := b.shown[id]; ok && t == text {
		return true
	}
	t, ok := b.answers[id]
	return ok && t == text
}

// relatedButtons are an answer's related entries, as buttons (at most 4).
func relatedButtons(kb *knowledge.Base, e knowledge.Entry) []Button {
	var bs []Button
	for _, id := range e.Related {
		if rel, ok := kb.Entry(id); ok && len(bs) < 4 {
			bs = append(bs, Button{ActionID: "ask:topic", Label: rel.Title, Value: rel.ID})
		}
	}
	return bs
}

// dropShownRelated removes a "Related:" line whose every title is already
// one of the buttons, so a reply does not say the same thing twice.
func dropShownRelated(text string, buttons []Button) string {
	if len(buttons) == 0 || !strings.Contains(text, "Related: ") {
		return strings.TrimSpace(text) // no line to drop
	}
	labels := map[string]bool{}
	for _, btn := range buttons {
		labels[btn.Label] = true
	}
	lines := strings.Split(text, "\n")
	for i, line := range lines {
		rest, ok := strings.CutPrefix(line, "Related: ")
		if !ok || len(labels) == 0 {
			continue
		}
		all := true
		for _, t := range strings.Split(rest, " · ") {
			all = all && labels[strings.Trim(t, "_")]
		}
		if all {
			lines[i] = ""
		}
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}

// answerText is an entry's answer as users see it: a "Related: id, id"
// line, which names entries by their internal ids, shows their titles
// instead (the reply's buttons open them); ids that name no entry are left
// out. The shipped answers are rendered once, when the bot is built; a
// workspace's own (kb's) as they are shown.
func (b *Bot) answerText(kb *knowledge.Base, e knowledge.Entry) string {
	if t, ok := b.answers[e.ID]; ok && b.answerSrc[e.ID] == e.Answer && kb == b.cfg.Knowledge {
		return t
	}
	return renderAnswer(kb, e.Answer)
}

func renderAnswer(kb *knowledge.Base, answer string) string {
	lines := strings.Split(answer, "\n")
	for i, line := range lines {
		rest, ok := strings.CutPrefix(strings.TrimSpace(line), "Related:")
		if !ok {
			continue
		}
		var titles []string
		isIDs := true
		for _, id := range strings.Split(rest, ",") {
			id = strings.TrimSpace(id)
			if !isEntryID(id) {
				isIDs = false
				break
			}
			if rel, ok := kb.Entry(id); ok {
				titles = append(titles, "_"+rel.Title+"_")
			}
		}
		switch {
		case !isIDs:
			continue // already words, not ids
		case len(titles) == 0:
			lines[i] = ""
		default:
			lines[i] = "Related: " + strings.Join(titles, " · ")
		}
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}

// isEntryID reports whether s looks like an entry id: lower-case letters,
// digits and dashes.
func isEntryID(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

func (b *Bot) askCommand() *Command {
	return &Command{
		Name:     "ask",
		Aliases:  []string{"faq", "q"},
		Summary:  "Ask anything about the Amazon Influencer Program.",
		Usage:    "ask <question>",
		Examples: []string{"ask why was I rejected?", "ask how many followers do I need", "ask reapply-tips"},
		Options:  []Option{{Name: "question", Description: "Your question, in your own words", Required: true, Rest: true}},
		Run: func(ctx context.Context, c *Call) (Reply, error) {
			c.Event.Kind, c.Event.Command = EventQuestion, "ask"
			if c.Action != nil {
				kb := b.knowledgeFor(ctx, c.User.TenantRef())
				e, ok := kb.Entry(c.Action.Value)
				if !ok {
					return Reply{}, Errorf(ENOTFOUND, "That topic no longer exists. Ask me in your own words instead.")
				}
				c.Event.Topic, c.Event.Confidence = e.ID, 1
				return b.entryReply(kb, e), nil
			}
			q := strings.TrimSpace(c.Value("question"))
			if q == "" {
				return Reply{Text: "Ask me a question after `ask`, for example: `ask how long should I wait before reapplying?`", Ephemeral: true}, nil
			}
			return b.answer(ctx, c, q)
		},
	}
}

func isGreeting(s string) bool {
	// Trimming first is the same (lower-casing neither makes nor
	// unmakes those characters), and lower-casing shrinks a text to a
	// third at most: a longer one is no greeting, and is not copied.
	s = strings.Trim(strings.TrimSpace(s), "!.? ")
	if len(s) > 3*len("good morning") {
		return false
	}
	switch strings.ToLower(s) {
	case "hi", "hello", "hey", "hiya", "yo", "good morning", "good evening", "hi there", "hello there", "hey there", "start", "sup":
		return true
	}
	return false
}

func (b *Bot) welcome(req Request) Reply {
	name := req.UserName
	if name == "" {
		name = "there"
	}
	return Reply{
		Title: "Hi " + name + ", I'm influbot",
		Text: "I help creators get into the Amazon Influencer Program, especially after a rejection. " +
			"Ask me anything in your own words (\"why was I rejected?\"), or run a quick eligibility check:\n" +
			"`check instagram 4.2k followers 150 likes 12 comments 3 posts a week niche home decor`\n\n" +
			"Type `help` to see everything I can do.",
	}
}

// MemoryUnansweredSize is how many questions MemoryUnanswered keeps.
const MemoryUnansweredSize = 1000

// MemoryUnanswered keeps the most recent unanswered questions in memory. It
// is the default when no database is configured.
type MemoryUnanswered struct {
	mu   sync.Mutex
	size int
	qs   []UnansweredQuestion
}

// NewMemoryUnanswered keeps up to size questions.
func NewMemoryUnanswered(size int) *MemoryUnanswered { return &MemoryUnanswered{size: size} }

// LogUnanswered implements UnansweredLog.
func (m *MemoryUnanswered) LogUnanswered(_ context.Context, q UnansweredQuestion) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.qs) == m.size && m.size > 0 {
		copy(m.qs, m.qs[1:])
		m.qs = m.qs[:len(m.qs)-1]
	}
	m.qs = append(m.qs, q)
	return nil
}

// Questions returns the kept questions, oldest first.
func (m *MemoryUnanswered) Questions() []UnansweredQuestion {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]UnansweredQuestion(nil), m.qs...)
}

func round3(f float64) float64 {
	return float64(int64(f*1000+0.5)) / 1000
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

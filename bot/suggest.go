package bot

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"unicode"

	"github.com/influbot/influbot/bot/eligibility"
	"github.com/influbot/influbot/bot/schedule"
	"github.com/influbot/influbot/knowledge"
)

// MaxSuggestions is how many choices Suggest returns at most (Discord
// shows 25).
const MaxSuggestions = 25

// maxSuggestionLen bounds a choice's label and value (Discord's limit is
// 100 characters for both).
const maxSuggestionLen = 100

// SuggestRequest is an option being typed: an autocomplete asks what the
// user may mean before they send the command.
type SuggestRequest struct {
	User    UserRef
	Command string            // the core command ("ask")
	Option  string            // the option being typed ("question")
	Typed   string            // what is typed so far
	Options map[string]string // the other options already given
}

// suggestKey names an option that has suggestions.
type suggestKey struct{ command, option string }

// suggesters are the options Suggest completes, and how. Every entry is
// answered from memory (the knowledge, the zone list) except the task
// names, which are one read of the user's plan.
var suggesters = map[suggestKey]func(b *Bot, ctx context.Context, r SuggestRequest) []Choice{
	{"ask", "question"}:        (*Bot).suggestFAQ,
	{"done", "task"}:           (*Bot).suggestTasks,
	{"skip", "task"}:           (*Bot).suggestTasks,
	{"snooze", "task"}:         (*Bot).suggestTasks,
	{"commission", "category"}: (*Bot).suggestCategories,
	{"remind", "when"}:         (*Bot).suggestZones,
}

// Suggests reports whether Suggest completes command's option: adapters
// mark those options for autocomplete when they register commands.
func (b *Bot) Suggests(command, option string) bool {
	_, ok := suggesters[suggestKey{command, option}]
	return ok
}

// Suggest returns up to MaxSuggestions choices for an option being typed:
// FAQ titles for ask's question (by prefix, by words in any order, with
// typos), the user's active tasks for done, skip and snooze, commission
// categories, and time zones for remind. A choice's Value is what the
// command then receives (an FAQ entry's id, a task's id, the completed
// text); its Label is what the user reads. Nothing is recorded.
func (b *Bot) Suggest(ctx context.Context, r SuggestRequest) []Choice {
	f, ok := suggesters[suggestKey{r.Command, r.Option}]
	if !ok {
		return nil
	}
	out := f(b, ctx, r)
	if len(out) > MaxSuggestions {
		out = out[:MaxSuggestions]
	}
	for i := range out {
		out[i].Label = clipRunes(out[i].Label, maxSuggestionLen-1)
		out[i].Value = clipRunes(out[i].Value, maxSuggestionLen-1)
	}
	return out
}

// suggestFAQ matches the typed words against FAQ titles; past a few
// letters the FAQ's own search adds the entries it would answer with.
func (b *Bot) suggestFAQ(_ context.Context, r SuggestRequest) []Choice {
	kb := b.cfg.Knowledge
	var cands []candidate
	seen := map[string]bool{}
	m := newMatcher(r.Typed)
	for i, e := range kb.FAQ {
		if s := m.score(e.Title); s > 0 {
			cands = append(cands, candidate{Choice{Label: e.Title, Value: e.ID}, s, i})
			seen[e.ID] = true
		}
	}
	if len(strings.TrimSpace(r.Typed)) >= 4 && len(cands) < MaxSuggestions {
		found := kb.Index.Search(r.Typed)
		extra := found.Suggestions
		if found.Entry != nil && !found.OffTopic {
			extra = append([]*knowledge.Entry{found.Entry}, extra...)
		}
		for k, e := range extra {
			if e != nil && !seen[e.ID] {
				seen[e.ID] = true
				cands = append(cands, candidate{Choice{Label: e.Title, Value: e.ID}, 50 - k, len(kb.FAQ) + k})
			}
		}
	}
	return best(cands)
}

// suggestTasks lists the user's active tasks whose title or id matches,
// numbered as `tasks` numbers them.
func (b *Bot) suggestTasks(ctx context.Context, r SuggestRequest) []Choice {
	if b.cfg.Plans == nil || !r.User.Valid() {
		return nil
	}
	tasks, err := b.cfg.Plans.Tasks(ctx, r.User)
	if err != nil {
		b.log.WarnContext(ctx, "suggest tasks: read the plan", "user", r.User.String(), "err", err)
		return nil
	}
	var cands []candidate
	m := newMatcher(r.Typed)
	for i, ts := range tasks {
		if ts.Status != TaskActive {
			continue
		}
		title := ts.TaskID
		if t, ok := b.cfg.Knowledge.Task(ts.TaskID); ok {
			title = t.Title
		}
		s := max(m.score(title), m.score(ts.TaskID))
		if n := fmt.Sprint(i + 1); strings.TrimSpace(r.Typed) == n {
			s = 200
		}
		if s > 0 {
			cands = append(cands, candidate{Choice{Label: fmt.Sprintf("%d. %s", i+1, title), Value: ts.TaskID}, s, i})
		}
	}
	return best(cands)
}

// suggestCategories lists the commission table's categories with their
// rates.
func (b *Bot) suggestCategories(_ context.Context, r SuggestRequest) []Choice {
	rules := b.cfg.Knowledge.Rules
	if rules == nil {
		return nil
	}
	var cands []candidate
	m := newMatcher(r.Typed)
	for i, c := range rules.Commission {
		s := m.score(c.Category)
		for _, a := range c.Aliases {
			s = max(s, m.score(a)-1)
		}
		if s > 0 {
			label := fmt.Sprintf("%s (%s%%)", c.Category, trimFloat(c.Rate))
			cands = append(cands, candidate{Choice{Label: label, Value: c.Category}, s, i})
		}
	}
	return best(cands)
}

// suggestZones completes the time zone at the end of a reminder rule:
// "daily at 9:00 eur" offers "daily at 9:00 Europe/Berlin" and the other
// zones that match, and the abbreviations LoadZone understands ("pst").
func (b *Bot) suggestZones(_ context.Context, r SuggestRequest) []Choice {
	typed := strings.TrimSpace(r.Typed)
	head, last := "", typed
	if i := strings.LastIndexFunc(typed, unicode.IsSpace); i >= 0 {
		head, last = typed[:i+1], typed[i+1:]
	}
	if last == "" || strings.ContainsAny(last, "0123456789:") {
		// Nothing of a zone typed yet: offer the common ones after the rule.
		if typed != "" {
			head = typed + " "
		}
		last = ""
	}
	var cands []candidate
	if last == "" {
		for i, z := range commonZones {
			cands = append(cands, candidate{Choice{Label: head + z, Value: head + z}, 1, i})
		}
		return best(cands)
	}
	low := strings.ToLower(last)
	abbrevs := schedule.ZoneAbbreviations()
	if z, ok := abbrevs[low]; ok {
		label := head + strings.ToUpper(last)
		cands = append(cands, candidate{Choice{Label: label + " (" + z + ")", Value: label}, 300, 0})
	}
	m := newMatcher(last)
	for i, z := range schedule.ZoneNames() {
		s := m.score(z)
		if s > 0 {
			cands = append(cands, candidate{Choice{Label: head + z, Value: head + z}, s, i + 1})
		}
	}
	return best(cands)
}

// commonZones are offered before anything of a zone is typed.
var commonZones = [...]string{
	"America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "Europe/London",
	"Europe/Berlin", "Europe/Paris", "Asia/Kolkata", "Asia/Tokyo", "Australia/Sydney", "UTC",
}

// candidate is a choice with its score and its place in the source list
// (ties keep that order).
type candidate struct {
	Choice
	score, order int
}

// best sorts candidates by score, best first, and keeps MaxSuggestions.
func best(cands []candidate) []Choice {
	sort.SliceStable(cands, func(i, j int) bool {
		if cands[i].score != cands[j].score {
			return cands[i].score > cands[j].score
		}
		return cands[i].order < cands[j].order
	})
	var out []Choice
	for _, c := range cands {
		if len(out) == MaxSuggestions {
			break
		}
		out = append(out, c.Choice)
	}
	return out
}

// matcher scores names against what was typed, split into words once.
type matcher struct {
	words  []string
	joined string
}

func newMatcher(typed string) matcher {
	w := suggestWords(typed)
	return matcher{words: w, joined: strings.Join(w, " ")}
}

// matchScore says how well typed matches name (see matcher.score).
func matchScore(typed, name string) int { return newMatcher(typed).score(name) }

// score says how well the typed words match name: 0 not at all; more for
// a prefix of the whole name (100), then every typed word starting a word
// of name (80), then the same with a typo or two (60 less one per typo),
// then most of the typed words (20). Nothing typed matches everything (1).
func (m matcher) score(name string) int {
	tw := m.words
	if len(tw) == 0 {
		return 1
	}
	nw := suggestWords(name)
	if strings.HasPrefix(strings.Join(nw, " "), m.joined) {
		return 100
	}
	exact, typos, matched := 0, 0, 0
	for _, t := range tw {
		bestTypos := -1
		for _, n := range nw {
			if strings.HasPrefix(n, t) {
				bestTypos = 0
				break
			}
			if d := typoDistance(t, n); d > 0 && (bestTypos < 0 || d < bestTypos) {
				bestTypos = d
			}
		}
		switch {
		case bestTypos == 0:
			exact++
			matched++
		case bestTypos > 0:
			typos += bestTypos
			matched++
		}
	}
	switch {
	case exact == len(tw):
		return 80
	case matched == len(tw):
		return max(60-typos, 41)
	case matched*2 > len(tw) && len(tw) > 1:
		return 20 + matched
	}
	return 0
}

// typoDistance is how many edits turn typed into name or a prefix of it,
// when that is few enough to be a typo for its length: one edit from four
// letters, two from seven; 0 means not a typo of it.
func typoDistance(typed, name string) int {
	allowed := 0
	switch n := len([]rune(typed)); {
	case n >= 7:
		allowed = 2
	case n >= 4:
		allowed = 1
	}
	if allowed == 0 {
		return 0
	}
	tr, nr := []rune(typed), []rune(name)
	// A typo seldom hits the first letter, and a word much shorter than
	// what was typed cannot be it: both cut the work to a few words.
	if len(nr) == 0 || tr[0] != nr[0] || len(nr) < len(tr)-allowed {
		return 0
	}
	d := allowed + 1
	// The whole name, or a prefix of about the typed length (a word still
	// being typed).
	for _, l := range []int{len(nr), len(tr) - 1, len(tr), len(tr) + 1} {
		if l < 1 || l > len(nr) {
			continue
		}
		d = min(d, eligibility.EditDistance(typed, string(nr[:l])))
	}
	if d == 0 || d > allowed {
		return 0
	}
	return d
}

// suggestWords splits s into lower-case words of letters and digits.
func suggestWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

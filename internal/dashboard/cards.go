package dashboard

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/knowledge"
	"github.com/influbot/influbot/store"
)

// The overrides as knowledge card records (knowledge/FORMAT.md): how they
// merge onto the shipped FAQ, and the export and import format.

var entryIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// card writes o as a card record; shipped says whether the shipped
// knowledge has the entry. A hidden entry of the workspace's own is no
// record at all; a hidden shipped one is `remove: yes`.
func card(o store.FAQOverride, shipped bool) string {
	if o.Hidden && !shipped {
		return ""
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "id: %s\n", o.ID)
	if o.Hidden {
		sb.WriteString("remove: yes\n")
		return sb.String()
	}
	if o.Title != "" {
		fmt.Fprintf(&sb, "title: %s\n", oneLine(o.Title))
	}
	if len(o.Phrasings) > 0 {
		sb.WriteString("phrasings+:\n")
		for _, p := range o.Phrasings {
			fmt.Fprintf(&sb, "  - %s\n", oneLine(p))
		}
	}
	if strings.TrimSpace(o.Answer) != "" {
		sb.WriteString("---\n" + strings.TrimSpace(o.Answer) + "\n")
	}
	return sb.String()
}

// cards writes overrides as one card file, records separated by ===.
func cards(base *knowledge.Base, overrides []store.FAQOverride) string {
	var recs []string
	for _, o := range overrides {
		_, shipped := base.Entry(o.ID)
		if c := card(o, shipped); c != "" {
			recs = append(recs, c)
		}
	}
	return strings.Join(recs, "===\n")
}

// records parses the overrides into records for knowledge.Base.
func records(base *knowledge.Base, name string, overrides []store.FAQOverride) ([]knowledge.Record, error) {
	text := cards(base, overrides)
	if text == "" {
		return nil, nil
	}
	return knowledge.ParseCards(name, []byte(text))
}

// parseImport reads a card file of FAQ records into overrides: `phrasings`
// and `phrasings+` are both added to the entry's, `remove: yes` hides it.
// Keys the dashboard does not keep (tags, related, source, date) are
// returned in ignored.
func parseImport(data []byte) (out []store.FAQOverride, ignored []string, err error) {
	recs, err := knowledge.ParseCards("import", data)
	if err != nil {
		return nil, nil, err
	}
	seenKey := map[string]bool{}
	for _, r := range recs {
		o := store.FAQOverride{ID: r.Get("id"), Title: r.Get("title"), Answer: r.Body}
		if !entryIDPattern.MatchString(o.ID) {
			return nil, nil, r.Errorf("id", "id %q: use lowercase letters, digits and dashes", o.ID)
		}
		o.Phrasings = append(append(o.Phrasings, r.Lists["phrasings"]...), r.Lists["phrasings+"]...)
		o.Hidden = strings.EqualFold(r.Get("remove"), "yes")
		for k := range r.Lines {
			switch k {
			case "id", "title", "phrasings", "phrasings+", "remove":
			default:
				if !seenKey[k] {
					seenKey[k] = true
					ignored = append(ignored, k)
				}
			}
		}
		if err := checkOverride(o); err != nil {
			return nil, nil, err
		}
		out = append(out, o)
	}
	return out, ignored, nil
}

// checkOverride refuses text the card format cannot hold.
func checkOverride(o store.FAQOverride) error {
	if !entryIDPattern.MatchString(o.ID) || len(o.ID) > 64 {
		return userErr("An entry id uses lowercase letters, digits and dashes (at most 64), e.g. guild-meetups.")
	}
	if len(o.Title) > 200 {
		return userErr("Keep the title under 200 characters.")
	}
	if len(o.Answer) > 8000 {
		return userErr("Keep the answer under 8,000 characters.")
	}
	for _, line := range strings.Split(o.Answer, "\n") {
		if l := strings.TrimSpace(line); l == "---" || l == "===" {
			return userErr("The answer can't contain a line of only --- or === (they separate records in the knowledge format).")
		}
	}
	for _, p := range o.Phrasings {
		if len(p) > 500 {
			return userErr("Keep each phrasing under 500 characters.")
		}
	}
	return nil
}

func userErr(msg string) error { return bot.Errorf(bot.EINVALID, "%s", msg) }

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// slug makes an entry id from a title: "When do we meet?" -> "when-do-we-meet".
func slug(s string) string {
	var sb strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			sb.WriteRune(r)
			dash = false
		case sb.Len() > 0 && !dash:
			sb.WriteByte('-')
			dash = true
		}
		if sb.Len() >= 48 {
			break
		}
	}
	return strings.Trim(sb.String(), "-")
}

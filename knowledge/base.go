package knowledge

import (
	"fmt"
	"log/slog"

	"github.com/influbot/influbot/knowledge/vectors"
)

// Base is everything influbot knows: FAQ entries and their search index,
// the decoys that mark questions as off-topic, and the data the eligibility
// check, commission estimate and engagement plans use.
type Base struct {
	FAQ      []Entry
	OffTopic []Entry
	Index    *Index
	// Tasks is the engagement task catalog (tasks/*.md) plans draw from.
	Tasks []Task
	// Rules are the benchmarks, thresholds, niche map, commission table
	// and next-step templates of the eligibility check (rules/*.md).
	Rules *Rules
	// Warnings are problems that did not stop the knowledge loading but
	// make the bot worse, e.g. an FAQ entry (often an override) left with
	// fewer than MinPhrasings phrasings.
	Warnings []Warning
}

// Load reads the knowledge from src and builds the search index. Any bad
// file is reported with its name and line.
func Load(src Source) (*Base, error) {
	b := &Base{}
	var err error
	if b.FAQ, err = LoadFAQ(src, "faq"); err != nil {
		return nil, err
	}
	if b.OffTopic, err = LoadFAQ(src, "offtopic"); err != nil {
		return nil, err
	}
	if b.Tasks, err = LoadTasks(src, "tasks"); err != nil {
		return nil, err
	}
	if b.Rules, err = LoadRules(src, "rules"); err != nil {
		return nil, err
	}
	vt, err := vectors.Load()
	if err != nil {
		return nil, fmt.Errorf("load word vectors: %w", err)
	}
	b.Index = NewIndex(b.FAQ, b.OffTopic, vt)
	b.Warnings = phrasingWarnings(b.FAQ)
	// The niches' names and categories, not their synonyms: those reach
	// as far as "twitch", "college" and "alexa", words of look-alikes.
	var niches []string
	for _, n := range b.Rules.Niches {
		niches = append(append(niches, n.Name), n.Categories...)
	}
	b.Index.claim(niches)
	return b, nil
}

// LoadDir is LoadDirLog logging to slog.Default().
func LoadDir(dir string) (*Base, error) { return LoadDirLog(dir, slog.Default()) }

// LoadDirLog is Load over the embedded knowledge overlaid by dir ("" for
// none). Each of the Base's Warnings is also logged to log at WARN, naming
// the file and the entry's id.
func LoadDirLog(dir string, log *slog.Logger) (*Base, error) {
	src, err := WithDir(dir)
	if err != nil {
		return nil, err
	}
	b, err := Load(src)
	if err != nil {
		return nil, fmt.Errorf("load knowledge: %w", err)
	}
	for _, w := range b.Warnings {
		log.Warn("knowledge: "+w.Msg, "file", w.File, "line", w.Line, "id", w.ID)
	}
	return b, nil
}

// Entry returns the FAQ entry with the given id.
func (b *Base) Entry(id string) (Entry, bool) {
	for i := range b.FAQ { // by index: an Entry is 22 words to copy
		if b.FAQ[i].ID == id {
			return b.FAQ[i], true
		}
	}
	return Entry{}, false
}

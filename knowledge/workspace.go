package knowledge

import (
	"fmt"
	"slices"
	"strings"
)

// faqAdditive are the FAQ keys an override may add to with `key+:`.
var faqAdditive = []string{"phrasings", "tags", "related"}

// WithOverrides returns a copy of b whose FAQ is b's entries with overrides
// applied on top, record by record, exactly as an overlay directory's
// records apply to the shipped ones (FORMAT.md, "Overrides"), and a new
// search index over the result. b itself is left untouched, so one base
// serves any number of workspaces, each with its own overrides. The
// off-topic decoys, tasks and rules are shared with b. name is used in
// error messages ("workspace discord:123").
func (b *Base) WithOverrides(name string, overrides []Record) (*Base, error) {
	if b.Index == nil {
		return nil, fmt.Errorf("knowledge %s: the base has no index", name)
	}
	faq, err := b.mergeFAQ(name, overrides)
	if err != nil {
		return nil, err
	}
	out := &Base{FAQ: faq, OffTopic: b.OffTopic, Tasks: b.Tasks, Rules: b.Rules}
	out.Index = NewIndex(faq, b.OffTopic, b.Index.vt)
	out.Index.Params = b.Index.Params
	if b.Rules != nil {
		var niches []string
		for _, n := range b.Rules.Niches {
			niches = append(append(niches, n.Name), n.Categories...)
		}
		out.Index.claim(niches)
	}
	out.Warnings = phrasingWarnings(faq)
	return out, nil
}

// CheckOverrides reports whether overrides apply cleanly to b's FAQ (ids,
// required keys, what may be removed), without building an index: cheap
// enough to run before storing an edit.
func (b *Base) CheckOverrides(name string, overrides []Record) error {
	_, err := b.mergeFAQ(name, overrides)
	return err
}

func (b *Base) mergeFAQ(name string, overrides []Record) ([]Entry, error) {
	recs := make([]Record, 0, len(b.FAQ)+len(overrides))
	for _, e := range b.FAQ {
		recs = append(recs, entryRecord(e))
	}
	recs = append(recs, overrides...)
	merged, err := mergeRecords(recs, recordID, faqAdditive)
	if err != nil {
		return nil, fmt.Errorf("knowledge %s: %w", name, err)
	}
	faq := make([]Entry, 0, len(merged))
	ids := map[string]bool{}
	for _, r := range merged {
		e, err := entryFromRecord(r)
		if err != nil {
			return nil, fmt.Errorf("knowledge %s: %w", name, err)
		}
		ids[e.ID] = true
		faq = append(faq, e)
	}
	// A hidden entry's id may still be named as related by another: drop
	// the link rather than refuse the workspace's knowledge.
	for i := range faq {
		faq[i].Related = slices.DeleteFunc(slices.Clone(faq[i].Related), func(id string) bool { return !ids[id] })
	}
	return faq, nil
}

// entryRecord turns a merged entry back into the record it was read from,
// so overrides merge onto it as onto the file's record.
func entryRecord(e Entry) Record {
	r := Record{
		File:   e.File,
		Line:   e.Line,
		Fields: map[string]string{"id": e.ID, "title": e.Title},
		Lists:  map[string][]string{"phrasings": slices.Clone(e.Phrasings)},
		Lines:  map[string]int{"id": e.Line, "title": e.Line, "phrasings": e.Line},
		Body:   e.Answer,
	}
	for k, v := range map[string]string{"tags": strings.Join(e.Tags, ", "), "related": strings.Join(e.Related, ", "), "source": e.Source, "date": e.Date} {
		if v != "" {
			r.Fields[k], r.Lines[k] = v, e.Line
		}
	}
	return r
}

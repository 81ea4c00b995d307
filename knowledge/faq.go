package knowledge

import (
	"fmt"
	"regexp"
)

// Entry is one FAQ entry.
type Entry struct {
	ID        string
	Title     string
	Answer    string   // Markdown
	Phrasings []string // ways users ask the question
	Tags      []string
	Related   []string // ids of other entries
	Source    string   // where the facts come from: public pages a creator can look up
	Date      string   // when the facts were checked against Source (YYYY, YYYY-MM or YYYY-MM-DD)
	File      string   // the file it was read from
	Line      int
}

var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// LoadFAQ reads the entries under sub. A later record with the same id
// replaces an earlier one, so an overlay directory can rewrite a shipped
// entry. Related ids must exist.
func LoadFAQ(src Source, sub string) ([]Entry, error) {
	recs, err := src.Records(sub)
	if err != nil {
		return nil, err
	}
	var entries []Entry
	pos := map[string]int{}
	for _, r := range recs {
		e, err := entryFromRecord(r)
		if err != nil {
			return nil, err
		}
		if i, ok := pos[e.ID]; ok {
			entries[i] = e
			continue
		}
		pos[e.ID] = len(entries)
		entries = append(entries, e)
	}
	for _, e := range entries {
		for _, rel := range e.Related {
			if _, ok := pos[rel]; !ok {
				return nil, &Error{File: e.File, Line: e.Line, Msg: fmt.Sprintf("entry %q: related id %q does not exist", e.ID, rel)}
			}
		}
	}
	return entries, nil
}

func entryFromRecord(r Record) (Entry, error) {
	id, err := r.Require("id")
	if err != nil {
		return Entry{}, err
	}
	if !idPattern.MatchString(id) {
		return Entry{}, r.Errorf("id", "id %q: use lowercase letters, digits and dashes", id)
	}
	title, err := r.Require("title")
	if err != nil {
		return Entry{}, err
	}
	e := Entry{
		ID:        id,
		Title:     title,
		Answer:    r.Body,
		Phrasings: r.Lists["phrasings"],
		Tags:      r.CSV("tags"),
		Related:   r.CSV("related"),
		Source:    r.Get("source"),
		Date:      r.Get("date"),
		File:      r.File,
		Line:      r.Line,
	}
	if e.Date != "" && !datePattern.MatchString(e.Date) {
		return Entry{}, r.Errorf("date", "entry %q: date %q: write YYYY, YYYY-MM or YYYY-MM-DD", id, e.Date)
	}
	if len(e.Phrasings) == 0 {
		return Entry{}, r.Errorf("phrasings", "entry %q has no phrasings (list the ways users ask it under `phrasings:`)", id)
	}
	return e, nil
}

package knowledge

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// descriptiveKeys say how a record is found or named, not what it claims.
// An override that changes only these keeps the base record's source and
// date; one that changes anything else (the body, a rate, a category)
// states its own, since the shipped source vouches only for the shipped
// facts.
var descriptiveKeys = []string{"id", "kind", "remove", "title", "name", "phrasings", "tags", "related", "synonyms", "aliases"}

// mergeRecords merges records that share a key (FORMAT.md, "Overrides").
// A later record overrides an earlier one field by field: a key it gives
// replaces the earlier value, a key it leaves out keeps it, a `key+:` adds
// to the earlier list or comma list, and a body replaces the body. Only the
// keys in additive may take "+". A record with `remove: yes` drops the
// earlier one. Each merged record keeps the position of the first record
// with its key.
func mergeRecords(recs []Record, key func(Record) (string, error), additive []string) ([]Record, error) {
	type slot struct {
		rec     Record
		removed bool
	}
	var merged []slot
	pos := map[string]int{}
	for _, r := range recs {
		if err := checkAdditive(r, additive); err != nil {
			return nil, err
		}
		k, err := key(r)
		if err != nil {
			return nil, err
		}
		remove, err := boolField(r, "remove")
		if err != nil {
			return nil, err
		}
		i, ok := pos[k]
		switch {
		case remove && (!ok || merged[i].removed):
			return nil, r.Errorf("remove", "%q: there is no earlier record with this id to remove", strings.TrimPrefix(k, r.Get("kind")+"/"))
		case remove:
			merged[i].removed = true
		case !ok:
			pos[k] = len(merged)
			merged = append(merged, slot{rec: overrideRecord(Record{}, r)})
		case merged[i].removed:
			merged[i] = slot{rec: overrideRecord(Record{}, r)}
		default:
			merged[i].rec = overrideRecord(merged[i].rec, r)
		}
	}
	out := make([]Record, 0, len(merged))
	for _, s := range merged {
		if !s.removed {
			out = append(out, s.rec)
		}
	}
	return out, nil
}

func checkAdditive(r Record, additive []string) error {
	for k := range r.Lines {
		base, plus := strings.CutSuffix(k, "+")
		if plus && !slices.Contains(additive, base) {
			return r.Errorf(k, "%q cannot be added to (only %s can take a +)", base, strings.Join(additive, ", "))
		}
	}
	return nil
}

// overrideRecord applies over to base as mergeRecords describes. With an
// empty base it folds over's `key+:` values into key.
func overrideRecord(base, over Record) Record {
	r := Record{
		File:   over.File,
		Line:   over.Line,
		Fields: maps.Clone(base.Fields),
		Lists:  maps.Clone(base.Lists),
		Lines:  map[string]int{}, // the base's lines point into another file
		Body:   base.Body,
	}
	if r.Fields == nil {
		r.Fields = map[string]string{}
	}
	if r.Lists == nil {
		r.Lists = map[string][]string{}
	}
	changesFacts := over.Body != ""
	for k := range over.Lines {
		k = strings.TrimSuffix(k, "+")
		if k != "source" && k != "date" && !slices.Contains(descriptiveKeys, k) {
			changesFacts = true
		}
	}
	if changesFacts && base.Fields != nil {
		for _, k := range []string{"source", "date"} {
			delete(r.Fields, k)
			delete(r.Lists, k)
		}
	}
	// Replacements first, then additions, so `phrasings:` and `phrasings+:`
	// in one record mean "these, plus these".
	for k, line := range over.Lines {
		if strings.HasSuffix(k, "+") || k == "remove" {
			continue
		}
		r.Lines[k] = line
		r.Fields[k] = over.Fields[k]
		if items, ok := over.Lists[k]; ok {
			r.Lists[k] = slices.Clone(items)
		} else {
			delete(r.Lists, k)
		}
	}
	for k, line := range over.Lines {
		name, plus := strings.CutSuffix(k, "+")
		if !plus {
			continue
		}
		if _, ok := r.Lines[name]; !ok {
			r.Lines[name] = line
		}
		for _, item := range over.Lists[k] {
			if !slices.Contains(r.Lists[name], item) {
				r.Lists[name] = append(r.Lists[name], item)
			}
		}
		if add := splitCSV(over.Fields[k]); len(add) > 0 {
			have := splitCSV(r.Fields[name])
			for _, a := range add {
				if !slices.ContainsFunc(have, func(h string) bool { return strings.EqualFold(h, a) }) {
					have = append(have, a)
				}
			}
			r.Fields[name] = strings.Join(have, ", ")
		} else if _, ok := r.Fields[name]; !ok {
			r.Fields[name] = ""
		}
	}
	if over.Body != "" {
		r.Body, r.BodyLine = over.Body, over.BodyLine
	}
	return r
}

// Warning is a problem in the knowledge that does not stop it loading but
// will make the bot worse, such as an entry with too few phrasings to be
// found.
type Warning struct {
	File string
	Line int
	ID   string // the entry's id
	Msg  string
}

func (w Warning) String() string {
	return (&Error{File: w.File, Line: w.Line, Msg: fmt.Sprintf("entry %q: %s", w.ID, w.Msg)}).Error()
}

// MinPhrasings is the fewest phrasings an FAQ entry needs to be found
// reliably; loading warns about entries with fewer. The shipped entries
// have 24 to 30.
const MinPhrasings = 5

func phrasingWarnings(entries []Entry) []Warning {
	var ws []Warning
	for _, e := range entries {
		if len(e.Phrasings) < MinPhrasings {
			ws = append(ws, Warning{File: e.File, Line: e.Line, ID: e.ID, Msg: fmt.Sprintf(
				"only %d phrasing(s); questions worded differently may not find it (list at least %d, or add to the shipped ones with `phrasings+:`)",
				len(e.Phrasings), MinPhrasings)})
		}
	}
	return ws
}

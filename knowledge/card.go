package knowledge

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"
)

// Record is one record of a card file: a header of keys, values and lists,
// and an optional Markdown body. See FORMAT.md.
type Record struct {
	File     string              // the file it came from, as named to ParseCards
	Line     int                 // the line its header starts on
	Fields   map[string]string   // key: value
	Lists    map[string][]string // key: followed by "  - item" lines
	Lines    map[string]int      // the line each key was written on
	Body     string              // Markdown after the "---" line, trimmed
	BodyLine int                 // the line the body starts on, 0 without a body
}

// Error reports a problem in a knowledge file, naming the file and line so
// whoever edits the file can find it.
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// Errorf builds an Error for a line of a record.
func (r Record) Errorf(key, format string, args ...any) error {
	line := r.Line
	if l, ok := r.Lines[key]; ok {
		line = l
	}
	return &Error{File: r.File, Line: line, Msg: fmt.Sprintf(format, args...)}
}

// Get returns the trimmed value of key.
func (r Record) Get(key string) string { return r.Fields[key] }

// CSV returns a comma-separated value split into trimmed, non-empty items.
func (r Record) CSV(key string) []string { return splitCSV(r.Fields[key]) }

// Require returns the value of key or an error naming the record's line when
// it is missing or empty.
func (r Record) Require(key string) (string, error) {
	v := r.Fields[key]
	if v == "" {
		return "", &Error{File: r.File, Line: r.Line, Msg: fmt.Sprintf("missing %q", key)}
	}
	return v, nil
}

func splitCSV(s string) []string {
	if s == "" {
		return nil
	}
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// ParseCards parses a card file. name is used in error messages only.
func ParseCards(name string, data []byte) ([]Record, error) {
	var (
		recs    []Record
		cur     *Record
		inBody  bool
		body    strings.Builder
		listKey string
		lineNo  int
	)
	flush := func() {
		if cur == nil {
			return
		}
		if inBody {
			cur.Body = strings.TrimSpace(body.String())
		}
		recs = append(recs, *cur)
		cur, inBody, listKey = nil, false, ""
		body.Reset()
	}
	start := func() {
		if cur == nil {
			cur = &Record{File: name, Line: lineNo, Fields: map[string]string{}, Lists: map[string][]string{}, Lines: map[string]int{}}
		}
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		lineNo++
		raw := strings.TrimRight(sc.Text(), " \t\r")
		if lineNo == 1 {
			raw = strings.TrimPrefix(raw, "\ufeff")
		}
		if raw == "===" {
			if cur == nil {
				return nil, &Error{File: name, Line: lineNo, Msg: `"===" with no record before it`}
			}
			flush()
			continue
		}
		if inBody {
			body.WriteString(raw)
			body.WriteByte('\n')
			continue
		}
		trimmed := strings.TrimSpace(raw)
		switch {
		case trimmed == "" || strings.HasPrefix(trimmed, "#"):
			continue
		case raw == "---":
			if cur == nil {
				return nil, &Error{File: name, Line: lineNo, Msg: `"---" before any header line`}
			}
			inBody, listKey = true, ""
			cur.BodyLine = lineNo + 1
			continue
		case strings.HasPrefix(trimmed, "- "):
			if listKey == "" {
				return nil, &Error{File: name, Line: lineNo, Msg: "list item without a key above it (write `key:` on the line before)"}
			}
			item := strings.TrimSpace(trimmed[2:])
			if item != "" {
				cur.Lists[listKey] = append(cur.Lists[listKey], item)
			}
			continue
		}
		key, val, ok := strings.Cut(trimmed, ":")
		if !ok || !validKey(strings.TrimSuffix(key, "+")) {
			return nil, &Error{File: name, Line: lineNo, Msg: fmt.Sprintf("expected `key: value`, `  - item`, `---` or `===`, got %q", clip(trimmed, 60))}
		}
		start()
		if _, dup := cur.Lines[key]; dup {
			return nil, &Error{File: name, Line: lineNo, Msg: fmt.Sprintf("key %q given twice in one record (first on line %d)", key, cur.Lines[key])}
		}
		cur.Lines[key] = lineNo
		val = strings.TrimSpace(val)
		cur.Fields[key] = val
		listKey = ""
		if val == "" {
			listKey = key
		}
	}
	if err := sc.Err(); err != nil {
		return nil, &Error{File: name, Line: lineNo + 1, Msg: err.Error()}
	}
	flush()
	return recs, nil
}

func validKey(k string) bool {
	if k == "" {
		return false
	}
	for _, c := range k {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

package knowledge

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
)

// embedded holds the shipped knowledge. It is read-only.
//
//go:embed faq/*.md offtopic/*.md tasks/*.md rules/*.md
var embedded embed.FS

// Source is where knowledge files are read from: the files embedded in the
// binary, overlaid by an optional directory whose files are read after the
// embedded ones. Loaders merge records by id, field by field, whatever file
// they are in (mergeRecords), so a community can edit, add and remove
// entries without rebuilding, and an edit keeps what it does not restate.
type Source struct {
	base fs.FS
	dir  string // "" for none
}

// Embedded returns the shipped knowledge, with no overlay.
func Embedded() Source { return Source{base: embedded} }

// WithDir returns the shipped knowledge overlaid by dir. An empty dir means
// no overlay. A dir that does not exist is an error.
func WithDir(dir string) (Source, error) {
	src := Embedded()
	if dir == "" {
		return src, nil
	}
	st, err := os.Stat(dir)
	if err != nil {
		return Source{}, fmt.Errorf("knowledge directory: %w", err)
	}
	if !st.IsDir() {
		return Source{}, fmt.Errorf("knowledge directory %s: not a directory", dir)
	}
	src.dir = dir
	return src, nil
}

// FromFS returns a source that reads only fsys (used by tests and
// benchmarks).
func FromFS(fsys fs.FS) Source { return Source{base: fsys} }

// File is one knowledge file's name (for error messages) and content.
type File struct {
	Name string
	Data []byte
}

// Files returns the files under sub with the given suffix, embedded first,
// then the overlay's, each group sorted by name. An overlay file with the
// same path as an embedded one does not hide it: the records in both merge
// by id.
func (s Source) Files(sub, suffix string) ([]File, error) {
	var out []File
	if s.base != nil {
		names, err := listDir(s.base, sub, suffix)
		if err != nil {
			return nil, err
		}
		for _, n := range names {
			data, err := fs.ReadFile(s.base, n)
			if err != nil {
				return nil, fmt.Errorf("read %s: %w", n, err)
			}
			out = append(out, File{Name: n, Data: data})
		}
	}
	if s.dir != "" {
		names, err := listDir(os.DirFS(s.dir), sub, suffix)
		if err != nil {
			return nil, fmt.Errorf("knowledge directory %s: %w", s.dir, err)
		}
		for _, n := range names {
			full := path.Join(s.dir, n)
			data, err := os.ReadFile(full)
			if err != nil {
				return nil, fmt.Errorf("read %s: %w", full, err)
			}
			out = append(out, File{Name: full, Data: data})
		}
	}
	return out, nil
}

func listDir(fsys fs.FS, sub, suffix string) ([]string, error) {
	entries, err := fs.ReadDir(fsys, sub)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", sub, err)
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), suffix) || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		names = append(names, path.Join(sub, e.Name()))
	}
	sort.Strings(names)
	return names, nil
}

// Records parses every card file under sub.
func (s Source) Records(sub string) ([]Record, error) {
	files, err := s.Files(sub, ".md")
	if err != nil {
		return nil, err
	}
	var recs []Record
	for _, f := range files {
		rs, err := ParseCards(f.Name, f.Data)
		if err != nil {
			return nil, err
		}
		recs = append(recs, rs...)
	}
	return recs, nil
}

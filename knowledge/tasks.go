package knowledge

import (
	"fmt"
	"slices"
	"strings"
)

// TaskPlatforms are the platforms engagement tasks are written for, in
// display order. "twitter" is accepted as another name for "x".
var TaskPlatforms = []string{"instagram", "youtube", "tiktok", "facebook", "x"}

// Criteria are the eligibility criteria a task can improve, in the order
// plans present them.
var Criteria = []string{"followers", "engagement", "cadence", "niche", "content", "compliance"}

// Rhythms are how often a task is meant to be done.
const (
	RhythmDaily     = "daily"
	Rhythm3xWeek    = "3x-week"
	RhythmWeekly    = "weekly"
	RhythmOnce      = "once"
	maxTaskHowToLen = 1200
)

// Rhythms lists every valid rhythm.
var Rhythms = []string{RhythmDaily, Rhythm3xWeek, RhythmWeekly, RhythmOnce}

// Task is one engagement task of the catalog (tasks/*.md): something small
// a creator does on a rhythm to close a gap the eligibility check found.
type Task struct {
	ID        string
	Title     string
	HowTo     string   // Markdown, 2-4 sentences
	Platforms []string // from TaskPlatforms; "all" in the file expands to every one
	Improves  string   // one of Criteria
	Rhythm    string   // one of Rhythms
	Why       string   // one line: why it matters for the gap
	Source    string
	File      string
	Line      int
}

// Fits reports whether the task suits platform (any name NormalizePlatform
// accepts). An empty platform fits every task.
func (t Task) Fits(platform string) bool {
	if platform == "" {
		return true
	}
	return slices.Contains(t.Platforms, NormalizePlatform(platform))
}

// platformIDs maps every name creators use for a platform, its id
// included, to the id in TaskPlatforms. It is the one list of platform
// aliases (the eligibility check reads it too); read-only.
var platformIDs = map[string]string{
	"instagram": "instagram", "ig": "instagram", "insta": "instagram", "instagr.am": "instagram",
	"youtube": "youtube", "yt": "youtube", "you tube": "youtube",
	"tiktok": "tiktok", "tik tok": "tiktok", "tik-tok": "tiktok", "tt": "tiktok",
	"facebook": "facebook", "fb": "facebook", "face book": "facebook",
	"x": "x", "twitter": "x", "x.com": "x", "twitter/x": "x", "x/twitter": "x",
}

// NormalizePlatform lowercases a platform name and maps aliases ("twitter",
// "ig", "yt", "fb") to the names in TaskPlatforms. Unknown names come back
// lowercased.
func NormalizePlatform(p string) string {
	p = strings.ToLower(strings.TrimSpace(p))
	if id, ok := platformIDs[p]; ok {
		return id
	}
	return p
}

// PlatformAliases returns every name NormalizePlatform maps to the platform
// id, sorted; none for an unknown id.
func PlatformAliases(id string) []string {
	var names []string
	for name, to := range platformIDs {
		if to == id {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// LoadTasks reads the task catalog under sub. A later record with the same
// id overrides an earlier one field by field (mergeRecords), so an overlay
// directory can change one line of a shipped task (its why, its rhythm) or
// add new tasks.
func LoadTasks(src Source, sub string) ([]Task, error) {
	recs, err := src.Records(sub)
	if err != nil {
		return nil, err
	}
	recs, err = mergeRecords(recs, recordID, []string{"platforms"})
	if err != nil {
		return nil, err
	}
	tasks := make([]Task, 0, len(recs))
	for _, r := range recs {
		t, err := taskFromRecord(r)
		if err != nil {
			return nil, err
		}
		tasks = append(tasks, t)
	}
	return tasks, nil
}

func taskFromRecord(r Record) (Task, error) {
	t := Task{File: r.File, Line: r.Line, HowTo: r.Body, Source: r.Get("source")}
	var err error
	for _, f := range []struct {
		key string
		dst *string
	}{{"id", &t.ID}, {"title", &t.Title}, {"improves", &t.Improves}, {"rhythm", &t.Rhythm}, {"why", &t.Why}} {
		if *f.dst, err = r.Require(f.key); err != nil {
			return Task{}, err
		}
	}
	if !idPattern.MatchString(t.ID) {
		return Task{}, r.Errorf("id", "id %q: use lowercase letters, digits and dashes", t.ID)
	}
	if !slices.Contains(Criteria, t.Improves) {
		return Task{}, r.Errorf("improves", "task %q: improves %q: use one of %s", t.ID, t.Improves, strings.Join(Criteria, ", "))
	}
	if !slices.Contains(Rhythms, t.Rhythm) {
		return Task{}, r.Errorf("rhythm", "task %q: rhythm %q: use one of %s", t.ID, t.Rhythm, strings.Join(Rhythms, ", "))
	}
	plats := r.CSV("platforms")
	if len(plats) == 0 {
		return Task{}, r.Errorf("platforms", "task %q: missing platforms (a comma list of %s, or all)", t.ID, strings.Join(TaskPlatforms, ", "))
	}
	for _, p := range plats {
		if strings.EqualFold(p, "all") {
			t.Platforms = slices.Clone(TaskPlatforms)
			break
		}
		n := NormalizePlatform(p)
		if !slices.Contains(TaskPlatforms, n) {
			return Task{}, r.Errorf("platforms", "task %q: unknown platform %q: use %s or all", t.ID, p, strings.Join(TaskPlatforms, ", "))
		}
		if !slices.Contains(t.Platforms, n) {
			t.Platforms = append(t.Platforms, n)
		}
	}
	if t.HowTo == "" {
		return Task{}, r.Errorf("id", "task %q has no body: after a `---` line, say how to do it in 2-4 sentences", t.ID)
	}
	if len(t.HowTo) > maxTaskHowToLen {
		return Task{}, &Error{File: r.File, Line: r.BodyLine, Msg: fmt.Sprintf("task %q: body is %d bytes; keep it to 2-4 sentences (under %d bytes)", t.ID, len(t.HowTo), maxTaskHowToLen)}
	}
	return t, nil
}

// Task returns the catalog task with the given id.
func (b *Base) Task(id string) (Task, bool) {
	for _, t := range b.Tasks {
		if t.ID == id {
			return t, true
		}
	}
	return Task{}, false
}

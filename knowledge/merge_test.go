package knowledge

import (
	"bytes"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// shippedEntry is the embedded FAQ entry with id, for comparing overrides
// with.
func shippedEntry(t *testing.T, id string) Entry {
	t.Helper()
	faq, err := LoadFAQ(Embedded(), "faq")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range faq {
		if e.ID == id {
			return e
		}
	}
	t.Fatalf("no shipped entry %q", id)
	return Entry{}
}

// loadOverlay loads the shipped knowledge overlaid by files (path -> text)
// written to a temporary directory, through the real loader and index.
func loadOverlay(t *testing.T, files map[string]string) *Base {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		mustWrite(t, filepath.Join(dir, name), text)
	}
	src, err := WithDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := Load(src)
	if err != nil {
		t.Fatal(err)
	}
	return kb
}

const communityAnswer = "In our community most people wait about two months and reapply once their last six weeks show steady posting."

func TestAnOverrideOfAShippedEntryKeepsWhatItDoesNotRestate(t *testing.T) {
	shipped := shippedEntry(t, "reapply-wait")
	tests := []struct {
		name          string
		file          string
		wantPhrasings int // 0: as many as shipped
		wantAdded     string
		wantWarning   bool
	}{
		{
			// The reported case: the same file name, a new answer and one
			// phrasing. The whole entry used to be replaced and the question
			// was declined as off-topic (0.16-0.20).
			name:          "a file named like the shipped entry with a new answer and one phrasing still answers the reapply question",
			file:          "id: reapply-wait\nphrasings:\n  - what does the community say about reapplying\n---\n" + communityAnswer + "\n",
			wantPhrasings: 1,
			wantWarning:   true,
		},
		{
			name: "an override that lists no phrasings keeps all the shipped ones",
			file: "id: reapply-wait\n---\n" + communityAnswer + "\n",
		},
		{
			name:          "phrasings+ adds to the shipped phrasings instead of replacing them",
			file:          "id: reapply-wait\nphrasings+:\n  - what does the community say about reapplying\n---\n" + communityAnswer + "\n",
			wantPhrasings: len(shipped.Phrasings) + 1,
			wantAdded:     "what does the community say about reapplying",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kb := loadOverlay(t, map[string]string{"faq/reapply-wait.md": tt.file})
			m := kb.Index.Search("how long should i wait before reapplying")
			t.Logf("confidence %.2f", m.Confidence)
			if !m.Answered || m.Entry == nil || m.Entry.ID != "reapply-wait" {
				t.Fatalf("the reapply question was not answered with reapply-wait: %+v (confidence %.2f)", m.Entry, m.Confidence)
			}
			if m.Entry.Answer != communityAnswer {
				t.Errorf("answered with %q, want the override's answer", m.Entry.Answer)
			}
			e := *m.Entry
			if !slices.Equal(e.Tags, shipped.Tags) || !slices.Equal(e.Related, shipped.Related) || e.Title != shipped.Title {
				t.Errorf("lost the shipped title, tags or related ids: %q %q %q", e.Title, e.Tags, e.Related)
			}
			want := tt.wantPhrasings
			if want == 0 {
				want = len(shipped.Phrasings)
			}
			if len(e.Phrasings) != want {
				t.Errorf("got %d phrasings, want %d", len(e.Phrasings), want)
			}
			if tt.wantAdded != "" && !slices.Contains(e.Phrasings, tt.wantAdded) {
				t.Errorf("phrasing %q was not added", tt.wantAdded)
			}
			if e.Source != "" || e.Date != "" {
				t.Errorf("a new answer kept the shipped source %q (%s), which vouches only for the shipped answer", e.Source, e.Date)
			}
			var warned []string
			for _, w := range kb.Warnings {
				warned = append(warned, w.String())
			}
			if got := len(warned) > 0; got != tt.wantWarning {
				t.Errorf("warnings %q, want a warning: %v", warned, tt.wantWarning)
			}
			if tt.wantWarning && (!strings.Contains(warned[0], "faq/reapply-wait.md:1") || !strings.Contains(warned[0], `"reapply-wait"`)) {
				t.Errorf("the warning %q does not name the file, line and id", warned[0])
			}
		})
	}
}

func TestAnOverrideThatChangesNoFactsKeepsTheSource(t *testing.T) {
	shipped := shippedEntry(t, "reapply-wait")
	kb := loadOverlay(t, map[string]string{"faq/more.md": "id: reapply-wait\ntags+: cool-off\nphrasings+:\n  - whats the cool-off after a no\n"})
	e, _ := kb.Entry("reapply-wait")
	if e.Source != shipped.Source || e.Date != shipped.Date || e.Answer != shipped.Answer {
		t.Errorf("an override adding only phrasings and tags changed the source, date or answer: %q %q", e.Source, e.Date)
	}
	if want := append(slices.Clone(shipped.Tags), "cool-off"); !slices.Equal(e.Tags, want) {
		t.Errorf("tags+ gave %q, want %q", e.Tags, want)
	}
}

func TestLoadDirLogsAnEntryWithTooFewPhrasings(t *testing.T) {
	dir := t.TempDir()
	mustWrite(t, filepath.Join(dir, "faq", "reapply-wait.md"), "id: reapply-wait\nphrasings:\n  - how long to wait\n---\n"+communityAnswer+"\n")
	var buf bytes.Buffer
	kb, err := LoadDirLog(dir, slog.New(slog.NewTextHandler(&buf, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if len(kb.Warnings) != 1 || kb.Warnings[0].ID != "reapply-wait" {
		t.Fatalf("warnings: %+v", kb.Warnings)
	}
	log := buf.String()
	for _, want := range []string{"level=WARN", "id=reapply-wait", "file=" + filepath.Join(dir, "faq", "reapply-wait.md"), "phrasings+"} {
		if !strings.Contains(log, want) {
			t.Errorf("log %q lacks %q", log, want)
		}
	}
	t.Run("the shipped knowledge loads without warnings", func(t *testing.T) {
		var buf bytes.Buffer
		kb, err := LoadDirLog("", slog.New(slog.NewTextHandler(&buf, nil)))
		if err != nil {
			t.Fatal(err)
		}
		if len(kb.Warnings) != 0 || buf.Len() != 0 {
			t.Errorf("warnings %+v, log %q", kb.Warnings, buf.String())
		}
	})
}

func TestTaskAndNicheOverridesKeepWhatTheyDoNotRestate(t *testing.T) {
	shipped, err := Load(Embedded())
	if err != nil {
		t.Fatal(err)
	}
	kb := loadOverlay(t, map[string]string{
		// One task in a file named like the shipped followers.md used to
		// drop the file's other seven tasks and need every key restated.
		"tasks/followers.md": "id: niche-hashtags\nrhythm: weekly\n",
		"rules/niches.md":    "kind: niche\nid: home-decor\nsynonyms+: plant styling\n===\nkind: niche\nid: fragrance\nremove: yes\n",
	})
	if len(kb.Tasks) != len(shipped.Tasks) {
		t.Errorf("got %d tasks, want the shipped %d", len(kb.Tasks), len(shipped.Tasks))
	}
	got, _ := kb.Task("niche-hashtags")
	old, _ := shipped.Task("niche-hashtags")
	if got.Rhythm != "weekly" || got.Title != old.Title || got.HowTo != old.HowTo || !slices.Equal(got.Platforms, old.Platforms) {
		t.Errorf("override of one key: %+v", got)
	}
	if got.Source != "" {
		t.Errorf("a changed rhythm kept the shipped source %q", got.Source)
	}
	niches := map[string]Niche{}
	for _, n := range kb.Rules.Niches {
		niches[n.ID] = n
	}
	if _, ok := niches["fragrance"]; ok {
		t.Error("remove: yes left the fragrance niche")
	}
	if len(niches) != len(shipped.Rules.Niches)-1 {
		t.Errorf("got %d niches, want the shipped %d less one", len(niches), len(shipped.Rules.Niches))
	}
	hd := niches["home-decor"]
	if !slices.Contains(hd.Synonyms, "plant styling") || !slices.Contains(hd.Synonyms, "interior design") {
		t.Errorf("synonyms+ did not add to the shipped synonyms: %q", hd.Synonyms)
	}
}

func TestOverrideMistakesAreNamed(t *testing.T) {
	tests := []struct {
		name, file, want string
	}{
		{"a + on a key that is not a list", "id: x\ntitle+: More\n", `faq/x.md:2: "title" cannot be added to`},
		{"removing an id that does not exist", "id: nope\nremove: yes\n", `faq/x.md:2: "nope": there is no earlier record`},
		{"remove with a value that is not yes or no", "id: x\nremove: please\n", `remove "please": want yes or no`},
		{"a new entry still needs phrasings", "id: fresh\ntitle: Fresh\n---\nAnswer.\n", `entry "fresh" has no phrasings`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadFAQ(FromFS(fstest.MapFS{"faq/x.md": {Data: []byte(tt.file)}}), "faq")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

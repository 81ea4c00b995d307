package knowledge

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

func TestShippedTaskCatalog(t *testing.T) {
	tasks, err := LoadTasks(Embedded(), "tasks")
	if err != nil {
		t.Fatalf("load shipped tasks: %v", err)
	}
	t.Run("has at least 30 tasks", func(t *testing.T) {
		if len(tasks) < 30 {
			t.Errorf("got %d tasks, want at least 30", len(tasks))
		}
	})
	t.Run("covers every platform with tasks for every criterion it can", func(t *testing.T) {
		for _, p := range TaskPlatforms {
			for _, c := range Criteria {
				n := 0
				for _, task := range tasks {
					if task.Fits(p) && task.Improves == c {
						n++
					}
				}
				if n < 2 {
					t.Errorf("platform %s has %d tasks improving %s, want at least 2 so a plan has a choice", p, n, c)
				}
			}
		}
	})
	sentence := regexp.MustCompile(`[.!?](\s|$)`)
	for _, task := range tasks {
		t.Run("task "+task.ID+" explains how in 2 to 4 sentences", func(t *testing.T) {
			// "e.g." style abbreviations are not used in the catalog, so
			// sentence ends are full stops, question and exclamation marks.
			n := len(sentence.FindAllString(task.HowTo, -1))
			if n < 2 || n > 4 {
				t.Errorf("%s:%d: body has %d sentences, want 2-4", task.File, task.Line, n)
			}
			if task.Why == "" || strings.Contains(task.Why, "\n") {
				t.Errorf("%s:%d: why must be one line", task.File, task.Line)
			}
		})
	}
}

func TestLoadTasksRejectsBadCards(t *testing.T) {
	const good = "id: a\ntitle: A\nplatforms: instagram\nimproves: niche\nrhythm: weekly\nwhy: because\n---\nDo it. Then again.\n"
	tests := []struct {
		name, file, want string
	}{
		{"a missing rhythm is reported", strings.Replace(good, "rhythm: weekly\n", "", 1), `missing "rhythm"`},
		{"an unknown criterion is reported", strings.Replace(good, "improves: niche", "improves: luck", 1), `improves "luck"`},
		{"an unknown platform is reported", strings.Replace(good, "platforms: instagram", "platforms: myspace", 1), `unknown platform "myspace"`},
		{"an unknown rhythm is reported", strings.Replace(good, "rhythm: weekly", "rhythm: hourly", 1), `rhythm "hourly"`},
		{"a card without a body is reported", strings.Replace(good, "---\nDo it. Then again.\n", "", 1), "has no body"},
		{"a bad id is reported", strings.Replace(good, "id: a", "id: Big Task", 1), "lowercase"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadTasks(FromFS(fstest.MapFS{"tasks/t.md": {Data: []byte(tt.file)}}), "tasks")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
			if !strings.Contains(err.Error(), "tasks/t.md:") {
				t.Errorf("error %q does not name the file and line", err)
			}
		})
	}
	t.Run("all expands to every platform and twitter means x", func(t *testing.T) {
		file := strings.Replace(good, "platforms: instagram", "platforms: all", 1) + "===\n" +
			strings.Replace(strings.Replace(good, "id: a", "id: b", 1), "platforms: instagram", "platforms: Twitter", 1)
		tasks, err := LoadTasks(FromFS(fstest.MapFS{"tasks/t.md": {Data: []byte(file)}}), "tasks")
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(tasks[0].Platforms, TaskPlatforms) || !slices.Equal(tasks[1].Platforms, []string{"x"}) {
			t.Errorf("platforms = %v, %v", tasks[0].Platforms, tasks[1].Platforms)
		}
	})
	t.Run("a later card with the same id replaces the earlier one", func(t *testing.T) {
		tasks, err := LoadTasks(FromFS(fstest.MapFS{
			"tasks/a.md": {Data: []byte(good)},
			"tasks/b.md": {Data: []byte(strings.Replace(good, "title: A", "title: Better A", 1))},
		}), "tasks")
		if err != nil {
			t.Fatal(err)
		}
		if len(tasks) != 1 || tasks[0].Title != "Better A" {
			t.Errorf("got %+v", tasks)
		}
	})
}

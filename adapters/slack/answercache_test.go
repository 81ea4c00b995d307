package slack

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/influbot/influbot/bot"
)

// cacheSamples are replies that differ in one thing render reads each,
// so a cache that missed any of them would hand out another's answer.
func cacheSamples() []bot.Reply {
	base := bot.Reply{Title: "Why was I rejected?", Text: "Amazon rarely says **why**.\n- engagement\n- niche",
		Fields:  []bot.Field{{Name: "Source", Value: "Amazon FAQ"}, {Name: "n", Value: "v", Inline: true}},
		Buttons: []bot.Button{{ActionID: "ask:topic", Label: "Reapply tips", Value: "reapply-tips"}},
		Image:   &bot.Image{URL: "https://example.com/a.png", Alt: "chart"}}
	out := []bot.Reply{base}
	add := func(f func(r *bot.Reply)) {
		r := base
		r.Fields = append([]bot.Field(nil), base.Fields...)
		r.Buttons = append([]bot.Button(nil), base.Buttons...)
		img := *base.Image
		r.Image = &img
		f(&r)
		out = append(out, r)
	}
	add(func(r *bot.Reply) { r.Title = "Why was I rejected" })
	add(func(r *bot.Reply) { r.Title = ""; r.Text = "Why was I rejected?\n" + r.Text })
	add(func(r *bot.Reply) { r.Text += "." })
	add(func(r *bot.Reply) { r.Fields[1].Inline = false })
	add(func(r *bot.Reply) { r.Fields[0].Name, r.Fields[0].Value = "Sourc", "eAmazon FAQ" })
	add(func(r *bot.Reply) { r.Fields = r.Fields[:1] })
	add(func(r *bot.Reply) { r.Buttons[0].Style = bot.ButtonPrimary })
	add(func(r *bot.Reply) { r.Buttons[0].Value = "reapply" })
	add(func(r *bot.Reply) { r.Buttons[0].ActionID = "ask:topic#2" })
	add(func(r *bot.Reply) { r.Buttons = append(r.Buttons, bot.Button{ActionID: "a:b", Label: "More"}) })
	add(func(r *bot.Reply) { r.Buttons = nil })
	add(func(r *bot.Reply) { r.Image.Alt = "graph" })
	add(func(r *bot.Reply) { r.Image = nil })
	add(func(r *bot.Reply) { r.Ephemeral = true })
	for i := range 40 { // many replies: some entries are evicted
		add(func(r *bot.Reply) { r.Text = fmt.Sprintf("%s (%d)", r.Text, i) })
	}
	return out
}

// fresh is the inline answer as written without the cache.
func fresh(t *testing.T, o origin, r bot.Reply) []byte {
	t.Helper()
	a := &Adapter{Bot: instantCore{}}
	a.init()
	a.answers = nil
	m, ok := a.inlineAnswer(o, r)
	if !ok {
		return nil
	}
	var b bytes.Buffer
	if err := json.NewEncoder(&b).Encode(m); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// written is what writeJSON sends for r's inline answer.
func written(t *testing.T, a *Adapter, o origin, r bot.Reply) []byte {
	t.Helper()
	m, ok := a.inlineAnswer(o, r)
	if !ok {
		return nil
	}
	rec := httptest.NewRecorder()
	a.writeJSON(rec, m)
	if cl := rec.Header().Get("Content-Length"); cl != fmt.Sprint(rec.Body.Len()) {
		t.Errorf("Content-Length %q for %d bytes", cl, rec.Body.Len())
	}
	return rec.Body.Bytes()
}

// TestAnswerCacheGivesWhatRenderGives asks for each reply's answer several
// times over (the first is rendered, later ones may be cached) and checks
// each is byte for byte the uncached answer.
func TestAnswerCacheGivesWhatRenderGives(t *testing.T) {
	a := &Adapter{Bot: instantCore{}}
	a.init()
	samples := cacheSamples()
	for _, o := range []origin{{Channel: "C1"}, {Channel: "D1", DM: true}} {
		want := make([][]byte, len(samples))
		for i, r := range samples {
			want[i] = fresh(t, o, r)
		}
		for round := range 4 {
			for i, r := range samples {
				if got := written(t, a, o, r); !bytes.Equal(got, want[i]) {
					t.Fatalf("round %d, reply %d (DM %v):\ngot  %s\nwant %s", round, i, o.DM, got, want[i])
				}
			}
		}
	}
}

// TestAnswerCacheKeepsItsOwnCopy changes a reply's slices after its answer
// was cached: the next reply with the old contents still gets the old
// answer, and the changed one its own.
func TestAnswerCacheKeepsItsOwnCopy(t *testing.T) {
	a := &Adapter{Bot: instantCore{}}
	a.init()
	o := origin{Channel: "C1"}
	r := cacheSamples()[0]
	want := fresh(t, o, r)
	written(t, a, o, r)
	written(t, a, o, r) // cached now
	r.Buttons[0].Label = "Changed"
	r.Fields[0].Value = "Changed"
	r.Image.Alt = "Changed"
	if got, fr := written(t, a, o, r), fresh(t, o, r); !bytes.Equal(got, fr) {
		t.Fatalf("changed reply:\ngot  %s\nwant %s", got, fr)
	}
	if got := written(t, a, o, cacheSamples()[0]); !bytes.Equal(got, want) {
		t.Fatalf("original reply:\ngot  %s\nwant %s", got, want)
	}
}

// TestAnswerCacheConcurrent is for the race detector.
func TestAnswerCacheConcurrent(t *testing.T) {
	a := &Adapter{Bot: instantCore{}}
	a.init()
	samples := cacheSamples()
	o := origin{Channel: "C1"}
	want := make([][]byte, len(samples))
	for i, r := range samples {
		want[i] = fresh(t, o, r)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for k := range 200 {
				i := (g*31 + k*7) % len(samples)
				m, _ := a.inlineAnswer(o, samples[i])
				b, _ := json.Marshal(m)
				if !bytes.Equal(append(b, '\n'), want[i]) {
					t.Errorf("reply %d: got %s", i, b)
					return
				}
			}
		})
	}
	wg.Wait()
}

func BenchmarkInlineAnswer(b *testing.B) {
	o := origin{Channel: "C1"}
	for _, cached := range []bool{false, true} {
		b.Run(fmt.Sprintf("cache=%v", cached), func(b *testing.B) {
			a := &Adapter{Bot: instantCore{}}
			a.init()
			if !cached {
				a.answers = nil
			}
			b.ReportAllocs()
			for b.Loop() {
				rec := httptest.NewRecorder()
				m, _ := a.inlineAnswer(o, typicalReply)
				a.writeJSON(rec, m)
			}
		})
	}
}

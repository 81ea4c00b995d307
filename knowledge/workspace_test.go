package knowledge

import (
	"testing"
)

func TestWithOverrides(t *testing.T) {
	base, err := Load(Embedded())
	if err != nil {
		t.Fatal(err)
	}
	shipped, ok := base.Entry("reapply-wait")
	if !ok {
		t.Fatal("no reapply-wait entry shipped")
	}
	over, err := ParseCards("workspace", []byte(`id: reapply-wait
phrasings+:
  - what does the guild say about the cooling-off thing
---
In our community most people wait about two months.
===
id: guild-meetups
title: When the guild meets
phrasings:
  - when is the next guild meetup
  - where do we meet on fridays
---
Fridays at 6pm in the voice channel.
===
id: bot-help
remove: yes
`))
	if err != nil {
		t.Fatal(err)
	}
	ws, err := base.WithOverrides("test", over)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, question, wantID, wantAnswer string
	}{
		{"a new entry is found", "when is the next guild meetup?", "guild-meetups", "Fridays at 6pm in the voice channel."},
		{"an edited answer is used with the shipped phrasings", shipped.Phrasings[0], "reapply-wait", "In our community most people wait about two months."},
		{"an added phrasing finds the entry", "what does the guild say about the cooling-off thing", "reapply-wait", "In our community most people wait about two months."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := ws.Index.Search(tc.question)
			if !m.Answered || m.Entry.ID != tc.wantID {
				t.Fatalf("Search(%q) = answered %v entry %+v, want %s", tc.question, m.Answered, m.Entry, tc.wantID)
			}
			if m.Entry.Answer != tc.wantAnswer {
				t.Errorf("answer %q, want %q", m.Entry.Answer, tc.wantAnswer)
			}
		})
	}
	if _, ok := ws.Entry("bot-help"); ok {
		t.Error("removed entry bot-help still in the workspace's FAQ")
	}
	// The base is untouched.
	if e, _ := base.Entry("reapply-wait"); e.Answer != shipped.Answer {
		t.Error("the shipped entry changed")
	}
	if _, ok := base.Entry("guild-meetups"); ok {
		t.Error("the workspace's entry leaked into the base")
	}
	if m := base.Index.Search("when is the next guild meetup?"); m.Answered && m.Entry.ID == "guild-meetups" {
		t.Error("the base index answers with the workspace's entry")
	}
}

func TestWithOverridesRefusesBadRecords(t *testing.T) {
	base, err := Load(Embedded())
	if err != nil {
		t.Fatal(err)
	}
	for name, card := range map[string]string{
		"new entry without phrasings": "id: brand-new\ntitle: New\n---\nbody",
		"remove of an unknown id":     "id: not-there\nremove: yes\n",
		"bad id":                      "id: Bad Id\ntitle: x\nphrasings:\n  - a\n",
	} {
		t.Run(name, func(t *testing.T) {
			recs, err := ParseCards("ws", []byte(card))
			if err != nil {
				return // refused while parsing: fine
			}
			if _, err := base.WithOverrides("test", recs); err == nil {
				t.Errorf("WithOverrides accepted %q", card)
			}
		})
	}
}

package main

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/store"
)

func TestCountRecordedReadsTheBotsSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bot.db")
	ctx := context.Background()
	sdb, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Unix(1_800_000_000, 0)
	for _, e := range []struct {
		team, user string
		at         time.Time
	}{
		{"T1234560", "U12345600001", start.Add(time.Second)},
		{"T1234560", "U12345600002", start.Add(2 * time.Second)},
		{"T1234561", "U12345600003", start.Add(3 * time.Second)},
		{"T1234561", "U12345600003", start.Add(-time.Minute)},    // before the run
		{"T9999990", "U99999900001", start.Add(2 * time.Second)}, // another run's user
	} {
		ev := bot.Event{User: bot.UserRef{Platform: bot.PlatformSlack, Tenant: e.team, ID: e.user}, Time: e.at, Kind: bot.EventQuestion, Text: "hi"}
		if err := sdb.RecordEvent(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	if err := sdb.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tests := []struct {
		name     string
		prefixes []string
		from, to time.Time
		want     int64
	}{
		{"the run's users in the run's window are counted", []string{"U123456"}, start, start.Add(10 * time.Second), 3},
		{"events before the window are left out", []string{"U123456"}, start.Add(2 * time.Second), start.Add(10 * time.Second), 2},
		{"two prefixes add up", []string{"U123456", "U999999"}, start, start.Add(10 * time.Second), 4},
		{"a prefix nobody has counts nothing", []string{"U000000"}, start, start.Add(10 * time.Second), 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n, err := countRecorded(ctx, db, tc.prefixes, tc.from, tc.to)
			if err != nil {
				t.Fatal(err)
			}
			if n != tc.want {
				t.Errorf("counted %d, want %d", n, tc.want)
			}
		})
	}
}

func TestCheckRecordedSaysWhenTheFileIsNotADatabaseOfEvents(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.db")
	db, err := sql.Open("sqlite3", "file:"+empty)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE other (x)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	tests := []struct {
		name, path string
	}{
		{"a missing file is reported", filepath.Join(dir, "missing.db")},
		{"a database without an events table is reported", empty},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := checkRecorded(context.Background(), tc.path, []string{"U1"}, time.Now(), time.Now(), 0, time.Second); err == nil {
				t.Error("no error")
			}
		})
	}
}

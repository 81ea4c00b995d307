package main

import (
	"io"
	"log/slog"
	"runtime/debug"
	"testing"
)

func TestTuneGCLeavesAnOperatorsGOGC(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	tests := []struct {
		name string
		gogc string
		want int
	}{
		{"unset: the server's target", "", serverGCPercent},
		{"set: left as Go applied it", "150", 150},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			was := debug.SetGCPercent(150) // as Go would have applied GOGC=150
			t.Cleanup(func() { debug.SetGCPercent(was) })
			tuneGC(&env{getenv: func(k string) string {
				if k == "GOGC" {
					return tt.gogc
				}
				return ""
			}}, log)
			if got := debug.SetGCPercent(150); got != tt.want {
				t.Errorf("GC percent = %d, want %d", got, tt.want)
			}
		})
	}
}

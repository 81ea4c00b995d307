package main

import (
	"strings"
	"testing"
)

func TestHistoryBehindEnv(t *testing.T) {
	for _, tc := range []struct {
		value   string
		want    bool
		wantErr string
	}{
		{"", false, ""},
		{"0", false, ""},
		{"1", true, ""},
		{" true ", true, ""},
		{"false", false, ""},
		{"yes", false, `INFLUBOT_HISTORY_BEHIND "yes"`},
		{"2", false, `INFLUBOT_HISTORY_BEHIND "2"`},
	} {
		t.Run(tc.value, func(t *testing.T) {
			got, err := historyBehind(&env{getenv: func(k string) string {
				if k == "INFLUBOT_HISTORY_BEHIND" {
					return tc.value
				}
				return ""
			}})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("historyBehind(%q) = %v, %v; want an error naming %s", tc.value, got, err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("historyBehind(%q) = %v, %v; want %v", tc.value, got, err, tc.want)
			}
		})
	}
}

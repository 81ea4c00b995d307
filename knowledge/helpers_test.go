package knowledge

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

func strconvF(f float64) string { return strconv.FormatFloat(f, 'f', 3, 64) }

func mustWrite(t testing.TB, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func pct(f float64) string { return strconv.FormatFloat(100*f, 'f', 1, 64) + "%" }

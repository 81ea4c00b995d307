package main

import (
	"strings"
	"unicode"
)

// termSafe returns s with the characters a terminal would act on instead
// of showing made harmless, for tables and echoes of text users typed:
// ESC (which starts colour, cursor and title sequences), NUL, BEL, the
// other C0 and C1 controls and DEL become a visible "\xNN"-style escape,
// and bidirectional overrides (which reorder what is shown) are dropped.
// Tabs and newlines become spaces. Text printed as JSON needs none of
// this: the encoder escapes controls itself.
func termSafe(s string) string {
	clean := true
	for _, r := range s {
		if unsafeRune(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			b.WriteByte(' ')
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			b.WriteString(`\x`)
			b.WriteString(strings.ToUpper(string("0123456789abcdef"[r>>4&0xf]) + string("0123456789abcdef"[r&0xf])))
		case unsafeRune(r):
			// bidi controls: dropped
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func unsafeRune(r rune) bool {
	switch {
	case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e || r == 0x200f:
		return true
	}
	return unicode.Is(unicode.Cc, r)
}

package main

import (
	"strings"

	"github.com/influbot/influbot/adapters/console"
)

// termSafe returns s on one line with the characters a terminal would act
// on instead of showing made harmless (console.Printable): ESC, NUL, BEL
// and the other C0 and C1 controls become a visible \xNN, bidirectional
// overrides are dropped, and line breaks and tabs become spaces. It is for
// tables, echoes and error lines that may quote what users typed; JSON
// output needs none of it, the encoder escapes controls itself.
func termSafe(s string) string {
	return strings.NewReplacer("\n", " ", "\t", " ").Replace(console.Printable(s))
}

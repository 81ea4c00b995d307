package discord

import (
	"encoding/json"

	"github.com/bwmarrin/discordgo"
)

// Discord adds component types faster than discordgo learns them, and
// discordgo v0.29 refuses a whole interaction that holds one it does not
// know. The one that matters is the Label (type 18): Discord's current
// documentation wraps each field of a modal in a Label, so a modal
// submission arrives as Labels around text inputs.

// knownComponentType reports whether discordgo reads components of type t.
func knownComponentType(t float64) bool {
	return t >= 1 && t <= 14 && t == float64(int(t)) || t == 17
}

// componentLabel is the Label type: {"type": 18, "component": {...}}.
const componentLabel = 18

// withKnownComponents rewrites an interaction's JSON so that discordgo can
// read it: a Label becomes an action row around the component it labels,
// and a component of any other unknown type is left out. ok is false when
// body is not a JSON object or nothing needed rewriting.
func withKnownComponents(body []byte) ([]byte, bool) {
	var v map[string]any
	if err := json.Unmarshal(body, &v); err != nil {
		return nil, false
	}
	if !rewriteComponents(v) {
		return nil, false
	}
	out, err := json.Marshal(v)
	if err != nil {
		return nil, false
	}
	return out, true
}

// rewriteComponents rewrites every "components" list under v in place,
// reporting whether anything changed. (A Section's "accessory" of an
// unknown type is left as it is: the adapter's messages have none.)
func rewriteComponents(v any) bool {
	changed := false
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if list, ok := x.([]any); ok && k == "components" {
				kept := make([]any, 0, len(list))
				for _, c := range list {
					c, keep, ch := knownComponent(c)
					changed = changed || ch
					if keep {
						kept = append(kept, c)
					}
				}
				v[k] = kept
			}
			if rewriteComponents(v[k]) {
				changed = true
			}
		}
	case []any:
		for _, x := range v {
			if rewriteComponents(x) {
				changed = true
			}
		}
	}
	return changed
}

// knownComponent returns c as discordgo can read it: itself, a Label's
// component in an action row, or nothing (keep false).
func knownComponent(c any) (out any, keep, changed bool) {
	m, ok := c.(map[string]any)
	if !ok {
		return c, true, false
	}
	t, _ := m["type"].(float64)
	switch {
	case knownComponentType(t):
		return c, true, false
	case t == componentLabel:
		inner, ok := m["component"].(map[string]any)
		if !ok {
			return nil, false, true
		}
		if it, _ := inner["type"].(float64); !knownComponentType(it) {
			return nil, false, true
		}
		return map[string]any{"type": float64(discordgo.ActionsRowComponent), "components": []any{inner}}, true, true
	}
	return nil, false, true
}

package slack

import (
	"encoding/json"

	slackapi "github.com/slack-go/slack"

	"github.com/influbot/influbot/internal/jsonstr"
)

// A slash command's inline answer is written by hand: encoding/json's
// reflection over Block Kit's interface-typed blocks was most of the cost
// of answering. The bytes are encoding/json's (HTML-safe escaping, field
// order and omitempty as the struct tags say); a block or element of a
// kind not written here goes through encoding/json itself.
// TestInlineJSONMatchesEncodingJSON compares the two.

// appendInlineMessage appends m as json.Marshal writes it.
func appendInlineMessage(dst []byte, m *inlineMessage) []byte {
	dst = append(dst, `{"response_type":`...)
	dst = jsonstr.Append(dst, m.ResponseType)
	dst = append(dst, `,"text":`...)
	dst = jsonstr.Append(dst, m.Text)
	if len(m.Blocks) > 0 {
		dst = append(dst, `,"blocks":[`...)
		for i, b := range m.Blocks {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendBlock(dst, b)
		}
		dst = append(dst, ']')
	}
	return append(dst, '}')
}

func appendBlock(dst []byte, b slackapi.Block) []byte {
	switch b := b.(type) {
	case *slackapi.HeaderBlock:
		if b == nil || b.Level != 0 {
			break
		}
		dst = appendBlockHead(dst, string(b.Type), b.Text, b.BlockID)
		return append(dst, '}')
	case *slackapi.SectionBlock:
		if b == nil || b.Accessory != nil {
			break
		}
		dst = appendBlockHead(dst, string(b.Type), b.Text, b.BlockID)
		if len(b.Fields) > 0 {
			dst = append(dst, `,"fields":[`...)
			for i, f := range b.Fields {
				if i > 0 {
					dst = append(dst, ',')
				}
				dst = appendTextObject(dst, f)
			}
			dst = append(dst, ']')
		}
		if b.Expand {
			dst = append(dst, `,"expand":true`...)
		}
		return append(dst, '}')
	case *slackapi.ActionBlock:
		if b == nil || !plainButtons(b.Elements) {
			break
		}
		dst = appendBlockHead(dst, string(b.Type), nil, b.BlockID)
		dst = append(dst, `,"elements":`...)
		if b.Elements == nil || b.Elements.ElementSet == nil {
			dst = append(dst, "null"...)
		} else {
			dst = append(dst, '[')
			for i, e := range b.Elements.ElementSet {
				if i > 0 {
					dst = append(dst, ',')
				}
				dst = appendButton(dst, e.(*slackapi.ButtonBlockElement))
			}
			dst = append(dst, ']')
		}
		return append(dst, '}')
	}
	return appendMarshal(dst, b)
}

// plainButtons reports whether els are buttons appendButton writes.
func plainButtons(els *slackapi.BlockElements) bool {
	if els == nil {
		return true
	}
	for _, e := range els.ElementSet {
		btn, ok := e.(*slackapi.ButtonBlockElement)
		if !ok || btn == nil || btn.Confirm != nil || len(btn.VisibleToUserIDs) > 0 {
			return false
		}
	}
	return true
}

func appendButton(dst []byte, b *slackapi.ButtonBlockElement) []byte {
	dst = append(dst, '{')
	if b.Type != "" {
		dst = append(dst, `"type":`...)
		dst = jsonstr.Append(dst, string(b.Type))
		dst = append(dst, ',')
	}
	dst = append(dst, `"text":`...)
	if b.Text == nil {
		dst = append(dst, "null"...)
	} else {
		dst = appendTextObject(dst, b.Text)
	}
	for _, f := range [...]struct{ name, value string }{
		{`,"action_id":`, b.ActionID},
		{`,"url":`, b.URL},
		{`,"value":`, b.Value},
		{`,"style":`, string(b.Style)},
		{`,"accessibility_label":`, b.AccessibilityLabel},
		{`,"agent_prompt":`, b.AgentPrompt},
		{`,"agent_prompt_display":`, b.AgentPromptDisplay},
	} {
		dst = appendStringField(dst, f.name, f.value)
	}
	return append(dst, '}')
}

// appendBlockHead opens a block: its type, then its text and block_id
// when set (omitempty).
func appendBlockHead(dst []byte, typ string, text *slackapi.TextBlockObject, blockID string) []byte {
	dst = append(dst, `{"type":`...)
	dst = jsonstr.Append(dst, typ)
	if text != nil {
		dst = append(dst, `,"text":`...)
		dst = appendTextObject(dst, text)
	}
	return appendStringField(dst, `,"block_id":`, blockID)
}

// appendStringField appends key (with its leading comma and colon) and v,
// unless v is empty (omitempty).
func appendStringField(dst []byte, key, v string) []byte {
	if v == "" {
		return dst
	}
	dst = append(dst, key...)
	return jsonstr.Append(dst, v)
}

func appendTextObject(dst []byte, t *slackapi.TextBlockObject) []byte {
	if t == nil {
		return append(dst, "null"...)
	}
	dst = append(dst, `{"type":`...)
	dst = jsonstr.Append(dst, t.Type)
	dst = append(dst, `,"text":`...)
	dst = jsonstr.Append(dst, t.Text)
	if t.Emoji != nil {
		if *t.Emoji {
			dst = append(dst, `,"emoji":true`...)
		} else {
			dst = append(dst, `,"emoji":false`...)
		}
	}
	if t.Verbatim {
		dst = append(dst, `,"verbatim":true`...)
	}
	return append(dst, '}')
}

// appendMarshal appends what encoding/json writes for v.
func appendMarshal(dst []byte, v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		// Not for the blocks render draws; encoding/json would have
		// failed the whole answer the same way.
		return append(dst, "null"...)
	}
	return append(dst, b...)
}

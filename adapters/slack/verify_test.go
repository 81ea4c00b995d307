package slack

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestVerify checks the signature check on the cases the pooled HMAC and
// the hand-read hex must get as encoding/hex and a fresh HMAC did.
func TestVerify(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	body := []byte("token=x&text=hello+world")
	sign := func(secret string) string {
		mac := hmac.New(sha256.New, []byte(secret))
		mac.Write([]byte("v0:" + strconv.FormatInt(now.Unix(), 10) + ":"))
		mac.Write(body)
		return hex.EncodeToString(mac.Sum(nil))
	}
	good := sign("s3cret")
	for _, tc := range []struct {
		name, secret, sig, want string
	}{
		{"a good signature passes", "s3cret", "v0=" + good, ""},
		{"upper-case hex passes, as encoding/hex read it", "s3cret", "v0=" + strings.ToUpper(good), ""},
		{"the same again passes with a pooled HMAC", "s3cret", "v0=" + good, ""},
		{"another secret's signature fails", "s3cret", "v0=" + sign("other"), "the signature does not match the body"},
		{"a changed secret is used at once", "other", "v0=" + sign("other"), ""},
		{"and the old one no longer", "other", "v0=" + good, "the signature does not match the body"},
		{"a short signature is malformed", "s3cret", "v0=" + good[:62], "malformed X-Slack-Signature"},
		{"an odd length is malformed", "s3cret", "v0=" + good[:63], "malformed X-Slack-Signature"},
		{"a long signature is malformed", "s3cret", "v0=" + good + "00", "malformed X-Slack-Signature"},
		{"a non-hex digit is malformed", "s3cret", "v0=" + good[:10] + "g" + good[11:], "malformed X-Slack-Signature"},
		{"no v0 prefix fails", "s3cret", good, "missing X-Slack-Signature, or not a v0 signature"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := &Adapter{SigningSecret: tc.secret, Now: func() time.Time { return now }}
			a.init()
			h := http.Header{}
			h.Set("X-Slack-Request-Timestamp", strconv.FormatInt(now.Unix(), 10))
			h.Set("X-Slack-Signature", tc.sig)
			err := a.verify(h, body)
			if got := errText(err); got != tc.want {
				t.Fatalf("verify = %q, want %q", got, tc.want)
			}
		})
	}
	// One adapter whose secret changes between requests.
	a := &Adapter{SigningSecret: "s3cret", Now: func() time.Time { return now }}
	a.init()
	h := http.Header{}
	h.Set("X-Slack-Request-Timestamp", strconv.FormatInt(now.Unix(), 10))
	h.Set("X-Slack-Signature", "v0="+good)
	if err := a.verify(h, body); err != nil {
		t.Fatal(err)
	}
	a.SigningSecret = "other"
	if err := a.verify(h, body); err == nil {
		t.Fatal("a pooled HMAC of the old secret passed")
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// Slack checks a slash command's certificate when its URL is saved with
// ssl_check=1 and no command; Bolt answers 200 before verifying anything,
// and so does the adapter, but a wrong signature is still refused.
func TestSSLCheckIsAnswered200(t *testing.T) {
	h := newHarness(t, nil)
	body := []byte("ssl_check=1&token=gIkuvaNzQIHg97ATvDxqgjtO")
	bad := http.Header{"X-Slack-Request-Timestamp": {strconv.FormatInt(time.Now().Unix(), 10)}, "X-Slack-Signature": {"v0=" + strings.Repeat("0", 64)}}
	for _, tc := range []struct {
		name   string
		header http.Header // nil: signed
		status int
	}{
		{"signed", nil, http.StatusOK},
		{"unsigned, as Bolt takes it", http.Header{}, http.StatusOK},
		{"with a wrong signature", bad, http.StatusUnauthorized},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := h.send(t, CommandsPath, "application/x-www-form-urlencoded", body, tc.header)
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d (%s)", resp.StatusCode, tc.status, b)
			}
			if tc.status == http.StatusOK && len(b) != 0 {
				t.Errorf("body %q, want none", b)
			}
		})
	}
	h.settle(t)
	if n := h.core.count(); n != 0 {
		t.Errorf("the core got %d requests, want none", n)
	}
}

// A menu that loads its options from the app (block_suggestion) gets an
// empty list: the app's own menus have static options.
func TestBlockSuggestionGetsNoOptions(t *testing.T) {
	h := newHarness(t, nil)
	payload, _ := json.Marshal(map[string]any{
		"type": "block_suggestion", "action_id": "pick", "block_id": "b1", "value": "kit",
		"team": map[string]any{"id": teamA, "domain": "team"}, "user": map[string]any{"id": "U1", "team_id": teamA},
		"api_app_id": "A0000APP", "container": map[string]any{"type": "message", "channel_id": "C1", "message_ts": "1.2"},
	})
	resp := h.sendForm(t, InteractivePath, url.Values{"payload": {string(payload)}})
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || strings.TrimSpace(string(b)) != `{"options":[]}` || resp.Header.Get("Content-Type") != "application/json" {
		t.Errorf("status %d, %q, body %s; want 200 and {\"options\":[]}", resp.StatusCode, resp.Header.Get("Content-Type"), b)
	}
	h.settle(t)
	if n := h.core.count(); n != 0 {
		t.Errorf("the core got %d requests, want none", n)
	}
}

package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"testing"
	"time"
)

// The example request in Slack's "Verifying requests from Slack" guide.
const (
	slackDocSecret    = "8f742231b10e8888abcd99yyyzzz85a5"
	slackDocTimestamp = "1531420618"
	slackDocBody      = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
	slackDocSignature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
)

func TestSlackSignatureMatchesSlacksDocumentedExample(t *testing.T) {
	if got := slackSignature(slackDocSecret, slackDocTimestamp, []byte(slackDocBody)); got != slackDocSignature {
		t.Errorf("signature %s, want %s", got, slackDocSignature)
	}
}

func TestVerifySlack(t *testing.T) {
	at := time.Unix(1531420618, 0)
	tests := []struct {
		name      string
		secret    string
		timestamp string
		signature string
		body      string
		now       time.Time
		ok        bool
	}{
		{"the documented example verifies", slackDocSecret, slackDocTimestamp, slackDocSignature, slackDocBody, at, true},
		{"a request four minutes old verifies", slackDocSecret, slackDocTimestamp, slackDocSignature, slackDocBody, at.Add(4 * time.Minute), true},
		{"a request six minutes old is refused", slackDocSecret, slackDocTimestamp, slackDocSignature, slackDocBody, at.Add(6 * time.Minute), false},
		{"another secret is refused", "not-the-secret", slackDocTimestamp, slackDocSignature, slackDocBody, at, false},
		{"a changed body is refused", slackDocSecret, slackDocTimestamp, slackDocSignature, slackDocBody + "&x=1", at, false},
		{"a signature without v0= is refused", slackDocSecret, slackDocTimestamp, slackDocSignature[3:], slackDocBody, at, false},
		{"a missing timestamp is refused", slackDocSecret, "", slackDocSignature, slackDocBody, at, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := verifySlack(tc.secret, tc.timestamp, tc.signature, []byte(tc.body), tc.now)
			if (err == nil) != tc.ok {
				t.Errorf("verify: %v, want ok=%v", err, tc.ok)
			}
		})
	}
}

func TestDiscordSignatureRoundTrip(t *testing.T) {
	key, err := discordKey("", rand.Read)
	if err != nil {
		t.Fatal(err)
	}
	other, err := discordKey("", rand.Read)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1700000000, 0)
	ts := "1700000000"
	body := []byte(`{"type":2,"data":{"name":"ask"}}`)
	sig := discordSignature(key, ts, body)
	tests := []struct {
		name string
		pub  ed25519.PublicKey
		ts   string
		sig  string
		body []byte
		now  time.Time
		ok   bool
	}{
		{"the signed body verifies with the public key", key.Public().(ed25519.PublicKey), ts, sig, body, now, true},
		{"another key's public key refuses it", other.Public().(ed25519.PublicKey), ts, sig, body, now, false},
		{"a changed body is refused", key.Public().(ed25519.PublicKey), ts, sig, append(append([]byte{}, body...), ' '), now, false},
		{"a changed timestamp is refused", key.Public().(ed25519.PublicKey), "1700000001", sig, body, now, false},
		{"a stale timestamp is refused", key.Public().(ed25519.PublicKey), ts, sig, body, now.Add(10 * time.Minute), false},
		{"a truncated signature is refused", key.Public().(ed25519.PublicKey), ts, sig[:100], body, now, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := verifyDiscord(tc.pub, tc.ts, tc.sig, tc.body, tc.now)
			if (err == nil) != tc.ok {
				t.Errorf("verify: %v, want ok=%v", err, tc.ok)
			}
		})
	}
}

func TestDiscordKeyFromSeed(t *testing.T) {
	tests := []struct {
		name    string
		seed    string
		wantPub string // "" when the seed is refused
	}{
		// Public key computed independently (Python's cryptography package).
		{"a 32-byte hex seed gives its public key", "1111111111111111111111111111111111111111111111111111111111111111", "d04ab232742bb4ab3a1368bd4615e4e6d0224ab71a016baf8520a332c9778737"},
		{"a short seed is refused", "1111", ""},
		{"a seed that is not hex is refused", "zz11111111111111111111111111111111111111111111111111111111111111", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			key, err := discordKey(tc.seed, rand.Read)
			if tc.wantPub == "" {
				if err == nil {
					t.Fatal("accepted")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := hex.EncodeToString(key.Public().(ed25519.PublicKey)); got != tc.wantPub {
				t.Errorf("public key %s, want %s", got, tc.wantPub)
			}
		})
	}
}

package main

import (
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"
)

// maxSkew is how far a request's timestamp may be from the clock, as Slack
// and Discord ask servers to enforce.
const maxSkew = 5 * time.Minute

// slackSignature is Slack's v0 request signature: "v0=" and the hex
// HMAC-SHA256 of "v0:" + timestamp + ":" + body under the signing secret.
func slackSignature(secret, timestamp string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("v0:" + timestamp + ":"))
	mac.Write(body)
	return "v0=" + hex.EncodeToString(mac.Sum(nil))
}

// verifySlack checks a v0 signature and the timestamp's freshness at now.
func verifySlack(secret, timestamp, signature string, body []byte, now time.Time) error {
	if err := fresh(timestamp, now); err != nil {
		return err
	}
	sig, ok := strings.CutPrefix(signature, "v0=")
	if !ok {
		return errors.New("not a v0 signature")
	}
	got, err := hex.DecodeString(sig)
	if err != nil || len(got) != sha256.Size {
		return errors.New("malformed signature")
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("v0:" + timestamp + ":"))
	mac.Write(body)
	if !hmac.Equal(got, mac.Sum(nil)) {
		return errors.New("the signature does not match the body")
	}
	return nil
}

// discordSignature is Discord's X-Signature-Ed25519: the hex Ed25519
// signature of timestamp + body.
func discordSignature(key ed25519.PrivateKey, timestamp string, body []byte) string {
	msg := make([]byte, 0, len(timestamp)+len(body))
	msg = append(append(msg, timestamp...), body...)
	return hex.EncodeToString(ed25519.Sign(key, msg))
}

// verifyDiscord checks an X-Signature-Ed25519 header and the timestamp's
// freshness at now.
func verifyDiscord(pub ed25519.PublicKey, timestamp, signature string, body []byte, now time.Time) error {
	if err := fresh(timestamp, now); err != nil {
		return err
	}
	sig, err := hex.DecodeString(signature)
	if err != nil || len(sig) != ed25519.SignatureSize {
		return errors.New("malformed signature")
	}
	msg := make([]byte, 0, len(timestamp)+len(body))
	msg = append(append(msg, timestamp...), body...)
	if !ed25519.Verify(pub, msg, sig) {
		return errors.New("the signature does not match the body")
	}
	return nil
}

func fresh(timestamp string, now time.Time) error {
	sec, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return errors.New("missing or malformed timestamp")
	}
	if skew := now.Sub(time.Unix(sec, 0)); skew > maxSkew || skew < -maxSkew {
		return errors.New("timestamp is more than 5 minutes from the clock")
	}
	return nil
}

// discordKey reads a hex Ed25519 seed (32 bytes), or makes a new key when
// seedHex is empty.
func discordKey(seedHex string, random func([]byte) (int, error)) (ed25519.PrivateKey, error) {
	if seedHex == "" {
		seed := make([]byte, ed25519.SeedSize)
		if _, err := random(seed); err != nil {
			return nil, err
		}
		return ed25519.NewKeyFromSeed(seed), nil
	}
	seed, err := hex.DecodeString(strings.TrimSpace(seedHex))
	if err != nil || len(seed) != ed25519.SeedSize {
		return nil, errors.New("--discord-key must be 64 hex digits (a 32-byte Ed25519 seed)")
	}
	return ed25519.NewKeyFromSeed(seed), nil
}

package slack

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// sealedPrefix starts every sealed value: the format's version.
const sealedPrefix = "v1"

// Sealer encrypts secrets at rest (the bot tokens of installed
// workspaces) with AES-256-GCM. A sealed value reads
// "v1:<key id>:<base64 nonce and ciphertext>"; the key id (the first 8 hex
// digits of the key's SHA-256) names the key that sealed it, so a key can
// be rotated: seal with the new key, keep the old ones for opening
// (INFLUBOT_SECRET_KEY and INFLUBOT_SECRET_KEY_OLD), and values sealed
// with an old key are sealed again with the new one as they are read.
type Sealer struct {
	current string
	raw     []byte // the current key, for derive
	keys    map[string]cipher.AEAD
}

// NewSealer reads the current key and any old ones, each base64 of 32
// bytes (`openssl rand -base64 32`); old is a comma- or space-separated
// list. Key material never appears in its errors.
func NewSealer(current string, old ...string) (*Sealer, error) {
	s := &Sealer{keys: map[string]cipher.AEAD{}}
	id, err := s.add(current)
	if err != nil {
		return nil, fmt.Errorf("INFLUBOT_SECRET_KEY: %w", err)
	}
	s.current = id
	s.raw, _ = base64.StdEncoding.DecodeString(strings.TrimSpace(current))
	for _, list := range old {
		for _, k := range strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == ' ' }) {
			if _, err := s.add(k); err != nil {
				return nil, fmt.Errorf("INFLUBOT_SECRET_KEY_OLD: %w", err)
			}
		}
	}
	return s, nil
}

func (s *Sealer) add(b64 string) (string, error) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(b64))
	if err != nil || len(key) != 32 {
		return "", errors.New("want base64 of 32 random bytes (openssl rand -base64 32)")
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return "", fmt.Errorf("aes: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return "", fmt.Errorf("gcm: %w", err)
	}
	sum := sha256.Sum256(key)
	id := hex.EncodeToString(sum[:4])
	s.keys[id] = aead
	return id, nil
}

// KeyID is the id of the key new values are sealed with.
func (s *Sealer) KeyID() string { return s.current }

// Seal encrypts plain, bound to context (the install's id): a value
// sealed for one workspace does not open as another's.
func (s *Sealer) Seal(plain, context string) (string, error) {
	aead := s.keys[s.current]
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", fmt.Errorf("seal: nonce: %w", err)
	}
	out := aead.Seal(nonce, nonce, []byte(plain), []byte(context))
	return sealedPrefix + ":" + s.current + ":" + base64.RawStdEncoding.EncodeToString(out), nil
}

// Open decrypts a sealed value for context. stale reports that it was
// sealed with an old key and should be sealed again.
func (s *Sealer) Open(sealed, context string) (plain string, stale bool, err error) {
	parts := strings.SplitN(sealed, ":", 3)
	if len(parts) != 3 || parts[0] != sealedPrefix {
		return "", false, errors.New("open: not a sealed value")
	}
	aead, ok := s.keys[parts[1]]
	if !ok {
		return "", false, fmt.Errorf("open: sealed with key %s, which is neither INFLUBOT_SECRET_KEY nor in INFLUBOT_SECRET_KEY_OLD", parts[1])
	}
	raw, err := base64.RawStdEncoding.DecodeString(parts[2])
	if err != nil || len(raw) < aead.NonceSize() {
		return "", false, errors.New("open: malformed sealed value")
	}
	out, err := aead.Open(nil, raw[:aead.NonceSize()], raw[aead.NonceSize():], []byte(context))
	if err != nil {
		return "", false, errors.New("open: the value does not decrypt with its key (tampered, or sealed for another workspace)")
	}
	return string(out), parts[1] != s.current, nil
}

// derive returns a key for purpose (the install flow's state MACs),
// derived from the current key with HMAC-SHA256, so one secret serves
// both and neither reveals the other.
func (s *Sealer) derive(purpose string) []byte {
	m := hmac.New(sha256.New, s.raw)
	m.Write([]byte("influbot derive " + purpose))
	return m.Sum(nil)
}

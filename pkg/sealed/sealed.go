// Package sealed encrypts single fields that must not be readable at rest —
// identity numbers, bank accounts, health-check results — and gives each a
// blind index so an encrypted column can still be searched for equality and
// carry a unique constraint.
//
// A sealed value is
//
//	version (1 byte) || nonce (12 bytes) || AES-256-GCM ciphertext and tag
//
// The version byte names the key that sealed the value, so keys can be
// rotated later by adding a version without rewriting every row first; it is
// also authenticated (as GCM additional data), so it cannot be swapped.
// Nonces are random: with 96-bit random nonces one key stays safe for far
// more values (2^32) than Anxin will ever seal.
//
// The blind index is HMAC-SHA256 under a second, independent key, so the
// index reveals nothing about the value to someone without that key, and
// knowing the index key does not decrypt anything.
package sealed

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// KeySize is the length in bytes of both keys: 32, for AES-256 and for an
// HMAC-SHA256 key as long as its output.
const KeySize = 32

// Version is the key version byte the current key writes.
const Version byte = 1

const nonceSize = 12

// Sealer seals and opens values under one field key and computes blind
// indexes under one index key. It is safe for concurrent use.
type Sealer struct {
	aead     cipher.AEAD
	indexKey []byte
}

// New returns a Sealer. fieldKey encrypts, indexKey keys the blind index;
// both must be KeySize random bytes and must differ, or New returns an
// error wrapping ErrKey. The keys are copied.
func New(fieldKey, indexKey []byte) (*Sealer, error) {
	if len(fieldKey) != KeySize {
		return nil, fmt.Errorf("%w: field key has %d bytes, want %d", ErrKey, len(fieldKey), KeySize)
	}
	if len(indexKey) != KeySize {
		return nil, fmt.Errorf("%w: index key has %d bytes, want %d", ErrKey, len(indexKey), KeySize)
	}
	if subtle.ConstantTimeCompare(fieldKey, indexKey) == 1 {
		return nil, fmt.Errorf("%w: field and index keys must differ", ErrKey)
	}
	block, err := aes.NewCipher(fieldKey)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrKey, err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrKey, err)
	}
	return &Sealer{aead: aead, indexKey: append([]byte(nil), indexKey...)}, nil
}

// Seal encrypts plain. Sealing the same value twice gives different bytes
// (random nonce); use Index to compare values. The error is only ever a
// failure of the system's random source.
func (s *Sealer) Seal(plain string) ([]byte, error) {
	out := make([]byte, 1+nonceSize, 1+nonceSize+len(plain)+s.aead.Overhead())
	out[0] = Version
	if _, err := rand.Read(out[1:]); err != nil {
		return nil, fmt.Errorf("sealed: nonce: %w", err)
	}
	return s.aead.Seal(out, out[1:1+nonceSize], []byte(plain), out[:1]), nil
}

// Open decrypts a value Seal returned. Anything else — too short, an
// unknown version, a flipped bit, a value sealed under another key — is an
// error wrapping ErrCorrupt.
func (s *Sealer) Open(sealed []byte) (string, error) {
	if len(sealed) < 1+nonceSize+s.aead.Overhead() {
		return "", fmt.Errorf("%w: %d bytes is too short", ErrCorrupt, len(sealed))
	}
	if sealed[0] != Version {
		return "", fmt.Errorf("%w: unknown key version %d", ErrCorrupt, sealed[0])
	}
	plain, err := s.aead.Open(nil, sealed[1:1+nonceSize], sealed[1+nonceSize:], sealed[:1])
	if err != nil {
		return "", fmt.Errorf("%w: authentication failed", ErrCorrupt)
	}
	return string(plain), nil
}

// Index returns the blind index of plain: the hex HMAC-SHA256 of its
// normalized form (see Normalize) under the index key. Two spellings of one
// identity number or account number — lower-case x, full-width digits,
// spaces or hyphens between groups — give the same index, so a unique
// constraint on the index column makes the value itself unique.
func (s *Sealer) Index(plain string) string {
	mac := hmac.New(sha256.New, s.indexKey)
	mac.Write([]byte(Normalize(plain)))
	return hex.EncodeToString(mac.Sum(nil))
}

// Normalize is the form Index hashes: NFKC (full-width digits and letters
// become ASCII), upper-case, with every space and dash removed. It suits
// identifiers; it is not meant for free text.
func Normalize(plain string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || unicode.Is(unicode.Pd, r) {
			return -1
		}
		return unicode.ToUpper(r)
	}, norm.NFKC.String(plain))
}

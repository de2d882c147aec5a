package auth

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"time"
)

// keysFileVersion is the format of the keys file this code writes and reads.
const keysFileVersion = 1

// symmetricKeySize is the size of the field-encryption (AES-256-GCM) and
// blind-index (HMAC-SHA-256) keys.
const symmetricKeySize = 32

// Keys are the secrets a deployment shares between its processes: the
// Ed25519 key that signs identity tokens, and the keys pkg/sealed uses to
// encrypt sensitive fields (ID-card numbers, bank accounts) and to index
// them for equality lookups. The two symmetric keys are distinct so that a
// leak of the index key does not expose the encrypted data.
//
// Keys never print their secrets: String, GoString and LogValue redact them.
type Keys struct {
	// SigningKey signs identity tokens.
	SigningKey ed25519.PrivateKey
	// FieldKey is the 32-byte AES-256-GCM key for sealed fields.
	FieldKey []byte
	// IndexKey is the 32-byte HMAC key for blind indexes.
	IndexKey []byte
}

// keysFile is the JSON on disk; []byte fields are standard base64.
type keysFile struct {
	Version    int       `json:"version"`
	CreatedAt  time.Time `json:"created_at"`
	SigningKey []byte    `json:"signing_key"` // Ed25519 seed, 32 bytes
	FieldKey   []byte    `json:"field_key"`
	IndexKey   []byte    `json:"index_key"`
}

// GenerateKeys returns fresh random keys.
func GenerateKeys() (*Keys, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("auth: generate signing key: %w", err)
	}
	k := &Keys{SigningKey: priv, FieldKey: make([]byte, symmetricKeySize), IndexKey: make([]byte, symmetricKeySize)}
	_, _ = rand.Read(k.FieldKey) // crypto/rand.Read never fails (Go 1.24+)
	_, _ = rand.Read(k.IndexKey)
	return k, nil
}

// PublicKey returns the key that verifies tokens signed with SigningKey.
func (k *Keys) PublicKey() ed25519.PublicKey {
	return k.SigningKey.Public().(ed25519.PublicKey)
}

// LoadKeys reads the keys file at path. A missing file is ErrKeysMissing
// and an unusable one ErrKeysMalformed, each wrapped with the path and the
// reason, so a start-up failure says exactly which file to fix.
func LoadKeys(path string) (*Keys, error) {
	b, err := os.ReadFile(path) // #nosec G304 -- the operator's configured keys file
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s (set ANXIN_KEYS_FILE to an existing keys file)", ErrKeysMissing, path)
	}
	if err != nil {
		return nil, fmt.Errorf("auth: read keys file %s: %w", path, err)
	}
	k, err := parseKeys(b)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrKeysMalformed, path, err)
	}
	return k, nil
}

// LoadOrCreateKeys loads the keys file at path, or, when there is none,
// generates keys and writes them there (creating the directory, mode 0700,
// and the file, mode 0600), reporting created=true. This is the local
// development path; production supplies the file and uses LoadKeys.
//
// Several processes may start at once: the file appears atomically and
// only one of them creates it, the others load what it wrote.
func LoadOrCreateKeys(path string) (k *Keys, created bool, err error) {
	k, err = LoadKeys(path)
	if !errors.Is(err, ErrKeysMissing) {
		return k, false, err
	}
	if k, err = GenerateKeys(); err != nil {
		return nil, false, err
	}
	b, err := marshalKeys(k, time.Now().UTC())
	if err != nil {
		return nil, false, err
	}
	werr := writeNewFile(path, b)
	if errors.Is(werr, fs.ErrExist) {
		k, err = LoadKeys(path) // another process won the race
		return k, false, err
	}
	if werr != nil {
		return nil, false, werr
	}
	return k, true, nil
}

// writeNewFile writes b to path only if path does not exist, atomically:
// a reader sees either no file or the whole file, never a partial one.
func writeNewFile(path string, b []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("auth: create keys directory %s: %w", dir, err)
	}
	tmp, err := os.CreateTemp(dir, ".keys-*.tmp")
	if err != nil {
		return fmt.Errorf("auth: create keys file in %s: %w", dir, err)
	}
	defer func() { _ = os.Remove(tmp.Name()) }() // the link, if made, keeps the data
	if err := tmp.Chmod(0o600); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("auth: keys file permissions: %w", err)
	}
	if _, err := tmp.Write(b); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("auth: write keys file: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("auth: write keys file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("auth: write keys file: %w", err)
	}
	// Link, unlike rename, fails when path exists: exactly one creator wins.
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return err
		}
		return fmt.Errorf("auth: install keys file %s: %w", path, err)
	}
	return nil
}

func marshalKeys(k *Keys, now time.Time) ([]byte, error) {
	b, err := json.MarshalIndent(keysFile{
		Version:    keysFileVersion,
		CreatedAt:  now,
		SigningKey: k.SigningKey.Seed(),
		FieldKey:   k.FieldKey,
		IndexKey:   k.IndexKey,
	}, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("auth: encode keys: %w", err)
	}
	return append(b, '\n'), nil
}

func parseKeys(b []byte) (*Keys, error) {
	var f keysFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("not JSON of the expected shape: %w", err)
	}
	var errs []error
	if f.Version != keysFileVersion {
		errs = append(errs, fmt.Errorf("version %d, want %d", f.Version, keysFileVersion))
	}
	if len(f.SigningKey) != ed25519.SeedSize {
		errs = append(errs, fmt.Errorf("signing_key is %d bytes, want %d", len(f.SigningKey), ed25519.SeedSize))
	}
	if len(f.FieldKey) != symmetricKeySize {
		errs = append(errs, fmt.Errorf("field_key is %d bytes, want %d", len(f.FieldKey), symmetricKeySize))
	}
	if len(f.IndexKey) != symmetricKeySize {
		errs = append(errs, fmt.Errorf("index_key is %d bytes, want %d", len(f.IndexKey), symmetricKeySize))
	}
	if len(f.FieldKey) == symmetricKeySize && subtle.ConstantTimeCompare(f.FieldKey, f.IndexKey) == 1 {
		errs = append(errs, errors.New("field_key and index_key must differ"))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return &Keys{
		SigningKey: ed25519.NewKeyFromSeed(f.SigningKey),
		FieldKey:   f.FieldKey,
		IndexKey:   f.IndexKey,
	}, nil
}

// String redacts the keys.
func (k *Keys) String() string { return "auth.Keys{REDACTED}" }

// GoString redacts the keys from %#v.
func (k *Keys) GoString() string { return k.String() }

// LogValue redacts the keys from slog.
func (k *Keys) LogValue() slog.Value { return slog.StringValue(k.String()) }

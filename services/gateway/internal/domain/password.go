package domain

import (
	"bufio"
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"golang.org/x/crypto/argon2"
)

// Password length limits, in characters (not bytes, so a Chinese passphrase
// counts what the user typed). NIST SP 800-63B §5.1.1.2 asks for at least 8
// and at least 64 allowed; 128 keeps hashing cost bounded.
const (
	PasswordMinLen = 8
	PasswordMaxLen = 128
)

// Argon2Params are the cost parameters of argon2id, stored inside every
// encoded hash so that raising them later re-hashes old passwords at their
// next sign-in (NeedsRehash) instead of locking anyone out.
type Argon2Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8
	SaltLen uint32
	KeyLen  uint32
}

// DefaultArgon2 is OWASP's recommended argon2id setting (19 MiB, 2 passes,
// 1 lane): about 20-30 ms on one core, which a county's sign-in load bears
// and an offline attacker does not enjoy.
var DefaultArgon2 = Argon2Params{Memory: 19 * 1024, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}

// PasswordPolicy judges and hashes passwords. It has no composition rules
// (no "one digit and one capital"): those make passwords harder to remember,
// not to guess. It refuses short ones, very long ones, and known-common ones.
type PasswordPolicy struct {
	Params Argon2Params
}

// NewPasswordPolicy returns the policy with DefaultArgon2.
func NewPasswordPolicy() PasswordPolicy { return PasswordPolicy{Params: DefaultArgon2} }

// Check returns the problems of password for the user named username, on
// the field "password". Every problem is reported, not just the first.
func (p PasswordPolicy) Check(password, username string) []fielderr.Problem {
	var ps fielderr.List
	n := utf8.RuneCountInString(password)
	switch {
	case n == 0:
		ps.Add("password", CodePasswordRequired)
		return ps
	case n < PasswordMinLen:
		ps.Add("password", CodePasswordTooShort, PasswordMinLen)
	case n > PasswordMaxLen:
		ps.Add("password", CodePasswordTooLong, PasswordMaxLen)
		return ps
	}
	lower := strings.ToLower(password)
	if u := NormalizeUsername(username); u != "" && strings.Contains(lower, u) && len(u)*2 >= len(lower) {
		ps.Add("password", CodePasswordIsUsername)
	} else if IsCommonPassword(password) {
		ps.Add("password", CodePasswordCommon)
	}
	return ps
}

// Validate checks a new password and its confirmation, as a form gives them.
func (p PasswordPolicy) Validate(password, confirm, username string) error {
	ps := fielderr.List(p.Check(password, username))
	if len(ps) == 0 && password != confirm {
		ps.Add("password_confirm", CodePasswordMismatch)
	}
	return ps.Err()
}

// Hash returns the argon2id encoding of password with a fresh random salt:
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<key> (unpadded standard base64),
// the format of the reference implementation, readable by other tools.
func (p PasswordPolicy) Hash(password string) string {
	salt := make([]byte, p.Params.SaltLen)
	_, _ = rand.Read(salt) // crypto/rand.Read never fails (Go 1.24+)
	key := argon2.IDKey([]byte(password), salt, p.Params.Time, p.Params.Memory, p.Params.Threads, p.Params.KeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Params.Memory, p.Params.Time, p.Params.Threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// Verify reports whether password matches the encoded hash, comparing in
// constant time. A malformed hash is an error (wrapping ErrMalformedHash),
// never a match.
func (p PasswordPolicy) Verify(password, encoded string) (bool, error) {
	params, salt, key, err := DecodeHash(encoded)
	if err != nil {
		return false, err
	}
	if utf8.RuneCountInString(password) > PasswordMaxLen {
		return false, nil // never hash what could not have been set
	}
	got := argon2.IDKey([]byte(password), salt, params.Time, params.Memory, params.Threads, params.KeyLen)
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// NeedsRehash reports whether encoded was made with other parameters than
// the policy's, so the gateway re-hashes the password at a successful
// sign-in, when it has the plain text.
func (p PasswordPolicy) NeedsRehash(encoded string) bool {
	params, _, _, err := DecodeHash(encoded)
	if err != nil {
		return true
	}
	return params != p.Params
}

// dummyHashes holds, per parameter set, a hash of a random password, so that
// sign-in for an unknown user costs the same time as for a known one.
var dummyHashes sync.Map

// VerifyDummy spends the time of one Verify and always fails. Sign-in calls
// it when the username is unknown, so response time does not tell whether
// the account exists.
func (p PasswordPolicy) VerifyDummy(password string) {
	h, ok := dummyHashes.Load(p.Params)
	if !ok {
		h, _ = dummyHashes.LoadOrStore(p.Params, p.Hash(rand.Text()))
	}
	_, _ = p.Verify(password, h.(string))
}

// Maximum parameters DecodeHash accepts: a corrupted or planted hash must
// not make one sign-in allocate gigabytes.
const (
	maxArgonMemory = 1 << 20 // 1 GiB in KiB
	maxArgonTime   = 16
	maxArgonKeyLen = 128
)

// DecodeHash parses an argon2id encoding into its parameters, salt and key.
func DecodeHash(encoded string) (Argon2Params, []byte, []byte, error) {
	var params Argon2Params
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return params, nil, nil, fmt.Errorf("%w: not argon2id", ErrMalformedHash)
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return params, nil, nil, fmt.Errorf("%w: version %q", ErrMalformedHash, parts[2])
	}
	var threads uint32
	if n, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &params.Memory, &params.Time, &threads); err != nil || n != 3 {
		return params, nil, nil, fmt.Errorf("%w: parameters %q", ErrMalformedHash, parts[3])
	}
	if params.Memory == 0 || params.Memory > maxArgonMemory || params.Time == 0 || params.Time > maxArgonTime ||
		threads == 0 || threads > 255 || params.Memory < 8*threads {
		return params, nil, nil, fmt.Errorf("%w: parameters out of range %q", ErrMalformedHash, parts[3])
	}
	params.Threads = uint8(threads)
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil || len(salt) < 8 {
		return params, nil, nil, fmt.Errorf("%w: salt", ErrMalformedHash)
	}
	key, err := b64.DecodeString(parts[5])
	if err != nil || len(key) < 16 || len(key) > maxArgonKeyLen {
		return params, nil, nil, fmt.Errorf("%w: key", ErrMalformedHash)
	}
	params.SaltLen, params.KeyLen = uint32(len(salt)), uint32(len(key))
	return params, salt, key, nil
}

//go:embed common_passwords.txt
var commonPasswordsFile string

var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	set := make(map[string]struct{}, 512)
	sc := bufio.NewScanner(strings.NewReader(commonPasswordsFile))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		set[strings.ToLower(line)] = struct{}{}
	}
	return set
})

// IsCommonPassword reports whether password is on the embedded list of
// passwords that attackers try first (NIST SP 800-63B §5.1.1.2: "values
// known to be commonly-used"), ignoring case, or is one character repeated
// or a run of consecutive digits or keyboard letters, which the list cannot
// hold exhaustively.
func IsCommonPassword(password string) bool {
	lower := strings.ToLower(password)
	if _, ok := commonPasswords()[lower]; ok {
		return true
	}
	return repeatedChar(lower) || sequential(lower)
}

func repeatedChar(s string) bool {
	r0, _ := utf8.DecodeRuneInString(s)
	for _, r := range s {
		if r != r0 {
			return false
		}
	}
	return true
}

// sequential reports runs such as 23456789, 98765432 or abcdefgh.
func sequential(s string) bool {
	if len(s) < 2 {
		return false
	}
	up, down := true, true
	for i := 1; i < len(s); i++ {
		d := int(s[i]) - int(s[i-1])
		up = up && d == 1
		down = down && d == -1
	}
	return up || down
}

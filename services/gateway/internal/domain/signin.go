package domain

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
)

// SignInInput is what the sign-in form sends.
type SignInInput struct {
	Username string
	Password string
}

// Validate reports missing fields only: any other check on the username or
// password at sign-in would hint at which accounts exist or what the rules
// are. The username is normalized in place.
func (in *SignInInput) Validate() error {
	in.Username = NormalizeUsername(in.Username)
	var ps fielderr.List
	if in.Username == "" {
		ps.Add("username", CodeUsernameRequired)
	}
	if in.Password == "" {
		ps.Add("password", CodePasswordRequired)
	}
	return ps.Err()
}

// ThrottleKey is the account key sign-in failures are counted under: the
// normalized username, whether or not such a user exists, so throttling
// behaves the same for real and made-up names. Overlong input is cut so
// that the key column stays bounded.
func ThrottleKey(username string) string {
	u := NormalizeUsername(strings.ToValidUTF8(username, ""))
	if utf8.RuneCountInString(u) > UsernameMaxLen {
		u = string([]rune(u)[:UsernameMaxLen])
	}
	return u
}

// Authenticate decides a password sign-in for a user found by name (nil
// when none). It answers ErrInvalidCredentials for an unknown user, a
// disabled one, one without a password (OIDC only) and a wrong password
// alike, spending one hash's time in each case, so neither the answer nor
// its timing says whether the account exists. It returns whether the stored
// hash should be replaced with one at the policy's current cost.
func (p PasswordPolicy) Authenticate(u *User, password string) (rehash bool, err error) {
	if u == nil || u.PasswordHash == "" {
		p.VerifyDummy(password)
		return false, ErrInvalidCredentials
	}
	ok, err := p.Verify(password, u.PasswordHash)
	if err != nil {
		// A broken stored hash is a data problem to log, but the person at
		// the form sees the same answer as for a wrong password.
		p.VerifyDummy(password)
		return false, fmt.Errorf("%w: %w", ErrInvalidCredentials, err)
	}
	if !ok {
		return false, ErrInvalidCredentials
	}
	if !u.Active() {
		return false, ErrInvalidCredentials
	}
	return p.NeedsRehash(u.PasswordHash), nil
}

package auth_test

import (
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/clock"
)

// FuzzVerify: whatever string arrives in an Authorization header, Verify
// never panics, and it accepts nothing but tokens our key signed.
func FuzzVerify(f *testing.F) {
	keys := mustKeys(f)
	tokens := auth.NewTokens(keys, clock.NewFake(start))
	good, err := tokens.Issue(officer, time.Minute)
	if err != nil {
		f.Fatal(err)
	}
	body, sig, _ := strings.Cut(good, ".")
	for _, seed := range []string{good, body, "." + sig, body + ".", "..", "a.b", good + "=", strings.ToUpper(good), "\x00.\x00"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, token string) {
		id, err := tokens.Verify(token)
		if err != nil {
			return
		}
		// Ed25519 signatures are not malleable and the encoding is strict:
		// the only token that verifies is the one we issued.
		if token != good || id.UserID != officer.UserID {
			t.Fatalf("Verify accepted %q as %+v", token, id)
		}
	})
}

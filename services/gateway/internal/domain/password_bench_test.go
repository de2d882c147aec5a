package domain_test

import (
	"testing"

	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
)

// BenchmarkVerifyDefault is the cost of one sign-in's password check at the
// default argon2id parameters: what bounds sign-ins per core per second.
func BenchmarkVerifyDefault(b *testing.B) {
	p := domain.NewPasswordPolicy()
	h := p.Hash("a good passphrase")
	for b.Loop() {
		if ok, err := p.Verify("a good passphrase", h); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
}

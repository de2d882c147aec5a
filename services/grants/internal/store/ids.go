package store

import (
	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/services/grants/internal/domain"
)

// Ids of the grants schema are uuid columns compared as uuid, never cast
// to text first: a cast key cannot use the primary-key index and turns
// every lookup into a scan (STYLE.md). A string that is not a uuid is caught
// here, before PostgreSQL would refuse it with a 500: a lookup by a
// malformed id finds nothing (ErrNotFound), and a filter by one is the
// caller's field error.

// ValidID reports whether s is a uuid in its textual form
// (8-4-4-4-12 hexadecimal digits, either case), the only ids this
// service's tables hold.
func ValidID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if (c < '0' || c > '9') && (c < 'a' || c > 'f') && (c < 'A' || c > 'F') {
				return false
			}
		}
	}
	return true
}

// optID is an optional id filter as a query parameter: NULL when empty,
// so `($1::uuid IS NULL OR col = $1)` keeps the comparison typed.
func optID(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// invalidID is the field error of a filter by a malformed id.
func invalidID(field string) error {
	return fielderr.Fail(field, domain.CodeInvalidID)
}

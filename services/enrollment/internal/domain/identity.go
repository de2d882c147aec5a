package domain

import (
	"errors"
	"strings"
	"time"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/idcard"
)

// Sex is taken from the 17th digit of the identity number (GB 11643-1999:
// odd for men, even for women), never typed in separately, so the two can
// never disagree.
type Sex string

// Sexes.
const (
	SexMale   Sex = "M"
	SexFemale Sex = "F"
)

// Identity is what the registry keeps from a resident identity number: the
// normalised number (upper-case X) and the facts derived from it.
type Identity struct {
	Number string
	Birth  time.Time
	Sex    Sex
}

// parseIdentity validates an identity number as of today and reports the
// problem under field. A legacy 15-digit number, a wrong check character, an
// impossible or future birth date each keep pkg/idcard's own code
// (idcard.legacy15, idcard.checksum, idcard.birth_date, idcard.future …) so
// the user reads exactly what is wrong.
func parseIdentity(field, raw string, today time.Time, p *fielderr.List) (Identity, bool) {
	id, err := idcard.ParseAt(strings.TrimSpace(raw), today)
	if err != nil {
		p.Add(field, idcardCode(err))
		return Identity{}, false
	}
	return Identity{Number: id.Number, Birth: id.Birth, Sex: Sex(id.Sex)}, true
}

// idcardCode extracts the catalogue key pkg/idcard attaches to its errors.
func idcardCode(err error) string {
	var ie *idcard.Error
	if errors.As(err, &ie) && ie.Code != "" {
		return ie.Code
	}
	return idcard.CodeFormat
}

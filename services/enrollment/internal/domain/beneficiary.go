package domain

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
)

// Beneficiary is a person the member names to receive a scheme's death
// benefit, with a share. The shares of one scheme total exactly 100 %; no
// beneficiaries means the benefit goes to the legal heirs.
type Beneficiary struct {
	Scheme   SchemeCode
	Name     string
	Relation Relation
	// Identity is optional: members often name a child before the child
	// has an identity number.
	Identity Identity
	Share    Percent
}

// BeneficiaryInput is one line of a beneficiary designation.
type BeneficiaryInput struct {
	Name     string
	Relation Relation
	IDNumber string
	Share    Percent
}

// SetBeneficiaries replaces the beneficiaries of one scheme. The shares must
// be positive and total exactly 100 %; an empty list clears the designation.
//
// The designation is edited as a whole, by people who only ever see
// identity numbers masked: a line without an identity number keeps the one
// already recorded for the beneficiary of the same name and relation, so
// changing the shares does not erase the numbers.
func (m *Member) SetBeneficiaries(scheme SchemeCode, in []BeneficiaryInput, today time.Time) error {
	var p fielderr.List
	if !scheme.Valid() {
		p.Add("scheme", "enrollment.scheme_unknown", string(scheme))
		return p.Err()
	}
	recorded := map[[2]string]Identity{}
	for _, b := range m.BeneficiariesOf(scheme) {
		if b.Identity.Number != "" {
			recorded[[2]string{b.Name, string(b.Relation)}] = b.Identity
		}
	}
	out := make([]Beneficiary, 0, len(in))
	var total Percent
	seen := map[string]int{}
	for i, b := range in {
		var q fielderr.List
		name := strings.TrimSpace(b.Name)
		validateName("name", name, &q)
		if !b.Relation.validDependant() && b.Relation != RelationOther {
			q.Add("relation", "enrollment.relation_unknown", string(b.Relation))
		}
		var id Identity
		if strings.TrimSpace(b.IDNumber) != "" {
			if got, ok := parseIdentity("id_number", b.IDNumber, today, &q); ok {
				id = got
				if first, dup := seen[id.Number]; dup {
					q.Add("id_number", "enrollment.beneficiary_duplicate", first+1)
				}
				seen[id.Number] = i
				if id.Number == m.Identity.Number {
					q.Add("id_number", "enrollment.beneficiary_is_member")
				}
			}
		} else if kept, ok := recorded[[2]string{name, string(b.Relation)}]; ok {
			id = kept
			if first, dup := seen[id.Number]; dup {
				q.Add("id_number", "enrollment.beneficiary_duplicate", first+1)
			}
			seen[id.Number] = i
		}
		if b.Share <= 0 || b.Share > Hundred {
			q.Add("share", "enrollment.share_range")
		}
		total += b.Share
		p.AddUnder("beneficiaries["+strconv.Itoa(i)+"].", q)
		out = append(out, Beneficiary{Scheme: scheme, Name: name, Relation: b.Relation, Identity: id, Share: b.Share})
	}
	if len(in) > 0 && total != Hundred {
		p.Add("beneficiaries", "enrollment.shares_total", total.String())
	}
	if err := p.Err(); err != nil {
		return err
	}
	m.Beneficiaries = slices.DeleteFunc(m.Beneficiaries, func(b Beneficiary) bool { return b.Scheme == scheme })
	m.Beneficiaries = append(m.Beneficiaries, out...)
	return nil
}

// BeneficiariesOf returns the designation for one scheme.
func (m *Member) BeneficiariesOf(scheme SchemeCode) []Beneficiary {
	var out []Beneficiary
	for _, b := range m.Beneficiaries {
		if b.Scheme == scheme {
			out = append(out, b)
		}
	}
	return out
}

package domain

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
)

// Relation is how a dependant or beneficiary is related to the member. The
// grants service creates one notice per dependant after a death, and the
// work-injury dependants' pension (工伤保险条例 art. 39) pays 40 % to a spouse
// and 30 % to each other dependant, so the relation matters.
type Relation string

// Relations.
const (
	RelationSpouse  Relation = "spouse"
	RelationChild   Relation = "child"
	RelationParent  Relation = "parent"
	RelationSibling Relation = "sibling"
	// RelationOther is allowed for beneficiaries only: a member may name
	// anyone as beneficiary.
	RelationOther Relation = "other"
)

// validDependant reports whether r is a dependant relation.
func (r Relation) validDependant() bool {
	switch r {
	case RelationSpouse, RelationChild, RelationParent, RelationSibling:
		return true
	}
	return false
}

// Dependant is a family member of a member, with their own identity number.
type Dependant struct {
	ID       string
	Relation Relation
	Name     string
	Identity Identity
	Phone    string
}

// DependantInput is what a form carries for a dependant.
type DependantInput struct {
	Relation Relation
	Name     string
	IDNumber string
	Phone    string
}

// validateDependant checks one dependant against the member and the other
// dependants (skip is the id being replaced, "" when adding).
func (m *Member) validateDependant(in DependantInput, skip string, today time.Time) (Dependant, error) {
	var p fielderr.List
	if !in.Relation.validDependant() {
		p.Add("relation", "enrollment.relation_unknown", string(in.Relation))
	}
	name := strings.TrimSpace(in.Name)
	validateName("name", name, &p)
	id, ok := parseIdentity("id_number", in.IDNumber, today, &p)
	phone := strings.TrimSpace(in.Phone)
	if phone != "" && !mobilePattern.MatchString(phone) && !landlinePattern.MatchString(phone) {
		p.Add("phone", "enrollment.phone_format")
	}
	if ok {
		if id.Number == m.Identity.Number {
			p.Add("id_number", "enrollment.dependant_is_member")
		}
		for _, d := range m.Dependants {
			if d.ID != skip && d.Identity.Number == id.Number {
				p.Add("id_number", "enrollment.dependant_duplicate")
			}
		}
	}
	// One spouse at a time: a second one is almost always a typing mistake
	// and would double the 40 % spouse pension.
	if in.Relation == RelationSpouse {
		for _, d := range m.Dependants {
			if d.ID != skip && d.Relation == RelationSpouse {
				p.Add("relation", "enrollment.second_spouse")
			}
		}
	}
	if err := p.Err(); err != nil {
		return Dependant{}, err
	}
	return Dependant{Relation: in.Relation, Name: name, Identity: id, Phone: phone}, nil
}

// AddDependant adds a dependant with the given id.
func (m *Member) AddDependant(id string, in DependantInput, today time.Time) (Dependant, error) {
	d, err := m.validateDependant(in, "", today)
	if err != nil {
		return Dependant{}, err
	}
	d.ID = id
	m.Dependants = append(m.Dependants, d)
	return d, nil
}

// ReplaceDependant corrects a dependant's details.
func (m *Member) ReplaceDependant(id string, in DependantInput, today time.Time) (Dependant, error) {
	i := slices.IndexFunc(m.Dependants, func(d Dependant) bool { return d.ID == id })
	if i < 0 {
		return Dependant{}, fmt.Errorf("dependant %s: %w", id, ErrDependantNotFound)
	}
	d, err := m.validateDependant(in, id, today)
	if err != nil {
		return Dependant{}, err
	}
	d.ID = id
	m.Dependants[i] = d
	return d, nil
}

// RemoveDependant removes a dependant recorded by mistake. The member's
// version history keeps what was known before.
func (m *Member) RemoveDependant(id string) error {
	i := slices.IndexFunc(m.Dependants, func(d Dependant) bool { return d.ID == id })
	if i < 0 {
		return fmt.Errorf("dependant %s: %w", id, ErrDependantNotFound)
	}
	m.Dependants = slices.Delete(m.Dependants, i, i+1)
	return nil
}

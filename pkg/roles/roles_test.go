package roles_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/pkg/roles"
)

func TestEveryRoleParsesAndHasALabel(t *testing.T) {
	t.Parallel()
	for _, r := range roles.All() {
		got, err := roles.Parse(string(r))
		if err != nil || got != r {
			t.Errorf("Parse(%q) = %q, %v", r, got, err)
		}
		for _, lang := range []i18n.Lang{i18n.ZH, i18n.EN} {
			if !i18n.Has(r.MessageKey()) || r.Label(lang) == r.MessageKey() {
				t.Errorf("role %q has no %s label", r, lang)
			}
		}
	}
	for _, s := range []string{"", "Admin", "root", "admin "} {
		if _, err := roles.Parse(s); !errors.Is(err, roles.ErrUnknown) {
			t.Errorf("Parse(%q) = %v, want ErrUnknown", s, err)
		}
	}
}

// TestSets pins the sets the rules speak of: each is made of roles, people
// never hold the service role, and a holder is bound either to a member or
// to units, never both.
func TestSets(t *testing.T) {
	t.Parallel()
	if slices.Contains(roles.People(), roles.Service) || len(roles.People()) != len(roles.All())-1 {
		t.Errorf("People() = %v: every role but service", roles.People())
	}
	for name, set := range map[string][]roles.Role{
		"People": roles.People(), "MemberBound": roles.MemberBound(), "UnitBound": roles.UnitBound(), "Committee": roles.Committee(),
	} {
		for _, r := range set {
			if !r.Valid() {
				t.Errorf("%s holds %q, which is no role", name, r)
			}
		}
	}
	for _, r := range roles.MemberBound() {
		if slices.Contains(roles.UnitBound(), r) {
			t.Errorf("%q is bound to a member and to units", r)
		}
	}
	if !roles.Has([]roles.Role{roles.Officer, roles.Leader}, roles.Committee()...) || roles.Has([]roles.Role{roles.Officer}, roles.Committee()...) || roles.Has(nil, roles.Officer) {
		t.Error("Has does not say whether any wanted role is held")
	}
	// The sets are fresh slices: a caller that appends cannot change them.
	s := roles.Committee()
	s[0] = roles.Officer
	if roles.Committee()[0] != roles.Approver {
		t.Error("Committee() shares its backing array")
	}
}

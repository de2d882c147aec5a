package seed_test

import (
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/internal/seed"
	"github.com/anxin-welfare/anxin/pkg/idcard"
)

// The demo people: 200 members in the roster's categories, every identity
// number valid and distinct, the demo officer and family member first.
func TestDemoPeople(t *testing.T) {
	t.Parallel()
	today := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	people := seed.People(today)
	if len(people) != 200 {
		t.Fatalf("%d members, want 200", len(people))
	}
	if people[0].Name != "张建国" || people[1].Name != "王强" || people[1].Dependants[0].Name != "李娜" {
		t.Errorf("the first members are %s and %s", people[0].Name, people[1].Name)
	}
	seen := map[string]bool{}
	check := func(who string, n string) {
		if err := idcard.Validate(n); err != nil {
			t.Errorf("%s: identity number invalid: %v", who, err)
		}
		if seen[n] {
			t.Errorf("%s: identity number used twice", who)
		}
		seen[n] = true
	}
	deps := 0
	for i, m := range people {
		check(m.Name, seed.IDNumber(m.Birth, 2*i, m.Male))
		if m.Hire.After(today) || m.Hire.Before(m.Birth.AddDate(18, 0, 0)) {
			t.Errorf("%s: hired %s, born %s", m.Name, m.Hire.Format(time.DateOnly), m.Birth.Format(time.DateOnly))
		}
		for _, d := range m.Dependants {
			check(m.Name+"'s "+d.Relation, seed.IDNumber(d.Birth, 400+2*deps, d.Male))
			deps++
		}
	}
	if deps == 0 || 400+2*deps >= 1000 {
		t.Errorf("%d dependants", deps)
	}
}

// The same seed makes the same county: a second run finds what the first
// made, and the demo logins name the same people.
func TestDemoPeopleAreTheSameEveryTime(t *testing.T) {
	t.Parallel()
	today := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	a, b := seed.People(today), seed.People(today)
	for i := range a {
		if a[i].Name != b[i].Name || !a[i].Birth.Equal(b[i].Birth) || a[i].Unit != b[i].Unit {
			t.Fatalf("member %d differs between runs: %+v, %+v", i, a[i], b[i])
		}
	}
}

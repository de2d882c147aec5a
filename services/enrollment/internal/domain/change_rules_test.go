package domain_test

import (
	"slices"
	"testing"

	"github.com/anxin-welfare/anxin/services/enrollment/internal/domain"
)

// TestChangeEndsEnrollments: only a change of status (retired, left) or a
// death ends a member's enrollments; every other change leaves them.
func TestChangeEndsEnrollments(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		change domain.ChangeKind
		ends   bool
	}{
		{domain.ChangeStatus, true},
		{domain.ChangeDeceased, true},
		{domain.ChangeRegistered, false},
		{domain.ChangeUpdated, false},
		{domain.ChangeHonour, false},
		{domain.ChangeDependants, false},
		{domain.ChangeBeneficiaries, false},
		{domain.ChangeImported, false},
		{"", false},
	} {
		t.Run(string(tc.change), func(t *testing.T) {
			t.Parallel()
			if got := tc.change.EndsEnrollments(); got != tc.ends {
				t.Errorf("%q ends enrollments = %v, want %v", tc.change, got, tc.ends)
			}
		})
	}
}

// TestEnrolledIn: a renewal renews the enrollments in its plan, whoever
// holds them, and no other.
func TestEnrolledIn(t *testing.T) {
	t.Parallel()
	existing := map[string][]domain.Enrollment{
		"m-1": {{ID: "e-1", PlanID: "p-25"}, {ID: "e-2", PlanID: "p-26"}},
		"m-2": {{ID: "e-3", PlanID: "p-25"}},
		"m-3": {{ID: "e-4", PlanID: "p-other"}},
	}
	for _, tc := range []struct {
		name, plan string
		want       []string
	}{
		{name: "two members in the plan", plan: "p-25", want: []string{"e-1", "e-3"}},
		{name: "one", plan: "p-26", want: []string{"e-2"}},
		{name: "none", plan: "p-none", want: nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var got []string
			for _, e := range domain.EnrolledIn(tc.plan, existing) {
				got = append(got, e.ID)
			}
			slices.Sort(got) // the members come in map order
			if !slices.Equal(got, tc.want) {
				t.Errorf("enrolled in %s: %v, want %v", tc.plan, got, tc.want)
			}
		})
	}
}

package domain

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
)

// BulkCandidate is one member a bulk enrollment would enroll.
type BulkCandidate struct {
	MemberID   string
	Enrollment Enrollment
	Event      EnrollmentEvent
}

// BulkSkip is one member a bulk enrollment leaves out, and why (a
// catalogue key: an "enrollment.ineligible.*" code, "enrollment.overlap" or
// "enrollment.bulk.already_enrolled").
type BulkSkip struct {
	MemberID string
	Code     string
}

// BulkPlan is the preview of a bulk enrollment or renewal. The preview and
// the real run compute it the same way, so what the caseworker saw is what
// is done (on the state at the time of the run).
type BulkPlan struct {
	PlanID  string
	Enroll  []BulkCandidate
	Skipped []BulkSkip
}

// NewID makes an id for each new enrollment (UUIDv7 in the service).
type NewID func() string

// PlanBulkEnrollment enrolls every given member (the active members of the
// chosen units) who is eligible for pl and not yet enrolled in the scheme
// on start. existing holds each member's enrollments by member id.
func PlanBulkEnrollment(pl Plan, members []*Member, existing map[string][]Enrollment, start time.Time, newID NewID) BulkPlan {
	out := BulkPlan{PlanID: pl.ID}
	for _, m := range members {
		if m.Status != StatusActive {
			continue
		}
		if slices.ContainsFunc(existing[m.ID], func(e Enrollment) bool { return e.PlanID == pl.ID }) {
			out.Skipped = append(out.Skipped, BulkSkip{MemberID: m.ID, Code: "enrollment.bulk.already_enrolled"})
			continue
		}
		s := start
		if s.Before(m.HireDate) {
			s = m.HireDate
		}
		en, ev, err := Enroll(newID(), m, pl, s, existing[m.ID])
		if err != nil {
			out.Skipped = append(out.Skipped, BulkSkip{MemberID: m.ID, Code: skipCode(err)})
			continue
		}
		out.Enroll = append(out.Enroll, BulkCandidate{MemberID: m.ID, Enrollment: en, Event: ev})
	}
	return out
}

// PlanRenewal enrolls in next everyone enrolled in current whose enrollment
// runs to the end of current's coverage, from the first day of next's
// coverage. members maps member id to member (for eligibility: someone who
// retired or moved off a high-risk post is not renewed).
func PlanRenewal(current, next Plan, enrolled []Enrollment, members map[string]*Member, existing map[string][]Enrollment, newID NewID) (BulkPlan, error) {
	if current.Scheme != next.Scheme || next.Year <= current.Year {
		return BulkPlan{}, fielderr.Fail("next_plan_id", "enrollment.bulk.renewal_plan_mismatch")
	}
	out := BulkPlan{PlanID: next.ID}
	for _, e := range enrolled {
		if e.PlanID != current.ID || e.Status != EnrollmentActive || !e.Period.To.Equal(current.Coverage.To) {
			continue
		}
		m, ok := members[e.MemberID]
		if !ok {
			return BulkPlan{}, fmt.Errorf("renew enrollment %s: member %s not loaded", e.ID, e.MemberID)
		}
		if slices.ContainsFunc(existing[m.ID], func(x Enrollment) bool { return x.PlanID == next.ID }) {
			out.Skipped = append(out.Skipped, BulkSkip{MemberID: m.ID, Code: "enrollment.bulk.already_enrolled"})
			continue
		}
		en, ev, err := Enroll(newID(), m, next, next.Coverage.From, existing[m.ID])
		if err != nil {
			out.Skipped = append(out.Skipped, BulkSkip{MemberID: m.ID, Code: skipCode(err)})
			continue
		}
		out.Enroll = append(out.Enroll, BulkCandidate{MemberID: m.ID, Enrollment: en, Event: ev})
	}
	return out, nil
}

func skipCode(err error) string {
	if c := Code(err); c != "" && !errors.Is(err, ErrValidation) {
		return c
	}
	if ps := fielderr.Of(err); len(ps) > 0 {
		return ps[0].Code
	}
	return "enrollment.not_eligible"
}

// EnrolledIn lists the enrollments in plan planID among existing (the
// enrollments of some members, by member): the ones a renewal of that
// plan renews.
func EnrolledIn(planID string, existing map[string][]Enrollment) []Enrollment {
	var out []Enrollment
	for _, es := range existing {
		for _, e := range es {
			if e.PlanID == planID {
				out = append(out, e)
			}
		}
	}
	return out
}

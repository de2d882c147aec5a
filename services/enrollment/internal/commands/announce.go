package commands

import (
	"time"

	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/domain"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/events"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/store"
)

// Announce is the store.Announcer every command saves with: the events of
// internal/events (their types, versions and payloads) and their payloads
// as the audit trail's views.
var Announce store.Announcer = announcer{}

type announcer struct{}

// Member is member.registered, member.deceased or member.updated
// (events.MemberEventType).
func (announcer) Member(change domain.ChangeKind, m *domain.Member, at time.Time) (bus.Event, error) {
	return events.ForMember(events.MemberEventType(change), m, at)
}

func (announcer) Activated(e domain.Enrollment, p domain.Plan, at time.Time) (bus.Event, error) {
	return events.ForEnrollment(events.TypeEnrollmentActivated, e, p, at)
}

func (announcer) Ended(e domain.Enrollment, p domain.Plan, at time.Time) (bus.Event, error) {
	return events.ForEnrollment(events.TypeEnrollmentEnded, e, p, at)
}

func (announcer) MemberView(m *domain.Member) any { return events.MemberPayload(m) }

func (announcer) EnrollmentView(e domain.Enrollment, p domain.Plan) any {
	return events.EnrollmentPayload(e, p)
}

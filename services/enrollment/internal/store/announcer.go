package store

import (
	"time"

	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/domain"
)

// Announcer builds what announces a change the store saves: the events it
// writes to the outbox and the views of the changed object it writes to
// the audit trail. internal/commands gives it to every write (commands.Announce);
// the store only writes what it is given, in the change's transaction, so
// an event is committed exactly when its change is.
type Announcer interface {
	// Member is the event announcing change to member m at at (a roster
	// import's new members come as domain.ChangeRegistered, its updated
	// ones as domain.ChangeImported).
	Member(change domain.ChangeKind, m *domain.Member, at time.Time) (bus.Event, error)
	// Activated is the event announcing enrollment e in plan p.
	Activated(e domain.Enrollment, p domain.Plan, at time.Time) (bus.Event, error)
	// Ended is the event announcing enrollment e in plan p lapsed or ended.
	Ended(e domain.Enrollment, p domain.Plan, at time.Time) (bus.Event, error)
	// MemberView is member m as the audit trail shows it.
	MemberView(m *domain.Member) any
	// EnrollmentView is enrollment e in plan p as the audit trail shows it.
	EnrollmentView(e domain.Enrollment, p domain.Plan) any
}

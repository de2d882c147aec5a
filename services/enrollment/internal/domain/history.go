package domain

import "time"

// ChangeKind names what a member version recorded.
type ChangeKind string

// Change kinds, one per kind of command on a member.
const (
	ChangeRegistered    ChangeKind = "registered"
	ChangeUpdated       ChangeKind = "updated"
	ChangeStatus        ChangeKind = "status_changed"
	ChangeDeceased      ChangeKind = "deceased"
	ChangeHonour        ChangeKind = "honour_added"
	ChangeDependants    ChangeKind = "dependants_changed"
	ChangeBeneficiaries ChangeKind = "beneficiaries_changed"
	ChangeImported      ChangeKind = "imported"
)

// MemberVersion is the member as recorded by one change: who made it, when,
// and the whole member after it. Versions are append-only, so the registry
// can say what it knew on any past day.
type MemberVersion struct {
	Version    int64
	RecordedAt time.Time
	Actor      string
	Change     ChangeKind
	Member     Member
}

// KnownAt returns the version that was current at instant t: the last one
// recorded at or before t. versions must be sorted by Version. ok is false
// when the member was not yet registered at t.
func KnownAt(versions []MemberVersion, t time.Time) (MemberVersion, bool) {
	var out MemberVersion
	ok := false
	for _, v := range versions {
		if v.RecordedAt.After(t) {
			break
		}
		out, ok = v, true
	}
	return out, ok
}

// EndsEnrollments reports whether a change of this kind ends the member's
// active enrollments (EndForMember): a change of status (retired, left)
// or a death, so the day of death is the last covered day.
func (k ChangeKind) EndsEnrollments() bool { return k == ChangeStatus || k == ChangeDeceased }

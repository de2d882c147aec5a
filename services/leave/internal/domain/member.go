package domain

import "time"

// Category is a member's personnel category; the codes are the enrollment
// service's (DOMAIN.md, "Who is covered").
type Category string

// Categories. Sworn police, judicial police, judges, prosecutors and civil
// staff are civil servants (公务员法) and follow the civil-service measures;
// auxiliary police are labour-contract staff under the enterprise measures.
const (
	CategoryPolice         Category = "police"
	CategoryJudicialPolice Category = "judicial_police"
	CategoryJudge          Category = "judge"
	CategoryProsecutor     Category = "prosecutor"
	CategoryCivilServant   Category = "civil_servant"
	CategoryAuxiliary      Category = "auxiliary_police"
)

// Valid reports whether c is a known category.
func (c Category) Valid() bool {
	switch c {
	case CategoryPolice, CategoryJudicialPolice, CategoryJudge, CategoryProsecutor, CategoryCivilServant, CategoryAuxiliary:
		return true
	}
	return false
}

// CivilService reports whether the civil-service measures apply (and not
// the enterprise measures): everybody but auxiliary police.
func (c Category) CivilService() bool { return c.Valid() && c != CategoryAuxiliary }

// MemberStatus is the projection of the enrollment registry's member state.
type MemberStatus string

// Member statuses. Only active members accrue leave and are due a health check.
const (
	MemberActive   MemberStatus = "active"
	MemberInactive MemberStatus = "inactive"
)

// Member is the leave service's local projection of an enrollment member,
// fed by member.* events, plus the flags recuperation priority reads.
type Member struct {
	ID     string
	UnitID string
	// Name is the registry's name of the member, for display only; "" for
	// a member projected before names were kept.
	Name     string
	Category Category
	Status   MemberStatus
	// WorkStart is the date cumulative service (累计工作时间) counts from. The
	// registry adjusts it for breaks, so one date carries the whole history.
	WorkStart time.Time
	// JoinedOn is the day the member joined the current employer; auxiliary
	// police hired during a year get a pro-rated entitlement from it.
	JoinedOn time.Time
	// LeftOn is the last working day with the employer, zero while employed.
	LeftOn time.Time
	// Frontline, InjuredOnDuty and MartyrFamily raise recuperation priority.
	Frontline     bool
	InjuredOnDuty bool
	MartyrFamily  bool
}

// MemberRef is a member as a list shows them: the registry id and the name
// ("" when not projected yet).
type MemberRef struct {
	ID   string
	Name string
}

// Ref returns the member's id and name.
func (m Member) Ref() MemberRef { return MemberRef{ID: m.ID, Name: m.Name} }

// ActiveOn reports whether the member is employed on day d.
func (m Member) ActiveOn(d time.Time) bool {
	if m.Status != MemberActive {
		return false
	}
	if !m.JoinedOn.IsZero() && d.Before(m.JoinedOn) {
		return false
	}
	return m.LeftOn.IsZero() || !d.After(m.LeftOn)
}

// ServiceYears returns the whole years of cumulative service completed on day d.
func (m Member) ServiceYears(d time.Time) int {
	if m.WorkStart.IsZero() || d.Before(m.WorkStart) {
		return 0
	}
	y := d.Year() - m.WorkStart.Year()
	if anniversary(m.WorkStart, y).After(d) {
		y--
	}
	return y
}

// anniversary is the day k years of service are complete. A 29 February start
// completes its years on 1 March in common years (time.AddDate normalizes),
// never a day early.
func anniversary(start time.Time, k int) time.Time { return start.AddDate(k, 0, 0) }

package domain

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
)

// Family care (关爱): the committee's continuing care of the families of
// martyrs and of officers who died in the line of duty, of officers
// disabled on duty, and of hardship families a caseworker takes on. A
// care record names the family, its liaisons (结对联系人), and carries its
// visits (走访慰问) and support matters (诉求).

// CareKind is why a family is cared for.
type CareKind string

// Care kinds. The first three open themselves from events; hardship is
// opened by hand.
const (
	CareMartyr         CareKind = "martyr"           // 烈士家属
	CareLineOfDuty     CareKind = "line_of_duty"     // 因公牺牲干警家属
	CareDisabledOnDuty CareKind = "disabled_on_duty" // 因公致残干警
	CareHardship       CareKind = "hardship"         // 困难家庭
)

// Valid reports whether k is a known kind.
func (k CareKind) Valid() bool {
	switch k {
	case CareMartyr, CareLineOfDuty, CareDisabledOnDuty, CareHardship:
		return true
	}
	return false
}

// LiaisonRole is which of a family's two liaisons someone is.
type LiaisonRole string

// A family has a unit leader and a caseworker as liaisons.
const (
	LiaisonLeader     LiaisonRole = "leader"
	LiaisonCaseworker LiaisonRole = "caseworker"
)

// Valid reports whether r is a known liaison role.
func (r LiaisonRole) Valid() bool { return r == LiaisonLeader || r == LiaisonCaseworker }

// Liaison is a gateway user paired with a family: the user id and name the
// identity token carries, and the phone the family reaches them on.
type Liaison struct {
	Role       LiaisonRole
	UserID     string
	Name       string
	Phone      string
	AssignedBy string
	AssignedAt time.Time
}

// RelationSelf is the relation of the officer themself in a care record of
// a living officer (disabled on duty, hardship).
const RelationSelf = "self"

// CarePerson is one person of a cared-for family.
type CarePerson struct {
	ID       string
	Relation string // self, spouse, child, parent, sibling
	Name     string
	// BirthDate is the zero time when unknown.
	BirthDate time.Time
}

// CareRecord is a family in care.
type CareRecord struct {
	ID       string
	MemberID string
	UnitID   string
	Kind     CareKind
	// SubjectName is the officer's name.
	SubjectName string
	// DiedOn is the date of death (zero for a living officer): its
	// anniversary is a planned visit.
	DiedOn   time.Time
	Grade    int // disability grade, disabled on duty
	Persons  []CarePerson
	Liaisons []Liaison
	// OpenedBy is the caseworker who opened it, or "system:grants" for one
	// opened by an event; SourceEventID is that event.
	OpenedBy      string
	SourceEventID string
	Version       int64
	CreatedAt     time.Time
}

// SystemActor is the actor of what the service does on its own.
const SystemActor = "system:grants"

// CareForDeath opens the care record of a member who died: only a martyr
// or a death in the line of duty opens one, listing each dependant.
func CareForDeath(d Deceased, now time.Time) (CareRecord, bool) {
	var kind CareKind
	switch d.Cause {
	case CauseMartyr:
		kind = CareMartyr
	case CauseLineOfDuty:
		kind = CareLineOfDuty
	default:
		return CareRecord{}, false
	}
	r := CareRecord{MemberID: d.MemberID, UnitID: d.UnitID, Kind: kind, SubjectName: d.Name, DiedOn: d.DiedOn,
		OpenedBy: SystemActor, CreatedAt: now}
	r.Persons = personsOf(d.Dependants)
	return r, true
}

// CareForGrading opens the care record of an officer graded disabled on
// duty: the officer and their registered family.
func CareForGrading(g Graded, m *MemberRecord, now time.Time) (CareRecord, bool) {
	if !g.WorkInjury || g.Grade < 1 || g.Grade > 10 {
		return CareRecord{}, false
	}
	r := CareRecord{MemberID: g.MemberID, UnitID: g.UnitID, Kind: CareDisabledOnDuty, Grade: g.Grade, OpenedBy: SystemActor, CreatedAt: now}
	r.Persons = []CarePerson{{ID: g.MemberID, Relation: RelationSelf}}
	if m != nil {
		r.SubjectName = m.Name
		r.Persons[0].Name = m.Name
		if r.UnitID == "" {
			r.UnitID = m.UnitID
		}
		r.Persons = append(r.Persons, personsOf(m.Dependants)...)
	}
	return r, true
}

// CareByHand opens a hardship family's record for a member the service
// knows, by a caseworker of the member's unit.
func CareByHand(m MemberRecord, openedBy string, now time.Time) CareRecord {
	r := CareRecord{MemberID: m.MemberID, UnitID: m.UnitID, Kind: CareHardship, SubjectName: m.Name, DiedOn: m.DiedOn,
		OpenedBy: openedBy, CreatedAt: now}
	if !m.Deceased {
		r.Persons = append(r.Persons, CarePerson{ID: m.MemberID, Relation: RelationSelf, Name: m.Name})
	}
	r.Persons = append(r.Persons, personsOf(m.Dependants)...)
	return r
}

func personsOf(ds []Dependant) []CarePerson {
	out := make([]CarePerson, 0, len(ds))
	for _, d := range ds {
		p := CarePerson{ID: d.ID, Relation: d.Relation, Name: d.Name}
		if b, err := time.Parse(time.DateOnly, d.BirthDate); err == nil {
			p.BirthDate = b
		}
		out = append(out, p)
	}
	return out
}

// Liaison returns the liaison of role r, if one is assigned.
func (r CareRecord) Liaison(role LiaisonRole) (Liaison, bool) {
	i := slices.IndexFunc(r.Liaisons, func(l Liaison) bool { return l.Role == role })
	if i < 0 {
		return Liaison{}, false
	}
	return r.Liaisons[i], true
}

// IsLiaison reports whether user is one of the family's liaisons.
func (r CareRecord) IsLiaison(user string) bool {
	return user != "" && slices.ContainsFunc(r.Liaisons, func(l Liaison) bool { return l.UserID == user })
}

// Person returns the family member with id.
func (r CareRecord) Person(id string) (CarePerson, bool) {
	i := slices.IndexFunc(r.Persons, func(p CarePerson) bool { return p.ID == id })
	if i < 0 {
		return CarePerson{}, false
	}
	return r.Persons[i], true
}

// Limits of care texts, in characters.
const (
	MaxNameRunes  = 50
	MaxPhoneRunes = 30
	MaxShortText  = 200
	MaxLongText   = 2000
)

// AssignLiaison pairs a user with the family as role, replacing whoever
// held it.
func (r *CareRecord) AssignLiaison(l Liaison) error {
	var p fielderr.List
	if !l.Role.Valid() {
		p.Add("role", CodeUnknownValue, string(l.Role))
	}
	l.UserID, l.Name, l.Phone = strings.TrimSpace(l.UserID), strings.TrimSpace(l.Name), strings.TrimSpace(l.Phone)
	required(&p, "user_id", l.UserID, MaxNameRunes*2)
	required(&p, "name", l.Name, MaxNameRunes)
	required(&p, "phone", l.Phone, MaxPhoneRunes)
	if l.Phone != "" && !validPhone(l.Phone) {
		p.Add("phone", CodePhone)
	}
	if err := p.Err(); err != nil {
		return err
	}
	r.Liaisons = slices.DeleteFunc(r.Liaisons, func(x Liaison) bool { return x.Role == l.Role })
	r.Liaisons = append(r.Liaisons, l)
	// the unit leader first, as the family is told who to call
	slices.SortFunc(r.Liaisons, func(a, b Liaison) int { return rolePlace(a.Role) - rolePlace(b.Role) })
	return nil
}

func rolePlace(r LiaisonRole) int {
	if r == LiaisonLeader {
		return 0
	}
	return 1
}

// CodePhone: a phone number with something other than digits, spaces,
// hyphens, parentheses and a leading plus.
const CodePhone = "grants.field.phone"

func validPhone(s string) bool {
	digits := 0
	for i, c := range s {
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c == ' ' || c == '-' || c == '(' || c == ')':
		case c == '+' && i == 0:
		default:
			return false
		}
	}
	return digits >= 5
}

// required adds a required-field or too-long problem for s.
func required(p *fielderr.List, field, s string, maxRunes int) {
	switch {
	case strings.TrimSpace(s) == "":
		p.Add(field, CodeRequired)
	case utf8.RuneCountInString(s) > maxRunes:
		p.Add(field, CodeTooLong, maxRunes)
	}
}

// optional adds a too-long problem for s.
func optional(p *fielderr.List, field, s string, maxRunes int) {
	if utf8.RuneCountInString(s) > maxRunes {
		p.Add(field, CodeTooLong, maxRunes)
	}
}

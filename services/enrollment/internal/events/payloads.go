// Package events holds the enrollment service's event types and payloads:
// what other services learn from the member registry and from enrollment.
// Each payload has a JSON Schema in api/events/enrollment.<type>.v1.json
// that a test checks the structs against.
//
// Payloads never carry a full identity number: events live in JetStream
// and in every consumer's inbox. They carry the masked number, the birth
// date and sex derived from it, which is what consumers need.
package events

import (
	"time"

	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/pkg/idcard"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/domain"
)

// Source is the envelope source of every event this service publishes.
const Source = "enrollment"

// Event types, version 1.
const (
	TypeMemberRegistered    = "member.registered"
	TypeMemberUpdated       = "member.updated"
	TypeMemberDeceased      = "member.deceased"
	TypeEnrollmentActivated = "enrollment.activated"
	TypeEnrollmentEnded     = "enrollment.ended"
)

// Version is the payload version of every type above.
const Version = 1

// Types lists every event type, for schema tests and stream filters.
var Types = []string{TypeMemberRegistered, TypeMemberUpdated, TypeMemberDeceased, TypeEnrollmentActivated, TypeEnrollmentEnded}

// Date is a calendar date encoded as "YYYY-MM-DD".
type Date string

// DateOf formats a domain date; the zero time becomes "".
func DateOf(t time.Time) Date {
	if t.IsZero() {
		return ""
	}
	return Date(t.Format(time.DateOnly))
}

// Member is the payload of member.registered, member.updated and
// member.deceased: the member as it is after the change.
type Member struct {
	MemberID       string        `json:"member_id"`
	UnitID         string        `json:"unit_id"`
	Name           string        `json:"name"`
	Category       string        `json:"category"`
	Post           Post          `json:"post"`
	IDNumberMasked string        `json:"id_number_masked"`
	BirthDate      Date          `json:"birth_date"`
	Sex            string        `json:"sex"`
	HireDate       Date          `json:"hire_date"`
	ServiceStart   Date          `json:"service_start"`
	Status         string        `json:"status"`
	StatusDate     *Date         `json:"status_date"`
	DeathCause     *string       `json:"death_cause"`
	Honours        []Honour      `json:"honours"`
	Dependants     []Dependant   `json:"dependants"`
	Beneficiaries  []Beneficiary `json:"beneficiaries"`
	Version        int64         `json:"version"`
}

// Post is the member's post type.
type Post struct {
	Frontline bool   `json:"frontline"`
	AuxDuty   string `json:"aux_duty,omitempty"`
	HighRisk  bool   `json:"high_risk"`
}

// Honour is one honour with its date.
type Honour struct {
	Kind      string `json:"kind"`
	AwardedOn Date   `json:"awarded_on"`
}

// Dependant is one family member; grants opens one notice per dependant
// after a death.
type Dependant struct {
	DependantID    string `json:"dependant_id"`
	Relation       string `json:"relation"`
	Name           string `json:"name"`
	IDNumberMasked string `json:"id_number_masked"`
	BirthDate      Date   `json:"birth_date"`
	Sex            string `json:"sex"`
}

// Beneficiary is one named beneficiary of a scheme; ShareBP is in
// hundredths of a percent (10000 = 100 %).
type Beneficiary struct {
	Scheme   string `json:"scheme"`
	Name     string `json:"name"`
	Relation string `json:"relation"`
	ShareBP  int    `json:"share_bp"`
}

// MemberPayload builds the payload of a member event.
func MemberPayload(m *domain.Member) Member {
	p := Member{
		MemberID: m.ID, UnitID: m.UnitID, Name: m.Name, Category: string(m.Category),
		Post:           Post{Frontline: m.Post.Frontline, AuxDuty: string(m.Post.AuxDuty), HighRisk: m.Post.HighRisk},
		IDNumberMasked: idcard.Mask(m.Identity.Number), BirthDate: DateOf(m.Identity.Birth), Sex: string(m.Identity.Sex),
		HireDate: DateOf(m.HireDate), ServiceStart: DateOf(m.ServiceStart), Status: string(m.Status),
		Honours: []Honour{}, Dependants: []Dependant{}, Beneficiaries: []Beneficiary{}, Version: m.Version,
	}
	if !m.StatusDate.IsZero() {
		d := DateOf(m.StatusDate)
		p.StatusDate = &d
	}
	if m.DeathCause != "" {
		c := string(m.DeathCause)
		p.DeathCause = &c
	}
	for _, h := range m.Honours {
		p.Honours = append(p.Honours, Honour{Kind: string(h.Kind), AwardedOn: DateOf(h.AwardedOn)})
	}
	for _, d := range m.Dependants {
		p.Dependants = append(p.Dependants, Dependant{
			DependantID: d.ID, Relation: string(d.Relation), Name: d.Name,
			IDNumberMasked: idcard.Mask(d.Identity.Number), BirthDate: DateOf(d.Identity.Birth), Sex: string(d.Identity.Sex),
		})
	}
	for _, b := range m.Beneficiaries {
		p.Beneficiaries = append(p.Beneficiaries, Beneficiary{Scheme: string(b.Scheme), Name: b.Name, Relation: string(b.Relation), ShareBP: int(b.Share)})
	}
	return p
}

// Enrollment is the payload of enrollment.activated and enrollment.ended.
type Enrollment struct {
	EnrollmentID string      `json:"enrollment_id"`
	MemberID     string      `json:"member_id"`
	PlanID       string      `json:"plan_id"`
	Scheme       string      `json:"scheme"`
	PlanYear     int         `json:"plan_year"`
	PeriodFrom   Date        `json:"period_from"`
	PeriodTo     Date        `json:"period_to"`
	CoveredFrom  Date        `json:"covered_from"`
	Status       string      `json:"status"`
	EndReason    *string     `json:"end_reason"`
	SumsInsured  SumsInsured `json:"sums_insured"`
	Version      int64       `json:"version"`
}

// SumsInsured are the plan's sums, in fen.
type SumsInsured struct {
	DeathFen           int64   `json:"death_fen"`
	DisabilityFen      []int64 `json:"disability_fen"`
	CriticalIllnessFen int64   `json:"critical_illness_fen"`
}

// SumsOf converts the domain sums.
func SumsOf(s domain.SumsInsured) SumsInsured {
	out := SumsInsured{DeathFen: int64(s.Death), CriticalIllnessFen: int64(s.CriticalIllness), DisabilityFen: make([]int64, domain.DisabilityGrades)}
	for i, v := range s.Disability {
		out.DisabilityFen[i] = int64(v)
	}
	return out
}

// EnrollmentPayload builds the payload of an enrollment event. PeriodTo is
// the last covered day: for enrollment.ended it is the day the enrollment
// lapsed or ended.
func EnrollmentPayload(e domain.Enrollment, p domain.Plan) Enrollment {
	out := Enrollment{
		EnrollmentID: e.ID, MemberID: e.MemberID, PlanID: e.PlanID, Scheme: string(e.Scheme), PlanYear: e.PlanYear,
		PeriodFrom: DateOf(e.Period.From), PeriodTo: DateOf(e.Period.To), CoveredFrom: DateOf(e.CoveredFrom),
		Status: string(e.Status), SumsInsured: SumsOf(p.Sums), Version: e.Version,
	}
	if e.EndReason != "" {
		r := string(e.EndReason)
		out.EndReason = &r
	}
	return out
}

// ForMember builds the envelope of a member event.
func ForMember(typ string, m *domain.Member, at time.Time) (bus.Event, error) {
	return bus.NewEvent(Source, typ, Version, m.ID, m.Version, MemberPayload(m), at)
}

// ForEnrollment builds the envelope of an enrollment event.
func ForEnrollment(typ string, e domain.Enrollment, p domain.Plan, at time.Time) (bus.Event, error) {
	return bus.NewEvent(Source, typ, Version, e.ID, e.Version, EnrollmentPayload(e, p), at)
}

// MemberEventType picks the event a member change publishes: a death is
// member.deceased, registration member.registered, anything else
// member.updated.
func MemberEventType(change domain.ChangeKind) string {
	switch change {
	case domain.ChangeRegistered:
		return TypeMemberRegistered
	case domain.ChangeDeceased:
		return TypeMemberDeceased
	}
	return TypeMemberUpdated
}

package members

import (
	"time"

	"github.com/google/uuid"
	openapi_types "github.com/oapi-codegen/runtime/types"

	enrollmentapi "github.com/anxin-welfare/anxin/api/client/enrollment"
	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
)

// The pages' views of the registry's records: plain values the templates
// read, filled from the generated types, which mark every optional member
// with a pointer and every date with openapi_types.Date.

// memberSummary is a member in the list.
type memberSummary struct {
	ID, UnitID, Name, Category, IDNumberMasked, Status string
	Version                                            int64
}

// unitView is a unit of the tree.
type unitView struct {
	ID, Code, ParentID, Name, Kind string
	Version                        int64
}

// memberPost is a member's post type.
type memberPost struct {
	Frontline bool
	AuxDuty   string
	HighRisk  bool
}

type memberDependant struct {
	ID, Relation, Name, IDNumberMasked, BirthDate, Sex, Phone string
}

type memberBeneficiary struct {
	Name, Relation, IDNumberMasked, Share string
}

// memberDetail is the registry's Member, identity numbers masked.
type memberDetail struct {
	memberSummary
	Post                                                      memberPost
	BirthDate, Sex, Phone, HireDate, ServiceStart, StatusDate string
	DeathCause                                                string
	Dependants                                                []memberDependant
	Beneficiaries                                             map[string][]memberBeneficiary
}

// Deceased reports whether the record is closed: a death is final.
func (m memberDetail) Deceased() bool { return m.Status == "deceased" }

type memberPeriod struct {
	From, To string
}

type memberEnrollment struct {
	ID, PlanID, Scheme string
	PlanYear           int
	Period             memberPeriod
	CoveredFrom        string
	Status, EndReason  string
	Version            int64
	PlanName           string
}

// memberCoverage answers "was the member covered by this scheme on the day".
type memberCoverage struct {
	Scheme      string
	Covered     bool
	Reason      string
	PlanName    string
	PlanYear    int
	CoveredFrom string
}

// ReasonKey is the page's text for why the member is not covered.
func (c memberCoverage) ReasonKey() string {
	if c.Reason == string(enrollmentapi.EnrollmentCoverageWaitingPeriod) {
		return "web.members.coverage.waiting_period"
	}
	return "web.members.coverage.not_enrolled"
}

// day is a date as YYYY-MM-DD, "" when absent.
func day(d *openapi_types.Date) string {
	if d == nil {
		return ""
	}
	return d.String()
}

// idOf is an optional id as text, "" when absent.
func idOf(id *openapi_types.UUID) string {
	if id == nil {
		return ""
	}
	return id.String()
}

// dateOf is the day of t as the generated clients take it.
func dateOf(t time.Time) openapi_types.Date { return openapi_types.Date{Time: t} }

// parsedDate is the typed date s (YYYY-MM-DD); ok is false when it is none.
func parsedDate(s string) (openapi_types.Date, bool) {
	t, err := time.Parse(time.DateOnly, s)
	return dateOf(t), err == nil
}

// idOrNil is the id s as the generated clients take it: a text that is no
// id is sent as the nil id, which names nothing, so the service answers
// as for any id it does not know.
func idOrNil(s string) uuid.UUID {
	id, err := uuid.Parse(s)
	if err != nil {
		return uuid.Nil
	}
	return id
}

// maxLimit asks a list for its largest page.
func maxLimit() *int {
	n := page.MaxLimit
	return &n
}

func summaryOf(m enrollmentapi.MemberSummary) memberSummary {
	return memberSummary{ID: webkit.Deref(m.Id), UnitID: webkit.Deref(m.UnitId), Name: webkit.Deref(m.Name), Category: string(webkit.Deref(m.Category)),
		IDNumberMasked: webkit.Deref(m.IdNumberMasked), Status: string(webkit.Deref(m.Status)), Version: int64(webkit.Deref(m.Version))}
}

func detailOf(m *enrollmentapi.Member) memberDetail {
	d := memberDetail{
		memberSummary: memberSummary{ID: m.Id.String(), UnitID: m.UnitId.String(), Name: m.Name, Category: string(m.Category),
			IDNumberMasked: webkit.Deref(m.IdNumberMasked), Status: string(m.Status), Version: int64(m.Version)},
		BirthDate: day(m.BirthDate), Sex: string(webkit.Deref(m.Sex)), Phone: webkit.Deref(m.Phone), HireDate: day(m.HireDate),
		ServiceStart: day(m.ServiceStart), StatusDate: day(m.StatusDate), DeathCause: string(webkit.Deref(m.DeathCause)),
		Dependants: []memberDependant{}, Beneficiaries: map[string][]memberBeneficiary{},
	}
	if p := m.Post; p != nil {
		d.Post = memberPost{Frontline: webkit.Deref(p.Frontline), AuxDuty: string(webkit.Deref(p.AuxDuty)), HighRisk: webkit.Deref(p.HighRisk)}
	}
	for _, dep := range webkit.Deref(m.Dependants) {
		d.Dependants = append(d.Dependants, memberDependant{ID: idOf(dep.Id), Relation: string(webkit.Deref(dep.Relation)), Name: webkit.Deref(dep.Name),
			IDNumberMasked: webkit.Deref(dep.IdNumberMasked), BirthDate: day(dep.BirthDate), Sex: string(webkit.Deref(dep.Sex)), Phone: webkit.Deref(dep.Phone)})
	}
	for scheme, bs := range webkit.Deref(m.Beneficiaries) {
		for _, b := range bs {
			d.Beneficiaries[scheme] = append(d.Beneficiaries[scheme], memberBeneficiary{Name: webkit.Deref(b.Name), Relation: webkit.Deref(b.Relation),
				IDNumberMasked: webkit.Deref(b.IdNumberMasked), Share: webkit.Deref(b.Share)})
		}
	}
	return d
}

func periodOf(p *enrollmentapi.Period) memberPeriod {
	if p == nil {
		return memberPeriod{}
	}
	return memberPeriod{From: day(p.From), To: day(p.To)}
}

func enrollmentOf(e enrollmentapi.Enrollment) memberEnrollment {
	return memberEnrollment{ID: idOf(e.Id), PlanID: idOf(e.PlanId), Scheme: string(webkit.Deref(e.Scheme)), PlanYear: webkit.Deref(e.PlanYear),
		Period: periodOf(e.Period), CoveredFrom: day(e.CoveredFrom), Status: string(webkit.Deref(e.Status)),
		EndReason: string(webkit.Deref(e.EndReason)), Version: int64(webkit.Deref(e.Version))}
}

func coverageOf(c enrollmentapi.Coverage) memberCoverage {
	return memberCoverage{Scheme: string(webkit.Deref(c.Scheme)), Covered: webkit.Deref(c.Covered), Reason: string(webkit.Deref(c.Reason)),
		PlanName: webkit.Deref(c.PlanName), PlanYear: webkit.Deref(c.PlanYear), CoveredFrom: day(c.CoveredFrom)}
}

func unitOf(u enrollmentapi.Unit) unitView {
	return unitView{ID: u.Id.String(), Code: u.Code, ParentID: idOf(u.ParentId), Name: u.Name, Kind: u.Kind, Version: int64(u.Version)}
}

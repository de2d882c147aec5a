package httpapi

import (
	"strings"
	"time"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/pkg/idcard"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/domain"
)

// dateLayout is how dates travel in JSON and query strings.
const dateLayout = time.DateOnly

// dates parses request dates and collects the problems by field name.
type dates struct{ fields []fielderr.Problem }

// parse reads s as YYYY-MM-DD; "" is the zero time unless required.
func (d *dates) parse(field, s string, required bool) time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		if required {
			d.fields = append(d.fields, fielderr.Problem{Field: field, Code: "field.required"})
		}
		return time.Time{}
	}
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		d.fields = append(d.fields, fielderr.Problem{Field: field, Code: "field.date"})
		return time.Time{}
	}
	return t
}

func (d *dates) err() error {
	if len(d.fields) == 0 {
		return nil
	}
	return httpx.Invalid(d.fields...)
}

func fmtDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(dateLayout)
}

// postJSON is a member's post type.
type postJSON struct {
	Frontline bool   `json:"frontline"`
	AuxDuty   string `json:"aux_duty,omitempty"`
	HighRisk  bool   `json:"high_risk"`
}

// memberRequest registers or replaces a member's details.
type memberRequest struct {
	UnitID       string   `json:"unit_id"`
	Name         string   `json:"name"`
	Category     string   `json:"category"`
	Post         postJSON `json:"post"`
	IDNumber     string   `json:"id_number"`
	Phone        string   `json:"phone"`
	HireDate     string   `json:"hire_date"`
	ServiceStart string   `json:"service_start"`
}

func (r memberRequest) input() (domain.MemberInput, error) {
	var d dates
	in := domain.MemberInput{
		UnitID: r.UnitID, Name: r.Name, Category: domain.Category(r.Category),
		Post:     domain.Post{Frontline: r.Post.Frontline, AuxDuty: domain.AuxDuty(r.Post.AuxDuty), HighRisk: r.Post.HighRisk},
		IDNumber: r.IDNumber, Phone: r.Phone,
		HireDate:     d.parse("hire_date", r.HireDate, false),
		ServiceStart: d.parse("service_start", r.ServiceStart, false),
	}
	return in, d.err()
}

type honourJSON struct {
	Kind      string `json:"kind"`
	AwardedOn string `json:"awarded_on"`
}

type dependantJSON struct {
	ID             string `json:"id"`
	Relation       string `json:"relation"`
	Name           string `json:"name"`
	IDNumberMasked string `json:"id_number_masked"`
	BirthDate      string `json:"birth_date"`
	Sex            string `json:"sex"`
	Phone          string `json:"phone,omitempty"`
}

type beneficiaryJSON struct {
	Name           string `json:"name"`
	Relation       string `json:"relation"`
	IDNumberMasked string `json:"id_number_masked,omitempty"`
	Share          string `json:"share"`
}

// memberResponse is a member as every endpoint shows it: the identity
// number masked (the full number has its own audited endpoint).
type memberResponse struct {
	ID             string                       `json:"id"`
	UnitID         string                       `json:"unit_id"`
	Name           string                       `json:"name"`
	Category       string                       `json:"category"`
	Post           postJSON                     `json:"post"`
	IDNumberMasked string                       `json:"id_number_masked"`
	BirthDate      string                       `json:"birth_date"`
	Sex            string                       `json:"sex"`
	Phone          string                       `json:"phone"`
	HireDate       string                       `json:"hire_date"`
	ServiceStart   string                       `json:"service_start"`
	Status         string                       `json:"status"`
	StatusDate     string                       `json:"status_date,omitempty"`
	DeathCause     string                       `json:"death_cause,omitempty"`
	Honours        []honourJSON                 `json:"honours"`
	Dependants     []dependantJSON              `json:"dependants"`
	Beneficiaries  map[string][]beneficiaryJSON `json:"beneficiaries"`
	Version        int64                        `json:"version"`
}

// masked returns the masked form of a number that may already be masked
// (lists and snapshots read the masked column).
func masked(n string) string {
	if n == "" || strings.Contains(n, "*") {
		return n
	}
	return idcard.Mask(n)
}

func toMember(m *domain.Member) memberResponse {
	r := memberResponse{
		ID: m.ID, UnitID: m.UnitID, Name: m.Name, Category: string(m.Category),
		Post:           postJSON{Frontline: m.Post.Frontline, AuxDuty: string(m.Post.AuxDuty), HighRisk: m.Post.HighRisk},
		IDNumberMasked: masked(m.Identity.Number), BirthDate: fmtDate(m.Identity.Birth), Sex: string(m.Identity.Sex),
		Phone: m.Phone, HireDate: fmtDate(m.HireDate), ServiceStart: fmtDate(m.ServiceStart),
		Status: string(m.Status), StatusDate: fmtDate(m.StatusDate), DeathCause: string(m.DeathCause),
		Honours: []honourJSON{}, Dependants: toDependants(m.Dependants), Beneficiaries: toBeneficiaries(m.Beneficiaries),
		Version: m.Version,
	}
	for _, h := range m.Honours {
		r.Honours = append(r.Honours, honourJSON{Kind: string(h.Kind), AwardedOn: fmtDate(h.AwardedOn)})
	}
	return r
}

func toDependants(ds []domain.Dependant) []dependantJSON {
	out := []dependantJSON{}
	for _, d := range ds {
		out = append(out, dependantJSON{ID: d.ID, Relation: string(d.Relation), Name: d.Name,
			IDNumberMasked: masked(d.Identity.Number), BirthDate: fmtDate(d.Identity.Birth), Sex: string(d.Identity.Sex), Phone: d.Phone})
	}
	return out
}

func toBeneficiaries(bs []domain.Beneficiary) map[string][]beneficiaryJSON {
	out := map[string][]beneficiaryJSON{}
	for _, b := range bs {
		out[string(b.Scheme)] = append(out[string(b.Scheme)], beneficiaryJSON{Name: b.Name, Relation: string(b.Relation),
			IDNumberMasked: masked(b.Identity.Number), Share: b.Share.String()})
	}
	return out
}

// memberSummary is a member in a list.
type memberSummary struct {
	ID             string `json:"id"`
	UnitID         string `json:"unit_id"`
	Name           string `json:"name"`
	Category       string `json:"category"`
	IDNumberMasked string `json:"id_number_masked"`
	Status         string `json:"status"`
	Version        int64  `json:"version"`
}

type statusRequest struct {
	Status string `json:"status"`
	Date   string `json:"date"`
}

type deathRequest struct {
	Date  string `json:"date"`
	Cause string `json:"cause"`
}

type honourRequest struct {
	Kind      string `json:"kind"`
	AwardedOn string `json:"awarded_on"`
}

type dependantRequest struct {
	Relation string `json:"relation"`
	Name     string `json:"name"`
	IDNumber string `json:"id_number"`
	Phone    string `json:"phone"`
}

func (r dependantRequest) input() domain.DependantInput {
	return domain.DependantInput{Relation: domain.Relation(r.Relation), Name: r.Name, IDNumber: r.IDNumber, Phone: r.Phone}
}

type beneficiaryRequest struct {
	Name     string `json:"name"`
	Relation string `json:"relation"`
	IDNumber string `json:"id_number"`
	// Share is a percentage with at most two decimals, as a string
	// ("33.33") so no float ever holds it.
	Share string `json:"share"`
}

type beneficiariesRequest struct {
	Beneficiaries []beneficiaryRequest `json:"beneficiaries"`
}

func (r beneficiariesRequest) inputs() ([]domain.BeneficiaryInput, error) {
	out := make([]domain.BeneficiaryInput, len(r.Beneficiaries))
	var bad []fielderr.Problem
	for i, b := range r.Beneficiaries {
		share, err := domain.ParsePercent(b.Share)
		if err != nil {
			bad = append(bad, fielderr.Problem{Field: "beneficiaries[" + itoa(i) + "].share", Code: "enrollment.share_format"})
		}
		out[i] = domain.BeneficiaryInput{Name: b.Name, Relation: domain.Relation(b.Relation), IDNumber: b.IDNumber, Share: share}
	}
	if len(bad) > 0 {
		return nil, httpx.Invalid(bad...)
	}
	return out, nil
}

type versionJSON struct {
	Version    int64          `json:"version"`
	RecordedAt time.Time      `json:"recorded_at"`
	Actor      string         `json:"actor"`
	Change     string         `json:"change"`
	Member     memberResponse `json:"member"`
}

// unitRequest creates a unit.
type unitRequest struct {
	Code     string `json:"code"`
	ParentID string `json:"parent_id"`
	Name     string `json:"name"`
	Kind     string `json:"kind"`
}

type unitResponse struct {
	ID       string `json:"id"`
	Code     string `json:"code"`
	ParentID string `json:"parent_id,omitempty"`
	Name     string `json:"name"`
	Kind     string `json:"kind"`
	Version  int64  `json:"version"`
}

func toUnit(u domain.Unit) unitResponse {
	return unitResponse{ID: u.ID, Code: u.Code, ParentID: u.ParentID, Name: u.Name, Kind: string(u.Kind), Version: u.Version}
}

type periodJSON struct {
	From string `json:"from"`
	To   string `json:"to"`
}

type eligibilityJSON struct {
	Categories    []string `json:"categories"`
	FrontlineOnly bool     `json:"frontline_only"`
	AuxDuties     []string `json:"aux_duties"`
	HighRiskOnly  bool     `json:"high_risk_only"`
}

type sumsJSON struct {
	DeathFen           int64   `json:"death_fen"`
	DisabilityFen      []int64 `json:"disability_fen"`
	CriticalIllnessFen int64   `json:"critical_illness_fen"`
}

// planRequest creates a plan. Amounts are integer fen.
type planRequest struct {
	Scheme      string          `json:"scheme"`
	Year        int             `json:"year"`
	Name        string          `json:"name"`
	Coverage    periodJSON      `json:"coverage"`
	Eligibility eligibilityJSON `json:"eligibility"`
	PremiumFen  int64           `json:"premium_fen"`
	Payer       string          `json:"payer"`
	WaitingDays int             `json:"waiting_days"`
	Sums        sumsJSON        `json:"sums_insured"`
}

func (r planRequest) input() (domain.PlanInput, error) {
	var d dates
	in := domain.PlanInput{
		Scheme: domain.SchemeCode(r.Scheme), Year: r.Year, Name: r.Name,
		Coverage:    domain.Period{From: d.parse("coverage.from", r.Coverage.From, true), To: d.parse("coverage.to", r.Coverage.To, true)},
		Eligibility: domain.Eligibility{FrontlineOnly: r.Eligibility.FrontlineOnly, HighRiskOnly: r.Eligibility.HighRiskOnly},
		Premium:     money.Fen(r.PremiumFen), Payer: domain.Payer(r.Payer), WaitingDays: r.WaitingDays,
		Sums: domain.SumsInsured{Death: money.Fen(r.Sums.DeathFen), CriticalIllness: money.Fen(r.Sums.CriticalIllnessFen)},
	}
	for _, c := range r.Eligibility.Categories {
		in.Eligibility.Categories = append(in.Eligibility.Categories, domain.Category(c))
	}
	for _, a := range r.Eligibility.AuxDuties {
		in.Eligibility.AuxDuties = append(in.Eligibility.AuxDuties, domain.AuxDuty(a))
	}
	if len(r.Sums.DisabilityFen) > domain.DisabilityGrades {
		d.fields = append(d.fields, fielderr.Problem{Field: "sums_insured.disability_fen", Code: "field.too_many", Args: []any{domain.DisabilityGrades}})
	}
	for i := 0; i < len(r.Sums.DisabilityFen) && i < domain.DisabilityGrades; i++ {
		in.Sums.Disability[i] = money.Fen(r.Sums.DisabilityFen[i])
	}
	return in, d.err()
}

type planResponse struct {
	ID          string          `json:"id"`
	Scheme      string          `json:"scheme"`
	Year        int             `json:"year"`
	Name        string          `json:"name"`
	Coverage    periodJSON      `json:"coverage"`
	Eligibility eligibilityJSON `json:"eligibility"`
	PremiumFen  int64           `json:"premium_fen"`
	Payer       string          `json:"payer"`
	WaitingDays int             `json:"waiting_days"`
	Sums        sumsJSON        `json:"sums_insured"`
	Version     int64           `json:"version"`
}

func toSums(s domain.SumsInsured) sumsJSON {
	out := sumsJSON{DeathFen: int64(s.Death), CriticalIllnessFen: int64(s.CriticalIllness), DisabilityFen: make([]int64, domain.DisabilityGrades)}
	for i, v := range s.Disability {
		out.DisabilityFen[i] = int64(v)
	}
	return out
}

func toPlan(p domain.Plan) planResponse {
	r := planResponse{
		ID: p.ID, Scheme: string(p.Scheme), Year: p.Year, Name: p.Name,
		Coverage:    periodJSON{From: fmtDate(p.Coverage.From), To: fmtDate(p.Coverage.To)},
		Eligibility: eligibilityJSON{FrontlineOnly: p.Eligibility.FrontlineOnly, HighRiskOnly: p.Eligibility.HighRiskOnly, Categories: []string{}, AuxDuties: []string{}},
		PremiumFen:  int64(p.Premium), Payer: string(p.Payer), WaitingDays: p.WaitingDays, Sums: toSums(p.Sums), Version: p.Version,
	}
	for _, c := range p.Eligibility.Categories {
		r.Eligibility.Categories = append(r.Eligibility.Categories, string(c))
	}
	for _, a := range p.Eligibility.AuxDuties {
		r.Eligibility.AuxDuties = append(r.Eligibility.AuxDuties, string(a))
	}
	return r
}

type enrollRequest struct {
	MemberID string `json:"member_id"`
	PlanID   string `json:"plan_id"`
	Start    string `json:"start"`
}

type closeRequest struct {
	LastDay string `json:"last_day"`
	Reason  string `json:"reason"`
}

type enrollmentResponse struct {
	ID          string     `json:"id"`
	MemberID    string     `json:"member_id"`
	PlanID      string     `json:"plan_id"`
	Scheme      string     `json:"scheme"`
	PlanYear    int        `json:"plan_year"`
	Period      periodJSON `json:"period"`
	CoveredFrom string     `json:"covered_from"`
	Status      string     `json:"status"`
	EndReason   string     `json:"end_reason,omitempty"`
	Version     int64      `json:"version"`
}

func toEnrollment(e domain.Enrollment) enrollmentResponse {
	return enrollmentResponse{ID: e.ID, MemberID: e.MemberID, PlanID: e.PlanID, Scheme: string(e.Scheme), PlanYear: e.PlanYear,
		Period: periodJSON{From: fmtDate(e.Period.From), To: fmtDate(e.Period.To)}, CoveredFrom: fmtDate(e.CoveredFrom),
		Status: string(e.Status), EndReason: string(e.EndReason), Version: e.Version}
}

type bulkRequest struct {
	UnitIDs []string `json:"unit_ids"`
	Start   string   `json:"start"`
	DryRun  bool     `json:"dry_run"`
}

type renewalRequest struct {
	NextPlanID string `json:"next_plan_id"`
	DryRun     bool   `json:"dry_run"`
}

type bulkSkipJSON struct {
	MemberID string `json:"member_id"`
	Code     string `json:"code"`
	Message  string `json:"message"`
}

type bulkResponse struct {
	PlanID   string               `json:"plan_id"`
	DryRun   bool                 `json:"dry_run"`
	Enrolled []enrollmentResponse `json:"enrolled"`
	Skipped  []bulkSkipJSON       `json:"skipped"`
}

// coverageJSON answers "was the member covered by this scheme on that day".
type coverageJSON struct {
	Scheme       string      `json:"scheme"`
	Date         string      `json:"date"`
	Covered      bool        `json:"covered"`
	Reason       string      `json:"reason,omitempty"`
	EnrollmentID string      `json:"enrollment_id,omitempty"`
	PlanID       string      `json:"plan_id,omitempty"`
	PlanName     string      `json:"plan_name,omitempty"`
	PlanYear     int         `json:"plan_year,omitempty"`
	Period       *periodJSON `json:"period,omitempty"`
	CoveredFrom  string      `json:"covered_from,omitempty"`
	SumsInsured  *sumsJSON   `json:"sums_insured,omitempty"`
}

// ToCoverage converts a domain answer; the NATS endpoint uses the same
// shape as HTTP.
func toCoverage(c domain.Coverage) coverageJSON {
	out := coverageJSON{Scheme: string(c.Scheme), Date: fmtDate(c.On), Covered: c.Covered, Reason: c.Reason}
	if c.Enrollment != nil {
		out.EnrollmentID = c.Enrollment.ID
		out.PlanID = c.Enrollment.PlanID
		out.PlanYear = c.Enrollment.PlanYear
		out.Period = &periodJSON{From: fmtDate(c.Enrollment.Period.From), To: fmtDate(c.Enrollment.Period.To)}
		out.CoveredFrom = fmtDate(c.Enrollment.CoveredFrom)
	}
	if c.Plan != nil {
		out.PlanName = c.Plan.Name
		if c.Covered {
			s := toSums(c.Plan.Sums)
			out.SumsInsured = &s
		}
	}
	return out
}

package domain_test

import (
	"errors"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/domain"
)

func planInput(year int) domain.PlanInput {
	return domain.PlanInput{
		Scheme:      domain.SchemePersonalAccident,
		Year:        year,
		Name:        "人身意外伤害保险",
		Coverage:    domain.Period{From: date(year, 1, 1), To: date(year, 12, 31)},
		Eligibility: domain.Eligibility{Categories: []domain.Category{domain.CategoryPolice, domain.CategoryAuxiliaryPolice}},
		Premium:     money.Yuan(300),
		Payer:       domain.PayerUnit,
		WaitingDays: 30,
		Sums: domain.SumsInsured{
			Death:      money.Yuan(200000),
			Disability: [10]money.Fen{money.Yuan(200000), money.Yuan(180000), 0, 0, 0, 0, 0, 0, 0, 0},
		},
	}
}

func newPlan(t *testing.T, id string, year int, mutate func(*domain.PlanInput)) domain.Plan {
	t.Helper()
	in := planInput(year)
	if mutate != nil {
		mutate(&in)
	}
	p, err := domain.NewPlan(id, in)
	if err != nil {
		t.Fatalf("NewPlan: %v", err)
	}
	return p
}

func TestNewPlan(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		mutate func(*domain.PlanInput)
		want   []string
	}{
		{name: "valid", mutate: func(*domain.PlanInput) {}},
		{name: "mid-year to mid-year", mutate: func(in *domain.PlanInput) {
			in.Coverage = domain.Period{From: date(2026, 7, 1), To: date(2027, 6, 30)}
		}},
		{name: "longer than a year", mutate: func(in *domain.PlanInput) { in.Coverage.To = date(2027, 1, 1) },
			want: []string{"coverage.to=enrollment.plan.coverage_over_a_year"}},
		{name: "reversed", mutate: func(in *domain.PlanInput) { in.Coverage.To = date(2025, 12, 1) },
			want: []string{"coverage.to=enrollment.period_reversed"}},
		{name: "year mismatch", mutate: func(in *domain.PlanInput) { in.Year = 2027 },
			want: []string{"coverage.from=enrollment.plan.coverage_year_mismatch"}},
		{name: "central insurance is for sworn police only", mutate: func(in *domain.PlanInput) { in.Payer = domain.PayerCentralFinance },
			want: []string{"eligibility.categories[1]=enrollment.plan.central_police_only"}},
		{name: "supplementary medical for civil servants only", mutate: func(in *domain.PlanInput) { in.Scheme = domain.SchemeSupplementaryMedical },
			want: []string{"eligibility.categories[1]=enrollment.plan.civil_servants_only"}},
		{name: "lighter grade paying more", mutate: func(in *domain.PlanInput) { in.Sums.Disability[2] = money.Yuan(190000) },
			want: []string{"sums.disability[2]=enrollment.plan.disability_sums_order"}},
		{name: "negative premium and waiting", mutate: func(in *domain.PlanInput) { in.Premium, in.WaitingDays = -1, -1 },
			want: []string{"premium=enrollment.amount_negative", "waiting_days=enrollment.plan.waiting_days_range"}},
		{name: "no categories, unknown payer and scheme", mutate: func(in *domain.PlanInput) {
			in.Scheme, in.Payer, in.Eligibility.Categories = "life", "bank", nil
		}, want: []string{"scheme=enrollment.scheme_unknown", "eligibility.categories=enrollment.required", "payer=enrollment.plan.payer_unknown"}},
		{name: "high risk only without auxiliary police", mutate: func(in *domain.PlanInput) {
			in.Eligibility = domain.Eligibility{Categories: []domain.Category{domain.CategoryPolice}, HighRiskOnly: true}
		}, want: []string{"eligibility.high_risk_only=enrollment.post.aux_only"}},
		{name: "duplicate category", mutate: func(in *domain.PlanInput) {
			in.Eligibility.Categories = []domain.Category{domain.CategoryPolice, domain.CategoryPolice}
		}, want: []string{"eligibility.categories[1]=enrollment.duplicate"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			in := planInput(2026)
			tc.mutate(&in)
			_, err := domain.NewPlan("p", in)
			if got := codesOf(err); !slices.Equal(got, tc.want) {
				t.Errorf("problems = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestPlanEligible(t *testing.T) {
	t.Parallel()
	aux := func(duty domain.AuxDuty, highRisk bool) func(*domain.MemberInput) {
		return func(in *domain.MemberInput) {
			in.Category, in.Post = domain.CategoryAuxiliaryPolice, domain.Post{AuxDuty: duty, HighRisk: highRisk}
		}
	}
	tests := []struct {
		name     string
		member   func(*domain.MemberInput)
		retired  bool
		elig     domain.Eligibility
		wantCode string
	}{
		{name: "police eligible", elig: domain.Eligibility{Categories: []domain.Category{domain.CategoryPolice}}},
		{name: "judge not in list", member: func(in *domain.MemberInput) { in.Category, in.Post = domain.CategoryJudge, domain.Post{} },
			elig: domain.Eligibility{Categories: []domain.Category{domain.CategoryPolice}}, wantCode: "enrollment.ineligible.category"},
		{name: "retired", retired: true, elig: domain.Eligibility{Categories: []domain.Category{domain.CategoryPolice}}, wantCode: "enrollment.ineligible.not_active"},
		{name: "frontline only", member: func(in *domain.MemberInput) { in.Post.Frontline = false },
			elig: domain.Eligibility{Categories: []domain.Category{domain.CategoryPolice}, FrontlineOnly: true}, wantCode: "enrollment.ineligible.not_frontline"},
		{name: "auxiliary high-risk", member: aux(domain.AuxDutyField, true),
			elig: domain.Eligibility{Categories: []domain.Category{domain.CategoryAuxiliaryPolice}, HighRiskOnly: true}},
		{name: "auxiliary not high-risk", member: aux(domain.AuxDutyField, false),
			elig: domain.Eligibility{Categories: []domain.Category{domain.CategoryAuxiliaryPolice}, HighRiskOnly: true}, wantCode: "enrollment.ineligible.not_high_risk"},
		{name: "auxiliary civilian excluded", member: aux(domain.AuxDutyCivilian, false),
			elig: domain.Eligibility{Categories: []domain.Category{domain.CategoryAuxiliaryPolice}, AuxDuties: []domain.AuxDuty{domain.AuxDutyField}}, wantCode: "enrollment.ineligible.aux_duty"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := newMember(t, tc.member)
			if tc.retired {
				if err := m.ChangeStatus(domain.StatusRetired, date(2025, 1, 1), today); err != nil {
					t.Fatal(err)
				}
			}
			pl := newPlan(t, "p", 2026, func(in *domain.PlanInput) { in.Eligibility = tc.elig })
			err := pl.Eligible(m)
			if tc.wantCode == "" {
				if err != nil {
					t.Fatalf("Eligible: %v", err)
				}
				return
			}
			if !errors.Is(err, domain.ErrNotEligible) || domain.Code(err) != tc.wantCode {
				t.Errorf("err = %v (code %q), want %s", err, domain.Code(err), tc.wantCode)
			}
		})
	}
}

func TestEnroll(t *testing.T) {
	t.Parallel()
	p25 := func(t *testing.T) domain.Plan { return newPlan(t, "p25", 2025, nil) }
	p26 := func(t *testing.T) domain.Plan { return newPlan(t, "p26", 2026, nil) }
	tests := []struct {
		name            string
		start           time.Time
		existing        func(t *testing.T, m *domain.Member) []domain.Enrollment
		wantErr         error
		wantCoveredFrom time.Time
	}{
		{name: "first enrollment waits", start: date(2026, 3, 1), wantCoveredFrom: date(2026, 3, 31)},
		{name: "start outside plan", start: date(2027, 1, 1), wantErr: domain.ErrValidation},
		{name: "overlap in the same scheme", start: date(2026, 6, 1), wantErr: domain.ErrOverlap,
			existing: func(t *testing.T, m *domain.Member) []domain.Enrollment {
				e, _, err := domain.Enroll("e0", m, p26(t), date(2026, 1, 1), nil)
				if err != nil {
					t.Fatal(err)
				}
				return []domain.Enrollment{e}
			}},
		{name: "after a closed period", start: date(2026, 6, 1), wantCoveredFrom: date(2026, 7, 1),
			existing: func(t *testing.T, m *domain.Member) []domain.Enrollment {
				e, _, err := domain.Enroll("e0", m, p26(t), date(2026, 1, 1), nil)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := e.Close(date(2026, 3, 31), domain.EndNonPayment); err != nil {
					t.Fatal(err)
				}
				return []domain.Enrollment{e}
			}},
		{name: "renewal waits no second time", start: date(2026, 1, 1), wantCoveredFrom: date(2026, 1, 1),
			existing: func(t *testing.T, m *domain.Member) []domain.Enrollment {
				e, _, err := domain.Enroll("e0", m, p25(t), date(2025, 1, 1), nil)
				if err != nil {
					t.Fatal(err)
				}
				return []domain.Enrollment{e}
			}},
		{name: "other scheme never overlaps", start: date(2026, 1, 1), wantCoveredFrom: date(2026, 1, 31),
			existing: func(t *testing.T, m *domain.Member) []domain.Enrollment {
				e, _, err := domain.Enroll("e0", m, newPlan(t, "wi", 2026, func(in *domain.PlanInput) { in.Scheme = domain.SchemeWorkInjury }), date(2026, 1, 1), nil)
				if err != nil {
					t.Fatal(err)
				}
				return []domain.Enrollment{e}
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := newMember(t, nil)
			var existing []domain.Enrollment
			if tc.existing != nil {
				existing = tc.existing(t, m)
			}
			e, ev, err := domain.Enroll("e1", m, p26(t), tc.start, existing)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			if err != nil {
				return
			}
			if !e.CoveredFrom.Equal(tc.wantCoveredFrom) {
				t.Errorf("covered from %v, want %v", e.CoveredFrom, tc.wantCoveredFrom)
			}
			if ev.Kind != domain.EventActivated || !ev.On.Equal(tc.start) || e.Period.To != date(2026, 12, 31) {
				t.Errorf("event %+v period %+v", ev, e.Period)
			}
		})
	}
}

func TestEnrollmentClose(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		last       time.Time
		reason     domain.EndReason
		twice      bool
		wantErr    error
		wantKind   domain.EnrollmentEventKind
		wantStatus domain.EnrollmentStatus
	}{
		{name: "lapse for non-payment", last: date(2026, 4, 30), reason: domain.EndNonPayment, wantKind: domain.EventLapsed, wantStatus: domain.EnrollmentLapsed},
		{name: "end on leaving", last: date(2026, 4, 30), reason: domain.EndMemberLeft, wantKind: domain.EventEnded, wantStatus: domain.EnrollmentEnded},
		{name: "first day allowed", last: date(2026, 1, 1), reason: domain.EndByCaseworker, wantKind: domain.EventEnded, wantStatus: domain.EnrollmentEnded},
		{name: "outside period", last: date(2027, 1, 1), reason: domain.EndMemberLeft, wantErr: domain.ErrValidation},
		{name: "unknown reason", last: date(2026, 5, 1), reason: "bored", wantErr: domain.ErrValidation},
		{name: "closed is final", last: date(2026, 5, 1), reason: domain.EndMemberLeft, twice: true, wantErr: domain.ErrEnrollmentClosed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := newMember(t, nil)
			e, _, err := domain.Enroll("e", m, newPlan(t, "p", 2026, nil), date(2026, 1, 1), nil)
			if err != nil {
				t.Fatal(err)
			}
			if tc.twice {
				if _, err := e.Close(tc.last, tc.reason); err != nil {
					t.Fatal(err)
				}
			}
			before := e
			ev, err := e.Close(tc.last, tc.reason)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			if err != nil {
				if e != before {
					t.Error("a refused close changed the enrollment")
				}
				return
			}
			if ev.Kind != tc.wantKind || e.Status != tc.wantStatus || !e.Period.To.Equal(tc.last) {
				t.Errorf("event %+v enrollment %+v", ev, e)
			}
		})
	}
}

func TestEndForMemberAndCoverage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		death       time.Time
		on          time.Time
		wantCovered bool
		wantReason  string
	}{
		{name: "covered on the day of death", death: date(2026, 6, 10), on: date(2026, 6, 10), wantCovered: true},
		{name: "not the day after", death: date(2026, 6, 10), on: date(2026, 6, 11), wantReason: "enrollment.coverage.not_enrolled"},
		{name: "in the waiting period", death: date(2026, 6, 10), on: date(2026, 1, 15), wantReason: "enrollment.coverage.waiting_period"},
		{name: "before enrollment", death: date(2026, 6, 10), on: date(2025, 12, 31), wantReason: "enrollment.coverage.not_enrolled"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := newMember(t, nil)
			pl := newPlan(t, "p", 2026, nil)
			e, _, err := domain.Enroll("e", m, pl, date(2026, 1, 1), nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := m.RecordDeath(tc.death, domain.CauseLineOfDuty, today); err != nil {
				t.Fatal(err)
			}
			changed, events, err := domain.EndForMember(m, []domain.Enrollment{e})
			if err != nil || len(changed) != 1 || len(events) != 1 || events[0].Reason != domain.EndMemberDeceased {
				t.Fatalf("EndForMember = %v %v %v", changed, events, err)
			}
			c := domain.CoverageOn(m.ID, domain.SchemePersonalAccident, tc.on, changed, map[string]domain.Plan{pl.ID: pl})
			if c.Covered != tc.wantCovered || c.Reason != tc.wantReason {
				t.Errorf("coverage = %v %q, want %v %q", c.Covered, c.Reason, tc.wantCovered, tc.wantReason)
			}
			if tc.wantCovered && c.DeathSum() != money.Yuan(200000) {
				t.Errorf("death sum %v", c.DeathSum())
			}
		})
	}
}

func TestPlanBulkEnrollmentAndRenewal(t *testing.T) {
	t.Parallel()
	seq := 0
	newID := func() string { seq++; return "e" + strconv.Itoa(seq) }
	police := newMember(t, nil)
	police.ID = "police"
	judge := newMember(t, func(in *domain.MemberInput) {
		in.Category, in.Post, in.IDNumber = domain.CategoryJudge, domain.Post{}, idNumber(1980, 13, true)
	})
	judge.ID = "judge"
	late := newMember(t, func(in *domain.MemberInput) { in.IDNumber, in.HireDate = idNumber(1999, 15, true), date(2026, 3, 1) })
	late.ID = "late"
	retired := newMember(t, func(in *domain.MemberInput) { in.IDNumber = idNumber(1960, 17, true) })
	retired.ID = "retired"
	p25 := newPlan(t, "p25", 2025, nil)
	p26 := newPlan(t, "p26", 2026, nil)

	bulk := domain.PlanBulkEnrollment(p25, []*domain.Member{police, judge, retired}, nil, date(2025, 1, 1), newID)
	if len(bulk.Enroll) != 2 || len(bulk.Skipped) != 1 || bulk.Skipped[0].Code != "enrollment.ineligible.category" {
		t.Fatalf("bulk 2025 = %+v", bulk)
	}
	if err := retired.ChangeStatus(domain.StatusRetired, date(2025, 10, 1), today); err != nil {
		t.Fatal(err)
	}
	var enrolled []domain.Enrollment
	existing := map[string][]domain.Enrollment{}
	for _, c := range bulk.Enroll {
		enrolled = append(enrolled, c.Enrollment)
		existing[c.MemberID] = append(existing[c.MemberID], c.Enrollment)
	}
	ret := existing["retired"][0]
	if _, err := ret.Close(date(2025, 10, 1), domain.EndMemberRetired); err != nil {
		t.Fatal(err)
	}
	enrolled[1] = ret

	tests := []struct {
		name      string
		run       func() (domain.BulkPlan, error)
		wantIDs   []string
		wantSkips []string
		wantErr   error
	}{
		{name: "renewal keeps those covered to the end", run: func() (domain.BulkPlan, error) {
			return domain.PlanRenewal(p25, p26, enrolled, map[string]*domain.Member{"police": police, "retired": retired}, existing, newID)
		}, wantIDs: []string{"police"}},
		{name: "renewal into an older plan refused", run: func() (domain.BulkPlan, error) {
			return domain.PlanRenewal(p26, p25, enrolled, nil, existing, newID)
		}, wantErr: domain.ErrValidation},
		{name: "bulk starts late hires on their hire date", run: func() (domain.BulkPlan, error) {
			return domain.PlanBulkEnrollment(p26, []*domain.Member{late}, existing, date(2026, 1, 1), newID), nil
		}, wantIDs: []string{"late"}},
		{name: "bulk skips the already enrolled", run: func() (domain.BulkPlan, error) {
			ex := map[string][]domain.Enrollment{"police": {{ID: "x", MemberID: "police", PlanID: "p26", Scheme: p26.Scheme, Period: p26.Coverage}}}
			return domain.PlanBulkEnrollment(p26, []*domain.Member{police}, ex, date(2026, 1, 1), newID), nil
		}, wantSkips: []string{"enrollment.bulk.already_enrolled"}},
	}
	for _, tc := range tests { // sequential: newID is shared
		got, err := tc.run()
		if !errors.Is(err, tc.wantErr) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.wantErr)
			continue
		}
		var ids, skips []string
		for _, c := range got.Enroll {
			ids = append(ids, c.MemberID)
		}
		for _, s := range got.Skipped {
			skips = append(skips, s.Code)
		}
		if !slices.Equal(ids, tc.wantIDs) || !slices.Equal(skips, tc.wantSkips) {
			t.Errorf("%s: enroll %v skip %v, want %v %v", tc.name, ids, skips, tc.wantIDs, tc.wantSkips)
		}
	}
	if late := domain.PlanBulkEnrollment(p26, []*domain.Member{late}, nil, date(2026, 1, 1), newID); !late.Enroll[0].Enrollment.Period.From.Equal(date(2026, 3, 1)) {
		t.Errorf("late hire starts %v", late.Enroll[0].Enrollment.Period.From)
	}
}

func TestSummarizePremiums(t *testing.T) {
	t.Parallel()
	line := func(unit, plan string, fen money.Fen) domain.PremiumLine {
		return domain.PremiumLine{UnitID: unit, PlanID: plan, PlanYear: 2026, Scheme: domain.SchemePersonalAccident, Payer: domain.PayerUnit, Premium: fen}
	}
	tests := []struct {
		name        string
		lines       []domain.PremiumLine
		wantRows    int
		wantMembers int
		wantTotal   money.Fen
		wantErr     bool
	}{
		{name: "empty"},
		{name: "grouped by unit and plan", lines: []domain.PremiumLine{line("b", "p", 30000), line("a", "p", 30000), line("b", "p", 30000), line("b", "q", 12345)},
			wantRows: 3, wantMembers: 4, wantTotal: 102345},
		{name: "overflow reported", lines: []domain.PremiumLine{line("a", "p", 1<<62), line("a", "p", 1<<62)}, wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rows, err := domain.SummarizePremiums(tc.lines)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v", err)
			}
			if err != nil {
				return
			}
			members, total, err := domain.GrandTotal(rows)
			if err != nil || len(rows) != tc.wantRows || members != tc.wantMembers || total != tc.wantTotal {
				t.Errorf("rows %d members %d total %v err %v", len(rows), members, total, err)
			}
			if len(rows) > 1 && rows[0].UnitID != "a" {
				t.Errorf("not sorted: %+v", rows)
			}
		})
	}
}

func TestUnitTree(t *testing.T) {
	t.Parallel()
	units := []domain.Unit{
		{ID: "root", Code: "ZFW", Kind: domain.UnitCommittee},
		{ID: "gaj", Code: "GAJ", ParentID: "root", Kind: domain.UnitPoliceBureau},
		{ID: "pcs1", Code: "PCS1", ParentID: "gaj", Kind: domain.UnitPoliceStation},
		{ID: "fy", Code: "FY", ParentID: "root", Kind: domain.UnitCourt},
	}
	tree, err := domain.NewUnitTree(units)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		unit  string
		scope []string
		want  bool
	}{
		{name: "own unit", unit: "gaj", scope: []string{"gaj"}, want: true},
		{name: "station below bureau", unit: "pcs1", scope: []string{"gaj"}, want: true},
		{name: "court not below bureau", unit: "fy", scope: []string{"gaj"}},
		{name: "everything below the committee", unit: "pcs1", scope: []string{"root"}, want: true},
		{name: "bureau not below station", unit: "gaj", scope: []string{"pcs1"}},
		{name: "unknown unit", unit: "x", scope: []string{"root"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := tree.Within(tc.unit, tc.scope); got != tc.want {
				t.Errorf("Within(%s, %v) = %v", tc.unit, tc.scope, got)
			}
		})
	}
	if err := tree.CanMove("gaj", "pcs1"); !errors.Is(err, domain.ErrUnitCycle) {
		t.Errorf("CanMove into own child: %v", err)
	}
	if got := tree.Path("pcs1"); !slices.Equal(got, []string{"root", "gaj", "pcs1"}) {
		t.Errorf("Path = %v", got)
	}
	if _, err := domain.NewUnitTree([]domain.Unit{{ID: "a", ParentID: "b"}, {ID: "b", ParentID: "a"}}); !errors.Is(err, domain.ErrUnitCycle) {
		t.Errorf("cycle: %v", err)
	}
	if u, ok := tree.ByCode(" PCS1 "); !ok || u.ID != "pcs1" {
		t.Errorf("ByCode = %v %v", u, ok)
	}
}

func TestVoidedRenewal(t *testing.T) {
	t.Parallel()
	m := newMember(t, nil)
	p25 := newPlan(t, "p25", 2025, nil)
	p26 := newPlan(t, "p26", 2026, nil)
	e25, _, err := domain.Enroll("e25", m, p25, date(2025, 1, 1), nil)
	if err != nil {
		t.Fatal(err)
	}
	e26, _, err := domain.Enroll("e26", m, p26, date(2026, 1, 1), []domain.Enrollment{e25})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.ChangeStatus(domain.StatusLeft, date(2025, 12, 20), today); err != nil {
		t.Fatal(err)
	}
	changed, evs, err := domain.EndForMember(m, []domain.Enrollment{e25, e26})
	if err != nil || len(changed) != 2 {
		t.Fatalf("EndForMember = %v %v", changed, err)
	}
	plans := map[string]domain.Plan{p25.ID: p25, p26.ID: p26}
	tests := []struct {
		name        string
		on          time.Time
		wantCovered bool
	}{
		{name: "the day of leaving", on: date(2025, 12, 20), wantCovered: true},
		{name: "the next day", on: date(2025, 12, 21)},
		{name: "the renewal's first day", on: date(2026, 1, 1)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := domain.CoverageOn(m.ID, domain.SchemePersonalAccident, tc.on, changed, plans)
			if c.Covered != tc.wantCovered || (!c.Covered && c.Reason != "enrollment.coverage.not_enrolled") {
				t.Errorf("coverage %v %q", c.Covered, c.Reason)
			}
		})
	}
	if !changed[1].Voided() || changed[0].Voided() || !evs[1].On.Equal(date(2025, 12, 31)) {
		t.Errorf("renewal %+v event %+v", changed[1], evs[1])
	}
	if err := m.ChangeStatus(domain.StatusActive, date(2026, 1, 1), today); err != nil {
		t.Fatal(err)
	}
	if _, _, err := domain.Enroll("again", m, p26, date(2026, 1, 1), changed); err != nil {
		t.Errorf("re-enrollment after a voided renewal: %v", err)
	}
}

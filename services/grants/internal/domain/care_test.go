package domain_test

import (
	"errors"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/services/grants/internal/domain"
)

func cday(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestSchoolEntries(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		birth string
		want  []string // primary, junior-middle, senior-middle, university
	}{
		{"born in March enters at six that September", "2014-03-10", []string{"2020-09-01", "2026-09-01", "2029-09-01", "2032-09-01"}},
		{"born on 1 September is six in time", "2014-09-01", []string{"2020-09-01", "2026-09-01", "2029-09-01", "2032-09-01"}},
		{"born on 2 September waits a year", "2014-09-02", []string{"2021-09-01", "2027-09-01", "2030-09-01", "2033-09-01"}},
		{"born on 31 December waits a year", "2019-12-31", []string{"2026-09-01", "2032-09-01", "2035-09-01", "2038-09-01"}},
		{"born on 29 February", "2020-02-29", []string{"2026-09-01", "2032-09-01", "2035-09-01", "2038-09-01"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := domain.SchoolEntries(cday(tc.birth))
			for i, e := range got {
				if e.EntryOn.Format(time.DateOnly) != tc.want[i] || e.Stage != domain.SchoolStages[i].Stage {
					t.Errorf("%s entry %s, want %s", e.Stage, e.EntryOn.Format(time.DateOnly), tc.want[i])
				}
			}
		})
	}
}

func TestSchoolPromptsComeWithinAYearOfEntry(t *testing.T) {
	t.Parallel()
	rec := domain.CareRecord{Persons: []domain.CarePerson{
		{ID: "c1", Relation: "child", Name: "张小明", BirthDate: cday("2015-05-01")}, // junior-middle 2027-09-01
		{ID: "c2", Relation: "child", Name: "张小红", BirthDate: cday("2009-10-01")}, // university 2028-09-01: too far
		{ID: "c3", Relation: "child", Name: "张小刚", BirthDate: cday("2021-03-01")}, // primary 2027-09-01
		{ID: "s", Relation: "spouse", Name: "李娜", BirthDate: cday("2009-03-01")},  // not a child
		{ID: "c4", Relation: "child", Name: "无生日"},
	}}
	got := domain.SchoolPrompts(rec, cday("2026-11-27"))
	if len(got) != 2 {
		t.Fatalf("prompts %+v", got)
	}
	if got[0].PersonID != "c1" || got[0].Stage != domain.StageJuniorMiddle || got[1].PersonID != "c3" || got[1].Stage != domain.StagePrimary {
		t.Errorf("prompts %+v", got)
	}
	if got := domain.SchoolPrompts(rec, cday("2026-08-31")); len(got) != 0 {
		t.Errorf("a year and a day before: %+v", got)
	}
}

var dates = domain.FestivalDates{
	2026: {domain.OccasionSpringFestival: cday("2026-02-17"), domain.OccasionQingming: cday("2026-04-05")},
	2027: {domain.OccasionSpringFestival: cday("2027-02-06"), domain.OccasionQingming: cday("2027-04-05")},
}

var rules = []domain.VisitRule{
	{Occasion: domain.OccasionSpringFestival, Enabled: true, DaysBefore: 30, DaysAfter: 14},
	{Occasion: domain.OccasionQingming, Enabled: true, DaysBefore: 7, DaysAfter: 3},
	{Occasion: domain.OccasionAnniversary, Enabled: true, DaysBefore: 7, DaysAfter: 7},
}

func TestVisitPlan(t *testing.T) {
	t.Parallel()
	rec := domain.CareRecord{DiedOn: cday("2026-03-20"), CreatedAt: time.Date(2026, 3, 21, 2, 0, 0, 0, time.UTC)}
	visits := []domain.Visit{{ID: "v1", Occasion: domain.OccasionQingming, Year: 2026, VisitedOn: cday("2026-04-09")}}
	tests := []struct {
		name  string
		today string
		want  map[string]domain.VisitStatus // occasion/year → status
		next  string
	}{
		{"after qingming, a late visit and the next festival upcoming", "2026-11-27",
			map[string]domain.VisitStatus{"qingming/2026": domain.VisitLate, "anniversary/2027": domain.VisitUpcoming, "spring_festival/2027": domain.VisitUpcoming}, "spring_festival/2027"},
		{"inside the spring festival window", "2027-01-10",
			map[string]domain.VisitStatus{"spring_festival/2027": domain.VisitDue}, "spring_festival/2027"},
		{"past the spring festival's due date", "2027-02-21",
			map[string]domain.VisitStatus{"spring_festival/2027": domain.VisitOverdue, "qingming/2027": domain.VisitUpcoming}, "spring_festival/2027"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			plan := domain.VisitPlan(rec, rules, dates, visits, cday(tc.today))
			got := map[string]domain.VisitStatus{}
			for _, v := range plan.Visits {
				got[string(v.Occasion)+"/"+v.Date.Format("2006")] = v.Status
			}
			for k, w := range tc.want {
				if got[k] != w {
					t.Errorf("%s is %q, want %q (plan %v)", k, got[k], w, got)
				}
			}
			if _, ok := got["spring_festival/2026"]; ok {
				t.Error("the spring festival before the record was opened is planned")
			}
			if _, ok := got["anniversary/2026"]; ok {
				t.Error("the day of death is planned as an anniversary")
			}
			n, ok := plan.Next()
			if !ok || string(n.Occasion)+"/"+n.Date.Format("2006") != tc.next {
				t.Errorf("next %+v", n)
			}
			if wantMissing := cday(tc.today).Year() == 2027; (len(plan.MissingYears) == 1 && plan.MissingYears[0] == 2028) != wantMissing {
				t.Errorf("missing years %v", plan.MissingYears)
			}
		})
	}
}

func TestVisitPlanOnlyEnabledOccasions(t *testing.T) {
	t.Parallel()
	rec := domain.CareRecord{CreatedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)} // living officer: no anniversary
	off := []domain.VisitRule{rules[0], {Occasion: domain.OccasionQingming, Enabled: false}, rules[2]}
	plan := domain.VisitPlan(rec, off, dates, nil, cday("2026-11-27"))
	for _, v := range plan.Visits {
		if v.Occasion != domain.OccasionSpringFestival {
			t.Errorf("planned %+v", v)
		}
	}
	if len(plan.Overdue()) != 1 || plan.Overdue()[0].Year != 2026 {
		t.Errorf("overdue %+v", plan.Overdue())
	}
}

func TestPlanYearIsTheNearestOccasion(t *testing.T) {
	t.Parallel()
	y, ok := domain.PlanYear(domain.OccasionSpringFestival, cday("2026-12-28"), time.Time{}, dates)
	if !ok || y != 2027 {
		t.Errorf("a visit in late December counts for %d", y)
	}
	y, ok = domain.PlanYear(domain.OccasionAnniversary, cday("2027-03-18"), cday("2026-03-20"), dates)
	if !ok || y != 2027 {
		t.Errorf("anniversary year %d %v", y, ok)
	}
	if _, ok := domain.PlanYear(domain.OccasionQingming, cday("2031-04-01"), time.Time{}, dates); ok {
		t.Error("a year without dates on file has a plan year")
	}
}

func TestAnniversaryOfALeapDay(t *testing.T) {
	t.Parallel()
	d, ok := domain.FestivalDates{}.Date(domain.OccasionAnniversary, 2025, cday("2024-02-29"))
	if !ok || d.Format(time.DateOnly) != "2025-02-28" {
		t.Errorf("anniversary %s", d)
	}
}

func fields(err error) map[string]string {
	out := map[string]string{}
	var ve *fielderr.Invalid
	if errors.As(err, &ve) {
		for _, f := range ve.Problems {
			out[f.Field] = f.Code
		}
	}
	return out
}

func TestCheckVisit(t *testing.T) {
	t.Parallel()
	rec := domain.CareRecord{DiedOn: cday("2026-11-20"), CreatedAt: time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)}
	today := cday("2026-11-27")
	tests := []struct {
		name string
		v    domain.Visit
		want map[string]string
	}{
		{"a good visit", domain.Visit{Occasion: domain.OccasionOther, VisitedOn: today, Visitors: []string{" 王经办 "}, Given: []domain.Gift{{Description: "慰问金", Amount: 200000}}}, map[string]string{}},
		{"in the future", domain.Visit{Occasion: domain.OccasionOther, VisitedOn: cday("2026-11-28"), Visitors: []string{"a"}}, map[string]string{"visited_on": domain.CodeFutureDate}},
		{"before the death", domain.Visit{Occasion: domain.OccasionOther, VisitedOn: cday("2026-11-01"), Visitors: []string{"a"}}, map[string]string{"visited_on": domain.CodeBeforeCare}},
		{"nobody went", domain.Visit{Occasion: "birthday", VisitedOn: today, Visitors: []string{" "}},
			map[string]string{"visitors": domain.CodeRequired, "occasion": domain.CodeUnknownValue}},
		{"a gift without a name or with a negative value", domain.Visit{Occasion: domain.OccasionOther, VisitedOn: today, Visitors: []string{"a"},
			Given: []domain.Gift{{Amount: 1}, {Description: "米", Amount: -1}}}, map[string]string{"given[0].description": domain.CodeRequired, "given[1].amount": domain.CodeNegative}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			v := tc.v
			got := fields(domain.CheckVisit(&v, rec, today))
			if len(got) != len(tc.want) {
				t.Fatalf("fields %v, want %v", got, tc.want)
			}
			for k, c := range tc.want {
				if got[k] != c {
					t.Errorf("%s: %s, want %s", k, got[k], c)
				}
			}
		})
	}
}

func TestMatterLifecycle(t *testing.T) {
	t.Parallel()
	rec := domain.CareRecord{ID: "r1", Persons: []domain.CarePerson{{ID: "c1", Relation: "child"}}}
	now, today := time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC), cday("2026-11-27")
	if _, err := domain.NewMatter(domain.Matter{Kind: domain.MatterSchooling, Topic: "bribe", Summary: "x", PersonID: "zz"}, rec, "u", "n", now, today); len(fields(err)) != 2 {
		t.Fatalf("bad topic and person: %v", err)
	}
	if _, err := domain.NewMatter(domain.Matter{Kind: domain.MatterMedical, Topic: "placement", Summary: "x"}, rec, "u", "n", now, today); fields(err)["topic"] != domain.CodeNotAllowedHere {
		t.Fatalf("medical with a topic: %v", err)
	}
	m, err := domain.NewMatter(domain.Matter{Kind: domain.MatterSchooling, Topic: "tuition", Summary: " 学费困难 ", PersonID: "c1"}, rec, "u-fam", "李娜", now, today)
	if err != nil || m.State != domain.MatterOpen || m.Summary != "学费困难" || len(m.Timeline) != 1 {
		t.Fatalf("new matter %+v %v", m, err)
	}
	if err := m.Advance(domain.Progress{}, "u-cw", "王", now, today); fields(err)["note"] != domain.CodeRequired {
		t.Errorf("empty progress: %v", err)
	}
	if err := m.Advance(domain.Progress{HandlerUserID: "u-cw", HandlerName: "王经办", DueOn: cday("2026-12-20")}, "u-cw", "王", now, today); err != nil {
		t.Fatal(err)
	}
	if m.State != domain.MatterInProgress || m.HandlerName != "王经办" || m.Overdue(cday("2026-12-20")) || !m.Overdue(cday("2026-12-21")) {
		t.Errorf("after assignment %+v", m)
	}
	if err := m.LinkApplication("a1", "GA-1", "u-cw", "王", now); err != nil {
		t.Fatal(err)
	}
	if err := m.LinkApplication("a2", "GA-2", "u-cw", "王", now); !errors.Is(err, domain.ErrApplicationLinked) {
		t.Errorf("second application: %v", err)
	}
	if err := m.Resolve(" ", "u-cw", "王", now); fields(err)["outcome"] != domain.CodeRequired {
		t.Errorf("resolve without outcome: %v", err)
	}
	if err := m.Resolve("已获子女教育资助", "u-cw", "王", now); err != nil || m.State != domain.MatterResolved || m.Overdue(cday("2027-01-01")) {
		t.Fatalf("resolve %v %+v", err, m)
	}
	if err := m.Resolve("again", "u-cw", "王", now); !errors.Is(err, domain.ErrTransition) {
		t.Errorf("resolve twice: %v", err)
	}
	kinds := []domain.MatterStepKind{}
	for _, s := range m.Timeline {
		kinds = append(kinds, s.Kind)
	}
	if len(kinds) != 4 || kinds[3] != domain.StepResolved || kinds[2] != domain.StepApplication {
		t.Errorf("timeline %v", kinds)
	}
	other, _ := domain.NewMatter(domain.Matter{Kind: domain.MatterHousing, Summary: "漏水"}, rec, "u", "n", now, today)
	if err := other.LinkApplication("a", "n", "u", "n", now); !errors.Is(err, domain.ErrNotSchooling) {
		t.Errorf("housing matter to an application: %v", err)
	}
}

func TestCareOpensOnlyOnDutyDeaths(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC)
	d := domain.Deceased{MemberID: "m", UnitID: "u", Name: "张三", DiedOn: cday("2026-11-20"),
		Dependants: []domain.Dependant{{ID: "d1", Relation: "child", Name: "张小", BirthDate: "2015-05-01"}, {ID: "d2", Relation: "spouse", Name: "李"}}}
	for cause, want := range map[domain.DeathCause]domain.CareKind{domain.CauseMartyr: domain.CareMartyr, domain.CauseLineOfDuty: domain.CareLineOfDuty, domain.CauseIllness: "", domain.CauseOther: ""} {
		d.Cause = cause
		r, ok := domain.CareForDeath(d, now)
		if ok != (want != "") || r.Kind != want {
			t.Errorf("%s: %v %s", cause, ok, r.Kind)
		}
		if ok && (len(r.Persons) != 2 || r.Persons[0].BirthDate != cday("2015-05-01") || !r.Persons[1].BirthDate.IsZero()) {
			t.Errorf("persons %+v", r.Persons)
		}
	}
	if _, ok := domain.CareForGrading(domain.Graded{MemberID: "m", Grade: 3, WorkInjury: true}, nil, now); !ok {
		t.Error("a graded work injury opens no care")
	}
	if _, ok := domain.CareForGrading(domain.Graded{MemberID: "m", Grade: 3}, nil, now); ok {
		t.Error("a grading that is not a work injury opens care")
	}
}

func TestAssignLiaison(t *testing.T) {
	t.Parallel()
	var r domain.CareRecord
	if err := r.AssignLiaison(domain.Liaison{Role: "friend", Phone: "call me"}); len(fields(err)) != 4 {
		t.Fatalf("bad liaison: %v", fields(err))
	}
	for _, l := range []domain.Liaison{{Role: domain.LiaisonLeader, UserID: "u1", Name: "刘", Phone: "13800000000"},
		{Role: domain.LiaisonCaseworker, UserID: "u2", Name: "王", Phone: "0371-1234567"}, {Role: domain.LiaisonLeader, UserID: "u3", Name: "陈", Phone: "+86 138 0000 0001"}} {
		if err := r.AssignLiaison(l); err != nil {
			t.Fatal(err)
		}
	}
	if len(r.Liaisons) != 2 || !r.IsLiaison("u3") || r.IsLiaison("u1") || !r.IsLiaison("u2") {
		t.Errorf("liaisons %+v", r.Liaisons)
	}
}

package domain_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/idcard"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/domain"
)

var today = date(2026, 11, 27)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// idNumber makes a valid identity number for a test person.
func idNumber(birthYear int, seq int, male bool) string {
	return idcard.Generate("110105", date(birthYear, 3, 14), seq, male)
}

func validInput() domain.MemberInput {
	return domain.MemberInput{
		UnitID:   "unit-1",
		Name:     "张伟",
		Category: domain.CategoryPolice,
		Post:     domain.Post{Frontline: true},
		IDNumber: idNumber(1985, 11, true),
		Phone:    "13800138000",
		HireDate: date(2008, 7, 1),
	}
}

func newMember(t *testing.T, mutate func(*domain.MemberInput)) *domain.Member {
	t.Helper()
	in := validInput()
	if mutate != nil {
		mutate(&in)
	}
	m, err := domain.NewMember("m-1", in, today)
	if err != nil {
		t.Fatalf("NewMember: %v", err)
	}
	return m
}

// codesOf lists "field=code" of a validation error for comparison.
func codesOf(err error) []string {
	var out []string
	for _, p := range fielderr.Of(err) {
		out = append(out, p.Field+"="+p.Code)
	}
	return out
}

func TestNewMember(t *testing.T) {
	t.Parallel()
	valid := idNumber(1985, 11, true)
	tests := []struct {
		name   string
		mutate func(*domain.MemberInput)
		want   []string // field=code; nil means valid
	}{
		{name: "valid police officer", mutate: func(*domain.MemberInput) {}},
		{name: "lower-case x accepted", mutate: func(in *domain.MemberInput) { in.IDNumber = "11010519491231002x"; in.HireDate = date(1970, 1, 1) }},
		{name: "wrong check character", mutate: func(in *domain.MemberInput) { in.IDNumber = "110105194912310021" },
			want: []string{"id_number=idcard.checksum"}},
		{name: "legacy 15 digits", mutate: func(in *domain.MemberInput) { in.IDNumber = "110105491231002" },
			want: []string{"id_number=idcard.legacy15"}},
		{name: "impossible birth date", mutate: func(in *domain.MemberInput) {
			in.IDNumber = "11010519490231" + "0000"[:4]
		}, want: []string{"id_number=idcard.birth_date"}},
		{name: "birth in the future", mutate: func(in *domain.MemberInput) {
			in.IDNumber = idcard.Generate("110105", date(2027, 1, 1), 1, true)
		}, want: []string{"id_number=idcard.future"}},
		{name: "missing identity number", mutate: func(in *domain.MemberInput) { in.IDNumber = " " },
			want: []string{"id_number=idcard.required"}},
		{name: "unknown category", mutate: func(in *domain.MemberInput) { in.Category = "soldier" },
			want: []string{"category=enrollment.category_unknown"}},
		{name: "auxiliary police needs a duty type", mutate: func(in *domain.MemberInput) { in.Category = domain.CategoryAuxiliaryPolice },
			want: []string{"post.aux_duty=enrollment.required"}},
		{name: "duty type only for auxiliary police", mutate: func(in *domain.MemberInput) {
			in.Post.AuxDuty = domain.AuxDutyField
			in.Post.HighRisk = true
		}, want: []string{"post.aux_duty=enrollment.post.aux_only", "post.high_risk=enrollment.post.aux_only"}},
		{name: "every problem at once", mutate: func(in *domain.MemberInput) {
			*in = domain.MemberInput{Phone: "12345"}
		}, want: []string{"unit_id=enrollment.required", "name=enrollment.required",
			"category=enrollment.category_unknown", "id_number=idcard.required",
			"phone=enrollment.phone_format", "hire_date=enrollment.required"}},
		{name: "landline phone", mutate: func(in *domain.MemberInput) { in.Phone = "010-65123456" }},
		{name: "hired before sixteen", mutate: func(in *domain.MemberInput) { in.HireDate = date(2000, 1, 1) },
			want: []string{"hire_date=enrollment.before_working_age"}},
		{name: "hired in the future", mutate: func(in *domain.MemberInput) { in.HireDate = today.AddDate(0, 0, 1) },
			want: []string{"hire_date=enrollment.date_in_future"}},
		{name: "hired in year 0006", mutate: func(in *domain.MemberInput) { in.HireDate = date(6, 7, 1) },
			want: []string{"hire_date=field.range"}},
		{name: "hired in 1949", mutate: func(in *domain.MemberInput) { in.HireDate = date(1949, 12, 31) },
			want: []string{"hire_date=field.range"}},
		{name: "service started in 1949", mutate: func(in *domain.MemberInput) { in.ServiceStart = date(1949, 1, 1) },
			want: []string{"service_start=field.range"}},
		{name: "service start after hire", mutate: func(in *domain.MemberInput) { in.ServiceStart = date(2009, 1, 1) },
			want: []string{"service_start=enrollment.service_start_after_hire"}},
		{name: "name too long", mutate: func(in *domain.MemberInput) {
			in.Name = string(slices.Repeat([]rune("张"), 51))
		}, want: []string{"name=enrollment.too_long"}},
		{name: "name with control character", mutate: func(in *domain.MemberInput) { in.Name = "张\x00伟" },
			want: []string{"name=enrollment.control_characters"}},
		{name: "valid identity kept", mutate: func(in *domain.MemberInput) { in.IDNumber = valid }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			in := validInput()
			tc.mutate(&in)
			m, err := domain.NewMember("m-1", in, today)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("NewMember: %v", err)
				}
				if m.Status != domain.StatusActive || m.Version != 1 {
					t.Errorf("status %q version %d, want active 1", m.Status, m.Version)
				}
				return
			}
			if !errors.Is(err, domain.ErrValidation) {
				t.Fatalf("err = %v, want validation error", err)
			}
			if got := codesOf(err); !slices.Equal(got, tc.want) {
				t.Errorf("problems = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestNewMemberDerivesIdentity(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		number    string
		wantSex   domain.Sex
		wantBirth time.Time
	}{
		{name: "woman with X check, lower-case", number: "11010519491231002x", wantSex: domain.SexFemale, wantBirth: date(1949, 12, 31)},
		{name: "man", number: idcard.Generate("110105", date(1985, 3, 14), 11, true), wantSex: domain.SexMale, wantBirth: date(1985, 3, 14)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			in := validInput()
			in.IDNumber, in.HireDate = tc.number, tc.wantBirth.AddDate(20, 0, 0)
			m, err := domain.NewMember("m", in, today)
			if err != nil {
				t.Fatal(err)
			}
			if m.Identity.Sex != tc.wantSex || !m.Identity.Birth.Equal(tc.wantBirth) {
				t.Errorf("sex %s birth %v, want %s %v", m.Identity.Sex, m.Identity.Birth, tc.wantSex, tc.wantBirth)
			}
			if m.Identity.Number[17] == 'x' {
				t.Error("check character not upper-cased")
			}
			if !m.ServiceStart.Equal(m.HireDate) {
				t.Errorf("service start %v, want hire date", m.ServiceStart)
			}
		})
	}
}

func TestMemberEdit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		mutate      func(*domain.MemberInput)
		deceased    bool
		wantChanged bool
		wantErr     error
	}{
		{name: "same data is no change", mutate: func(*domain.MemberInput) {}},
		{name: "spaces and lower-case x are no change", mutate: func(in *domain.MemberInput) { in.Name = " 张伟 " }},
		{name: "new phone is a change", mutate: func(in *domain.MemberInput) { in.Phone = "13900139000" }, wantChanged: true},
		{name: "invalid edit refused", mutate: func(in *domain.MemberInput) { in.Category = "x" }, wantErr: domain.ErrValidation},
		{name: "deceased record closed", mutate: func(in *domain.MemberInput) { in.Phone = "13900139000" }, deceased: true, wantErr: domain.ErrMemberDeceased},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := newMember(t, nil)
			if tc.deceased {
				if err := m.RecordDeath(date(2026, 5, 1), domain.CauseIllness, today); err != nil {
					t.Fatal(err)
				}
			}
			in := m.Input()
			tc.mutate(&in)
			changed, err := m.Edit(in, today)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			if changed != tc.wantChanged {
				t.Errorf("changed = %v, want %v", changed, tc.wantChanged)
			}
		})
	}
}

func TestMemberStatus(t *testing.T) {
	t.Parallel()
	type step struct {
		to    domain.Status
		cause domain.DeathCause
		on    time.Time
	}
	tests := []struct {
		name       string
		steps      []step
		wantErr    error
		wantCode   string
		wantStatus domain.Status
	}{
		{name: "retire", steps: []step{{to: domain.StatusRetired, on: date(2026, 1, 1)}}, wantStatus: domain.StatusRetired},
		{name: "leave then rehire", steps: []step{{to: domain.StatusLeft, on: date(2020, 1, 1)}, {to: domain.StatusActive, on: date(2022, 1, 1)}}, wantStatus: domain.StatusActive},
		{name: "killed on duty", steps: []step{{to: domain.StatusDeceased, cause: domain.CauseLineOfDuty, on: date(2026, 3, 3)}}, wantStatus: domain.StatusDeceased},
		{name: "retired then illness", steps: []step{{to: domain.StatusRetired, on: date(2025, 1, 1)}, {to: domain.StatusDeceased, cause: domain.CauseIllness, on: date(2026, 1, 1)}}, wantStatus: domain.StatusDeceased},
		{name: "martyr needs an active member", steps: []step{{to: domain.StatusRetired, on: date(2025, 1, 1)}, {to: domain.StatusDeceased, cause: domain.CauseMartyr, on: date(2026, 1, 1)}},
			wantErr: domain.ErrValidation, wantCode: "enrollment.death_on_duty_needs_active"},
		{name: "unknown cause", steps: []step{{to: domain.StatusDeceased, cause: "accident", on: date(2026, 1, 1)}}, wantErr: domain.ErrValidation, wantCode: "enrollment.death_cause_unknown"},
		{name: "death in the future", steps: []step{{to: domain.StatusDeceased, cause: domain.CauseIllness, on: today.AddDate(0, 0, 1)}}, wantErr: domain.ErrValidation, wantCode: "enrollment.date_in_future"},
		{name: "nothing after death", steps: []step{{to: domain.StatusDeceased, cause: domain.CauseIllness, on: date(2026, 1, 1)}, {to: domain.StatusRetired, on: date(2026, 2, 1)}}, wantErr: domain.ErrMemberDeceased},
		{name: "no second death", steps: []step{{to: domain.StatusDeceased, cause: domain.CauseIllness, on: date(2026, 1, 1)}, {to: domain.StatusDeceased, cause: domain.CauseOther, on: date(2026, 2, 1)}}, wantErr: domain.ErrMemberDeceased},
		{name: "retire twice", steps: []step{{to: domain.StatusRetired, on: date(2025, 1, 1)}, {to: domain.StatusRetired, on: date(2026, 1, 1)}}, wantErr: domain.ErrMemberNotActive},
		{name: "status before hire", steps: []step{{to: domain.StatusLeft, on: date(2001, 1, 1)}}, wantErr: domain.ErrValidation, wantCode: "enrollment.status_date_before_hire"},
		{name: "rehire before leaving", steps: []step{{to: domain.StatusLeft, on: date(2020, 1, 1)}, {to: domain.StatusActive, on: date(2019, 1, 1)}}, wantErr: domain.ErrValidation, wantCode: "enrollment.status_date_before_previous"},
		{name: "death through status refused", steps: []step{{to: domain.StatusDeceased, on: date(2020, 1, 1)}}, wantErr: domain.ErrValidation, wantCode: "enrollment.status.use_death"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := newMember(t, nil)
			var err error
			for _, s := range tc.steps {
				if s.cause != "" {
					err = m.RecordDeath(s.on, s.cause, today)
				} else {
					err = m.ChangeStatus(s.to, s.on, today)
				}
				if err != nil {
					break
				}
			}
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			if tc.wantCode != "" {
				if got := codesOf(err); len(got) != 1 || got[0][len(got[0])-len(tc.wantCode):] != tc.wantCode {
					t.Errorf("problems = %v, want %s", got, tc.wantCode)
				}
			}
			if err == nil && m.Status != tc.wantStatus {
				t.Errorf("status %s, want %s", m.Status, tc.wantStatus)
			}
		})
	}
}

func TestHonours(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		honours  []domain.HonourKind
		wantBest domain.HonourKind
		wantErr  error
	}{
		{name: "none", wantBest: ""},
		{name: "highest counts", honours: []domain.HonourKind{domain.HonourThirdClass, domain.HonourProvincialTitle, domain.HonourFirstClass}, wantBest: domain.HonourProvincialTitle},
		{name: "duplicate same day refused", honours: []domain.HonourKind{domain.HonourSecondClass, domain.HonourSecondClass}, wantErr: domain.ErrValidation},
		{name: "unknown honour", honours: []domain.HonourKind{"medal"}, wantErr: domain.ErrValidation},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := newMember(t, nil)
			var err error
			for _, h := range tc.honours {
				if err = m.AddHonour(h, date(2020, 5, 4), today); err != nil {
					break
				}
			}
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			if got, _ := m.HighestHonour(); tc.wantErr == nil && got != tc.wantBest {
				t.Errorf("highest = %q, want %q", got, tc.wantBest)
			}
		})
	}
}

func TestDependants(t *testing.T) {
	t.Parallel()
	spouse := domain.DependantInput{Relation: domain.RelationSpouse, Name: "李娜", IDNumber: idNumber(1987, 22, false)}
	child := domain.DependantInput{Relation: domain.RelationChild, Name: "张小明", IDNumber: idNumber(2015, 31, true)}
	tests := []struct {
		name  string
		adds  []domain.DependantInput
		want  []string
		count int
	}{
		{name: "spouse and child", adds: []domain.DependantInput{spouse, child}, count: 2},
		{name: "second spouse refused", adds: []domain.DependantInput{spouse, {Relation: domain.RelationSpouse, Name: "王芳", IDNumber: idNumber(1988, 24, false)}},
			want: []string{"relation=enrollment.second_spouse"}, count: 1},
		{name: "same person twice", adds: []domain.DependantInput{child, {Relation: domain.RelationChild, Name: "张小明", IDNumber: child.IDNumber}},
			want: []string{"id_number=enrollment.dependant_duplicate"}, count: 1},
		{name: "member as own dependant", adds: []domain.DependantInput{{Relation: domain.RelationSibling, Name: "张伟", IDNumber: idNumber(1985, 11, true)}},
			want: []string{"id_number=enrollment.dependant_is_member"}},
		{name: "beneficiary-only relation", adds: []domain.DependantInput{{Relation: domain.RelationOther, Name: "赵", IDNumber: idNumber(1990, 5, true)}},
			want: []string{"relation=enrollment.relation_unknown"}},
		{name: "bad identity number", adds: []domain.DependantInput{{Relation: domain.RelationParent, Name: "张父", IDNumber: "110105195001010010"}},
			want: []string{"id_number=idcard.checksum"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := newMember(t, nil)
			var err error
			for i, d := range tc.adds {
				if _, err = m.AddDependant(string(rune('a'+i)), d, today); err != nil {
					break
				}
			}
			if got := codesOf(err); !slices.Equal(got, tc.want) {
				t.Errorf("problems = %v, want %v", got, tc.want)
			}
			if len(m.Dependants) != tc.count {
				t.Errorf("%d dependants, want %d", len(m.Dependants), tc.count)
			}
		})
	}
}

func TestReplaceAndRemoveDependant(t *testing.T) {
	t.Parallel()
	m := newMember(t, nil)
	spouse := domain.DependantInput{Relation: domain.RelationSpouse, Name: "李娜", IDNumber: idNumber(1987, 22, false)}
	if _, err := m.AddDependant("d1", spouse, today); err != nil {
		t.Fatal(err)
	}
	spouse.Name = "李娜娜"
	tests := []struct {
		name    string
		run     func() error
		wantErr error
	}{
		{name: "replace keeps the spouse slot", run: func() error { _, err := m.ReplaceDependant("d1", spouse, today); return err }},
		{name: "replace unknown", run: func() error { _, err := m.ReplaceDependant("nope", spouse, today); return err }, wantErr: domain.ErrDependantNotFound},
		{name: "remove unknown", run: func() error { return m.RemoveDependant("nope") }, wantErr: domain.ErrDependantNotFound},
		{name: "remove", run: func() error { return m.RemoveDependant("d1") }},
	}
	for _, tc := range tests { // sequential: the steps share one member
		if err := tc.run(); !errors.Is(err, tc.wantErr) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.wantErr)
		}
	}
	if len(m.Dependants) != 0 {
		t.Errorf("dependants left: %v", m.Dependants)
	}
}

func TestSetBeneficiaries(t *testing.T) {
	t.Parallel()
	b := func(name string, share domain.Percent) domain.BeneficiaryInput {
		return domain.BeneficiaryInput{Name: name, Relation: domain.RelationChild, Share: share}
	}
	tests := []struct {
		name   string
		scheme domain.SchemeCode
		in     []domain.BeneficiaryInput
		want   []string
		count  int
	}{
		{name: "one takes all", scheme: domain.SchemePersonalAccident, in: []domain.BeneficiaryInput{b("甲", 10000)}, count: 1},
		{name: "thirds in hundredths", scheme: domain.SchemePersonalAccident, in: []domain.BeneficiaryInput{b("甲", 3334), b("乙", 3333), b("丙", 3333)}, count: 3},
		{name: "empty clears", scheme: domain.SchemePersonalAccident, in: nil, count: 0},
		{name: "short of 100", scheme: domain.SchemePersonalAccident, in: []domain.BeneficiaryInput{b("甲", 5000), b("乙", 4000)},
			want: []string{"beneficiaries=enrollment.shares_total"}},
		{name: "over 100", scheme: domain.SchemePersonalAccident, in: []domain.BeneficiaryInput{b("甲", 6000), b("乙", 6000)},
			want: []string{"beneficiaries=enrollment.shares_total"}},
		{name: "zero share", scheme: domain.SchemePersonalAccident, in: []domain.BeneficiaryInput{b("甲", 10000), b("乙", 0)},
			want: []string{"beneficiaries[1].share=enrollment.share_range"}},
		{name: "unknown scheme", scheme: "life", in: []domain.BeneficiaryInput{b("甲", 10000)},
			want: []string{"scheme=enrollment.scheme_unknown"}},
		{name: "missing name", scheme: domain.SchemeWorkInjury, in: []domain.BeneficiaryInput{b("", 10000)},
			want: []string{"beneficiaries[0].name=enrollment.required"}},
		{name: "same person twice", scheme: domain.SchemeWorkInjury, in: []domain.BeneficiaryInput{
			{Name: "甲", Relation: domain.RelationOther, IDNumber: idNumber(1990, 7, true), Share: 5000},
			{Name: "甲", Relation: domain.RelationOther, IDNumber: idNumber(1990, 7, true), Share: 5000},
		}, want: []string{"beneficiaries[1].id_number=enrollment.beneficiary_duplicate"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := newMember(t, nil)
			if err := m.SetBeneficiaries(domain.SchemePersonalAccident, []domain.BeneficiaryInput{b("旧", 10000)}, today); err != nil {
				t.Fatal(err)
			}
			err := m.SetBeneficiaries(tc.scheme, tc.in, today)
			if got := codesOf(err); !slices.Equal(got, tc.want) {
				t.Fatalf("problems = %v, want %v", got, tc.want)
			}
			if tc.want == nil && len(m.BeneficiariesOf(tc.scheme)) != tc.count {
				t.Errorf("%d beneficiaries, want %d", len(m.BeneficiariesOf(tc.scheme)), tc.count)
			}
			if tc.want != nil && len(m.BeneficiariesOf(domain.SchemePersonalAccident)) != 1 {
				t.Error("a refused designation changed the old one")
			}
		})
	}
}

// TestSetBeneficiariesKeepsRecordedNumbers: the designation is edited as a
// whole by people who see numbers masked; a line without a number keeps
// the one recorded for the same name and relation, and only that one.
func TestSetBeneficiariesKeepsRecordedNumbers(t *testing.T) {
	t.Parallel()
	m := newMember(t, nil)
	wife := idNumber(1987, 24, false)
	if err := m.SetBeneficiaries(domain.SchemePersonalAccident, []domain.BeneficiaryInput{
		{Name: "王芳", Relation: domain.RelationSpouse, IDNumber: wife, Share: 10000},
	}, today); err != nil {
		t.Fatal(err)
	}
	err := m.SetBeneficiaries(domain.SchemePersonalAccident, []domain.BeneficiaryInput{
		{Name: "王芳", Relation: domain.RelationSpouse, Share: 6000},
		{Name: "张小明", Relation: domain.RelationChild, Share: 4000},
	}, today)
	if err != nil {
		t.Fatal(err)
	}
	got := m.BeneficiariesOf(domain.SchemePersonalAccident)
	if len(got) != 2 || got[0].Identity.Number != wife || got[0].Share != 6000 || got[1].Identity.Number != "" {
		t.Errorf("designation %+v", got)
	}
	// Another relation is another person: nothing is kept.
	if err := m.SetBeneficiaries(domain.SchemePersonalAccident, []domain.BeneficiaryInput{
		{Name: "王芳", Relation: domain.RelationSibling, Share: 10000},
	}, today); err != nil {
		t.Fatal(err)
	}
	if got := m.BeneficiariesOf(domain.SchemePersonalAccident); got[0].Identity.Number != "" {
		t.Errorf("a number moved to another person: %+v", got)
	}
}

func TestParsePercent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		want    domain.Percent
		wantErr bool
	}{
		{name: "whole", in: "100", want: 10000},
		{name: "two decimals", in: "33.33", want: 3333},
		{name: "one decimal", in: "12.5", want: 1250},
		{name: "percent sign", in: "50%", want: 5000},
		{name: "three decimals", in: "33.333", wantErr: true},
		{name: "negative", in: "-5", wantErr: true},
		{name: "empty", in: "", wantErr: true},
		{name: "dot only", in: "5.", wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := domain.ParsePercent(tc.in)
			if (err != nil) != tc.wantErr || got != tc.want {
				t.Errorf("ParsePercent(%q) = %v, %v", tc.in, got, err)
			}
			if err == nil && got.String() == "" {
				t.Error("empty String")
			}
		})
	}
}

func TestKnownAt(t *testing.T) {
	t.Parallel()
	at := func(d int) time.Time { return time.Date(2026, 1, d, 9, 0, 0, 0, time.UTC) }
	versions := []domain.MemberVersion{
		{Version: 1, RecordedAt: at(1), Member: domain.Member{Name: "v1"}},
		{Version: 2, RecordedAt: at(5), Member: domain.Member{Name: "v2"}},
		{Version: 3, RecordedAt: at(9), Member: domain.Member{Name: "v3"}},
	}
	tests := []struct {
		name   string
		t      time.Time
		want   int64
		wantOK bool
	}{
		{name: "before registration", t: at(1).Add(-time.Second)},
		{name: "at registration", t: at(1), want: 1, wantOK: true},
		{name: "between", t: at(7), want: 2, wantOK: true},
		{name: "after last", t: at(20), want: 3, wantOK: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, ok := domain.KnownAt(versions, tc.t)
			if ok != tc.wantOK || got.Version != tc.want {
				t.Errorf("KnownAt = v%d %v, want v%d %v", got.Version, ok, tc.want, tc.wantOK)
			}
		})
	}
}

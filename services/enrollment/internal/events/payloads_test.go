package events_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/pkg/bus/bustest"
	"github.com/anxin-welfare/anxin/pkg/idcard"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/domain"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/events"
)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// samples builds one event of each type from a member with every part
// filled in (and a deceased one), so the schemas see every field.
func samples(t *testing.T) map[string][]bus.Event {
	t.Helper()
	today := date(2026, 11, 27)
	m, err := domain.NewMember("0195f000-0000-7000-8000-000000000001", domain.MemberInput{
		UnitID: "0195f000-0000-7000-8000-0000000000aa", Name: "王强", Category: domain.CategoryAuxiliaryPolice,
		Post:     domain.Post{Frontline: true, AuxDuty: domain.AuxDutyField, HighRisk: true},
		IDNumber: idcard.Generate("110105", date(1990, 1, 2), 11, true), HireDate: date(2015, 3, 1),
	}, today)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.AddHonour(domain.HonourThirdClass, date(2020, 1, 1), today); err != nil {
		t.Fatal(err)
	}
	if _, err := m.AddDependant("0195f000-0000-7000-8000-000000000002", domain.DependantInput{Relation: domain.RelationSpouse, Name: "李娜",
		IDNumber: idcard.Generate("110105", date(1991, 5, 6), 22, false)}, today); err != nil {
		t.Fatal(err)
	}
	if err := m.SetBeneficiaries(domain.SchemePersonalAccident, []domain.BeneficiaryInput{{Name: "李娜", Relation: domain.RelationSpouse, Share: domain.Hundred}}, today); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC)
	out := map[string][]bus.Event{}
	add := func(ev bus.Event, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		out[ev.Type] = append(out[ev.Type], ev)
	}
	add(events.ForMember(events.TypeMemberRegistered, m, at))
	add(events.ForMember(events.TypeMemberUpdated, m, at))
	p, err := domain.NewPlan("0195f000-0000-7000-8000-0000000000bb", domain.PlanInput{Scheme: domain.SchemePersonalAccident, Year: 2026, Name: "意外险",
		Coverage:    domain.Period{From: date(2026, 1, 1), To: date(2026, 12, 31)},
		Eligibility: domain.Eligibility{Categories: []domain.Category{domain.CategoryAuxiliaryPolice}, HighRiskOnly: true},
		Premium:     money.Yuan(200), Payer: domain.PayerUnit, Sums: domain.SumsInsured{Death: money.Yuan(500000)}})
	if err != nil {
		t.Fatal(err)
	}
	e, _, err := domain.Enroll("0195f000-0000-7000-8000-0000000000cc", m, p, date(2026, 1, 1), nil)
	if err != nil {
		t.Fatal(err)
	}
	add(events.ForEnrollment(events.TypeEnrollmentActivated, e, p, at))
	if err := m.RecordDeath(date(2026, 6, 10), domain.CauseMartyr, today); err != nil {
		t.Fatal(err)
	}
	add(events.ForMember(events.TypeMemberDeceased, m, at))
	add(events.ForMember(events.TypeMemberUpdated, m, at)) // a later correction after death
	ended, _, err := domain.EndForMember(m, []domain.Enrollment{e})
	if err != nil {
		t.Fatal(err)
	}
	add(events.ForEnrollment(events.TypeEnrollmentEnded, ended[0], p, at))
	return out
}

func TestPayloadsMatchSchemas(t *testing.T) {
	t.Parallel()
	evs := samples(t)
	structs := map[string]any{
		events.TypeMemberRegistered: events.Member{}, events.TypeMemberUpdated: events.Member{}, events.TypeMemberDeceased: events.Member{},
		events.TypeEnrollmentActivated: events.Enrollment{}, events.TypeEnrollmentEnded: events.Enrollment{},
	}
	for _, typ := range events.Types {
		t.Run(typ, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join("..", "..", "..", "..", "api", "events", "enrollment."+typ+".v1.json")
			sch := bustest.CompileSchema(t, path)
			if len(evs[typ]) == 0 {
				t.Fatalf("no sample of %s", typ)
			}
			for _, ev := range evs[typ] {
				if ev.Source != events.Source || ev.Subject() != "welfare.enrollment."+typ+".v1" {
					t.Errorf("envelope %+v", ev)
				}
				bustest.CheckPublishes(t, sch, ev.Data)
				if strings.Contains(string(ev.Data), "19900102") {
					t.Errorf("payload carries a full identity number: %s", ev.Data)
				}
			}
			bustest.CheckFieldsMatch(t, path, structs[typ])
		})
	}
}

func TestMemberEventType(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change domain.ChangeKind
		want   string
	}{
		{name: "registration", change: domain.ChangeRegistered, want: events.TypeMemberRegistered},
		{name: "death", change: domain.ChangeDeceased, want: events.TypeMemberDeceased},
		{name: "status", change: domain.ChangeStatus, want: events.TypeMemberUpdated},
		{name: "dependants", change: domain.ChangeDependants, want: events.TypeMemberUpdated},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := events.MemberEventType(tc.change); got != tc.want {
				t.Errorf("MemberEventType(%s) = %s, want %s", tc.change, got, tc.want)
			}
		})
	}
}

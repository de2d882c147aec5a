package commands_test

import (
	"context"
	"crypto/rand"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/idcard"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/pkg/pg/pgtest"
	"github.com/anxin-welfare/anxin/pkg/sealed"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/commands"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/domain"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/store"
)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// TestUnknownReferences: the store says it found no plan, no parent unit,
// or no unit the caller manages; the command says which field named it,
// or answers not found when the plan is the thing acted on. Nothing is
// written either way.
func TestUnknownReferences(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t, store.Migrations())
	k1, k2 := make([]byte, sealed.KeySize), make([]byte, sealed.KeySize)
	_, _ = rand.Read(k1)
	_, _ = rand.Read(k2)
	sealer, err := sealed.New(k1, k2)
	if err != nil {
		t.Fatal(err)
	}
	st := store.New(db, sealer, clock.NewFake(time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC)))
	cmd := commands.New(st)
	meta, all := store.Meta{Actor: "user-1", RequestID: "req-1"}, store.Scope{All: true}
	unit, err := cmd.CreateUnit(ctx, domain.UnitInput{Code: "GAJ", Name: "县公安局", Kind: domain.UnitPoliceBureau}, meta)
	if err != nil {
		t.Fatal(err)
	}
	m, err := cmd.CreateMember(ctx, domain.MemberInput{UnitID: unit.ID, Name: "民警", Category: domain.CategoryPolice,
		IDNumber: idcard.Generate("110105", date(1985, 3, 14), 1, true), HireDate: date(2008, 7, 1)}, all, meta)
	if err != nil {
		t.Fatal(err)
	}
	p, err := cmd.CreatePlan(ctx, domain.PlanInput{Scheme: domain.SchemePersonalAccident, Year: 2026, Name: "2026 年意外险",
		Coverage:    domain.Period{From: date(2026, 1, 1), To: date(2026, 12, 31)},
		Eligibility: domain.Eligibility{Categories: []domain.Category{domain.CategoryPolice}},
		Premium:     money.Yuan(300), Payer: domain.PayerCentralFinance, Sums: domain.SumsInsured{Death: money.Yuan(200000)}}, meta)
	if err != nil {
		t.Fatal(err)
	}
	const missing = "00000000-0000-4000-8000-00000000dead"
	written := func() (n int) {
		t.Helper()
		if err := db.Get(&n, `SELECT (SELECT count(*) FROM outbox) + (SELECT count(*) FROM units) + (SELECT count(*) FROM enrollments)
			+ (SELECT count(*) FROM members) + (SELECT sum(version) FROM members)`); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := written()
	for _, tc := range []struct {
		name  string
		run   func() error
		field string // the field problem wanted; "" for not found
	}{
		{name: "enroll in an unknown plan", field: "plan_id", run: func() error {
			_, err := cmd.Enroll(ctx, m.ID, missing, date(2026, 1, 1), all, meta)
			return err
		}},
		{name: "enroll in a malformed plan id", field: "plan_id", run: func() error {
			_, err := cmd.Enroll(ctx, m.ID, "not-a-uuid", date(2026, 1, 1), all, meta)
			return err
		}},
		{name: "bulk enroll into an unknown plan", run: func() error {
			_, err := cmd.BulkEnroll(ctx, missing, []string{unit.ID}, date(2026, 1, 1), false, all, meta)
			return err
		}},
		{name: "renew an unknown plan", run: func() error {
			_, err := cmd.Renew(ctx, missing, p.ID, false, all, meta)
			return err
		}},
		{name: "renew into an unknown plan", field: "next_plan_id", run: func() error {
			_, err := cmd.Renew(ctx, p.ID, missing, false, all, meta)
			return err
		}},
		{name: "a member of an unknown unit", field: "unit_id", run: func() error {
			_, err := cmd.CreateMember(ctx, domain.MemberInput{UnitID: missing, Name: "民警乙", Category: domain.CategoryPolice,
				IDNumber: idcard.Generate("110105", date(1986, 3, 14), 2, true), HireDate: date(2008, 7, 1)}, all, meta)
			return err
		}},
		{name: "a member of a unit the caller does not manage", field: "unit_id", run: func() error {
			_, err := cmd.CreateMember(ctx, domain.MemberInput{UnitID: unit.ID, Name: "民警丙", Category: domain.CategoryPolice,
				IDNumber: idcard.Generate("110105", date(1987, 3, 14), 3, true), HireDate: date(2008, 7, 1)}, store.Scope{Units: []string{missing}}, meta)
			return err
		}},
		{name: "a member moved to an unknown unit", field: "unit_id", run: func() error {
			_, err := cmd.UpdateMember(ctx, m.ID, all, 0, meta, func(m *domain.Member, _ time.Time) (store.MemberChange, error) {
				m.UnitID = missing
				return domain.ChangeUpdated, nil
			})
			return err
		}},
		{name: "bulk enrollment of a unit the caller does not manage", field: "unit_ids[1]", run: func() error {
			_, err := cmd.BulkEnroll(ctx, p.ID, []string{unit.ID, missing}, date(2026, 1, 1), false, all, meta)
			return err
		}},
		// An administrator who manages no unit has an empty scope: the
		// unit that exists is still one they do not manage (a 422, not a
		// failed query).
		{name: "bulk enrollment by someone who manages no unit", field: "unit_ids[0]", run: func() error {
			_, err := cmd.BulkEnroll(ctx, p.ID, []string{unit.ID}, date(2026, 1, 1), false, store.Scope{}, meta)
			return err
		}},
		{name: "a unit under an unknown parent", field: "parent_id", run: func() error {
			_, err := cmd.CreateUnit(ctx, domain.UnitInput{Code: "PCS1", Name: "城关派出所", Kind: domain.UnitPoliceStation, ParentID: missing}, meta)
			return err
		}},
		{name: "a unit under a malformed parent id", field: "parent_id", run: func() error {
			_, err := cmd.CreateUnit(ctx, domain.UnitInput{Code: "PCS2", Name: "城郊派出所", Kind: domain.UnitPoliceStation, ParentID: "nope"}, meta)
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.run()
			ps := fielderr.Of(err)
			if tc.field == "" {
				if !errors.Is(err, store.ErrNotFound) || ps != nil {
					t.Fatalf("err = %v (problems %v), want not found", err, ps)
				}
			} else if code := map[bool]string{true: "enrollment.unit_unknown", false: "enrollment.plan_unknown"}[strings.Contains(tc.field, "unit") ||
				tc.field == "parent_id"]; len(ps) != 1 || ps[0].Field != tc.field || ps[0].Code != code || errors.Is(err, store.ErrNotFound) {
				t.Fatalf("err = %v (problems %v), want %s unknown", err, ps, tc.field)
			}
			if n := written(); n != before {
				t.Errorf("%d rows written", n-before)
			}
		})
	}
}

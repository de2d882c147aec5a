package domain_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
)

func TestInputValidation(t *testing.T) {
	t.Parallel()
	round := domain.Round{UnitID: "u1", Year: 2026, Opens: d("2026-03-01"), Closes: d("2026-06-30")}
	today := d("2026-02-10")
	tests := []struct {
		name   string
		err    error
		fields []string
	}{
		{"valid facility", domain.Facility{Name: "青城山疗养院"}.Validate(), nil},
		{"facility without name", domain.Facility{Location: strings.Repeat("x", 201)}.Validate(), []string{"name", "location"}},
		{"valid session", domain.Session{FacilityID: "f", From: d("2026-05-01"), To: d("2026-05-07"), Capacity: 20}.Validate(today), nil},
		{"session in the wrong order and no places", domain.Session{FacilityID: "f", From: d("2026-05-07"), To: d("2026-05-01")}.Validate(today), []string{"to", "capacity"}},
		{"session in year 0206", domain.Session{FacilityID: "f", From: d("0206-05-01"), To: d("0206-05-07"), Capacity: 20}.Validate(today), []string{"from", "to"}},
		{"session more than two years ahead", domain.Session{FacilityID: "f", From: d("2028-02-01"), To: d("2028-02-11"), Capacity: 20}.Validate(today), []string{"to"}},
		{"valid round", round.Validate(today), nil},
		{"round across years", domain.Round{UnitID: "u1", Year: 2026, Opens: d("2026-03-01"), Closes: d("2027-01-31")}.Validate(today), []string{"closes"}},
		{"round in 2206", domain.Round{UnitID: "u1", Year: 2206, Opens: d("2206-03-01"), Closes: d("2206-06-30")}.Validate(today), []string{"opens", "closes"}},
		{"slot outside the round", domain.Slot{StartsAt: time.Date(2026, 7, 1, 1, 0, 0, 0, time.UTC), Capacity: 5}.Validate(round), []string{"starts_at"}},
		{"valid carry-over", domain.CarryOverDecision{MemberID: "m", Days: 2, Reason: "专项任务"}.Validate(), nil},
		{"carry-over without reason or days", domain.CarryOverDecision{MemberID: "m"}.Validate(), []string{"days", "reason"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assertFields(t, tt.err, tt.fields)
		})
	}
}

func TestCodeOf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  error
		code string
		args int
		ok   bool
	}{
		{"sentinel", domain.ErrSlotFull, "leave.healthcheck.slot_full", 0, true},
		{"detail wrapped", fmtWrap(domain.Detail(domain.ErrBalanceExceeded, 5, 3)), "leave.balance_exceeded", 2, true},
		{"validation", fielderr.Fail("to", domain.CodeDateOrder), "validation_failed", 0, true},
		{"not a domain error", errors.New("boom"), "", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, args, ok := domain.CodeOf(tt.err)
			if code != tt.code || len(args) != tt.args || ok != tt.ok {
				t.Fatalf("CodeOf = %q %v %v", code, args, ok)
			}
		})
	}
}

func fmtWrap(err error) error { return errors.Join(errors.New("context"), err) }

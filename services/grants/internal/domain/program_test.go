package domain_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/services/grants/internal/domain"
)

// changeOf is the change that leaves p as it is.
func changeOf(p domain.Program) domain.ProgramChange {
	return domain.ProgramChange{NameZH: p.NameZH, NameEN: p.NameEN, Allocation: p.Allocation, Eligibility: p.Eligibility, Amount: p.Amount,
		RequiredDocuments: p.RequiredDocuments, Approval: p.Approval, Recurring: p.Recurring, Active: p.Active}
}

func TestProgramChange(t *testing.T) {
	t.Parallel()
	cur := program()
	cur.FundID, cur.Committed, cur.Version = "f-1", money.Yuan(30000), 4
	tests := []struct {
		name     string
		edit     func(ch *domain.ProgramChange)
		applied  bool
		fields   map[string]string // field → code
		validate func(t *testing.T, next domain.Program)
	}{
		{name: "nothing changed", edit: func(*domain.ProgramChange) {}, applied: true},
		{name: "allocation down to the committed amount", edit: func(ch *domain.ProgramChange) { ch.Allocation = money.Yuan(30000) }, applied: true,
			validate: func(t *testing.T, next domain.Program) {
				if next.Allocation != money.Yuan(30000) || next.Committed != money.Yuan(30000) {
					t.Fatalf("allocation %v committed %v", next.Allocation, next.Committed)
				}
			}},
		{name: "allocation below the committed amount", edit: func(ch *domain.ProgramChange) { ch.Allocation = money.Yuan(30000) - 1 },
			fields: map[string]string{"allocation": domain.CodeBelowCommitted}},
		{name: "negative allocation is one problem", edit: func(ch *domain.ProgramChange) { ch.Allocation = -1 },
			fields: map[string]string{"allocation": domain.CodeNegative}},
		{name: "recurring without applications", edit: func(ch *domain.ProgramChange) { ch.Recurring = true },
			validate: func(t *testing.T, next domain.Program) {
				if !next.Recurring {
					t.Fatal("recurring not changed")
				}
			}},
		{name: "recurring with applications", edit: func(ch *domain.ProgramChange) { ch.Recurring = true }, applied: true,
			fields: map[string]string{"recurring": domain.CodeFixedOnceApplied}},
		{name: "deactivate with applications", edit: func(ch *domain.ProgramChange) { ch.Active = false }, applied: true,
			validate: func(t *testing.T, next domain.Program) {
				if next.Active {
					t.Fatal("still active")
				}
			}},
		{name: "every problem at once", edit: func(ch *domain.ProgramChange) {
			ch.NameZH, ch.Allocation, ch.Recurring = " ", 0, true
			ch.Amount = domain.AmountRule{Kind: domain.AmountFixed}
		}, applied: true, fields: map[string]string{"name_zh": domain.CodeRequired, "allocation": domain.CodeBelowCommitted,
			"amount.fixed": domain.CodeNotPositive, "recurring": domain.CodeFixedOnceApplied}},
		{name: "by grade rule replaces the assessed one", edit: func(ch *domain.ProgramChange) {
			ch.Amount = domain.AmountRule{Kind: domain.AmountByGrade, ByGrade: [10]money.Fen{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}}
		}, validate: func(t *testing.T, next domain.Program) {
			if next.Amount.Kind != domain.AmountByGrade || next.Amount.ByGrade[9] != 1 || next.Amount.Cap != 0 {
				t.Fatalf("rule %+v", next.Amount)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ch := changeOf(cur)
			ch.RequiredDocuments = slices.Clone(cur.RequiredDocuments)
			tt.edit(&ch)
			next, err := cur.Change(ch, tt.applied)
			if len(tt.fields) > 0 {
				var ve *fielderr.Invalid
				if !errors.As(err, &ve) {
					t.Fatalf("err = %v", err)
				}
				got := map[string]string{}
				for _, f := range ve.Problems {
					got[f.Field] = f.Code
				}
				if len(got) != len(tt.fields) {
					t.Errorf("fields %+v, want %v", ve.Problems, tt.fields)
				}
				for f, code := range tt.fields {
					if got[f] != code {
						t.Errorf("field %s: %q, want %q (%+v)", f, got[f], code, ve.Problems)
					}
				}
				if next.Allocation != cur.Allocation || next.Recurring != cur.Recurring {
					t.Fatalf("a refused change returned %+v", next)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			// fund, code, kind and the counters are not the change's
			if next.ID != cur.ID || next.FundID != cur.FundID || next.Code != cur.Code || next.Kind != cur.Kind ||
				next.Committed != cur.Committed || next.Version != cur.Version {
				t.Fatalf("fixed fields changed: %+v", next)
			}
			if tt.validate != nil {
				tt.validate(t, next)
			}
		})
	}
}

package domain

import (
	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/money"
)

// CheckCommit reports whether amount fits both the program's and the fund's
// remaining budget. The store repeats the check in SQL with a conditional
// UPDATE in the approval's transaction, which is what makes it hold under
// concurrency; this check gives the early, explained answer.
func CheckCommit(f Fund, p Program, amount money.Fen) error {
	if amount <= 0 {
		return fielderr.Fail("amount", CodeNotPositive)
	}
	if p.Remaining() < amount {
		return ErrBudgetExhausted.With(p.Remaining().String(), amount.String())
	}
	if f.Remaining() < amount {
		return ErrBudgetExhausted.With(f.Remaining().String(), amount.String())
	}
	return nil
}

// ValidateAllocation checks that the programs' allocations fit in the
// fund's appropriation, so a program can never promise money the fund lacks.
func ValidateAllocation(f Fund, programs []Program) error {
	var sum money.Fen
	var err error
	for _, p := range programs {
		if sum, err = money.Add(sum, p.Allocation); err != nil {
			return err
		}
	}
	if sum > f.Appropriation {
		return fielderr.Fail("allocation", CodeOverCap, f.Appropriation.String())
	}
	return nil
}

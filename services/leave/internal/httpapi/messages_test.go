package httpapi_test

import (
	"testing"

	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
	_ "github.com/anxin-welfare/anxin/services/leave/internal/httpapi"
	"github.com/anxin-welfare/anxin/services/leave/internal/wages"
)

func TestMessagesValid(t *testing.T) {
	t.Parallel()
	if err := i18n.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestEveryCodeHasAMessage(t *testing.T) {
	t.Parallel()
	var keys []string
	for _, e := range domain.RuleErrors() {
		keys = append(keys, "problem."+e.Code())
	}
	keys = append(keys,
		domain.CodeRequired, domain.CodeNotDate, domain.CodeTooLong, domain.CodeOutOfRange, domain.CodeInvalidChoice,
		domain.CodeDuplicate, domain.CodeInPast, domain.CodeDateOrder, domain.CodeNotWeekend, domain.CodeOffAndWork,
		domain.CodeOutOfYear, domain.CodeWrongSign, domain.CodeInjuryTooLong, domain.CodeSlotOutOfRound,
		domain.StepServiceYears, domain.StepBand, domain.StepBandChange, domain.StepNotEmployed, domain.StepUnderOneYear,
		domain.StepProRated, domain.StepPersonalLimit, domain.StepSickLimit, domain.StepPreviousYearLimit, domain.StepTotal,
		domain.StepDailyWageCivil, domain.StepDailyWageAux, domain.StepUnused, domain.StepWaived, domain.StepExtra,
		domain.StepPriorityMartyr, domain.StepPriorityInjured, domain.StepPriorityFront, domain.StepPriorityService, domain.StepPriorityStandard,
		domain.ReasonInjuryLeave, domain.ReasonInjuryLeaveShortened, domain.ReasonInjuryLeaveShortenedNegative,
		domain.ReasonInjuryLeaveClosedYear, domain.ReasonInjuryLeaveShortenedClosed, domain.ReasonInjuryLeaveShortenedClosedNegative, domain.ReasonEntitlementBelowApproved,
		wages.CodeUnknownMember, wages.CodeNameMismatch, wages.CodeDuplicate, wages.CodeNeedsAnnual, wages.CodeNeedsMonthly,
		"problem."+wages.CodeEmpty, "problem."+wages.CodeMalformedCSV, "problem."+wages.CodeNotXLSX, "problem."+wages.CodeTooLarge,
		"problem."+wages.CodeTooManyRows, "problem."+wages.CodeCellTooLong, "problem."+wages.CodeMissingColumn,
	)
	for _, k := range keys {
		t.Run(k, func(t *testing.T) {
			t.Parallel()
			if !i18n.Has(k) {
				t.Fatalf("no message for %q", k)
			}
		})
	}
}

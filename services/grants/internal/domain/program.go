package domain

import (
	"errors"
	"slices"
	"strings"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/money"
)

// Category is a member's workforce category (DOMAIN.md "Who is covered").
type Category string

// Member categories.
const (
	CategoryPolice          Category = "police"
	CategoryJudicialPolice  Category = "judicial_police"
	CategoryJudge           Category = "judge"
	CategoryProsecutor      Category = "prosecutor"
	CategoryCivilServant    Category = "civil_servant"
	CategoryAuxiliaryPolice Category = "auxiliary_police"
)

// Valid reports whether c is a known category.
func (c Category) Valid() bool {
	switch c {
	case CategoryPolice, CategoryJudicialPolice, CategoryJudge, CategoryProsecutor, CategoryCivilServant, CategoryAuxiliaryPolice:
		return true
	}
	return false
}

// Fund is the county's assistance fund of one fiscal year. Committed counts
// every approved amount (disbursed or not), so Remaining = Appropriation −
// Committed is what may still be approved.
type Fund struct {
	ID            string
	FiscalYear    int
	Name          string
	Appropriation money.Fen
	Committed     money.Fen
	Disbursed     money.Fen
	Version       int64
}

// Remaining is the budget still free for approvals.
func (f Fund) Remaining() money.Fen { return f.Appropriation - f.Committed }

// ProgramKind says which built-in workflow a program belongs to; admins may
// add programs of kind "other".
type ProgramKind string

// Program kinds named by the county's implementation opinions.
const (
	KindMartyrFamily      ProgramKind = "martyr_family"      // 英烈和牺牲干警家属
	KindDisabledOnDuty    ProgramKind = "disabled_on_duty"   // 因公伤残干警
	KindHardship          ProgramKind = "hardship"           // 特困政法干警
	KindChildrenEducation ProgramKind = "children_education" // 子女教育
	KindOther             ProgramKind = "other"
)

// Valid reports whether k is a known kind.
func (k ProgramKind) Valid() bool {
	switch k {
	case KindMartyrFamily, KindDisabledOnDuty, KindHardship, KindChildrenEducation, KindOther:
		return true
	}
	return false
}

// Program is one line of the fund with its own allocation and rules.
type Program struct {
	ID                string
	FundID            string
	Code              string
	NameZH, NameEN    string
	Kind              ProgramKind
	Allocation        money.Fen
	Committed         money.Fen
	Disbursed         money.Fen
	Eligibility       Eligibility
	Amount            AmountRule
	RequiredDocuments []string
	Approval          ApprovalPolicy
	Recurring         bool
	Active            bool
	Version           int64
}

// Remaining is the allocation still free for approvals.
func (p Program) Remaining() money.Fen { return p.Allocation - p.Committed }

// AmountKind selects how a program computes the grant.
type AmountKind string

// Amount rule kinds (DOMAIN.md "Assistance fund").
const (
	AmountFixed     AmountKind = "fixed"     // one amount for everyone
	AmountByGrade   AmountKind = "by_grade"  // by disability grade 1..10
	AmountAssessed  AmountKind = "assessed"  // assessed need, up to Cap
	AmountStatutory AmountKind = "statutory" // a statutory Calculator
)

// AmountRule is how a program's grant amount is found. For recurring
// programs the amount is per month.
type AmountRule struct {
	Kind       AmountKind    `json:"kind"`
	Fixed      money.Fen     `json:"fixed,omitempty"`
	ByGrade    [10]money.Fen `json:"by_grade,omitzero"`
	Cap        money.Fen     `json:"cap,omitempty"`
	Calculator Calculator    `json:"calculator,omitempty"`
}

// ApprovalPolicy is the approval chain by amount tier: up to and including
// DualAbove one committee approval suffices; above it two different
// approvers must approve (DOMAIN.md: two approvers above a threshold).
type ApprovalPolicy struct {
	DualAbove money.Fen `json:"dual_above"`
}

// CommitteeApprovalsNeeded is how many distinct approvers amount needs.
func (p ApprovalPolicy) CommitteeApprovalsNeeded(amount money.Fen) int {
	if amount > p.DualAbove {
		return 2
	}
	return 1
}

// Limits of free-text fields, so a form cannot fill the database.
const (
	MaxCodeLen   = 64
	MaxNameLen   = 200
	MaxReasonLen = 2000
)

// Validate checks a program definition as an admin submits it.
func (p Program) Validate() error {
	var pr fielderr.List
	if strings.TrimSpace(p.Code) == "" {
		pr.Add("code", CodeRequired)
	} else if len(p.Code) > MaxCodeLen {
		pr.Add("code", CodeTooLong, MaxCodeLen)
	}
	if strings.TrimSpace(p.NameZH) == "" {
		pr.Add("name_zh", CodeRequired)
	} else if len([]rune(p.NameZH)) > MaxNameLen {
		pr.Add("name_zh", CodeTooLong, MaxNameLen)
	}
	if len([]rune(p.NameEN)) > MaxNameLen {
		pr.Add("name_en", CodeTooLong, MaxNameLen)
	}
	if !p.Kind.Valid() {
		pr.Add("kind", CodeUnknownValue, string(p.Kind))
	}
	if p.Allocation < 0 {
		pr.Add("allocation", CodeNegative)
	}
	if p.Approval.DualAbove < 0 {
		pr.Add("approval.dual_above", CodeNegative)
	}
	for _, c := range p.Eligibility.Categories {
		if !c.Valid() {
			pr.Add("eligibility.categories", CodeUnknownValue, string(c))
		}
	}
	if !p.Eligibility.Event.Valid() {
		pr.Add("eligibility.event", CodeUnknownValue, string(p.Eligibility.Event))
	}
	for _, g := range p.Eligibility.Grades {
		if g < 1 || g > 10 {
			pr.Add("eligibility.grades", CodeOutOfRange, 1, 10)
			break
		}
	}
	if p.Eligibility.MaxIncomePerCapita < 0 {
		pr.Add("eligibility.max_income_per_capita", CodeNegative)
	}
	switch p.Amount.Kind {
	case AmountFixed:
		if p.Amount.Fixed <= 0 {
			pr.Add("amount.fixed", CodeNotPositive)
		}
	case AmountByGrade:
		for _, a := range p.Amount.ByGrade {
			if a < 0 {
				pr.Add("amount.by_grade", CodeNegative)
				break
			}
		}
	case AmountAssessed:
		if p.Amount.Cap <= 0 {
			pr.Add("amount.cap", CodeNotPositive)
		}
	case AmountStatutory:
		if !p.Amount.Calculator.Valid() {
			pr.Add("amount.calculator", CodeUnknownValue, string(p.Amount.Calculator))
		}
		if p.Recurring {
			pr.Add("recurring", CodeNotAllowedHere)
		}
	default:
		pr.Add("amount.kind", CodeUnknownValue, string(p.Amount.Kind))
	}
	for _, d := range p.RequiredDocuments {
		if strings.TrimSpace(d) == "" || len(d) > MaxCodeLen {
			pr.Add("required_documents", CodeUnknownValue, d)
			break
		}
	}
	return pr.Err()
}

// ProgramChange is what an admin may change of a program once it exists:
// everything but its fund, code and kind, which stay as created. It
// replaces all of these at once.
type ProgramChange struct {
	NameZH, NameEN    string
	Allocation        money.Fen
	Eligibility       Eligibility
	Amount            AmountRule
	RequiredDocuments []string
	Approval          ApprovalPolicy
	Recurring         bool
	Active            bool
}

// Change returns p with ch applied, or every field problem at once: the
// definition's own rules (Validate), an allocation not below what the
// program has already committed, and "recurring" fixed once the program
// has any application (an application takes the flag when it is
// submitted, so changing it would mix one-time and monthly grants under
// one program). Amounts already assessed stay as they are: an application
// keeps the amount fixed at submission.
func (p Program) Change(ch ProgramChange, hasApplications bool) (Program, error) {
	next := p
	next.NameZH, next.NameEN = strings.TrimSpace(ch.NameZH), ch.NameEN
	next.Allocation, next.Eligibility, next.Amount = ch.Allocation, ch.Eligibility, ch.Amount
	next.RequiredDocuments, next.Approval = ch.RequiredDocuments, ch.Approval
	next.Recurring, next.Active = ch.Recurring, ch.Active
	var pr fielderr.List
	if err := next.Validate(); err != nil {
		var ve *fielderr.Invalid
		if !errors.As(err, &ve) {
			return p, err
		}
		pr = append(pr, ve.Problems...)
	}
	if next.Allocation >= 0 && next.Allocation < p.Committed {
		pr.Add("allocation", CodeBelowCommitted, p.Committed.String())
	}
	if hasApplications && next.Recurring != p.Recurring {
		pr.Add("recurring", CodeFixedOnceApplied)
	}
	if err := pr.Err(); err != nil {
		return p, err
	}
	return next, nil
}

// ProgramInactive is the problem of a new application for a program that
// has been deactivated (it takes no new applications; existing ones carry
// on).
func ProgramInactive() error {
	return fielderr.Fail("program_id", CodeProgramInactive)
}

// MissingDocuments lists the program's required document kinds that are
// not among attached.
func (p Program) MissingDocuments(attached []string) []string {
	var missing []string
	for _, d := range p.RequiredDocuments {
		if !slices.Contains(attached, d) {
			missing = append(missing, d)
		}
	}
	return missing
}

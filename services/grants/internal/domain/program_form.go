package domain

import (
	"slices"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/money"
)

// FormField names one question of an application form.
type FormField string

// The questions an application form may ask. Which of them a programme
// asks follows from its kind and its rules (Program.FormFields).
const (
	FieldRequestedAmount FormField = "requested_amount"
	FieldIncomePerCapita FormField = "income_per_capita"
	FieldGrade           FormField = "grade"
	FieldCause           FormField = "cause"
	FieldEventDate       FormField = "event_date"
	FieldMonthlyWage     FormField = "monthly_wage"
	FieldHonours         FormField = "honours"
)

// CodeNotAsked: a form answers a question its programme does not ask
// (the hardship form has no disability grade, for example).
const CodeNotAsked = "grants.field.not_asked"

// FormFields lists the questions p's application form asks, in the order
// a form shows them: the amount asked for only when the amount is an
// assessed need; the household income when there is an income test or the
// programme is for hardship; the disability grade and the cause of death
// only for the programmes about injury or death (by kind, or by an
// eligibility event or amount rule that reads them); the date of the
// event wherever one is paid for; wage and honours only where a statutory
// calculator reads them.
func (p Program) FormFields() []FormField {
	var out []FormField
	add := func(f FormField, asked bool) {
		if asked {
			out = append(out, f)
		}
	}
	death := p.Kind == KindMartyrFamily || p.Eligibility.Event == EventDeathOnDuty || p.Eligibility.Event == EventMartyr
	disability := p.Kind == KindDisabledOnDuty || p.Eligibility.Event == EventDisabilityGraded || p.Amount.Kind == AmountByGrade ||
		p.Amount.Calculator == CalcDisabilityLumpSum
	statutory := p.Amount.Kind == AmountStatutory
	add(FieldRequestedAmount, p.Amount.Kind == AmountAssessed)
	add(FieldIncomePerCapita, p.Kind == KindHardship || p.Eligibility.MaxIncomePerCapita > 0)
	add(FieldGrade, disability)
	add(FieldCause, death)
	add(FieldEventDate, death || disability || statutory)
	add(FieldMonthlyWage, statutory)
	add(FieldHonours, statutory)
	return out
}

// Asks reports whether p's form asks f.
func (p Program) Asks(f FormField) bool { return slices.Contains(p.FormFields(), f) }

// CheckForm refuses the answers to questions p does not ask, each next to
// its field, so a form follows its programme whoever builds it. Nothing
// typed into a field the programme does not ask for is ever judged.
func (p Program) CheckForm(f Form, requested money.Fen) error {
	var pr fielderr.List
	notAsked := func(field FormField, answered bool, name string) {
		if answered && !p.Asks(field) {
			pr.Add(name, CodeNotAsked)
		}
	}
	notAsked(FieldRequestedAmount, requested != 0, "requested_amount")
	notAsked(FieldIncomePerCapita, f.IncomePerCapita != nil, "form.income_per_capita")
	notAsked(FieldGrade, f.Grade != 0, "form.grade")
	notAsked(FieldCause, f.Cause != "", "form.cause")
	notAsked(FieldEventDate, f.EventDate != nil, "form.event_date")
	notAsked(FieldMonthlyWage, f.MonthlyWage != 0, "form.monthly_wage")
	notAsked(FieldHonours, len(f.Honours) > 0, "form.honours")
	return pr.Err()
}

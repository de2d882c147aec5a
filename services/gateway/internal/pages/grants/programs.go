package grants

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/api/client"
	grantsapi "github.com/anxin-welfare/anxin/api/client/grants"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// Grant programmes: creating one (createProgram) and changing or
// deactivating it (updateProgram with the version read). Fund, code and
// kind are fixed once a programme exists; everything else, the allocation
// included, may change within what the fund and the programme's
// commitments allow.

// programKinds and programRules are the choices of ProgramInput.kind and
// AmountRule.kind the form offers.
var (
	programKinds       = []string{"hardship", "martyr_family", "disabled_on_duty", "children_education", "other"}
	programRules       = []string{"assessed", "fixed", "by_grade", "statutory"}
	programCalculators = []string{"", "police_lump_sum", "martyr_grant", "work_injury_death", "auxiliary_police_martyr", "disability_lump_sum"}
)

// gradeFields are the form's ten by-grade amounts, grade 1 (most severe)
// to grade 10.
var gradeFields = func() []string {
	out := make([]string, 10)
	for i := range out {
		out[i] = "grade_" + strconv.Itoa(i+1)
	}
	return out
}()

// programFields maps the API's field names to the form's.
var programFields = map[string]string{
	"amount_rule": "rule", "amount_rule.kind": "rule", "amount_rule.fixed": "rule_amount", "amount_rule.cap": "rule_amount",
	"amount_rule.calculator": "calculator", "amount_rule.by_grade": "grade_1",
	"amount.kind": "rule", "amount.fixed": "rule_amount", "amount.cap": "rule_amount", "amount.calculator": "calculator", "amount.by_grade": "grade_1",
	"eligibility.max_income_per_capita": "max_income", "required_documents": "documents",
	"dual_approval_above": "dual_above", "approval.dual_above": "dual_above",
}

type programsData struct {
	Programs    []program
	Funds       []fund
	CanCreate   bool
	Kinds       []web.Option
	Rules       []web.Option
	Calculators []web.Option
	Grades      []string
}

// programEditData feeds the page of one programme.
type programEditData struct {
	Program     program
	Fund        string // "2026 县政法干警关爱资金", or the id when unknown
	Rules       []web.Option
	Calculators []web.Option
	Grades      []string
}

var programFlash = map[string]string{"saved": "web.admin.users.saved", "updated": "web.programs.updated"}

func (a *area) programsPage(c *gin.Context) {
	a.renderPrograms(c, http.StatusOK, web.NewForm().Set("kind", "hardship").Set("rule", "assessed"), webkit.FlashOf(c, programFlash))
}

func ruleOptions() []web.Option {
	out := make([]web.Option, 0, len(programRules))
	for _, r := range programRules {
		out = append(out, web.Option{Value: r, Label: "web.programs.rule." + r})
	}
	return out
}

func calculatorOptions() []web.Option {
	out := make([]web.Option, 0, len(programCalculators))
	for _, k := range programCalculators {
		out = append(out, web.Option{Value: k, Label: "web.programs.calculator." + orNone(k)})
	}
	return out
}

// renderPrograms lists the programmes and, for an administrator, the form
// that adds one.
func (a *area) renderPrograms(c *gin.Context, status int, form *web.Form, flash *web.Message) {
	progs, err := a.programs(c)
	if err != nil {
		a.ServiceFailed(c, err)
		return
	}
	d := programsData{Programs: progs, CanCreate: a.User(c).Has(domain.RoleAdmin), Grades: gradeFields}
	if d.CanCreate {
		if d.Funds, err = a.funds(c); err != nil {
			a.ServiceFailed(c, err)
			return
		}
		for _, k := range programKinds {
			d.Kinds = append(d.Kinds, web.Option{Value: k, Label: "web.programs.kind." + k})
		}
		d.Rules, d.Calculators = ruleOptions(), calculatorOptions()
	}
	p := a.Page(c, "web.programs.title")
	p.Form, p.Data, p.Flash = form, d, flash
	a.Render(c, status, "programs", p)
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// programForm reads a posted programme form: the fields both forms share,
// plus extra.
func programForm(c *gin.Context, extra ...string) *web.Form {
	fields := append([]string{"name_zh", "name_en", "allocation", "rule", "rule_amount", "calculator", "dual_above", "max_income", "documents"}, gradeFields...)
	return webkit.PostedForm(c, append(fields, extra...)...)
}

// programTerms are the terms both forms set, as the API takes them.
type programTerms struct {
	NameZH, NameEN    string
	Allocation        int
	Rule              grantsapi.AmountRule
	DualApprovalAbove int
	RequiredDocuments []string
	// MaxIncome is the household income line (0: none).
	MaxIncome int
}

// readProgramTerms checks the fields both forms share and returns them.
// Errors are on form.
func readProgramTerms(form *web.Form) programTerms {
	yuan := func(name string, required bool) int { return int(webkit.FormYuan(form, name, required)) }
	if form.Value("name_zh") == "" {
		form.AddError("name_zh", web.Msg("field.required"))
	}
	if !slices.Contains(programRules, form.Value("rule")) {
		form.AddError("rule", web.Msg("field.one_of"))
	}
	if !slices.Contains(programCalculators, form.Value("calculator")) {
		form.AddError("calculator", web.Msg("field.one_of"))
	}
	t := programTerms{NameZH: form.Value("name_zh"), NameEN: form.Value("name_en")}
	t.Allocation, t.DualApprovalAbove, t.MaxIncome = yuan("allocation", true), yuan("dual_above", false), yuan("max_income", false)
	t.Rule.Kind = grantsapi.AmountRuleKind(form.Value("rule"))
	switch form.Value("rule") {
	case "fixed":
		fixed := yuan("rule_amount", true)
		t.Rule.Fixed = &fixed
	case "assessed":
		if cap := yuan("rule_amount", false); cap > 0 {
			t.Rule.Cap = &cap
		}
	case "by_grade":
		grades := make([]int, len(gradeFields))
		var some bool
		for i, f := range gradeFields {
			grades[i] = yuan(f, false)
			some = some || grades[i] > 0
		}
		if !some && !form.HasErrors() {
			form.AddError("grade_1", web.Msg("web.programs.grades_required"))
		}
		t.Rule.ByGrade = &grades
	case "statutory":
		if form.Value("calculator") == "" {
			form.AddError("calculator", web.Msg("field.required"))
		}
		calc := grantsapi.AmountRuleCalculator(form.Value("calculator"))
		t.Rule.Calculator = &calc
	}
	t.RequiredDocuments = []string{}
	for _, l := range strings.Split(form.Value("documents"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			t.RequiredDocuments = append(t.RequiredDocuments, l)
		}
	}
	return t
}

// createProgram adds a programme to a fund with its allocation; the grants
// service refuses an allocation beyond what the fund has left.
func (a *area) createProgram(c *gin.Context) {
	form := programForm(c, "fund_id", "code", "kind")
	for _, f := range []string{"fund_id", "code"} {
		if form.Value(f) == "" {
			form.AddError(f, web.Msg("field.required"))
		}
	}
	fundID, isID := uuidOf(form.Value("fund_id"))
	if form.Value("fund_id") != "" && !isID {
		// the generated client takes the fund as an id: one that is none
		// is refused here, in the service's words for it
		form.AddError("fund_id", webkit.MsgOr("grants.field.invalid_id", "field.one_of"))
	}
	if !slices.Contains(programKinds, form.Value("kind")) {
		form.AddError("kind", web.Msg("field.one_of"))
	}
	t := readProgramTerms(form)
	if form.HasErrors() {
		a.renderPrograms(c, http.StatusUnprocessableEntity, form, nil)
		return
	}
	in := grantsapi.ProgramInput{FundId: fundID, Code: form.Value("code"), Kind: grantsapi.ProgramInputKind(form.Value("kind")),
		NameZh: t.NameZH, NameEn: &t.NameEN, Allocation: t.Allocation, AmountRule: t.Rule, DualApprovalAbove: t.DualApprovalAbove,
		RequiredDocuments: &t.RequiredDocuments}
	if t.MaxIncome > 0 {
		in.Eligibility = &grantsapi.Eligibility{MaxIncomePerCapita: &t.MaxIncome}
	}
	api, err := a.Grants(c)
	if err == nil {
		err = webkit.Done(api.CreateProgram(c.Request.Context(), in)) //nolint:bodyclose // webkit.Done drains and closes it
	}
	if err != nil {
		if webkit.ProblemOnForm(err, form, programFields) {
			a.renderPrograms(c, webkit.StatusOf(err), form, nil)
			return
		}
		a.ServiceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/programs?m=saved")
}

// loadProgram reads the programme the path names.
func (a *area) loadProgram(c *gin.Context) (program, bool) {
	p, err := a.program(c, c.Param("id"))
	if err != nil {
		a.ServiceFailed(c, err)
		return p, false
	}
	return p, true
}

// programFormOf fills the edit form with the programme as it is now.
func programFormOf(p program) *web.Form {
	yuan := func(f int64) string {
		if f == 0 {
			return ""
		}
		return money.Fen(f).Plain(false)
	}
	form := web.NewForm().Set("name_zh", p.NameZH).Set("name_en", p.NameEN).Set("allocation", money.Fen(p.Allocation).Plain(false)).
		Set("rule", p.AmountRule.Kind).Set("calculator", p.AmountRule.Calculator).Set("dual_above", yuan(p.DualApprovalAbove)).
		Set("documents", strings.Join(p.RequiredDocuments, "\n")).Set("version", strconv.FormatInt(p.Version, 10))
	switch p.AmountRule.Kind {
	case "fixed":
		form.Set("rule_amount", yuan(p.AmountRule.Fixed))
	case "assessed":
		form.Set("rule_amount", yuan(p.AmountRule.Cap))
	}
	for i, f := range gradeFields {
		if i < len(p.AmountRule.ByGrade) {
			form.Set(f, yuan(p.AmountRule.ByGrade[i]))
		}
	}
	if v := webkit.Deref(p.Eligibility.MaxIncomePerCapita); v > 0 {
		form.Set("max_income", money.Fen(int64(v)).Plain(false))
	}
	if p.Active {
		form.Set("active", "1")
	}
	return form
}

func (a *area) programEditPage(c *gin.Context) {
	p, ok := a.loadProgram(c)
	if !ok {
		return
	}
	a.renderProgramEdit(c, http.StatusOK, p, programFormOf(p))
}

func (a *area) renderProgramEdit(c *gin.Context, status int, prog program, form *web.Form) {
	d := programEditData{Program: prog, Fund: prog.FundID, Rules: ruleOptions(), Calculators: calculatorOptions(), Grades: gradeFields}
	if api, err := a.Grants(c); err == nil {
		if r, err := api.GetFundWithResponse(c.Request.Context(), prog.FundID); err == nil && r.JSON200 != nil {
			d.Fund = strconv.Itoa(r.JSON200.FiscalYear) + " " + r.JSON200.Name
		}
	}
	p := a.Page(c, "web.programs.edit")
	p.Form, p.Data = form, d
	a.Render(c, status, "program_edit", p)
}

// updateProgram replaces the editable terms of a programme, under the
// version the form was filled from: a change someone made in between is
// reported, not overwritten.
func (a *area) updateProgram(c *gin.Context) {
	prog, ok := a.loadProgram(c)
	if !ok {
		return
	}
	form := programForm(c, "active", "version")
	version, err := strconv.ParseInt(form.Value("version"), 10, 64)
	if err != nil || version < 1 {
		a.ErrorPage(c, http.StatusBadRequest, "web.error.400")
		return
	}
	t := readProgramTerms(form)
	if form.HasErrors() {
		a.renderProgramEdit(c, http.StatusUnprocessableEntity, prog, form)
		return
	}
	// The eligibility as it was, but for the income line the form sets.
	elig := prog.Eligibility
	elig.MaxIncomePerCapita = nil
	if t.MaxIncome > 0 {
		elig.MaxIncomePerCapita = &t.MaxIncome
	}
	body := grantsapi.ProgramUpdate{NameZh: t.NameZH, NameEn: &t.NameEN, Allocation: t.Allocation, AmountRule: t.Rule,
		DualApprovalAbove: t.DualApprovalAbove, RequiredDocuments: &t.RequiredDocuments, Eligibility: &elig,
		Recurring: prog.Recurring, Active: form.Value("active") == "1"}
	api, err := a.Grants(c)
	if err == nil {
		err = webkit.Done(api.UpdateProgram(c.Request.Context(), prog.ID, &grantsapi.UpdateProgramParams{IfMatch: client.Tag(version)}, body)) //nolint:bodyclose // webkit.Done drains and closes it
	}
	if err != nil {
		if webkit.VersionMismatch(err) {
			// Someone saved in between: show their version, say so.
			if fresh, ok := a.loadProgram(c); ok {
				f := programFormOf(fresh)
				f.AddError("", web.Msg("web.programs.changed"))
				a.renderProgramEdit(c, http.StatusConflict, fresh, f)
			}
			return
		}
		if webkit.ProblemOnForm(err, form, programFields) {
			a.renderProgramEdit(c, webkit.StatusOf(err), prog, form)
			return
		}
		a.ServiceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/programs?m=updated")
}

package httpapi

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// Grant programmes: creating one (POST /api/v1/grants/programs) and
// changing or deactivating it (PUT /api/v1/grants/programs/{id} with the
// version read). Fund, code and kind are fixed once a programme exists;
// everything else, the allocation included, may change within what the
// fund and the programme's commitments allow.

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

// programDetail is one programme as the grants service returns it. The
// eligibility is kept as sent, so the parts the form does not edit
// (categories, event, grades) survive an update unchanged.
type programDetail struct {
	programRow
	FundID            string         `json:"fund_id"`
	Eligibility       map[string]any `json:"eligibility"`
	AmountRule        amountRuleView `json:"amount_rule"`
	RequiredDocuments []string       `json:"required_documents"`
	Version           int64          `json:"version"`
}

type amountRuleView struct {
	Kind       string  `json:"kind"`
	Fixed      int64   `json:"fixed"`
	ByGrade    []int64 `json:"by_grade"`
	Cap        int64   `json:"cap"`
	Calculator string  `json:"calculator"`
}

type programsData struct {
	Programs    []programRow
	Funds       []grantFund
	CanCreate   bool
	Kinds       []web.Option
	Rules       []web.Option
	Calculators []web.Option
	Grades      []string
}

// programEditData feeds the page of one programme.
type programEditData struct {
	Program     programDetail
	Fund        string // "2026 县政法干警关爱资金", or the id when unknown
	Rules       []web.Option
	Calculators []web.Option
	Grades      []string
}

func (h *handlers) registerProgramPages(g *gin.RouterGroup) {
	admin := h.requireUser(domain.RoleAdmin)
	g.GET("/admin/programs", h.requireUser(domain.RoleAdmin, domain.RoleFinance, domain.RoleAuditor), h.programsPage)
	g.POST("/admin/programs", admin, h.createProgram)
	g.GET("/admin/programs/:id", admin, h.programEditPage)
	g.POST("/admin/programs/:id", admin, h.updateProgram)
}

var programFlash = map[string]string{"saved": "web.admin.users.saved", "updated": "web.programs.updated"}

func (h *handlers) programsPage(c *gin.Context) {
	var flash *web.Message
	if key, ok := programFlash[c.Query("m")]; ok {
		m := web.Msg(key)
		flash = &m
	}
	h.renderPrograms(c, http.StatusOK, web.NewForm().Set("kind", "hardship").Set("rule", "assessed"), flash)
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
func (h *handlers) renderPrograms(c *gin.Context, status int, form *web.Form, flash *web.Message) {
	var list itemsOf[programRow]
	if err := listInto(h, c, "grants", grantsAPI+"/programs", "items", &list.Items); err != nil {
		h.serviceFailed(c, err)
		return
	}
	d := programsData{Programs: list.Items, CanCreate: currentUser(c).Has(domain.RoleAdmin), Grades: gradeFields}
	if d.CanCreate {
		var funds itemsOf[grantFund]
		if err := listInto(h, c, "grants", grantsAPI+"/funds", "items", &funds.Items); err != nil {
			h.serviceFailed(c, err)
			return
		}
		d.Funds = funds.Items
		for _, k := range programKinds {
			d.Kinds = append(d.Kinds, web.Option{Value: k, Label: "web.programs.kind." + k})
		}
		d.Rules, d.Calculators = ruleOptions(), calculatorOptions()
	}
	p := h.page(c, "web.programs.title")
	p.Form, p.Data, p.Flash = form, d, flash
	h.render(c, status, "programs", p)
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
	form := web.NewForm()
	fields := append([]string{"name_zh", "name_en", "allocation", "rule", "rule_amount", "calculator", "dual_above", "max_income", "documents"}, gradeFields...)
	for _, f := range append(fields, extra...) {
		form.Set(f, strings.TrimSpace(c.PostForm(f)))
	}
	return form
}

// programTerms checks the fields both forms share and returns them as the
// API's body fields, with the household income line (0: none). Errors are
// on form.
func programTerms(form *web.Form) (map[string]any, int64) {
	yuan := func(name string, required bool) int64 {
		v := form.Value(name)
		if v == "" {
			if required {
				form.AddError(name, web.Msg("field.required"))
			}
			return 0
		}
		fen, err := money.Parse(v)
		if err != nil || fen < 0 {
			form.AddError(name, web.Msg("field.money"))
		}
		return int64(fen)
	}
	if form.Value("name_zh") == "" {
		form.AddError("name_zh", web.Msg("field.required"))
	}
	if !slices.Contains(programRules, form.Value("rule")) {
		form.AddError("rule", web.Msg("field.one_of"))
	}
	if !slices.Contains(programCalculators, form.Value("calculator")) {
		form.AddError("calculator", web.Msg("field.one_of"))
	}
	allocation, dual, maxIncome := yuan("allocation", true), yuan("dual_above", false), yuan("max_income", false)
	rule := map[string]any{"kind": form.Value("rule")}
	switch form.Value("rule") {
	case "fixed":
		rule["fixed"] = yuan("rule_amount", true)
	case "assessed":
		if cap := yuan("rule_amount", false); cap > 0 {
			rule["cap"] = cap
		}
	case "by_grade":
		grades := make([]int64, len(gradeFields))
		var some bool
		for i, f := range gradeFields {
			grades[i] = yuan(f, false)
			some = some || grades[i] > 0
		}
		if !some && !form.HasErrors() {
			form.AddError("grade_1", web.Msg("web.programs.grades_required"))
		}
		rule["by_grade"] = grades
	case "statutory":
		if form.Value("calculator") == "" {
			form.AddError("calculator", web.Msg("field.required"))
		}
		rule["calculator"] = form.Value("calculator")
	}
	body := map[string]any{
		"name_zh": form.Value("name_zh"), "name_en": form.Value("name_en"),
		"allocation": allocation, "amount_rule": rule, "dual_approval_above": dual,
	}
	docs := []string{}
	for _, l := range strings.Split(form.Value("documents"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			docs = append(docs, l)
		}
	}
	body["required_documents"] = docs
	return body, maxIncome
}

// createProgram adds a programme to a fund with its allocation; the grants
// service refuses an allocation beyond what the fund has left.
func (h *handlers) createProgram(c *gin.Context) {
	form := programForm(c, "fund_id", "code", "kind")
	for _, f := range []string{"fund_id", "code"} {
		if form.Value(f) == "" {
			form.AddError(f, web.Msg("field.required"))
		}
	}
	if !slices.Contains(programKinds, form.Value("kind")) {
		form.AddError("kind", web.Msg("field.one_of"))
	}
	body, maxIncome := programTerms(form)
	if form.HasErrors() {
		h.renderPrograms(c, http.StatusUnprocessableEntity, form, nil)
		return
	}
	body["fund_id"], body["code"], body["kind"] = form.Value("fund_id"), form.Value("code"), form.Value("kind")
	if maxIncome > 0 {
		body["eligibility"] = map[string]any{"max_income_per_capita": maxIncome}
	}
	if _, err := h.call(c, http.MethodPost, "grants", grantsAPI+"/programs", 0, body, nil); err != nil {
		if problemOnForm(err, form, programFields) {
			h.renderPrograms(c, statusOf(err), form, nil)
			return
		}
		h.serviceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/programs?m=saved")
}

// loadProgram reads the programme the path names.
func (h *handlers) loadProgram(c *gin.Context) (programDetail, bool) {
	var p programDetail
	if _, err := h.call(c, http.MethodGet, "grants", grantsAPI+"/programs/"+url.PathEscape(c.Param("id")), 0, nil, &p); err != nil {
		h.serviceFailed(c, err)
		return p, false
	}
	return p, true
}

// programFormOf fills the edit form with the programme as it is now.
func programFormOf(p programDetail) *web.Form {
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
	if v, ok := p.Eligibility["max_income_per_capita"].(float64); ok && v > 0 {
		form.Set("max_income", money.Fen(int64(v)).Plain(false))
	}
	if p.Active {
		form.Set("active", "1")
	}
	return form
}

func (h *handlers) programEditPage(c *gin.Context) {
	p, ok := h.loadProgram(c)
	if !ok {
		return
	}
	h.renderProgramEdit(c, http.StatusOK, p, programFormOf(p))
}

func (h *handlers) renderProgramEdit(c *gin.Context, status int, prog programDetail, form *web.Form) {
	d := programEditData{Program: prog, Fund: prog.FundID, Rules: ruleOptions(), Calculators: calculatorOptions(), Grades: gradeFields}
	var fund grantFund
	if _, err := h.call(c, http.MethodGet, "grants", grantsAPI+"/funds/"+url.PathEscape(prog.FundID), 0, nil, &fund); err == nil {
		d.Fund = strconv.Itoa(fund.FiscalYear) + " " + fund.Name
	}
	p := h.page(c, "web.programs.edit")
	p.Form, p.Data = form, d
	h.render(c, status, "program_edit", p)
}

// updateProgram replaces the editable terms of a programme, under the
// version the form was filled from: a change someone made in between is
// reported, not overwritten.
func (h *handlers) updateProgram(c *gin.Context) {
	prog, ok := h.loadProgram(c)
	if !ok {
		return
	}
	form := programForm(c, "active", "version")
	version, err := strconv.ParseInt(form.Value("version"), 10, 64)
	if err != nil || version < 1 {
		h.errorPage(c, http.StatusBadRequest, "web.error.400")
		return
	}
	body, maxIncome := programTerms(form)
	if form.HasErrors() {
		h.renderProgramEdit(c, http.StatusUnprocessableEntity, prog, form)
		return
	}
	elig := make(map[string]any, len(prog.Eligibility)+1)
	for k, v := range prog.Eligibility {
		elig[k] = v
	}
	delete(elig, "max_income_per_capita")
	if maxIncome > 0 {
		elig["max_income_per_capita"] = maxIncome
	}
	body["eligibility"], body["recurring"], body["active"] = elig, prog.Recurring, form.Value("active") == "1"
	path := grantsAPI + "/programs/" + url.PathEscape(prog.ID)
	if _, err := h.call(c, http.MethodPut, "grants", path, version, body, nil); err != nil {
		var ae *APIError
		if errors.As(err, &ae) && ae.Status == http.StatusConflict && ae.Problem.Code == "version_mismatch" {
			// Someone saved in between: show their version, say so.
			if fresh, ok := h.loadProgram(c); ok {
				f := programFormOf(fresh)
				f.AddError("", web.Msg("web.programs.changed"))
				h.renderProgramEdit(c, http.StatusConflict, fresh, f)
			}
			return
		}
		if problemOnForm(err, form, programFields) {
			h.renderProgramEdit(c, statusOf(err), prog, form)
			return
		}
		h.serviceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/programs?m=updated")
}

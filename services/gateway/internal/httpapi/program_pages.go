package httpapi

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// Creating a grant programme (POST /api/v1/grants/programs). The grants
// API has no update of a programme: an allocation is set when the programme
// is created, and a change is a new programme, so the page offers creation
// only.

// programKinds and programRules are the choices of ProgramInput.kind and
// AmountRule.kind the form offers; by_grade (ten amounts) is left to the API.
var (
	programKinds       = []string{"hardship", "martyr_family", "disabled_on_duty", "children_education", "other"}
	programRules       = []string{"assessed", "fixed", "statutory"}
	programCalculators = []string{"", "police_lump_sum", "martyr_grant", "work_injury_death", "auxiliary_police_martyr", "disability_lump_sum"}
)

// programFields maps the API's field names to the form's.
var programFields = map[string]string{
	"amount_rule": "rule", "amount_rule.kind": "rule", "amount_rule.fixed": "rule_amount", "amount_rule.cap": "rule_amount",
	"amount_rule.calculator": "calculator", "eligibility.max_income_per_capita": "max_income",
	"required_documents": "documents", "dual_approval_above": "dual_above",
}

type programsData struct {
	Programs    []programRow
	Funds       []grantFund
	CanCreate   bool
	Kinds       []web.Option
	Rules       []web.Option
	Calculators []web.Option
}

// renderPrograms lists the programmes and, for an administrator, the form
// that adds one.
func (h *handlers) renderPrograms(c *gin.Context, status int, form *web.Form, flash *web.Message) {
	var list itemsOf[programRow]
	if _, err := h.call(c, http.MethodGet, "grants", grantsAPI+"/programs", 0, nil, &list); err != nil {
		h.serviceFailed(c, err)
		return
	}
	d := programsData{Programs: list.Items, CanCreate: currentUser(c).Has(domain.RoleAdmin)}
	if d.CanCreate {
		var funds itemsOf[grantFund]
		if _, err := h.call(c, http.MethodGet, "grants", grantsAPI+"/funds", 0, nil, &funds); err != nil {
			h.serviceFailed(c, err)
			return
		}
		d.Funds = funds.Items
		for _, k := range programKinds {
			d.Kinds = append(d.Kinds, web.Option{Value: k, Label: "web.programs.kind." + k})
		}
		for _, r := range programRules {
			d.Rules = append(d.Rules, web.Option{Value: r, Label: "web.programs.rule." + r})
		}
		for _, k := range programCalculators {
			d.Calculators = append(d.Calculators, web.Option{Value: k, Label: "web.programs.calculator." + orNone(k)})
		}
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

// createProgram adds a programme to a fund with its allocation; the grants
// service refuses an allocation beyond what the fund has left.
func (h *handlers) createProgram(c *gin.Context) {
	form := web.NewForm()
	for _, f := range []string{"fund_id", "code", "name_zh", "name_en", "kind", "allocation", "rule", "rule_amount", "calculator", "dual_above", "max_income", "documents"} {
		form.Set(f, strings.TrimSpace(c.PostForm(f)))
	}
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
	for _, f := range []string{"fund_id", "code", "name_zh"} {
		if form.Value(f) == "" {
			form.AddError(f, web.Msg("field.required"))
		}
	}
	oneOf := func(name string, choices []string) {
		for _, k := range choices {
			if k == form.Value(name) {
				return
			}
		}
		form.AddError(name, web.Msg("field.one_of"))
	}
	oneOf("kind", programKinds)
	oneOf("rule", programRules)
	oneOf("calculator", programCalculators)
	allocation, dual, maxIncome := yuan("allocation", true), yuan("dual_above", false), yuan("max_income", false)
	rule := map[string]any{"kind": form.Value("rule")}
	switch form.Value("rule") {
	case "fixed":
		rule["fixed"] = yuan("rule_amount", true)
	case "assessed":
		if cap := yuan("rule_amount", false); cap > 0 {
			rule["cap"] = cap
		}
	case "statutory":
		if form.Value("calculator") == "" {
			form.AddError("calculator", web.Msg("field.required"))
		}
		rule["calculator"] = form.Value("calculator")
	}
	if form.HasErrors() {
		h.renderPrograms(c, http.StatusUnprocessableEntity, form, nil)
		return
	}
	body := map[string]any{
		"fund_id": form.Value("fund_id"), "code": form.Value("code"), "name_zh": form.Value("name_zh"), "kind": form.Value("kind"),
		"allocation": allocation, "amount_rule": rule, "dual_approval_above": dual,
	}
	if v := form.Value("name_en"); v != "" {
		body["name_en"] = v
	}
	if maxIncome > 0 {
		body["eligibility"] = map[string]any{"max_income_per_capita": maxIncome}
	}
	var docs []string
	for _, l := range strings.Split(form.Value("documents"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			docs = append(docs, l)
		}
	}
	if len(docs) > 0 {
		body["required_documents"] = docs
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

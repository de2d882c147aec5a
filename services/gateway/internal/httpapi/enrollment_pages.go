package httpapi

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// Pages of the member registry, over /api/v1/enrollment (api/openapi/enrollment.yaml).

const enrollmentAPI = "/api/v1/enrollment"

// maxRoster bounds an uploaded roster: a county's whole roster is well
// under a megabyte; 5 MiB leaves room for XLSX overhead.
const maxRoster = 5 << 20

type memberSummary struct {
	ID             string `json:"id"`
	UnitID         string `json:"unit_id"`
	Name           string `json:"name"`
	Category       string `json:"category"`
	IDNumberMasked string `json:"id_number_masked"`
	Status         string `json:"status"`
	Version        int64  `json:"version"`
}

type unitJSON struct {
	ID       string `json:"id"`
	Code     string `json:"code"`
	ParentID string `json:"parent_id"`
	Name     string `json:"name"`
}

// memberPost is a member's post type.
type memberPost struct {
	Frontline bool   `json:"frontline"`
	AuxDuty   string `json:"aux_duty"`
	HighRisk  bool   `json:"high_risk"`
}

type memberDependant struct {
	ID             string `json:"id"`
	Relation       string `json:"relation"`
	Name           string `json:"name"`
	IDNumberMasked string `json:"id_number_masked"`
	BirthDate      string `json:"birth_date"`
	Sex            string `json:"sex"`
	Phone          string `json:"phone"`
}

type memberBeneficiary struct {
	Name           string `json:"name"`
	Relation       string `json:"relation"`
	IDNumberMasked string `json:"id_number_masked"`
	Share          string `json:"share"`
}

// memberDetail is the registry's Member, identity numbers masked.
type memberDetail struct {
	memberSummary
	Post          memberPost                     `json:"post"`
	BirthDate     string                         `json:"birth_date"`
	Sex           string                         `json:"sex"`
	Phone         string                         `json:"phone"`
	HireDate      string                         `json:"hire_date"`
	ServiceStart  string                         `json:"service_start"`
	StatusDate    string                         `json:"status_date"`
	DeathCause    string                         `json:"death_cause"`
	Dependants    []memberDependant              `json:"dependants"`
	Beneficiaries map[string][]memberBeneficiary `json:"beneficiaries"`
}

// Deceased reports whether the record is closed: a death is final.
func (m memberDetail) Deceased() bool { return m.Status == "deceased" }

type memberPeriod struct {
	From string `json:"from"`
	To   string `json:"to"`
}

type memberEnrollment struct {
	ID          string       `json:"id"`
	PlanID      string       `json:"plan_id"`
	Scheme      string       `json:"scheme"`
	PlanYear    int          `json:"plan_year"`
	Period      memberPeriod `json:"period"`
	CoveredFrom string       `json:"covered_from"`
	Status      string       `json:"status"`
	EndReason   string       `json:"end_reason"`
	Version     int64        `json:"version"`
	PlanName    string       `json:"-"`
}

// memberCoverage answers "was the member covered by this scheme on the day".
type memberCoverage struct {
	Scheme      string `json:"scheme"`
	Covered     bool   `json:"covered"`
	Reason      string `json:"reason"`
	PlanName    string `json:"plan_name"`
	PlanYear    int    `json:"plan_year"`
	CoveredFrom string `json:"covered_from"`
}

// ReasonKey is the page's text for why the member is not covered.
func (c memberCoverage) ReasonKey() string {
	if c.Reason == "enrollment.coverage.waiting_period" {
		return "web.members.coverage.waiting_period"
	}
	return "web.members.coverage.not_enrolled"
}

type memberPlan struct {
	ID       string       `json:"id"`
	Scheme   string       `json:"scheme"`
	Year     int          `json:"year"`
	Name     string       `json:"name"`
	Coverage memberPeriod `json:"coverage"`
}

type membersData struct {
	Members []memberSummary
	Units   []unitJSON
	Unit    string
	Name    string
	// IDNumber is the identity number searched for, as typed.
	IDNumber string
	// Total counts every member the filters select; Shown the rows of
	// this page and the ones before it.
	Total, Shown int
	// Next is the next page's address, "" on the last page.
	Next template.URL
	// UnitLabels names each unit by its path ("县委政法委 / 县公安局").
	UnitLabels map[string]string
}

// UnitLabel is the unit's name for the list's unit column.
func (d membersData) UnitLabel(id string) string {
	if l, ok := d.UnitLabels[id]; ok {
		return l
	}
	return id
}

var (
	memberStatuses     = []string{"active", "retired", "left", "deceased"}
	memberCategories   = []string{"police", "judicial_police", "judge", "prosecutor", "civil_servant", "auxiliary_police"}
	dependantRelations = []string{"spouse", "child", "parent", "sibling"}
	deathCauses        = []string{"line_of_duty", "martyr", "illness", "other"}
	auxDutyOptions     = []web.Option{{Value: "", Label: "web.members.aux_duty.none"},
		{Value: "duty", Label: "web.members.aux_duty.duty"}, {Value: "civilian", Label: "web.members.aux_duty.civilian"}}
)

// memberOptions is a select's choices, "choose" first, labelled by prefix+value.
func memberOptions(prefix string, values []string) []web.Option {
	out := []web.Option{{Value: "", Label: "web.members.choose"}}
	for _, v := range values {
		out = append(out, web.Option{Value: v, Label: prefix + v})
	}
	return out
}

func (h *handlers) registerEnrollmentPages(g, uploads *gin.RouterGroup) {
	staff := h.requireUser(domain.RoleCaseworker, domain.RoleAdmin)
	g.GET("/work/members", staff, h.membersPage)
	g.POST("/work/members", staff, h.registerMember)
	g.GET("/work/members/new", staff, h.newMemberPage)
	g.GET("/work/members/:id", staff, h.memberPage)
	g.POST("/work/members/:id", staff, h.updateMember)
	g.GET("/work/members/:id/edit", staff, h.editMemberPage)
	g.POST("/work/members/:id/status", staff, h.memberStatus)
	g.POST("/work/members/:id/death", staff, h.memberDeath)
	g.POST("/work/members/:id/dependants", staff, h.addMemberDependant)
	g.POST("/work/members/:id/dependants/:dependant_id/remove", staff, h.removeMemberDependant)
	g.POST("/work/members/:id/enrollments", staff, h.enrolMember)
	g.POST("/work/members/:id/enrollments/:enrollment_id/close", staff, h.closeMemberEnrollment)
	g.GET("/work/members/:id/beneficiaries/:scheme", staff, h.beneficiariesPage)
	g.POST("/work/members/:id/beneficiaries/:scheme", staff, h.saveBeneficiaries)
	g.GET("/work/roster", staff, h.rosterPage)
	uploads.POST("/work/roster", staff, h.rosterUpload)
}

// membersPageSize is the rows of one page of the member list.
const membersPageSize = 50

func (h *handlers) membersPage(c *gin.Context) {
	q := url.Values{"limit": {strconv.Itoa(membersPageSize)}}
	d := membersData{Unit: c.Query("unit"), Name: strings.TrimSpace(c.Query("name")), IDNumber: strings.TrimSpace(c.Query("id_number"))}
	if d.Unit != "" {
		q.Set("unit_id", d.Unit)
	}
	if d.Name != "" {
		q.Set("name", d.Name)
	}
	if d.IDNumber != "" {
		q.Set("id_number", d.IDNumber)
	}
	if s := c.Query("status"); slices.Contains(memberStatuses, s) {
		q.Set("status", s)
	}
	if a := c.Query("after"); a != "" {
		q.Set("after", a)
	}
	d.Shown, _ = strconv.Atoi(c.Query("shown"))
	var list struct {
		Members []memberSummary `json:"members"`
		Next    string          `json:"next"`
		Total   int             `json:"total"`
	}
	form := web.NewForm().Set("id_number", d.IDNumber).Set("name", d.Name)
	status := http.StatusOK
	if _, err := h.call(c, http.MethodGet, "enrollment", enrollmentAPI+"/members?"+q.Encode(), 0, nil, &list); err != nil {
		var ae *APIError
		switch {
		case errors.As(err, &ae) && ae.Status == http.StatusUnprocessableEntity && hasFieldProblem(ae, "id_number"):
			// A number that cannot be an identity number: say why beside it.
			problemOnForm(err, form, nil)
			status = http.StatusUnprocessableEntity
		case errors.As(err, &ae) && ae.Status == http.StatusUnprocessableEntity:
			list.Members = nil // a filter the service refused (a unit id that is not one, a stale cursor): show nothing
		default:
			h.serviceFailed(c, err)
			return
		}
	}
	var units struct {
		Units []unitJSON `json:"units"`
	}
	if err := listInto(h, c, "enrollment", enrollmentAPI+"/units", "units", &units.Units); err != nil {
		h.serviceFailed(c, err)
		return
	}
	d.Members, d.Total, d.Units, d.UnitLabels = list.Members, list.Total, units.Units, unitLabels(units.Units)
	if d.Shown < 0 || c.Query("after") == "" {
		d.Shown = 0
	}
	d.Shown += len(d.Members)
	if list.Next != "" {
		nq := url.Values{"after": {list.Next}, "shown": {strconv.Itoa(d.Shown)}}
		for k, v := range map[string]string{"unit": d.Unit, "name": d.Name, "id_number": d.IDNumber, "status": q.Get("status")} {
			if v != "" {
				nq.Set(k, v)
			}
		}
		d.Next = template.URL("/work/members?" + nq.Encode()) //nolint:gosec // every part is encoded by url.Values
	}
	p := h.page(c, "web.members.title")
	p.Data, p.Form = d, form
	h.render(c, status, "members", p)
}

// hasFieldProblem reports whether a service's 422 names field.
func hasFieldProblem(ae *APIError, field string) bool {
	for _, fe := range ae.Problem.Errors {
		if fe.Field == field {
			return true
		}
	}
	return false
}

// memberPath is the member's page.
func memberPath(id string) string { return "/work/members/" + url.PathEscape(id) }

// memberAPI is the member's resource in the registry.
func memberAPI(id string) string { return enrollmentAPI + "/members/" + url.PathEscape(id) }

// loadMember reads the member of the path, or shows why it cannot.
func (h *handlers) loadMember(c *gin.Context) (memberDetail, bool) {
	var m memberDetail
	if _, err := h.call(c, http.MethodGet, "enrollment", memberAPI(c.Param("id")), 0, nil, &m); err != nil {
		h.serviceFailed(c, err)
		return m, false
	}
	return m, true
}

// pageVersion is the member's version the page was rendered from: every
// change is sent with it as If-Match, so a change someone made in between
// is reported instead of overwritten.
func pageVersion(c *gin.Context) (int64, bool) {
	v, err := strconv.ParseInt(c.PostForm("version"), 10, 64)
	return v, err == nil && v >= 1
}

// versionMismatch reports a change refused for a stale version.
func versionMismatch(err error) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.Status == http.StatusConflict && ae.Problem.Code == "version_mismatch"
}

// unitLabels names each unit with its path from the top ("县委政法委 /
// 县公安局"), so two police stations of the same name stay apart.
func unitLabels(units []unitJSON) map[string]string {
	byID := make(map[string]unitJSON, len(units))
	for _, u := range units {
		byID[u.ID] = u
	}
	out := make(map[string]string, len(units))
	for _, u := range units {
		parts := []string{u.Name}
		seen := map[string]bool{u.ID: true}
		for p := u.ParentID; p != "" && !seen[p]; p = byID[p].ParentID {
			pu, ok := byID[p]
			if !ok {
				break
			}
			seen[p] = true
			parts = append([]string{pu.Name}, parts...)
		}
		out[u.ID] = strings.Join(parts, " / ")
	}
	return out
}

// unitChoice is one unit of a unit picker.
type unitChoice struct {
	ID      string
	Label   string
	Checked bool
}

// memberUnitChoices lists the units a member may be registered in: those
// the user manages (their units and the units below), in the registry's
// order (parents first), plus keep (the member's unit). When none of the
// user's units is known every unit is offered and the registry decides.
func memberUnitChoices(units []unitJSON, mine []string, keep string) []unitChoice {
	parent := make(map[string]string, len(units))
	for _, u := range units {
		parent[u.ID] = u.ParentID
	}
	within := func(id string) bool {
		seen := map[string]bool{}
		for ; id != "" && !seen[id]; id = parent[id] {
			if slices.Contains(mine, id) {
				return true
			}
			seen[id] = true
		}
		return false
	}
	labels := unitLabels(units)
	var out, all []unitChoice
	for _, u := range units {
		uc := unitChoice{ID: u.ID, Label: labels[u.ID]}
		all = append(all, uc)
		if within(u.ID) || u.ID == keep {
			out = append(out, uc)
		}
	}
	if len(out) == 0 {
		return all
	}
	return out
}

// memberFormData is the register and edit form.
type memberFormData struct {
	New        bool
	Member     memberDetail
	Units      []unitChoice
	Categories []web.Option
	AuxDuties  []web.Option
}

// memberFormFields are the fields of the register and edit form.
var memberFormFields = []string{"name", "id_number", "category", "unit_id", "frontline", "aux_duty", "high_risk", "phone", "hire_date", "service_start"}

// memberFieldNames puts the registry's field problems beside the form's fields.
var memberFieldNames = map[string]string{"post.aux_duty": "aux_duty", "post.high_risk": "high_risk", "post.frontline": "frontline"}

// typedMember is the register or edit form as typed.
func typedMember(c *gin.Context) *web.Form {
	form := web.NewForm()
	for _, f := range memberFormFields {
		form.Set(f, strings.TrimSpace(c.PostForm(f)))
	}
	return form
}

// memberBody is the registry's MemberInput of a typed form.
func memberBody(form *web.Form) map[string]any {
	post := map[string]any{"frontline": form.Value("frontline") != "", "high_risk": form.Value("high_risk") != ""}
	if a := form.Value("aux_duty"); a != "" {
		post["aux_duty"] = a
	}
	body := map[string]any{"post": post}
	for _, f := range []string{"unit_id", "name", "category", "id_number", "phone", "hire_date", "service_start"} {
		body[f] = form.Value(f)
	}
	return body
}

// memberFormOf is the edit form filled with the member's details; the
// identity number stays empty (the page only ever has it masked).
func memberFormOf(m memberDetail) *web.Form {
	f := web.NewForm().Set("name", m.Name).Set("category", m.Category).Set("unit_id", m.UnitID).Set("aux_duty", m.Post.AuxDuty).
		Set("phone", m.Phone).Set("hire_date", m.HireDate).Set("service_start", m.ServiceStart)
	if m.Post.Frontline {
		f.Set("frontline", "1")
	}
	if m.Post.HighRisk {
		f.Set("high_risk", "1")
	}
	return f
}

// memberFormProblem puts a refusal of the register or edit form on it; a
// number registered already belongs beside the identity number.
func memberFormProblem(err error, form *web.Form) bool {
	var ae *APIError
	if errors.As(err, &ae) && ae.Status == http.StatusConflict && ae.Problem.Code == "enrollment.duplicate_member" {
		form.AddError("id_number", web.Localized(ae.Problem.Title))
		return true
	}
	return problemOnForm(err, form, memberFieldNames)
}

// renderMemberForm shows the register form (m nil) or the edit form.
func (h *handlers) renderMemberForm(c *gin.Context, status int, m *memberDetail, form *web.Form, alert *web.Message) {
	var units struct {
		Units []unitJSON `json:"units"`
	}
	if err := listInto(h, c, "enrollment", enrollmentAPI+"/units", "units", &units.Units); err != nil {
		h.serviceFailed(c, err)
		return
	}
	d := memberFormData{New: m == nil, Categories: memberOptions("web.members.category.", memberCategories), AuxDuties: auxDutyOptions}
	title := "web.members.register"
	if m != nil {
		d.Member, title = *m, "web.members.edit"
	}
	var mine []string
	if u := currentUser(c); u != nil {
		mine = u.Units
	}
	d.Units = memberUnitChoices(units.Units, mine, form.Value("unit_id"))
	p := h.page(c, title)
	p.Form, p.Data, p.Alert = form, d, alert
	h.render(c, status, "member_form", p)
}

func (h *handlers) newMemberPage(c *gin.Context) {
	h.renderMemberForm(c, http.StatusOK, nil, web.NewForm().Set("unit_id", c.Query("unit")), nil)
}

func (h *handlers) registerMember(c *gin.Context) {
	form := typedMember(c)
	var m memberDetail
	if _, err := h.call(c, http.MethodPost, "enrollment", enrollmentAPI+"/members", 0, memberBody(form), &m); err != nil {
		if !memberFormProblem(err, form) {
			h.serviceFailed(c, err)
			return
		}
		h.renderMemberForm(c, statusOf(err), nil, form, nil)
		return
	}
	c.Redirect(http.StatusSeeOther, memberPath(m.ID)+"?m=registered")
}

func (h *handlers) editMemberPage(c *gin.Context) {
	m, ok := h.loadMember(c)
	if !ok {
		return
	}
	if m.Deceased() {
		alert := web.Msg("web.members.closed")
		h.renderMember(c, http.StatusOK, m, web.NewForm(), "", nil, &alert)
		return
	}
	h.renderMemberForm(c, http.StatusOK, &m, memberFormOf(m), nil)
}

// updateMember replaces the member's details under the version the form
// was filled from. The registry needs the whole identity number; when the
// caseworker leaves it empty (the form only shows it masked) the stored
// one is read, audited as a view, only now that it is saved.
func (h *handlers) updateMember(c *gin.Context) {
	version, ok := pageVersion(c)
	if !ok {
		h.errorPage(c, http.StatusBadRequest, "web.error.400")
		return
	}
	m, ok := h.loadMember(c)
	if !ok {
		return
	}
	changed := web.Msg("web.members.changed")
	if m.Version != version {
		h.renderMemberForm(c, http.StatusConflict, &m, memberFormOf(m), &changed)
		return
	}
	form := typedMember(c)
	body := memberBody(form)
	if form.Value("id_number") == "" {
		var full struct {
			IDNumber string `json:"id_number"`
		}
		if _, err := h.call(c, http.MethodGet, "enrollment", memberAPI(m.ID)+"/id-number", 0, nil, &full); err != nil {
			h.serviceFailed(c, err)
			return
		}
		body["id_number"] = full.IDNumber
	}
	_, err := h.call(c, http.MethodPut, "enrollment", memberAPI(m.ID), version, body, nil)
	switch {
	case err == nil:
		c.Redirect(http.StatusSeeOther, memberPath(m.ID)+"?m=saved")
	case versionMismatch(err):
		if fresh, ok := h.loadMember(c); ok {
			h.renderMemberForm(c, http.StatusConflict, &fresh, memberFormOf(fresh), &changed)
		}
	case memberFormProblem(err, form):
		h.renderMemberForm(c, statusOf(err), &m, form, nil)
	default:
		h.serviceFailed(c, err)
	}
}

// memberPageData is the member page: the record, its insurance, and the
// forms of its changes. Open names the form to show unfolded (the one a
// refusal came back to).
type memberPageData struct {
	Member         memberDetail
	Enrollments    []memberEnrollment
	Coverage       []memberCoverage
	CoverageOn     string
	Plans          []memberPlan
	InsuranceError bool
	// EnrollmentPages links to the member's later enrollments (oldest
	// first, memberEnrollmentsShown a page) and back to the first;
	// EnrollmentsStale says an old link's cursor was refused.
	EnrollmentPages  pager
	EnrollmentsStale bool
	// Records are the member's cases, grants, leave and stays, as far as
	// the viewer may see them.
	Records memberRecords
	// Schemes are the schemes whose beneficiaries the page lists.
	Schemes    []string
	Open       string
	Relations  []web.Option
	Causes     []web.Option
	Statuses   []web.Option
	EndReasons []web.Option
}

// memberEnrollmentsParam carries the cursor of the member's later
// enrollments in the member page's address; memberEnrollmentsShown is how
// many the page shows at a time.
const (
	memberEnrollmentsParam = "enrollments_after"
	memberEnrollmentsShown = 20
)

// memberEnrollmentList is a page of a member's enrollments.
type memberEnrollmentList struct {
	Enrollments []memberEnrollment `json:"enrollments"`
	Next        string             `json:"next"`
}

// memberEnrollmentPage reads a page of the member's enrollments, oldest
// first, after the cursor after ("" for the first page).
func (h *handlers) memberEnrollmentPage(c *gin.Context, id, after string) (memberEnrollmentList, error) {
	q := url.Values{"limit": {strconv.Itoa(memberEnrollmentsShown)}}
	if after != "" {
		q.Set("after", after)
	}
	var es memberEnrollmentList
	_, err := h.call(c, http.MethodGet, "enrollment", memberAPI(id)+"/enrollments?"+q.Encode(), 0, nil, &es)
	return es, err
}

// memberNotices are the notices the member page shows on ?m=….
var memberNotices = map[string]string{
	"registered": "web.members.registered", "saved": "web.members.saved",
	"dependant_added": "web.members.dependant_added", "dependant_removed": "web.members.dependant_removed",
	"death": "web.members.death_recorded", "status": "web.members.status_changed", "enrolled": "web.members.enrolled",
	"closed": "web.plans.closed", "beneficiaries": "web.members.beneficiaries_saved",
}

func (h *handlers) memberPage(c *gin.Context) {
	m, ok := h.loadMember(c)
	if !ok {
		return
	}
	var flash *web.Message
	if key, ok := memberNotices[c.Query("m")]; ok {
		msg := web.Msg(key)
		flash = &msg
	}
	h.renderMember(c, http.StatusOK, m, web.NewForm(), "", flash, nil)
}

func (h *handlers) renderMember(c *gin.Context, status int, m memberDetail, form *web.Form, open string, flash, alert *web.Message) {
	d := memberPageData{Member: m, Open: open, Relations: memberOptions("web.members.relation.", dependantRelations),
		Causes: memberOptions("web.members.death_cause.", deathCauses), EndReasons: memberOptions("web.members.end_reason.", endReasons)}
	if m.Status == "active" {
		d.Statuses = memberOptions("web.members.status_to.", []string{"retired", "left"})
	} else {
		d.Statuses = memberOptions("web.members.status_to.", []string{"active"})
	}
	h.memberInsurance(c, &d)
	d.Records, d.Schemes = h.memberRecordsOf(c, m.ID), beneficiarySchemes
	p := h.page(c, "web.members.member")
	h.withUnitNames(c, p)
	p.Form, p.Data, p.Flash, p.Alert = form, d, flash, alert
	h.render(c, status, "member", p)
}

// memberInsurance fills in the member's enrollments, today's cover and the
// plans open for enrolment. The page still shows the member when the
// insurance records cannot be read.
func (h *handlers) memberInsurance(c *gin.Context, d *memberPageData) {
	// The enrollments come a page at a time, their cursor in the page's
	// own address; a form's POST shows the first page again.
	after := ""
	if c.Request.Method == http.MethodGet {
		after = c.Query(memberEnrollmentsParam)
	}
	es, err := h.memberEnrollmentPage(c, d.Member.ID, after)
	if err != nil && after != "" && staleCursor(err) {
		d.EnrollmentsStale, after = true, ""
		es, err = h.memberEnrollmentPage(c, d.Member.ID, "")
	}
	if err != nil {
		h.Log.WarnContext(c, "member page without insurance", "path", "enrollments", "error", err)
		d.InsuranceError = true
		return
	}
	q := url.Values{}
	if after != "" {
		q.Set(memberEnrollmentsParam, after)
	}
	d.EnrollmentPages = pagerAt(c, "/work/members/"+url.PathEscape(d.Member.ID), q, "enrollments", memberEnrollmentsParam, es.Next)
	var (
		cov struct {
			Date     string           `json:"date"`
			Coverage []memberCoverage `json:"coverage"`
		}
		plans struct {
			Plans []memberPlan `json:"plans"`
		}
	)
	for _, q := range []struct {
		path string
		out  any
	}{{memberAPI(d.Member.ID) + "/coverage", &cov}, {enrollmentAPI + "/plans", &plans}} {
		if _, err := h.call(c, http.MethodGet, "enrollment", q.path, 0, nil, q.out); err != nil {
			h.Log.WarnContext(c, "member page without insurance", "path", q.path, "error", err)
			d.InsuranceError = true
			return
		}
	}
	today := clock.Today(h.Clock).Format(time.DateOnly)
	names := make(map[string]string, len(plans.Plans))
	for _, p := range plans.Plans {
		names[p.ID] = p.Name
		if p.Coverage.To >= today {
			d.Plans = append(d.Plans, p)
		}
	}
	for i := range es.Enrollments {
		es.Enrollments[i].PlanName = names[es.Enrollments[i].PlanID]
	}
	d.Enrollments, d.Coverage, d.CoverageOn = es.Enrollments, cov.Coverage, cov.Date
}

package members

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	enrollmentapi "github.com/anxin-welfare/anxin/api/client/enrollment"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// Pages of the member registry, over the enrollment service's generated
// client (api/openapi/enrollment.yaml).

// maxRoster bounds an uploaded roster: a county's whole roster is well
// under a megabyte; 5 MiB leaves room for XLSX overhead. (httpapi sizes
// the upload group's body cap from the same figure.)
const maxRoster = MaxRoster

// MaxRoster is maxRoster for the router, which sizes the upload forms body
// cap from it.
const MaxRoster = 5 << 20

type memberPlan struct {
	ID, Scheme string
	Year       int
	Name       string
	Coverage   memberPeriod
}

type membersData struct {
	Members []memberSummary
	Units   []unitView
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

func (a *area) registerMemberPages(g, uploads *gin.RouterGroup) {
	staff := a.RequireUser(domain.RoleCaseworker, domain.RoleAdmin)
	g.GET("/work/members", staff, a.membersPage)
	g.POST("/work/members", staff, a.registerMember)
	g.GET("/work/members/new", staff, a.newMemberPage)
	g.GET("/work/members/:id", staff, a.memberPage)
	g.POST("/work/members/:id", staff, a.updateMember)
	g.GET("/work/members/:id/edit", staff, a.editMemberPage)
	g.POST("/work/members/:id/status", staff, a.memberStatus)
	g.POST("/work/members/:id/death", staff, a.memberDeath)
	g.POST("/work/members/:id/dependants", staff, a.addMemberDependant)
	g.POST("/work/members/:id/dependants/:dependant_id/remove", staff, a.removeMemberDependant)
	g.POST("/work/members/:id/enrollments", staff, a.enrolMember)
	g.POST("/work/members/:id/enrollments/:enrollment_id/close", staff, a.closeMemberEnrollment)
	g.GET("/work/members/:id/beneficiaries/:scheme", staff, a.beneficiariesPage)
	g.POST("/work/members/:id/beneficiaries/:scheme", staff, a.saveBeneficiaries)
	g.GET("/work/roster", staff, a.rosterPage)
	uploads.POST("/work/roster", staff, a.rosterUpload)
}

// membersPageSize is the rows of one page of the member list.
const membersPageSize = 50

func (a *area) membersPage(c *gin.Context) {
	d := membersData{Unit: c.Query("unit"), Name: strings.TrimSpace(c.Query("name")), IDNumber: strings.TrimSpace(c.Query("id_number"))}
	limit := membersPageSize
	params := &enrollmentapi.ListMembersParams{Limit: &limit}
	if d.Unit != "" {
		// A unit that is no id is refused like any unit the registry does
		// not know: the list shows nothing.
		id := idOrNil(d.Unit)
		params.UnitId = &id
	}
	if d.Name != "" {
		params.Name = &d.Name
	}
	if d.IDNumber != "" {
		params.IdNumber = &d.IDNumber
	}
	status := c.Query("status")
	if slices.Contains(memberStatuses, status) {
		s := enrollmentapi.Status(status)
		params.Status = &s
	} else {
		status = ""
	}
	if after := c.Query("after"); after != "" {
		params.After = &after
	}
	d.Shown, _ = strconv.Atoi(c.Query("shown"))
	form := web.NewForm().Set("id_number", d.IDNumber).Set("name", d.Name)
	code := http.StatusOK
	api, err := a.Enrollment(c)
	if err != nil {
		a.ServiceFailed(c, err)
		return
	}
	next := ""
	r, err := api.ListMembersWithResponse(c.Request.Context(), params)
	if err == nil && r.JSON200 == nil {
		err = webkit.ErrUnexpected
	}
	switch st, p, refused := webkit.Refusal(err); {
	case err == nil:
		for _, m := range webkit.Deref(r.JSON200.Members) {
			d.Members = append(d.Members, summaryOf(m))
		}
		d.Total, next = webkit.Deref(r.JSON200.Total), webkit.Deref(r.JSON200.Next)
	case refused && st == http.StatusUnprocessableEntity && hasFieldProblem(p, "id_number"):
		// A number that cannot be an identity number: say why beside it.
		webkit.ProblemOnForm(err, form, nil)
		code = http.StatusUnprocessableEntity
	case refused && st == http.StatusUnprocessableEntity:
		// a filter the service refused (a unit id that is not one, a stale cursor): show nothing
	default:
		a.ServiceFailed(c, err)
		return
	}
	units, err := a.units(c)
	if err != nil {
		a.ServiceFailed(c, err)
		return
	}
	d.Units, d.UnitLabels = units, unitLabels(units)
	if d.Shown < 0 || c.Query("after") == "" {
		d.Shown = 0
	}
	d.Shown += len(d.Members)
	if next != "" {
		nq := url.Values{"after": {next}, "shown": {strconv.Itoa(d.Shown)}}
		for k, v := range map[string]string{"unit": d.Unit, "name": d.Name, "id_number": d.IDNumber, "status": status} {
			if v != "" {
				nq.Set(k, v)
			}
		}
		d.Next = template.URL("/work/members?" + nq.Encode()) //nolint:gosec // every part is encoded by url.Values
	}
	p := a.Page(c, "web.members.title")
	p.Data, p.Form = d, form
	a.Render(c, code, "members", p)
}

// hasFieldProblem reports whether a service's problem names field.
func hasFieldProblem(p webkit.Problem, field string) bool {
	return slices.ContainsFunc(p.Errors, func(fe webkit.FieldProblem) bool { return fe.Field == field })
}

// memberPath is the member's page.
func memberPath(id string) string { return "/work/members/" + url.PathEscape(id) }

// units reads every unit of the registry's tree the reader may list.
func (a *area) units(c *gin.Context) ([]unitView, error) {
	api, err := a.Enrollment(c)
	if err != nil {
		return nil, err
	}
	us, err := webkit.All(func(after *string) ([]enrollmentapi.Unit, *string, error) {
		r, err := api.ListUnitsWithResponse(c.Request.Context(), &enrollmentapi.ListUnitsParams{After: after, Limit: maxLimit()})
		if err != nil {
			return nil, nil, err
		}
		if r.JSON200 == nil {
			return nil, nil, webkit.ErrUnexpected
		}
		return r.JSON200.Units, r.JSON200.Next, nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]unitView, 0, len(us))
	for _, u := range us {
		out = append(out, unitOf(u))
	}
	return out, nil
}

// loadMember reads the member of the path, or shows why it cannot: an id
// that is none names no member (404, as the registry would say).
func (a *area) loadMember(c *gin.Context) (memberDetail, bool) {
	id, ok := a.PathID(c, "id")
	if !ok {
		return memberDetail{}, false
	}
	api, err := a.Enrollment(c)
	if err != nil {
		a.ServiceFailed(c, err)
		return memberDetail{}, false
	}
	r, err := api.GetMemberWithResponse(c.Request.Context(), id)
	if err == nil && r.JSON200 == nil {
		err = webkit.ErrUnexpected
	}
	if err != nil {
		a.ServiceFailed(c, err)
		return memberDetail{}, false
	}
	return detailOf(r.JSON200), true
}

// pageVersion is the member's version the page was rendered from: every
// change is sent with it as If-Match, so a change someone made in between
// is reported instead of overwritten.
func pageVersion(c *gin.Context) (int64, bool) {
	v, err := strconv.ParseInt(c.PostForm("version"), 10, 64)
	return v, err == nil && v >= 1
}

// unitLabels names each unit with its path from the top ("县委政法委 /
// 县公安局"), so two police stations of the same name stay apart.
func unitLabels(units []unitView) map[string]string {
	byID := make(map[string]unitView, len(units))
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
func memberUnitChoices(units []unitView, mine []string, keep string) []unitChoice {
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
	EnrollmentPages  webkit.Pager
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

// memberNotices are the notices the member page shows on ?m=….
var memberNotices = map[string]string{
	"registered": "web.members.registered", "saved": "web.members.saved",
	"dependant_added": "web.members.dependant_added", "dependant_removed": "web.members.dependant_removed",
	"death": "web.members.death_recorded", "status": "web.members.status_changed", "enrolled": "web.members.enrolled",
	"closed": "web.plans.closed", "beneficiaries": "web.members.beneficiaries_saved",
}

func (a *area) memberPage(c *gin.Context) {
	m, ok := a.loadMember(c)
	if !ok {
		return
	}
	a.renderMember(c, http.StatusOK, m, web.NewForm(), "", webkit.FlashOf(c, memberNotices), nil)
}

func (a *area) renderMember(c *gin.Context, status int, m memberDetail, form *web.Form, open string, flash, alert *web.Message) {
	d := memberPageData{Member: m, Open: open, Relations: memberOptions("web.members.relation.", dependantRelations),
		Causes: memberOptions("web.members.death_cause.", deathCauses), EndReasons: memberOptions("web.members.end_reason.", endReasons)}
	if m.Status == "active" {
		d.Statuses = memberOptions("web.members.status_to.", []string{"retired", "left"})
	} else {
		d.Statuses = memberOptions("web.members.status_to.", []string{"active"})
	}
	a.memberInsurance(c, &d)
	d.Records, d.Schemes = a.memberRecordsOf(c, m.ID), beneficiarySchemes
	p := a.Page(c, "web.members.member")
	a.WithUnitNames(c, p)
	p.Form, p.Data, p.Flash, p.Alert = form, d, flash, alert
	a.Render(c, status, "member", p)
}

// memberEnrollmentPage reads a page of the member's enrollments, oldest
// first, after the cursor after ("" for the first page).
func memberEnrollmentPage(c *gin.Context, api *enrollmentapi.ClientWithResponses, id, after string) ([]memberEnrollment, string, error) {
	limit := memberEnrollmentsShown
	params := &enrollmentapi.MemberEnrollmentsParams{Limit: &limit}
	if after != "" {
		params.After = &after
	}
	r, err := api.MemberEnrollmentsWithResponse(c.Request.Context(), idOrNil(id), params)
	if err != nil {
		return nil, "", err
	}
	if r.JSON200 == nil {
		return nil, "", webkit.ErrUnexpected
	}
	out := make([]memberEnrollment, 0, len(r.JSON200.Enrollments))
	for _, e := range r.JSON200.Enrollments {
		out = append(out, enrollmentOf(e))
	}
	return out, webkit.Deref(r.JSON200.Next), nil
}

// memberInsurance fills in the member's enrollments, today's cover and the
// plans open for enrolment. The page still shows the member when the
// insurance records cannot be read.
func (a *area) memberInsurance(c *gin.Context, d *memberPageData) {
	api, err := a.Enrollment(c)
	if err != nil {
		a.Log.WarnContext(c, "member page without insurance", "path", "enrollments", "error", err)
		d.InsuranceError = true
		return
	}
	// The enrollments come a page at a time, their cursor in the page's
	// own address; a form's POST shows the first page again.
	after := ""
	if c.Request.Method == http.MethodGet {
		after = c.Query(memberEnrollmentsParam)
	}
	es, next, err := memberEnrollmentPage(c, api, d.Member.ID, after)
	if err != nil && after != "" && webkit.StaleCursor(err) {
		d.EnrollmentsStale, after = true, ""
		es, next, err = memberEnrollmentPage(c, api, d.Member.ID, "")
	}
	if err != nil {
		a.Log.WarnContext(c, "member page without insurance", "path", "enrollments", "error", err)
		d.InsuranceError = true
		return
	}
	q := url.Values{}
	if after != "" {
		q.Set(memberEnrollmentsParam, after)
	}
	d.EnrollmentPages = a.PagerAt(c, memberPath(d.Member.ID), q, "enrollments", memberEnrollmentsParam, next)
	ctx := c.Request.Context()
	cov, err := api.MemberCoverageWithResponse(ctx, idOrNil(d.Member.ID), &enrollmentapi.MemberCoverageParams{})
	if err == nil && cov.JSON200 == nil {
		err = webkit.ErrUnexpected
	}
	if err != nil {
		a.Log.WarnContext(c, "member page without insurance", "path", "coverage", "error", err)
		d.InsuranceError = true
		return
	}
	plans, err := a.plans(c, nil, nil)
	if err != nil {
		a.Log.WarnContext(c, "member page without insurance", "path", "plans", "error", err)
		d.InsuranceError = true
		return
	}
	today := clock.Today(a.Clock).Format(time.DateOnly)
	names := make(map[string]string, len(plans))
	for _, p := range plans {
		names[p.ID] = p.Name
		if p.Coverage.To >= today {
			d.Plans = append(d.Plans, memberPlan{ID: p.ID, Scheme: p.Scheme, Year: p.Year, Name: p.Name, Coverage: p.Coverage})
		}
	}
	for i := range es {
		es[i].PlanName = names[es[i].PlanID]
	}
	d.Enrollments, d.CoverageOn = es, day(cov.JSON200.Date)
	for _, cv := range webkit.Deref(cov.JSON200.Coverage) {
		d.Coverage = append(d.Coverage, coverageOf(cv))
	}
}

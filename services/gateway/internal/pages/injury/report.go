package injury

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	injuryapi "github.com/anxin-welfare/anxin/api/client/injury"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// The report form of the green channel: a phone, a minute, no JavaScript.

// reportData feeds the report form.
type reportData struct {
	// Units are the units to choose from, by name, when the unit is not
	// known otherwise.
	Units []web.Option
	// OneUnit is the unit of the report when it is known: the injured
	// member's (a member reporting for themselves) or the reporter's only
	// unit. It is shown by name; nobody chooses it.
	OneUnit string
	// FromRecord says OneUnit was read from the member record.
	FromRecord bool
	Severities []web.Option
	// ForMember: the injured person is the user's member (an officer, or
	// the family of one): no name to type or find.
	ForMember bool
	// MemberName is that member's name, when enrollment told it.
	MemberName string
	// Find is the search for the injured member of staff reporting for
	// someone; Chosen the member chosen from it.
	Find   memberFind
	Chosen string
}

var severityOptions = []web.Option{
	{Value: "serious", Label: "web.injury.severity.serious"},
	{Value: "critical", Label: "web.injury.severity.critical"},
	{Value: "minor", Label: "web.injury.severity.minor"},
}

// reportsForSelf says u reports an injury of their own member: an officer
// themselves, a family member the officer they belong to.
func reportsForSelf(u *domain.User) bool {
	return u.MemberID != "" && u.Has(domain.RoleOfficer, domain.RoleFamily)
}

// selfUnit is the member u reports for (their own record, or the
// officer's for a family member) and that member's unit. The record is
// the truth; when enrollment does not answer (it is not routed, or does
// not show the record to this user), an account with a single unit gives
// it; otherwise unit is "" and the person is asked.
func (a *area) selfUnit(c *gin.Context, u *domain.User) (name, unit string, fromRecord bool) {
	m, err := a.enrollmentMember(c, u.MemberID)
	if err == nil && m.UnitID != "" {
		return m.Name, m.UnitID, true
	}
	if err != nil && !errors.Is(err, webkit.ErrNotRouted) {
		a.Log.InfoContext(c, "reporter's member record not read", "error", err)
	}
	if len(u.Units) == 1 {
		return "", u.Units[0], false
	}
	return "", "", false
}

// reportUnit is the unit a report is filed in: the one the form shows by
// name when there is one, else the one chosen.
func (a *area) reportUnit(c *gin.Context, u *domain.User, chosen string) string {
	if reportsForSelf(u) {
		if _, unit, _ := a.selfUnit(c, u); unit != "" {
			return unit
		}
		return chosen
	}
	if len(u.Units) == 1 {
		return u.Units[0]
	}
	return chosen
}

func (a *area) reportPage(c *gin.Context) {
	now := clock.Local(a.Clock.Now())
	form := web.NewForm().Set("injured_at", now.Format("2006-01-02T15:04")).Set("severity", "serious")
	status := http.StatusOK
	var find memberFind
	if !reportsForSelf(a.User(c)) {
		find = a.findMembers(c, c.Query("q"), c.Request.URL.Query().Has("q"))
		if find.Invalid {
			status = http.StatusUnprocessableEntity
		}
	}
	a.renderReport(c, status, form, find)
}

func (a *area) renderReport(c *gin.Context, status int, form *web.Form, find memberFind) {
	p := a.Page(c, "web.injury.report.title")
	p.Form = form
	a.WithUnitNames(c, p)
	u := a.User(c)
	d := reportData{Severities: severityOptions, ForMember: reportsForSelf(u), Find: find}
	if d.ForMember {
		d.MemberName, d.OneUnit, d.FromRecord = a.selfUnit(c, u)
	} else {
		if len(u.Units) == 1 {
			d.OneUnit = u.Units[0]
		}
		d.Chosen = form.Value("member_id")
		a.keepChosen(c, &d.Find, d.Chosen)
	}
	if d.OneUnit == "" {
		for _, id := range u.Units {
			d.Units = append(d.Units, web.Option{Value: id, Label: p.UnitName(id)})
		}
	}
	p.Data = d
	a.Render(c, status, "injury_report", p)
}

// optional is s as an optional member of a request: absent when "".
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// report opens a case in one step.
func (a *area) report(c *gin.Context) {
	u := a.User(c)
	form := webkit.PostedForm(c, "unit_id", "injured_at", "place", "description", "hospital", "severity", "unknown_name", "member_id", "q")
	req := injuryapi.OpenCase{
		UnitId: a.reportUnit(c, u, form.Value("unit_id")), InjuredAt: form.Value("injured_at"), Place: form.Value("place"),
		Description: form.Value("description"), Hospital: optional(form.Value("hospital")), Severity: injuryapi.Severity(form.Value("severity")),
	}
	if reportsForSelf(u) {
		req.MemberId = optional(u.MemberID)
	} else {
		req.MemberId, req.UnknownName = optional(form.Value("member_id")), optional(form.Value("unknown_name"))
	}
	created, err := a.openCase(c, req)
	if err != nil {
		if webkit.ProblemOnForm(err, form, nil) {
			// the search the member was chosen from, shown again
			var find memberFind
			if q := form.Value("q"); q != "" && !reportsForSelf(u) {
				find = a.findMembers(c, q, true)
			}
			a.renderReport(c, http.StatusUnprocessableEntity, form, find)
			return
		}
		a.ServiceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/cases/"+url.PathEscape(created)+"?m=reported")
}

// openCase opens the case and returns its id.
func (a *area) openCase(c *gin.Context, req injuryapi.OpenCase) (string, error) {
	api, err := a.Injury(c)
	if err != nil {
		return "", err
	}
	r, err := api.OpenCaseWithResponse(c.Request.Context(), req)
	if err != nil {
		return "", err
	}
	if r.JSON201 == nil {
		return "", webkit.ErrUnexpected
	}
	return r.JSON201.Id.String(), nil
}

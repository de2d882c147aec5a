package members

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/anxin-welfare/anxin/api/client"
	enrollmentapi "github.com/anxin-welfare/anxin/api/client/enrollment"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// The forms of the member page that change the record: its status, a
// death, dependants, and its enrolments.

// memberChange is one change the member page sends to the registry.
type memberChange struct {
	open   string            // the page's form it came from
	notice string            // the notice after it (memberNotices)
	form   *web.Form         // what was typed
	fields map[string]string // the registry's field names → the form's
	// send makes the change through the registry's client.
	send func(ctx context.Context, api *enrollmentapi.ClientWithResponses) (*http.Response, error)
}

// sendMemberChange sends ch. A refusal brings the page back with what was
// typed beside the form it came from; a change someone made in between
// brings the fresh record, says so, and keeps what was typed to send again.
func (a *area) sendMemberChange(c *gin.Context, ch memberChange) {
	api, err := a.Enrollment(c)
	if err == nil {
		err = webkit.Done(ch.send(c.Request.Context(), api)) //nolint:bodyclose // webkit.Done drains and closes it
	}
	if err == nil {
		c.Redirect(http.StatusSeeOther, memberPath(c.Param("id"))+"?m="+ch.notice)
		return
	}
	var alert *web.Message
	status := webkit.StatusOf(err)
	switch {
	case webkit.VersionMismatch(err):
		alert = webkit.Flash("web.members.changed")
	case webkit.ProblemOnForm(err, ch.form, ch.fields):
	default:
		a.ServiceFailed(c, err)
		return
	}
	if m, ok := a.loadMember(c); ok {
		a.renderMember(c, status, m, ch.form, ch.open, nil, alert)
	}
}

// checkDate requires field to be a YYYY-MM-DD date.
func checkDate(form *web.Form, field string) {
	if _, err := time.Parse(time.DateOnly, form.Value(field)); err != nil {
		form.AddError(field, web.Msg("web.members.date_invalid"))
	}
}

// formDate is the checked date of field (checkDate said so if it is none).
func formDate(form *web.Form, field string) openapi_types.Date {
	d, _ := parsedDate(form.Value(field))
	return d
}

// checkChoice requires field to be one of values.
func checkChoice(form *web.Form, field string, values []string) {
	if !slices.Contains(values, form.Value(field)) {
		form.AddError(field, web.Msg("web.members.choose_one"))
	}
}

// memberConfirmData is the confirmation step of a death or status change:
// what will be recorded, in words, and one button to record it.
type memberConfirmData struct {
	Member  memberDetail
	Action  string // the path segment the form posts to
	Version int64
	Text    web.Message
	Effect  string
	Button  string
	Hidden  []webkit.HiddenField
}

// confirmMemberChange checks a death or status form and shows what it will
// record, or the member page with what is wrong. A version that is stale
// already shows the fresh record at once.
func (a *area) confirmMemberChange(c *gin.Context, form *web.Form, version int64, d memberConfirmData, text func(m memberDetail) web.Message) {
	m, ok := a.loadMember(c)
	if !ok {
		return
	}
	if form.HasErrors() {
		a.renderMember(c, http.StatusUnprocessableEntity, m, form, d.Action, nil, nil)
		return
	}
	if m.Version != version {
		a.renderMember(c, http.StatusConflict, m, form, d.Action, nil, webkit.Flash("web.members.changed"))
		return
	}
	d.Member, d.Version, d.Text = m, version, text(m)
	p := a.Page(c, "web.members.confirm_title")
	p.Data = d
	a.Render(c, http.StatusOK, "member_confirm", p)
}

// memberID is the member of the path as the client takes it; an id that is
// none names no member, which the registry answers as such.
func memberID(c *gin.Context) enrollmentapi.ID { return idOrNil(c.Param("id")) }

// memberDeath records a death with its cause, after a confirmation step.
func (a *area) memberDeath(c *gin.Context) {
	version, ok := pageVersion(c)
	if !ok {
		a.ErrorPage(c, http.StatusBadRequest, "web.error.400")
		return
	}
	form := web.NewForm().Set("death_date", strings.TrimSpace(c.PostForm("death_date"))).Set("death_cause", c.PostForm("death_cause"))
	checkDate(form, "death_date")
	checkChoice(form, "death_cause", deathCauses)
	if form.HasErrors() || c.PostForm("confirm") == "" {
		cause := i18n.T(a.Lang(c), "web.members.death_cause."+form.Value("death_cause"))
		a.confirmMemberChange(c, form, version, memberConfirmData{Action: "death", Effect: "web.members.confirm_death_effect",
			Button: "web.members.confirm_death_button",
			Hidden: []webkit.HiddenField{{Name: "death_date", Value: form.Value("death_date")}, {Name: "death_cause", Value: form.Value("death_cause")}}},
			func(m memberDetail) web.Message {
				return web.Msg("web.members.confirm_death", m.Name, form.Value("death_date"), cause)
			})
		return
	}
	body := enrollmentapi.RecordDeathJSONRequestBody{Date: formDate(form, "death_date"), Cause: enrollmentapi.DeathCause(form.Value("death_cause"))}
	a.sendMemberChange(c, memberChange{open: "death", notice: "death", form: form,
		fields: map[string]string{"date": "death_date", "cause": "death_cause"},
		send: func(ctx context.Context, api *enrollmentapi.ClientWithResponses) (*http.Response, error) {
			return api.RecordDeath(ctx, memberID(c), &enrollmentapi.RecordDeathParams{IfMatch: client.Tag(version)}, body)
		}})
}

// memberStatus records a retirement, a leaving or a rehire, after a
// confirmation step.
func (a *area) memberStatus(c *gin.Context) {
	version, ok := pageVersion(c)
	if !ok {
		a.ErrorPage(c, http.StatusBadRequest, "web.error.400")
		return
	}
	form := web.NewForm().Set("status", c.PostForm("status")).Set("status_date", strings.TrimSpace(c.PostForm("status_date")))
	checkChoice(form, "status", []string{"retired", "left", "active"})
	checkDate(form, "status_date")
	if form.HasErrors() || c.PostForm("confirm") == "" {
		d := memberConfirmData{Action: "status", Button: "web.members.confirm_status_button",
			Hidden: []webkit.HiddenField{{Name: "status", Value: form.Value("status")}, {Name: "status_date", Value: form.Value("status_date")}}}
		if form.Value("status") != "active" {
			d.Effect = "web.members.confirm_status_effect"
		}
		to := i18n.T(a.Lang(c), "web.members.status_to."+form.Value("status"))
		a.confirmMemberChange(c, form, version, d, func(m memberDetail) web.Message {
			return web.Msg("web.members.confirm_status", m.Name, form.Value("status_date"), to)
		})
		return
	}
	body := enrollmentapi.ChangeStatusJSONRequestBody{Status: enrollmentapi.ChangeStatusJSONBodyStatus(form.Value("status")), Date: formDate(form, "status_date")}
	a.sendMemberChange(c, memberChange{open: "status", notice: "status", form: form,
		fields: map[string]string{"date": "status_date"},
		send: func(ctx context.Context, api *enrollmentapi.ClientWithResponses) (*http.Response, error) {
			return api.ChangeStatus(ctx, memberID(c), &enrollmentapi.ChangeStatusParams{IfMatch: client.Tag(version)}, body)
		}})
}

func (a *area) addMemberDependant(c *gin.Context) {
	version, ok := pageVersion(c)
	if !ok {
		a.ErrorPage(c, http.StatusBadRequest, "web.error.400")
		return
	}
	form := webkit.PostedForm(c, "relation", "dep_name", "dep_id_number", "dep_phone")
	body := enrollmentapi.AddDependantJSONRequestBody{Relation: enrollmentapi.DependantInputRelation(form.Value("relation")),
		Name: form.Value("dep_name"), IdNumber: form.Value("dep_id_number")}
	if phone := form.Value("dep_phone"); phone != "" {
		body.Phone = &phone
	}
	a.sendMemberChange(c, memberChange{open: "dependant", notice: "dependant_added", form: form,
		fields: map[string]string{"name": "dep_name", "id_number": "dep_id_number", "phone": "dep_phone"},
		send: func(ctx context.Context, api *enrollmentapi.ClientWithResponses) (*http.Response, error) {
			return api.AddDependant(ctx, memberID(c), &enrollmentapi.AddDependantParams{IfMatch: client.Tag(version)}, body)
		}})
}

// removeMemberDependant removes a dependant, after a confirmation step
// that names them.
func (a *area) removeMemberDependant(c *gin.Context) {
	version, ok := pageVersion(c)
	if !ok {
		a.ErrorPage(c, http.StatusBadRequest, "web.error.400")
		return
	}
	if c.PostForm("confirm") == "" {
		m, ok := a.loadMember(c)
		if !ok {
			return
		}
		i := slices.IndexFunc(m.Dependants, func(d memberDependant) bool { return d.ID == c.Param("dependant_id") })
		if i < 0 {
			a.ErrorPage(c, http.StatusNotFound, "web.error.404")
			return
		}
		if m.Version != version {
			a.renderMember(c, http.StatusConflict, m, web.NewForm(), "dependant", nil, webkit.Flash("web.members.changed"))
			return
		}
		p := a.Page(c, "web.members.confirm_title")
		p.Data = memberConfirmData{Member: m, Version: version, Action: "dependants/" + url.PathEscape(m.Dependants[i].ID) + "/remove",
			Text:   web.Msg("web.plans.confirm_remove_dependant", m.Name, m.Dependants[i].Name),
			Effect: "web.plans.confirm_remove_effect", Button: "web.plans.confirm_remove_button"}
		a.Render(c, http.StatusOK, "member_confirm", p)
		return
	}
	a.sendMemberChange(c, memberChange{open: "dependant", notice: "dependant_removed", form: web.NewForm(),
		send: func(ctx context.Context, api *enrollmentapi.ClientWithResponses) (*http.Response, error) {
			return api.RemoveDependant(ctx, memberID(c), idOrNil(c.Param("dependant_id")), &enrollmentapi.RemoveDependantParams{IfMatch: client.Tag(version)})
		}})
}

// enrolMember enrols the member in one plan from a day to the end of the
// plan's cover (the registry refuses an overlap or an ineligible member).
func (a *area) enrolMember(c *gin.Context) {
	form := web.NewForm().Set("plan_id", c.PostForm("plan_id")).Set("start", strings.TrimSpace(c.PostForm("start")))
	if form.Value("plan_id") == "" {
		form.AddError("plan_id", web.Msg("web.members.choose_one"))
	}
	checkDate(form, "start")
	if form.HasErrors() {
		if m, ok := a.loadMember(c); ok {
			a.renderMember(c, http.StatusUnprocessableEntity, m, form, "enrol", nil, nil)
		}
		return
	}
	body := enrollmentapi.EnrollJSONRequestBody{MemberId: memberID(c), PlanId: idOrNil(form.Value("plan_id")), Start: formDate(form, "start")}
	a.sendMemberChange(c, memberChange{open: "enrol", notice: "enrolled", form: form,
		fields: map[string]string{"member_id": "plan_id"},
		send: func(ctx context.Context, api *enrollmentapi.ClientWithResponses) (*http.Response, error) {
			return api.Enroll(ctx, body)
		}})
}

// endReasons are why an enrollment may be closed (the registry's EndReason).
var endReasons = []string{"non_payment", "ineligible", "member_left", "member_retired", "member_deceased", "ended_by_request"}

// closeMemberEnrollment lapses or ends one of the member's enrollments
// with its last covered day, at the enrollment's version the page showed.
func (a *area) closeMemberEnrollment(c *gin.Context) {
	version, err := strconv.ParseInt(c.PostForm("enrollment_version"), 10, 64)
	if err != nil || version < 1 {
		a.ErrorPage(c, http.StatusBadRequest, "web.error.400")
		return
	}
	id := c.Param("enrollment_id")
	form := web.NewForm().Set("close_enrollment", id).Set("last_day", strings.TrimSpace(c.PostForm("last_day"))).
		Set("end_reason", c.PostForm("end_reason"))
	checkDate(form, "last_day")
	checkChoice(form, "end_reason", endReasons)
	if form.HasErrors() {
		if m, ok := a.loadMember(c); ok {
			a.renderMember(c, http.StatusUnprocessableEntity, m, form, "close-"+id, nil, nil)
		}
		return
	}
	body := enrollmentapi.CloseEnrollmentJSONRequestBody{LastDay: formDate(form, "last_day"), Reason: enrollmentapi.EndReason(form.Value("end_reason"))}
	a.sendMemberChange(c, memberChange{open: "close-" + id, notice: "closed", form: form,
		fields: map[string]string{"reason": "end_reason"},
		send: func(ctx context.Context, api *enrollmentapi.ClientWithResponses) (*http.Response, error) {
			return api.CloseEnrollment(ctx, idOrNil(id), &enrollmentapi.CloseEnrollmentParams{IfMatch: client.Tag(version)}, body)
		}})
}

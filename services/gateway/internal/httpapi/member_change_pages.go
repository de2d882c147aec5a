package httpapi

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// memberChange is one change the member page sends to the registry.
type memberChange struct {
	open    string            // the page's form it came from
	notice  string            // the notice after it (memberNotices)
	form    *web.Form         // what was typed
	fields  map[string]string // the registry's field names → the form's
	method  string
	path    string
	ifMatch int64 // the version the page showed; 0 for none
	body    any
}

// sendMemberChange sends ch. A refusal brings the page back with what was
// typed beside the form it came from; a change someone made in between
// brings the fresh record, says so, and keeps what was typed to send again.
func (h *handlers) sendMemberChange(c *gin.Context, ch memberChange) {
	_, err := h.call(c, ch.method, "enrollment", ch.path, ch.ifMatch, ch.body, nil)
	if err == nil {
		c.Redirect(http.StatusSeeOther, memberPath(c.Param("id"))+"?m="+ch.notice)
		return
	}
	var alert *web.Message
	status := statusOf(err)
	switch {
	case versionMismatch(err):
		msg := web.Msg("web.members.changed")
		alert = &msg
	case problemOnForm(err, ch.form, ch.fields):
	default:
		h.serviceFailed(c, err)
		return
	}
	if m, ok := h.loadMember(c); ok {
		h.renderMember(c, status, m, ch.form, ch.open, nil, alert)
	}
}

// checkDate requires field to be a YYYY-MM-DD date.
func checkDate(form *web.Form, field string) {
	if _, err := time.Parse(time.DateOnly, form.Value(field)); err != nil {
		form.AddError(field, web.Msg("web.members.date_invalid"))
	}
}

// checkChoice requires field to be one of values.
func checkChoice(form *web.Form, field string, values []string) {
	if !slices.Contains(values, form.Value(field)) {
		form.AddError(field, web.Msg("web.members.choose_one"))
	}
}

// hiddenField carries a checked value through the confirmation step.
type hiddenField struct {
	Name  string
	Value string
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
	Hidden  []hiddenField
}

// confirmMemberChange checks a death or status form and shows what it will
// record, or the member page with what is wrong. A version that is stale
// already shows the fresh record at once.
func (h *handlers) confirmMemberChange(c *gin.Context, form *web.Form, version int64, d memberConfirmData, text func(m memberDetail) web.Message) {
	m, ok := h.loadMember(c)
	if !ok {
		return
	}
	if form.HasErrors() {
		h.renderMember(c, http.StatusUnprocessableEntity, m, form, d.Action, nil, nil)
		return
	}
	if m.Version != version {
		alert := web.Msg("web.members.changed")
		h.renderMember(c, http.StatusConflict, m, form, d.Action, nil, &alert)
		return
	}
	d.Member, d.Version, d.Text = m, version, text(m)
	p := h.page(c, "web.members.confirm_title")
	p.Data = d
	h.render(c, http.StatusOK, "member_confirm", p)
}

// memberDeath records a death with its cause, after a confirmation step.
func (h *handlers) memberDeath(c *gin.Context) {
	version, ok := pageVersion(c)
	if !ok {
		h.errorPage(c, http.StatusBadRequest, "web.error.400")
		return
	}
	form := web.NewForm().Set("death_date", strings.TrimSpace(c.PostForm("death_date"))).Set("death_cause", c.PostForm("death_cause"))
	checkDate(form, "death_date")
	checkChoice(form, "death_cause", deathCauses)
	if form.HasErrors() || c.PostForm("confirm") == "" {
		cause := i18n.T(lang(c), "web.members.death_cause."+form.Value("death_cause"))
		h.confirmMemberChange(c, form, version, memberConfirmData{Action: "death", Effect: "web.members.confirm_death_effect",
			Button: "web.members.confirm_death_button",
			Hidden: []hiddenField{{"death_date", form.Value("death_date")}, {"death_cause", form.Value("death_cause")}}},
			func(m memberDetail) web.Message {
				return web.Msg("web.members.confirm_death", m.Name, form.Value("death_date"), cause)
			})
		return
	}
	h.sendMemberChange(c, memberChange{open: "death", notice: "death", form: form,
		fields: map[string]string{"date": "death_date", "cause": "death_cause"},
		method: http.MethodPost, path: memberAPI(c.Param("id")) + "/death", ifMatch: version,
		body: map[string]string{"date": form.Value("death_date"), "cause": form.Value("death_cause")}})
}

// memberStatus records a retirement, a leaving or a rehire, after a
// confirmation step.
func (h *handlers) memberStatus(c *gin.Context) {
	version, ok := pageVersion(c)
	if !ok {
		h.errorPage(c, http.StatusBadRequest, "web.error.400")
		return
	}
	form := web.NewForm().Set("status", c.PostForm("status")).Set("status_date", strings.TrimSpace(c.PostForm("status_date")))
	checkChoice(form, "status", []string{"retired", "left", "active"})
	checkDate(form, "status_date")
	if form.HasErrors() || c.PostForm("confirm") == "" {
		d := memberConfirmData{Action: "status", Button: "web.members.confirm_status_button",
			Hidden: []hiddenField{{"status", form.Value("status")}, {"status_date", form.Value("status_date")}}}
		if form.Value("status") != "active" {
			d.Effect = "web.members.confirm_status_effect"
		}
		to := i18n.T(lang(c), "web.members.status_to."+form.Value("status"))
		h.confirmMemberChange(c, form, version, d, func(m memberDetail) web.Message {
			return web.Msg("web.members.confirm_status", m.Name, form.Value("status_date"), to)
		})
		return
	}
	h.sendMemberChange(c, memberChange{open: "status", notice: "status", form: form,
		fields: map[string]string{"date": "status_date"},
		method: http.MethodPost, path: memberAPI(c.Param("id")) + "/status", ifMatch: version,
		body: map[string]string{"status": form.Value("status"), "date": form.Value("status_date")}})
}

func (h *handlers) addMemberDependant(c *gin.Context) {
	version, ok := pageVersion(c)
	if !ok {
		h.errorPage(c, http.StatusBadRequest, "web.error.400")
		return
	}
	form := web.NewForm()
	for _, f := range []string{"relation", "dep_name", "dep_id_number", "dep_phone"} {
		form.Set(f, strings.TrimSpace(c.PostForm(f)))
	}
	h.sendMemberChange(c, memberChange{open: "dependant", notice: "dependant_added", form: form,
		fields: map[string]string{"name": "dep_name", "id_number": "dep_id_number", "phone": "dep_phone"},
		method: http.MethodPost, path: memberAPI(c.Param("id")) + "/dependants", ifMatch: version,
		body: map[string]string{"relation": form.Value("relation"), "name": form.Value("dep_name"),
			"id_number": form.Value("dep_id_number"), "phone": form.Value("dep_phone")}})
}

// removeMemberDependant removes a dependant, after a confirmation step
// that names them.
func (h *handlers) removeMemberDependant(c *gin.Context) {
	version, ok := pageVersion(c)
	if !ok {
		h.errorPage(c, http.StatusBadRequest, "web.error.400")
		return
	}
	if c.PostForm("confirm") == "" {
		m, ok := h.loadMember(c)
		if !ok {
			return
		}
		i := slices.IndexFunc(m.Dependants, func(d memberDependant) bool { return d.ID == c.Param("dependant_id") })
		if i < 0 {
			h.errorPage(c, http.StatusNotFound, "web.error.404")
			return
		}
		if m.Version != version {
			alert := web.Msg("web.members.changed")
			h.renderMember(c, http.StatusConflict, m, web.NewForm(), "dependant", nil, &alert)
			return
		}
		p := h.page(c, "web.members.confirm_title")
		p.Data = memberConfirmData{Member: m, Version: version, Action: "dependants/" + url.PathEscape(m.Dependants[i].ID) + "/remove",
			Text:   web.Msg("web.plans.confirm_remove_dependant", m.Name, m.Dependants[i].Name),
			Effect: "web.plans.confirm_remove_effect", Button: "web.plans.confirm_remove_button"}
		h.render(c, http.StatusOK, "member_confirm", p)
		return
	}
	h.sendMemberChange(c, memberChange{open: "dependant", notice: "dependant_removed", form: web.NewForm(),
		method: http.MethodDelete, path: memberAPI(c.Param("id")) + "/dependants/" + url.PathEscape(c.Param("dependant_id")), ifMatch: version})
}

// enrolMember enrols the member in one plan from a day to the end of the
// plan's cover (the registry refuses an overlap or an ineligible member).
func (h *handlers) enrolMember(c *gin.Context) {
	form := web.NewForm().Set("plan_id", c.PostForm("plan_id")).Set("start", strings.TrimSpace(c.PostForm("start")))
	if form.Value("plan_id") == "" {
		form.AddError("plan_id", web.Msg("web.members.choose_one"))
	}
	checkDate(form, "start")
	if form.HasErrors() {
		if m, ok := h.loadMember(c); ok {
			h.renderMember(c, http.StatusUnprocessableEntity, m, form, "enrol", nil, nil)
		}
		return
	}
	h.sendMemberChange(c, memberChange{open: "enrol", notice: "enrolled", form: form,
		fields: map[string]string{"member_id": "plan_id"},
		method: http.MethodPost, path: enrollmentAPI + "/enrollments",
		body: map[string]string{"member_id": c.Param("id"), "plan_id": form.Value("plan_id"), "start": form.Value("start")}})
}

// endReasons are why an enrollment may be closed (the registry's EndReason).
var endReasons = []string{"non_payment", "ineligible", "member_left", "member_retired", "member_deceased", "ended_by_request"}

// closeMemberEnrollment lapses or ends one of the member's enrollments
// with its last covered day, at the enrollment's version the page showed.
func (h *handlers) closeMemberEnrollment(c *gin.Context) {
	version, err := strconv.ParseInt(c.PostForm("enrollment_version"), 10, 64)
	if err != nil || version < 1 {
		h.errorPage(c, http.StatusBadRequest, "web.error.400")
		return
	}
	id := c.Param("enrollment_id")
	form := web.NewForm().Set("close_enrollment", id).Set("last_day", strings.TrimSpace(c.PostForm("last_day"))).
		Set("end_reason", c.PostForm("end_reason"))
	checkDate(form, "last_day")
	checkChoice(form, "end_reason", endReasons)
	if form.HasErrors() {
		if m, ok := h.loadMember(c); ok {
			h.renderMember(c, http.StatusUnprocessableEntity, m, form, "close-"+id, nil, nil)
		}
		return
	}
	h.sendMemberChange(c, memberChange{open: "close-" + id, notice: "closed", form: form,
		fields: map[string]string{"reason": "end_reason"},
		method: http.MethodPost, path: enrollmentAPI + "/enrollments/" + url.PathEscape(id) + "/close", ifMatch: version,
		body: map[string]string{"last_day": form.Value("last_day"), "reason": form.Value("end_reason")}})
}

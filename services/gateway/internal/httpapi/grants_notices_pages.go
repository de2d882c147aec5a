package httpapi

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/store"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// The caseworker's queue of grants notices (grants.yaml: listNotices,
// dismissNotice, createApplication with notice_id). The grants service
// opens a notice by itself when an event makes someone eligible — an
// officer graded disabled on duty, a dependant of an officer who died on
// duty — and nothing is paid until a caseworker turns it into an
// application for a person, or dismisses it with a reason.

// grantNotice is one notice of GET /notices.
type grantNotice struct {
	ID          string    `json:"id"`
	ProgramID   string    `json:"program_id"`
	MemberID    string    `json:"member_id"`
	DependantID string    `json:"dependant_id"`
	UnitID      string    `json:"unit_id"`
	EventRef    string    `json:"event_ref"`
	Grade       int       `json:"grade"`
	Cause       string    `json:"cause"`
	EventDate   string    `json:"event_date"`
	State       string    `json:"state"`
	CreatedAt   time.Time `json:"created_at"`
}

var noticeStates = []string{"open", "converted", "dismissed"}

// noticeView is a notice with its program's name and, for the notice
// whose form was refused, what was typed and what was wrong.
type noticeView struct {
	grantNotice
	Program       string
	MemberName    string // empty when enrollment could not say
	DependantName string
	Relation      string
	EventKey      string // catalogue key of the event's kind; empty for one unknown here
	EventLink     string // the injury case's page, for an injury event
	Failed        string // "convert" or "dismiss"
	Form          *web.Form
	// Accounts are the active officer and family accounts linked to the
	// notice's member (or dependant), offered as the applicant; the
	// caseworker may also prepare it themselves (applicantSelf).
	Accounts []noticeAccount
	// Chosen is the applicant chosen on a refused form.
	Chosen string
}

// noticeAccount is a gateway account a notice can be converted for.
type noticeAccount struct {
	ID, Username, Name string
	Role               string // the catalogue key of its role
}

// applicantSelf is the applicant choice "no account: the caseworker
// prepares the application".
const applicantSelf = "caseworker"

// linkedAccounts lists the active officer and family accounts linked to
// the notice's member or dependant, by username.
func (h *handlers) linkedAccounts(c *gin.Context, n grantNotice) ([]*domain.User, error) {
	var out []*domain.User
	active := false
	for _, member := range []string{n.MemberID, n.DependantID} {
		if member == "" {
			continue
		}
		users, err := h.Accounts.Users(c.Request.Context(), store.UserFilter{MemberID: member, Disabled: &active, Limit: 50})
		if err != nil {
			return nil, err
		}
		for _, u := range users {
			if u.Has(domain.RoleOfficer, domain.RoleFamily) {
				out = append(out, u)
			}
		}
	}
	return out, nil
}

// noticeMember is the part of enrollment's GET /members/{id} that names
// a notice's member and dependant.
type noticeMember struct {
	Name       string `json:"name"`
	Dependants []struct {
		ID       string `json:"id"`
		Name     string `json:"name"`
		Relation string `json:"relation"`
	} `json:"dependants"`
}

// memberNames asks enrollment for the members of the notices, once each:
// a caseworker recognises a name, not an id. A member enrollment does not
// answer for is shown by id.
func (h *handlers) memberNames(c *gin.Context, notices []grantNotice) map[string]noticeMember {
	out := map[string]noticeMember{}
	if !h.Upstreams.Has("enrollment") {
		return out
	}
	for _, n := range notices {
		if _, seen := out[n.MemberID]; seen || n.MemberID == "" {
			continue
		}
		var m noticeMember
		if _, err := h.call(c, http.MethodGet, "enrollment", enrollmentAPI+"/members/"+url.PathEscape(n.MemberID), 0, nil, &m); err != nil {
			h.Log.DebugContext(c, "notice member not named", "member", n.MemberID, "error", err)
		}
		out[n.MemberID] = m
	}
	return out
}

// noticesData feeds the notices page.
type noticesData struct {
	Notices []noticeView
	State   string
	States  []string
	// Pages links the next page and the first; Stale: the cursor was
	// refused and the first page shows.
	Pages pager
	Stale bool
}

func (h *handlers) registerNoticePages(g *gin.RouterGroup) {
	cw := h.requireUser(domain.RoleCaseworker)
	g.GET("/work/notices", cw, h.noticesPage)
	g.POST("/work/notices/:id/convert", cw, h.noticeConvert)
	g.POST("/work/notices/:id/dismiss", cw, h.noticeDismiss)
}

var noticeFlash = map[string]string{"dismissed": "web.notices.dismissed"}

func (h *handlers) noticesPage(c *gin.Context) {
	var flash *web.Message
	if key, ok := noticeFlash[c.Query("m")]; ok {
		m := web.Msg(key)
		flash = &m
	}
	h.renderNotices(c, http.StatusOK, "", "", nil, flash)
}

// listNotices is the notices in state, as the service lists them for
// this caseworker (their units only).
func (h *handlers) listNotices(c *gin.Context, state, after string, limit int) (listPage[grantNotice], error) {
	var list listPage[grantNotice]
	q := url.Values{"state": {state}}
	if after != "" {
		q.Set("after", after)
	}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	_, err := h.call(c, http.MethodGet, "grants", grantsAPI+"/notices?"+q.Encode(), 0, nil, &list)
	return list, err
}

// renderNotices shows the queue; failedID and action name the notice
// whose form holds form's values and errors.
func (h *handlers) renderNotices(c *gin.Context, status int, failedID, action string, form *web.Form, flash *web.Message) {
	state := c.Query("state")
	if !slices.Contains(noticeStates, state) {
		state = "open"
	}
	// A page at a time, the oldest first; the cursor travels in after. A
	// form's POST shows the first page again.
	after := ""
	if c.Request.Method == http.MethodGet {
		after = c.Query("after")
	}
	list, err := h.listNotices(c, state, after, 0)
	stale := false
	if err != nil && after != "" && staleCursor(err) {
		stale = true
		list, err = h.listNotices(c, state, "", 0)
	}
	if err != nil {
		h.serviceFailed(c, err)
		return
	}
	items := list.Items
	names, members := h.programNames(c, ""), h.memberNames(c, items)
	d := noticesData{State: state, States: noticeStates, Stale: stale}
	pq := url.Values{}
	if after != "" {
		pq.Set("after", after)
	}
	if state != "open" {
		pq.Set("state", state)
	}
	d.Pages = pagerAt(c, "/work/notices", pq, "notices", "after", list.Next)
	accounts := map[string][]noticeAccount{} // by member and dependant
	for _, n := range items {
		if n.State != "open" {
			continue
		}
		key := n.MemberID + "/" + n.DependantID
		if _, seen := accounts[key]; seen {
			continue
		}
		users, err := h.linkedAccounts(c, n)
		if err != nil {
			h.fail(c, err)
			return
		}
		list := []noticeAccount{}
		for _, u := range users {
			role := "gateway.role.family"
			if u.Has(domain.RoleOfficer) {
				role = "gateway.role.officer"
			}
			list = append(list, noticeAccount{ID: u.ID, Username: u.Username, Name: u.DisplayName, Role: role})
		}
		accounts[key] = list
	}
	for _, n := range items {
		m := members[n.MemberID]
		v := noticeView{grantNotice: n, Program: names[n.ProgramID], MemberName: m.Name}
		switch kind, id, _ := strings.Cut(n.EventRef, ":"); kind {
		case "injury_case":
			v.EventKey, v.EventLink = "web.notices.event.injury_case", "/cases/"+url.PathEscape(id)
		case "death":
			v.EventKey = "web.notices.event.death"
		}
		for _, dep := range m.Dependants {
			if dep.ID == n.DependantID {
				v.DependantName, v.Relation = dep.Name, dep.Relation
			}
		}
		if v.Program == "" {
			v.Program = n.ProgramID
		}
		v.Accounts = accounts[n.MemberID+"/"+n.DependantID]
		if n.ID == failedID {
			v.Failed, v.Form = action, form
			if action == "convert" {
				v.Chosen = form.Value("applicant")
			}
		}
		d.Notices = append(d.Notices, v)
	}
	p := h.page(c, "web.notices.title")
	p.Data, p.Flash = d, flash
	h.render(c, status, "notices", p)
}

// openNotice finds the open notice the form is about among the
// caseworker's; ok is false when it is not theirs or not open (the page
// was shown as 404).
func (h *handlers) openNotice(c *gin.Context) (grantNotice, bool) {
	// The service has no read of one notice: look through the open ones,
	// the largest pages first (a caseworker's open notices are few).
	after := ""
	for {
		list, err := h.listNotices(c, "open", after, page.MaxLimit)
		if err != nil {
			h.serviceFailed(c, err)
			return grantNotice{}, false
		}
		if i := slices.IndexFunc(list.Items, func(n grantNotice) bool { return n.ID == c.Param("id") }); i >= 0 {
			return list.Items[i], true
		}
		if list.Next == "" {
			h.errorPage(c, http.StatusNotFound, "web.error.404")
			return grantNotice{}, false
		}
		after = list.Next
	}
}

// noticeConvert turns an open notice into a draft application for the
// applicant the caseworker chose: one of the accounts linked to the
// notice's member or dependant, or "no account", when the caseworker
// prepares it themselves for the person. The notice's facts (program,
// member, dependant, event) fill the rest on the service's side.
func (h *handlers) noticeConvert(c *gin.Context) {
	n, ok := h.openNotice(c)
	if !ok {
		return
	}
	chosen := strings.TrimSpace(c.PostForm("applicant"))
	form := web.NewForm().Set("applicant", chosen)
	var body map[string]any
	switch chosen {
	case "":
		form.AddError("applicant", web.Msg("web.grantnotice.applicant_required"))
	case applicantSelf:
		// the person has no account: the caseworker applies on their behalf,
		// named as enrollment knows them
		m := h.memberNames(c, []grantNotice{n})[n.MemberID]
		name := m.Name
		for _, dep := range m.Dependants {
			if n.DependantID != "" && dep.ID == n.DependantID {
				name = dep.Name
			}
		}
		body = map[string]any{"notice_id": n.ID, "applicant_user_id": currentUser(c).ID, "applicant_name": name}
	default:
		applicant, err := h.Accounts.User(c.Request.Context(), chosen)
		switch {
		case errors.Is(err, store.ErrNotFound):
			form.AddError("applicant", web.Msg("web.notices.applicant_unknown"))
		case err != nil:
			h.fail(c, err)
			return
		case !applicant.DisabledAt.IsZero() || !applicant.Has(domain.RoleOfficer, domain.RoleFamily):
			form.AddError("applicant", web.Msg("web.notices.applicant_unknown"))
		case applicant.MemberID == "" || (applicant.MemberID != n.MemberID && applicant.MemberID != n.DependantID):
			form.AddError("applicant", web.Msg("web.notices.applicant_unrelated"))
		default:
			body = map[string]any{"notice_id": n.ID, "applicant_user_id": applicant.ID, "applicant_name": applicant.DisplayName}
		}
	}
	if form.HasErrors() {
		h.renderNotices(c, http.StatusUnprocessableEntity, n.ID, "convert", form, nil)
		return
	}
	var app grantApplication
	if _, err := h.call(c, http.MethodPost, "grants", grantsAPI+"/applications", 0, body, &app); err != nil {
		if problemOnForm(err, form, map[string]string{"applicant_user_id": "applicant", "applicant_name": "applicant"}) {
			h.renderNotices(c, statusOf(err), n.ID, "convert", form, nil)
			return
		}
		h.serviceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/grants/applications/"+url.PathEscape(app.ID)+"?m=draft")
}

// noticeDismiss closes an open notice with the caseworker's reason.
func (h *handlers) noticeDismiss(c *gin.Context) {
	n, ok := h.openNotice(c)
	if !ok {
		return
	}
	reason := strings.TrimSpace(c.PostForm("reason"))
	form := web.NewForm().Set("reason", reason)
	if reason == "" {
		form.AddError("reason", web.Msg("web.notices.reason_required"))
		h.renderNotices(c, http.StatusUnprocessableEntity, n.ID, "dismiss", form, nil)
		return
	}
	if _, err := h.call(c, http.MethodPost, "grants", grantsAPI+"/notices/"+url.PathEscape(n.ID)+"/dismiss", 0, map[string]string{"reason": reason}, nil); err != nil {
		if problemOnForm(err, form, nil) {
			h.renderNotices(c, statusOf(err), n.ID, "dismiss", form, nil)
			return
		}
		h.serviceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/work/notices?m=dismissed")
}

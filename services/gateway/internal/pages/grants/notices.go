package grants

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	grantsapi "github.com/anxin-welfare/anxin/api/client/grants"
	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/store"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// The caseworker's queue of grants notices (grants.yaml: listNotices,
// dismissNotice, createApplication with notice_id). The grants service
// opens a notice by itself when an event makes someone eligible — an
// officer graded disabled on duty, a dependant of an officer who died on
// duty — and nothing is paid until a caseworker turns it into an
// application for a person, or dismisses it with a reason.

// grantNotice is one notice as the page shows it.
type grantNotice struct {
	ID          string
	ProgramID   string
	MemberID    string
	DependantID string
	UnitID      string
	EventRef    string
	Grade       int
	Cause       string
	EventDate   string
	State       string
	CreatedAt   time.Time
}

func noticeOf(n grantsapi.Notice) grantNotice {
	v := grantNotice{ID: n.Id, ProgramID: n.ProgramId, MemberID: n.MemberId, DependantID: webkit.Deref(n.DependantId), UnitID: n.UnitId,
		EventRef: n.EventRef, Grade: webkit.Deref(n.Grade), Cause: webkit.Deref(n.Cause), State: string(webkit.Deref(n.State)), CreatedAt: webkit.Deref(n.CreatedAt)}
	if n.EventDate != nil {
		v.EventDate = n.EventDate.String()
	}
	return v
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
func (a *area) linkedAccounts(c *gin.Context, n grantNotice) ([]*domain.User, error) {
	var out []*domain.User
	active := false
	for _, member := range []string{n.MemberID, n.DependantID} {
		if member == "" || a.Accounts == nil {
			continue
		}
		users, err := a.Accounts.Users(c.Request.Context(), store.UserFilter{MemberID: member, Disabled: &active, Limit: 50})
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

// noticeMember names a notice's member and their dependants, as
// enrollment registered them.
type noticeMember struct {
	Name       string
	Dependants []noticeDependant
}

type noticeDependant struct {
	ID, Name, Relation string
}

// memberNames asks enrollment for the members of the notices, once each:
// a caseworker recognises a name, not an id. A member enrollment does not
// answer for is shown by id.
func (a *area) memberNames(c *gin.Context, notices []grantNotice) map[string]noticeMember {
	out := map[string]noticeMember{}
	if !a.Routed("enrollment") {
		return out
	}
	for _, n := range notices {
		if _, seen := out[n.MemberID]; seen || n.MemberID == "" {
			continue
		}
		m, err := a.member(c, n.MemberID)
		if err != nil {
			a.Log.DebugContext(c, "notice member not named", "member", n.MemberID, "error", err)
		}
		out[n.MemberID] = m
	}
	return out
}

// member reads one member's name and dependants from enrollment.
func (a *area) member(c *gin.Context, id string) (noticeMember, error) {
	mid, ok := uuidOf(id)
	if !ok {
		return noticeMember{}, webkit.ErrUnexpected
	}
	api, err := a.Enrollment(c)
	if err != nil {
		return noticeMember{}, err
	}
	r, err := api.GetMemberWithResponse(c.Request.Context(), mid)
	if err != nil || r.JSON200 == nil {
		return noticeMember{}, orUnexpected(err)
	}
	m := noticeMember{Name: r.JSON200.Name}
	for _, d := range webkit.Deref(r.JSON200.Dependants) {
		dep := noticeDependant{Name: webkit.Deref(d.Name), Relation: string(webkit.Deref(d.Relation))}
		if d.Id != nil {
			dep.ID = d.Id.String()
		}
		m.Dependants = append(m.Dependants, dep)
	}
	return m, nil
}

// noticesData feeds the notices page.
type noticesData struct {
	Notices []noticeView
	State   string
	States  []string
	// Pages links the next page and the first; Stale: the cursor was
	// refused and the first page shows.
	Pages webkit.Pager
	Stale bool
}

var noticeFlash = map[string]string{"dismissed": "web.notices.dismissed"}

func (a *area) noticesPage(c *gin.Context) {
	a.renderNotices(c, http.StatusOK, "", "", nil, webkit.FlashOf(c, noticeFlash))
}

// listNotices is a page of the notices in state, as the service lists
// them for this caseworker (their units only), and the next page's cursor.
func (a *area) listNotices(c *gin.Context, state, after string, limit int) ([]grantNotice, string, error) {
	api, err := a.Grants(c)
	if err != nil {
		return nil, "", err
	}
	st := grantsapi.ListNoticesParamsState(state)
	params := &grantsapi.ListNoticesParams{State: &st}
	if after != "" {
		params.After = &after
	}
	if limit > 0 {
		params.Limit = &limit
	}
	r, err := api.ListNoticesWithResponse(c.Request.Context(), params)
	if err != nil || r.JSON200 == nil {
		return nil, "", orUnexpected(err)
	}
	var out []grantNotice
	for _, n := range r.JSON200.Items {
		out = append(out, noticeOf(n))
	}
	return out, r.JSON200.Next, nil
}

// renderNotices shows the queue; failedID and action name the notice
// whose form holds form's values and errors.
func (a *area) renderNotices(c *gin.Context, status int, failedID, action string, form *web.Form, flash *web.Message) {
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
	items, next, err := a.listNotices(c, state, after, 0)
	stale := false
	if err != nil && after != "" && webkit.StaleCursor(err) {
		stale = true
		items, next, err = a.listNotices(c, state, "", 0)
	}
	if err != nil {
		a.ServiceFailed(c, err)
		return
	}
	names, members := a.programNames(c), a.memberNames(c, items)
	d := noticesData{State: state, States: noticeStates, Stale: stale}
	pq := url.Values{}
	if after != "" {
		pq.Set("after", after)
	}
	if state != "open" {
		pq.Set("state", state)
	}
	d.Pages = a.PagerAt(c, "/work/notices", pq, "notices", "after", next)
	accounts := map[string][]noticeAccount{} // by member and dependant
	for _, n := range items {
		if n.State != "open" {
			continue
		}
		key := n.MemberID + "/" + n.DependantID
		if _, seen := accounts[key]; seen {
			continue
		}
		users, err := a.linkedAccounts(c, n)
		if err != nil {
			a.Fail(c, err)
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
	p := a.Page(c, "web.notices.title")
	p.Data, p.Flash = d, flash
	a.Render(c, status, "notices", p)
}

// openNotice finds the open notice the form is about among the
// caseworker's; ok is false when it is not theirs or not open (the page
// was shown as 404).
func (a *area) openNotice(c *gin.Context) (grantNotice, bool) {
	// The service has no read of one notice: look through the open ones,
	// the largest pages first (a caseworker's open notices are few).
	after := ""
	for {
		items, next, err := a.listNotices(c, "open", after, page.MaxLimit)
		if err != nil {
			a.ServiceFailed(c, err)
			return grantNotice{}, false
		}
		if i := slices.IndexFunc(items, func(n grantNotice) bool { return n.ID == c.Param("id") }); i >= 0 {
			return items[i], true
		}
		if next == "" {
			a.ErrorPage(c, http.StatusNotFound, "web.error.404")
			return grantNotice{}, false
		}
		after = next
	}
}

// noticeConvert turns an open notice into a draft application for the
// applicant the caseworker chose: one of the accounts linked to the
// notice's member or dependant, or "no account", when the caseworker
// prepares it themselves for the person. The notice's facts (program,
// member, dependant, event) fill the rest on the service's side.
func (a *area) noticeConvert(c *gin.Context) {
	n, ok := a.openNotice(c)
	if !ok {
		return
	}
	chosen := strings.TrimSpace(c.PostForm("applicant"))
	form := web.NewForm().Set("applicant", chosen)
	var applicantID, applicantName string
	switch chosen {
	case "":
		form.AddError("applicant", web.Msg("web.grantnotice.applicant_required"))
	case applicantSelf:
		// the person has no account: the caseworker applies on their behalf,
		// named as enrollment knows them
		m := a.memberNames(c, []grantNotice{n})[n.MemberID]
		name := m.Name
		for _, dep := range m.Dependants {
			if n.DependantID != "" && dep.ID == n.DependantID {
				name = dep.Name
			}
		}
		applicantID, applicantName = a.User(c).ID, name
	default:
		if a.Accounts == nil {
			form.AddError("applicant", web.Msg("web.notices.applicant_unknown"))
			break
		}
		applicant, err := a.Accounts.User(c.Request.Context(), chosen)
		switch {
		case errors.Is(err, store.ErrNotFound):
			form.AddError("applicant", web.Msg("web.notices.applicant_unknown"))
		case err != nil:
			a.Fail(c, err)
			return
		case !applicant.DisabledAt.IsZero() || !applicant.Has(domain.RoleOfficer, domain.RoleFamily):
			form.AddError("applicant", web.Msg("web.notices.applicant_unknown"))
		case applicant.MemberID == "" || (applicant.MemberID != n.MemberID && applicant.MemberID != n.DependantID):
			form.AddError("applicant", web.Msg("web.notices.applicant_unrelated"))
		default:
			applicantID, applicantName = applicant.ID, applicant.DisplayName
		}
	}
	if form.HasErrors() {
		a.renderNotices(c, http.StatusUnprocessableEntity, n.ID, "convert", form, nil)
		return
	}
	// The notice names the programme; the service takes it from there.
	pid, _ := uuidOf(n.ProgramID)
	in := grantsapi.ApplicationInput{ProgramId: pid, NoticeId: &n.ID, ApplicantUserId: &applicantID, ApplicantName: &applicantName}
	api, err := a.Grants(c)
	var created *grantsapi.Application
	if err == nil {
		var r *grantsapi.CreateApplicationResponse
		if r, err = api.CreateApplicationWithResponse(c.Request.Context(), in); err == nil {
			if created = r.JSON201; created == nil {
				err = webkit.ErrUnexpected
			}
		}
	}
	if err != nil {
		if webkit.ProblemOnForm(err, form, map[string]string{"applicant_user_id": "applicant", "applicant_name": "applicant"}) {
			a.renderNotices(c, webkit.StatusOf(err), n.ID, "convert", form, nil)
			return
		}
		a.ServiceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/grants/applications/"+url.PathEscape(created.Id.String())+"?m=draft")
}

// noticeDismiss closes an open notice with the caseworker's reason.
func (a *area) noticeDismiss(c *gin.Context) {
	n, ok := a.openNotice(c)
	if !ok {
		return
	}
	reason := strings.TrimSpace(c.PostForm("reason"))
	form := web.NewForm().Set("reason", reason)
	if reason == "" {
		form.AddError("reason", web.Msg("web.notices.reason_required"))
		a.renderNotices(c, http.StatusUnprocessableEntity, n.ID, "dismiss", form, nil)
		return
	}
	api, err := a.Grants(c)
	if err == nil {
		err = webkit.Done(api.DismissNotice(c.Request.Context(), n.ID, grantsapi.Reason{Reason: reason})) //nolint:bodyclose // webkit.Done drains and closes it
	}
	if err != nil {
		if webkit.ProblemOnForm(err, form, nil) {
			a.renderNotices(c, webkit.StatusOf(err), n.ID, "dismiss", form, nil)
			return
		}
		a.ServiceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/work/notices?m=dismissed")
}

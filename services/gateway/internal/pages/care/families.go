package care

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/api/client"
	grantsapi "github.com/anxin-welfare/anxin/api/client/grants"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/store"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// The staff's pages of families: the list with the overdue queue, a
// family's record, pairing its liaisons, and the committee's summary.

// after is the cursor of a list's page, nil for the first.
func after(v string) *string {
	if v == "" {
		return nil
	}
	return &v
}

type familyCareListData struct {
	Families   []careFamily
	Overdue    []careQueueItem
	Pages      webkit.Pager
	QueuePages webkit.Pager // the overdue visits' own pages (?qafter)
}

// queueScreen is how many overdue visits the list gathers before it
// offers "next page", and queueCalls how many of the service's pages of
// families it reads for them at most per view.
const (
	queueScreen = 20
	queueCalls  = 5
)

// careQueue reads the overdue queue from after: the service pages by
// family, so a page can hold no overdue visit; it follows next until it
// has a screenful, reaches the end, or has read queueCalls pages, and
// returns where to go on from.
func (a *area) careQueue(c *gin.Context, api *grantsapi.ClientWithResponses, from string) ([]careQueueItem, string, error) {
	var items []careQueueItem
	for range queueCalls {
		r, err := api.CareQueueWithResponse(c.Request.Context(), &grantsapi.CareQueueParams{After: after(from)})
		if err == nil && r.JSON200 == nil {
			err = webkit.ErrUnexpected
		}
		if err != nil {
			return nil, "", err
		}
		for _, it := range r.JSON200.Items {
			q := careQueueItem{RecordID: id(it.RecordId), UnitID: webkit.Deref(it.UnitId), SubjectName: webkit.Deref(it.SubjectName), Masked: webkit.Deref(it.Masked)}
			if it.Visit != nil {
				q.Visit = plannedOf(*it.Visit)
			}
			items = append(items, q)
		}
		from = r.JSON200.Next
		if from == "" || len(items) >= queueScreen {
			break
		}
	}
	return items, from, nil
}

func (a *area) familyCareList(c *gin.Context) {
	q := url.Values{}
	if v := c.Query("after"); v != "" {
		q.Set("after", v)
	}
	api, err := a.Grants(c)
	var list *grantsapi.ListCareRecordsResponse
	if err == nil {
		list, err = api.ListCareRecordsWithResponse(c.Request.Context(), &grantsapi.ListCareRecordsParams{After: after(c.Query("after"))})
	}
	if err == nil && list.JSON200 == nil {
		err = webkit.ErrUnexpected
	}
	if err != nil {
		a.ServiceFailed(c, err)
		return
	}
	overdue, qnext, err := a.careQueue(c, api, c.Query("qafter"))
	if err != nil {
		a.ServiceFailed(c, err)
		return
	}
	if qa := c.Query("qafter"); qa != "" {
		q.Set("qafter", qa)
	}
	d := familyCareListData{Overdue: overdue}
	for _, f := range list.JSON200.Items {
		d.Families = append(d.Families, familyOfItem(f))
	}
	fq := maps.Clone(q)
	fq.Del("qafter")
	d.Pages = a.PagerAt(c, "/work/family-care", fq, "families", "after", list.JSON200.Next)
	d.QueuePages = a.PagerAt(c, "/work/family-care", q, "overdue", "qafter", qnext)
	p := a.Page(c, "web.fcare.list_title")
	p.Data = d
	a.WithUnitNames(c, p)
	a.Render(c, http.StatusOK, "family_care_list", p)
}

// careCandidate is a user who can be paired with a family as a liaison.
type careCandidate struct{ ID, Name, Username string }

// careAssign is the form pairing a liaison of Role with the family.
type careAssign struct {
	Role, UserField, PhoneField string
	Candidates                  []careCandidate
}

type familyCareRecordData struct {
	Family careFamily
	// Assign are the forms pairing the unit's users as liaisons, for
	// someone who may assign (none otherwise).
	Assign     []careAssign
	CanApply   bool
	Failed     string // the form that was refused: "leader", "caseworker", "matter", a matter's id
	MatterForm matterForm
}

var familyCareFlash = map[string]string{"visit": "web.fcare.visit_saved", "liaison": "web.fcare.liaison_saved", "matter": "web.fcare.matter_saved",
	"resolved": "web.fcare.matter_resolved", "progress": "web.fcare.progress_saved", "photo": "web.fcare.photo_saved"}

func (a *area) familyCareRecord(c *gin.Context) {
	flash := webkit.FlashOf(c, familyCareFlash)
	f, ok := a.loadFamily(c)
	if !ok {
		return
	}
	form := web.NewForm()
	failed := ""
	if photoFailure(c, f, form) {
		failed = "photo-" + c.Query("photo_failed")
	}
	a.renderFamilyCareOf(c, f, http.StatusOK, failed, form, flash)
}

// loadFamily reads the family's record of the path, or answers the page
// as the service meant its refusal.
func (a *area) loadFamily(c *gin.Context) (careFamily, bool) {
	api, err := a.Grants(c)
	var r *grantsapi.GetCareRecordResponse
	if err == nil {
		r, err = api.GetCareRecordWithResponse(c.Request.Context(), c.Param("id"))
	}
	if err == nil && r.JSON200 == nil {
		err = webkit.ErrUnexpected
	}
	if err != nil {
		a.ServiceFailed(c, err)
		return careFamily{}, false
	}
	return familyOfRecord(*r.JSON200), true
}

func (a *area) renderFamilyCare(c *gin.Context, status int, failed string, form *web.Form, flash *web.Message) {
	f, ok := a.loadFamily(c)
	if !ok {
		return
	}
	a.renderFamilyCareOf(c, f, status, failed, form, flash)
}

// renderFamilyCareOf shows the family's record f; failed names the form
// that was refused ("leader", "caseworker", "matter", a matter's id, or
// "photo-" and a visit's id).
func (a *area) renderFamilyCareOf(c *gin.Context, f careFamily, status int, failed string, form *web.Form, flash *web.Message) {
	u := a.User(c)
	d := familyCareRecordData{Family: f, Failed: failed, CanApply: u.Has(domain.RoleCaseworker) && slices.Contains(u.Units, f.UnitID)}
	if u.Has(domain.RoleApprover) || (u.Has(domain.RoleCaseworker) && slices.Contains(u.Units, f.UnitID)) {
		for _, as := range []struct {
			role string
			of   domain.Role
		}{{"leader", domain.RoleUnitHead}, {"caseworker", domain.RoleCaseworker}} {
			cands, err := a.careCandidates(c, as.of, f.UnitID)
			if err != nil {
				a.Fail(c, err)
				return
			}
			d.Assign = append(d.Assign, careAssign{Role: as.role, UserField: as.role + "_user", PhoneField: as.role + "_phone", Candidates: cands})
		}
	}
	if form == nil {
		form = web.NewForm()
	}
	p := a.Page(c, "web.fcare.record_title")
	d.MatterForm = matterForm{P: p, ID: f.ID, Action: "/work/family-care/" + f.ID + "/matters", Persons: f.Persons, Kinds: careMatterKinds,
		Topics: careTopics, Show: failed == "matter"}
	p.Data, p.Form, p.Flash = d, form, flash
	a.WithUnitNames(c, p)
	a.Render(c, status, "family_care_record", p)
}

// careCandidates lists the active users of role in unit.
func (a *area) careCandidates(c *gin.Context, role domain.Role, unit string) ([]careCandidate, error) {
	active := false
	users, err := a.Accounts.Users(c.Request.Context(), store.UserFilter{Role: role, Unit: unit, Disabled: &active, Limit: 100})
	if err != nil {
		return nil, err
	}
	out := make([]careCandidate, 0, len(users))
	for _, u := range users {
		out = append(out, careCandidate{ID: u.ID, Name: u.DisplayName, Username: u.Username})
	}
	return out, nil
}

func (a *area) familyCareAssign(c *gin.Context) {
	role := c.Param("role")
	if role != "leader" && role != "caseworker" {
		a.ErrorPage(c, http.StatusNotFound, "web.error.404")
		return
	}
	f, ok := a.loadFamily(c)
	if !ok {
		return
	}
	form := web.NewForm().Set(role+"_user", c.PostForm("user")).Set(role+"_phone", strings.TrimSpace(c.PostForm("phone")))
	body := grantsapi.AssignCareLiaisonJSONRequestBody{Phone: form.Value(role + "_phone")}
	chosen := strings.TrimSpace(c.PostForm("user"))
	if chosen == "" {
		form.AddError(role+"_user", web.Msg("web.fcare.user_required"))
	} else {
		wantRole := domain.RoleCaseworker
		if role == "leader" {
			wantRole = domain.RoleUnitHead
		}
		u, err := a.Accounts.User(c.Request.Context(), chosen)
		if err != nil || !u.DisabledAt.IsZero() || !u.Has(wantRole) || !slices.Contains(u.Units, f.UnitID) {
			form.AddError(role+"_user", web.Msg("web.fcare.user_required"))
		} else {
			body.UserId, body.Name = u.ID, u.DisplayName
		}
	}
	if form.HasErrors() {
		a.renderFamilyCare(c, http.StatusUnprocessableEntity, role, form, nil)
		return
	}
	api, err := a.Grants(c)
	if err == nil {
		//nolint:bodyclose // webkit.Done drains and closes it
		err = webkit.Done(api.AssignCareLiaison(c.Request.Context(), f.ID, role, &grantsapi.AssignCareLiaisonParams{IfMatch: client.Tag(f.Version)}, body))
	}
	if err != nil {
		if webkit.ProblemOnForm(err, form, map[string]string{"phone": role + "_phone", "user_id": role + "_user", "name": role + "_user"}) {
			a.renderFamilyCare(c, webkit.StatusOf(err), role, form, nil)
			return
		}
		a.ServiceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/work/family-care/"+url.PathEscape(f.ID)+"?m=liaison")
}

// familyCareSummaryData feeds the committee's summary page.
type familyCareSummaryData struct {
	Units     []careUnitSummary
	Total     careUnitSummary
	AsOf      string
	CanExport bool // the committee may download the families' CSV
}

func (a *area) familyCareSummary(c *gin.Context) {
	api, err := a.Grants(c)
	var r *grantsapi.CareSummaryResponse
	if err == nil {
		r, err = api.CareSummaryWithResponse(c.Request.Context())
	}
	if err == nil && r.JSON200 == nil {
		err = webkit.ErrUnexpected
	}
	if err != nil {
		a.ServiceFailed(c, err)
		return
	}
	s := r.JSON200
	d := familyCareSummaryData{Total: summaryOf(s.Total), AsOf: day(s.AsOf),
		CanExport: a.User(c).Has(domain.RoleApprover) || a.User(c).Has(domain.RoleLeader)}
	if s.Units != nil {
		for i := range *s.Units {
			d.Units = append(d.Units, summaryOf(&(*s.Units)[i]))
		}
	}
	p := a.Page(c, "web.fcare.summary_title")
	p.Data = d
	a.WithUnitNames(c, p)
	a.Render(c, http.StatusOK, "family_care_summary", p)
}

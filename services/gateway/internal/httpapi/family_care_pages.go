package httpapi

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/store"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// Family care (关爱) pages over the grants service's /care API
// (api/openapi/grants.yaml): the liaison's list of families with the next
// visit due and the overdue queue, a family's record (liaisons, plan,
// visits, matters), the visit form made for a phone during the visit, the
// family's own view, and the committee's summary by unit. Who sees which
// family is the service's rule (404 for anyone outside the family's
// circle); the pages only gate by role what no family's circle includes.

type careLiaison struct {
	Role     string `json:"role"`
	RoleText string `json:"role_text"`
	UserID   string `json:"user_id"`
	Name     string `json:"name"`
	Phone    string `json:"phone"`
}

type carePlanned struct {
	Occasion     string `json:"occasion"`
	OccasionText string `json:"occasion_text"`
	Year         int    `json:"year"`
	Date         string `json:"date"`
	OpensOn      string `json:"opens_on"`
	DueOn        string `json:"due_on"`
	Status       string `json:"status"`
	StatusText   string `json:"status_text"`
	VisitedOn    string `json:"visited_on"`
}

type carePrompt struct {
	Name      string `json:"name"`
	StageText string `json:"stage_text"`
	EntryOn   string `json:"entry_on"`
}

type careMatter struct {
	ID            string `json:"id"`
	KindText      string `json:"kind_text"`
	Kind          string `json:"kind"`
	TopicText     string `json:"topic_text"`
	PersonName    string `json:"person_name"`
	Summary       string `json:"summary"`
	HandlerName   string `json:"handler_name"`
	DueOn         string `json:"due_on"`
	Overdue       bool   `json:"overdue"`
	State         string `json:"state"`
	StateText     string `json:"state_text"`
	Outcome       string `json:"outcome"`
	ApplicationID string `json:"application_id"`
	Version       int64  `json:"version"`
	Timeline      []struct {
		Kind      string    `json:"kind"`
		ActorName string    `json:"actor_name"`
		Text      string    `json:"text"`
		At        time.Time `json:"at"`
	} `json:"timeline"`
}

type careVisit struct {
	ID           string   `json:"id"`
	Occasion     string   `json:"occasion"`
	VisitedOn    string   `json:"visited_on"`
	Visitors     []string `json:"visitors"`
	GivenTotal   int64    `json:"given_total"`
	FamilyRaised string   `json:"family_raised"`
	Given        []struct {
		Description string `json:"description"`
		Amount      int64  `json:"amount"`
	} `json:"given"`
	Photos []struct {
		FileName    string `json:"file_name"`
		DownloadURL string `json:"download_url"`
	} `json:"photos"`
}

// careFamily is a family as the list and the record show it.
type careFamily struct {
	ID            string        `json:"id"`
	UnitID        string        `json:"unit_id"`
	Kind          string        `json:"kind"`
	KindText      string        `json:"kind_text"`
	SubjectName   string        `json:"subject_name"`
	Liaisons      []careLiaison `json:"liaisons"`
	NextVisit     *carePlanned  `json:"next_visit"`
	OverdueVisits int           `json:"overdue_visits"`
	OpenMatters   int           `json:"open_matters"`
	SchoolPrompts []carePrompt  `json:"school_prompts"`
	Version       int64         `json:"version"`
	DiedOn        string        `json:"died_on"`
	Persons       []carePerson  `json:"persons"`
	Plan          []carePlanned `json:"plan"`
	Visits        []careVisit   `json:"visits"`
	Matters       []careMatter  `json:"matters"`
}

type carePerson struct {
	ID           string `json:"id"`
	RelationText string `json:"relation_text"`
	Relation     string `json:"relation"`
	Name         string `json:"name"`
	BirthDate    string `json:"birth_date"`
}

// matterForm feeds the shared "carematterform" template.
type matterForm struct {
	P       *web.Page
	ID      string // the family's record, to keep the fields' ids unique
	Action  string
	Persons []carePerson
	Kinds   []string
	Topics  []string
	Show    bool // the refused form is this one: show its values and errors
}

// careAssign is the form pairing a liaison of Role with the family.
type careAssign struct {
	Role, UserField, PhoneField string
	Candidates                  []careCandidate
}

type careQueueItem struct {
	RecordID    string      `json:"record_id"`
	UnitID      string      `json:"unit_id"`
	SubjectName string      `json:"subject_name"`
	Masked      bool        `json:"masked"`
	Visit       carePlanned `json:"visit"`
}

const careAPI = grantsAPI + "/care"

func (h *handlers) registerFamilyCarePages(g, documents *gin.RouterGroup) {
	staff := h.requireUser(domain.RoleCaseworker, domain.RoleUnitHead, domain.RoleApprover, domain.RoleLeader)
	family := h.requireUser(domain.RoleOfficer, domain.RoleFamily)
	g.GET("/family-care", family, h.familyCareMine)
	g.POST("/family-care/:id/matters", family, h.familyCareRaise)
	// a liaison can be any staff user: the service decides who sees a family
	g.GET("/work/family-care", staff, h.familyCareList)
	g.GET("/work/family-care/summary", h.requireUser(domain.RoleApprover, domain.RoleLeader, domain.RoleAdmin), h.familyCareSummary)
	g.GET("/work/family-care/export", h.requireUser(domain.RoleApprover, domain.RoleLeader), h.familyCareExport)
	g.GET("/work/family-care/:id", h.requireUser(), h.familyCareRecord)
	g.GET("/work/family-care/:id/visit", h.requireUser(), h.familyCareVisitForm)
	documents.POST("/work/family-care/:id/visit", h.requireUser(), h.familyCareVisit)
	documents.POST("/work/family-care/:id/visits/:visit/photos", h.requireUser(), h.familyCareAddPhoto)
	g.POST("/work/family-care/:id/liaisons/:role", h.requireUser(domain.RoleCaseworker, domain.RoleApprover), h.familyCareAssign)
	g.POST("/work/family-care/:id/matters", h.requireUser(), h.familyCareRaise)
	g.POST("/work/family-care/:id/matters/:matter/application", h.requireUser(domain.RoleCaseworker), h.familyCareApplication)
	g.POST("/work/family-care/:id/matters/:matter/progress", h.requireUser(), h.familyCareProgress)
	g.POST("/work/family-care/:id/matters/:matter/resolve", h.requireUser(), h.familyCareResolve)
}

type familyCareListData struct {
	Families   []careFamily
	Overdue    []careQueueItem
	Pages      pager
	QueuePages pager // the overdue visits' own pages (?qafter)
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
func (h *handlers) careQueue(c *gin.Context, after string) ([]careQueueItem, string, error) {
	var items []careQueueItem
	for range queueCalls {
		q := url.Values{}
		if after != "" {
			q.Set("after", after)
		}
		var pg listPage[careQueueItem]
		if _, err := h.call(c, http.MethodGet, "grants", careAPI+"/queue?"+q.Encode(), 0, nil, &pg); err != nil {
			return nil, "", err
		}
		items, after = append(items, pg.Items...), pg.Next
		if after == "" || len(items) >= queueScreen {
			break
		}
	}
	return items, after, nil
}

func (h *handlers) familyCareList(c *gin.Context) {
	q := url.Values{}
	if after := c.Query("after"); after != "" {
		q.Set("after", after)
	}
	var list listPage[careFamily]
	if _, err := h.call(c, http.MethodGet, "grants", careAPI+"/records?"+q.Encode(), 0, nil, &list); err != nil {
		h.serviceFailed(c, err)
		return
	}
	overdue, qnext, err := h.careQueue(c, c.Query("qafter"))
	if err != nil {
		h.serviceFailed(c, err)
		return
	}
	if qa := c.Query("qafter"); qa != "" {
		q.Set("qafter", qa)
	}
	d := familyCareListData{Families: list.Items, Overdue: overdue}
	fq := maps.Clone(q)
	fq.Del("qafter")
	d.Pages = pagerAt(c, "/work/family-care", fq, "families", "after", list.Next)
	d.QueuePages = pagerAt(c, "/work/family-care", q, "overdue", "qafter", qnext)
	p := h.page(c, "web.fcare.list_title")
	p.Data = d
	h.withUnitNames(c, p)
	h.render(c, http.StatusOK, "family_care_list", p)
}

// careCandidate is a user who can be paired with a family as a liaison.
type careCandidate struct{ ID, Name, Username string }

type familyCareRecordData struct {
	Family careFamily
	// Assign are the forms pairing the unit's users as liaisons, for
	// someone who may assign (none otherwise).
	Assign     []careAssign
	CanApply   bool
	Failed     string // the form that was refused: "leader", "caseworker", "matter", a matter's id
	MatterForm matterForm
}

var careMatterKinds = []string{"schooling", "employment", "medical", "housing", "legal", "other"}
var careTopics = []string{"", "enrolment", "transfer", "tuition", "exam_bonus", "placement", "training"}

var familyCareFlash = map[string]string{"visit": "web.fcare.visit_saved", "liaison": "web.fcare.liaison_saved", "matter": "web.fcare.matter_saved",
	"resolved": "web.fcare.matter_resolved", "progress": "web.fcare.progress_saved", "photo": "web.fcare.photo_saved"}

func (h *handlers) familyCareRecord(c *gin.Context) {
	var flash *web.Message
	if key, ok := familyCareFlash[c.Query("m")]; ok {
		m := web.Msg(key)
		flash = &m
	}
	f, ok := h.loadFamily(c)
	if !ok {
		return
	}
	form := web.NewForm()
	failed := ""
	if photoFailure(c, f, form) {
		failed = "photo-" + c.Query("photo_failed")
	}
	h.renderFamilyCareOf(c, f, http.StatusOK, failed, form, flash)
}

func (h *handlers) loadFamily(c *gin.Context) (careFamily, bool) {
	var f careFamily
	if _, err := h.call(c, http.MethodGet, "grants", careAPI+"/records/"+url.PathEscape(c.Param("id")), 0, nil, &f); err != nil {
		h.serviceFailed(c, err)
		return f, false
	}
	return f, true
}

func (h *handlers) renderFamilyCare(c *gin.Context, status int, failed string, form *web.Form, flash *web.Message) {
	f, ok := h.loadFamily(c)
	if !ok {
		return
	}
	h.renderFamilyCareOf(c, f, status, failed, form, flash)
}

// renderFamilyCareOf shows the family's record f; failed names the form
// that was refused ("leader", "caseworker", "matter", a matter's id, or
// "photo-" and a visit's id).
func (h *handlers) renderFamilyCareOf(c *gin.Context, f careFamily, status int, failed string, form *web.Form, flash *web.Message) {
	u := currentUser(c)
	d := familyCareRecordData{Family: f, Failed: failed, CanApply: u.Has(domain.RoleCaseworker) && slices.Contains(u.Units, f.UnitID)}
	if u.Has(domain.RoleApprover) || (u.Has(domain.RoleCaseworker) && slices.Contains(u.Units, f.UnitID)) {
		for _, a := range []struct {
			role string
			of   domain.Role
		}{{"leader", domain.RoleUnitHead}, {"caseworker", domain.RoleCaseworker}} {
			cands, err := h.careCandidates(c, a.of, f.UnitID)
			if err != nil {
				h.fail(c, err)
				return
			}
			d.Assign = append(d.Assign, careAssign{Role: a.role, UserField: a.role + "_user", PhoneField: a.role + "_phone", Candidates: cands})
		}
	}
	if form == nil {
		form = web.NewForm()
	}
	p := h.page(c, "web.fcare.record_title")
	d.MatterForm = matterForm{P: p, ID: f.ID, Action: "/work/family-care/" + f.ID + "/matters", Persons: f.Persons, Kinds: careMatterKinds,
		Topics: careTopics, Show: failed == "matter"}
	p.Data, p.Form, p.Flash = d, form, flash
	h.withUnitNames(c, p)
	h.render(c, status, "family_care_record", p)
}

// careCandidates lists the active users of role in unit.
func (h *handlers) careCandidates(c *gin.Context, role domain.Role, unit string) ([]careCandidate, error) {
	active := false
	users, err := h.Accounts.Users(c.Request.Context(), store.UserFilter{Role: role, Unit: unit, Disabled: &active, Limit: 100})
	if err != nil {
		return nil, err
	}
	out := make([]careCandidate, 0, len(users))
	for _, u := range users {
		out = append(out, careCandidate{ID: u.ID, Name: u.DisplayName, Username: u.Username})
	}
	return out, nil
}

func (h *handlers) familyCareAssign(c *gin.Context) {
	role := c.Param("role")
	if role != "leader" && role != "caseworker" {
		h.errorPage(c, http.StatusNotFound, "web.error.404")
		return
	}
	f, ok := h.loadFamily(c)
	if !ok {
		return
	}
	form := web.NewForm().Set(role+"_user", c.PostForm("user")).Set(role+"_phone", strings.TrimSpace(c.PostForm("phone")))
	body := map[string]any{"phone": form.Value(role + "_phone")}
	chosen := strings.TrimSpace(c.PostForm("user"))
	if chosen == "" {
		form.AddError(role+"_user", web.Msg("web.fcare.user_required"))
	} else {
		wantRole := domain.RoleCaseworker
		if role == "leader" {
			wantRole = domain.RoleUnitHead
		}
		u, err := h.Accounts.User(c.Request.Context(), chosen)
		if err != nil || !u.DisabledAt.IsZero() || !u.Has(wantRole) || !slices.Contains(u.Units, f.UnitID) {
			form.AddError(role+"_user", web.Msg("web.fcare.user_required"))
		} else {
			body["user_id"], body["name"] = u.ID, u.DisplayName
		}
	}
	if form.HasErrors() {
		h.renderFamilyCare(c, http.StatusUnprocessableEntity, role, form, nil)
		return
	}
	path := careAPI + "/records/" + url.PathEscape(f.ID) + "/liaisons/" + role
	if _, err := h.call(c, http.MethodPut, "grants", path, f.Version, body, nil); err != nil {
		if problemOnForm(err, form, map[string]string{"phone": role + "_phone", "user_id": role + "_user", "name": role + "_user"}) {
			h.renderFamilyCare(c, statusOf(err), role, form, nil)
			return
		}
		h.serviceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/work/family-care/"+url.PathEscape(f.ID)+"?m=liaison")
}

// familyCareRaise records a matter: from the record page (staff) or from
// the family's own page.
func (h *handlers) familyCareRaise(c *gin.Context) {
	id := c.Param("id")
	fromFamily := strings.HasPrefix(c.FullPath(), "/family-care/")
	form := web.NewForm()
	for _, k := range []string{"kind", "topic", "person_id", "summary", "due_on"} {
		form.Set(k, strings.TrimSpace(c.PostForm(k)))
	}
	body := map[string]any{"kind": form.Value("kind"), "summary": form.Value("summary")}
	for _, k := range []string{"topic", "person_id", "due_on"} {
		if v := form.Value(k); v != "" {
			body[k] = v
		}
	}
	if form.Value("summary") == "" {
		form.AddError("summary", web.Msg("web.fcare.summary_required"))
	}
	var err error
	if !form.HasErrors() {
		_, err = h.call(c, http.MethodPost, "grants", careAPI+"/records/"+url.PathEscape(id)+"/matters", 0, body, nil)
	}
	if err == nil && !form.HasErrors() {
		if fromFamily {
			c.Redirect(http.StatusSeeOther, "/family-care?m=matter")
		} else {
			c.Redirect(http.StatusSeeOther, "/work/family-care/"+url.PathEscape(id)+"?m=matter")
		}
		return
	}
	if err != nil && !problemOnForm(err, form, nil) {
		h.serviceFailed(c, err)
		return
	}
	status := http.StatusUnprocessableEntity
	if err != nil {
		status = statusOf(err)
	}
	if fromFamily {
		h.renderFamilyCareMine(c, status, id, form, nil)
		return
	}
	h.renderFamilyCare(c, status, "matter", form, nil)
}

// matterVersion finds the matter of the path in the family's record.
func matterOf(f careFamily, id string) (careMatter, bool) {
	for _, m := range f.Matters {
		if m.ID == id {
			return m, true
		}
	}
	return careMatter{}, false
}

func (h *handlers) familyCareApplication(c *gin.Context) {
	f, ok := h.loadFamily(c)
	if !ok {
		return
	}
	m, ok := matterOf(f, c.Param("matter"))
	if !ok {
		h.errorPage(c, http.StatusNotFound, "web.error.404")
		return
	}
	form := web.NewForm()
	var out struct {
		ApplicationID string `json:"application_id"`
	}
	if _, err := h.call(c, http.MethodPost, "grants", careAPI+"/matters/"+url.PathEscape(m.ID)+"/application", m.Version, map[string]any{}, &out); err != nil {
		if problemOnForm(err, form, map[string]string{"program_id": ""}) {
			h.renderFamilyCare(c, statusOf(err), m.ID, form, nil)
			return
		}
		h.serviceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/grants/applications/"+url.PathEscape(out.ApplicationID)+"?m=draft")
}

// familyCareProgress takes a matter in hand (the signed-in user as its
// handler), sets its deadline or adds a note to its timeline.
func (h *handlers) familyCareProgress(c *gin.Context) {
	f, ok := h.loadFamily(c)
	if !ok {
		return
	}
	m, ok := matterOf(f, c.Param("matter"))
	if !ok {
		h.errorPage(c, http.StatusNotFound, "web.error.404")
		return
	}
	df, nf := "due-"+m.ID, "note-"+m.ID
	form := web.NewForm().Set(df, strings.TrimSpace(c.PostForm("due_on"))).Set(nf, strings.TrimSpace(c.PostForm("note")))
	body := map[string]any{"note": form.Value(nf)}
	if form.Value(df) != "" {
		body["due_on"] = form.Value(df)
	}
	if c.PostForm("take") == "1" {
		u := currentUser(c)
		body["handler_user_id"], body["handler_name"] = u.ID, u.DisplayName
	}
	if _, err := h.call(c, http.MethodPost, "grants", careAPI+"/matters/"+url.PathEscape(m.ID)+"/progress", m.Version, body, nil); err != nil {
		if problemOnForm(err, form, map[string]string{"due_on": df, "note": nf, "handler_name": nf}) {
			h.renderFamilyCare(c, statusOf(err), m.ID, form, nil)
			return
		}
		h.serviceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/work/family-care/"+url.PathEscape(f.ID)+"?m=progress")
}

func (h *handlers) familyCareResolve(c *gin.Context) {
	f, ok := h.loadFamily(c)
	if !ok {
		return
	}
	m, ok := matterOf(f, c.Param("matter"))
	if !ok {
		h.errorPage(c, http.StatusNotFound, "web.error.404")
		return
	}
	outcome := strings.TrimSpace(c.PostForm("outcome"))
	form := web.NewForm().Set("outcome-"+m.ID, outcome)
	if outcome == "" {
		form.AddError("outcome-"+m.ID, web.Msg("web.fcare.outcome_required"))
		h.renderFamilyCare(c, http.StatusUnprocessableEntity, m.ID, form, nil)
		return
	}
	if _, err := h.call(c, http.MethodPost, "grants", careAPI+"/matters/"+url.PathEscape(m.ID)+"/resolve", m.Version, map[string]any{"outcome": outcome}, nil); err != nil {
		if problemOnForm(err, form, map[string]string{"outcome": "outcome-" + m.ID}) {
			h.renderFamilyCare(c, statusOf(err), m.ID, form, nil)
			return
		}
		h.serviceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/work/family-care/"+url.PathEscape(f.ID)+"?m=resolved")
}

// familyCareVisitData feeds the phone visit form.
type familyCareVisitData struct {
	Family    careFamily
	Occasions []string
	Today     string
}

var careOccasions = []string{"spring_festival", "qingming", "anniversary", "other"}

func (h *handlers) familyCareVisitForm(c *gin.Context) {
	f, ok := h.loadFamily(c)
	if !ok {
		return
	}
	form := web.NewForm().Set("visited_on", clock.Today(h.Clock).Format(time.DateOnly)).Set("visitors", currentUser(c).DisplayName)
	if f.NextVisit != nil {
		form.Set("occasion", f.NextVisit.Occasion)
	}
	h.renderVisitForm(c, http.StatusOK, f, form)
}

func (h *handlers) renderVisitForm(c *gin.Context, status int, f careFamily, form *web.Form) {
	p := h.page(c, "web.fcare.visit_title")
	p.Data = familyCareVisitData{Family: f, Occasions: careOccasions, Today: clock.Today(h.Clock).Format(time.DateOnly)}
	p.Form = form
	h.render(c, status, "family_care_visit", p)
}

// familyCareVisit records the visit, and its photo when one was chosen.
func (h *handlers) familyCareVisit(c *gin.Context) {
	f, ok := h.loadFamily(c)
	if !ok {
		return
	}
	form := web.NewForm()
	for _, k := range []string{"occasion", "visited_on", "visitors", "cash", "goods", "family_raised", "notes"} {
		form.Set(k, strings.TrimSpace(c.PostForm(k)))
	}
	var visitors []string
	for _, v := range strings.FieldsFunc(form.Value("visitors"), func(r rune) bool { return r == ',' || r == '，' || r == '、' || r == '\n' }) {
		if v = strings.TrimSpace(v); v != "" {
			visitors = append(visitors, v)
		}
	}
	given := []map[string]any{}
	if cash := form.Value("cash"); cash != "" {
		fen, err := money.Parse(cash)
		if err != nil || fen < 0 {
			form.AddError("cash", web.Msg("web.fcare.cash_invalid"))
		} else if fen > 0 {
			given = append(given, map[string]any{"description": i18n.T(lang(c), "web.fcare.cash"), "amount": int64(fen)})
		}
	}
	if goods := form.Value("goods"); goods != "" {
		given = append(given, map[string]any{"description": goods, "amount": 0})
	}
	if form.HasErrors() {
		h.renderVisitForm(c, http.StatusUnprocessableEntity, f, form)
		return
	}
	body := map[string]any{"occasion": form.Value("occasion"), "visited_on": form.Value("visited_on"), "visitors": nonNilStrings(visitors),
		"given": given, "family_raised": form.Value("family_raised"), "notes": form.Value("notes")}
	var v struct {
		ID string `json:"id"`
	}
	if _, err := h.call(c, http.MethodPost, "grants", careAPI+"/records/"+url.PathEscape(f.ID)+"/visits", 0, body, &v); err != nil {
		if problemOnForm(err, form, map[string]string{"given[0].amount": "cash", "given[0].description": "goods", "given[1].description": "goods"}) {
			h.renderVisitForm(c, statusOf(err), f, form)
			return
		}
		h.serviceFailed(c, err)
		return
	}
	if fh, err := c.FormFile("photo"); err == nil && fh.Size > 0 {
		if err := h.uploadCarePhoto(c, v.ID, fh); err != nil {
			// the visit is recorded: say which photo failed and why, and
			// offer to add it again on the visit
			h.Log.WarnContext(c, "visit photo not stored", "error", err)
			c.Redirect(http.StatusSeeOther, photoFailedURL(f.ID, v.ID, fh.Filename, err))
			return
		}
	}
	c.Redirect(http.StatusSeeOther, "/work/family-care/"+url.PathEscape(f.ID)+"?m=visit")
}

func nonNilStrings(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

type familyCareMineData struct {
	Families    []careFamily
	Failed      string
	MatterForms map[string]matterForm
}

func (h *handlers) familyCareMine(c *gin.Context) {
	var flash *web.Message
	if c.Query("m") == "matter" {
		m := web.Msg("web.fcare.matter_saved")
		flash = &m
	}
	h.renderFamilyCareMine(c, http.StatusOK, "", nil, flash)
}

func (h *handlers) renderFamilyCareMine(c *gin.Context, status int, failed string, form *web.Form, flash *web.Message) {
	var list listPage[careFamily]
	if _, err := h.call(c, http.MethodGet, "grants", careAPI+"/mine", 0, nil, &list); err != nil {
		h.serviceFailed(c, err)
		return
	}
	if form == nil {
		form = web.NewForm()
	}
	p := h.page(c, "web.fcare.mine_title")
	d := familyCareMineData{Families: list.Items, Failed: failed, MatterForms: map[string]matterForm{}}
	for _, f := range list.Items {
		d.MatterForms[f.ID] = matterForm{P: p, ID: f.ID, Action: "/family-care/" + f.ID + "/matters", Persons: f.Persons, Kinds: careMatterKinds,
			Topics: careTopics, Show: failed == f.ID}
	}
	p.Data, p.Form, p.Flash = d, form, flash
	h.render(c, status, "family_care_mine", p)
}

type careUnitSummary struct {
	UnitID          string `json:"unit_id"`
	Families        int    `json:"families"`
	VisitsDue       int    `json:"visits_due"`
	VisitsOnTime    int    `json:"visits_on_time"`
	VisitsLate      int    `json:"visits_late"`
	VisitsOverdue   int    `json:"visits_overdue"`
	MattersOpen     int    `json:"matters_open"`
	MattersResolved int    `json:"matters_resolved"`
	MattersOverdue  int    `json:"matters_overdue"`
}

// familyCareSummaryData feeds the committee's summary page.
type familyCareSummaryData struct {
	Units     []careUnitSummary
	Total     careUnitSummary
	AsOf      string
	CanExport bool // the committee may download the families' CSV
}

func (h *handlers) familyCareSummary(c *gin.Context) {
	var s struct {
		Units []careUnitSummary `json:"units"`
		Total careUnitSummary   `json:"total"`
		AsOf  string            `json:"as_of"`
	}
	if _, err := h.call(c, http.MethodGet, "grants", careAPI+"/summary", 0, nil, &s); err != nil {
		h.serviceFailed(c, err)
		return
	}
	p := h.page(c, "web.fcare.summary_title")
	p.Data = familyCareSummaryData{Units: s.Units, Total: s.Total, AsOf: s.AsOf,
		CanExport: currentUser(c).Has(domain.RoleApprover) || currentUser(c).Has(domain.RoleLeader)}
	h.withUnitNames(c, p)
	h.render(c, http.StatusOK, "family_care_summary", p)
}

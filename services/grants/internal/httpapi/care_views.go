package httpapi

import (
	"context"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/services/grants/internal/domain"
)

// The JSON views of family care. Dates are YYYY-MM-DD (Shanghai calendar
// dates); instants are UTC; amounts are fen. Each coded value comes with
// its text in the request's language (…_text).

type personView struct {
	ID           string `json:"id"`
	Relation     string `json:"relation"`
	RelationText string `json:"relation_text"`
	Name         string `json:"name"`
	BirthDate    string `json:"birth_date,omitempty"`
}

type liaisonView struct {
	Role       string    `json:"role"`
	RoleText   string    `json:"role_text"`
	UserID     string    `json:"user_id"`
	Name       string    `json:"name"`
	Phone      string    `json:"phone"`
	AssignedAt time.Time `json:"assigned_at"`
}

type plannedView struct {
	Occasion     string `json:"occasion"`
	OccasionText string `json:"occasion_text"`
	Year         int    `json:"year"`
	Date         string `json:"date"`
	OpensOn      string `json:"opens_on"`
	DueOn        string `json:"due_on"`
	Status       string `json:"status"`
	StatusText   string `json:"status_text"`
	VisitID      string `json:"visit_id,omitempty"`
	VisitedOn    string `json:"visited_on,omitempty"`
}

type promptView struct {
	PersonID  string `json:"person_id"`
	Name      string `json:"name"`
	Stage     string `json:"stage"`
	StageText string `json:"stage_text"`
	EntryOn   string `json:"entry_on"`
}

type giftView struct {
	Description string `json:"description"`
	Amount      int64  `json:"amount"`
}

type visitView struct {
	ID           string     `json:"id"`
	Occasion     string     `json:"occasion"`
	Year         int        `json:"year"`
	VisitedOn    string     `json:"visited_on"`
	Visitors     []string   `json:"visitors"`
	Given        []giftView `json:"given"`
	GivenTotal   int64      `json:"given_total"`
	FamilyRaised string     `json:"family_raised"`
	Notes        string     `json:"notes"`
	RecordedBy   string     `json:"recorded_by"`
	RecordedName string     `json:"recorded_name"`
	CreatedAt    time.Time  `json:"created_at"`
	Photos       []fileView `json:"photos"`
}

type stepView struct {
	Kind      string    `json:"kind"`
	ActorName string    `json:"actor_name"`
	Text      string    `json:"text"`
	At        time.Time `json:"at"`
}

type matterView struct {
	ID            string     `json:"id"`
	Kind          string     `json:"kind"`
	KindText      string     `json:"kind_text"`
	Topic         string     `json:"topic"`
	TopicText     string     `json:"topic_text"`
	PersonID      string     `json:"person_id"`
	PersonName    string     `json:"person_name"`
	Summary       string     `json:"summary"`
	HandlerUserID string     `json:"handler_user_id"`
	HandlerName   string     `json:"handler_name"`
	DueOn         string     `json:"due_on,omitempty"`
	Overdue       bool       `json:"overdue"`
	State         string     `json:"state"`
	StateText     string     `json:"state_text"`
	Outcome       string     `json:"outcome"`
	ApplicationID string     `json:"application_id,omitempty"`
	Timeline      []stepView `json:"timeline"`
	Version       int64      `json:"version"`
	CreatedAt     time.Time  `json:"created_at"`
	ResolvedAt    *time.Time `json:"resolved_at,omitempty"`
}

// careItemView is a family in a list.
type careItemView struct {
	ID            string        `json:"id"`
	MemberID      string        `json:"member_id"`
	UnitID        string        `json:"unit_id"`
	Kind          string        `json:"kind"`
	KindText      string        `json:"kind_text"`
	SubjectName   string        `json:"subject_name"`
	Liaisons      []liaisonView `json:"liaisons"`
	NextVisit     *plannedView  `json:"next_visit,omitempty"`
	OverdueVisits int           `json:"overdue_visits"`
	OpenMatters   int           `json:"open_matters"`
	SchoolPrompts []promptView  `json:"school_prompts"`
	Version       int64         `json:"version"`
	CreatedAt     time.Time     `json:"created_at"`
}

// careView is a family's whole record.
type careView struct {
	careItemView
	DiedOn       string        `json:"died_on,omitempty"`
	Grade        int           `json:"grade,omitempty"`
	Persons      []personView  `json:"persons"`
	Plan         []plannedView `json:"plan"`
	MissingYears []int         `json:"missing_festival_years"`
	Visits       []visitView   `json:"visits"`
	Matters      []matterView  `json:"matters"`
}

// familyView is what the family sees of their own record.
type familyView struct {
	ID          string        `json:"id"`
	Kind        string        `json:"kind"`
	KindText    string        `json:"kind_text"`
	SubjectName string        `json:"subject_name"`
	Liaisons    []liaisonView `json:"liaisons"`
	NextVisit   *plannedView  `json:"next_visit,omitempty"`
	Matters     []matterView  `json:"matters"`
	Persons     []personView  `json:"persons"`
}

func dateText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

func viewPlanned(lang i18n.Lang, p domain.PlannedVisit) plannedView {
	return plannedView{Occasion: string(p.Occasion), OccasionText: i18n.T(lang, "grants.care.occasion."+string(p.Occasion)), Year: p.Year,
		Date: dateText(p.Date), OpensOn: dateText(p.OpensOn), DueOn: dateText(p.DueOn), Status: string(p.Status),
		StatusText: i18n.T(lang, "grants.care.visit_status."+string(p.Status)), VisitID: p.VisitID, VisitedOn: dateText(p.VisitedOn)}
}

func viewLiaisons(lang i18n.Lang, ls []domain.Liaison) []liaisonView {
	out := make([]liaisonView, 0, len(ls))
	for _, l := range ls {
		out = append(out, liaisonView{Role: string(l.Role), RoleText: i18n.T(lang, "grants.care.liaison."+string(l.Role)), UserID: l.UserID,
			Name: l.Name, Phone: l.Phone, AssignedAt: l.AssignedAt})
	}
	return out
}

func viewPersons(lang i18n.Lang, ps []domain.CarePerson) []personView {
	out := make([]personView, 0, len(ps))
	for _, p := range ps {
		out = append(out, personView{ID: p.ID, Relation: p.Relation, RelationText: i18n.T(lang, "grants.relation."+p.Relation), Name: p.Name,
			BirthDate: dateText(p.BirthDate)})
	}
	return out
}

func viewPrompts(lang i18n.Lang, ps []domain.SchoolPrompt) []promptView {
	out := make([]promptView, 0, len(ps))
	for _, p := range ps {
		out = append(out, promptView{PersonID: p.PersonID, Name: p.Name, Stage: string(p.Stage),
			StageText: i18n.T(lang, "grants.care.stage."+string(p.Stage)), EntryOn: dateText(p.EntryOn)})
	}
	return out
}

func viewVisit(v domain.Visit) visitView {
	out := visitView{ID: v.ID, Occasion: string(v.Occasion), Year: v.Year, VisitedOn: dateText(v.VisitedOn), Visitors: v.Visitors,
		Given: []giftView{}, GivenTotal: int64(v.Total()), FamilyRaised: v.FamilyRaised, Notes: v.Notes, RecordedBy: v.RecordedBy,
		RecordedName: v.RecordedName, CreatedAt: v.CreatedAt, Photos: []fileView{}}
	for _, g := range v.Given {
		out.Given = append(out.Given, giftView{Description: g.Description, Amount: int64(g.Amount)})
	}
	for _, p := range v.Photos {
		f := viewFile(p)
		f.DownloadURL = "/api/v1/grants/care/visits/" + v.ID + "/photos/" + p.ID
		out.Photos = append(out.Photos, f)
	}
	return out
}

// careItems builds the list view of recs: plans, matters, prompts.
func (a *API) careItems(ctx context.Context, lang i18n.Lang, recs []domain.CareRecord) ([]careItemView, error) {
	plans, _, err := a.plans(ctx, recs)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(recs))
	for i, r := range recs {
		ids[i] = r.ID
	}
	matters, err := a.Store.Matters(ctx, ids...)
	if err != nil {
		return nil, err
	}
	open := map[string]int{}
	for _, m := range matters {
		if m.State != domain.MatterResolved {
			open[m.RecordID]++
		}
	}
	today := a.today()
	out := make([]careItemView, 0, len(recs))
	for _, r := range recs {
		out = append(out, a.item(lang, r, plans[r.ID], open[r.ID], today))
	}
	return out, nil
}

func (a *API) item(lang i18n.Lang, r domain.CareRecord, plan domain.Plan, openMatters int, today time.Time) careItemView {
	v := careItemView{ID: r.ID, MemberID: r.MemberID, UnitID: r.UnitID, Kind: string(r.Kind), KindText: i18n.T(lang, "grants.care.kind."+string(r.Kind)),
		SubjectName: r.SubjectName, Liaisons: viewLiaisons(lang, r.Liaisons), OverdueVisits: len(plan.Overdue()), OpenMatters: openMatters,
		SchoolPrompts: viewPrompts(lang, domain.SchoolPrompts(r, today)), Version: r.Version, CreatedAt: r.CreatedAt}
	if n, ok := plan.Next(); ok {
		pv := viewPlanned(lang, n)
		v.NextVisit = &pv
	}
	return v
}

func (a *API) today() time.Time { return domain.DateOf(a.Clock.Now()) }

// careView builds the whole record's view.
func (a *API) careView(ctx context.Context, lang i18n.Lang, rec domain.CareRecord) (careView, error) {
	plans, visits, err := a.plans(ctx, []domain.CareRecord{rec})
	if err != nil {
		return careView{}, err
	}
	matters, err := a.Store.Matters(ctx, rec.ID)
	if err != nil {
		return careView{}, err
	}
	open := 0
	for _, m := range matters {
		if m.State != domain.MatterResolved {
			open++
		}
	}
	plan := plans[rec.ID]
	v := careView{careItemView: a.item(lang, rec, plan, open, a.today()), DiedOn: dateText(rec.DiedOn), Grade: rec.Grade,
		Persons: viewPersons(lang, rec.Persons), Plan: []plannedView{}, MissingYears: append([]int{}, plan.MissingYears...),
		Visits: []visitView{}, Matters: []matterView{}}
	for _, p := range plan.Visits {
		v.Plan = append(v.Plan, viewPlanned(lang, p))
	}
	for _, x := range visits[rec.ID] {
		v.Visits = append(v.Visits, viewVisit(x))
	}
	for _, m := range matters {
		v.Matters = append(v.Matters, a.matterView(lang, m, rec))
	}
	return v, nil
}

// matterView is a matter of rec, overdue by the service clock's today.
func (a *API) matterView(lang i18n.Lang, m domain.Matter, rec domain.CareRecord) matterView {
	v := matterView{ID: m.ID, Kind: string(m.Kind), KindText: i18n.T(lang, "grants.care.matter."+string(m.Kind)), Topic: m.Topic,
		PersonID: m.PersonID, Summary: m.Summary, HandlerUserID: m.HandlerUserID, HandlerName: m.HandlerName, DueOn: dateText(m.DueOn),
		Overdue: m.Overdue(a.today()), State: string(m.State), StateText: i18n.T(lang, "grants.care.matter_state."+string(m.State)),
		Outcome: m.Outcome, ApplicationID: m.ApplicationID, Timeline: []stepView{}, Version: m.Version, CreatedAt: m.CreatedAt}
	if m.Topic != "" {
		v.TopicText = i18n.T(lang, "grants.care.topic."+m.Topic)
	}
	if p, ok := rec.Person(m.PersonID); ok {
		v.PersonName = p.Name
	}
	for _, s := range m.Timeline {
		v.Timeline = append(v.Timeline, stepView{Kind: string(s.Kind), ActorName: s.ActorName, Text: s.Text, At: s.At})
	}
	if !m.ResolvedAt.IsZero() {
		r := m.ResolvedAt
		v.ResolvedAt = &r
	}
	return v
}

func (a *API) familyView(c *gin.Context, rec domain.CareRecord) (familyView, error) {
	lang := httpx.Lang(c)
	plans, _, err := a.plans(c.Request.Context(), []domain.CareRecord{rec})
	if err != nil {
		return familyView{}, err
	}
	matters, err := a.Store.Matters(c.Request.Context(), rec.ID)
	if err != nil {
		return familyView{}, err
	}
	v := familyView{ID: rec.ID, Kind: string(rec.Kind), KindText: i18n.T(lang, "grants.care.kind."+string(rec.Kind)), SubjectName: rec.SubjectName,
		Liaisons: viewLiaisons(lang, rec.Liaisons), Matters: []matterView{}, Persons: viewPersons(lang, rec.Persons)}
	if n, ok := plans[rec.ID].Next(); ok {
		pv := viewPlanned(lang, n)
		v.NextVisit = &pv
	}
	for _, m := range matters {
		mv := a.matterView(lang, m, rec)
		mv.HandlerUserID = ""
		v.Matters = append(v.Matters, mv)
	}
	return v, nil
}

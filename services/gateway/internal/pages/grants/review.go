package grants

import (
	"slices"
	"time"

	"github.com/gin-gonic/gin"

	grantsapi "github.com/anxin-welfare/anxin/api/client/grants"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
)

// What an approver reads before deciding on a grant: the budget the amount
// comes out of, the committee approvals it needs and already has, and what
// was checked (eligibility criteria, documents, other grants for the same
// event, the caseworker's review). The service enforces all of it again
// at approval; the page only makes it visible.

// grantReview is one application's review summary.
type grantReview struct {
	Lang    i18n.Lang // for the template that shows it
	Program string
	// ProgramRead is false when the programme could not be read: budget
	// and documents are then unchecked, not "fine".
	ProgramRead bool
	Amount      int64
	// AmountKey labels Amount: proposed until approval, granted after.
	AmountKey string
	// Requested is the amount the applicant asked for (0: the programme
	// computes it).
	Requested int64
	// Applicant and FiledBy name who applies and, when someone else, who
	// filed it.
	Applicant, FiledBy string
	// AsksIncome: the programme judges the household's income. Income is
	// what the applicant declared (nil: not declared); IncomeLine is the
	// programme's hardship line (0: none); OverLine when above it.
	AsksIncome bool
	Income     *int64
	IncomeLine int64
	OverLine   bool
	Remaining  int64 // of the programme's allocation, not yet committed
	// OverBudget: approving the amount would exceed what is left, so the
	// service will refuse it.
	OverBudget bool
	Needed     int // committee approvals the amount needs
	Given      int // given this round
	// Assessed is false when the eligibility check could not be read.
	Assessed      bool
	Eligible      bool
	Criteria      []grantCriterion
	AmountProblem string
	Missing       []string // required documents not attached
	Duplicates    []string // numbers of other grants for the same event
	DuplicateNote string
	ReviewedBy    string
	ReviewedAt    time.Time
}

// grantCriterion is one eligibility rule and whether it is met.
type grantCriterion struct {
	Code string
	Text string
	Met  bool
}

// grantAssessment is the service's eligibility check of an application.
type grantAssessment struct {
	Eligible      bool
	Criteria      []grantCriterion
	AmountProblem string
}

// assessment reads the eligibility check of the application id.
func (a *area) assessment(c *gin.Context, id string) (grantAssessment, error) {
	api, err := a.Grants(c)
	if err != nil {
		return grantAssessment{}, err
	}
	r, err := api.AssessApplicationWithResponse(c.Request.Context(), id)
	if err != nil || r.JSON200 == nil {
		return grantAssessment{}, orUnexpected(err)
	}
	return assessmentOf(*r.JSON200), nil
}

// assessmentOf is the service's assessment as the pages show it.
func assessmentOf(j grantsapi.Assessment) grantAssessment {
	as := grantAssessment{Eligible: j.Eligible, AmountProblem: webkit.Deref(j.AmountProblem)}
	for _, cr := range j.Criteria {
		as.Criteria = append(as.Criteria, grantCriterion{Code: webkit.Deref(cr.Code), Text: webkit.Deref(cr.Text), Met: webkit.Deref(cr.Met)})
	}
	return as
}

// grantPrograms reads every programme once, by id, for the review of many
// applications.
func (a *area) grantPrograms(c *gin.Context) map[string]program {
	out := map[string]program{}
	progs, err := a.programs(c)
	if err != nil {
		a.Log.InfoContext(c, "review without programmes", "error", err)
		return out
	}
	for _, p := range progs {
		out[p.ID] = p
	}
	return out
}

// reviewOf builds the review of app against its programme prog (zero when
// unknown). The eligibility check is one call per application.
func (a *area) reviewOf(c *gin.Context, app application, prog program) grantReview {
	l := a.Lang(c)
	r := grantReview{Lang: l, Amount: app.Amount, Program: prog.Name(string(l)), Remaining: prog.Remaining, DuplicateNote: app.DuplicateNote,
		Requested: app.RequestedAmount, Applicant: app.ApplicantName, FiledBy: app.FiledByName, AmountKey: "web.review.amount"}
	if app.Decided() {
		r.AmountKey = "web.grants.amount"
	}
	if v := app.Answers.IncomePerCapita; v != nil {
		n := int64(*v)
		r.Income = &n
	}
	if v := webkit.Deref(prog.Eligibility.MaxIncomePerCapita); v > 0 {
		r.IncomeLine = int64(v)
	}
	r.AsksIncome = r.Income != nil || r.IncomeLine > 0 || slices.Contains(prog.FormFields, "income_per_capita")
	r.OverLine = r.Income != nil && r.IncomeLine > 0 && *r.Income > r.IncomeLine
	if r.Program == "" {
		r.Program = app.ProgramID
	}
	if prog.ID != "" {
		r.ProgramRead = true
		r.OverBudget = app.Amount > prog.Remaining
		r.Needed = 1
		if app.Amount > prog.DualApprovalAbove {
			r.Needed = 2
		}
		for _, d := range prog.RequiredDocuments {
			if !slices.Contains(app.Documents, d) {
				r.Missing = append(r.Missing, d)
			}
		}
	}
	for _, x := range app.History {
		if x.Round != app.Round {
			continue
		}
		switch x.Step {
		case "committee_approval", "approve":
			r.Given++
		case "review":
			r.ReviewedBy, r.ReviewedAt = x.ActorName, x.At
		}
	}
	for _, f := range app.DuplicateFlags {
		r.Duplicates = append(r.Duplicates, f.Number)
	}
	as := app.Assessment // the list may have brought it
	if as == nil {
		read, err := a.assessment(c, app.ID)
		if err != nil {
			a.Log.InfoContext(c, "application not assessed", "application", app.ID, "error", err)
			return r
		}
		as = &read
	}
	r.Assessed, r.Eligible, r.Criteria, r.AmountProblem = true, as.Eligible, as.Criteria, as.AmountProblem
	return r
}

// grantQueueItem is an application in the approver's queue with its review.
type grantQueueItem struct {
	application
	Review grantReview
}

// approvalsPageSize is the rows of the grants list on the approvals page:
// each row is assessed, so fewer than a list's default.
const approvalsPageSize = 20

// queueSteps is how much of each queued application's history the list
// brings: the review needs the steps of the round under way (its
// submission, the caseworker's review and any approval given), the
// newest of any history, far fewer than this.
const queueSteps = 10

// Approvals draws the grant applications of the approvals page (the leave
// area's queue, pages/leave GrantsQueue): the applications awaiting the
// committee, a page at a time, with the steps of their round for the
// review. nil when the gateway does not route grants.
func Approvals(k *webkit.Kit) func(c *gin.Context) (rows, pages any, stale bool, err error) {
	if !k.Routed("grants") {
		return nil
	}
	a := &area{Kit: k}
	return func(c *gin.Context) (any, any, bool, error) {
		after, stale := c.Query("grants_after"), false
		apps, next, err := a.applicationsWithSteps(c, "queue", "reviewed", after, approvalsPageSize, queueSteps, true)
		if err != nil && after != "" && webkit.StaleCursor(err) {
			stale = true
			apps, next, err = a.applicationsWithSteps(c, "queue", "reviewed", "", approvalsPageSize, queueSteps, true)
		}
		if err != nil {
			return nil, nil, false, err // the page shows it, once
		}
		a.nameGrantPrograms(c, apps)
		progs := a.grantPrograms(c)
		var rows []grantQueueItem
		for _, app := range apps {
			// The list brought the round's steps (the approvals given and
			// the caseworker's review) and the assessment: no call per row.
			rows = append(rows, grantQueueItem{application: app, Review: a.reviewOf(c, app, progs[app.ProgramID])})
		}
		return rows, a.PagerFor(c, "grant-approvals", "grants_after", next), stale, nil
	}
}

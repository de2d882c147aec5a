package httpapi

import (
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/i18n"
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

type grantCriterion struct {
	Code string `json:"code"`
	Text string `json:"text"`
	Met  bool   `json:"met"`
}

type grantAssessment struct {
	Eligible      bool             `json:"eligible"`
	Criteria      []grantCriterion `json:"criteria"`
	AmountProblem string           `json:"amount_problem"`
}

// grantPrograms reads every programme once, by id, for the review of many
// applications.
func (h *handlers) grantPrograms(c *gin.Context) map[string]programDetail {
	var list itemsOf[programDetail]
	out := map[string]programDetail{}
	if err := listInto(h, c, "grants", grantsAPI+"/programs", "items", &list.Items); err != nil {
		h.Log.InfoContext(c, "review without programmes", "error", err)
		return out
	}
	for _, p := range list.Items {
		out[p.ID] = p
	}
	return out
}

// reviewOf builds the review of app against its programme prog (zero when
// unknown). The eligibility check is one call per application.
func (h *handlers) reviewOf(c *gin.Context, app grantApplication, prog programDetail) grantReview {
	r := grantReview{Lang: lang(c), Amount: app.Amount, Program: prog.NameZH, Remaining: prog.Remaining, DuplicateNote: app.DuplicateNote,
		Requested: app.RequestedAmount, Applicant: app.ApplicantName, FiledBy: app.FiledByName, AmountKey: "web.review.amount"}
	if app.Decided() {
		r.AmountKey = "web.grants.amount"
	}
	if v, ok := app.Answers["income_per_capita"].(float64); ok {
		n := int64(v)
		r.Income = &n
	}
	if v, ok := prog.Eligibility["max_income_per_capita"].(float64); ok && v > 0 {
		r.IncomeLine = int64(v)
	}
	r.AsksIncome = r.Income != nil || r.IncomeLine > 0 || slices.Contains(prog.FormFields, "income_per_capita")
	r.OverLine = r.Income != nil && r.IncomeLine > 0 && *r.Income > r.IncomeLine
	if lang(c) == "en" && prog.NameEN != "" {
		r.Program = prog.NameEN
	}
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
	var as grantAssessment
	if _, err := h.call(c, http.MethodGet, "grants", grantsAPI+"/applications/"+url.PathEscape(app.ID)+"/assessment", 0, nil, &as); err != nil {
		h.Log.InfoContext(c, "application not assessed", "application", app.ID, "error", err)
		return r
	}
	r.Assessed, r.Eligible, r.Criteria, r.AmountProblem = true, as.Eligible, as.Criteria, as.AmountProblem
	return r
}

// grantQueueItem is an application in the approver's queue with its review.
type grantQueueItem struct {
	grantApplication
	Review grantReview
}

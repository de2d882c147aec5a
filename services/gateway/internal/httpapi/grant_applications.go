package httpapi

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
)

// The grants area's pages moved to pages/grants. What is left here are the
// hand-built reads of grant applications and programmes that the pages
// still in this package draw (finance's payment list and programme names,
// the caseworker's work queue, /my); they go with those pages when they
// move.

const grantsAPI = "/api/v1/grants"

type grantProgram struct {
	ID     string `json:"id"`
	Code   string `json:"code"`
	NameZH string `json:"name_zh"`
	NameEN string `json:"name_en"`
	Kind   string `json:"kind"`
	Active bool   `json:"active"`
	// FormFields are the questions the programme's form asks; the
	// service decides them from its kind and rules.
	FormFields []string `json:"form_fields"`
}

// grantFile is an uploaded document of an application.
type grantFile struct {
	ID          string    `json:"id"`
	Kind        string    `json:"kind"`
	FileName    string    `json:"file_name"`
	ContentType string    `json:"content_type"`
	SizeBytes   int64     `json:"size_bytes"`
	UploadedAt  time.Time `json:"uploaded_at"`
}

// SizeKB is the document's size in kilobytes, rounded up, for the page.
func (f grantFile) SizeKB() int64 { return (f.SizeBytes + 1023) / 1024 }

type grantApplication struct {
	ID              string   `json:"id"`
	Number          string   `json:"number"`
	ProgramID       string   `json:"program_id"`
	ProgramName     string   `json:"program_name"`
	MemberID        string   `json:"member_id"`
	DependantID     string   `json:"dependant_id"`
	ApplicantUserID string   `json:"applicant_user_id"`
	ApplicantName   string   `json:"applicant_name"`
	FiledByName     string   `json:"filed_by_name"`
	PreparedBy      string   `json:"prepared_by"`
	UnitID          string   `json:"unit_id"`
	State           string   `json:"state"`
	StateText       string   `json:"state_text"`
	RequestedAmount int64    `json:"requested_amount"`
	Amount          int64    `json:"amount"`
	Recurring       bool     `json:"recurring"`
	Reason          string   `json:"reason"`
	Documents       []string `json:"documents"`
	// Files are the uploaded documents (only in one application's answer).
	Files []grantFile `json:"files"`
	// Answers is the applicant's form as the service holds it.
	Answers   map[string]any `json:"form"`
	Breakdown struct {
		Total int64 `json:"total"`
		Items []struct {
			Text     string `json:"text"`
			Amount   int64  `json:"amount"`
			Citation string `json:"citation"`
		} `json:"items"`
	} `json:"breakdown"`
	DuplicateFlags []struct {
		ApplicationID string `json:"application_id"`
		Number        string `json:"number"`
	} `json:"duplicate_flags"`
	DuplicateNote string        `json:"duplicate_note"`
	Round         int           `json:"round"`
	History       []grantAction `json:"history"`
	Version       int64         `json:"version"`
	CreatedAt     time.Time     `json:"created_at"`
}

// Decided reports whether the amount is decided: from the committee's
// final approval on it is the amount granted (核定金额); before, only
// asked for.
func (a grantApplication) Decided() bool {
	return slices.Contains([]string{"approved", "disbursed", "active", "stopped"}, a.State)
}

// ShownAmount is the one amount a list or a page shows of a: the amount
// granted once decided; before, the amount requested, or for a programme
// that computes its amount (fixed, by grade, statutory) the amount
// computed at submission, pending approval. Never a zero where the
// applicant asked for money.
func (a grantApplication) ShownAmount() int64 {
	if a.Decided() || a.RequestedAmount == 0 {
		return a.Amount
	}
	return a.RequestedAmount
}

// AmountLabel is the catalogue key of ShownAmount's label.
func (a grantApplication) AmountLabel() string {
	switch {
	case a.Decided():
		return "web.grants.amount"
	case a.RequestedAmount > 0:
		return "web.grantux.requested"
	}
	return "web.grantux.proposed"
}

// grantAction is one step in an application's history.
type grantAction struct {
	Round     int       `json:"round"`
	Step      string    `json:"step"`
	Actor     string    `json:"actor"`
	ActorName string    `json:"actor_name"`
	At        time.Time `json:"at"`
	Reason    string    `json:"reason"`
}

// nameGrantPrograms names the programme of each application the service
// listed without its name, with one look at the programmes.
func (h *handlers) nameGrantPrograms(c *gin.Context, apps []grantApplication) {
	var names map[string]string
	for i := range apps {
		if apps[i].ProgramName != "" {
			continue
		}
		if names == nil {
			names = h.programNames(c, "")
		}
		apps[i].ProgramName = names[apps[i].ProgramID]
	}
}

// grantQueue lists the applications waiting for u's step: a caseworker's
// review, finance's payment: the page after the cursor after ("" for the
// first), the next page's cursor, and stale when after was refused and the
// first page is shown instead. limit 0 is the service's page size.
func (h *handlers) grantQueue(c *gin.Context, scope, state, after string, limit int) (apps []grantApplication, next string, stale bool, err error) {
	var list listPage[grantApplication]
	q := url.Values{"scope": {scope}, "state": {state}}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	if after != "" {
		q.Set("after", after)
	}
	_, err = h.call(c, http.MethodGet, "grants", grantsAPI+"/applications?"+q.Encode(), 0, nil, &list)
	if err != nil && after != "" && staleCursor(err) {
		stale = true
		q.Del("after")
		_, err = h.call(c, http.MethodGet, "grants", grantsAPI+"/applications?"+q.Encode(), 0, nil, &list)
	}
	if err != nil {
		return nil, "", false, err
	}
	h.nameGrantPrograms(c, list.Items)
	return list.Items, list.Next, stale, nil
}

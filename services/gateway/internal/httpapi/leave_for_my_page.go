package httpapi

import (
	"errors"
	"net/http"
	"slices"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// An officer's leave requests as /my shows them (my pages), read by hand
// from the leave API. The leave pages themselves (/leave, /approvals) live
// in the leave area (pages/leave) on the generated client; these mirror
// structs and helpers go when /my moves there too (issue 15).

const leaveAPI = "/api/v1/leave"

// leaveRequest is the Request of the leave API.
type leaveRequest struct {
	ID          string          `json:"id"`
	MemberID    string          `json:"member_id"`
	MemberName  string          `json:"member_name"`
	UnitID      string          `json:"unit_id"`
	From        string          `json:"from"`
	To          string          `json:"to"`
	Days        int             `json:"days"`
	Reason      string          `json:"reason"`
	Status      string          `json:"status"`
	SecondLevel bool            `json:"second_level"`
	Decisions   []leaveDecision `json:"decisions"`
	CreatedAt   time.Time       `json:"created_at"`
	Version     int64           `json:"version"`
	// Actions are the steps the service accepts from the caller now.
	Actions []string `json:"actions"`
	// ProvisionalCalendar: the days were counted with the provisional
	// calendar of a year without its official one.
	ProvisionalCalendar bool `json:"provisional_calendar"`
}

// May reports whether the service offers the caller the step.
func (r leaveRequest) May(action string) bool { return slices.Contains(r.Actions, action) }

// leaveDecision is one approval, rejection or cancellation of a request:
// the level it was taken at (1 unit head, 2 approver, 0 the member), the
// user (or, for the member's own cancel, member) id that took it, and the
// comment given.
type leaveDecision struct {
	Level   int       `json:"level"`
	Actor   string    `json:"actor"`
	Outcome string    `json:"outcome"`
	Comment string    `json:"comment"`
	At      time.Time `json:"at"`
}

// leaveItem is a request as the pages show it: with its steps (sent, then
// each decision with who, when and their comment) and whether the officer
// may still cancel it.
type leaveItem struct {
	leaveRequest
	Steps     []timelineStep
	CanCancel bool
}

// leaveItems adds each request's steps, naming who decided, and whether it
// can still be cancelled: the service says so in the request's actions.
func (h *handlers) leaveItems(c *gin.Context, reqs []leaveRequest) []leaveItem {
	names := actorNames{}
	out := make([]leaveItem, 0, len(reqs))
	for _, r := range reqs {
		out = append(out, leaveItem{leaveRequest: r, Steps: h.leaveSteps(c, r, names), CanCancel: r.May("cancel")})
	}
	return out
}

// actorNames caches the display names of the users who decided, one
// look-up per user and page.
type actorNames map[string]*web.Message

// leaveSteps is the request's history: sent, then each decision with who
// took it, when, and the comment. Who is the deciding user's name; when the
// gateway does not know them, the role that decides at that level.
func (h *handlers) leaveSteps(c *gin.Context, r leaveRequest, names actorNames) []timelineStep {
	steps := []timelineStep{{At: r.CreatedAt, What: web.Msg("web.officer.step.requested")}}
	for _, dc := range r.Decisions {
		st := timelineStep{At: dc.At, Note: dc.Comment, What: msgOr("web.officer.decision."+dc.Outcome, "web.officer.decision.other")}
		switch {
		case dc.Outcome == "cancelled" || dc.Level == 0 || dc.Actor == r.MemberID:
			m := web.Msg("web.officer.by.applicant")
			st.Who = &m
		default:
			st.Who = h.actorName(c, dc.Actor, names)
			if st.Who == nil {
				m := web.Msg("web.officer.by.unit_head")
				if dc.Level >= 2 {
					m = web.Msg("web.officer.by.approver")
				}
				st.Who = &m
			}
		}
		steps = append(steps, st)
	}
	return steps
}

// actorName is the display name of the gateway user id, or nil.
func (h *handlers) actorName(c *gin.Context, id string, names actorNames) *web.Message {
	if m, seen := names[id]; seen {
		return m
	}
	var m *web.Message
	if h.Accounts != nil && id != "" {
		if u, err := h.Accounts.User(c.Request.Context(), id); err == nil && u.DisplayName != "" {
			n := web.Localized(u.DisplayName)
			m = &n
		}
	}
	names[id] = m
	return m
}

// statusOf is the status to answer a refused form with: the service's 409
// or 403 stays as it is, anything else is 422.
func statusOf(err error) int {
	var ae *APIError
	if errors.As(err, &ae) && (ae.Status == http.StatusConflict || ae.Status == http.StatusForbidden) {
		return ae.Status
	}
	return http.StatusUnprocessableEntity
}

func flatten(f *web.Form) []web.Message {
	var out []web.Message
	for _, fe := range f.FieldErrors() {
		out = append(out, fe.Message)
	}
	return out
}

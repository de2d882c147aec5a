package httpapi

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/services/injury/internal/domain"
	"github.com/anxin-welfare/anxin/services/injury/internal/store"
)

// summaryView is one line of the queue. A case the caller only reported
// shows no clock colour.
type summaryView struct {
	ID          string     `json:"id"`
	Number      string     `json:"number"`
	IncidentID  string     `json:"incident_id"`
	MemberID    string     `json:"member_id,omitempty"`
	MemberName  string     `json:"member_name,omitempty"`
	UnknownName string     `json:"unknown_name,omitempty"`
	UnitID      string     `json:"unit_id"`
	Severity    string     `json:"severity"`
	State       string     `json:"state"`
	InjuredAt   time.Time  `json:"injured_at"`
	OpenedAt    time.Time  `json:"opened_at"`
	Version     int64      `json:"version"`
	Status      string     `json:"status,omitempty"`
	NextDueAt   *time.Time `json:"next_due_at,omitempty"`
	Escalation  string     `json:"escalation,omitempty"`
}

type listView struct {
	Cases []summaryView `json:"cases"`
}

// filterFor limits a list to what the caller may see: cases of their units
// (staff), their own (member, family), or those they reported.
func filterFor(who domain.Actor) store.ListFilter {
	f := store.ListFilter{ReporterUserID: who.UserID}
	if who.Has(domain.RoleCaseworker, domain.RoleUnitHead, domain.RoleApprover) {
		f.Units = who.Units
	}
	if who.Has(domain.RoleOfficer, domain.RoleFamily) {
		f.MemberID = who.MemberID
	}
	return f
}

func (h *Handler) listCases(c *gin.Context) {
	who, ok := h.actor(c)
	if !ok {
		return
	}
	f := filterFor(who)
	var fe fieldErrors
	if s := c.Query("state"); s != "" {
		valid := false
		for _, st := range domain.States {
			valid = valid || string(st) == s
		}
		if !valid {
			fe.add("state", "injury.state_invalid")
		}
		f.State = s
	}
	switch c.Query("escalation") {
	case "":
	case "unit_head":
		f.MinLevel = domain.LevelUnitHead
	case "committee":
		f.MinLevel = domain.LevelCommittee
	default:
		fe.add("escalation", "injury.escalation_invalid")
	}
	if l := c.Query("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 500 {
			fe.add("limit", "injury.limit_range", 500)
		}
		f.Limit = n
	}
	if err := fe.err(); err != nil {
		httpx.Respond(c, err)
		return
	}
	h.writeList(c, who, f)
}

func (h *Handler) incidentCases(c *gin.Context) {
	who, ok := h.actor(c)
	if !ok {
		return
	}
	if _, err := uuid.Parse(c.Param("id")); err != nil {
		httpx.Respond(c, httpx.NotFound())
		return
	}
	f := filterFor(who)
	f.IncidentID = c.Param("id")
	h.writeList(c, who, f)
}

func (h *Handler) writeList(c *gin.Context, who domain.Actor, f store.ListFilter) {
	rows, err := h.Store.List(c.Request.Context(), f)
	if err != nil {
		fail(c, err)
		return
	}
	out := listView{Cases: make([]summaryView, 0, len(rows))}
	for _, r := range rows {
		probe := domain.Case{UnitID: r.UnitID, MemberID: deref(r.MemberID), Reporter: domain.Reporter{UserID: r.ReporterUserID}}
		access := probe.AccessFor(who)
		if access == domain.AccessNone {
			continue // the SQL filter is wider than the roles (e.g. units of a non-staff role)
		}
		v := summaryView{ID: r.ID, Number: r.Number, IncidentID: r.IncidentID, MemberID: deref(r.MemberID), MemberName: r.MemberName, UnknownName: deref(r.UnknownName),
			UnitID: r.UnitID, Severity: r.Severity, State: r.State, InjuredAt: r.InjuredAt.UTC(), OpenedAt: r.OpenedAt.UTC(), Version: r.Version}
		if access >= domain.AccessMember {
			v.Status, v.NextDueAt = r.Status, r.NextDueAt
			v.Escalation = domain.Level(r.Level).String()
		}
		out.Cases = append(out.Cases, v)
	}
	c.JSON(http.StatusOK, out)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

type timelineView struct {
	Entries []store.TimelineItem `json:"entries"`
}

// timeline returns the case's history. The member and staff see all of it;
// a reporting colleague only the entries they made themselves.
func (h *Handler) timeline(c *gin.Context) {
	who, ok := h.actor(c)
	if !ok {
		return
	}
	cs, access, ok := h.loadVisible(c, who, domain.AccessReporter)
	if !ok {
		return
	}
	items, err := h.Store.Timeline(c.Request.Context(), cs.ID)
	if err != nil {
		fail(c, err)
		return
	}
	out := timelineView{Entries: make([]store.TimelineItem, 0, len(items))}
	for _, it := range items {
		if access == domain.AccessReporter && it.ActorID != who.UserID {
			continue
		}
		out.Entries = append(out.Entries, it)
	}
	c.JSON(http.StatusOK, out)
}

type commentRequest struct {
	Body string `json:"body"`
}

// maxCommentRunes bounds a comment.
const maxCommentRunes = 4000

func (h *Handler) comment(c *gin.Context) {
	who, ok := h.actor(c)
	if !ok {
		return
	}
	var req commentRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Respond(c, err)
		return
	}
	var fe fieldErrors
	switch n := len([]rune(req.Body)); {
	case n == 0:
		fe.add("body", "injury.required")
	case n > maxCommentRunes:
		fe.add("body", "injury.text_too_long", maxCommentRunes)
	}
	item, err := h.Store.AddComment(c.Request.Context(), h.meta(c, who), c.Param("id"), req.Body, func(cs *domain.Case) error {
		if cs.AccessFor(who) < domain.AccessReporter {
			return errNoAccess
		}
		return fe.err()
	})
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, item)
}

package httpapi

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/pkg/roles"
	"github.com/anxin-welfare/anxin/services/injury/internal/domain"
	"github.com/anxin-welfare/anxin/services/injury/internal/store"
)

// summaryView is one line of the queue. A case the caller only reported
// shows no clock colour. Status, DueClock and NextDueAt describe one clock,
// the running one due first; Status weighs the case's severity too.
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
	ClosedAt    *time.Time `json:"closed_at,omitempty"`
	Version     int64      `json:"version"`
	Status      string     `json:"status,omitempty"`
	DueClock    string     `json:"due_clock,omitempty"`
	NextDueAt   *time.Time `json:"next_due_at,omitempty"`
	Escalation  string     `json:"escalation,omitempty"`
	// InChargeName and InChargePhone say who handles the case, for the
	// member and staff.
	InChargeName  string `json:"in_charge_name,omitempty"`
	InChargePhone string `json:"in_charge_phone,omitempty"`
	// Steps are the case's last timeline entries, oldest first, when the
	// list was asked for them (?steps=N), as GET /cases/{id}/timeline
	// would show them to the caller.
	Steps []store.TimelineItem `json:"steps,omitempty"`
}

// maxListSteps bounds ?steps on the case list.
const maxListSteps = 10

type listView struct {
	Cases []summaryView `json:"cases"`
	Next  string        `json:"next"`
}

// filterFor limits a list to what the caller may see: cases of their units
// (staff), their own (member, family), or those they reported.
func filterFor(who domain.Actor) store.ListFilter {
	f := store.ListFilter{ReporterUserID: who.UserID}
	if who.Has(roles.Caseworker, roles.UnitHead, roles.Approver) {
		f.Units = who.Units
	}
	if who.Has(roles.Officer, roles.Family) {
		f.MemberID = who.MemberID
	}
	return f
}

// maxQueryRunes bounds a search.
const maxQueryRunes = 50

// listCases pages through the cases the caller may see:
// ?status=open|closed (default all), ?sort=due|severity (open cases) or
// opened (default), ?q= a case number or a name, ?unit=, ?state=,
// ?escalation=, and pkg/page's ?limit=&after=.
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
	switch f.Status = c.Query("status"); f.Status {
	case store.ListAll, store.ListOpen, store.ListClosed:
	default:
		fe.add("status", "injury.list_status_invalid")
	}
	switch f.Sort = c.Query("sort"); f.Sort {
	case "", store.SortOpened:
		f.Sort = store.SortOpened
	case store.SortDue, store.SortSeverity:
		if f.Status != store.ListOpen {
			fe.add("sort", "injury.sort_open_only")
		}
	default:
		fe.add("sort", "injury.sort_invalid")
	}
	f.Query = strings.TrimSpace(c.Query("q"))
	if n := len([]rune(f.Query)); n > maxQueryRunes {
		fe.add("q", "injury.text_too_long", maxQueryRunes)
	} else if n > 0 && !utf8.ValidString(f.Query) {
		fe.add("q", "injury.text_invalid")
	}
	if u := c.Query("unit"); u != "" {
		// a unit the caller does not serve lists nothing, as a filter would
		if slices.Contains(f.Units, u) {
			f.Units = []string{u}
		} else {
			f.Units = []string{}
		}
		f.MemberID, f.ReporterUserID = "", ""
	}
	steps := 0
	if s := c.Query("steps"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n > maxListSteps {
			fe.add("steps", "injury.steps_invalid", maxListSteps)
		}
		steps = n
	}
	pg, err := page.FromQuery(c.Request.URL.Query())
	if err != nil {
		httpx.Respond(c, err)
		return
	}
	f.Page = pg
	if err := fe.err(); err != nil {
		httpx.Respond(c, err)
		return
	}
	h.writeList(c, who, f, steps)
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
	pg, err := page.FromQuery(c.Request.URL.Query())
	if err != nil {
		httpx.Respond(c, err)
		return
	}
	f := filterFor(who)
	f.IncidentID, f.Page = c.Param("id"), pg
	h.writeList(c, who, f, 0)
}

// writeList answers a page of cases as who may see them, each with its
// last steps timeline entries when steps > 0 (read for the whole page in
// one statement).
func (h *Handler) writeList(c *gin.Context, who domain.Actor, f store.ListFilter, steps int) {
	rows, next, err := h.Store.List(c.Request.Context(), f)
	if err != nil {
		fail(c, err)
		return
	}
	now := h.Clock.Now()
	out := listView{Cases: make([]summaryView, 0, len(rows)), Next: next}
	var want []store.StepsOf
	for _, r := range rows {
		probe := domain.Case{UnitID: r.UnitID, MemberID: deref(r.MemberID), Reporter: domain.Reporter{UserID: r.ReporterUserID}}
		access := probe.AccessFor(who)
		if access == domain.AccessNone {
			continue // the SQL filter is wider than the roles (e.g. units of a non-staff role)
		}
		v := summaryView{ID: r.ID, Number: r.Number, IncidentID: r.IncidentID, MemberID: deref(r.MemberID), MemberName: r.MemberName, UnknownName: deref(r.UnknownName),
			UnitID: r.UnitID, Severity: r.Severity, State: r.State, InjuredAt: r.InjuredAt.UTC(), OpenedAt: r.OpenedAt.UTC(), Version: r.Version}
		if r.ClosedAt != nil {
			at := r.ClosedAt.UTC()
			v.ClosedAt = &at
		}
		if access >= domain.AccessMember {
			var due, amber time.Time
			if r.NextDueAt != nil && r.DueAmberAt != nil {
				due, amber = r.NextDueAt.UTC(), r.DueAmberAt.UTC()
				v.NextDueAt, v.DueClock = &due, deref(r.DueClock)
			}
			v.Status = string(h.Store.Policy().QueueStatus(domain.Severity(r.Severity), domain.ClockKind(deref(r.DueClock)), due, amber, now))
			v.Escalation = domain.Level(r.Level).String()
			v.InChargeName, v.InChargePhone = r.InChargeName, r.InChargePhone
		}
		out.Cases = append(out.Cases, v)
		if steps > 0 {
			// A reporting colleague sees only their own entries, as on
			// the timeline.
			only := ""
			if access == domain.AccessReporter {
				only = who.UserID
			}
			want = append(want, store.StepsOf{CaseID: r.ID, OnlyActor: only})
		}
	}
	if len(want) > 0 {
		last, err := h.Store.LastSteps(c.Request.Context(), want, steps)
		if err != nil {
			fail(c, err)
			return
		}
		for i := range out.Cases {
			out.Cases[i].Steps = last[out.Cases[i].ID]
		}
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

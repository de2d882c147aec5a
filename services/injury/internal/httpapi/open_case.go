package httpapi

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/pkg/roles"
	"github.com/anxin-welfare/anxin/services/injury/internal/domain"
	"github.com/anxin-welfare/anxin/services/injury/internal/store"
)

// openCaseRequest is the phone form: who, when, where, what, hospital,
// severity. incident_id adds the case to an incident already reported.
type openCaseRequest struct {
	MemberID    string `json:"member_id"`
	UnknownName string `json:"unknown_name"`
	UnitID      string `json:"unit_id"`
	InjuredAt   string `json:"injured_at"`
	Place       string `json:"place"`
	Description string `json:"description"`
	Hospital    string `json:"hospital"`
	Severity    string `json:"severity"`
	IncidentID  string `json:"incident_id"`
}

// mayOpenFor decides whether the caller may open a case in a unit: staff
// only in their own units; an officer or family member anywhere, since they
// report from the scene.
func mayOpenFor(who domain.Actor, unit string) bool {
	if who.Has(roles.Officer, roles.Family) {
		return true
	}
	return who.Has(roles.Caseworker, roles.UnitHead) && slices.Contains(who.Units, unit)
}

func canOpen(who domain.Actor) bool {
	return who.Has(roles.Officer, roles.Family, roles.Caseworker, roles.UnitHead)
}

func (h *Handler) openCase(c *gin.Context) {
	who, ok := h.actor(c)
	if !ok {
		return
	}
	if !canOpen(who) {
		httpx.Respond(c, httpx.Forbidden())
		return
	}
	var req openCaseRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Respond(c, err)
		return
	}
	var fe fieldErrors
	in := domain.OpenInput{MemberID: req.MemberID, UnknownName: req.UnknownName, UnitID: req.UnitID,
		InjuredAt: fe.instant("injured_at", req.InjuredAt), Place: req.Place, Description: req.Description,
		Hospital: req.Hospital, Severity: domain.Severity(req.Severity)}
	if err := h.validateOpen(c.Request.Context(), who, []domain.OpenInput{in}, caseFieldPrefix, &fe); err != nil {
		fail(c, err)
		return
	}
	cs, err := h.commands().Open(c.Request.Context(), h.meta(c, who), store.OpenRequest{IncidentID: req.IncidentID, Injured: []domain.OpenInput{in}})
	if err != nil {
		fail(c, err)
		return
	}
	h.opened()
	c.Header("Location", Prefix+"/cases/"+cs[0].ID)
	h.writeCase(c, http.StatusCreated, cs[0], who)
}

// validateOpen gathers the parse problems and the domain's, with field
// names prefixed per injured person of an incident. The prefix is derived
// from the person's index rather than looked up in a parallel slice, so no
// length mismatch between the two can index out of range. A known
// member's date of birth (from the projection) bounds the injury's day.
func (h *Handler) validateOpen(ctx context.Context, who domain.Actor, ins []domain.OpenInput, prefix func(i int) string, fe *fieldErrors) error {
	now := h.Clock.Now()
	for i := range ins {
		ins[i].MemberBorn = h.memberBorn(ctx, ins[i].MemberID)
		in := ins[i]
		if err := in.Validate(now); err != nil {
			var ve *fielderr.Invalid
			if errors.As(err, &ve) {
				for _, p := range ve.Problems {
					if p.Field == "injured_at" && hasField(*fe, "injured_at") {
						continue // already reported as unparsable
					}
					fe.add(prefix(i)+p.Field, p.Code, p.Args...)
				}
			}
		}
		if in.UnitID != "" && !mayOpenFor(who, in.UnitID) {
			fe.add(prefix(i)+"unit_id", "injury.unit_not_yours")
		}
	}
	return fe.err()
}

// memberBorn is the member's date of birth as the projection knows it, or
// zero for an unnamed injured person or a member enrollment has not
// announced (or announced without a birth date) yet.
func (h *Handler) memberBorn(ctx context.Context, memberID string) time.Time {
	if memberID == "" {
		return time.Time{}
	}
	m := h.projectedMember(ctx, memberID)
	if m.BirthDate == nil {
		return time.Time{}
	}
	y, mo, d := m.BirthDate.Date()
	return time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
}

// caseFieldPrefix names a single case's fields as they are in the request.
func caseFieldPrefix(int) string { return "" }

// incidentFieldPrefix names the fields of the i-th injured person of an
// incident as they are in the request ("injured[0].member_id").
func incidentFieldPrefix(i int) string { return "injured[" + strconv.Itoa(i) + "]." }

func hasField(fe fieldErrors, name string) bool {
	for _, f := range fe {
		if f.Field == name {
			return true
		}
	}
	return false
}

func (h *Handler) opened() {
	if h.CoverageChanged != nil {
		h.CoverageChanged()
	}
}

// openIncidentRequest reports one event with several injured officers: one
// case each, filed and followed together.
type openIncidentRequest struct {
	UnitID      string           `json:"unit_id"`
	OccurredAt  string           `json:"occurred_at"`
	Place       string           `json:"place"`
	Description string           `json:"description"`
	Injured     []injuredRequest `json:"injured"`
}

type injuredRequest struct {
	MemberID    string `json:"member_id"`
	UnknownName string `json:"unknown_name"`
	Severity    string `json:"severity"`
	Hospital    string `json:"hospital"`
}

// maxInjured bounds one incident report.
const maxInjured = 50

type incidentView struct {
	IncidentID string     `json:"incident_id"`
	Cases      []caseView `json:"cases"`
}

func (h *Handler) openIncident(c *gin.Context) {
	who, ok := h.actor(c)
	if !ok {
		return
	}
	if !canOpen(who) {
		httpx.Respond(c, httpx.Forbidden())
		return
	}
	var req openIncidentRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Respond(c, err)
		return
	}
	var fe fieldErrors
	at := fe.instant("occurred_at", req.OccurredAt)
	if len(req.Injured) == 0 || len(req.Injured) > maxInjured {
		fe.add("injured", "injury.injured_count", maxInjured)
		httpx.Respond(c, fe.err())
		return
	}
	ins := make([]domain.OpenInput, len(req.Injured))
	for i, p := range req.Injured {
		ins[i] = domain.OpenInput{MemberID: p.MemberID, UnknownName: p.UnknownName, UnitID: req.UnitID, InjuredAt: at,
			Place: req.Place, Description: req.Description, Hospital: p.Hospital, Severity: domain.Severity(p.Severity)}
	}
	if err := h.validateOpen(c.Request.Context(), who, ins, incidentFieldPrefix, &fe); err != nil {
		fail(c, dedupeShared(err))
		return
	}
	cs, err := h.commands().Open(c.Request.Context(), h.meta(c, who), store.OpenRequest{Injured: ins})
	if err != nil {
		fail(c, err)
		return
	}
	h.opened()
	out := incidentView{IncidentID: cs[0].IncidentID}
	for _, x := range cs {
		out.Cases = append(out.Cases, h.view(c.Request.Context(), x, who))
	}
	c.JSON(http.StatusCreated, out)
}

// dedupeShared reports problems of the shared fields (unit, time, place,
// description) once, under their incident-level name.
func dedupeShared(err error) error {
	var he *httpx.Error
	if !errors.As(err, &he) {
		return err
	}
	shared := map[string]string{"unit_id": "unit_id", "injured_at": "occurred_at", "place": "place", "description": "description"}
	seen := map[string]bool{}
	var out []fielderr.Problem
	for _, f := range he.Fields {
		name := f.Field
		if i := strings.LastIndexByte(name, '.'); i >= 0 {
			if top, ok := shared[name[i+1:]]; ok {
				name = top
			}
		}
		if seen[name+"|"+f.Code] {
			continue
		}
		seen[name+"|"+f.Code] = true
		f.Field = name
		out = append(out, f)
	}
	return httpx.Invalid(out...)
}

package httpapi

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
	"github.com/anxin-welfare/anxin/services/leave/internal/store/carestore"
)

type roundInput struct {
	UnitID string `json:"unit_id"`
	Year   int    `json:"year"`
	Opens  Date   `json:"opens"`
	Closes Date   `json:"closes"`
}

// postRound: a caseworker plans a round for one of their units.
func (a *API) postRound(c *gin.Context) {
	var in roundInput
	if !bind(c, &in) {
		return
	}
	if in.UnitID != "" && !auth.Current(c).InUnit(in.UnitID) {
		respond(c, notFound())
		return
	}
	r, err := a.cmds.CreateRound(c.Request.Context(), domain.Round{UnitID: in.UnitID, Year: in.Year, Opens: in.Opens.Time, Closes: in.Closes.Time}, auth.Current(c).UserID)
	if err != nil {
		respond(c, err)
		return
	}
	httpx.SetETag(c, r.Version)
	c.JSON(http.StatusCreated, toRound(r))
}

// listRounds: the rounds of the caller's units (an officer's unit is the
// one of their member record).
func (a *API) listRounds(c *gin.Context) {
	y, ok := a.yearParam(c, "year", true)
	if !ok {
		return
	}
	id := auth.Current(c)
	units := unitsScope(id)
	if ownMember(id) != "" {
		if m, err := a.store.Member(c.Request.Context(), ownMember(id)); err == nil && !slices.Contains(units, m.UnitID) {
			units = append(units, m.UnitID)
		}
	}
	p, ok := pageOf(c)
	if !ok {
		return
	}
	rs, next, err := a.care.Rounds(c.Request.Context(), y, units, p)
	if err != nil {
		respond(c, err)
		return
	}
	out := make([]roundJSON, len(rs))
	for i, r := range rs {
		out[i] = toRound(r)
	}
	itemsPage(c, out, next)
}

// roundFor loads a round the caller belongs to: staff of its unit, or a
// member of the unit.
func (a *API) roundFor(c *gin.Context) (domain.Round, bool) {
	r, err := a.care.Round(c.Request.Context(), c.Param("id"))
	if err != nil {
		respond(c, err)
		return domain.Round{}, false
	}
	id := auth.Current(c)
	if isStaffOf(id, r.UnitID) || isCheckStaffOf(id, r.UnitID) {
		return r, true
	}
	if ownMember(id) != "" {
		if m, err := a.store.Member(c.Request.Context(), ownMember(id)); err == nil && m.UnitID == r.UnitID {
			return r, true
		}
	}
	respond(c, notFound())
	return domain.Round{}, false
}

type slotInput struct {
	StartsAt time.Time `json:"starts_at"`
	Capacity int       `json:"capacity"`
	Place    string    `json:"place"`
	Notes    string    `json:"notes"`
}

func (a *API) postSlot(c *gin.Context) {
	r, ok := a.roundFor(c)
	if !ok {
		return
	}
	if !isCheckStaffOf(auth.Current(c), r.UnitID) {
		respond(c, notFound())
		return
	}
	var in slotInput
	if !bind(c, &in) {
		return
	}
	s, err := a.cmds.AddSlot(c.Request.Context(), r.ID, domain.Slot{StartsAt: in.StartsAt, Capacity: in.Capacity,
		Place: strings.TrimSpace(in.Place), Notes: strings.TrimSpace(in.Notes)}, auth.Current(c).UserID)
	if err != nil {
		respond(c, err)
		return
	}
	httpx.SetETag(c, s.Version)
	c.JSON(http.StatusCreated, toSlot(s))
}

func (a *API) listSlots(c *gin.Context) {
	r, ok := a.roundFor(c)
	if !ok {
		return
	}
	p, ok := pageOf(c)
	if !ok {
		return
	}
	ss, next, err := a.care.Slots(c.Request.Context(), r.ID, p)
	if err != nil {
		respond(c, err)
		return
	}
	out := make([]slotJSON, len(ss))
	for i, s := range ss {
		out[i] = toSlot(s)
	}
	itemsPage(c, out, next)
}

func (a *API) postCheckBooking(c *gin.Context) {
	s, err := a.care.Slot(c.Request.Context(), c.Param("id"))
	if err != nil {
		respond(c, err)
		return
	}
	member, ok := a.bookingMember(c)
	if !ok {
		return
	}
	b, err := a.cmds.BookCheck(c.Request.Context(), s.ID, member, auth.Current(c).UserID)
	if err != nil {
		respond(c, err)
		return
	}
	httpx.SetETag(c, b.Version)
	c.JSON(http.StatusCreated, toCheck(b))
}

// listChecks: an officer sees their own bookings, caseworkers and unit
// heads their units'.
func (a *API) listChecks(c *gin.Context) {
	id := auth.Current(c)
	p, ok := pageOf(c)
	if !ok {
		return
	}
	f := carestore.CheckFilter{RoundID: c.Query("round_id"), Page: p}
	switch {
	case id.Has(auth.RoleCaseworker, auth.RoleMedicalCaseworker, auth.RoleUnitHead):
		f.Units = unitsScope(id)
		f.MemberID = c.Query("member_id")
	case ownMember(id) != "":
		f.MemberID = ownMember(id)
	default:
		itemsPage(c, []checkJSON{}, "")
		return
	}
	bs, next, err := a.care.Checks(c.Request.Context(), f)
	if err != nil {
		respond(c, err)
		return
	}
	out := make([]checkJSON, len(bs))
	for i, b := range bs {
		out[i] = toCheck(b)
	}
	itemsPage(c, out, next)
}

func (a *API) checkFor(c *gin.Context) (domain.CheckBooking, bool) {
	b, err := a.care.Check(c.Request.Context(), c.Param("id"))
	if err != nil {
		respond(c, err)
		return domain.CheckBooking{}, false
	}
	if id := auth.Current(c); !canSeeBooking(id, b.MemberID, b.UnitID) && !isCheckStaffOf(id, b.UnitID) {
		respond(c, notFound())
		return domain.CheckBooking{}, false
	}
	return b, true
}

func (a *API) getCheck(c *gin.Context) {
	b, ok := a.checkFor(c)
	if !ok {
		return
	}
	httpx.SetETag(c, b.Version)
	c.JSON(http.StatusOK, toCheck(b))
}

// isCheckStaffOf: a caseworker or medical caseworker of the unit, who work
// its health checks.
func isCheckStaffOf(id auth.Identity, unitID string) bool {
	return id.Has(auth.RoleCaseworker, auth.RoleMedicalCaseworker) && id.InUnit(unitID)
}

type resultInput struct {
	Result string `json:"result"`
}

// updateCheck takes a step on a booking (domain.CheckBooking.Decide: a
// medical caseworker of the unit records the result, a caseworker of the
// unit marks a no-show, the member or a caseworker cancels). A caller who
// may not is told so before their input is read.
func (a *API) updateCheck(action string) gin.HandlerFunc {
	return func(c *gin.Context) {
		b, ok := a.checkFor(c)
		if !ok {
			return
		}
		caller := callerOf(auth.Current(c), b.UnitID)
		if !b.Permits(action, caller) {
			respond(c, forbidden())
			return
		}
		v, ok := version(c)
		if !ok {
			return
		}
		var in resultInput
		if action == domain.CheckActionComplete && !bind(c, &in) {
			return
		}
		out, err := a.cmds.DecideCheck(c.Request.Context(), b.ID, v, domain.CheckDecision{Action: action, By: caller, Result: in.Result})
		if err != nil {
			respond(c, err)
			return
		}
		httpx.SetETag(c, out.Version)
		c.JSON(http.StatusOK, toCheck(out))
	}
}

// getCheckResult opens the result for the member and the medical
// caseworkers only; for everybody else it does not exist.
func (a *API) getCheckResult(c *gin.Context) {
	b, err := a.care.Check(c.Request.Context(), c.Param("id"))
	if err != nil {
		respond(c, err)
		return
	}
	id := auth.Current(c)
	if !b.MayReadResult(callerOf(id, b.UnitID)) {
		respond(c, notFound())
		return
	}
	res, err := a.care.CheckResult(c.Request.Context(), b.ID, id.UserID)
	if err != nil {
		respond(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, gin.H{"id": b.ID, "member_id": b.MemberID, "result": res, "completed_on": dateOf(b.CompletedOn)})
}

// getCompliance: the committee (approvers, admins) sees every unit, unit
// staff their own.
func (a *API) getCompliance(c *gin.Context) {
	y, ok := a.yearParam(c, "year", true)
	if !ok {
		return
	}
	pr, ok := pageOf(c)
	if !ok {
		return
	}
	id := auth.Current(c)
	var units []string
	if !id.Has(auth.RoleApprover, auth.RoleAdmin) {
		units = unitsScope(id)
	}
	if u := c.Query("unit"); u != "" {
		if units != nil && !slices.Contains(units, u) {
			itemsPage(c, []complianceJSON{}, "")
			return
		}
		units = []string{u}
	}
	cs, next, err := a.care.Compliance(c.Request.Context(), y, units, pr)
	if err != nil {
		respond(c, err)
		return
	}
	out := make([]complianceJSON, len(cs))
	for i, x := range cs {
		out[i] = toCompliance(x)
	}
	itemsPage(c, out, next)
}

func (a *API) postReminders(c *gin.Context) {
	y, ok := a.yearParam(c, "year", true)
	if !ok {
		return
	}
	n, err := a.cmds.SendReminders(c.Request.Context(), y, auth.Current(c).UserID)
	if err != nil {
		respond(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"year": y, "sent": n})
}

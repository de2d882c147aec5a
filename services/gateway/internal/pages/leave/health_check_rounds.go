package leave

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/api/client"
	leaveapi "github.com/anxin-welfare/anxin/api/client/leave"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// A unit's health-check rounds (/work/health-check-rounds): a caseworker
// plans a round, adds its slots and deals with its bookings (the result
// only if the leave service counts them a medical caseworker).

// hcRound is a health-check round with its slots and their totals.
type hcRound struct {
	ID, UnitID       string
	Year             int
	Opens, Closes    string
	Slots            []checkSlot
	Capacity, Booked int
}

// hcBooking is a health-check booking as a caseworker sees it.
type hcBooking struct {
	ID, RoundID, SlotID, MemberID, MemberName, UnitID string
	Year                                              int
	Status, CompletedOn                               string
	Version                                           int64
}

func hcBookingOf(b leaveapi.Check) hcBooking {
	cb := checkOf(b)
	return hcBooking{ID: cb.ID, RoundID: cb.RoundID, SlotID: cb.SlotID, MemberID: webkit.Deref(b.MemberId), MemberName: webkit.Deref(b.MemberName),
		UnitID: webkit.Deref(b.UnitId), Year: cb.Year, Status: cb.Status, CompletedOn: cb.CompletedOn, Version: cb.Version}
}

type hcRoundsData struct {
	Year   int
	Rounds []hcRound
	// Units are the caseworker's units, for the planning form.
	Units []string
}

// hcSlotView is a slot with its bookings.
type hcSlotView struct {
	checkSlot
	Bookings []hcBooking
}

type hcRoundData struct {
	Round hcRound
	Slots []hcSlotView
	// Posted is "slot" when the slot form came back refused; Edit is the
	// booking whose result form came back.
	Posted string
	Edit   string
}

func (a *area) registerRoundPages(g *gin.RouterGroup) {
	// The unit's caseworkers and medical caseworkers (only the latter may
	// record results; the service decides).
	cw := a.RequireUser(domain.RoleCaseworker, domain.RoleMedicalCaseworker)
	g.GET("/work/health-check-rounds", cw, a.roundsPage)
	g.POST("/work/health-check-rounds", cw, a.planRound)
	g.GET("/work/health-check-rounds/:id", cw, a.roundPage)
	g.POST("/work/health-check-rounds/:id/slots", cw, a.addSlot)
	g.POST("/work/health-check-bookings/:id/complete", cw, a.checkAction("complete"))
	g.POST("/work/health-check-bookings/:id/no-show", cw, a.checkAction("no-show"))
	g.POST("/work/health-check-bookings/:id/cancel", cw, a.checkAction("cancel"))
}

var roundFlash = map[string]string{
	"planned": "web.hcwork.planned", "slot": "web.hcwork.slot_added", "complete": "web.hcwork.recorded",
	"no-show": "web.hcwork.no_show_marked", "cancel": "web.care.cancelled",
}

// pageYear is ?year= when it is a plausible year, else this year.
func (a *area) pageYear(v string) int {
	if y, err := strconv.Atoi(v); err == nil && y >= 2000 && y <= 2100 {
		return y
	}
	return clock.Today(a.Clock).Year()
}

func (a *area) roundsPage(c *gin.Context) {
	year := a.pageYear(c.Query("year"))
	form := web.NewForm().Set("year", strconv.Itoa(year))
	if u := a.User(c); len(u.Units) == 1 {
		form.Set("unit", u.Units[0])
	}
	a.renderRounds(c, http.StatusOK, year, form, webkit.FlashOf(c, roundFlash))
}

// rounds lists the rounds of year in the caseworker's units, with their
// slots. It has answered the request when it reports false.
func (a *area) rounds(c *gin.Context, year int) ([]hcRound, bool) {
	api, err := a.Leave(c)
	if err != nil {
		a.ServiceFailed(c, err)
		return nil, false
	}
	ctx := c.Request.Context()
	rs, err := webkit.All(func(after *string) ([]leaveapi.Round, *string, error) {
		r, err := api.ListRoundsWithResponse(ctx, &leaveapi.ListRoundsParams{Year: &year, After: after, Limit: maxLimit()})
		if err != nil {
			return nil, nil, err
		}
		return listed[leaveapi.Round](r.JSON200)
	})
	if err != nil {
		a.ServiceFailed(c, err)
		return nil, false
	}
	out := make([]hcRound, 0, len(rs))
	for _, rr := range rs {
		r := hcRound{ID: rr.Id.String(), UnitID: rr.UnitId, Year: rr.Year, Opens: rr.Opens.String(), Closes: rr.Closes.String()}
		slots, err := webkit.All(func(after *string) ([]leaveapi.Slot, *string, error) {
			r, err := api.ListSlotsWithResponse(ctx, rr.Id, &leaveapi.ListSlotsParams{After: after, Limit: maxLimit()})
			if err != nil {
				return nil, nil, err
			}
			return listed[leaveapi.Slot](r.JSON200)
		})
		if err != nil {
			a.ServiceFailed(c, err)
			return nil, false
		}
		for _, ss := range slots {
			s := checkSlot{ID: ss.Id.String(), RoundID: ss.RoundId.String(), StartsAt: ss.StartsAt, Capacity: ss.Capacity,
				Booked: webkit.Deref(ss.Booked), Place: webkit.Deref(ss.Place), Notes: webkit.Deref(ss.Notes)}
			r.Slots = append(r.Slots, s)
			r.Capacity += s.Capacity
			r.Booked += s.Booked
		}
		out = append(out, r)
	}
	return out, true
}

func (a *area) renderRounds(c *gin.Context, status, year int, form *web.Form, flash *web.Message) {
	rs, ok := a.rounds(c, year)
	if !ok {
		return
	}
	p := a.Page(c, "web.hcwork.title")
	a.WithUnitNames(c, p)
	p.Form, p.Flash, p.Data = form, flash, hcRoundsData{Year: year, Rounds: rs, Units: a.User(c).Units}
	a.Render(c, status, "health_checks_work", p)
}

// planRound plans a unit's round for a year: the days members may book.
func (a *area) planRound(c *gin.Context) {
	form := webkit.PostedForm(c, "unit", "year", "opens", "closes")
	if form.Value("unit") == "" {
		form.AddError("unit", web.Msg("field.required"))
	}
	year := webkit.FormInt(form, "year", 2000, 2100)
	opens := webkit.FormDate(form, "opens")
	closes := webkit.FormDate(form, "closes")
	shown := a.pageYear(form.Value("year"))
	if form.HasErrors() {
		a.renderRounds(c, http.StatusUnprocessableEntity, shown, form, nil)
		return
	}
	api, err := a.Leave(c)
	var r *leaveapi.CreateRoundResponse
	if err == nil {
		r, err = api.CreateRoundWithResponse(c.Request.Context(), leaveapi.CreateRoundJSONRequestBody{UnitId: form.Value("unit"), Year: year,
			Opens: dateOf(opens), Closes: dateOf(closes)})
	}
	if err == nil && r.JSON201 == nil {
		err = webkit.ErrUnexpected
	}
	if err != nil {
		if webkit.Refused(err, http.StatusNotFound) {
			form.AddError("unit", web.Msg("field.not_found"))
			a.renderRounds(c, http.StatusUnprocessableEntity, shown, form, nil)
			return
		}
		if webkit.ProblemOnForm(err, form, map[string]string{"unit_id": "unit"}) {
			a.renderRounds(c, webkit.StatusOf(err), shown, form, nil)
			return
		}
		a.ServiceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, roundPath(r.JSON201.Id.String(), year)+"&m=planned")
}

func (a *area) roundPage(c *gin.Context) {
	a.renderRound(c, http.StatusOK, c.Param("id"), a.pageYear(c.Query("year")), web.NewForm(), "", "", webkit.FlashOf(c, roundFlash), nil)
}

// renderRound shows one round: its slots, each with its bookings and
// their actions, and the form that adds a slot.
func (a *area) renderRound(c *gin.Context, status int, id string, year int, form *web.Form, posted, edit string, flash, alert *web.Message) {
	rs, ok := a.rounds(c, year)
	if !ok {
		return
	}
	d := hcRoundData{Posted: posted, Edit: edit}
	found := false
	for _, r := range rs {
		if r.ID == id {
			d.Round, found = r, true
		}
	}
	if !found {
		a.ErrorPage(c, http.StatusNotFound, "web.error.404")
		return
	}
	api, err := a.Leave(c)
	if err != nil {
		a.ServiceFailed(c, err)
		return
	}
	// A round is one unit's: its bookings are its members', read whole.
	bookings, err := webkit.All(func(after *string) ([]leaveapi.Check, *string, error) {
		r, err := api.ListChecksWithResponse(c.Request.Context(), &leaveapi.ListChecksParams{RoundId: &id, After: after, Limit: maxLimit()})
		if err != nil {
			return nil, nil, err
		}
		return listed[leaveapi.Check](r.JSON200)
	})
	if err != nil {
		a.ServiceFailed(c, err)
		return
	}
	at := map[string]int{}
	for i, s := range d.Round.Slots {
		at[s.ID] = i
		d.Slots = append(d.Slots, hcSlotView{checkSlot: s})
	}
	for _, cb := range bookings {
		b := hcBookingOf(cb)
		if i, ok := at[b.SlotID]; ok {
			d.Slots[i].Bookings = append(d.Slots[i].Bookings, b)
		}
	}
	if form.Value("year") == "" {
		form.Set("year", strconv.Itoa(year))
	}
	p := a.Page(c, "web.hcwork.round_title")
	a.WithUnitNames(c, p)
	p.Form, p.Flash, p.Alert, p.Data = form, flash, alert, d
	a.Render(c, status, "health_check_round", p)
}

// slotTimeLayouts are the forms a local date and time may be typed in: a
// datetime-local input's, and the same with a space.
var slotTimeLayouts = []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02 15:04", "2006-01-02 15:04:05"}

// parseLocalTime reads a date and time typed in Asia/Shanghai.
func parseLocalTime(v string) (time.Time, bool) {
	for _, l := range slotTimeLayouts {
		if t, err := time.ParseInLocation(l, v, clock.Shanghai); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// addSlot adds a bookable time to a round; the time is typed in Beijing
// time and sent as UTC. The service keeps it inside the round's days.
func (a *area) addSlot(c *gin.Context) {
	id := c.Param("id")
	form := webkit.PostedForm(c, "starts_at", "capacity", "year", "place", "notes")
	year := a.pageYear(form.Value("year"))
	var starts time.Time
	if v := form.Value("starts_at"); v == "" {
		form.AddError("starts_at", web.Msg("field.required"))
	} else if t, ok := parseLocalTime(v); ok {
		starts = t
	} else {
		form.AddError("starts_at", web.Msg("web.hcwork.starts_at_invalid"))
	}
	places := webkit.FormInt(form, "capacity", 1, careMaxCapacity)
	if form.HasErrors() {
		a.renderRound(c, http.StatusUnprocessableEntity, id, year, form, "slot", "", nil, nil)
		return
	}
	round, ok := a.PathID(c, "id")
	if !ok {
		return
	}
	place, notes := form.Value("place"), form.Value("notes")
	api, err := a.Leave(c)
	if err == nil {
		err = webkit.Done(api.AddSlot(c.Request.Context(), round, leaveapi.AddSlotJSONRequestBody{StartsAt: starts, Capacity: places, Place: &place, Notes: &notes})) //nolint:bodyclose // webkit.Done drains and closes it
	}
	if err != nil {
		if webkit.ProblemOnForm(err, form, nil) {
			a.renderRound(c, webkit.StatusOf(err), id, year, form, "slot", "", nil, nil)
			return
		}
		a.ServiceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, roundPath(id, year)+"&m=slot")
}

// checkAction records a booking's result (op "complete", with the result
// typed), marks a no-show or cancels it, at the version the page showed.
// Who may record a result is the leave service's to say: for any other
// caseworker it answers 403, which the page explains.
func (a *area) checkAction(op string) gin.HandlerFunc {
	return func(c *gin.Context) {
		version, err := strconv.ParseInt(c.PostForm("version"), 10, 64)
		if err != nil || version < 1 {
			a.ErrorPage(c, http.StatusBadRequest, "web.error.400")
			return
		}
		id, ok := a.PathID(c, "id")
		if !ok {
			return
		}
		api, err := a.Leave(c)
		if err != nil {
			a.ServiceFailed(c, err)
			return
		}
		ctx, tag := c.Request.Context(), client.Tag(version)
		form := web.NewForm()
		if op == "complete" {
			form.Set("result", strings.TrimSpace(c.PostForm("result")))
			if form.Value("result") == "" {
				form.AddError("result", web.Msg("field.required"))
			}
		}
		status := http.StatusUnprocessableEntity
		var alert *web.Message
		if !form.HasErrors() {
			var done *leaveapi.Check
			switch op {
			case "complete":
				var r *leaveapi.CompleteCheckResponse
				if r, err = api.CompleteCheckWithResponse(ctx, id, &leaveapi.CompleteCheckParams{IfMatch: tag},
					leaveapi.CompleteCheckJSONRequestBody{Result: form.Value("result")}); err == nil {
					done = r.JSON200
				}
			case "no-show":
				var r *leaveapi.MarkNoShowResponse
				if r, err = api.MarkNoShowWithResponse(ctx, id, &leaveapi.MarkNoShowParams{IfMatch: tag}); err == nil {
					done = r.JSON200
				}
			default:
				var r *leaveapi.CancelCheckResponse
				if r, err = api.CancelCheckWithResponse(ctx, id, &leaveapi.CancelCheckParams{IfMatch: tag}); err == nil {
					done = r.JSON200
				}
			}
			if err == nil && done == nil {
				err = webkit.ErrUnexpected
			}
			if err == nil {
				b := checkOf(*done)
				c.Redirect(http.StatusSeeOther, roundPath(b.RoundID, b.Year)+"&m="+op)
				return
			}
			status = webkit.StatusOf(err)
			refused, p, _ := webkit.Refusal(err)
			switch {
			case op == "complete" && refused == http.StatusForbidden && (p.Code == "" || p.Code == "forbidden"):
				alert = webkit.Flash("web.hcwork.not_medical")
			case op == "complete":
				if !webkit.ProblemOnField(err, form, "result", nil) {
					a.ServiceFailed(c, err)
					return
				}
			default:
				if !webkit.ProblemOnForm(err, form, nil) {
					a.ServiceFailed(c, err)
					return
				}
				alert = &webkit.Messages(form)[0]
				form = web.NewForm()
			}
		}
		// Back to the booking's round, with the refusal shown.
		r, err := api.GetCheckWithResponse(ctx, id)
		if err == nil && r.JSON200 == nil {
			err = webkit.ErrUnexpected
		}
		if err != nil {
			a.ServiceFailed(c, err)
			return
		}
		b := checkOf(*r.JSON200)
		edit := ""
		if op == "complete" {
			edit = id.String()
		}
		a.renderRound(c, status, b.RoundID, b.Year, form, "", edit, nil, alert)
	}
}

package httpapi

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// An officer's recuperation stays and health checks as /my shows them (my
// pages). The /care pages themselves live in the leave area
// (pages/leave/care.go) on the generated client; these hand-built reads and
// their mirror structs go when /my moves there too (issue 15).

type recuperationSession struct {
	ID         string `json:"id"`
	FacilityID string `json:"facility_id"`
	From       string `json:"from"`
	To         string `json:"to"`
	Capacity   int    `json:"capacity"`
	Booked     int    `json:"booked"`
	Facility   string `json:"-"`
}

// careBooking is a recuperation booking (session_id) or a health-check
// booking (round_id, slot_id) of the officer.
type careBooking struct {
	ID          string    `json:"id"`
	SessionID   string    `json:"session_id"`
	RoundID     string    `json:"round_id"`
	SlotID      string    `json:"slot_id"`
	Year        int       `json:"year"`
	Status      string    `json:"status"`
	WaitReason  string    `json:"wait_reason"`
	CompletedOn string    `json:"completed_on"`
	RequestedAt time.Time `json:"requested_at"`
	Version     int64     `json:"version"`
}

type checkSlot struct {
	ID       string    `json:"id"`
	RoundID  string    `json:"round_id"`
	StartsAt time.Time `json:"starts_at"`
	Capacity int       `json:"capacity"`
	Booked   int       `json:"booked"`
	// Place and Notes (how to prepare) are what the caseworker set with
	// the slot; either may be empty.
	Place string `json:"place"`
	Notes string `json:"notes"`
}

// careFacilityRef is a facility of GET /recuperation/facilities.
type careFacilityRef struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Location string `json:"location"`
}

// careRound is a health-check round of GET /health-checks/rounds.
type careRound struct {
	ID     string `json:"id"`
	Year   int    `json:"year"`
	Opens  string `json:"opens"`
	Closes string `json:"closes"`
}

// stayView is the officer's stay with where and when it is, why it waits,
// and whether it can still be cancelled (before the stay starts).
type stayView struct {
	careBooking
	Facility  string
	Location  string
	From      string
	To        string
	Wait      *web.Message
	CanCancel bool
}

// checkView is the officer's health check with its time (a slot of a
// round) and whether it can still be cancelled (before the slot's day).
type checkView struct {
	careBooking
	StartsAt  time.Time
	Closes    string
	CanCancel bool
	// Place and Notes are the booked slot's.
	Place, Notes string
}

// sessionView is a stay open for requests; Requested hides the button once
// the officer has a live booking in it.
type sessionView struct {
	recuperationSession
	Location  string
	Requested bool
}

// roundView is a health-check round with its slots; Booked hides every
// Book button of the round once the officer holds a booked or completed
// check in it (the service allows one).
type roundView struct {
	careRound
	Slots  []slotView
	Booked bool
}

// slotView is a slot; Open is true when it can be booked now.
type slotView struct {
	checkSlot
	Open bool
}

type careData struct {
	Sessions []sessionView
	Stays    []stayView
	Rounds   []roundView
	Checks   []checkView
}

type itemsOf[T any] struct {
	Items []T `json:"items"`
}

// loadCare reads the officer's stays and checks and joins each with where
// and when it is: one call per list (facilities, sessions, bookings,
// rounds of a year, slots of a round), not one per booking, except for a
// stay whose session the list does not hold.
func (h *handlers) loadCare(c *gin.Context) (careData, error) {
	var d careData
	today := clock.Today(h.Clock)
	todayS := today.Format(time.DateOnly)
	get := func(path string, out any) error {
		_, err := h.call(c, http.MethodGet, "leave", leaveAPI+path, 0, nil, out)
		return err
	}
	// The officer's own lists, whole: a few facilities, their own stays and checks.
	var (
		facilities    itemsOf[careFacilityRef]
		stays, checks itemsOf[careBooking]
		err           error
	)
	if facilities.Items, err = listAll[careFacilityRef](h, c, "leave", leaveAPI+"/recuperation/facilities"); err != nil {
		return d, err
	}
	if stays.Items, err = listAll[careBooking](h, c, "leave", leaveAPI+"/recuperation/bookings"); err != nil {
		return d, err
	}
	if checks.Items, err = listAll[careBooking](h, c, "leave", leaveAPI+"/health-checks/bookings"); err != nil {
		return d, err
	}
	// Sessions from the first year the officer booked in, so their past
	// stays find their dates; the open ones are those still to start.
	since := today
	for _, b := range stays.Items {
		if y := time.Date(b.Year, 1, 1, 0, 0, 0, 0, time.UTC); b.Year > 1900 && y.Before(since) {
			since = y
		}
	}
	var sessions itemsOf[recuperationSession]
	if sessions.Items, err = listAll[recuperationSession](h, c, "leave", leaveAPI+"/recuperation/sessions?from="+since.Format(time.DateOnly)); err != nil {
		return d, err
	}
	facility := map[string]careFacilityRef{}
	for _, f := range facilities.Items {
		facility[f.ID] = f
	}
	session := map[string]recuperationSession{}
	for _, s := range sessions.Items {
		session[s.ID] = s
	}
	live := map[string]bool{}
	for _, b := range stays.Items {
		if _, ok := session[b.SessionID]; !ok && b.SessionID != "" {
			var s recuperationSession
			if err := get("/recuperation/sessions/"+url.PathEscape(b.SessionID), &s); err == nil && s.ID != "" {
				session[s.ID] = s
			}
		}
		s, known := session[b.SessionID]
		v := stayView{careBooking: b, CanCancel: b.Status != "cancelled" && (!known || s.From > todayS)}
		if known {
			v.From, v.To = s.From, s.To
			v.Facility, v.Location = facility[s.FacilityID].Name, facility[s.FacilityID].Location
		}
		if b.Status == "waitlisted" {
			m := msgOr(waitReasons[b.WaitReason], "web.officer.care.wait.other")
			v.Wait = &m
		}
		if b.Status != "cancelled" {
			live[b.SessionID] = true
		}
		d.Stays = append(d.Stays, v)
	}
	for _, s := range sessions.Items {
		if s.From <= todayS {
			continue
		}
		s.Facility = facility[s.FacilityID].Name
		d.Sessions = append(d.Sessions, sessionView{recuperationSession: s, Location: facility[s.FacilityID].Location, Requested: live[s.ID]})
	}

	// This year's rounds to book in, and the rounds of other years the
	// officer's checks belong to, each read with its slots.
	years := []int{today.Year()}
	for _, b := range checks.Items {
		if b.Year > 1900 && !slices.Contains(years, b.Year) {
			years = append(years, b.Year)
		}
	}
	held := map[string]bool{}
	mine := map[string]bool{}
	for _, b := range checks.Items {
		mine[b.RoundID] = true
		if b.Status == "booked" || b.Status == "completed" {
			held[b.RoundID] = true
		}
	}
	slot := map[string]checkSlot{}
	round := map[string]careRound{}
	for _, y := range years {
		rounds, err := listAll[careRound](h, c, "leave", leaveAPI+"/health-checks/rounds?year="+strconv.Itoa(y))
		if err != nil {
			return d, err
		}
		for _, r := range rounds {
			round[r.ID] = r
			if y != today.Year() && !mine[r.ID] {
				continue
			}
			slots, err := listAll[checkSlot](h, c, "leave", leaveAPI+"/health-checks/rounds/"+url.PathEscape(r.ID)+"/slots")
			if err != nil {
				return d, err
			}
			rv := roundView{careRound: r, Booked: held[r.ID]}
			for _, s := range slots {
				slot[s.ID] = s
				open := s.Booked < s.Capacity && !rv.Booked && shanghaiDay(s.StartsAt) > todayS && (r.Closes == "" || todayS <= r.Closes)
				rv.Slots = append(rv.Slots, slotView{checkSlot: s, Open: open})
			}
			if y == today.Year() {
				d.Rounds = append(d.Rounds, rv)
			}
		}
	}
	for _, b := range checks.Items {
		s, known := slot[b.SlotID]
		v := checkView{careBooking: b, StartsAt: s.StartsAt, Closes: round[b.RoundID].Closes, Place: s.Place, Notes: s.Notes,
			CanCancel: b.Status == "booked" && (!known || shanghaiDay(s.StartsAt) > todayS)}
		d.Checks = append(d.Checks, v)
	}
	return d, nil
}

// waitReasons maps the leave service's wait_reason codes to page texts.
var waitReasons = map[string]string{
	"leave.recuperation.session_full":    "web.officer.care.wait.session_full",
	"leave.recuperation.quota_exhausted": "web.officer.care.wait.quota_exhausted",
}

// shanghaiDay is the calendar day of an instant in Asia/Shanghai.
func shanghaiDay(t time.Time) string { return clock.Local(t).Format(time.DateOnly) }

package httpapi

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/httpx"
)

// myCareLimits bound GET /my/care's ?limit (default 10): the home page
// shows the latest few; the care page pages the whole lists.
const (
	myCareDefault = 10
	myCareMax     = 50
)

type myCheckJSON struct {
	checkJSON
	StartsAt *time.Time `json:"starts_at,omitempty"`
	Place    string     `json:"place"`
}

type myStayJSON struct {
	bookingJSON
	From     *Date  `json:"from,omitempty"`
	To       *Date  `json:"to,omitempty"`
	Facility string `json:"facility"`
	Location string `json:"location"`
}

// myCare answers the caller's own latest health checks (with the slot's
// time) and stays (with their dates and facility), for the officer's home
// page in one call.
func (a *API) myCare(c *gin.Context) {
	member := ownMember(auth.Current(c))
	if member == "" {
		respond(c, forbidden())
		return
	}
	limit := myCareDefault
	if s := c.Query("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > myCareMax {
			respond(c, httpx.Invalid(fielderr.Problem{Field: "limit", Code: "field.range", Args: []any{1, myCareMax}}))
			return
		}
		limit = n
	}
	checks, stays, err := a.care.MyCare(c.Request.Context(), member, limit)
	if err != nil {
		respond(c, err)
		return
	}
	outChecks := make([]myCheckJSON, len(checks))
	for i, x := range checks {
		outChecks[i] = myCheckJSON{checkJSON: toCheck(x.CheckBooking), Place: x.Place}
		if !x.StartsAt.IsZero() {
			at := x.StartsAt
			outChecks[i].StartsAt = &at
		}
	}
	outStays := make([]myStayJSON, len(stays))
	for i, x := range stays {
		outStays[i] = myStayJSON{bookingJSON: toBooking(x.Booking), From: dateOf(x.From), To: dateOf(x.To), Facility: x.Facility, Location: x.Location}
	}
	c.JSON(http.StatusOK, gin.H{"checks": outChecks, "stays": outStays})
}

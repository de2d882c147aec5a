package members

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	grantsapi "github.com/anxin-welfare/anxin/api/client/grants"
	injuryapi "github.com/anxin-welfare/anxin/api/client/injury"
	leaveapi "github.com/anxin-welfare/anxin/api/client/leave"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// A member's page lists the member's injury cases, grant applications,
// leave requests and recuperation stays, each read from the service that
// owns it as the viewer: what the viewer may not see is not there, and
// each line links to the page that opens it where there is one.

// memberRecord is one line of a member's records.
type memberRecord struct {
	Href  string // "" when no page opens it for this viewer
	Label string
	// Status is a catalogue key, or Text a status the service worded.
	Status web.Message
	When   string
}

// memberRecordList is one kind of record: its lines, or Unavailable when
// the service could not be read (the page says so instead of "none").
type memberRecordList struct {
	Items       []memberRecord
	Unavailable bool
}

// memberRecords are the four kinds of records on a member's page.
type memberRecords struct {
	Cases, Grants, Leave, Stays memberRecordList
}

// recordKind is one kind of record, named for the page.
type recordKind struct {
	Kind string
	memberRecordList
}

// Kinds lists the records in the order the page shows them.
func (r memberRecords) Kinds() []recordKind {
	return []recordKind{{"cases", r.Cases}, {"grants", r.Grants}, {"leave", r.Leave}, {"stays", r.Stays}}
}

// statusMsg names a status by its catalogue key, or shows the code when
// the catalogue has none.
func statusMsg(key string) web.Message {
	if i18n.Has(key) {
		return web.Msg(key)
	}
	return web.Localized(key[strings.LastIndexByte(key, '.')+1:])
}

// grantsRecordLimit is how many of the unit's applications the page looks
// through for the member's.
const grantsRecordLimit = 200

// memberRecordsOf reads the member's records. Injury and grants list what
// the viewer may see without a member filter: the lines of this member are
// picked from that list (bounded by the services' own page size).
func (a *area) memberRecordsOf(c *gin.Context, memberID string) memberRecords {
	var out memberRecords
	// read runs one service's read, reporting whether it could be made.
	read := func(service string, get func() error) bool {
		if !a.Routed(service) {
			return false
		}
		if err := get(); err != nil {
			a.Log.WarnContext(c, "member page without records", "service", service, "error", err)
			return false
		}
		return true
	}
	ctx := c.Request.Context()
	out.Cases.Unavailable = !read("injury", func() error {
		api, err := a.Injury(c)
		if err != nil {
			return err
		}
		r, err := api.ListCasesWithResponse(ctx, &injuryapi.ListCasesParams{})
		if err != nil {
			return err
		}
		if r.JSON200 == nil {
			return webkit.ErrUnexpected
		}
		for _, cs := range r.JSON200.Cases {
			if webkit.Deref(cs.MemberId) == memberID {
				out.Cases.Items = append(out.Cases.Items, memberRecord{Href: "/cases/" + url.PathEscape(idOf(cs.Id)), Label: webkit.Deref(cs.Number),
					Status: statusMsg("injury.state." + string(webkit.Deref(cs.State))), When: localDate(webkit.Deref(cs.InjuredAt))})
			}
		}
		return nil
	})
	out.Grants.Unavailable = !read("grants", func() error {
		api, err := a.Grants(c)
		if err != nil {
			return err
		}
		scope, limit := grantsapi.ListApplicationsParamsScope("unit"), grantsRecordLimit
		r, err := api.ListApplicationsWithResponse(ctx, &grantsapi.ListApplicationsParams{Scope: &scope, Limit: &limit})
		if err != nil {
			return err
		}
		if r.JSON200 == nil {
			return webkit.ErrUnexpected
		}
		for _, ap := range webkit.Deref(r.JSON200.Items) {
			if ap.MemberId == memberID {
				out.Grants.Items = append(out.Grants.Items, memberRecord{Href: "/grants/applications/" + url.PathEscape(ap.Id.String()),
					Label: ap.Number + " " + webkit.Deref(ap.ProgramName), Status: web.Localized(webkit.Deref(ap.StateText))})
			}
		}
		return nil
	})
	out.Leave.Unavailable = !read("leave", func() error {
		api, err := a.Leave(c)
		if err != nil {
			return err
		}
		r, err := api.ListRequestsWithResponse(ctx, &leaveapi.ListRequestsParams{MemberId: &memberID})
		if err != nil {
			return err
		}
		if r.JSON200 == nil {
			return webkit.ErrUnexpected
		}
		reqs, err := webkit.Items[leaveapi.Request](r.JSON200.Items)
		for _, rq := range reqs {
			out.Leave.Items = append(out.Leave.Items, memberRecord{Label: rq.From.String() + " – " + rq.To.String(),
				Status: statusMsg("web.leave.status." + string(rq.Status))})
		}
		return err
	})
	out.Stays.Unavailable = !read("leave", func() error {
		api, err := a.Leave(c)
		if err != nil {
			return err
		}
		stays, err := webkit.All(func(after *string) ([]leaveapi.Booking, *string, error) {
			r, err := api.ListBookingsWithResponse(ctx, &leaveapi.ListBookingsParams{MemberId: &memberID, After: after, Limit: maxLimit()})
			if err != nil {
				return nil, nil, err
			}
			if r.JSON200 == nil {
				return nil, nil, webkit.ErrUnexpected
			}
			items, err := webkit.Items[leaveapi.Booking](r.JSON200.Items)
			return items, r.JSON200.Next, err
		})
		for _, b := range stays {
			out.Stays.Items = append(out.Stays.Items, memberRecord{Label: strconv.Itoa(webkit.Deref(b.Year)),
				Status: statusMsg("web.care.stay_status." + string(b.Status)), When: localDate(webkit.Deref(b.RequestedAt))})
		}
		return err
	})
	return out
}

// localDate is the day of t in Asia/Shanghai, "" for none.
func localDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return clock.Local(t).Format(time.DateOnly)
}

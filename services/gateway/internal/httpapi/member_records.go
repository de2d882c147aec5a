package httpapi

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/i18n"
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

// memberRecordsOf reads the member's records. Injury and grants list what
// the viewer may see without a member filter: the lines of this member are
// picked from that list (bounded by the services' own page size).
func (h *handlers) memberRecordsOf(c *gin.Context, memberID string) memberRecords {
	var out memberRecords
	get := func(service, path string, dst any) bool {
		if h.Upstreams == nil || !h.Upstreams.Has(service) {
			return false
		}
		if _, err := h.call(c, http.MethodGet, service, path, 0, nil, dst); err != nil {
			h.Log.WarnContext(c, "member page without records", "service", service, "error", err)
			return false
		}
		return true
	}
	var cases injuryCaseList
	if get("injury", injuryAPI+"/cases", &cases) {
		for _, cs := range cases.Cases {
			if cs.MemberID == memberID {
				out.Cases.Items = append(out.Cases.Items, memberRecord{Href: "/cases/" + url.PathEscape(cs.ID), Label: cs.Number,
					Status: statusMsg("injury.state." + cs.State), When: localDate(cs.InjuredAt)})
			}
		}
	} else {
		out.Cases.Unavailable = true
	}
	var apps itemsOf[grantApplication]
	if get("grants", grantsAPI+"/applications?scope=unit&limit=200", &apps) {
		for _, a := range apps.Items {
			if a.MemberID == memberID {
				out.Grants.Items = append(out.Grants.Items, memberRecord{Href: "/grants/applications/" + url.PathEscape(a.ID),
					Label: a.Number + " " + a.ProgramName, Status: web.Localized(a.StateText)})
			}
		}
	} else {
		out.Grants.Unavailable = true
	}
	var reqs itemsOf[leaveRequest]
	if get("leave", leaveAPI+"/requests?member_id="+url.QueryEscape(memberID), &reqs) {
		for _, r := range reqs.Items {
			out.Leave.Items = append(out.Leave.Items, memberRecord{Label: r.From + " – " + r.To,
				Status: statusMsg("web.leave.status." + r.Status)})
		}
	} else {
		out.Leave.Unavailable = true
	}
	stays, staysErr := []careBooking(nil), errNotRouted
	if h.Upstreams != nil && h.Upstreams.Has("leave") {
		if stays, staysErr = listAll[careBooking](h, c, "leave", leaveAPI+"/recuperation/bookings?member_id="+url.QueryEscape(memberID)); staysErr != nil {
			h.Log.WarnContext(c, "member page without records", "service", "leave", "error", staysErr)
		}
	}
	if staysErr == nil {
		for _, b := range stays {
			out.Stays.Items = append(out.Stays.Items, memberRecord{Label: strconv.Itoa(b.Year),
				Status: statusMsg("web.care.stay_status." + b.Status), When: localDate(b.RequestedAt)})
		}
	} else {
		out.Stays.Unavailable = true
	}
	return out
}

func localDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return clock.Local(t).Format(time.DateOnly)
}

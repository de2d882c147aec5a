package httpapi

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	leavepages "github.com/anxin-welfare/anxin/services/gateway/internal/pages/leave"
)

// approvalsPageSize is the rows of each list on the approvals page: each
// row reads more (a whole application), so fewer than a list's default.
const approvalsPageSize = 20

// approvalsGrants is the grant applications of the approvals page (drawn by
// the leave area, pages/leave): the applications awaiting the committee, a
// page at a time, each read whole for its review. nil when the gateway does
// not route grants.
func (h *handlers) approvalsGrants() leavepages.GrantsQueue {
	if !h.Upstreams.Has("grants") {
		return nil
	}
	return func(c *gin.Context) (any, any, bool, bool) {
		apps, next, stale, err := h.grantQueue(c, "queue", "reviewed", c.Query("grants_after"), approvalsPageSize)
		if err != nil {
			h.serviceFailed(c, err)
			return nil, nil, false, false
		}
		progs := h.grantPrograms(c)
		var rows []grantQueueItem
		for _, a := range apps {
			// The list carries no history; the review needs the approvals
			// given and the caseworker's review, so read the whole record.
			var full grantApplication
			if _, err := h.call(c, http.MethodGet, "grants", grantsAPI+"/applications/"+url.PathEscape(a.ID), 0, nil, &full); err == nil {
				a = full
			}
			rows = append(rows, grantQueueItem{grantApplication: a, Review: h.reviewOf(c, a, progs[a.ProgramID])})
		}
		return rows, pagerFor(c, "grant-approvals", "grants_after", next), stale, true
	}
}

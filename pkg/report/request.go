package report

import (
	"time"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/httpx"
)

// Request reads the filter of a reporting route and narrows it to what the
// caller may see: anybody but the committee and unit heads gets 403 before
// the query is even read; bad months or units get 422. On false the
// answer has been written.
func Request(c *gin.Context, now time.Time) (Filter, bool) {
	id := auth.Current(c)
	if !id.Has(Readers...) {
		httpx.Respond(c, httpx.Forbidden())
		return Filter{}, false
	}
	f, err := FromQuery(c.Request.URL.Query(), now)
	if err == nil {
		f, err = Scope(id, f)
	}
	if err != nil {
		httpx.Respond(c, err)
		return Filter{}, false
	}
	return f, true
}

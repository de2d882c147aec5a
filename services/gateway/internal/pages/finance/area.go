// Package finance is the gateway's finance area: the fund position (a
// server-drawn SVG chart), the trial balance and the payments due, the
// ledger with its filters and reversals, the ledger exports with their
// progress page and download, the run of the recurring grants, and the
// assistance funds of each fiscal year. Every page calls the grants
// service through its generated client (api/client/grants), signed for
// the person whose page it is by the web kit.
package finance

import (
	"time"

	"github.com/gin-gonic/gin"
	openapi_types "github.com/oapi-codegen/runtime/types"

	grantsapi "github.com/anxin-welfare/anxin/api/client/grants"
	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
)

// area is the pages' handlers over the kit.
type area struct {
	*webkit.Kit
}

// Register adds the area's pages to g.
func Register(g *gin.RouterGroup, k *webkit.Kit) {
	a := &area{Kit: k}
	a.registerFinancePages(g)
	a.registerFundPages(g)
}

// maxLimit asks for the largest page a list gives (pkg/page), for a list
// read whole.
func maxLimit() *int {
	n := page.MaxLimit
	return &n
}

// day is a date as YYYY-MM-DD, "" when absent.
func day(d *openapi_types.Date) string {
	if d == nil {
		return ""
	}
	return d.String()
}

// dateOf is the day YYYY-MM-DD as the generated clients take it; ok is
// false when s is no day.
func dateOf(s string) (*openapi_types.Date, bool) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return nil, false
	}
	return &openapi_types.Date{Time: t}, true
}

// fund is an assistance fund of one fiscal year as the pages show it.
type fund struct {
	ID            string
	FiscalYear    int
	Name          string
	Appropriation int64
	Committed     int64
	Disbursed     int64
	Remaining     int64
}

func fundOf(f grantsapi.Fund) fund {
	return fund{ID: f.Id.String(), FiscalYear: f.FiscalYear, Name: f.Name, Appropriation: int64(f.Appropriation),
		Committed: int64(webkit.Deref(f.Committed)), Disbursed: int64(webkit.Deref(f.Disbursed)), Remaining: int64(webkit.Deref(f.Remaining))}
}

// funds reads every fund.
func (a *area) funds(c *gin.Context) ([]fund, error) {
	api, err := a.Grants(c)
	if err != nil {
		return nil, err
	}
	all, err := webkit.All(func(after *string) ([]grantsapi.Fund, *string, error) {
		r, err := api.ListFundsWithResponse(c.Request.Context(), &grantsapi.ListFundsParams{After: after, Limit: maxLimit()})
		if err != nil {
			return nil, nil, err
		}
		if r.JSON200 == nil {
			return nil, nil, webkit.ErrUnexpected
		}
		return webkit.Deref(r.JSON200.Items), r.JSON200.Next, nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]fund, 0, len(all))
	for _, f := range all {
		out = append(out, fundOf(f))
	}
	return out, nil
}

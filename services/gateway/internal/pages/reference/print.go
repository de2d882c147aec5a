package reference

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	openapi_types "github.com/oapi-codegen/runtime/types"

	grantsapi "github.com/anxin-welfare/anxin/api/client/grants"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
)

// Printed documents: each button on a page links here, and the gateway
// streams the PDF the owning service prints for the signed-in person
// (api/openapi/<service>.yaml, "*.pdf" routes). The service decides who may
// print, exactly as for the object's JSON: anyone else gets the 404 page.

// printRoute is one printed document: where the gateway serves it, the
// service that prints it, and the generated call that streams it (ok is
// false when the page has already answered, as for an id that is none).
type printRoute struct {
	path, service string
	open          func(a *area, c *gin.Context) (resp *http.Response, ok bool, err error)
}

func printRoutes() []printRoute {
	return []printRoute{
		{"/cases/:id/print/summary", "injury", func(a *area, c *gin.Context) (*http.Response, bool, error) {
			id, ok := a.PathID(c, "id")
			if !ok {
				return nil, false, nil
			}
			api, err := a.InjuryDownload(c)
			if err != nil {
				return nil, true, err
			}
			resp, err := api.PrintCaseSummary(c.Request.Context(), id)
			return resp, true, err
		}},
		{"/cases/:id/print/determination-cover", "injury", func(a *area, c *gin.Context) (*http.Response, bool, error) {
			id, ok := a.PathID(c, "id")
			if !ok {
				return nil, false, nil
			}
			api, err := a.InjuryDownload(c)
			if err != nil {
				return nil, true, err
			}
			resp, err := api.PrintDeterminationCover(c.Request.Context(), id)
			return resp, true, err
		}},
		{"/grants/applications/:id/print/approval-sheet", "grants", grantsPrint(func(ctx context.Context, api *grantsapi.ClientWithResponses, c *gin.Context) (*http.Response, error) { //nolint:bodyclose // printDocument streams and closes it
			return api.PrintApprovalSheet(ctx, c.Param("id"))
		})},
		{"/finance/ledger/entries/:id/print/voucher", "grants", grantsPrint(func(ctx context.Context, api *grantsapi.ClientWithResponses, c *gin.Context) (*http.Response, error) { //nolint:bodyclose // printDocument streams and closes it
			return api.PrintVoucher(ctx, c.Param("id"))
		})},
		{"/finance/funds/:id/print/disbursements", "grants", func(a *area, c *gin.Context) (*http.Response, bool, error) {
			params := &grantsapi.PrintDisbursementListParams{}
			if v := c.Query("date"); v != "" {
				t, err := time.Parse(time.DateOnly, v)
				if err != nil {
					// The service refuses a date that is none; so does the page.
					a.ErrorPage(c, http.StatusBadRequest, "web.error.400")
					return nil, false, nil
				}
				params.Date = &openapi_types.Date{Time: t}
			}
			api, err := a.GrantsDownload(c)
			if err != nil {
				return nil, true, err
			}
			resp, err := api.PrintDisbursementList(c.Request.Context(), c.Param("id"), params)
			return resp, true, err
		}},
		{"/leave/requests/:id/print/slip", "leave", func(a *area, c *gin.Context) (*http.Response, bool, error) {
			id, ok := a.PathID(c, "id")
			if !ok {
				return nil, false, nil
			}
			api, err := a.LeaveDownload(c)
			if err != nil {
				return nil, true, err
			}
			resp, err := api.PrintRequestSlip(c.Request.Context(), id)
			return resp, true, err
		}},
	}
}

// grantsPrint is the opening of a document the grants service prints.
func grantsPrint(call func(ctx context.Context, api *grantsapi.ClientWithResponses, c *gin.Context) (*http.Response, error)) func(a *area, c *gin.Context) (*http.Response, bool, error) {
	return func(a *area, c *gin.Context) (*http.Response, bool, error) {
		api, err := a.GrantsDownload(c)
		if err != nil {
			return nil, true, err
		}
		resp, err := call(c.Request.Context(), api, c)
		return resp, true, err
	}
}

// registerPrintPages adds the print links' routes: any signed-in person,
// since the service applies the object's own rule.
func (a *area) registerPrintPages(g *gin.RouterGroup) {
	for _, r := range printRoutes() {
		g.GET(r.path, a.RequireUser(), a.printDocument(r))
	}
}

func (a *area) printDocument(r printRoute) gin.HandlerFunc {
	return func(c *gin.Context) {
		if !a.Routed(r.service) {
			a.ServiceFailed(c, webkit.ErrNotRouted)
			return
		}
		resp, ok, err := r.open(a, c)
		if !ok {
			return
		}
		if err != nil {
			a.ServiceFailed(c, err)
			return
		}
		defer resp.Body.Close()
		if ct := resp.Header.Get("Content-Type"); ct != "application/pdf" {
			a.Log.ErrorContext(c, "a print answered something else than a PDF", "service", r.service, "path", c.Request.URL.Path, "content_type", ct)
			a.ErrorPage(c, http.StatusBadGateway, "web.error.503")
			return
		}
		// The service names the file (its own catalogue and numbers, made
		// header-safe by httpx.Attachment); shown in the browser's viewer.
		cd := resp.Header.Get("Content-Disposition")
		if !strings.HasPrefix(cd, "inline;") {
			cd = "inline"
		}
		if err := webkit.PassFile(c, resp, "application/pdf", cd); err != nil {
			a.Log.WarnContext(c, "print interrupted", "service", r.service, "path", c.Request.URL.Path, "error", err)
		}
	}
}

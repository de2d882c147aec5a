package httpapi

import (
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
)

// Printed documents: each button on a page links here, and the gateway
// streams the PDF the owning service prints for the signed-in person
// (api/openapi/<service>.yaml, "*.pdf" routes). The service decides who may
// print, exactly as for the object's JSON: anyone else gets the 404 page.

// printRoute is one printed document: where the gateway serves it and the
// service path it streams (params are the route's, query the allowed query
// keys passed on).
type printRoute struct {
	path, service string
	upstream      func(c *gin.Context) string
	query         []string
}

func printRoutes() []printRoute {
	esc := func(c *gin.Context, name string) string { return url.PathEscape(c.Param(name)) }
	return []printRoute{
		{"/cases/:id/print/summary", "injury", func(c *gin.Context) string { return injuryAPI + "/cases/" + esc(c, "id") + "/summary.pdf" }, nil},
		{"/cases/:id/print/determination-cover", "injury", func(c *gin.Context) string {
			return injuryAPI + "/cases/" + esc(c, "id") + "/determination-cover.pdf"
		}, nil},
		{"/grants/applications/:id/print/approval-sheet", "grants", func(c *gin.Context) string {
			return grantsAPI + "/applications/" + esc(c, "id") + "/approval-sheet.pdf"
		}, nil},
		{"/finance/ledger/entries/:id/print/voucher", "grants", func(c *gin.Context) string { return grantsAPI + "/entries/" + esc(c, "id") + "/voucher.pdf" }, nil},
		{"/finance/funds/:id/print/disbursements", "grants", func(c *gin.Context) string {
			return grantsAPI + "/funds/" + esc(c, "id") + "/disbursements.pdf"
		}, []string{"date"}},
		{"/leave/requests/:id/print/slip", "leave", func(c *gin.Context) string { return leaveAPI + "/requests/" + esc(c, "id") + "/slip.pdf" }, nil},
	}
}

// registerPrintPages adds the print links' routes: any signed-in person,
// since the service applies the object's own rule.
func (h *handlers) registerPrintPages(g *gin.RouterGroup) {
	for _, r := range printRoutes() {
		g.GET(r.path, h.requireUser(), h.printDocument(r))
	}
}

func (h *handlers) printDocument(r printRoute) gin.HandlerFunc {
	return func(c *gin.Context) {
		path := r.upstream(c)
		q := url.Values{}
		for _, k := range r.query {
			if v := c.Query(k); v != "" {
				q.Set(k, v)
			}
		}
		if len(q) > 0 {
			path += "?" + q.Encode()
		}
		if h.Upstreams == nil || !h.Upstreams.Has(r.service) {
			h.serviceFailed(c, errNotRouted)
			return
		}
		resp, err := h.Upstreams.Stream(c.Request.Context(), currentUser(c), lang(c), r.service, path)
		if err != nil {
			h.serviceFailed(c, err)
			return
		}
		defer resp.Body.Close()
		if ct := resp.Header.Get("Content-Type"); ct != "application/pdf" {
			h.Log.ErrorContext(c, "a print answered something else than a PDF", "service", r.service, "path", path, "content_type", ct)
			h.errorPage(c, http.StatusBadGateway, "web.error.503")
			return
		}
		hd := c.Writer.Header()
		hd.Set("Content-Type", "application/pdf")
		// The service names the file (its own catalogue and numbers, made
		// header-safe by httpx.Attachment); shown in the browser's viewer.
		if cd := resp.Header.Get("Content-Disposition"); strings.HasPrefix(cd, "inline;") {
			hd.Set("Content-Disposition", cd)
		} else {
			hd.Set("Content-Disposition", "inline")
		}
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Cache-Control", "no-store")
		if resp.ContentLength >= 0 {
			hd.Set("Content-Length", strconv.FormatInt(resp.ContentLength, 10))
		}
		c.Status(http.StatusOK)
		if _, err := io.Copy(c.Writer, resp.Body); err != nil {
			h.Log.WarnContext(c, "print interrupted", "service", r.service, "path", path, "error", err)
		}
		c.Abort()
	}
}

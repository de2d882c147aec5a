package httpapi

import (
	"errors"
	"html/template"
	"maps"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/i18n"
)

// Lists shown on a page come a page at a time (pkg/page): the service
// answers `{"items": [...], "next": "<cursor>"}` and the page offers a link
// to the next page that carries the cursor in its own query parameter (one
// per list, so a page with two lists pages them apart), and a link back to
// the first page once the reader has moved on.

// listPage is the part of a service's list answer a page reads.
type listPage[T any] struct {
	Items []T    `json:"items"`
	Next  string `json:"next"`
}

// pager is the pair of links under one list, for the "pager" template.
type pager struct {
	// ID names the links' paragraph ("<ID>-pages") and links.
	ID          string
	Lang        i18n.Lang
	Next, First template.URL
}

// pagerFor builds the links of a list whose cursor travels in the page's
// query parameter param: Next is this page's address with param set to the
// list's next cursor ("" on the last page), First the same without param
// (only when the reader is past the first page). A one-off flash (m) is
// not carried.
func pagerFor(c *gin.Context, id, param, next string) pager {
	return pagerAt(c, c.Request.URL.Path, c.Request.URL.Query(), id, param, next)
}

// pagerAt is pagerFor for the page at path with query q: for a page
// rendered again by a form's POST, whose own address is the form's.
func pagerAt(c *gin.Context, path string, q url.Values, id, param, next string) pager {
	p := pager{ID: id, Lang: lang(c)}
	q = maps.Clone(q)
	if q == nil {
		q = url.Values{}
	}
	q.Del("m")
	link := func(v url.Values) template.URL {
		if len(v) == 0 {
			return template.URL(path) //nolint:gosec // the request's own path
		}
		return template.URL(path + "?" + v.Encode()) //nolint:gosec // every part is encoded by url.Values
	}
	if next != "" {
		n := maps.Clone(q)
		n.Set(param, next)
		p.Next = link(n)
	}
	if q.Get(param) != "" {
		q.Del(param)
		p.First = link(q)
	}
	return p
}

// staleCursor reports whether err is a service's 422 about the after
// parameter: a cursor from an old link or typed by hand. The page then
// shows the first page with a note, not an error page.
func staleCursor(err error) bool {
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != http.StatusUnprocessableEntity {
		return false
	}
	for _, f := range ae.Problem.Errors {
		if f.Field == "after" {
			return true
		}
	}
	return false
}

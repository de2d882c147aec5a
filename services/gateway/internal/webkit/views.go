package webkit

import (
	"cmp"
	"html/template"
	"maps"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// The parts of a page the templates share: the pager under a list, the
// confirmation card, the steps of an item's history.

// Pager is the pair of links under one list, for the "pager" template.
type Pager struct {
	// ID names the links' paragraph ("<ID>-pages") and links.
	ID          string
	Lang        i18n.Lang
	Next, First template.URL
}

// PagerFor builds the links of a list whose cursor travels in the page's
// query parameter param: Next is this page's address with param set to the
// list's next cursor ("" on the last page), First the same without param
// (only when the reader is past the first page). A one-off flash (m) is
// not carried.
func (k *Kit) PagerFor(c *gin.Context, id, param, next string) Pager {
	return k.PagerAt(c, c.Request.URL.Path, c.Request.URL.Query(), id, param, next)
}

// PagerAt is PagerFor for the page at path with query q: for a page
// rendered again by a form's POST, whose own address is the form's.
func (k *Kit) PagerAt(c *gin.Context, path string, q url.Values, id, param, next string) Pager {
	p := Pager{ID: id, Lang: k.Lang(c)}
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

// ConfirmCard is the second step of an action that cannot be taken back
// with one click: the page shows, changing nothing, exactly what will
// happen and one button that sends the form again with confirm=yes.
type ConfirmCard struct {
	Text   web.Message
	Hint   string // a catalogue key, optional
	Action string // the form's address
	Hidden []HiddenField
	Button string // catalogue key
	Back   string // where "No, go back" leads
	// Reason asks for a reason, with its value and errors in the page's form.
	Reason bool
}

// HiddenField carries a checked value through the confirmation step.
type HiddenField struct {
	Name  string
	Value string
}

// Confirmed reports whether the form was sent from a confirmation card.
func Confirmed(c *gin.Context) bool { return c.PostForm("confirm") == "yes" }

// TimelineStep is one dated step of an item's history as the pages show
// it: when (an instant shown in Asia/Shanghai, or a day), who, what
// happened and the state it led to, and the words someone wrote.
type TimelineStep struct {
	At   time.Time
	Day  string
	Who  *web.Message
	What web.Message
	To   *web.Message
	Note string
}

// MsgOr is the message key, or fallback when the catalogue lacks it: a code
// a service adds later must not reach a page as a bare key.
func MsgOr(key, fallback string) web.Message {
	if key != "" && i18n.Has(key) {
		return web.Msg(key)
	}
	return web.Msg(fallback)
}

// Flash is the message of key, for a page's flash or alert.
func Flash(key string, args ...any) *web.Message {
	m := web.Msg(key, args...)
	return &m
}

// All reads every page of a list (pkg/page: ?limit&after in, {items, next}
// out) with get, which asks for the page after the cursor it is given: for
// a page that shows a whole list that stays short by what it is (an
// officer's own bookings, a unit's rounds, a year's quotas).
func All[T any](get func(after *string) (items []T, next *string, err error)) ([]T, error) {
	return page.All(get)
}

// UnitsByName lists the ids of names ordered by the units' names, for a
// filter's choices.
func UnitsByName(names map[string]string) []string {
	ids := slices.Collect(maps.Keys(names))
	slices.SortFunc(ids, func(a, b string) int { return cmp.Or(strings.Compare(names[a], names[b]), strings.Compare(a, b)) })
	return ids
}

// CSVSafe stops a spreadsheet reading a cell as a formula.
func CSVSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

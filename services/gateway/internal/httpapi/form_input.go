package httpapi

import (
	"errors"
	"net/http"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// maxFormMemory is how much of a multipart form is kept in memory before
// its files spill to temporary files; gin's default.
const maxFormMemory = 32 << 20

// formInput reads the form of every unsafe page request once, before the
// form-token check or a handler does, and refuses, naming what is wrong:
//
//   - a body over the route's cap: 413 naming the cap (before, the token
//     check found no token in the unread form and called it cross-site);
//   - a value holding a control character (tab, line feed and carriage
//     return are text; NUL, DEL and the like are not): 422 naming the
//     field. PostgreSQL refuses a NUL in text, which was a 500.
//
// A form that is not url-encoded or multipart passes through untouched.
func (h *handlers) formInput(c *gin.Context) {
	if safeMethod(c.Request.Method) || c.Request.Body == nil || c.Request.Body == http.NoBody {
		return
	}
	// ParseMultipartForm drops ParseForm's error on a url-encoded form, so
	// each runs on its own.
	err := c.Request.ParseForm()
	if err == nil {
		err = c.Request.ParseMultipartForm(maxFormMemory)
	}
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		h.refuseTooLarge(c, tooLarge.Limit)
		return
	case err != nil && !errors.Is(err, http.ErrNotMultipart):
		// A broken form: the token check and the handler answer it as
		// they always have (a missing token, a missing field).
		return
	}
	values := c.Request.PostForm
	if c.Request.MultipartForm != nil {
		values = c.Request.MultipartForm.Value
	}
	names := make([]string, 0, len(values))
	for name := range values {
		names = append(names, name)
	}
	slices.Sort(names) // the same form names the same field every time
	for _, name := range names {
		bad := httpx.HasControlChar(name, false)
		for _, v := range values[name] {
			bad = bad || httpx.HasControlChar(v, true)
		}
		if bad {
			h.refuseControlChar(c, name)
			return
		}
	}
}

func (h *handlers) refuseTooLarge(c *gin.Context, limit int64) {
	h.Log.InfoContext(c, "form over its cap refused", "path", c.FullPath(), "limit_bytes", limit)
	if isAPI(c) {
		httpx.Respond(c, httpx.TooLarge(limit))
		return
	}
	h.errorPageMsg(c, http.StatusRequestEntityTooLarge, web.Msg("web.error.too_large", httpx.FormatBytes(limit)))
}

func (h *handlers) refuseControlChar(c *gin.Context, field string) {
	if isAPI(c) {
		httpx.Respond(c, httpx.Invalid(fielderr.Problem{Field: field, Code: httpx.FieldControlChar}))
		return
	}
	h.errorPageMsg(c, http.StatusUnprocessableEntity, web.Msg("web.error.control_char", printableName(field)))
}

// printableName shows a field name that may itself hold control
// characters without them.
func printableName(s string) string {
	out := []rune{}
	for _, r := range s {
		if httpx.IsControlChar(r, false) {
			r = '�'
		}
		out = append(out, r)
	}
	return string(out)
}

// errorPageMsg is errorPage with a message that has arguments, titled by
// the status.
func (h *handlers) errorPageMsg(c *gin.Context, status int, msg web.Message) {
	p := h.page(c, "web.error.title."+strconv.Itoa(status))
	p.Data = struct{ Message web.Message }{msg}
	h.render(c, status, "error", p)
}

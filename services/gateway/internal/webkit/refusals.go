package webkit

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/api/client"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// A service refuses with application/problem+json (pkg/httpx); the
// generated clients return the refusal as a *client.Error carrying the
// body. The pages read this part of it.

// Problem is the part of a refusal's problem body pages use.
type Problem struct {
	Code   string         `json:"code"`
	Title  string         `json:"title"`
	Detail string         `json:"detail"`
	Errors []FieldProblem `json:"errors"`
}

// FieldProblem is one field's problem, already in the reader's language.
type FieldProblem struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Refusal is a service's answer other than 2xx: its status and problem.
// ok is false when err is no refusal (a failure to reach the service, a
// body that could not be read).
func Refusal(err error) (status int, p Problem, ok bool) {
	var ce *client.Error
	if !errors.As(err, &ce) {
		return 0, p, false
	}
	_ = json.Unmarshal(ce.Body, &p) // a body that is no problem leaves p empty
	if p.Code == "" {
		p.Code = ce.Code
	}
	return ce.Status, p, true
}

// Refused reports whether err is a refusal with status.
func Refused(err error, status int) bool {
	s, _, ok := Refusal(err)
	return ok && s == status
}

// ServiceFailed shows the page for a call that failed with err, as the
// service meant it: its 404 as ours (the object does not exist for this
// user), its 403 as ours, a 401 as a session to start again, anything
// unreachable as 503.
func (k *Kit) ServiceFailed(c *gin.Context, err error) {
	status, p, refused := Refusal(err)
	switch {
	case refused && status == http.StatusNotFound:
		k.ErrorPage(c, http.StatusNotFound, "web.error.404")
	case refused && status == http.StatusForbidden:
		k.ErrorPage(c, http.StatusForbidden, "web.error.403")
	case refused && status == http.StatusUnauthorized:
		c.Redirect(http.StatusSeeOther, "/signin?m=session_ended&next="+url.QueryEscape(c.Request.URL.RequestURI()))
		c.Abort()
	case refused && status < 500:
		k.Log.WarnContext(c, "service refused a page's call", "status", status, "code", p.Code)
		k.ErrorPage(c, http.StatusBadRequest, "web.error.400")
	case errors.Is(err, context.Canceled):
		c.Abort()
	default:
		k.Log.ErrorContext(c, "service call failed", "error", err)
		k.ErrorPage(c, http.StatusServiceUnavailable, "web.error.503")
	}
}

// ProblemOnForm puts a service's refusal on a form: each field problem
// next to its field (fields renames a service field to the form's), and
// anything else at the top. It reports false when err is not a refusal to
// explain there (a 5xx, 401, 404, or a plain 403), which the caller shows
// as a page with ServiceFailed. A 403 with its own code is a rule the
// person should read, so it is explained.
func ProblemOnForm(err error, form *web.Form, fields map[string]string) bool {
	status, p, ok := Refusal(err)
	if !ok || status >= 500 || status == http.StatusUnauthorized || status == http.StatusNotFound ||
		(status == http.StatusForbidden && (p.Code == "" || p.Code == "forbidden")) {
		return false
	}
	placed := false
	for _, fe := range p.Errors {
		name := fe.Field
		if alias, ok := fields[name]; ok {
			name = alias
		}
		form.AddError(name, web.Localized(fe.Message))
		placed = true
	}
	if !placed {
		text := p.Title
		if p.Detail != "" {
			text += ": " + p.Detail
		}
		form.AddError("", web.Localized(text))
	}
	return true
}

// StatusOf is the status to answer a refused form with: the service's 409
// or 403 stays as it is, anything else is 422.
func StatusOf(err error) int {
	if status, _, ok := Refusal(err); ok && (status == http.StatusConflict || status == http.StatusForbidden) {
		return status
	}
	return http.StatusUnprocessableEntity
}

// VersionMismatch reports a change refused for a stale version.
func VersionMismatch(err error) bool {
	status, p, ok := Refusal(err)
	return ok && status == http.StatusConflict && p.Code == "version_mismatch"
}

// StaleCursor reports whether err is a service's 422 about the after
// parameter: a cursor from an old link or typed by hand. The page then
// shows the first page with StaleCursorNote, not an error page.
func StaleCursor(err error) bool {
	status, p, ok := Refusal(err)
	if !ok || status != http.StatusUnprocessableEntity {
		return false
	}
	for _, f := range p.Errors {
		if f.Field == "after" {
			return true
		}
	}
	return false
}

// StaleCursorNote is the note shown above a list whose cursor was refused.
func StaleCursorNote() *web.Message {
	m := web.Msg("web.lists.stale_cursor")
	return &m
}

// Messages are a refused form's messages, the general ones first: what a
// page without the form's fields shows as its alert.
func Messages(f *web.Form) []web.Message {
	out := append([]web.Message(nil), f.General()...)
	for _, fe := range f.FieldErrors() {
		out = append(out, fe.Message)
	}
	return out
}

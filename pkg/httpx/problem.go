package httpx

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/pkg/reqctx"

	"github.com/anxin-welfare/anxin/pkg/i18n"
)

// ProblemContentType is the media type of every error response (RFC 9457).
const ProblemContentType = "application/problem+json; charset=utf-8"

// problemTypePrefix makes each code a stable URI for the problem's type
// member; a URN needs no web page behind it.
const problemTypePrefix = "urn:anxin:problem:"

// Problem is the JSON body of an error response. Clients switch on Code;
// Title, Detail and each field Message are in the request's language.
type Problem struct {
	Type      string `json:"type"`
	Title     string `json:"title"`
	Status    int    `json:"status"`
	Code      string `json:"code"`
	Detail    string `json:"detail,omitempty"`
	Instance  string `json:"instance,omitempty"`
	RequestID string `json:"request_id,omitempty"`
	// Errors are the field problems of a validation failure, each with its
	// Message in the request's language.
	Errors []fielderr.Problem `json:"errors,omitempty"`
}

// Lang returns the language to answer c in: the user's setting forwarded by
// the gateway (X-Anxin-Lang), else the browser's Accept-Language, else
// Chinese.
func Lang(c *gin.Context) i18n.Lang {
	if v := c.GetHeader(HeaderLang); v != "" {
		return i18n.Parse(v)
	}
	return i18n.Parse(c.GetHeader("Accept-Language"))
}

// Respond writes err as a problem and aborts the handler chain.
//
// An *Error anywhere in err's chain (errors.As) is written with its status,
// code and fields; a *fielderr.Invalid (a domain's validation) is the 422
// "validation_failed" problem with its fields. A request body over its cap (*http.MaxBytesError) is a
// 413. Anything else is a bug or an outage, not the client's fault: it is
// answered 500 "internal" with a generic title, and the real error goes to
// the log with the request id, never to the client.
func Respond(c *gin.Context, err error) {
	var e *Error
	var tooLarge *http.MaxBytesError
	var invalid *fielderr.Invalid
	switch {
	case err == nil:
		e = Internal(errNilResponse)
	case errors.As(err, &e):
	case errors.As(err, &invalid):
		e = Invalid(invalid.Problems...).WithCause(err)
	case errors.As(err, &tooLarge):
		e = TooLarge(tooLarge.Limit)
	default:
		e = Internal(err)
	}
	if e.Status == http.StatusInternalServerError && e.Code == CodeInternal && databaseUnavailable(c, err) {
		// PostgreSQL is restarting, failing over or refusing connections:
		// nothing is wrong with the request, and it can be sent again.
		// (A service's error mapper answers Internal for what it does not
		// know; the outage is recognised here, for all of them.)
		c.Header("Retry-After", strconv.Itoa(RetryAfterSeconds))
		e = NewError(http.StatusServiceUnavailable, CodeUnavailable).WithCause(err)
	}
	status := e.Status
	if status < 400 || status > 599 {
		status = http.StatusInternalServerError
	}
	// Every 500 is a bug or an outage worth a log line; another 5xx (a 503
	// while a dependency is down) only when it carries a cause, so a
	// failing readiness probe does not flood the log.
	if status == http.StatusInternalServerError || (status > 500 && e.Unwrap() != nil) {
		level := slog.LevelError
		if errors.Is(err, context.Canceled) && c.Request.Context().Err() != nil {
			level = slog.LevelInfo // the client went away; nothing is broken
		}
		Logger(c).Log(c.Request.Context(), level, "request failed",
			"status", status, "code", e.Code, "route", route(c), "error", err)
	}
	writeProblem(c, status, e)
}

// RetryAfterSeconds is what a 503 for a database outage asks a client to
// wait: a PostgreSQL restart or failover takes seconds.
const RetryAfterSeconds = 5

// DatabaseUnavailable reports an error of the database connection rather
// than of the request (pg.IsTransient), while the client still waits: a
// client that went away or a request past its deadline is not an outage.
func DatabaseUnavailable(ctx context.Context, err error) bool {
	if ctx.Err() != nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	return pg.IsTransient(err)
}

func databaseUnavailable(c *gin.Context, err error) bool {
	return DatabaseUnavailable(c.Request.Context(), err)
}

func writeProblem(c *gin.Context, status int, e *Error) {
	lang := Lang(c)
	p := Problem{
		Type:      problemTypePrefix + e.Code,
		Title:     title(lang, status, e),
		Status:    status,
		Code:      e.Code,
		Instance:  c.Request.URL.Path,
		RequestID: reqctx.RequestID(c.Request.Context()),
	}
	if e.detailKey != "" {
		p.Detail = i18n.T(lang, e.detailKey, e.detailArgs...)
	}
	for _, f := range e.Fields {
		p.Errors = append(p.Errors, fielderr.Problem{Field: f.Field, Code: f.Code, Message: i18n.T(lang, f.Code, f.Args...)})
	}
	body, err := marshalProblem(p, e.extra)
	if err != nil {
		// An extension member that cannot be encoded is a programming
		// error; the client still gets a well-formed problem.
		Logger(c).Error("encode problem", "code", e.Code, "error", err)
		body, _ = json.Marshal(p)
	}
	c.Abort()
	if c.Writer.Written() {
		return // a handler already sent a response; nothing more can be said
	}
	c.Header("Cache-Control", "no-store")
	c.Data(status, ProblemContentType, body)
}

// marshalProblem merges the extension members into the problem object,
// without letting them replace a standard member.
func marshalProblem(p Problem, extra map[string]any) ([]byte, error) {
	if len(extra) == 0 {
		return json.Marshal(p)
	}
	std, err := json.Marshal(p)
	if err != nil {
		return nil, err
	}
	var merged map[string]json.RawMessage
	if err := json.Unmarshal(std, &merged); err != nil {
		return nil, err
	}
	for k, v := range extra {
		if _, reserved := merged[k]; reserved || reservedMember(k) {
			continue
		}
		raw, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		merged[k] = raw
	}
	return json.Marshal(merged)
}

func reservedMember(k string) bool {
	switch k {
	case "type", "title", "status", "code", "detail", "instance", "request_id", "errors":
		return true
	}
	return false
}

// title localizes the problem's title. A code a service forgot to register
// falls back to the generic title of its status rather than showing a key.
func title(lang i18n.Lang, status int, e *Error) string {
	if key := "problem." + e.Code; i18n.Has(key) {
		return i18n.T(lang, key, e.Args...)
	}
	return i18n.T(lang, "problem."+statusCode(status))
}

// statusCode is the platform code that stands for a status in general.
func statusCode(status int) string {
	switch status {
	case http.StatusUnauthorized:
		return CodeUnauthenticated
	case http.StatusForbidden:
		return CodeForbidden
	case http.StatusNotFound:
		return CodeNotFound
	case http.StatusMethodNotAllowed:
		return CodeMethodNotAllowed
	case http.StatusConflict:
		return CodeConflict
	case http.StatusRequestEntityTooLarge:
		return CodeTooLarge
	case http.StatusUnsupportedMediaType:
		return CodeUnsupportedMediaType
	case http.StatusUnprocessableEntity:
		return CodeValidationFailed
	case http.StatusPreconditionRequired:
		return CodePreconditionRequired
	case http.StatusTooManyRequests:
		return CodeRateLimited
	case http.StatusServiceUnavailable:
		return CodeUnavailable
	}
	if status >= 500 {
		return CodeInternal
	}
	return CodeBadRequest
}

// route is the matched route pattern, or "unmatched": raw paths would give
// metrics a label value per object id.
func route(c *gin.Context) string {
	if r := c.FullPath(); r != "" {
		return r
	}
	return "unmatched"
}

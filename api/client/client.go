// Package client holds what every caller of the generated service clients
// (api/client/<service>, one package per document in api/openapi) needs
// beside them: request editors for the headers the services read (the
// identity token, If-Match, Idempotency-Key, Accept-Language), a doer that
// turns a refusal into an error carrying the service's problem, and the
// version an ETag names.
//
// The generated packages depend on nothing here; each defines its own
// RequestEditorFn and HttpRequestDoer, and the values below are of the
// unnamed underlying types, so they fit every package:
//
//	c, err := grants.NewClientWithResponses(url, grants.WithHTTPClient(client.Refusals(http.DefaultClient)))
//	r, err := c.GetFundWithResponse(ctx, id, client.Bearer(tok))
//	var refused *client.Error // errors.As(err, &refused): refused.Status, refused.Code
package client

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/anxin-welfare/anxin/pkg/auth"
)

// Editor is the shape of every generated package's RequestEditorFn.
type Editor = func(ctx context.Context, req *http.Request) error

// Doer is the shape of every generated package's HttpRequestDoer.
type Doer interface {
	Do(req *http.Request) (*http.Response, error)
}

// Bearer sends token as the request's bearer credential.
func Bearer(token string) Editor {
	return func(_ context.Context, req *http.Request) error {
		req.Header.Set("Authorization", "Bearer "+token)
		return nil
	}
}

// As mints a short-lived identity token for who, addressed to the service
// audience (the services accept only tokens minted for themselves), and
// sends it, as the gateway does for a signed-in person.
func As(tokens *auth.Tokens, who auth.Identity, audience string) Editor {
	return func(_ context.Context, req *http.Request) error {
		who.Audience = audience
		tok, err := tokens.Issue(who, 5*time.Minute)
		if err != nil {
			return fmt.Errorf("issue a token for %s: %w", audience, err)
		}
		req.Header.Set("Authorization", "Bearer "+tok)
		return nil
	}
}

// IfMatch sends the version the caller last read; the service answers 409
// when the object has moved on since.
func IfMatch(version int64) Editor {
	return func(_ context.Context, req *http.Request) error {
		req.Header.Set("If-Match", strconv.Quote(strconv.FormatInt(version, 10)))
		return nil
	}
}

// IdempotencyKey sends key, so that a retried POST has its effect once.
func IdempotencyKey(key string) Editor {
	return func(_ context.Context, req *http.Request) error {
		req.Header.Set("Idempotency-Key", key)
		return nil
	}
}

// Language asks for messages in lang ("zh-CN", "en").
func Language(lang string) Editor {
	return func(_ context.Context, req *http.Request) error {
		req.Header.Set("Accept-Language", lang)
		return nil
	}
}

// Version is the object version a response's ETag names ("3" or W/"3"), 0
// when there is none.
func Version(resp *http.Response) int64 {
	if resp == nil {
		return 0
	}
	v, err := strconv.ParseInt(strings.Trim(strings.TrimPrefix(resp.Header.Get("ETag"), "W/"), `"`), 10, 64)
	if err != nil {
		return 0
	}
	return v
}

// Error is a service's refusal: a status outside 2xx and its problem body
// (RFC 9457), whose stable code callers branch on.
type Error struct {
	Method string
	Path   string
	Status int
	// Code is the problem's "code" member, "" when the body had none.
	Code string
	// Body is the answer as it came, at most 64 KiB of it.
	Body []byte
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s %s answered %d: %s", e.Method, e.Path, e.Status, strings.TrimSpace(string(e.Body)))
}

// refusals is the Doer Refusals returns.
type refusals struct{ next Doer }

// Refusals wraps next so that an answer outside 2xx comes back as an *Error
// instead of a response: the generated WithResponse methods then return
// it, and a caller never reads a typed body that is not there.
func Refusals(next Doer) Doer { return refusals{next: next} }

func (r refusals) Do(req *http.Request) (*http.Response, error) {
	resp, err := r.next.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 200 && resp.StatusCode <= 299 {
		return resp, nil
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return nil, fmt.Errorf("%s %s answered %d: read the body: %w", req.Method, req.URL.Path, resp.StatusCode, err)
	}
	var problem struct {
		Code string `json:"code"`
	}
	_ = json.Unmarshal(body, &problem) // a body that is not a problem keeps Code empty
	return nil, &Error{Method: req.Method, Path: req.URL.Path, Status: resp.StatusCode, Code: problem.Code, Body: body}
}

// Tag is version as an entity tag ("3"), the value of the If-Match
// parameter the generated Params structs carry.
func Tag(version int64) string { return strconv.Quote(strconv.FormatInt(version, 10)) }

// Server is the base URL of service's API on a host ("http://127.0.0.1:8081"),
// which the generated NewClient functions take: every service serves its
// document's paths under /api/v1/<service>.
func Server(host, service string) string {
	return strings.TrimSuffix(host, "/") + "/api/v1/" + service
}

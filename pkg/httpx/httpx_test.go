package httpx_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/pkg/reqctx"
)

// logBuffer collects log output from concurrent requests.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// testEngine is the real engine with a few routes that exercise the
// platform, and the log it writes.
func testEngine(t *testing.T, o httpx.Options) (*gin.Engine, *logBuffer) {
	t.Helper()
	logs := &logBuffer{}
	o.Logger = slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	if o.Service == "" {
		o.Service = "test"
	}
	e := httpx.New(o)
	type spouse struct {
		Name string `json:"name"`
		Age  int    `json:"age"`
	}
	type member struct {
		Name   string  `json:"name"`
		Age    int     `json:"age"`
		Spouse *spouse `json:"spouse"`
		Born   date    `json:"born"`
		Notes  []struct {
			Text string `json:"text"`
		} `json:"notes"`
	}
	e.POST("/members", func(c *gin.Context) {
		var m member
		if err := httpx.BindJSON(c, &m); err != nil {
			httpx.Respond(c, err)
			return
		}
		c.JSON(http.StatusCreated, m)
	})
	e.POST("/upload", httpx.MaxBody(4<<20), func(c *gin.Context) {
		n, err := io.Copy(io.Discard, c.Request.Body)
		if err != nil {
			httpx.Respond(c, err)
			return
		}
		c.JSON(http.StatusOK, gin.H{"bytes": n})
	})
	e.POST("/small", httpx.MaxBody(10), func(c *gin.Context) {
		if _, err := io.ReadAll(c.Request.Body); err != nil {
			httpx.Respond(c, err)
			return
		}
		c.Status(http.StatusNoContent)
	})
	e.GET("/panic", func(*gin.Context) { panic("secret member 110105199001010012") })
	e.GET("/boom", func(c *gin.Context) {
		httpx.Respond(c, fmt.Errorf("load member: %w", errors.New("pq: password authentication failed")))
	})
	e.GET("/wrapped", func(c *gin.Context) {
		httpx.Respond(c, fmt.Errorf("approve: %w", httpx.NewError(http.StatusConflict, httpx.CodeConflict)))
	})
	e.GET("/extra", func(c *gin.Context) {
		httpx.Respond(c, httpx.NotFound().WithExtra("member_id", "m1").WithExtra("status", 999).WithDetail("field.too_long", 5))
	})
	e.GET("/invalid", func(c *gin.Context) {
		var ps fielderr.List
		ps.Add("name", "field.required")
		ps.Add("spouse.name", "field.too_long", 5)
		httpx.Respond(c, fmt.Errorf("save member: %w", ps.Err()))
	})
	e.GET("/ids", func(c *gin.Context) {
		c.JSON(http.StatusOK, gin.H{"request_id": reqctx.RequestID(c), "trace_id": reqctx.TraceID(c.Request.Context())})
	})
	e.PUT("/things/:id", func(c *gin.Context) {
		v, err := httpx.RequireIfMatch(c)
		if err != nil {
			httpx.Respond(c, err)
			return
		}
		httpx.SetETag(c, v+1)
		c.Status(http.StatusNoContent)
	})
	return e, logs
}

// date is a field type with its own UnmarshalJSON, like a service's date.
type date string

func (d *date) UnmarshalJSON(b []byte) error {
	if string(b) == `"not a date"` {
		return errors.New("bad date")
	}
	*d = date(b)
	return nil
}

type response struct {
	Code    int
	Header  http.Header
	Body    string
	Problem problemBody
}

type problemBody struct {
	Type      string         `json:"type"`
	Title     string         `json:"title"`
	Status    int            `json:"status"`
	Code      string         `json:"code"`
	Detail    string         `json:"detail"`
	Instance  string         `json:"instance"`
	RequestID string         `json:"request_id"`
	Errors    []fieldProblem `json:"errors"`
	Extra     map[string]any `json:"-"`
}

type fieldProblem struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

func do(t *testing.T, h http.Handler, method, target string, body io.Reader, header map[string]string) response {
	t.Helper()
	req := httptest.NewRequest(method, target, body)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	r := response{Code: rec.Code, Header: rec.Header(), Body: rec.Body.String()}
	if strings.HasPrefix(rec.Header().Get("Content-Type"), "application/problem+json") {
		if err := json.Unmarshal(rec.Body.Bytes(), &r.Problem); err != nil {
			t.Fatalf("problem body %q: %v", r.Body, err)
		}
		_ = json.Unmarshal(rec.Body.Bytes(), &r.Problem.Extra)
	}
	return r
}

var jsonHeader = map[string]string{"Content-Type": "application/json"}

func TestBindJSON(t *testing.T) {
	t.Parallel()
	e, _ := testEngine(t, httpx.Options{})
	tests := []struct {
		name        string
		contentType string
		body        string
		wantStatus  int
		wantCode    string
		wantField   string
		wantFCode   string
	}{
		{name: "valid", body: `{"name":"张三","age":40}`, wantStatus: 201},
		{name: "valid with charset", contentType: "application/json; charset=utf-8", body: `{"name":"a"}`, wantStatus: 201},
		{name: "trailing whitespace is fine", body: "{\"name\":\"a\"}\n\t ", wantStatus: 201},
		{name: "unknown field", body: `{"name":"a","salary":1}`, wantStatus: 422, wantCode: "validation_failed", wantField: "salary", wantFCode: "field.unknown"},
		{name: "unknown nested field", body: `{"spouse":{"nick":"x"}}`, wantStatus: 422, wantCode: "validation_failed", wantField: "nick", wantFCode: "field.unknown"},
		{name: "wrong type", body: `{"age":"forty"}`, wantStatus: 422, wantCode: "validation_failed", wantField: "age", wantFCode: "field.type"},
		{name: "wrong nested type", body: `{"spouse":{"age":true}}`, wantStatus: 422, wantCode: "validation_failed", wantField: "spouse.age", wantFCode: "field.type"},
		{name: "wrong top-level type", body: `[1,2]`, wantStatus: 422, wantCode: "validation_failed", wantField: "", wantFCode: "field.type"},
		{name: "field type rejects value", body: `{"born":"not a date"}`, wantStatus: 422, wantCode: "validation_failed", wantFCode: "field.invalid"},
		{name: "syntax error", body: `{"name":}`, wantStatus: 400, wantCode: "malformed_json"},
		{name: "truncated", body: `{"name":"a"`, wantStatus: 400, wantCode: "malformed_json"},
		{name: "empty body", body: ``, wantStatus: 400, wantCode: "malformed_json"},
		{name: "trailing object", body: `{}{}`, wantStatus: 400, wantCode: "malformed_json"},
		{name: "trailing garbage", body: `{} x`, wantStatus: 400, wantCode: "malformed_json"},
		{name: "text plain", contentType: "text/plain", body: `{}`, wantStatus: 415, wantCode: "unsupported_media_type"},
		{name: "form", contentType: "application/x-www-form-urlencoded", body: `a=b`, wantStatus: 415, wantCode: "unsupported_media_type"},
		{name: "no content type", contentType: "-", body: `{}`, wantStatus: 415, wantCode: "unsupported_media_type"},
		{name: "multi-line text", body: `{"name":"第一行\n第二行\r\n\t缩进"}`, wantStatus: 201},
		{name: "escaped CJK is no control", body: `{"name":"\u5f20\u4e09"}`, wantStatus: 201},
		{name: "NUL", body: `{"name":"a\u0000b"}`, wantStatus: 422, wantCode: "validation_failed", wantField: "name", wantFCode: "field.control_char"},
		{name: "NUL in a nested member", body: `{"spouse":{"name":"\u0000"}}`, wantStatus: 422, wantCode: "validation_failed", wantField: "spouse.name", wantFCode: "field.control_char"},
		{name: "bell in an array element", body: `{"notes":[{"text":"ok"},{"text":"\u0007"}]}`, wantStatus: 422, wantCode: "validation_failed", wantField: "notes.1.text", wantFCode: "field.control_char"},
		{name: "DEL", body: "{\"name\":\"a\x7f\"}", wantStatus: 422, wantCode: "validation_failed", wantField: "name", wantFCode: "field.control_char"},
		{name: "C1 raw", body: "{\"name\":\"a\u0085\"}", wantStatus: 422, wantCode: "validation_failed", wantField: "name", wantFCode: "field.control_char"},
		{name: "C1 escaped", body: `{"name":"\u009b31m"}`, wantStatus: 422, wantCode: "validation_failed", wantField: "name", wantFCode: "field.control_char"},
		{name: "escape in a member name", body: `{"na\u0000me":"a"}`, wantStatus: 422, wantCode: "validation_failed", wantField: "na\x00me", wantFCode: "field.control_char"},
		{name: "top-level string", body: `"\u0000"`, wantStatus: 422, wantCode: "validation_failed", wantField: "", wantFCode: "field.control_char"},
		{name: "over the cap", body: `{"name":"` + strings.Repeat("x", 1<<20) + `"}`, wantStatus: 413, wantCode: "too_large"},
		{name: "trailing data over the cap", body: `{}` + strings.Repeat(" ", 1<<20), wantStatus: 413, wantCode: "too_large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			header := map[string]string{"Content-Type": "application/json"}
			switch tt.contentType {
			case "":
			case "-":
				header = nil
			default:
				header["Content-Type"] = tt.contentType
			}
			r := do(t, e, http.MethodPost, "/members", strings.NewReader(tt.body), header)
			if r.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d; body %s", r.Code, tt.wantStatus, r.Body)
			}
			if tt.wantCode == "" {
				return
			}
			if got := r.Header.Get("Content-Type"); got != httpx.ProblemContentType {
				t.Errorf("Content-Type = %q", got)
			}
			if r.Problem.Code != tt.wantCode || r.Problem.Status != tt.wantStatus {
				t.Errorf("problem code/status = %q/%d, want %q/%d", r.Problem.Code, r.Problem.Status, tt.wantCode, tt.wantStatus)
			}
			if r.Problem.Title == "" || strings.HasPrefix(r.Problem.Title, "problem.") {
				t.Errorf("title %q is not localized", r.Problem.Title)
			}
			if tt.wantFCode == "" {
				if len(r.Problem.Errors) != 0 {
					t.Errorf("unexpected field errors %+v", r.Problem.Errors)
				}
				return
			}
			if len(r.Problem.Errors) != 1 {
				t.Fatalf("errors = %+v, want one", r.Problem.Errors)
			}
			f := r.Problem.Errors[0]
			if f.Field != tt.wantField || f.Code != tt.wantFCode || f.Message == "" || f.Message == f.Code {
				t.Errorf("errors[0] = %+v, want field %q code %q with a message", f, tt.wantField, tt.wantFCode)
			}
		})
	}
}

func TestBodyCap(t *testing.T) {
	t.Parallel()
	e, _ := testEngine(t, httpx.Options{MaxBodyBytes: 1000})
	tests := []struct {
		name       string
		target     string
		body       string
		header     map[string]string
		wantStatus int
	}{
		{name: "json within engine cap", target: "/members", body: `{"name":"` + strings.Repeat("x", 900) + `"}`, header: jsonHeader, wantStatus: 201},
		{name: "json over engine cap", target: "/members", body: `{"name":"` + strings.Repeat("x", 1000) + `"}`, header: jsonHeader, wantStatus: 413},
		{name: "upload route allows more", target: "/upload", body: strings.Repeat("x", 3<<20), wantStatus: 200},
		{name: "upload route has its own cap", target: "/upload", body: strings.Repeat("x", 4<<20+1), wantStatus: 413},
		{name: "route with a smaller cap", target: "/small", body: strings.Repeat("x", 11), wantStatus: 413},
		{name: "route with a smaller cap, within", target: "/small", body: "0123456789", wantStatus: 204},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := do(t, e, http.MethodPost, tt.target, strings.NewReader(tt.body), tt.header)
			if r.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d; body %.200s", r.Code, tt.wantStatus, r.Body)
			}
			if tt.wantStatus == 413 && r.Problem.Code != "too_large" {
				t.Errorf("code = %q, want too_large", r.Problem.Code)
			}
			// The refusal names the cap, for people (detail, in Chinese by
			// default) and programs (limit_bytes).
			if tt.wantStatus == 413 && (!strings.Contains(r.Problem.Detail, "不能超过") || r.Problem.Extra["limit_bytes"] == nil) {
				t.Errorf("413 does not name the limit: %s", r.Body)
			}
		})
	}

	t.Run("declared length refused before reading", func(t *testing.T) {
		t.Parallel()
		req := httptest.NewRequest(http.MethodPost, "/upload", &endless{})
		req.ContentLength = 5 << 20
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		if rec.Code != http.StatusRequestEntityTooLarge {
			t.Fatalf("status = %d, want 413", rec.Code)
		}
	})
}

// endless is a body that never ends; reading it at all would hang the test.
type endless struct{}

func (*endless) Read(p []byte) (int, error) { return len(p), nil }

func TestLanguage(t *testing.T) {
	t.Parallel()
	e, _ := testEngine(t, httpx.Options{})
	tests := []struct {
		name      string
		header    map[string]string
		wantTitle string
	}{
		{name: "default chinese", wantTitle: "未找到请求的内容"},
		{name: "english browser", header: map[string]string{"Accept-Language": "en-US,en;q=0.9"}, wantTitle: "Not found"},
		{name: "chinese browser", header: map[string]string{"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"}, wantTitle: "未找到请求的内容"},
		{name: "user setting wins", header: map[string]string{"Accept-Language": "en", httpx.HeaderLang: "zh-CN"}, wantTitle: "未找到请求的内容"},
		{name: "user setting english", header: map[string]string{httpx.HeaderLang: "en"}, wantTitle: "Not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := do(t, e, http.MethodGet, "/nowhere", nil, tt.header)
			if r.Code != http.StatusNotFound || r.Problem.Code != "not_found" {
				t.Fatalf("got %d %q, want 404 not_found", r.Code, r.Problem.Code)
			}
			if r.Problem.Title != tt.wantTitle {
				t.Errorf("title = %q, want %q", r.Problem.Title, tt.wantTitle)
			}
		})
	}

	t.Run("field messages localized", func(t *testing.T) {
		t.Parallel()
		header := map[string]string{"Content-Type": "application/json", "Accept-Language": "en"}
		r := do(t, e, http.MethodPost, "/members", strings.NewReader(`{"x":1}`), header)
		if len(r.Problem.Errors) != 1 || r.Problem.Errors[0].Message != "is not an accepted field" {
			t.Errorf("errors = %+v, want the English message", r.Problem.Errors)
		}
	})
}

func TestRespond(t *testing.T) {
	t.Parallel()
	e, logs := testEngine(t, httpx.Options{})
	tests := []struct {
		name       string
		method     string
		target     string
		wantStatus int
		wantCode   string
		hidden     string
	}{
		{name: "panic", method: "GET", target: "/panic", wantStatus: 500, wantCode: "internal", hidden: "110105199001010012"},
		{name: "plain error", method: "GET", target: "/boom", wantStatus: 500, wantCode: "internal", hidden: "password"},
		{name: "wrapped problem", method: "GET", target: "/wrapped", wantStatus: 409, wantCode: "conflict"},
		{name: "no route", method: "GET", target: "/nowhere", wantStatus: 404, wantCode: "not_found"},
		{name: "wrong method", method: "DELETE", target: "/members", wantStatus: 405, wantCode: "method_not_allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := do(t, e, tt.method, tt.target, nil, map[string]string{httpx.HeaderRequestID: "req-" + tt.wantCode})
			if r.Code != tt.wantStatus || r.Problem.Status != tt.wantStatus || r.Problem.Code != tt.wantCode {
				t.Fatalf("got %d %+v, want %d %s", r.Code, r.Problem, tt.wantStatus, tt.wantCode)
			}
			if r.Header.Get("Content-Type") != httpx.ProblemContentType {
				t.Errorf("Content-Type = %q", r.Header.Get("Content-Type"))
			}
			if r.Problem.Type != "urn:anxin:problem:"+tt.wantCode || r.Problem.Instance != tt.target {
				t.Errorf("type/instance = %q/%q", r.Problem.Type, r.Problem.Instance)
			}
			if r.Problem.RequestID != "req-"+tt.wantCode {
				t.Errorf("request_id = %q", r.Problem.RequestID)
			}
			if tt.hidden != "" {
				if strings.Contains(r.Body, tt.hidden) || strings.Contains(r.Body, "goroutine") {
					t.Errorf("response leaks internals: %s", r.Body)
				}
				if !strings.Contains(logs.String(), tt.hidden) {
					t.Errorf("log lacks the real error %q", tt.hidden)
				}
			}
		})
	}

	t.Run("allow header on 405", func(t *testing.T) {
		t.Parallel()
		r := do(t, e, http.MethodDelete, "/members", nil, nil)
		if r.Header.Get("Allow") != "POST" {
			t.Errorf("Allow = %q, want POST", r.Header.Get("Allow"))
		}
	})

	t.Run("extension members and detail", func(t *testing.T) {
		t.Parallel()
		r := do(t, e, http.MethodGet, "/extra", nil, map[string]string{"Accept-Language": "en"})
		if r.Problem.Extra["member_id"] != "m1" {
			t.Errorf("member_id = %v", r.Problem.Extra["member_id"])
		}
		if r.Problem.Status != 404 {
			t.Errorf("an extension overrode status: %d", r.Problem.Status)
		}
		if r.Problem.Detail != "must be at most 5 characters" {
			t.Errorf("detail = %q", r.Problem.Detail)
		}
	})

	t.Run("panic logged with stack and request id", func(t *testing.T) {
		t.Parallel()
		do(t, e, http.MethodGet, "/panic", nil, map[string]string{httpx.HeaderRequestID: "panic-log-check"})
		var found bool
		for line := range strings.SplitSeq(logs.String(), "\n") {
			if strings.Contains(line, `"panic in handler"`) && strings.Contains(line, "panic-log-check") && strings.Contains(line, "goroutine") {
				found = true
			}
		}
		if !found {
			t.Errorf("no panic log line with stack and request id in:\n%s", logs.String())
		}
	})
}

// TestRespondRendersFieldProblems: a domain's validation error, however
// wrapped, is the 422 validation_failed problem with one entry per field
// problem, its message in the request's language, and each entry only
// field, code and message on the wire.
func TestRespondRendersFieldProblems(t *testing.T) {
	t.Parallel()
	e, _ := testEngine(t, httpx.Options{})
	for _, tc := range []struct {
		lang string
		want []string
	}{
		{lang: "zh-CN", want: []string{i18n.T(i18n.ZH, "field.required"), i18n.T(i18n.ZH, "field.too_long", 5)}},
		{lang: "en", want: []string{i18n.T(i18n.EN, "field.required"), i18n.T(i18n.EN, "field.too_long", 5)}},
	} {
		r := do(t, e, http.MethodGet, "/invalid", nil, map[string]string{"Accept-Language": tc.lang})
		if r.Code != http.StatusUnprocessableEntity || r.Problem.Code != httpx.CodeValidationFailed {
			t.Fatalf("%s: got %d %s, want 422 validation_failed", tc.lang, r.Code, r.Problem.Code)
		}
		got := r.Problem.Errors
		if len(got) != 2 || got[0].Field != "name" || got[0].Code != "field.required" || got[1].Field != "spouse.name" || got[1].Code != "field.too_long" {
			t.Fatalf("%s: errors = %+v", tc.lang, got)
		}
		for i, w := range tc.want {
			if got[i].Message != w || strings.Contains(w, "field.") {
				t.Errorf("%s: message %d = %q, want %q", tc.lang, i, got[i].Message, w)
			}
		}
		var raw struct {
			Errors []map[string]any `json:"errors"`
		}
		if err := json.Unmarshal([]byte(r.Body), &raw); err != nil {
			t.Fatal(err)
		}
		for _, entry := range raw.Errors {
			if len(entry) != 3 || entry["field"] == nil || entry["code"] == nil || entry["message"] == nil {
				t.Errorf("%s: entry %v is not {field, code, message}", tc.lang, entry)
			}
		}
	}
}

func TestRequestIDs(t *testing.T) {
	t.Parallel()
	e, logs := testEngine(t, httpx.Options{})
	const trace = "4bf92f3577b34da6a3ce929d0e0e4736"
	tests := []struct {
		name      string
		header    map[string]string
		wantID    string // "" means a fresh UUID
		wantTrace string // "" means a fresh trace id
	}{
		{name: "none given", header: nil},
		{name: "good id kept", header: map[string]string{httpx.HeaderRequestID: "abc-DEF_123"}, wantID: "abc-DEF_123"},
		{name: "id with spaces replaced", header: map[string]string{httpx.HeaderRequestID: "abc def"}},
		{name: "id with newline replaced", header: map[string]string{httpx.HeaderRequestID: "a\"}\nb"}},
		{name: "too long id replaced", header: map[string]string{httpx.HeaderRequestID: strings.Repeat("a", 65)}},
		{name: "longest id kept", header: map[string]string{httpx.HeaderRequestID: strings.Repeat("a", 64)}, wantID: strings.Repeat("a", 64)},
		{name: "traceparent", header: map[string]string{"traceparent": "00-" + trace + "-00f067aa0ba902b7-01"}, wantTrace: trace},
		{name: "future version with more fields", header: map[string]string{"traceparent": "01-" + trace + "-00f067aa0ba902b7-01-extra"}, wantTrace: trace},
		{name: "upper case trace rejected", header: map[string]string{"traceparent": "00-" + strings.ToUpper(trace) + "-00f067aa0ba902b7-01"}},
		{name: "zero trace rejected", header: map[string]string{"traceparent": "00-" + strings.Repeat("0", 32) + "-00f067aa0ba902b7-01"}},
		{name: "zero parent rejected", header: map[string]string{"traceparent": "00-" + trace + "-0000000000000000-01"}},
		{name: "version ff rejected", header: map[string]string{"traceparent": "ff-" + trace + "-00f067aa0ba902b7-01"}},
		{name: "version 00 with extra rejected", header: map[string]string{"traceparent": "00-" + trace + "-00f067aa0ba902b7-01-x"}},
		{name: "short traceparent rejected", header: map[string]string{"traceparent": "00-abc-def-01"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := do(t, e, http.MethodGet, "/ids", nil, tt.header)
			var got struct {
				RequestID string `json:"request_id"`
				TraceID   string `json:"trace_id"`
			}
			if err := json.Unmarshal([]byte(r.Body), &got); err != nil {
				t.Fatal(err)
			}
			if echoed := r.Header.Get(httpx.HeaderRequestID); echoed != got.RequestID {
				t.Errorf("header %q, context %q", echoed, got.RequestID)
			}
			if tt.wantID != "" && got.RequestID != tt.wantID {
				t.Errorf("request id = %q, want %q", got.RequestID, tt.wantID)
			}
			if tt.wantID == "" && len(got.RequestID) != 36 {
				t.Errorf("request id = %q, want a fresh UUID", got.RequestID)
			}
			if tt.wantTrace != "" && got.TraceID != tt.wantTrace {
				t.Errorf("trace id = %q, want %q", got.TraceID, tt.wantTrace)
			}
			if tt.wantTrace == "" && (len(got.TraceID) != 32 || got.TraceID == trace || strings.ToLower(got.TraceID) != got.TraceID) {
				t.Errorf("trace id = %q, want a fresh one", got.TraceID)
			}
		})
	}

	t.Run("access log line", func(t *testing.T) {
		t.Parallel()
		do(t, e, http.MethodGet, "/ids", nil, map[string]string{httpx.HeaderRequestID: "access-log-check"})
		for line := range strings.SplitSeq(logs.String(), "\n") {
			if !strings.Contains(line, "access-log-check") {
				continue
			}
			var rec map[string]any
			if err := json.Unmarshal([]byte(line), &rec); err != nil {
				t.Fatalf("log line is not JSON: %s", line)
			}
			for _, k := range []string{"method", "route", "status", "duration_ms", "request_id", "trace_id", "bytes", "service"} {
				if _, ok := rec[k]; !ok {
					t.Errorf("access log lacks %s: %s", k, line)
				}
			}
			if rec["route"] != "/ids" || rec["status"] != float64(200) {
				t.Errorf("route/status = %v/%v", rec["route"], rec["status"])
			}
			return
		}
		t.Errorf("no access log line for the request in:\n%s", logs.String())
	})
}

func TestProbes(t *testing.T) {
	t.Parallel()
	failing := httpx.Options{Checks: map[string]httpx.Check{
		"postgres": func(context.Context) error { return nil },
		"nats":     func(context.Context) error { return errors.New("nats: no servers available") },
		"panics":   func(context.Context) error { panic("check bug") },
		"bus": func(context.Context) error {
			return httpx.Explain(errors.New("nats: server 2.9.10 is older than 2.10.0"))
		},
	}}
	passing := httpx.Options{Checks: map[string]httpx.Check{
		"postgres": func(context.Context) error { return nil },
	}}
	hung := httpx.Options{Checks: map[string]httpx.Check{
		"deaf": func(context.Context) error { select {} },
	}}
	tests := []struct {
		name       string
		opts       httpx.Options
		target     string
		wantStatus int
		wantFailed []any
	}{
		{name: "healthz", opts: failing, target: "/healthz", wantStatus: 200},
		{name: "readyz with no checks", opts: httpx.Options{}, target: "/readyz", wantStatus: 200},
		{name: "readyz passing", opts: passing, target: "/readyz", wantStatus: 200},
		{name: "readyz failing", opts: failing, target: "/readyz", wantStatus: 503, wantFailed: []any{"bus", "nats", "panics"}},
		{name: "readyz check ignoring its deadline", opts: hung, target: "/readyz", wantStatus: 503, wantFailed: []any{"deaf"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e, _ := testEngine(t, tt.opts)
			r := do(t, e, http.MethodGet, tt.target, nil, nil)
			if r.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d: %s", r.Code, tt.wantStatus, r.Body)
			}
			if tt.wantStatus == 200 {
				if r.Body != `{"status":"ok"}` && (tt.target != "/readyz" || !strings.HasPrefix(r.Body, `{"checks":{`) || !strings.HasSuffix(r.Body, `},"status":"ok"}`)) {
					t.Errorf("body = %s", r.Body)
				}
				return
			}
			if r.Problem.Code != "unavailable" {
				t.Errorf("code = %q", r.Problem.Code)
			}
			if got := fmt.Sprint(r.Problem.Extra["failed"]); got != fmt.Sprint(tt.wantFailed) {
				t.Errorf("failed = %s, want %v", got, tt.wantFailed)
			}
			if strings.Contains(r.Body, "no servers") {
				t.Errorf("readyz leaks the check error: %s", r.Body)
			}
			// A reason written for operators is said, in the detail and
			// under checks.
			if tt.name == "readyz failing" {
				checks, _ := r.Problem.Extra["checks"].(map[string]any)
				if !strings.Contains(r.Problem.Detail, "bus: nats: server 2.9.10 is older than 2.10.0") ||
					checks["bus"] != "nats: server 2.9.10 is older than 2.10.0" || checks["postgres"] != "ok" {
					t.Errorf("readyz does not say why: %s", r.Body)
				}
			}
		})
	}
}

func TestMetrics(t *testing.T) {
	t.Parallel()
	reg := prometheus.NewRegistry()
	a, _ := testEngine(t, httpx.Options{Service: "enrollment", Registry: reg})
	// A second engine on the same registry, as in `anxin serve all`.
	b, _ := testEngine(t, httpx.Options{Service: "injury", Registry: reg})
	do(t, a, http.MethodPost, "/members", strings.NewReader(`{}`), jsonHeader)
	do(t, b, http.MethodGet, "/nowhere/42", nil, nil)

	r := do(t, httpx.MetricsHandler(reg), http.MethodGet, "/metrics", nil, nil)
	if r.Code != 200 {
		t.Fatalf("status %d", r.Code)
	}
	for _, want := range []string{
		`anxin_http_requests_total{method="POST",route="/members",service="enrollment",status="201"} 1`,
		`anxin_http_requests_total{method="GET",route="unmatched",service="injury",status="404"} 1`,
		`anxin_http_request_duration_seconds_bucket{method="POST",route="/members",service="enrollment",le="+Inf"} 1`,
	} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

// TestNoMetricsOrPprofOnTheEngine: the public listener of a service (and
// of the gateway, which faces the internet) serves neither the scrape nor
// the profiler; they have internal listeners of their own.
func TestNoMetricsOrPprofOnTheEngine(t *testing.T) {
	t.Parallel()
	e, _ := testEngine(t, httpx.Options{})
	for _, path := range []string{"/metrics", "/debug/pprof/", "/debug/pprof/heap", "/debug/pprof/cmdline"} {
		if r := do(t, e, http.MethodGet, path, nil, nil); r.Code != http.StatusNotFound {
			t.Errorf("GET %s on the engine = %d, want 404", path, r.Code)
		}
	}
	if r := do(t, httpx.DebugHandler(), http.MethodGet, "/debug/pprof/cmdline", nil, nil); r.Code != http.StatusOK {
		t.Errorf("pprof on its own handler = %d", r.Code)
	}
	if r := do(t, httpx.MetricsHandler(prometheus.NewRegistry()), http.MethodGet, "/debug/pprof/", nil, nil); r.Code != http.StatusNotFound {
		t.Errorf("pprof on the metrics handler = %d, want 404", r.Code)
	}
}

func TestIfMatch(t *testing.T) {
	t.Parallel()
	e, _ := testEngine(t, httpx.Options{})
	tests := []struct {
		name       string
		ifMatch    []string
		wantStatus int
		wantCode   string
		wantETag   string
	}{
		{name: "strong", ifMatch: []string{`"7"`}, wantStatus: 204, wantETag: `"8"`},
		{name: "weak", ifMatch: []string{`W/"7"`}, wantStatus: 204, wantETag: `"8"`},
		{name: "zero", ifMatch: []string{`"0"`}, wantStatus: 204, wantETag: `"1"`},
		{name: "spaces", ifMatch: []string{` "12" `}, wantStatus: 204, wantETag: `"13"`},
		{name: "missing", wantStatus: 428, wantCode: "precondition_required"},
		{name: "unquoted", ifMatch: []string{`7`}, wantStatus: 400, wantCode: "invalid_if_match"},
		{name: "star", ifMatch: []string{`*`}, wantStatus: 400, wantCode: "invalid_if_match"},
		{name: "list", ifMatch: []string{`"1", "2"`}, wantStatus: 400, wantCode: "invalid_if_match"},
		{name: "two headers", ifMatch: []string{`"1"`, `"2"`}, wantStatus: 400, wantCode: "invalid_if_match"},
		{name: "negative", ifMatch: []string{`"-1"`}, wantStatus: 400, wantCode: "invalid_if_match"},
		{name: "not a number", ifMatch: []string{`"abc"`}, wantStatus: 400, wantCode: "invalid_if_match"},
		{name: "empty tag", ifMatch: []string{`""`}, wantStatus: 400, wantCode: "invalid_if_match"},
		{name: "overflow", ifMatch: []string{`"99999999999999999999"`}, wantStatus: 400, wantCode: "invalid_if_match"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req := httptest.NewRequest(http.MethodPut, "/things/1", nil)
			for _, v := range tt.ifMatch {
				req.Header.Add("If-Match", v)
			}
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, req)
			if rec.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d: %s", rec.Code, tt.wantStatus, rec.Body)
			}
			if tt.wantETag != "" && rec.Header().Get("ETag") != tt.wantETag {
				t.Errorf("ETag = %q, want %q", rec.Header().Get("ETag"), tt.wantETag)
			}
			if tt.wantCode != "" && !strings.Contains(rec.Body.String(), `"code":"`+tt.wantCode+`"`) {
				t.Errorf("body %s lacks code %s", rec.Body, tt.wantCode)
			}
		})
	}
}

func TestErrorIsImmutable(t *testing.T) {
	t.Parallel()
	base := httpx.Invalid(fielderr.Problem{Field: "a", Code: "field.required"})
	derived := base.WithFields(fielderr.Problem{Field: "b", Code: "field.required"}).WithExtra("k", 1).WithCause(errors.New("x"))
	if len(base.Fields) != 1 || base.Unwrap() != nil {
		t.Errorf("base changed: %+v", base)
	}
	if len(derived.Fields) != 2 || derived.Unwrap() == nil {
		t.Errorf("derived = %+v", derived)
	}
	var target *httpx.Error
	if !errors.As(fmt.Errorf("ctx: %w", derived), &target) || target.Status != http.StatusUnprocessableEntity {
		t.Error("errors.As through wrapping failed")
	}
}

func TestTrustedProxies(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		proxies []string
		want    string
	}{
		{name: "off by default: forwarded header ignored", want: "192.0.2.10"},
		{name: "trusted proxy: forwarded header believed", proxies: []string{"192.0.2.0/24"}, want: "203.0.113.7"},
		{name: "other proxy: forwarded header ignored", proxies: []string{"198.51.100.1"}, want: "192.0.2.10"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e, _ := testEngine(t, httpx.Options{TrustedProxies: tt.proxies})
			e.GET("/ip", func(c *gin.Context) { c.String(http.StatusOK, c.ClientIP()) })
			req := httptest.NewRequest(http.MethodGet, "/ip", nil)
			req.RemoteAddr = "192.0.2.10:4711"
			req.Header.Set("X-Forwarded-For", "203.0.113.7")
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, req)
			if rec.Body.String() != tt.want {
				t.Errorf("ClientIP = %q, want %q", rec.Body, tt.want)
			}
		})
	}
}

func TestOptionsValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		proxies []string
		wantErr bool
	}{
		{name: "none"},
		{name: "address and cidrs", proxies: []string{"10.0.0.1", "10.0.0.0/8", "::1", "fd00::/8"}},
		{name: "hostname", proxies: []string{"proxy.local"}, wantErr: true},
		{name: "bad cidr", proxies: []string{"10.0.0.0/99"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := httpx.Options{TrustedProxies: tt.proxies}.Validate()
			if (err != nil) != tt.wantErr {
				t.Errorf("Validate = %v, wantErr %v", err, tt.wantErr)
			}
		})
	}
}

package httpx_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/httpx"
)

// FuzzBindJSON feeds arbitrary bodies to a strict decode: whatever a client
// sends, the answer is a well-formed 2xx or 4xx, never a panic or a 500.
func FuzzBindJSON(f *testing.F) {
	for _, seed := range []string{
		`{"name":"张三","age":40,"tags":["a"],"spouse":{"name":"李四"},"born":"2020-01-02"}`,
		`{"name":1}`, `{"spouse":{"age":"x"}}`, `{"nope":1}`, `{"tags":[1]}`, `[]`, `null`,
		`{}{}`, `{} x`, `{"name":"\ud800"}`, `{"age":1e400}`, `{"born":123}`, ``, ` `, `{`, `"`,
	} {
		f.Add([]byte(seed))
	}
	type spouse struct {
		Name string `json:"name"`
	}
	type member struct {
		Name   string    `json:"name"`
		Age    int       `json:"age"`
		Tags   []string  `json:"tags"`
		Spouse *spouse   `json:"spouse"`
		Born   time.Time `json:"born"`
	}
	e := httpx.New(httpx.Options{Logger: slog.New(slog.DiscardHandler), MaxBodyBytes: 4096})
	e.POST("/m", func(c *gin.Context) {
		var m member
		if err := httpx.BindJSON(c, &m); err != nil {
			httpx.Respond(c, err)
			return
		}
		c.Status(http.StatusNoContent)
	})
	f.Fuzz(func(t *testing.T, body []byte) {
		req := httptest.NewRequest(http.MethodPost, "/m", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		if rec.Code == http.StatusNoContent {
			return
		}
		if rec.Code < 400 || rec.Code >= 500 {
			t.Fatalf("body %q: status %d: %s", body, rec.Code, rec.Body)
		}
		var p struct {
			Code   string `json:"code"`
			Status int    `json:"status"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || p.Code == "" || p.Status != rec.Code {
			t.Fatalf("body %q: malformed problem %s (%v)", body, rec.Body, err)
		}
	})
}

package httpapi_test

import (
	"io"
	"log/slog"
	"net/http"
	"testing"

	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/services/gateway/internal/httpapi"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// secureHandler is e's gateway as deployed outside development.
func secureHandler(t *testing.T, e *env) http.Handler {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	renderer, err := web.NewRenderer()
	if err != nil {
		t.Fatal(err)
	}
	engine := httpx.New(httpx.Options{Service: "gateway", Logger: log})
	if err := httpapi.Register(engine, httpapi.Deps{Accounts: e.accounts, Renderer: renderer, Clock: e.clk, Log: log, Secure: true}); err != nil {
		t.Fatal(err)
	}
	return engine
}

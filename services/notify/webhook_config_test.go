package notify_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/app"
	"github.com/anxin-welfare/anxin/services/notify"
)

// A webhook call may not outlast its lease (it would be made twice), and
// the development setting that lets webhooks call this machine's network
// stops a production start.
func TestWebhookSettingsAreChecked(t *testing.T) {
	t.Parallel()
	cfg := notify.Config{HTTPAddr: "127.0.0.1:0", Schema: "notify", WebhookTimeout: 3 * time.Minute}
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "ANXIN_NOTIFY_WEBHOOK_TIMEOUT") {
		t.Errorf("a 3-minute timeout: %v", err)
	}
	cfg.WebhookTimeout = 10 * time.Second
	if err := cfg.Validate(); err != nil {
		t.Errorf("the default: %v", err)
	}
	cfg.WebhookAllowLocal = true
	deps := &app.Deps{Config: app.Config{Env: app.EnvProduction}}
	if _, err := notify.New(context.Background(), deps, cfg); !errors.Is(err, app.ErrConfig) || !strings.Contains(err.Error(), "ANXIN_NOTIFY_WEBHOOK_ALLOW_LOCAL") {
		t.Errorf("local addresses in production: %v", err)
	}
}

package app_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/pkg/app"
	"github.com/anxin-welfare/anxin/pkg/app/apptest"
	"github.com/anxin-welfare/anxin/pkg/httpx"
)

// TestPlatformGauges: a service's gauges say its outbox backlog, the age of
// its oldest unsent event and its dead letters waiting for an admin.
func TestPlatformGauges(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ctx := context.Background()
	b, err := app.NewBase(ctx, env.Deps, app.BaseConfig{Name: "demo", HTTPAddr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.DB.Close() })
	scrape := func() map[string]float64 {
		t.Helper()
		w := env.Do(t, httpx.MetricsHandler(b.Registry), nil, "GET", "/metrics", nil)
		out := map[string]float64{}
		for _, line := range strings.Split(w.Body.String(), "\n") {
			for _, name := range []string{"anxin_outbox_backlog", "anxin_outbox_oldest_unsent_age_seconds", "anxin_dead_letters_pending"} {
				if rest, ok := strings.CutPrefix(line, name+`{service="demo"} `); ok {
					out[name], _ = strconv.ParseFloat(rest, 64)
				}
			}
		}
		return out
	}
	b.ReadGauges(ctx)
	if got := scrape(); got["anxin_outbox_backlog"] != 0 || got["anxin_outbox_oldest_unsent_age_seconds"] != 0 || got["anxin_dead_letters_pending"] != 0 || len(got) != 3 {
		t.Fatalf("empty service: %v", got)
	}
	// Two unsent events, the older written 90 s ago; one sent long ago;
	// two dead letters, one already replayed.
	b.DB.MustExecContext(ctx, `INSERT INTO outbox (id, subject, type, envelope, created_at, sent_at) VALUES
		(gen_random_uuid(), 's', 't', '\x00', now() - interval '90 seconds', NULL),
		(gen_random_uuid(), 's', 't', '\x00', now() - interval '10 seconds', NULL),
		(gen_random_uuid(), 's', 't', '\x00', now() - interval '2 hours', now() - interval '2 hours')`)
	b.DB.MustExecContext(ctx, `INSERT INTO dead_letters (consumer, event_id, subject, envelope, error, deliveries, replayed_at) VALUES
		('demo-x', gen_random_uuid(), 's', '\x00', 'boom', 5, NULL),
		('demo-x', gen_random_uuid(), 's', '\x00', 'boom', 5, now())`)
	b.ReadGauges(ctx)
	got := scrape()
	if got["anxin_outbox_backlog"] != 2 || got["anxin_dead_letters_pending"] != 1 ||
		got["anxin_outbox_oldest_unsent_age_seconds"] < 90 || got["anxin_outbox_oldest_unsent_age_seconds"] > 3600 {
		t.Fatalf("gauges: %v", got)
	}
}

package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/app"
	"github.com/anxin-welfare/anxin/pkg/app/apptest"
	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/pkg/httpx"
)

// TestReadyzTellsTheTruthAboutTheConsumers: a service one of whose
// consumers cannot be declared is not ready, and /readyz says which and
// why, with every consumer's health; once they all are, it is ready and
// still shows them.
func TestReadyzTellsTheTruthAboutTheConsumers(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ctx := context.Background()
	noop := func(context.Context, *sqlx.Tx, bus.Event) error { return nil }

	bad, err := app.NewBase(ctx, env.Deps, app.BaseConfig{Name: "demo", HTTPAddr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	bad.Consume(bus.ConsumerConfig{Name: "demo-good", Subjects: []string{"welfare.demo.thing.>"}}, noop)
	// A name JetStream does not allow: its declaration fails every time,
	// as every consumer of ours fails on a 2.9 server.
	bad.Consume(bus.ConsumerConfig{Name: "demo.bad", Subjects: []string{"welfare.demo.other.>"}}, noop)
	apptest.Run(t, bad.Run)

	var body map[string]any
	apptest.Eventually(t, 15*time.Second, "both consumers tried", func() bool {
		w := env.Do(t, bad.Engine, nil, "GET", "/readyz", nil)
		body = map[string]any{}
		_ = json.Unmarshal(w.Body.Bytes(), &body)
		cs, _ := body["consumers"].([]any)
		tried := 0
		for _, c := range cs {
			if m := c.(map[string]any); m["declared"] == true || m["error"] != nil {
				tried++
			}
		}
		checks, _ := body["checks"].(map[string]any)
		reason, _ := checks["consumers"].(string)
		return w.Code == http.StatusServiceUnavailable && tried == 2 && !strings.Contains(reason, "yet")
	})
	checks, _ := body["checks"].(map[string]any)
	reason, _ := checks["consumers"].(string)
	if !strings.HasPrefix(reason, "consumer demo.bad not declared: ") || strings.Contains(reason, "demo-good") ||
		!strings.Contains(body["detail"].(string), "consumers: consumer demo.bad not declared") || checks["nats"] != "ok" || checks["postgres"] != "ok" {
		t.Fatalf("readyz does not say why: %v", body)
	}
	for _, c := range body["consumers"].([]any) {
		m := c.(map[string]any)
		if (m["name"] == "demo-good") != (m["declared"] == true) {
			t.Errorf("consumer health %v", m)
		}
	}

	good, err := app.NewBase(ctx, env.Deps, app.BaseConfig{Name: "demo2", HTTPAddr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	good.Consume(bus.ConsumerConfig{Name: "demo2-things", Subjects: []string{"welfare.demo2.thing.>"}}, noop)
	apptest.Run(t, good.Run)
	apptest.Eventually(t, 15*time.Second, "demo2 ready", func() bool {
		w := env.Do(t, good.Engine, nil, "GET", "/readyz", nil)
		return w.Code == http.StatusOK && strings.Contains(w.Body.String(), `"name":"demo2-things","declared":true,"num_pending":0,"num_ack_pending":0`)
	})
	metrics := env.Do(t, httpx.MetricsHandler(good.Registry), nil, "GET", "/metrics", nil).Body.String()
	for _, want := range []string{`anxin_consumer_declared{consumer="demo2-things"} 1`, `anxin_consumer_pending_messages{consumer="demo2-things"} 0`,
		`anxin_consumer_ack_pending_messages{consumer="demo2-things"} 0`} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

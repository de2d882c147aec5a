package events_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/anxin-welfare/anxin/services/notify/internal/events"
)

// Every event notify consumes can be subscribed to: each has a schema.
func TestEveryConsumedEventIsAWebhookKind(t *testing.T) {
	t.Parallel()
	kinds := events.WebhookKinds()
	if len(kinds) != len(events.Subjects()) || !slices.Contains(kinds, "injury.case.opened") || !slices.Contains(kinds, "leave.healthcheck.reminder") {
		t.Errorf("kinds %v for %d subjects", kinds, len(events.Subjects()))
	}
}

// The body carries the public envelope and only the data the schema
// declares; amounts stay exact.
func TestTheWebhookBodyIsWhatTheSchemaPublishes(t *testing.T) {
	t.Parallel()
	ev := event(t, "grants", "grant.disbursed", map[string]any{"application_id": "a1", "number": "GA-1", "member_id": "m1",
		"amount": int64(9007199254740993), "period": "2026-11", "bank_account": "6222020200000000000"})
	kind, body, err := events.WebhookBody(ev)
	if err != nil || kind != "grants.grant.disbursed" {
		t.Fatalf("%q %v", kind, err)
	}
	var got struct {
		ID, Type string
		Version  int
		Data     map[string]json.RawMessage
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(body, &got); err != nil || json.Unmarshal(body, &all) != nil {
		t.Fatal(err)
	}
	if got.ID != ev.ID.String() || got.Type != kind || got.Version != 1 || len(all) != 5 {
		t.Errorf("envelope %s", body)
	}
	if _, ok := got.Data["bank_account"]; ok {
		t.Errorf("a field the schema does not publish left: %s", body)
	}
	if string(got.Data["amount"]) != "9007199254740993" || string(got.Data["number"]) != `"GA-1"` {
		t.Errorf("data %s", body)
	}
	if _, _, err := events.WebhookBody(event(t, "payroll", "run.done", map[string]any{})); err == nil {
		t.Error("an event without a schema has a body")
	}
}

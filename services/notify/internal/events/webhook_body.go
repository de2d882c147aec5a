package events

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/google/uuid"

	apievents "github.com/anxin-welfare/anxin/api/events"
	"github.com/anxin-welfare/anxin/pkg/bus"
)

// WebhookKinds are the event types a webhook subscription may choose:
// every event notify consumes that has a schema in api/events, named
// "<source>.<aggregate>.<event>" (e.g. "injury.case.opened"), in the order
// of the routes. A route added to routes.go joins by itself.
func WebhookKinds() []string {
	var out []string
	for _, r := range routes {
		if _, err := schemaOf(r.source, r.typ); err == nil {
			out = append(out, r.source+"."+r.typ)
		}
	}
	return out
}

// webhookEnvelope is the public JSON a receiver gets: the envelope's
// id, type, version and time, and the data the schema publishes. The bus
// envelope's subject id, aggregate version and trace id are internal.
type webhookEnvelope struct {
	ID         uuid.UUID `json:"id"`
	Type       string    `json:"type"`
	Version    int       `json:"version"`
	OccurredAt time.Time `json:"occurred_at"`
	Data       any       `json:"data"`
}

// WebhookBody is what webhook receivers get of ev, and its kind: the data
// cut down to the properties its schema declares, at every depth, so a
// field a producer adds without publishing it never leaves.
func WebhookBody(ev bus.Event) (kind string, body []byte, err error) {
	if ev.Version != Version {
		return "", nil, bus.Permanent(fmt.Errorf("webhook body of %s %s: version %d, not %d", ev.Source, ev.Type, ev.Version, Version))
	}
	schema, err := schemaOf(ev.Source, ev.Type)
	if err != nil {
		return "", nil, fmt.Errorf("webhook body of %s %s v%d: %w", ev.Source, ev.Type, ev.Version, err)
	}
	dec := json.NewDecoder(bytes.NewReader(ev.Data))
	dec.UseNumber() // amounts in fen stay exact
	var data any
	if err := dec.Decode(&data); err != nil {
		return "", nil, bus.Permanent(fmt.Errorf("webhook body of %s: %w", ev.ID, err))
	}
	kind = ev.Source + "." + ev.Type
	body, err = json.Marshal(webhookEnvelope{ID: ev.ID, Type: kind, Version: ev.Version,
		OccurredAt: ev.OccurredAt.UTC(), Data: published(schema, data)})
	return kind, body, err
}

// published keeps of v what schema declares: an object's properties when
// the schema lists them, an array's items through their schema.
func published(schema map[string]any, v any) any {
	switch x := v.(type) {
	case map[string]any:
		props, ok := schema["properties"].(map[string]any)
		if !ok {
			return x
		}
		out := make(map[string]any, len(x))
		for k, val := range x {
			if sub, ok := props[k].(map[string]any); ok {
				out[k] = published(sub, val)
			}
		}
		return out
	case []any:
		items, ok := schema["items"].(map[string]any)
		if !ok {
			return x
		}
		out := make([]any, len(x))
		for i, val := range x {
			out[i] = published(items, val)
		}
		return out
	}
	return v
}

var schemas sync.Map // "<source>.<type>" -> map[string]any

func schemaOf(source, typ string) (map[string]any, error) {
	key := source + "." + typ
	if s, ok := schemas.Load(key); ok {
		return s.(map[string]any), nil
	}
	raw, err := apievents.Schema(source, typ, Version)
	if err != nil {
		return nil, err
	}
	var s map[string]any
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, fmt.Errorf("schema %s: %w", key, err)
	}
	schemas.Store(key, s)
	return s, nil
}

package bus

import (
	"encoding/json"
	"fmt"
	"regexp"
	"time"

	"github.com/google/uuid"
)

// Event is the envelope every Anxin event travels in. Data is the
// type-specific payload, described by api/events/<source>.<type>.v<N>.json.
type Event struct {
	ID               uuid.UUID       `json:"id"`
	Type             string          `json:"type"`
	Version          int             `json:"version"`
	OccurredAt       time.Time       `json:"occurred_at"`
	Source           string          `json:"source"`
	SubjectID        string          `json:"subject_id"`
	AggregateVersion int64           `json:"aggregate_version"`
	Data             json.RawMessage `json:"data"`
	TraceID          string          `json:"trace_id,omitempty"`
}

var (
	sourceRe = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	typeRe   = regexp.MustCompile(`^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$`)
)

// NewEvent builds an envelope with a fresh UUIDv7 id. typ is
// "<aggregate>.<event>", e.g. "member.registered"; aggVersion is the
// aggregate's version after the change, so projections can ignore stale
// events.
func NewEvent(source, typ string, version int, subjectID string, aggVersion int64, data any, at time.Time) (Event, error) {
	if !sourceRe.MatchString(source) {
		return Event{}, fmt.Errorf("bus: bad event source %q", source)
	}
	if !typeRe.MatchString(typ) {
		return Event{}, fmt.Errorf("bus: bad event type %q (want aggregate.event)", typ)
	}
	if version < 1 {
		return Event{}, fmt.Errorf("bus: bad event version %d", version)
	}
	raw, err := json.Marshal(data)
	if err != nil {
		return Event{}, fmt.Errorf("bus: marshal %s data: %w", typ, err)
	}
	id, err := uuid.NewV7()
	if err != nil {
		return Event{}, fmt.Errorf("bus: event id: %w", err)
	}
	return Event{
		ID:               id,
		Type:             typ,
		Version:          version,
		OccurredAt:       at.UTC(),
		Source:           source,
		SubjectID:        subjectID,
		AggregateVersion: aggVersion,
		Data:             raw,
	}, nil
}

// Subject is where the event is published:
// welfare.<source>.<aggregate>.<event>.v<N>.
func (e Event) Subject() string {
	return Subject(e.Source, e.Type, e.Version)
}

// Subject builds welfare.<source>.<type>.v<version>; consumers use it to
// build their filters.
func Subject(source, typ string, version int) string {
	return fmt.Sprintf("welfare.%s.%s.v%d", source, typ, version)
}

// Decode unmarshals the event's data into v.
func (e Event) Decode(v any) error {
	if err := json.Unmarshal(e.Data, v); err != nil {
		return fmt.Errorf("bus: decode %s %s: %w", e.Type, e.ID, err)
	}
	return nil
}

// ParseEnvelope reads an envelope from a message body.
func ParseEnvelope(b []byte) (Event, error) {
	var e Event
	if err := json.Unmarshal(b, &e); err != nil {
		return Event{}, fmt.Errorf("%w: %w", ErrBadEnvelope, err)
	}
	if e.ID == uuid.Nil || e.Type == "" || e.Source == "" {
		return Event{}, fmt.Errorf("%w: missing id, type or source", ErrBadEnvelope)
	}
	return e, nil
}

package events

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/bus"
)

// MemberConsumerName is the durable consumer of member events.
const MemberConsumerName = "injury-members"

// MemberSubjects are the enrollment events the member projection follows.
var MemberSubjects = []string{
	bus.Subject("enrollment", "member.registered", 1),
	bus.Subject("enrollment", "member.updated", 1),
	bus.Subject("enrollment", "member.deceased", 1),
}

// memberPayload is the part of enrollment's member payload the projection
// keeps; other members of the payload are ignored.
type memberPayload struct {
	MemberID string `json:"member_id"`
	UnitID   string `json:"unit_id"`
	Name     string `json:"name"`
	Category string `json:"category"`
	// BirthDate is YYYY-MM-DD; empty or unparsable leaves the projection
	// without a birth date rather than refusing the event.
	BirthDate string `json:"birth_date"`
	Version   int64  `json:"version"`
}

// errBadMember is a member event that can never be applied.
var errBadMember = errors.New("member event without member id")

// HandleMember applies a member event to the projection in the consumer's
// transaction (the bus records the event in the inbox in the same one, so a
// redelivery has no second effect). An event older than what the
// projection holds is ignored.
func HandleMember(ctx context.Context, tx *sqlx.Tx, ev bus.Event) error {
	var p memberPayload
	if err := ev.Decode(&p); err != nil {
		return bus.Permanent(err)
	}
	if p.MemberID == "" {
		p.MemberID = ev.SubjectID
	}
	if p.MemberID == "" {
		return bus.Permanent(fmt.Errorf("%w: event %s", errBadMember, ev.ID))
	}
	version := ev.AggregateVersion
	if version == 0 {
		version = p.Version
	}
	m := Member{MemberID: p.MemberID, Name: p.Name, UnitID: p.UnitID, Category: p.Category}
	if born, err := time.Parse(time.DateOnly, p.BirthDate); err == nil {
		m.BirthDate = born
	}
	return UpsertMember(ctx, tx, m, version, ev.OccurredAt)
}

// Member is one member of the local projection (the store reads it back).
type Member struct {
	MemberID string
	Name     string
	UnitID   string
	Category string
	// BirthDate is the date of birth as midnight UTC; zero when unknown.
	BirthDate time.Time
}

// UpsertMember applies a member event inside the consumer's transaction.
// An event older than the one already applied (a lower aggregate version) is
// ignored, so redelivery and reordering cannot roll the projection back.
// Open cases of the member pick up a changed category.
func UpsertMember(ctx context.Context, tx sqlx.ExtContext, m Member, version int64, at time.Time) error {
	var born *string
	if !m.BirthDate.IsZero() {
		d := m.BirthDate.Format(time.DateOnly)
		born = &d
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO members (member_id, name, unit_id, category, birth_date, event_version, updated_at)
		VALUES ($1, $2, $3, $4, $5::date, $6, $7)
		ON CONFLICT (member_id) DO UPDATE SET name = EXCLUDED.name, unit_id = EXCLUDED.unit_id,
			category = EXCLUDED.category, birth_date = EXCLUDED.birth_date,
			event_version = EXCLUDED.event_version, updated_at = EXCLUDED.updated_at
		WHERE members.event_version < EXCLUDED.event_version`,
		m.MemberID, m.Name, m.UnitID, m.Category, born, version, at.UTC()); err != nil {
		return fmt.Errorf("upsert member %s: %w", m.MemberID, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE cases SET category = $2 WHERE member_id = $1 AND state <> 'closed' AND category <> $2`,
		m.MemberID, m.Category); err != nil {
		return fmt.Errorf("member category on cases: %w", err)
	}
	return nil
}

package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/services/notify/internal/domain"
)

// FanOut records, inside the consumer's transaction tx, one inbox entry
// per recipient of event eventID and one pending delivery per channel each
// recipient wants and can be reached on. The unique keys (event, person)
// and (event, person, channel) make a second run a no-op. available says
// which delivery channels this deployment has an adapter for.
func FanOut(ctx context.Context, tx *sqlx.Tx, eventID uuid.UUID, n domain.Notice, to []domain.Recipient,
	available func(domain.Channel) bool, now time.Time) error {
	args, err := json.Marshal(n.Args)
	if err != nil {
		return err
	}
	if n.Args == nil {
		args = []byte("[]")
	}
	for _, r := range to {
		var nid uuid.UUID
		// DO UPDATE with no change, so the existing row's id comes back.
		err := tx.GetContext(ctx, &nid, `INSERT INTO notifications (id, user_id, event_id, kind, critical, args, link, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
			ON CONFLICT (event_id, user_id) DO UPDATE SET event_id = EXCLUDED.event_id RETURNING id`,
			uuid.New(), r.UserID, eventID, n.Kind, n.Critical, args, n.Link, now)
		if err != nil {
			return fmt.Errorf("inbox entry for %s: %w", r.UserID, err)
		}
		p, err := preferences(ctx, tx, r.UserID)
		if err != nil {
			return err
		}
		at := p.SendAt(now, n.Critical)
		for _, ch := range p.ChannelsFor(n.Kind, n.Critical) {
			addr, ok := p.Address(ch)
			if !ok || !available(ch) {
				continue
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO deliveries
				(id, notification_id, event_id, user_id, channel, address, lang, state, next_at, created_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $9)
				ON CONFLICT (event_id, user_id, channel) DO NOTHING`,
				uuid.New(), nid, eventID, r.UserID, ch, addr, r.Lang, at, now)
			if err != nil {
				return fmt.Errorf("delivery %s to %s: %w", ch, r.UserID, err)
			}
		}
	}
	return nil
}

package bus

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"
)

// Advance records that projection has applied version of subjectID and
// reports whether the caller should apply the event: false means the
// projection already holds this version or a newer one (events of an
// aggregate can arrive out of order when several relays run), so the event
// must be ignored. Call it in the handler's transaction.
func Advance(ctx context.Context, tx sqlx.QueryerContext, projection, subjectID string, version int64) (bool, error) {
	var got int64
	err := sqlx.GetContext(ctx, tx, &got, `INSERT INTO projection_versions (projection, subject_id, version) VALUES ($1, $2, $3)
		ON CONFLICT (projection, subject_id) DO UPDATE SET version = EXCLUDED.version
		WHERE projection_versions.version < EXCLUDED.version
		RETURNING version`, projection, subjectID, version)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("bus: advance projection %s/%s: %w", projection, subjectID, err)
	}
	return true, nil
}

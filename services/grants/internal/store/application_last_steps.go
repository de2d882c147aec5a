package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/lib/pq"

	"github.com/anxin-welfare/anxin/services/grants/internal/domain"
)

// LastActionsQuery reads the last n actions of each application (one
// lateral read of application_actions_app per application, newest first).
const LastActionsQuery = `SELECT x.application_id::text AS application_id, a.id, a.round, a.step, a.actor, a.actor_name, a.at, a.reason
	FROM unnest($1::uuid[]) AS x(application_id)
	CROSS JOIN LATERAL (SELECT * FROM application_actions aa WHERE aa.application_id = x.application_id ORDER BY aa.id DESC LIMIT $2) a`

// lastActionRow is an action with its application and its place in the
// history.
type lastActionRow struct {
	ApplicationID string `db:"application_id"`
	ID            int64  `db:"id"`
	actionRow
}

// WithLastActions gives each record its last n actions (oldest first) and
// their actors' names, in one statement for the whole page: a list of
// applications with their latest steps is not a detail call (three
// statements) per application.
func (s *Store) WithLastActions(ctx context.Context, recs []Record, n int) error {
	if len(recs) == 0 || n <= 0 {
		return nil
	}
	ids := make([]string, len(recs))
	for i, r := range recs {
		ids[i] = r.App.ID
	}
	var rows []lastActionRow
	if err := s.DB.SelectContext(ctx, &rows, LastActionsQuery, pq.StringArray(ids), n); err != nil {
		return fmt.Errorf("last actions: %w", err)
	}
	slices.SortFunc(rows, func(a, b lastActionRow) int { return cmp.Compare(a.ID, b.ID) })
	at := make(map[string]int, len(recs))
	for i := range recs {
		at[recs[i].App.ID] = i
		recs[i].App.Actions = nil
		if recs[i].ActorNames == nil {
			recs[i].ActorNames = map[string]string{}
		}
	}
	for _, r := range rows {
		rec := &recs[at[r.ApplicationID]]
		rec.App.Actions = append(rec.App.Actions, domain.Action{Round: r.Round, Step: domain.Step(r.Step), Actor: r.Actor, At: r.At.UTC(), Reason: r.Reason})
		if r.ActorName != "" {
			rec.ActorNames[r.Actor] = r.ActorName
		}
	}
	return nil
}

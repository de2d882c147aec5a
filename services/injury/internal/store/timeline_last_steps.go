package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/lib/pq"
)

// StepsOf asks for the last steps of one case; OnlyActor, when set, keeps
// only the entries that user made (what a reporting colleague may see).
type StepsOf struct {
	CaseID    string
	OnlyActor string
}

// LastStepsQuery reads the last n timeline entries of each case (one
// lateral read of timeline_case_idx per case, newest first).
const LastStepsQuery = `SELECT x.case_id::text AS case_id, t.id, t.at, t.actor_id, t.actor_name, t.kind, t.action, t.from_state, t.to_state, t.body, t.data
	FROM unnest($1::uuid[], $2::text[]) AS x(case_id, only_actor)
	CROSS JOIN LATERAL (SELECT * FROM timeline tl WHERE tl.case_id = x.case_id AND (x.only_actor = '' OR tl.actor_id = x.only_actor)
		ORDER BY tl.id DESC LIMIT $3) t`

// LastSteps returns the last n timeline entries of each case, oldest
// first, by case id, in one statement: the list of a page of cases with
// their latest steps costs two statements, not one or more per case.
func (s *Store) LastSteps(ctx context.Context, cases []StepsOf, n int) (map[string][]TimelineItem, error) {
	out := make(map[string][]TimelineItem, len(cases))
	if len(cases) == 0 || n <= 0 {
		return out, nil
	}
	ids, only := make([]string, len(cases)), make([]string, len(cases))
	for i, c := range cases {
		ids[i], only[i] = c.CaseID, c.OnlyActor
	}
	var rows []struct {
		CaseID string `db:"case_id"`
		TimelineItem
	}
	if err := s.db.SelectContext(ctx, &rows, LastStepsQuery, pq.Array(ids), pq.Array(only), n); err != nil {
		return nil, fmt.Errorf("last steps: %w", err)
	}
	for _, r := range rows {
		out[r.CaseID] = append(out[r.CaseID], r.TimelineItem)
	}
	for id := range out {
		slices.SortFunc(out[id], func(a, b TimelineItem) int { return cmp.Compare(a.ID, b.ID) })
	}
	return out, nil
}

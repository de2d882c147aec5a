package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/services/injury/internal/domain"
)

// Escalation is one clock the sweeper escalated; or lapsed (Lapsed, Level
// none): a window the member let pass (domain.ClockKind.Lapses); or told of
// at its amber point (Amber, Level the clock's level as it stands).
type Escalation struct {
	CaseID string
	Number string
	Clock  domain.ClockKind
	Level  domain.Level
	Lapsed bool
	Amber  bool
}

// SweepAnnounce gives the event telling of clock k of case c, found by a
// sweep at now: at its amber point (amber), or escalated.
type SweepAnnounce func(c *domain.Case, k domain.SLAClock, amber bool, now time.Time) (bus.Event, error)

type dueClockRow struct {
	clockRow
	Number   string  `db:"number"`
	Severity string  `db:"severity"`
	MemberID *string `db:"member_id"`
	UnitID   string  `db:"unit_id"`
	InCharge string  `db:"in_charge_user_id"`
	Version  int64   `db:"version"`
}

// sweepClaimSQL claims the clocks due to be looked at ($1 now, $2 the
// batch): one range of sla_clocks_due_idx, whatever the number of clocks
// (TestTheSweepIsOneIndexedQuery).
const sweepClaimSQL = `SELECT k.id, k.case_id, k.kind, k.started_at, k.due_at, k.amber_at,
	(extract(epoch FROM k.committee_after) * 1000000)::bigint AS committee_after_us,
	k.paused_at, k.stopped_at, k.outcome, k.level, k.amber_warned,
	c.number, c.severity, c.member_id, c.unit_id, c.in_charge_user_id, c.version
	FROM sla_clocks k JOIN cases c ON c.id = k.case_id
	WHERE k.next_fire_at <= $1
	ORDER BY k.next_fire_at
	LIMIT $2
	FOR UPDATE OF k SKIP LOCKED`

// SweepOnce claims up to limit clocks whose next escalation or amber point
// is due, with FOR UPDATE SKIP LOCKED so replicas sweeping at once never
// take the same clock, escalates them, and writes a timeline entry and a
// case.escalated event for each, all in one transaction. A clock at its
// amber point gets a case.sla_amber event instead, and the point is
// recorded as dealt with (amber_warned) in the same transaction, so a
// second sweep, replica or restart never tells of it twice. A lapsing
// clock (the appeal window) is stopped as lapsed, with a "lapse" timeline
// entry and no event. Deadlines live in the database, so a restart loses
// nothing: the next sweep finds what is due. announce gives the event of
// each clock told of (the case as the sweep reads it: identity, severity,
// in charge and version).
func (s *Store) SweepOnce(ctx context.Context, limit int, announce SweepAnnounce) ([]Escalation, error) {
	if limit <= 0 {
		limit = 1000
	}
	var out []Escalation
	err := pg.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		out = out[:0]
		now := s.clk.Now().UTC()
		var due []dueClockRow
		if err := tx.SelectContext(ctx, &due, sweepClaimSQL, now, limit); err != nil {
			return fmt.Errorf("claim due clocks: %w", err)
		}
		if len(due) == 0 {
			return nil
		}
		var (
			ids, levels            []int64
			next, warned           []sql.NullString
			tlCase, tlData, tlLvls []string
			evs                    []bus.Event
			lapsed                 []int64
			lapseCase, lapseData   []string
		)
		for _, r := range due {
			k := r.toDomain()
			if k.Lapse(now) {
				lapsed = append(lapsed, k.ID)
				lapseCase = append(lapseCase, r.CaseID)
				lapseData = append(lapseData, fmt.Sprintf(`{"clock":%q,"outcome":%q,"due_at":%q}`, k.Kind, k.Outcome, k.DueAt.Format(time.RFC3339)))
				out = append(out, Escalation{CaseID: r.CaseID, Number: r.Number, Clock: k.Kind, Lapsed: true})
				continue
			}
			amber := k.WarnAmber(now)
			lvl, raised := k.Escalate(now)
			ids = append(ids, k.ID)
			levels = append(levels, int64(lvl))
			next = append(next, timeText(k.NextFireAt()))
			warned = append(warned, timeText(k.AmberWarned))
			if !amber && !raised {
				continue
			}
			// An amber point lies before the deadline and an escalation
			// after it, so a clock is told of one or the other; only an
			// escalation goes on the timeline.
			if !amber {
				tlCase = append(tlCase, r.CaseID)
				tlData = append(tlData, fmt.Sprintf(`{"clock":%q,"level":%q,"due_at":%q}`, k.Kind, lvl.String(), k.DueAt.Format(time.RFC3339)))
				tlLvls = append(tlLvls, lvl.String())
			}
			c := &domain.Case{ID: r.CaseID, Number: r.Number, MemberID: valString(r.MemberID), UnitID: r.UnitID, Version: r.Version,
				Severity: domain.Severity(r.Severity), InCharge: domain.InCharge{UserID: r.InCharge}}
			ev, err := announce(c, k, amber, now)
			if err != nil {
				return err
			}
			evs = append(evs, ev)
			out = append(out, Escalation{CaseID: r.CaseID, Number: r.Number, Clock: k.Kind, Level: lvl, Amber: amber})
		}
		if _, err := tx.ExecContext(ctx, `UPDATE sla_clocks k SET level = u.level, next_fire_at = u.next, amber_warned = u.warned
			FROM unnest($1::bigint[], $2::smallint[], $3::timestamptz[], $4::timestamptz[]) AS u(id, level, next, warned)
			WHERE k.id = u.id`, pq.Array(ids), pq.Array(levels), pq.Array(next), pq.Array(warned)); err != nil {
			return fmt.Errorf("escalate clocks: %w", err)
		}
		if len(lapsed) > 0 {
			if _, err := tx.ExecContext(ctx, `UPDATE sla_clocks SET stopped_at = $2, outcome = $3, next_fire_at = NULL
				WHERE id = ANY($1)`, pq.Array(lapsed), now, string(domain.OutcomeLapsed)); err != nil {
				return fmt.Errorf("lapse clocks: %w", err)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO timeline (case_id, at, actor_id, kind, data)
				SELECT u.case_id, $1, 'system', 'lapse', u.data::jsonb
				FROM unnest($2::uuid[], $3::text[]) AS u(case_id, data)`,
				now, pq.Array(lapseCase), pq.Array(lapseData)); err != nil {
				return fmt.Errorf("timeline lapses: %w", err)
			}
			// The queue's clock moves past the lapsed window. A case a
			// step holds locked is skipped: that step refreshes it itself
			// once it reads the lapse, and waiting here could deadlock.
			if _, err := tx.ExecContext(ctx, `UPDATE cases SET (due_clock, due_at, due_amber_at) = (`+dueClockSQL+`)
				WHERE id IN (SELECT id FROM cases WHERE id = ANY($1::uuid[]) FOR UPDATE SKIP LOCKED)`, pq.Array(lapseCase)); err != nil {
				return fmt.Errorf("refresh due clocks: %w", err)
			}
		}
		if len(tlCase) > 0 {
			if _, err := tx.ExecContext(ctx, `INSERT INTO timeline (case_id, at, actor_id, kind, action, data)
				SELECT u.case_id, $1, 'system', 'escalation', u.action, u.data::jsonb
				FROM unnest($2::uuid[], $3::text[], $4::text[]) AS u(case_id, action, data)`,
				now, pq.Array(tlCase), pq.Array(tlLvls), pq.Array(tlData)); err != nil {
				return fmt.Errorf("timeline escalations: %w", err)
			}
		}
		return bus.Outbox(ctx, tx, evs...)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// timeText renders an optional instant for a timestamptz[] parameter.
func timeText(t time.Time) sql.NullString {
	if t.IsZero() {
		return sql.NullString{}
	}
	return sql.NullString{String: t.UTC().Format(time.RFC3339Nano), Valid: true}
}

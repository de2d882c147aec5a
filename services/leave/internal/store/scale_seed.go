package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
)

// ScaleSize is how many years of leave SeedScale writes, ending with the
// current one.
type ScaleSize struct {
	Years int
	// Batch is how many members' annual leave is generated and written at
	// a time, bounding memory; 0 is scaleLeaveBatch.
	Batch int
}

// ScaleMember is a registered member as enrollment's events announce it.
type ScaleMember struct {
	ID, UnitID, Name, Category string
	Frontline, Active          bool
	WorkStart, JoinedOn        time.Time
	Version                    int64
}

// ScaleCounts is what SeedScale wrote.
type ScaleCounts struct {
	Members, LedgerEntries, YearClosings, Requests, Decisions, Facilities, Sessions, Quotas, Bookings,
	Rounds, Slots, CheckBookings int
}

const (
	scaleSystem       = "system:seed-scale"
	scaleSessionsYear = 24 // two stays a month
	scaleSessionPlace = 30 // places per stay
	scaleSlotCapacity = 20 // members per health-check slot
	// scaleLeaveBatch is how many members' annual leave is generated and
	// written at a time: memory holds a batch, not the province.
	scaleLeaveBatch = 2_000
)

func scaleDate(t time.Time) string { return t.Format(time.DateOnly) }

// SeedScale writes a reproducible province's leave into the service's
// migrated, empty schema with COPY, in one transaction, for size.Years
// years ending with the current one: the member projection as
// enrollment's events would have left it; for every active member the
// balance ledger the service books (the first year's accrual from
// domain.ComputeEntitlement, each closed year rolled over by
// domain.Rollover into its expiry, year closing and the next year's
// accrual), leave requests with their decisions and takings (counted on
// the year's official calendar, or the provisional weekends-only one,
// flagged so, for a year nobody entered); recuperation facilities,
// stays, unit quotas and bookings with waiting lists by the service's
// priority; and a health-check round per unit and year with its slots
// and bookings, results sealed as the service seals them. The annual
// leave is generated and copied a batch of members at a time
// (size.Batch), so memory does not grow with the province. The audit log
// and the outbox are not written. It refuses a schema that already has
// members.
func (s *Store) SeedScale(ctx context.Context, size ScaleSize, members []ScaleMember, seed uint64) (ScaleCounts, error) {
	var n ScaleCounts
	if size.Years < 1 {
		return n, fmt.Errorf("scale seed: years must be positive, got %d", size.Years)
	}
	r := rand.New(rand.NewPCG(seed, seed^0x1ea5e)) //nolint:gosec // G404: a reproducible dataset from its seed, not a secret
	now := s.clk.Now().UTC()
	today := s.today()
	thisYear := today.Year()
	first := thisYear - size.Years + 1
	id := func() string {
		var b [16]byte
		for i := range b {
			b[i] = byte(r.UintN(256))
		}
		b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
		return uuid.UUID(b).String()
	}
	// A moment on day d in Shanghai office hours, as UTC.
	at := func(d time.Time) time.Time {
		return time.Date(d.Year(), d.Month(), d.Day(), 9+r.IntN(8), r.IntN(60), 0, 0, clock.Shanghai).UTC()
	}
	// The reporting tables' row triggers (an upsert per ledger entry,
	// member and booking) are off for this transaction; the tables are
	// recomputed from the rows at its end.
	err := pg.InTxTriggersOff(ctx, s.db, scaleReportTriggers, func(tx *sqlx.Tx) error {
		var existing int
		if err := tx.GetContext(ctx, &existing, `SELECT count(*) FROM (SELECT 1 FROM members LIMIT 1) m`); err != nil {
			return err
		}
		if existing > 0 {
			return fmt.Errorf("scale seed: leave already has members; seed an empty schema")
		}
		years := make([]int, 0, size.Years)
		for y := first; y <= thisYear; y++ {
			years = append(years, y)
		}
		official, _, err := s.Calendars(ctx, tx, years...)
		if err != nil {
			return err
		}
		cals := official.WithProvisional(first, years...)
		copyRows := func(table string, cols []string, fill func(emit func(...any) error) error) error {
			if err := pg.Copy(ctx, tx, table, cols, fill); err != nil {
				return fmt.Errorf("scale seed: %w", err)
			}
			return nil
		}

		// The projection.
		dm := make([]domain.Member, len(members))
		units := map[string][]int{}
		var unitOrder []string
		err = copyRows("members", []string{"member_id", "unit_id", "category", "status", "work_start", "joined_on", "frontline",
			"injured_on_duty", "martyr_family", "version", "updated_at", "name"}, func(emit func(...any) error) error {
			for i, m := range members {
				status := domain.MemberInactive
				if m.Active {
					status = domain.MemberActive
				}
				dm[i] = domain.Member{ID: m.ID, UnitID: m.UnitID, Name: m.Name, Category: domain.Category(m.Category), Status: status,
					WorkStart: m.WorkStart, JoinedOn: m.JoinedOn, Frontline: m.Frontline,
					InjuredOnDuty: r.IntN(50) == 0, MartyrFamily: r.IntN(200) == 0}
				if m.Active {
					if _, ok := units[m.UnitID]; !ok {
						unitOrder = append(unitOrder, m.UnitID)
					}
					units[m.UnitID] = append(units[m.UnitID], i)
				}
				if err := emit(m.ID, m.UnitID, m.Category, string(status), scaleDate(m.WorkStart), scaleDate(m.JoinedOn), m.Frontline,
					dm[i].InjuredOnDuty, dm[i].MartyrFamily, m.Version, now, m.Name); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		err = copyRows("projection_versions", []string{"projection", "subject_id", "version"}, func(emit func(...any) error) error {
			for _, m := range members {
				if err := emit("leave.members", m.ID, m.Version); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		n.Members = len(members)

		// Annual leave: requests, decisions and the ledger, member by member.
		type request struct {
			id, member, unit, status string
			from, to                 time.Time
			days, version            int
			provisional              bool
			created, updated         time.Time
		}
		type decision struct {
			request, actor, outcome string
			level                   int
			at                      time.Time
		}
		type closing struct {
			member  string
			year    int
			expired int
			at      time.Time
		}
		heads := map[string]string{}
		for _, u := range unitOrder {
			heads[u] = id()
		}
		var (
			ledger    []domain.LedgerEntry
			requests  []request
			decisions []decision
			closings  []closing
		)
		// flush writes the annual leave of the members generated since the
		// last flush and forgets it, so memory holds one batch of members,
		// not the province: requests first, as decisions refer to them.
		flush := func() error {
			err := copyRows("leave_requests", []string{"id", "member_id", "unit_id", "from_date", "to_date", "days", "status", "second_level",
				"created_at", "updated_at", "version", "provisional_calendar"}, func(emit func(...any) error) error {
				for _, q := range requests {
					if err := emit(q.id, q.member, q.unit, scaleDate(q.from), scaleDate(q.to), q.days, q.status, false, q.created, q.updated,
						q.version, q.provisional); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				return err
			}
			err = copyRows("leave_decisions", []string{"request_id", "level", "actor", "outcome", "decided_at"}, func(emit func(...any) error) error {
				for _, d := range decisions {
					if err := emit(d.request, d.level, d.actor, d.outcome, d.at); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				return err
			}
			err = copyRows("ledger_entries", []string{"member_id", "year", "kind", "days", "effective_on", "reason", "request_id", "created_by", "created_at"},
				func(emit func(...any) error) error {
					for _, e := range ledger {
						var req *string
						if e.RequestID != "" {
							req = &e.RequestID
						}
						if err := emit(e.MemberID, e.Year, string(e.Kind), e.Days, scaleDate(e.EffectiveOn), e.Reason, req, e.CreatedBy, e.CreatedAt); err != nil {
							return err
						}
					}
					return nil
				})
			if err != nil {
				return err
			}
			err = copyRows("year_closings", []string{"member_id", "year", "carried", "expired", "closed_at"}, func(emit func(...any) error) error {
				for _, c := range closings {
					if err := emit(c.member, c.year, 0, c.expired, c.at); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				return err
			}
			n.Requests += len(requests)
			n.Decisions += len(decisions)
			n.LedgerEntries += len(ledger)
			n.YearClosings += len(closings)
			ledger, requests, decisions, closings = ledger[:0], requests[:0], decisions[:0], closings[:0]
			return nil
		}
		batch, batched := size.Batch, 0
		if batch <= 0 {
			batch = scaleLeaveBatch
		}
		for i, m := range members {
			if !m.Active {
				continue
			}
			if batched == batch {
				if err := flush(); err != nil {
					return err
				}
				batched = 0
			}
			batched++
			mem := dm[i]
			var entries []domain.LedgerEntry
			accrued := time.Date(first, 1, 1, 0, 5, 0, 0, clock.Shanghai).UTC()
			entries = append(entries, domain.ComputeEntitlement(s.policy, mem, first, domain.Absences{}, domain.Absences{}).LedgerEntries(scaleSystem, accrued)...)
			for y := first; y <= thisYear; y++ {
				left := 0
				for _, e := range entries {
					if e.Year == y {
						left += e.Days
					}
				}
				cal := cals[y]
				cursor := domain.Date(y, time.January, 4+r.IntN(60))
				for k := 0; k < 3 && left > 0; k++ {
					from := cursor.AddDate(0, 0, r.IntN(90))
					for !cal.IsWorkingDay(from) && from.Year() == y {
						from = from.AddDate(0, 0, 1)
					}
					want := 1 + r.IntN(min(left, 5))
					to, days := from, 0
					for d := from; d.Year() == y && days < want; d = d.AddDate(0, 0, 1) {
						if cal.IsWorkingDay(d) {
							to, days = d, days+1
						}
					}
					if from.Year() != y || days == 0 {
						break
					}
					cursor = to.AddDate(0, 0, 7)
					created := at(from.AddDate(0, 0, -3-r.IntN(18)))
					if created.After(now) {
						break
					}
					rq := request{id: id(), member: m.ID, unit: m.UnitID, status: string(domain.StatusPending), from: from, to: to, days: days,
						provisional: cal.Provisional(), created: created, updated: created, version: 1}
					decided := at(created.Add(24 * time.Hour * time.Duration(1+r.IntN(3))))
					switch x := r.IntN(20); {
					case decided.After(now):
						left -= days // pending: counted against the balance
					case x == 0:
						rq.status, rq.updated, rq.version = string(domain.StatusRejected), decided, 2
						decisions = append(decisions, decision{request: rq.id, actor: heads[m.UnitID], outcome: "rejected", level: 1, at: decided})
					case x == 1:
						rq.status, rq.updated, rq.version = string(domain.StatusCancelled), decided, 2
						decisions = append(decisions, decision{request: rq.id, actor: m.ID, outcome: "cancelled", level: 0, at: decided})
					default:
						rq.status, rq.updated, rq.version = string(domain.StatusApproved), decided, 2
						decisions = append(decisions, decision{request: rq.id, actor: heads[m.UnitID], outcome: "approved", level: 1, at: decided})
						entries = append(entries, domain.LedgerEntry{MemberID: m.ID, Year: y, Kind: domain.KindTaking, Days: -days,
							EffectiveOn: domain.BalanceDate(y, localDate(decided)), RequestID: rq.id, CreatedBy: heads[m.UnitID], CreatedAt: decided})
						left -= days
					}
					requests = append(requests, rq)
				}
				if y == thisYear {
					break
				}
				// The year-end rollover closes y and accrues y+1.
				closed := time.Date(y+1, 1, 1, 0, 10, 0, 0, clock.Shanghai).UTC()
				res, err := domain.Rollover(s.policy, domain.RolloverInput{Member: mem, Year: y, Entries: entries}, scaleSystem, closed)
				if err != nil {
					return fmt.Errorf("scale seed: rollover of %s in %d: %w", m.ID, y, err)
				}
				entries = append(entries, res.Entries...)
				closings = append(closings, closing{member: m.ID, year: y, expired: res.Expired, at: closed})
			}
			ledger = append(ledger, entries...)
		}
		if err := flush(); err != nil {
			return err
		}

		if len(unitOrder) > 0 {
			rc, err := s.seedRecuperation(ctx, tx, r, id, at, dm, units, unitOrder, first, thisYear, now)
			if err != nil {
				return err
			}
			n.Facilities, n.Sessions, n.Quotas, n.Bookings = rc.Facilities, rc.Sessions, rc.Quotas, rc.Bookings
			hc, err := s.seedHealthChecks(ctx, tx, r, id, dm, units, unitOrder, first, thisYear, today, now)
			if err != nil {
				return err
			}
			n.Rounds, n.Slots, n.CheckBookings = hc.Rounds, hc.Slots, hc.CheckBookings
		}
		if _, err := tx.ExecContext(ctx, `SELECT leave_reports_rebuild()`); err != nil {
			return fmt.Errorf("scale seed: reports: %w", err)
		}
		return nil
	})
	if err != nil {
		return ScaleCounts{}, err
	}
	for _, t := range []string{"members", "ledger_entries", "year_closings", "leave_requests", "leave_decisions", "facilities",
		"recuperation_sessions", "recuperation_quotas", "recuperation_bookings", "health_check_rounds", "health_check_slots", "health_check_bookings"} {
		if _, err := s.db.ExecContext(ctx, `ANALYZE `+t); err != nil {
			return n, fmt.Errorf("scale seed: analyze %s: %w", t, err)
		}
	}
	return n, nil
}

// scaleReportTriggers are the reporting tables' row triggers SeedScale
// turns off inside its transaction (leave_reports_rebuild recomputes what
// they keep).
var scaleReportTriggers = []pg.Trigger{
	{Table: "members", Name: "members_report"},
	{Table: "ledger_entries", Name: "ledger_entries_report"},
	{Table: "member_pay", Name: "member_pay_report"},
	{Table: "compensation_waivers", Name: "compensation_waivers_report"},
	{Table: "health_check_bookings", Name: "health_check_bookings_report"},
}

// localDate is t's calendar date in Shanghai as midnight UTC.
func localDate(t time.Time) time.Time {
	y, m, d := clock.Local(t).Date()
	return domain.Date(y, m, d)
}

package store

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/pkg/roles"
	"github.com/anxin-welfare/anxin/services/injury/internal/domain"
)

// ScaleSize is how many cases SeedScale writes, over how many years.
type ScaleSize struct {
	Cases int
	Years int
}

// ScaleMember is a registered member as enrollment's member events would
// have announced it to the projection.
type ScaleMember struct {
	ID, UnitID, Name, Category string
	BirthDate, HireDate        time.Time
	Active                     bool
	Version                    int64
}

// ScalePlan is one enrollment plan: the scheme that covered a year.
type ScalePlan struct {
	ID, Scheme string
	Year       int
}

// ScaleCounts is what SeedScale wrote, table by table.
type ScaleCounts struct {
	Members, Incidents, Cases, OpenCases, Clocks, Timeline, Guarantees int
}

// scaleChunk is how many cases are built in memory and copied at a time.
const scaleChunk = 20_000

var (
	scalePlaces = []string{"城关派出所辖区巡逻路段", "高速公路收费站", "县人民法院立案大厅", "看守所监区", "交警执勤点", "社区警务室",
		"县检察院接待室", "火车站广场", "夜市街口", "工业园区执法现场"}
	scaleDescriptions = []string{"处置警情时被嫌疑人推倒摔伤", "执勤时被车辆刮擦致伤", "抓捕过程中手部被刀划伤", "押解途中扭伤脚踝",
		"调解纠纷时被当事人打伤", "巡逻中摔倒致骨折", "救援群众时吸入烟雾", "训练中膝关节扭伤"}
	scaleHospitals = []string{"县人民医院", "县中医院", "市第一人民医院", "市中心医院", "省人民医院"}
)

// scaleUUID draws a version-4 uuid from r, so one seed gives one province.
func scaleUUID(r *rand.Rand) string {
	var b [16]byte
	for i := range b {
		b[i] = byte(r.UintN(256))
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return uuid.UUID(b).String()
}

// scaleLine is one timeline row.
type scaleLine struct {
	at                       time.Time
	actorID, actorName, kind string
	action, from, to         string
	data                     []byte
}

// scaleGen builds the province's cases, one after another, from one seed.
type scaleGen struct {
	r       *rand.Rand
	policy  domain.Policy
	now     time.Time
	members []ScaleMember
	plans   map[int][]ScalePlan
	// per unit: the caseworkers who take its cases and the colleagues who
	// report them
	staff     map[string][]domain.Actor
	reporters map[string][]domain.Reporter
	units     []string
}

// SeedScale writes a province's injury cases into the service's migrated
// schema with COPY, in one transaction: the member projection as
// enrollment's events would have left it, and size.Cases cases opened
// evenly over size.Years years up to now, each taken through the domain's
// own state machine (domain.Open, then Case.Apply step by step) with the
// service's clock policy, so its clocks, timeline, guarantees, the queue's
// due and in-charge columns are what the service would have stored. Old
// cases end closed; recent ones stop where the clock is, so every open
// case's running clocks are due after now. Each year's numbering sequence
// is set to the numbers used, so the next real filing draws the next
// number. The audit log and the outbox are not written (the seeded state
// precedes the audit chain; no events are owed for it). It refuses a
// schema that already has cases or members.
func (s *Store) SeedScale(ctx context.Context, size ScaleSize, members []ScaleMember, plans []ScalePlan, seed uint64) (ScaleCounts, error) {
	var n ScaleCounts
	if size.Cases < 0 || size.Years < 1 {
		return n, fmt.Errorf("scale seed: cases must not be negative and years must be positive, got %+v", size)
	}
	if size.Cases > 0 && len(members) == 0 {
		return n, fmt.Errorf("scale seed: no members to injure; seed enrollment first")
	}
	r := rand.New(rand.NewPCG(seed, seed^0x1a3)) //nolint:gosec // G404: a reproducible dataset from its seed, not a secret
	g := &scaleGen{r: r, policy: s.policy, now: s.clk.Now().UTC(), members: members, plans: map[int][]ScalePlan{},
		staff: map[string][]domain.Actor{}, reporters: map[string][]domain.Reporter{}}
	for _, p := range plans {
		g.plans[p.Year] = append(g.plans[p.Year], p)
	}
	for _, m := range members {
		if _, ok := g.staff[m.UnitID]; ok {
			continue
		}
		g.units = append(g.units, m.UnitID)
		for i := range 3 {
			g.staff[m.UnitID] = append(g.staff[m.UnitID], domain.Actor{UserID: scaleUUID(r), Name: fmt.Sprintf("办案员%d", i+1),
				Roles: []roles.Role{roles.Caseworker}, Units: []string{m.UnitID}})
			g.reporters[m.UnitID] = append(g.reporters[m.UnitID], domain.Reporter{UserID: scaleUUID(r), Name: fmt.Sprintf("值班民警%d", i+1)})
		}
	}
	// The reporting tables' row triggers cost most of a row's load (an
	// upsert per case and per clock): they are off for this transaction,
	// and the tables recomputed from the rows at its end.
	err := pg.InTxTriggersOff(ctx, s.db, scaleReportTriggers, func(tx *sqlx.Tx) error {
		var existing int
		if err := tx.GetContext(ctx, &existing, `SELECT (SELECT count(*) FROM (SELECT 1 FROM cases LIMIT 1) c)
			+ (SELECT count(*) FROM (SELECT 1 FROM members LIMIT 1) m)`); err != nil {
			return err
		}
		if existing > 0 {
			return fmt.Errorf("scale seed: injury already has cases or members; seed an empty schema")
		}
		if err := s.seedScaleRows(ctx, tx, g, size, members, &n); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `SELECT injury_reports_rebuild()`); err != nil {
			return fmt.Errorf("scale seed: reports: %w", err)
		}
		return nil
	})
	if err != nil {
		return ScaleCounts{}, err
	}
	for _, t := range []string{"members", "incidents", "cases", "sla_clocks", "timeline", "guarantees"} {
		if _, err := s.db.ExecContext(ctx, `ANALYZE `+t); err != nil {
			return n, fmt.Errorf("scale seed: analyze %s: %w", t, err)
		}
	}
	return n, nil
}

// scaleReportTriggers are the reporting tables' triggers SeedScale turns
// off inside its transaction (injury_reports_rebuild recomputes what they
// keep).
var scaleReportTriggers = []pg.Trigger{{Table: "cases", Name: "cases_report"}, {Table: "sla_clocks", Name: "sla_clocks_report"},
	{Table: "timeline", Name: "timeline_report"}}

// seedScaleRows writes the projection of members and the cases in tx.
func (s *Store) seedScaleRows(ctx context.Context, tx *sqlx.Tx, g *scaleGen, size ScaleSize, members []ScaleMember, n *ScaleCounts) error {
	r := g.r
	err := pg.Copy(ctx, tx, "members", []string{"member_id", "name", "unit_id", "category", "birth_date", "event_version", "updated_at"},
		func(emit func(...any) error) error {
			for _, m := range members {
				if err := emit(m.ID, m.Name, m.UnitID, m.Category, m.BirthDate, m.Version, g.now); err != nil {
					return err
				}
			}
			return nil
		})
	if err != nil {
		return err
	}
	n.Members = len(members)
	if size.Cases == 0 {
		return nil
	}
	// Openings spread evenly from size.Years ago to now, in order, so
	// each year's numbers follow its openings.
	start := g.now.AddDate(-size.Years, 0, 0)
	step := g.now.Sub(start) / time.Duration(size.Cases)
	numbers := map[int]int64{}
	for from := 0; from < size.Cases; from += scaleChunk {
		to := min(from+scaleChunk, size.Cases)
		var b scaleBatch
		for i := from; i < to; i++ {
			opened := start.Add(time.Duration(i)*step + time.Duration(r.Int64N(int64(step))))
			year := clock.Local(opened).Year()
			numbers[year]++
			if err := g.seedCase(&b, opened, fmt.Sprintf("GC-%d-%06d", year, numbers[year])); err != nil {
				return err
			}
		}
		if err := b.copy(ctx, tx); err != nil {
			return err
		}
		n.Incidents += len(b.cases)
		n.Cases += len(b.cases)
		n.OpenCases += b.open
		n.Clocks += len(b.clocks)
		n.Timeline += len(b.timeline)
		n.Guarantees += len(b.guarantees)
	}
	// The service's own numbering goes on from the seeded numbers.
	for year, last := range numbers {
		if _, err := tx.ExecContext(ctx, fmt.Sprintf(`CREATE SEQUENCE IF NOT EXISTS case_number_%d AS bigint MINVALUE 1 NO CYCLE`, year)); err != nil {
			return fmt.Errorf("scale seed: sequence for %d: %w", year, err)
		}
		if _, err := tx.ExecContext(ctx, `SELECT setval(($1::text)::regclass, $2)`, fmt.Sprintf("case_number_%d", year), last); err != nil {
			return fmt.Errorf("scale seed: sequence for %d: %w", year, err)
		}
	}
	return nil
}

// scaleBatch holds one chunk's rows, table by table.
type scaleBatch struct {
	incidents  [][]any
	cases      [][]any
	clocks     [][]any
	timeline   [][]any
	guarantees [][]any
	open       int
}

func (b *scaleBatch) copy(ctx context.Context, tx *sqlx.Tx) error {
	for _, t := range []struct {
		table string
		cols  []string
		rows  [][]any
	}{
		{"incidents", []string{"id", "unit_id", "occurred_at", "place", "description", "created_by", "created_at"}, b.incidents},
		{"cases", caseColumns, b.cases},
		{"sla_clocks", []string{"case_id", "kind", "started_at", "due_at", "amber_at", "committee_after", "paused_at",
			"stopped_at", "outcome", "level", "next_fire_at", "amber_warned"}, b.clocks},
		{"timeline", []string{"case_id", "at", "actor_id", "actor_name", "kind", "action", "from_state", "to_state", "body", "data"}, b.timeline},
		{"guarantees", []string{"case_id", "hospital", "amount_fen", "given_by", "given_at"}, b.guarantees},
	} {
		if len(t.rows) == 0 {
			continue
		}
		err := pg.Copy(ctx, tx, t.table, t.cols, func(emit func(...any) error) error {
			for _, row := range t.rows {
				if err := emit(row...); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("scale seed: %w", err)
		}
	}
	return nil
}

// pick draws a member who was already hired when hurt; after a few misses
// anyone of working age then.
func (g *scaleGen) pick(injured time.Time) ScaleMember {
	var m ScaleMember
	for range 8 {
		m = g.members[g.r.IntN(len(g.members))]
		if !m.HireDate.After(injured) {
			return m
		}
	}
	for range 64 {
		if !m.BirthDate.After(injured.AddDate(-16, 0, 0)) {
			break
		}
		m = g.members[g.r.IntN(len(g.members))]
	}
	return m // domain.Open refuses it if nobody was born in time
}

// at is the moment, days after t, that a caseworker records a step: mid
// morning in Shanghai.
func (g *scaleGen) at(t time.Time, days int) time.Time {
	y, mo, d := clock.Local(t).Date()
	return time.Date(y, mo, d+days, 9+g.r.IntN(8), g.r.IntN(60), 0, 0, clock.Shanghai).UTC()
}

// day is the calendar date of t in Shanghai as midnight UTC, as forms send dates.
func day(t time.Time) time.Time {
	y, m, d := clock.Local(t).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// seedCase opens one case at opened and takes it as far as the clock
// allows, appending its rows to b.
func (g *scaleGen) seedCase(b *scaleBatch, opened time.Time, number string) error {
	r := g.r
	injured := opened.Add(-time.Duration(r.Int64N(int64(6 * time.Hour))))
	m := g.pick(injured)
	sev := domain.SeverityMinor
	switch x := r.IntN(10); {
	case x == 0:
		sev = domain.SeverityCritical
	case x < 4:
		sev = domain.SeveritySerious
	}
	reporters := g.reporters[m.UnitID]
	reporter := reporters[r.IntN(len(reporters))]
	staffs := g.staff[m.UnitID]
	staff := staffs[r.IntN(len(staffs))]
	place := scalePlaces[r.IntN(len(scalePlaces))]
	desc := scaleDescriptions[r.IntN(len(scaleDescriptions))]
	hospital := scaleHospitals[r.IntN(len(scaleHospitals))]
	in := domain.OpenInput{MemberID: m.ID, UnitID: m.UnitID, InjuredAt: injured, Place: place, Description: desc,
		Severity: sev, MemberBorn: m.BirthDate}
	incident := scaleUUID(r)
	c, err := domain.Open(in, reporter, scaleUUID(r), number, incident, opened, g.policy)
	if err != nil {
		return fmt.Errorf("scale seed: open %s: %w", number, err)
	}
	c.Version, c.Category = 1, m.Category
	b.incidents = append(b.incidents, []any{incident, m.UnitID, injured.UTC(), place, desc, reporter.UserID, opened})
	opening, _ := json.Marshal(map[string]any{"number": number, "severity": sev})
	lines := []scaleLine{{at: opened, actorID: reporter.UserID, actorName: reporter.Name, kind: "opened", to: string(c.State), data: opening}}

	// Enrollment answers the coverage question a minute later.
	checked := opened.Add(time.Minute)
	if checked.Before(g.now) {
		var schemes []domain.SchemeCoverage
		year := clock.Local(injured).Year()
		if m.Active && !m.HireDate.After(injured) {
			for _, p := range g.plans[year] {
				schemes = append(schemes, domain.SchemeCoverage{Scheme: p.Scheme, Plan: p.ID,
					From: time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(year+1, 1, 1, 0, 0, 0, 0, time.UTC)})
			}
		}
		c.Coverage.Covered(schemes, checked)
		data, _ := json.Marshal(map[string]any{"status": c.Coverage.Status, "schemes": nonNil(schemes)})
		lines = append(lines, scaleLine{at: checked, actorID: "system", kind: "coverage", data: data})
	}

	last := opened
	done := false
	// step applies the command built for the moment t, unless t is still
	// to come: then the case stays open where it is. A step due after now
	// whose running clock has already passed (an appeal window) is taken
	// just before now instead, so no open case is left overdue.
	step := func(t time.Time, build func(t time.Time) domain.Command) error {
		if done {
			return nil
		}
		if t.Before(last) {
			t = last
		}
		if t.After(g.now) {
			overdue := false
			for i := range c.Clocks {
				if k := &c.Clocks[i]; k.Running() && !k.DueAt.After(g.now) {
					overdue = true
				}
			}
			if !overdue {
				done = true
				return nil
			}
			t = g.now.Add(-time.Minute)
			if t.Before(last) {
				t = last
			}
		}
		ch, err := c.Apply(build(t), staff, t, g.policy)
		if err != nil {
			return fmt.Errorf("scale seed: case %s: %w", number, err)
		}
		lines = append(lines, scaleLine{at: t, actorID: staff.UserID, actorName: staff.Name, kind: "action",
			action: string(ch.Action), from: string(ch.From), to: string(ch.To), data: []byte("{}")})
		last = t
		return nil
	}
	ack := g.policy.AckWithin[sev]
	handoff := opened.Add(time.Duration(r.Int64N(int64(ack / 2))))
	phone := fmt.Sprintf("13%09d", r.IntN(1_000_000_000))
	guarantee := money.Fen(500_000 + r.Int64N(50)*100_000)
	steps := []func() error{
		func() error {
			return step(handoff, func(time.Time) domain.Command {
				return domain.ConfirmHandoff{Hospital: hospital, Guarantee: guarantee, Phone: phone}
			})
		},
	}
	if r.IntN(40) == 0 { // withdrawn or reported twice before filing
		steps = append(steps, func() error {
			return step(g.at(handoff, 1+r.IntN(10)), func(time.Time) domain.Command { return domain.Close{Reason: domain.CloseDuplicate} })
		})
	} else {
		filed := g.at(injured, 3+r.IntN(24))
		accepted := g.at(filed, 1+r.IntN(12))
		clear := r.IntN(3) == 0
		decideIn := 5 + r.IntN(50)
		if clear {
			decideIn = 1 + r.IntN(12)
		}
		decided := g.at(accepted, decideIn)
		outcome, clause := domain.OutcomeRecognised, 1+r.IntN(7)
		switch x := r.IntN(20); {
		case x == 0:
			outcome, clause = domain.OutcomeRejected, 1+r.IntN(3)
		case x < 3:
			outcome, clause = domain.OutcomeDeemed, 1+r.IntN(3)
		}
		steps = append(steps,
			func() error {
				return step(filed, func(t time.Time) domain.Command { return domain.FileDetermination{FiledOn: day(t)} })
			},
			func() error {
				return step(accepted, func(t time.Time) domain.Command { return domain.AcceptFiling{AcceptedOn: day(t), ClearFacts: clear} })
			},
			func() error {
				return step(decided, func(t time.Time) domain.Command {
					d := domain.Decide{DecidedOn: day(t), Outcome: outcome, Clause: clause}
					if outcome == domain.OutcomeRejected {
						d.Reason = "不属于工伤认定情形"
					}
					return d
				})
			})
		switch {
		case outcome == domain.OutcomeRejected:
			steps = append(steps, func() error {
				return step(g.at(decided, 1+r.IntN(10)), func(time.Time) domain.Command { return domain.Close{Reason: domain.CloseRejected} })
			})
		case r.IntN(5) < 2: // graded, then closed once the appeal window passed
			applied := g.at(decided, 5+r.IntN(25))
			graded := g.at(applied, 10+r.IntN(40))
			closed := g.at(graded, domain.AppealDays+2+r.IntN(20))
			grade := r.IntN(11)
			steps = append(steps,
				func() error {
					return step(applied, func(t time.Time) domain.Command { return domain.RequestGrading{AppliedOn: day(t)} })
				},
				func() error {
					return step(graded, func(t time.Time) domain.Command {
						return domain.RecordGrade{GradedOn: day(t), Grade: grade, Nursing: domain.NursingNone}
					})
				},
				func() error {
					return step(closed, func(time.Time) domain.Command { return domain.Close{Reason: domain.CloseCompleted} })
				})
		default:
			steps = append(steps, func() error {
				return step(g.at(decided, 5+r.IntN(25)), func(time.Time) domain.Command { return domain.Close{Reason: domain.CloseCompleted} })
			})
		}
	}
	for _, s := range steps {
		if err := s(); err != nil {
			return err
		}
	}

	row, err := toCaseRow(c, last)
	if err != nil {
		return err
	}
	args := row.args()
	for i, v := range args {
		if j, ok := v.([]byte); ok {
			args[i] = string(j) // COPY would send bytes as bytea; jsonb wants text
		}
	}
	b.cases = append(b.cases, args)
	if c.State != domain.StateClosed {
		b.open++
	}
	for _, k := range c.Clocks {
		// An amber point already passed was told of in the seeded
		// history, as the sweeper would have: the first sweep after
		// the seed tells nobody of the past.
		k.WarnAmber(g.now)
		b.clocks = append(b.clocks, []any{c.ID, string(k.Kind), k.StartedAt.UTC(), k.DueAt.UTC(), k.AmberAt.UTC(),
			fmt.Sprintf("%d microseconds", k.CommitteeAfter.Microseconds()), optTime(k.PausedAt), optTime(k.StoppedAt),
			optString(string(k.Outcome)), int(k.Level), optTime(k.NextFireAt()), optTime(k.AmberWarned)})
	}
	for _, l := range lines {
		b.timeline = append(b.timeline, []any{c.ID, l.at.UTC(), l.actorID, l.actorName, l.kind, l.action, l.from, l.to, "", string(l.data)})
	}
	for _, gu := range c.Guarantees {
		b.guarantees = append(b.guarantees, []any{c.ID, gu.Hospital, int64(gu.Amount), gu.By, gu.At.UTC()})
	}
	return nil
}

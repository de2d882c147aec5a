// Package scaleseed writes a reproducible fund history of a province's
// size into the grants schema for load tests and demonstrations. It is a
// tool beside the service, not part of it: it writes the tables with COPY
// as the service would have left them and publishes nothing.
package scaleseed

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/services/grants/internal/domain"
	"github.com/anxin-welfare/anxin/services/grants/internal/store"
)

// Seeder writes the seed into the grants schema of DB, dated by Clock.
type Seeder struct {
	DB    *sqlx.DB
	Clock clock.Clock
}

// New returns a Seeder.
func New(db *sqlx.DB, clk clock.Clock) *Seeder { return &Seeder{DB: db, Clock: clk} }

// Size is how big a fund history Seed writes.
type Size struct {
	// Applications over all years.
	Applications int
	// LedgerLines is the number of journal lines to aim at; recurring
	// grants (a disbursement and a payment each month) make up what the
	// one-time grants do not reach. The count written is reported.
	LedgerLines int
	// Years of funds, ending with the current fiscal year.
	Years int
	// Chunk is how many journal entries, with their lines, are committed
	// per transaction; 0 is scaleLedgerChunk.
	Chunk int
}

// scaleLedgerChunk is the default ledger chunk: one transaction numbering
// a province's million vouchers keeps a million versions of each year's
// counter row and a deferred balance check per row, so the ledger is
// committed a few thousand entries at a time.
const scaleLedgerChunk = 5_000

// scaleReserve is the unallocated part of every seeded year's
// appropriation: 5,000,000 元.
const scaleReserve money.Fen = 500_000_000

// Member is a registered member as enrollment's events announce it.
type Member struct {
	ID, UnitID, Name, Category string
	Version                    int64
}

// Counts is what Seed wrote.
type Counts struct {
	Members, Funds, Programs, Applications, Actions, Recurring, Disbursements, Entries, Lines int
}

// scaleProgram is one programme of the seed, repeated in every year's fund.
type scaleProgram struct {
	code, zh, en string
	kind         domain.ProgramKind
	rule         domain.AmountRule
	recurring    bool
}

var scalePrograms = []scaleProgram{
	{"HS", "困难帮扶", "Hardship", domain.ProgramKind("hardship"), domain.AmountRule{Kind: domain.AmountAssessed, Cap: 2_000_000}, false},
	{"CE", "子女助学", "Children's education", domain.ProgramKind("children_education"), domain.AmountRule{Kind: domain.AmountFixed, Fixed: 300_000}, false},
	{"DD", "因公致残慰问", "Disabled on duty", domain.ProgramKind("disabled_on_duty"), domain.AmountRule{Kind: domain.AmountByGrade,
		ByGrade: [10]money.Fen{8_000_000, 7_000_000, 6_000_000, 5_000_000, 4_000_000, 3_000_000, 2_000_000, 1_500_000, 1_000_000, 500_000}}, false},
	{"OT", "其他慰问", "Other", domain.ProgramKind("other"), domain.AmountRule{Kind: domain.AmountAssessed, Cap: 1_000_000}, false},
	{"MP", "烈士遗属定期抚恤", "Martyr family pension", domain.ProgramKind("martyr_family"), domain.AmountRule{Kind: domain.AmountFixed, Fixed: 250_000}, true},
}

// scaleDualAbove is every seeded programme's two-approver threshold.
const scaleDualAbove money.Fen = 2_000_000

type scaleAction struct {
	step, actor, name, reason string
	at                        time.Time
}

type scaleApp struct {
	id, number, member, unit, name, user string
	year, prog                           int // fund year index, programme index
	state                                domain.State
	amount, committed                    money.Fen
	actions                              []scaleAction
	created, updated                     time.Time
	// recurring grants: the schedule
	recurring       bool
	start, lastPaid time.Time
	checked         time.Time
}

// scaleEntry is one journal entry before it has its id: what the service
// would have posted, and when.
type scaleEntry struct {
	date       time.Time
	created    time.Time
	year       int // fund year index
	prog       int // -1: the fund's appropriation
	app        int // -1: none
	kind       domain.EntryKind
	amount     money.Fen
	by         string
	disburseOf int // >= 0: the disbursement (index) this entry books
	payment    bool
}

type scaleDisbursement struct {
	app, year, prog int
	period          time.Time
	amount          money.Fen
	by              string
	at              time.Time
	entry, pay      int64
}

type scaleStaff struct{ id, name string }

// Seed writes a reproducible fund history into the service's
// migrated, empty schema with COPY: the member
// projection as enrollment's events would have left it; a fund per fiscal
// year with its appropriation entry and the same programmes each year;
// applications through the approval chain (submit, review, one or two
// committee approvals by the programme's threshold, disbursement, or a
// rejection or withdrawal), with their history; and the double-entry
// ledger the service posts along the way (commitment at final approval,
// disbursement and payment, each year's commitment of a recurring grant),
// so every entry balances, each voucher number follows the year's counter,
// and the funds' and programmes' counters equal their ledger. The
// appropriations are set above what was committed, so no fund is
// overspent. The audit log and the outbox are not written.
//
// Everything but the ledger is written in one transaction; the ledger is
// then committed size.Chunk entries at a time, with their lines, and the
// disbursements (which refer to the entries) last. A schema holding
// funds, members or entries is refused, so a second run writes nothing.
// When a ledger chunk or the last transaction fails, scaleUndo removes
// every row this run had committed and the error is returned; only a
// process killed outright (or an undo that fails too, which the error
// then says) leaves the chunks committed so far, and the next run refuses
// that schema.
func (s *Seeder) Seed(ctx context.Context, size Size, members []Member, seed uint64) (Counts, error) {
	var n Counts
	if size.Applications < 0 || size.LedgerLines < 0 || size.Years < 1 {
		return n, fmt.Errorf("scale seed: applications and ledger lines must not be negative and years must be positive, got %+v", size)
	}
	if size.Applications > 0 && len(members) == 0 {
		return n, fmt.Errorf("scale seed: no members to apply; seed enrollment first")
	}
	r := rand.New(rand.NewPCG(seed, seed^0x96a)) //nolint:gosec // G404: a reproducible dataset from its seed, not a secret
	now := s.Clock.Now().UTC()
	thisYear := clock.Local(now).Year()
	first := thisYear - size.Years + 1
	id := func() string {
		var b [16]byte
		for i := range b {
			b[i] = byte(r.UintN(256))
		}
		b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
		return uuid.UUID(b).String()
	}
	staff := func(role string, k int) []scaleStaff {
		out := make([]scaleStaff, k)
		for i := range out {
			out[i] = scaleStaff{id: id(), name: fmt.Sprintf("%s%d", role, i+1)}
		}
		return out
	}
	caseworkers, approvers, finance := staff("经办人", 8), staff("审批委员", 6), staff("财务", 3)
	fundIDs := make([]string, size.Years)
	progIDs := make([][]string, size.Years)
	for y := range size.Years {
		fundIDs[y] = id()
		for range scalePrograms {
			progIDs[y] = append(progIDs[y], id())
		}
	}
	committed := make([][]money.Fen, size.Years)
	disbursed := make([][]money.Fen, size.Years)
	for y := range size.Years {
		committed[y] = make([]money.Fen, len(scalePrograms))
		disbursed[y] = make([]money.Fen, len(scalePrograms))
	}
	// Fund year index of a date, -1 outside the seeded years.
	yearOf := func(d time.Time) int {
		y := d.Year() - first
		if y < 0 || y >= size.Years {
			return -1
		}
		return y
	}
	// A step happens in office hours, days after t.
	at := func(t time.Time, days int) time.Time {
		y, m, d := clock.Local(t).Date()
		return time.Date(y, m, d+days, 9+r.IntN(8), r.IntN(60), 0, 0, clock.Shanghai).UTC()
	}

	var (
		apps    []scaleApp
		entries []scaleEntry
		disbs   []scaleDisbursement
		numbers = map[int]int64{}
	)
	post := func(e scaleEntry) {
		e.disburseOf = -1
		entries = append(entries, e)
	}
	// pay books one month (or the one-time amount) of app a on day.
	pay := func(ai int, y, prog int, period time.Time, amt money.Fen, by scaleStaff, day time.Time) {
		di := len(disbs)
		disbs = append(disbs, scaleDisbursement{app: ai, year: y, prog: prog, period: domain.MonthOf(period), amount: amt, by: by.id, at: day})
		for _, k := range []domain.EntryKind{domain.EntryDisbursement, domain.EntryPayment} {
			post(scaleEntry{date: localDay(day), created: day, year: y, prog: prog, app: ai, kind: k, amount: amt, by: by.id})
			entries[len(entries)-1].disburseOf = di
			entries[len(entries)-1].payment = k == domain.EntryPayment
		}
		disbursed[y][prog] += amt
	}
	// Appropriations are posted on the second working day of each year.
	for y := range size.Years {
		day := time.Date(first+y, 1, 2, 9, 0, 0, 0, clock.Shanghai).UTC()
		if day.After(now) {
			day = now
		}
		post(scaleEntry{date: localDay(day), created: day, year: y, prog: -1, app: -1, kind: domain.EntryAppropriation, by: finance[0].id})
	}

	// The share of recurring grants that brings the ledger to about
	// LedgerLines: a one-time grant books about 10 lines, a recurring one
	// 8 a month for the months left after its approval (on average half
	// the seeded span).
	recurringShare := 0.0
	if size.Applications > 0 {
		perRecurring := float64(size.Years*6*8 + 10)
		need := float64(size.LedgerLines) - float64(size.Applications)*9
		recurringShare = min(max(need/(perRecurring-9)/float64(size.Applications), 0), 1)
	}
	span := now.Sub(time.Date(first, 1, 5, 0, 0, 0, 0, clock.Shanghai))
	for i := range size.Applications {
		created := time.Date(first, 1, 5, 0, 0, 0, 0, clock.Shanghai).Add(time.Duration(float64(span) * (float64(i) + r.Float64()) / float64(size.Applications))).UTC()
		y := yearOf(clock.Local(created))
		m := members[r.IntN(len(members))]
		a := scaleApp{id: id(), member: m.ID, unit: m.UnitID, name: m.Name, year: y, created: created,
			user: uuid.NewSHA1(uuid.NameSpaceOID, []byte("anxin-member-user:"+m.ID)).String()}
		a.recurring = r.Float64() < recurringShare
		if a.recurring {
			a.prog = len(scalePrograms) - 1
		} else {
			a.prog = r.IntN(len(scalePrograms) - 1)
		}
		p := scalePrograms[a.prog]
		switch p.rule.Kind {
		case domain.AmountFixed:
			a.amount = p.rule.Fixed
		case domain.AmountByGrade:
			a.amount = p.rule.ByGrade[r.IntN(10)]
		default:
			a.amount = money.Fen(1+r.Int64N(int64(p.rule.Cap)/100_000)) * 100_000 // whole thousands of yuan up to the cap
		}
		numbers[first+y]++
		a.number = fmt.Sprintf("GA-%d-%06d", first+y, numbers[first+y])
		ai := len(apps)
		a.state = domain.StateSubmitted
		a.actions = append(a.actions, scaleAction{step: "submit", actor: a.user, name: m.Name, at: created})
		a.updated = created
		step := func(t time.Time, st string, who scaleStaff, reason string, to domain.State) bool {
			if t.After(now) {
				return false
			}
			a.actions = append(a.actions, scaleAction{step: st, actor: who.id, name: who.name, reason: reason, at: t})
			a.state, a.updated = to, t
			return true
		}
		func() {
			if r.IntN(50) == 0 {
				step(at(created, 1+r.IntN(5)), "withdraw", scaleStaff{id: a.user, name: m.Name}, "", domain.StateWithdrawn)
				return
			}
			reviewed := at(created, 1+r.IntN(5))
			cw := caseworkers[r.IntN(len(caseworkers))]
			if r.IntN(20) == 0 {
				step(reviewed, "reject", cw, "不符合资助条件", domain.StateRejected)
				return
			}
			if !step(reviewed, "review", cw, "", domain.StateReviewed) {
				return
			}
			approved := at(reviewed, 1+r.IntN(7))
			a1 := r.IntN(len(approvers))
			if !step(approved, "committee_approval", approvers[a1], "", domain.StateReviewed) {
				return
			}
			if a.amount > scaleDualAbove {
				approved = at(approved, r.IntN(3))
				if !step(approved, "committee_approval", approvers[(a1+1+r.IntN(len(approvers)-1))%len(approvers)], "", domain.StateReviewed) {
					return // one approval given, the second still to come
				}
			}
			a.state = domain.StateApproved
			// The final approval commits the budget of the approval's year.
			commit := a.amount
			if a.recurring {
				rec := domain.NewRecurring(a.id, a.amount, localDay(approved))
				commit, _ = rec.CommitmentForYear()
			}
			a.committed = commit
			committed[y][a.prog] += commit
			post(scaleEntry{date: localDay(approved), created: approved, year: y, prog: a.prog, app: ai, kind: domain.EntryCommitment, amount: commit, by: approvers[a1].id})
			fin := finance[r.IntN(len(finance))]
			paid := at(approved, 1+r.IntN(7))
			if !step(paid, "disburse", fin, "", domain.StateDisbursed) {
				a.state = domain.StateApproved
				return
			}
			if !a.recurring {
				pay(ai, y, a.prog, localDay(paid), a.amount, fin, paid)
				return
			}
			a.state = domain.StateActive
			rec := domain.NewRecurring(a.id, a.amount, localDay(approved))
			// Finance pays the months due at once, then the monthly run
			// pays each month on its first day; the yearly re-check comes
			// a week before it is due.
			payMonths := func(day time.Time, by scaleStaff) {
				months, _ := rec.DueMonths(localDay(day))
				for _, mo := range months {
					my := yearOf(mo)
					if my < 0 {
						return
					}
					if my != y {
						committed[my][a.prog] += rec.MonthlyAmount
						post(scaleEntry{date: localDay(day), created: day, year: my, prog: a.prog, app: ai, kind: domain.EntryCommitment, amount: rec.MonthlyAmount, by: by.id})
					}
					pay(ai, my, a.prog, mo, rec.MonthlyAmount, by, day)
					rec.Paid(mo)
				}
			}
			payMonths(paid, fin)
			system := scaleStaff{id: "system:grants"}
			for mo := domain.MonthOf(localDay(paid)).AddDate(0, 1, 0); ; mo = mo.AddDate(0, 1, 0) {
				if due := rec.RecheckDue().AddDate(0, 0, -7); !due.After(mo) {
					t := at(time.Date(due.Year(), due.Month(), due.Day(), 0, 0, 0, 0, clock.Shanghai), 0)
					if t.After(now) {
						break
					}
					who := caseworkers[r.IntN(len(caseworkers))]
					a.actions = append(a.actions, scaleAction{step: "recheck", actor: who.id, name: who.name, at: t})
					a.updated = t
					rec.Recheck(localDay(t))
				}
				run := time.Date(mo.Year(), mo.Month(), 1, 2, 0, 0, 0, clock.Shanghai).UTC()
				if run.After(now) {
					break
				}
				payMonths(run, system)
			}
			a.start, a.lastPaid, a.checked = rec.StartMonth, rec.LastPaidMonth, rec.CheckedOn
		}()
		apps = append(apps, a)
	}

	// Allocations above what each programme committed; the appropriation
	// above the allocations, with a reserve no programme holds yet (room
	// for programmes opened during the year, such as a county's): nothing
	// is overspent.
	alloc := make([][]money.Fen, size.Years)
	approp := make([]money.Fen, size.Years)
	for y := range size.Years {
		alloc[y] = make([]money.Fen, len(scalePrograms))
		for p := range scalePrograms {
			alloc[y][p] = (committed[y][p]*5/4/1_000_000 + 1) * 1_000_000
			approp[y] += alloc[y][p]
		}
		approp[y] = (approp[y]*11/10/1_000_000+1)*1_000_000 + scaleReserve
	}
	for i := range entries {
		if entries[i].kind == domain.EntryAppropriation {
			entries[i].amount = approp[entries[i].year]
		}
	}
	// Vouchers follow the posting order.
	order := make([]int, len(entries))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return entries[a].created.Compare(entries[b].created) })
	for pos, ei := range order {
		e := entries[ei]
		if e.disburseOf >= 0 {
			if e.payment {
				disbs[e.disburseOf].pay = int64(pos + 1)
			} else {
				disbs[e.disburseOf].entry = int64(pos + 1)
			}
		}
	}

	copyRows := func(tx *sqlx.Tx, table string, cols []string, fill func(emit func(...any) error) error) error {
		if err := pg.Copy(ctx, tx, table, cols, fill); err != nil {
			return fmt.Errorf("scale seed: %w", err)
		}
		return nil
	}
	// The facts the ledger refers to, in one transaction. The reporting
	// tables are recomputed at the end (grants_reports_rebuild in the last
	// transaction): their row triggers would do an upsert per application
	// for nothing.
	err := pg.InTxTriggersOff(ctx, s.DB, scaleFactReports, func(tx *sqlx.Tx) error {
		var existing int
		if err := tx.GetContext(ctx, &existing, `SELECT (SELECT count(*) FROM (SELECT 1 FROM funds LIMIT 1) f)
			+ (SELECT count(*) FROM (SELECT 1 FROM members LIMIT 1) m) + (SELECT count(*) FROM (SELECT 1 FROM journal_entries LIMIT 1) e)`); err != nil {
			return err
		}
		if existing > 0 {
			return fmt.Errorf("scale seed: grants already has funds, members or entries; seed an empty schema")
		}
		err := copyRows(tx, "members", []string{"member_id", "unit_id", "category", "name", "updated_at"}, func(emit func(...any) error) error {
			for _, m := range members {
				if err := emit(m.ID, m.UnitID, m.Category, m.Name, now); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		err = copyRows(tx, "projection_versions", []string{"projection", "subject_id", "version"}, func(emit func(...any) error) error {
			for _, m := range members {
				if err := emit(store.MemberProjection, m.ID, m.Version); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		n.Members = len(members)
		err = copyRows(tx, "funds", []string{"id", "fiscal_year", "name", "appropriation", "committed", "disbursed", "created_at", "updated_at"},
			func(emit func(...any) error) error {
				for y := range size.Years {
					var c, d money.Fen
					for p := range scalePrograms {
						c, d = c+committed[y][p], d+disbursed[y][p]
					}
					if err := emit(fundIDs[y], first+y, fmt.Sprintf("%d年度政法干警关爱基金", first+y), int64(approp[y]), int64(c), int64(d), now, now); err != nil {
						return err
					}
				}
				return nil
			})
		if err != nil {
			return err
		}
		n.Funds = size.Years
		err = copyRows(tx, "programs", []string{"id", "fund_id", "code", "name_zh", "name_en", "kind", "allocation", "committed", "disbursed",
			"amount_rule", "dual_above", "recurring", "created_at", "updated_at"}, func(emit func(...any) error) error {
			for y := range size.Years {
				for p, sp := range scalePrograms {
					rule, err := json.Marshal(sp.rule)
					if err != nil {
						return err
					}
					if err := emit(progIDs[y][p], fundIDs[y], sp.code, sp.zh, sp.en, string(sp.kind), int64(alloc[y][p]),
						int64(committed[y][p]), int64(disbursed[y][p]), string(rule), int64(scaleDualAbove), sp.recurring, now, now); err != nil {
						return err
					}
					n.Programs++
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		err = copyRows(tx, "applications", []string{"id", "number", "fund_id", "program_id", "member_id", "applicant_user_id", "applicant_member_id",
			"applicant_name", "prepared_by", "unit_id", "state", "requested_amount", "amount", "committed_amount", "recurring", "reason",
			"version", "created_at", "updated_at"}, func(emit func(...any) error) error {
			for _, a := range apps {
				reason := ""
				if last := a.actions[len(a.actions)-1]; a.state == domain.StateRejected {
					reason = last.reason
				}
				if err := emit(a.id, a.number, fundIDs[a.year], progIDs[a.year][a.prog], a.member, a.user, a.member, a.name, a.user, a.unit,
					string(a.state), int64(a.amount), int64(a.amount), int64(a.committed), a.recurring, reason, len(a.actions), a.created, a.updated); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		n.Applications = len(apps)
		err = copyRows(tx, "application_actions", []string{"application_id", "round", "step", "actor", "actor_name", "at", "reason"},
			func(emit func(...any) error) error {
				for _, a := range apps {
					for _, x := range a.actions {
						if err := emit(a.id, 1, x.step, x.actor, x.name, x.at, x.reason); err != nil {
							return err
						}
						n.Actions++
					}
				}
				return nil
			})
		if err != nil {
			return err
		}
		err = copyRows(tx, "recurring_grants", []string{"application_id", "monthly_amount", "start_month", "last_paid_month", "checked_on", "updated_at"},
			func(emit func(...any) error) error {
				for _, a := range apps {
					if !a.recurring || a.state != domain.StateActive {
						continue
					}
					var last *time.Time
					if !a.lastPaid.IsZero() {
						last = &a.lastPaid
					}
					if err := emit(a.id, int64(a.amount), a.start, last, a.checked, a.updated); err != nil {
						return err
					}
					n.Recurring++
				}
				return nil
			})
		if err != nil {
			return err
		}
		return copyRows(tx, "application_counters", []string{"fiscal_year", "last_no"}, func(emit func(...any) error) error {
			for y, last := range numbers {
				if err := emit(y, last); err != nil {
					return err
				}
			}
			return nil
		})
	})
	if err != nil {
		return Counts{}, err
	}
	// The schema now holds this run's rows: from here a failure removes
	// them again (scaleUndo), so a failed seed leaves the schema as empty
	// as it found it.
	chunk := size.Chunk
	if chunk <= 0 {
		chunk = scaleLedgerChunk
	}
	err = s.scaleLedger(ctx, len(order), chunk, func(tx *sqlx.Tx, lo, hi int) error {
		// Entry ids are the posting positions, 1-based; the vouchers are
		// numbered by the service's trigger as each entry is inserted.
		err := copyRows(tx, "journal_entries", []string{"id", "fiscal_year", "voucher_no", "entry_date", "kind", "summary", "fund_id", "created_by", "created_at"},
			func(emit func(...any) error) error {
				for pos := lo; pos < hi; pos++ {
					e := entries[order[pos]]
					if err := emit(pos+1, first+e.year, 1, e.date, string(e.kind), scaleSummary(e, apps, first), fundIDs[e.year], e.by, e.created); err != nil {
						return err
					}
				}
				return nil
			})
		if err != nil {
			return err
		}
		return copyRows(tx, "journal_lines", []string{"entry_id", "line_no", "account_code", "debit", "credit", "program_id", "application_id"},
			func(emit func(...any) error) error {
				for pos := lo; pos < hi; pos++ {
					e := entries[order[pos]]
					var prog, app *string
					if e.prog >= 0 {
						prog = &progIDs[e.year][e.prog]
					}
					if e.app >= 0 {
						app = &apps[e.app].id
					}
					for k, l := range scaleLines(e) {
						if err := emit(pos+1, k+1, l.AccountCode, int64(l.Debit), int64(l.Credit), prog, app); err != nil {
							return err
						}
						n.Lines++
					}
				}
				return nil
			})
	}, func(tx *sqlx.Tx) error {
		return pg.WithTriggersOff(ctx, tx, scaleDisbursementReports, func() error {
			err := copyRows(tx, "disbursements", []string{"application_id", "period", "amount", "fund_id", "program_id", "entry_id", "payment_entry_id",
				"disbursed_by", "disbursed_at"}, func(emit func(...any) error) error {
				for _, d := range disbs {
					if err := emit(apps[d.app].id, d.period, int64(d.amount), fundIDs[d.year], progIDs[d.year][d.prog], d.entry, d.pay, d.by, d.at); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence('journal_entries', 'id'), greatest((SELECT max(id) FROM journal_entries), 1))`)
			if err != nil {
				return err
			}
			// the reporting tables, from the funds, applications and
			// disbursements this run wrote
			if _, err := tx.ExecContext(ctx, `SELECT grants_reports_rebuild()`); err != nil {
				return fmt.Errorf("scale seed: reports: %w", err)
			}
			return nil
		})
	})
	if err != nil {
		if uerr := s.scaleUndo(context.WithoutCancel(ctx), members); uerr != nil {
			return Counts{}, fmt.Errorf("%w; removing the rows this run had committed failed too (%w): recreate the grants schema before seeding it again", err, uerr)
		}
		return Counts{}, err
	}
	n.Entries, n.Disbursements = len(entries), len(disbs)
	for _, t := range []string{"members", "funds", "programs", "applications", "application_actions", "recurring_grants",
		"journal_entries", "journal_lines", "ledger_day_totals", "disbursements", "voucher_counters", "application_counters"} {
		if _, err := s.DB.ExecContext(ctx, `ANALYZE `+t); err != nil {
			return n, fmt.Errorf("scale seed: analyze %s: %w", t, err)
		}
	}
	return n, nil
}

// scaleFactReports and scaleDisbursementReports are the reporting tables'
// row triggers the seed turns off in the transactions that write their
// facts; its last transaction rebuilds the tables they keep.
var (
	scaleFactReports         = []pg.Trigger{{Table: "funds", Name: "funds_report"}, {Table: "applications", Name: "applications_report"}}
	scaleDisbursementReports = []pg.Trigger{{Table: "disbursements", Name: "disbursements_report"}}
)

// localDay is t's calendar date in Shanghai as midnight UTC.
func localDay(t time.Time) time.Time {
	y, m, d := clock.Local(t).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// scaleLines are the lines the service's posting functions give e.
func scaleLines(e scaleEntry) []domain.Line {
	switch e.kind {
	case domain.EntryAppropriation:
		return domain.AppropriationEntry(0, e.date, e.amount, "", "").Lines
	case domain.EntryCommitment:
		return domain.CommitmentEntry(0, e.date, e.amount, "", "", "").Lines
	case domain.EntryDisbursement:
		return domain.DisbursementEntry(0, e.date, e.amount, "", "", "").Lines
	default:
		return domain.PaymentEntry(0, e.date, e.amount, "", "", "").Lines
	}
}

// scaleSummary is the summary the service writes for e.
func scaleSummary(e scaleEntry, apps []scaleApp, first int) string {
	switch e.kind {
	case domain.EntryAppropriation:
		return fmt.Sprintf("财政拨款 %d年度政法干警关爱基金", first+e.year)
	case domain.EntryCommitment:
		if apps[e.app].recurring {
			return "定期资助承诺 " + apps[e.app].number
		}
		return "资助承诺 " + apps[e.app].number
	case domain.EntryDisbursement:
		return "发放资助 " + apps[e.app].number
	default:
		return "支付资助 " + apps[e.app].number
	}
}

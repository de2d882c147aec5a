package store_test

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/idcard"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/pkg/pg/pgtest"
	"github.com/anxin-welfare/anxin/pkg/sealed"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/commands"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/domain"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/roster"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/store"
)

var (
	now  = time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC)
	meta = store.Meta{Actor: "user-1", RequestID: "req-1"}
	all  = store.Scope{All: true}
)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func idNumber(year, seq int, male bool) string {
	return idcard.Generate("110105", date(year, 3, 14), seq, male)
}

type fixture struct {
	db    *sqlx.DB
	st    *store.Store
	clk   *clock.Fake
	root  domain.Unit
	gaj   domain.Unit
	court domain.Unit
}

func newSealer(t testing.TB) *sealed.Sealer {
	t.Helper()
	k1, k2 := make([]byte, sealed.KeySize), make([]byte, sealed.KeySize)
	_, _ = rand.Read(k1)
	_, _ = rand.Read(k2)
	s, err := sealed.New(k1, k2)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func setup(t testing.TB) *fixture {
	t.Helper()
	db := pgtest.New(t, store.Migrations())
	clk := clock.NewFake(now)
	f := &fixture{db: db, st: store.New(db, newSealer(t), clk), clk: clk}
	ctx := context.Background()
	var err error
	if f.root, err = commands.New(f.st).CreateUnit(ctx, domain.UnitInput{Code: "ZFW", Name: "县委政法委", Kind: domain.UnitCommittee}, meta); err != nil {
		t.Fatal(err)
	}
	if f.gaj, err = commands.New(f.st).CreateUnit(ctx, domain.UnitInput{Code: "GAJ", Name: "县公安局", Kind: domain.UnitPoliceBureau, ParentID: f.root.ID}, meta); err != nil {
		t.Fatal(err)
	}
	if f.court, err = commands.New(f.st).CreateUnit(ctx, domain.UnitInput{Code: "FY", Name: "县人民法院", Kind: domain.UnitCourt, ParentID: f.root.ID}, meta); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) member(t testing.TB, unit string, seq int) *domain.Member {
	t.Helper()
	m, err := commands.New(f.st).CreateMember(context.Background(), domain.MemberInput{
		UnitID: unit, Name: fmt.Sprintf("民警%d", seq), Category: domain.CategoryPolice, Post: domain.Post{Frontline: true},
		IDNumber: idNumber(1985, seq, true), HireDate: date(2008, 7, 1),
	}, all, meta)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func (f *fixture) plan(t testing.TB, year int) domain.Plan {
	t.Helper()
	p, err := commands.New(f.st).CreatePlan(context.Background(), domain.PlanInput{
		Scheme: domain.SchemePersonalAccident, Year: year, Name: fmt.Sprintf("%d 年意外险", year),
		Coverage:    domain.Period{From: date(year, 1, 1), To: date(year, 12, 31)},
		Eligibility: domain.Eligibility{Categories: []domain.Category{domain.CategoryPolice}},
		Premium:     money.Yuan(300), Payer: domain.PayerCentralFinance, WaitingDays: 0,
		Sums: domain.SumsInsured{Death: money.Yuan(200000)},
	}, meta)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func count(t testing.TB, db *sqlx.DB, table string) int {
	t.Helper()
	var n int
	if err := db.Get(&n, `SELECT count(*) FROM `+table); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestMemberLifecycle(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	m := f.member(t, f.gaj.ID, 11)

	t.Run("identity number sealed and masked", func(t *testing.T) {
		var sealedID []byte
		var masked string
		if err := f.db.QueryRow(`SELECT id_number_sealed, id_number_masked FROM members WHERE id = $1`, m.ID).Scan(&sealedID, &masked); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(sealedID), m.Identity.Number[6:14]) || !strings.Contains(masked, "********") {
			t.Errorf("sealed %x masked %s", sealedID, masked)
		}
		got, err := f.st.GetMember(ctx, m.ID, all)
		if err != nil || got.Identity.Number != masked {
			t.Errorf("GetMember = %v, %v", got, err)
		}
		full, err := f.st.RevealIdentity(ctx, m.ID, all, meta)
		if err != nil || full != m.Identity.Number {
			t.Errorf("RevealIdentity = %q, %v", full, err)
		}
	})
	t.Run("duplicate identity number", func(t *testing.T) {
		_, err := commands.New(f.st).CreateMember(ctx, domain.MemberInput{UnitID: f.court.ID, Name: "重复", Category: domain.CategoryJudge,
			IDNumber: strings.ToLower(m.Identity.Number), HireDate: date(2010, 1, 1)}, all, meta)
		if !errors.Is(err, store.ErrDuplicateMember) {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("scope hides other units", func(t *testing.T) {
		if _, err := f.st.GetMember(ctx, m.ID, store.Scope{Units: []string{f.court.ID}}); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("court caseworker sees police member: %v", err)
		}
		if _, err := f.st.GetMember(ctx, m.ID, store.Scope{Units: []string{f.root.ID}}); err != nil {
			t.Errorf("committee caseworker: %v", err)
		}
		if _, err := f.st.GetMember(ctx, m.ID, store.Scope{MemberID: m.ID}); err != nil {
			t.Errorf("officer own record: %v", err)
		}
	})
	t.Run("stale version refused", func(t *testing.T) {
		_, err := commands.New(f.st).UpdateMember(ctx, m.ID, all, 99, meta, func(m *domain.Member, today time.Time) (store.MemberChange, error) {
			return domain.ChangeUpdated, nil
		})
		if !errors.Is(err, store.ErrVersionMismatch) {
			t.Errorf("err = %v", err)
		}
	})
	p := f.plan(t, 2026)
	e, err := commands.New(f.st).Enroll(ctx, m.ID, p.ID, date(2026, 1, 1), all, meta)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("overlap refused by the domain and the database", func(t *testing.T) {
		if _, err := commands.New(f.st).Enroll(ctx, m.ID, p.ID, date(2026, 6, 1), all, meta); !errors.Is(err, domain.ErrOverlap) {
			t.Errorf("err = %v", err)
		}
		_, err := f.db.Exec(`INSERT INTO enrollments (id, member_id, plan_id, scheme, plan_year, period, covered_from)
			VALUES (gen_random_uuid(), $1, $2, 'personal_accident', 2026, '[2026-03-01,2026-04-01)', '2026-03-01')`, m.ID, p.ID)
		if err == nil || !strings.Contains(err.Error(), "enrollments_no_overlap") {
			t.Errorf("direct insert: %v", err)
		}
	})
	t.Run("death ends cover on the day of death", func(t *testing.T) {
		dep := domain.DependantInput{Relation: domain.RelationSpouse, Name: "李娜", IDNumber: idNumber(1987, 22, false)}
		got, err := commands.New(f.st).UpdateMember(ctx, m.ID, all, m.Version, meta, func(m *domain.Member, today time.Time) (store.MemberChange, error) {
			_, err := m.AddDependant(store.NewID(), dep, today)
			return domain.ChangeDependants, err
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err = commands.New(f.st).UpdateMember(ctx, m.ID, all, got.Version, meta, func(m *domain.Member, today time.Time) (store.MemberChange, error) {
			return domain.ChangeDeceased, m.RecordDeath(date(2026, 6, 10), domain.CauseLineOfDuty, today)
		})
		if err != nil {
			t.Fatal(err)
		}
		if got.Version != 3 || len(got.Dependants) != 1 {
			t.Errorf("member %+v", got)
		}
		covered, err := f.st.Coverage(ctx, m.ID, domain.SchemePersonalAccident, date(2026, 6, 10), all)
		if err != nil || !covered[0].Covered || covered[0].DeathSum() != money.Yuan(200000) {
			t.Errorf("coverage on the day: %+v %v", covered, err)
		}
		after, err := f.st.Coverage(ctx, m.ID, domain.SchemePersonalAccident, date(2026, 6, 11), all)
		if err != nil || after[0].Covered {
			t.Errorf("coverage after: %+v %v", after, err)
		}
		en, err := f.st.GetEnrollment(ctx, e.ID, all)
		if err != nil || en.Status != domain.EnrollmentEnded || en.EndReason != domain.EndMemberDeceased {
			t.Errorf("enrollment %+v %v", en, err)
		}
		facts, err := f.st.EnrollmentFacts(ctx, e.ID, all)
		if err != nil || len(facts) != 2 || facts[0].Kind != domain.EventActivated || facts[1].Kind != domain.EventEnded ||
			!facts[1].On.Equal(date(2026, 6, 10)) || facts[1].Actor != "user-1" {
			t.Errorf("facts %+v %v", facts, err)
		}
		var types []string
		if err := f.db.Select(&types, `SELECT type FROM outbox ORDER BY seq`); err != nil {
			t.Fatal(err)
		}
		want := "member.registered,enrollment.activated,member.updated,enrollment.ended,member.deceased"
		if strings.Join(types, ",") != want {
			t.Errorf("outbox %v", types)
		}
	})
	t.Run("history says what was known when", func(t *testing.T) {
		h, next, err := f.st.History(ctx, m.ID, all, page.Request{Limit: 10})
		if err != nil || len(h) != 3 || next != "" {
			t.Fatalf("history %d %q %v", len(h), next, err)
		}
		if h[0].Member.Status != domain.StatusActive || h[2].Member.Status != domain.StatusDeceased || h[0].Actor != "user-1" {
			t.Errorf("history %+v", h)
		}
	})
	t.Run("audit rows written", func(t *testing.T) {
		if n := count(t, f.db, "audit_log"); n < 6 {
			t.Errorf("%d audit rows", n)
		}
	})
}

func TestBulkEnrollAndRenew(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	for i := range 5 {
		f.member(t, f.gaj.ID, 20+2*i)
	}
	judge, err := commands.New(f.st).CreateMember(ctx, domain.MemberInput{UnitID: f.court.ID, Name: "法官", Category: domain.CategoryJudge,
		IDNumber: idNumber(1980, 41, true), HireDate: date(2005, 1, 1)}, all, meta)
	if err != nil {
		t.Fatal(err)
	}
	p25, p26 := f.plan(t, 2025), f.plan(t, 2026)
	preview, err := commands.New(f.st).BulkEnroll(ctx, p25.ID, []string{f.root.ID}, date(2025, 1, 1), true, all, meta)
	if err != nil || len(preview.Enroll) != 5 || len(preview.Skipped) != 1 || preview.Skipped[0].MemberID != judge.ID {
		t.Fatalf("preview %+v %v", preview, err)
	}
	if n := count(t, f.db, "enrollments"); n != 0 {
		t.Fatalf("dry run wrote %d enrollments", n)
	}
	if _, err := commands.New(f.st).BulkEnroll(ctx, p25.ID, []string{f.root.ID}, date(2025, 1, 1), false, all, meta); err != nil {
		t.Fatal(err)
	}
	again, err := commands.New(f.st).BulkEnroll(ctx, p25.ID, []string{f.root.ID}, date(2025, 1, 1), false, all, meta)
	if err != nil || len(again.Enroll) != 0 {
		t.Fatalf("second run %+v %v", again, err)
	}
	if _, err := commands.New(f.st).BulkEnroll(ctx, p25.ID, []string{f.court.ID}, date(2025, 1, 1), false, store.Scope{Units: []string{f.gaj.ID}}, meta); !errors.Is(err, domain.ErrValidation) {
		t.Errorf("out-of-scope unit: %v", err)
	}
	renewed, err := commands.New(f.st).Renew(ctx, p25.ID, p26.ID, false, all, meta)
	if err != nil || len(renewed.Enroll) != 5 {
		t.Fatalf("renew %+v %v", renewed, err)
	}
	sum, err := f.st.PremiumSummary(ctx, 2026, all)
	if err != nil || len(sum) != 1 || sum[0].Members != 5 || sum[0].Total != money.Yuan(1500) || sum[0].UnitCode != "GAJ" {
		t.Errorf("summary %+v %v", sum, err)
	}
}

func rosterCSV(n int, unit string) string {
	var b strings.Builder
	b.WriteString("单位编码,姓名,人员类别,身份证号,入职日期,手机号\n")
	for i := range n {
		fmt.Fprintf(&b, "%s,干警%d,民警,%s,2010-09-01,138%08d\n", unit,
			i, idcard.Generate("110105", date(1960+i%20, time.Month(1+i%12), 1+i%28), i%1000, i%2 == 0), i)
	}
	return b.String()
}

func importFile(t testing.TB, csv string) store.ImportFile {
	t.Helper()
	sheet, err := roster.DecodeCSV(strings.NewReader(csv), roster.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	return store.ImportFile{Name: "roster.csv", SHA256: strings.Repeat("a", 64), Sheet: sheet}
}

func TestRosterImport(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	file := importFile(t, rosterCSV(50, "GAJ"))

	dry, err := commands.New(f.st).ImportRoster(ctx, file, true, all, meta)
	if err != nil || dry.Created != 50 || len(dry.Problems) != 0 {
		t.Fatalf("dry run %+v %v", dry, err)
	}
	if n := count(t, f.db, "members"); n != 0 {
		t.Fatalf("dry run wrote %d members", n)
	}
	res, err := commands.New(f.st).ImportRoster(ctx, file, false, all, meta)
	if err != nil || res.Created != 50 {
		t.Fatalf("import %+v %v", res, err)
	}
	again, err := commands.New(f.st).ImportRoster(ctx, file, false, all, meta)
	if err != nil || again.Unchanged != 50 || again.Created+again.Updated != 0 {
		t.Fatalf("re-import %+v %v", again, err)
	}
	if n := count(t, f.db, "member_versions"); n != 50 {
		t.Errorf("%d versions after re-import", n)
	}
	bad := importFile(t, rosterCSV(3, "GAJ")+"GAJ,坏,民警,110105194912310021,2010-09-01,\n"+"FY,新人,法官,"+idNumber(1990, 7, true)+",2012-01-01,\n")
	_, err = commands.New(f.st).ImportRoster(ctx, bad, false, all, meta)
	if !errors.Is(err, store.ErrRosterRejected) {
		t.Fatalf("bad file: %v", err)
	}
	if n := count(t, f.db, "members"); n != 50 {
		t.Errorf("a rejected import wrote: %d members", n)
	}
	scoped, err := commands.New(f.st).ImportRoster(ctx, importFile(t, rosterCSV(1, "FY")), true, store.Scope{Units: []string{f.gaj.ID}}, meta)
	if err != nil || len(scoped.Problems) != 1 || scoped.Problems[0].Code != roster.CodeUnknownUnit {
		t.Errorf("out-of-scope unit: %+v %v", scoped, err)
	}
	// A court caseworker cannot take over (move) a police officer by
	// importing their identity number under the court.
	steal := strings.Replace(rosterCSV(1, "GAJ"), "\nGAJ,", "\nFY,", 1)
	stolen, err := commands.New(f.st).ImportRoster(ctx, importFile(t, steal), true, store.Scope{Units: []string{f.court.ID}}, meta)
	if err != nil || len(stolen.Problems) != 1 || stolen.Problems[0].Code != store.CodeRegisteredElsewhere {
		t.Errorf("import over another unit's member: %+v %v", stolen, err)
	}
}

// BenchmarkRosterImport10k imports 10,000 new members in one transaction
// (issue: "well under a minute").
func BenchmarkRosterImport10k(b *testing.B) {
	csv := rosterCSV(10000, "GAJ")
	for b.Loop() {
		b.StopTimer()
		f := setup(b)
		file := importFile(b, csv)
		b.StartTimer()
		res, err := commands.New(f.st).ImportRoster(context.Background(), file, false, all, meta)
		if err != nil || res.Created != 10000 {
			b.Fatalf("%+v %v", res.Created, err)
		}
	}
}

func TestMoveUnit(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	station, err := commands.New(f.st).CreateUnit(ctx, domain.UnitInput{Code: "PCS1", Name: "城关派出所", Kind: domain.UnitPoliceStation, ParentID: f.gaj.ID}, meta)
	if err != nil {
		t.Fatal(err)
	}
	m := f.member(t, station.ID, 71)
	if _, err := f.st.GetMember(ctx, m.ID, store.Scope{Units: []string{f.gaj.ID}}); err != nil {
		t.Fatalf("bureau caseworker before the move: %v", err)
	}
	tests := []struct {
		name    string
		unit    string
		in      domain.UnitInput
		version int64
		wantErr error
	}{
		{name: "bureau below its own station refused", unit: f.gaj.ID, version: 1,
			in: domain.UnitInput{Code: "GAJ", Name: "县公安局", Kind: domain.UnitPoliceBureau, ParentID: station.ID}, wantErr: domain.ErrValidation},
		{name: "stale version", unit: station.ID, version: 5,
			in: domain.UnitInput{Code: "PCS1", Name: "城关派出所", Kind: domain.UnitPoliceStation, ParentID: f.court.ID}, wantErr: store.ErrVersionMismatch},
		{name: "station moved under the court", unit: station.ID, version: 1,
			in: domain.UnitInput{Code: "PCS1", Name: "城关派出所", Kind: domain.UnitPoliceStation, ParentID: f.court.ID}},
	}
	for _, tc := range tests { // sequential: each step sees the last
		if _, err := commands.New(f.st).UpdateUnit(ctx, tc.unit, tc.version, tc.in, meta); !errors.Is(err, tc.wantErr) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.wantErr)
		}
	}
	if _, err := f.st.GetMember(ctx, m.ID, store.Scope{Units: []string{f.gaj.ID}}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("bureau caseworker after the move: %v", err)
	}
	if _, err := f.st.GetMember(ctx, m.ID, store.Scope{Units: []string{f.court.ID}}); err != nil {
		t.Errorf("court caseworker after the move: %v", err)
	}
}

// TestDatabaseInvariants writes around the application, straight in SQL:
// PostgreSQL itself refuses what the domain refuses.
func TestDatabaseInvariants(t *testing.T) {
	t.Parallel()
	f := setup(t)
	m := f.member(t, f.gaj.ID, 81)
	p := f.plan(t, 2026)
	if _, err := commands.New(f.st).Enroll(context.Background(), m.ID, p.ID, date(2026, 1, 1), all, meta); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		sql  string
		want string // constraint or message fragment
	}{
		{name: "overlapping period", want: "enrollments_no_overlap",
			sql: `INSERT INTO enrollments (id, member_id, plan_id, scheme, plan_year, period, covered_from)
				VALUES (gen_random_uuid(), $1, $2, 'personal_accident', 2026, '[2026-12-31,2027-01-10)', '2026-12-31')`},
		{name: "scheme differing from the plan's", want: "enrollments_plan_id_scheme_fkey",
			sql: `INSERT INTO enrollments (id, member_id, plan_id, scheme, plan_year, period, covered_from)
				VALUES (gen_random_uuid(), $1, $2, 'work_injury', 2026, '[2026-01-01,2026-02-01)', '2026-01-01')`},
		{name: "shares short of 100", want: "not 10000",
			sql: `INSERT INTO beneficiaries (member_id, scheme, position, name, relation, share_bp)
				SELECT $1, 'personal_accident', 0, '甲', 'child', 9999 WHERE $2::uuid IS NOT NULL`},
		{name: "deceased without a cause", want: "members_check",
			sql: `UPDATE members SET status = 'deceased', status_date = '2026-01-01' WHERE id = $1 AND $2::uuid IS NOT NULL`},
		{name: "history rewritten", want: "append-only",
			sql: `UPDATE member_versions SET actor = 'someone' WHERE member_id = $1 AND $2::uuid IS NOT NULL`},
		{name: "enrollment fact deleted", want: "append-only",
			sql: `DELETE FROM enrollment_events WHERE enrollment_id IN (SELECT id FROM enrollments WHERE member_id = $1) AND $2::uuid IS NOT NULL`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tx, err := f.db.Beginx()
			if err != nil {
				t.Fatal(err)
			}
			_, err = tx.Exec(tc.sql, m.ID, p.ID)
			if err == nil {
				err = tx.Commit() // deferred constraints fire here
			} else {
				_ = tx.Rollback()
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %s", err, tc.want)
			}
		})
	}
}

func TestLeavingVoidsNextYearsRenewal(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	f.clk.Set(time.Date(2025, 12, 20, 2, 0, 0, 0, time.UTC))
	m := f.member(t, f.gaj.ID, 91)
	p25, p26 := f.plan(t, 2025), f.plan(t, 2026)
	if _, err := commands.New(f.st).Enroll(ctx, m.ID, p25.ID, date(2025, 1, 1), all, meta); err != nil {
		t.Fatal(err)
	}
	if _, err := commands.New(f.st).Renew(ctx, p25.ID, p26.ID, false, all, meta); err != nil {
		t.Fatal(err)
	}
	if _, err := commands.New(f.st).UpdateMember(ctx, m.ID, all, 0, meta, func(m *domain.Member, today time.Time) (store.MemberChange, error) {
		return domain.ChangeStatus, m.ChangeStatus(domain.StatusLeft, date(2025, 12, 20), today)
	}); err != nil {
		t.Fatal(err)
	}
	cov, err := f.st.Coverage(ctx, m.ID, domain.SchemePersonalAccident, date(2026, 1, 1), all)
	if err != nil || cov[0].Covered {
		t.Errorf("covered after leaving: %+v %v", cov, err)
	}
	sum, err := f.st.PremiumSummary(ctx, 2026, all)
	if err != nil || len(sum) != 0 {
		t.Errorf("a voided enrollment owes premium: %+v %v", sum, err)
	}
	f.clk.Set(now)
	if _, err := commands.New(f.st).UpdateMember(ctx, m.ID, all, 0, meta, func(m *domain.Member, today time.Time) (store.MemberChange, error) {
		return domain.ChangeStatus, m.ChangeStatus(domain.StatusActive, date(2026, 1, 1), today)
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := commands.New(f.st).Enroll(ctx, m.ID, p26.ID, date(2026, 1, 1), all, meta); err != nil {
		t.Errorf("re-enrollment after rehire: %v", err)
	}
}

// TestCloseReleasesThePreparedCoverageQuery: Close releases the statement
// the coverage query prepared, twice is harmless, and a store used after
// Close (a test, a late request) prepares it again.
func TestCloseReleasesThePreparedCoverageQuery(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	m := f.member(t, f.gaj.ID, 12)
	for round := range 2 {
		if _, err := f.st.Coverage(ctx, m.ID, domain.SchemePersonalAccident, date(2026, 6, 1), all); err != nil {
			t.Fatalf("round %d: coverage: %v", round, err)
		}
		if err := f.st.Close(); err != nil {
			t.Fatalf("round %d: close: %v", round, err)
		}
		if err := f.st.Close(); err != nil {
			t.Fatalf("round %d: second close: %v", round, err)
		}
	}
}

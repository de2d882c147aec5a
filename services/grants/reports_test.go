package grants_test

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/internal/specs"
	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/pkg/pg/pgtest"
	"github.com/anxin-welfare/anxin/services/grants/internal/store"
)

var (
	leader         = auth.Identity{UserID: "u-lead", Name: "赵书记", Roles: []auth.Role{auth.RoleLeader}}
	reportUnitHead = auth.Identity{UserID: "u-head", Name: "钱所长", Roles: []auth.Role{auth.RoleUnitHead}, Units: []string{"unit-1"}}
)

// grantsReport mirrors the answer of GET /reports/overview.
type grantsReport struct {
	FundPosition []struct {
		FiscalYear    int    `json:"fiscal_year"`
		Month         string `json:"month"`
		Appropriation int64  `json:"appropriation"`
		Committed     int64  `json:"committed"`
		Disbursed     int64  `json:"disbursed"`
	} `json:"fund_position"`
	Programs []struct {
		ProgramID  string `json:"program_id" db:"program_id"`
		Code       string `json:"code" db:"code"`
		NameZH     string `json:"name_zh" db:"name_zh"`
		NameEN     string `json:"name_en" db:"name_en"`
		Allocation int64  `json:"allocation" db:"allocation"`
		Committed  int64  `json:"committed" db:"committed"`
		Disbursed  int64  `json:"disbursed" db:"disbursed"`
	} `json:"programs"`
	Disbursements       []reportPaid    `json:"disbursements"`
	DisbursementsByUnit []reportPaid    `json:"disbursements_by_unit"`
	Waiting             []reportWaiting `json:"waiting"`
}

type reportPaid struct {
	Month    string `json:"month,omitempty" db:"month"`
	UnitID   string `json:"unit_id,omitempty" db:"unit_id"`
	Payments int    `json:"payments" db:"payments"`
	Amount   int64  `json:"amount" db:"amount"`
}

type reportWaiting struct {
	UnitID       string `json:"unit_id" db:"unit_id"`
	State        string `json:"state" db:"state"`
	Age          string `json:"age" db:"age"`
	Applications int    `json:"applications" db:"applications"`
}

// TestReportEqualsTheFacts files applications in two units through the
// API, takes them to every waiting step and pays some, then checks each
// figure of the overview against the applications, disbursements and
// funds themselves; a unit head sees their unit only; a rebuild agrees.
func TestReportEqualsTheFacts(t *testing.T) {
	h := start(t)
	h.env.Contract = specs.MustLoad(t, "grants")
	fundID, progID := h.setupFund(50000000)
	officer2 := auth.Identity{UserID: "u-off3", MemberID: "m-3", Name: "王五", Roles: []auth.Role{auth.RoleOfficer}, Units: []string{"unit-2"}}
	cw2 := otherCW
	file := func(who auth.Identity, amount int64) (string, int64) {
		w := h.do(&who, "POST", "/applications", map[string]any{"program_id": progID, "requested_amount": amount,
			"documents": []string{"income_proof"}, "form": map[string]any{"income_per_capita": 90000}}, 0)
		want(t, w, 201, "")
		app := decode[appJSON](t, w)
		w = h.do(&who, "POST", "/applications/"+app.ID+"/submit", nil, app.Version)
		want(t, w, 200, "")
		return "/applications/" + app.ID, decode[appJSON](t, w).Version
	}
	step := func(who auth.Identity, path, action string, v int64) int64 {
		w := h.do(&who, "POST", path+"/"+action, nil, v)
		want(t, w, 200, "")
		return decode[appJSON](t, w).Version
	}
	paid, v := file(officer, 500000)
	v = step(caseworker, paid, "review", v)
	v = step(approverA, paid, "approve", v)
	step(finance, paid, "disburse", v)
	approved, v := file(officer2, 300000)
	v = step(cw2, approved, "review", v)
	step(approverA, approved, "approve", v)
	reviewed, v := file(officer, 200000)
	step(caseworker, reviewed, "review", v)
	// Ten days later a new application: two ages of waiting.
	h.env.Clock.Advance(10 * 24 * time.Hour)
	file(officer2, 100000)

	w := h.do(&leader, "GET", "/reports/overview?from=2026-01&to=2026-12", nil, 0)
	want(t, w, 200, "")
	var got grantsReport
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	db, err := pg.Open(context.Background(), pg.Config{URL: h.env.Deps.Config.DatabaseURL, Schema: "grants", MaxOpenConns: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	facts := func(units string) grantsReport {
		var r grantsReport
		today := h.env.Clock.Now().Add(8 * time.Hour).Format(time.DateOnly)
		mustSelect(t, db, &r.Disbursements, `SELECT to_char(date_trunc('month', d.disbursed_at AT TIME ZONE 'Asia/Shanghai'), 'YYYY-MM') AS month,
			count(*) AS payments, sum(d.amount) AS amount FROM disbursements d JOIN applications a ON a.id = d.application_id
			WHERE `+units+` GROUP BY 1 ORDER BY 1`)
		mustSelect(t, db, &r.DisbursementsByUnit, `SELECT a.unit_id, count(*) AS payments, sum(d.amount) AS amount
			FROM disbursements d JOIN applications a ON a.id = d.application_id WHERE `+units+` GROUP BY 1 ORDER BY 1`)
		// the day each application reached its step, from its history
		mustSelect(t, db, &r.Waiting, `SELECT unit_id, state, CASE WHEN $1::date - since <= 7 THEN '0-7' WHEN $1::date - since <= 30 THEN '8-30'
				WHEN $1::date - since <= 90 THEN '31-90' ELSE '91+' END AS age, count(*) AS applications
			FROM (SELECT a.unit_id, a.state, (SELECT max(x.at) FROM application_actions x WHERE x.application_id = a.id) AT TIME ZONE 'Asia/Shanghai' AS at0
				FROM applications a WHERE a.state IN ('submitted', 'reviewed', 'approved') AND `+units+`) s,
			LATERAL (SELECT at0::date AS since) d GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`, today)
		mustSelect(t, db, &r.Programs, `SELECT id AS program_id, code, name_zh, name_en, allocation, committed, disbursed FROM programs ORDER BY code`)
		return r
	}
	expected := facts("true")
	if !reflect.DeepEqual(got.Disbursements, expected.Disbursements) || !reflect.DeepEqual(got.DisbursementsByUnit, expected.DisbursementsByUnit) || !reflect.DeepEqual(got.Waiting, expected.Waiting) || !reflect.DeepEqual(got.Programs, expected.Programs) {
		t.Errorf("leader's report\n got %+v\nwant %+v", got, expected)
	}
	if len(got.Disbursements) != 1 || len(got.Waiting) != 3 {
		t.Errorf("the seed should give one paid month and three waiting rows: %+v", got)
	}
	// The fund's position at the end of its last month is the fund row.
	var fund struct{ Committed, Disbursed int64 }
	if err := db.Get(&fund, `SELECT committed, disbursed FROM funds WHERE id = $1`, fundID); err != nil {
		t.Fatal(err)
	}
	if n := len(got.FundPosition); n == 0 || got.FundPosition[n-1].Committed != fund.Committed || got.FundPosition[n-1].Disbursed != fund.Disbursed ||
		fund.Committed != 800000 || fund.Disbursed != 500000 {
		t.Errorf("fund position %+v, fund %+v", got.FundPosition, fund)
	}

	// A unit head: their unit only, and no county-wide fund figures.
	w = h.do(&reportUnitHead, "GET", "/reports/overview?from=2026-01&to=2026-12", nil, 0)
	want2(t, w.Code, 200, w.Body.String())
	var head grantsReport
	if err := json.Unmarshal(w.Body.Bytes(), &head); err != nil {
		t.Fatal(err)
	}
	u1 := facts("a.unit_id = 'unit-1'")
	if !reflect.DeepEqual(head.Disbursements, u1.Disbursements) || !reflect.DeepEqual(head.DisbursementsByUnit, u1.DisbursementsByUnit) || !reflect.DeepEqual(head.Waiting, u1.Waiting) ||
		len(head.FundPosition) != 0 || len(head.Programs) != 0 || strings.Contains(w.Body.String(), "unit-2") {
		t.Errorf("unit head's report %s\nwant %+v", w.Body, u1)
	}
	want2(t, h.do(&reportUnitHead, "GET", "/reports/overview?unit=unit-2", nil, 0).Code, 403, "unit head asks for unit-2")
	for _, who := range []auth.Identity{officer, caseworker, finance, auditor} {
		want2(t, h.do(&who, "GET", "/reports/overview", nil, 0).Code, 403, string(who.Roles[0]))
	}
	w = h.do(&leader, "GET", "/reports/overview?to=2026-1", nil, 0)
	wantField(t, w, "to", "report.month")

	// A rebuild from the facts gives the same answer.
	if err := h.svc.RebuildReports(context.Background()); err != nil {
		t.Fatal(err)
	}
	again := h.do(&leader, "GET", "/reports/overview?from=2026-01&to=2026-12", nil, 0)
	var rebuilt grantsReport
	if err := json.Unmarshal(again.Body.Bytes(), &rebuilt); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rebuilt.Disbursements, got.Disbursements) || !reflect.DeepEqual(rebuilt.Waiting, got.Waiting) {
		t.Errorf("after a rebuild %+v, before %+v", rebuilt, got)
	}
	if n := len(rebuilt.FundPosition); n == 0 || rebuilt.FundPosition[n-1].Committed != fund.Committed || rebuilt.FundPosition[n-1].Disbursed != fund.Disbursed {
		t.Errorf("rebuilt fund position %+v", rebuilt.FundPosition)
	}
}

func mustSelect(t *testing.T, db *sqlx.DB, dst any, q string, args ...any) {
	t.Helper()
	if err := db.Select(dst, q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func want2(t *testing.T, got, wantCode int, what string) {
	t.Helper()
	if got != wantCode {
		t.Errorf("%s: status %d, want %d", what, got, wantCode)
	}
}

// TestReportQueriesUseIndexes: on the read model of a province (300 units,
// ten years), the report's one statement reads indexes for a quarter of
// every unit (the waiting queue and the fund with it) and for two units.
func TestReportQueriesUseIndexes(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t, store.Migrations())
	if _, err := db.Exec(`
		INSERT INTO report_disbursements_month (unit_id, month, payments, amount)
		SELECT 'unit-' || u, make_date(2000 + m / 12, m % 12 + 1, 1), 1, 100 FROM generate_series(1, 300) u, generate_series(0, 119) m;
		INSERT INTO report_waiting (unit_id, state, since, applications)
		SELECT 'unit-' || u, 'submitted', make_date(2000, 1, 1) + d, 0 FROM generate_series(1, 300) u, generate_series(0, 99) d;
		ANALYZE report_disbursements_month; ANALYZE report_waiting;`); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		args []any
	}{
		{"every unit, a quarter", []any{"2009-01-01", "2009-03-01", nil, "2026-01-01", true, 2009, 2009}},
		{"two units, ten years", []any{"2000-01-01", "2009-12-01", "{unit-1,unit-2}", "2026-01-01", false, 2000, 2009}},
	} {
		pgtest.AssertIndexed(t, db, c.name, store.ReportSQL, c.args...)
	}
}

package httpapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/pg/pgtest"
	"github.com/anxin-welfare/anxin/pkg/roles"
	"github.com/anxin-welfare/anxin/services/injury/internal/commands"
	"github.com/anxin-welfare/anxin/services/injury/internal/domain"
	"github.com/anxin-welfare/anxin/services/injury/internal/store"
)

var (
	leader    = domain.Actor{UserID: "u-lead", Name: "赵书记", Roles: []roles.Role{"leader"}}
	approver  = domain.Actor{UserID: "u-appr", Roles: []roles.Role{roles.Approver}}
	unitHead1 = domain.Actor{UserID: "u-head1", Roles: []roles.Role{roles.UnitHead}, Units: []string{"unit-1"}}
)

// reportFromFacts computes every figure of the overview straight from the
// cases, clocks and timeline, the way the read model must agree with.
func reportFromFacts(t *testing.T, e *env, units []string) domain.Report {
	t.Helper()
	var r domain.Report
	in := func(col string) string {
		if units == nil {
			return "true"
		}
		return col + " IN ('" + strings.Join(units, "','") + "')"
	}
	month := `to_char(date_trunc('month', %s AT TIME ZONE 'Asia/Shanghai'), 'YYYY-MM')`
	qs := []struct {
		dst any
		sql string
	}{
		{&r.OpenedByMonth, `SELECT ` + strings.ReplaceAll(month, "%s", "opened_at") + ` AS month, severity, count(*) AS cases
			FROM cases WHERE ` + in("unit_id") + ` GROUP BY 1, 2 ORDER BY 1, 2`},
		{&r.OpenedByUnit, `SELECT unit_id, severity, count(*) AS cases
			FROM cases WHERE ` + in("unit_id") + ` GROUP BY 1, 2 ORDER BY 1, 2`},
		{&r.Durations, `WITH v AS (
			SELECT 'acknowledgement' AS metric, extract(epoch FROM acknowledged_at - opened_at)::integer AS x FROM cases WHERE acknowledged_at IS NOT NULL AND ` + in("unit_id") + `
			UNION ALL SELECT 'handoff', extract(epoch FROM handoff_at - opened_at)::integer FROM cases WHERE handoff_at IS NOT NULL AND ` + in("unit_id") + `
			UNION ALL SELECT 'determination', decided_on - injury_date FROM cases WHERE decided_on IS NOT NULL AND ` + in("unit_id") + `)
			SELECT metric, count(*) AS cases, percentile_disc(0.5) WITHIN GROUP (ORDER BY x) AS median,
				percentile_disc(0.9) WITHIN GROUP (ORDER BY x) AS p90
			FROM v GROUP BY metric ORDER BY metric`},
		{&r.SLA, `SELECT k.kind, count(*) FILTER (WHERE k.outcome = 'met') AS met, count(*) FILTER (WHERE k.outcome = 'breached') AS breached
			FROM sla_clocks k JOIN cases c ON c.id = k.case_id WHERE k.outcome IN ('met', 'breached') AND ` + in("c.unit_id") + ` GROUP BY 1 ORDER BY 1`},
		{&r.Escalations, `SELECT ` + strings.ReplaceAll(month, "%s", "t.at") + ` AS month, t.action AS level, count(*) AS escalations
			FROM timeline t JOIN cases c ON c.id = t.case_id WHERE t.kind = 'escalation' AND ` + in("c.unit_id") + ` GROUP BY 1, 2 ORDER BY 1, 2`},
		{&r.OpenByStage, `SELECT unit_id, state, count(*) AS cases FROM cases WHERE state <> 'closed' AND ` + in("unit_id") + ` GROUP BY 1, 2 ORDER BY 1, 2`},
	}
	for _, q := range qs {
		if err := e.db.Select(q.dst, q.sql); err != nil {
			t.Fatalf("%s: %v", q.sql, err)
		}
	}
	for _, p := range []any{&r.OpenedByMonth, &r.OpenedByUnit, &r.Durations, &r.SLA, &r.Escalations, &r.OpenByStage} {
		// empty sections are [] in the answer
		v := reflect.ValueOf(p).Elem()
		if v.IsNil() {
			v.Set(reflect.MakeSlice(v.Type(), 0, 0))
		}
	}
	return r
}

func (e *env) report(who domain.Actor, query string) (domain.Report, resp) {
	e.t.Helper()
	w := e.do(who, "GET", "/reports/overview?"+query, nil)
	var r domain.Report
	if w.Code == http.StatusOK {
		if err := json.Unmarshal(w.Body, &r); err != nil {
			e.t.Fatal(err)
		}
	}
	return r, w
}

// TestReportEqualsTheFacts seeds cases through the API in two units and two
// months (acknowledged, handed off, determined, escalated, reclassified,
// closed), then checks that every figure of the overview equals the same
// figure computed straight from the raw tables, for the committee and for
// a unit head; and that a rebuild from the facts gives the same answer.
func TestReportEqualsTheFacts(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	open := func(unit, severity string) string {
		r := e.do(colleague, "POST", "/cases", map[string]any{
			"member_id": "m-1", "unit_id": unit, "injured_at": "2026-03-10T08:30:00+08:00",
			"place": "城关路口", "description": "查车时被撞伤腿部", "severity": severity,
		})
		if r.Code != http.StatusCreated {
			t.Fatalf("open: %d %s", r.Code, r.Body)
		}
		return r.json(t)["id"].(string)
	}
	cw2 := domain.Actor{UserID: "u-cw2", Name: "陈静", Roles: []roles.Role{roles.Caseworker}, Units: []string{"unit-2"}}
	mustAct := func(who domain.Actor, id, action string, body any) {
		t.Helper()
		if r := e.act(who, id, action, body); r.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", action, r.Code, r.Body)
		}
	}
	a := open("unit-1", "critical")
	b := open("unit-1", "serious")
	c := open("unit-2", "minor")
	e.clk.Advance(20 * time.Minute)
	mustAct(caseworker, a, "acknowledge", nil)
	e.clk.Advance(40 * time.Minute)
	mustAct(caseworker, a, "confirm_handoff", map[string]any{"hospital": "县人民医院", "guarantee_fen": 3000000})
	mustAct(caseworker, a, "file_determination", map[string]any{"filed_on": "2026-03-10"})
	mustAct(caseworker, a, "accept_filing", map[string]any{"accepted_on": "2026-03-10", "clear_facts": true})
	mustAct(cw2, c, "acknowledge", nil)
	// b is left alone until its clocks breach and escalate.
	e.clk.Advance(3 * 24 * time.Hour)
	if _, err := e.st.SweepOnce(ctx, 100, commands.Swept); err != nil {
		t.Fatal(err)
	}
	mustAct(caseworker, b, "acknowledge", nil) // late: a breached clock
	mustAct(caseworker, a, "decide", map[string]any{"decided_on": "2026-03-13", "outcome": "recognised", "clause": 1})
	// April: another case, closed at once.
	e.clk.Advance(30 * 24 * time.Hour)
	d := open("unit-2", "serious")
	mustAct(cw2, d, "close", map[string]any{"reason": "duplicate"})
	if _, err := e.st.SweepOnce(ctx, 100, commands.Swept); err != nil {
		t.Fatal(err)
	}
	if n := e.count(`SELECT count(*) FROM timeline WHERE kind = 'escalation'`); n == 0 {
		t.Fatal("the seed has no escalation to count")
	}
	if n := e.count(`SELECT count(*) FROM sla_clocks WHERE outcome = 'breached'`); n == 0 {
		t.Fatal("the seed has no breached clock to count")
	}

	const months = "from=2026-01&to=2026-06"
	got, w := e.report(leader, months)
	if w.Code != http.StatusOK {
		t.Fatalf("leader's report = %d %s", w.Code, w.Body)
	}
	if want := reportFromFacts(t, e, nil); !reflect.DeepEqual(got, want) {
		t.Errorf("leader's report\n got %+v\nwant %+v", got, want)
	}
	if len(got.OpenedByMonth) < 3 || len(got.OpenedByUnit) < 3 || len(got.Durations) == 0 || len(got.SLA) == 0 || len(got.Escalations) == 0 || len(got.OpenByStage) == 0 {
		t.Errorf("a section is empty: %+v", got)
	}
	if got2, _ := e.report(approver, months); !reflect.DeepEqual(got2, got) {
		t.Errorf("approver sees %+v, leader %+v", got2, got)
	}
	// A unit head sees their unit only, asked for or not.
	head, w := e.report(unitHead1, months)
	if w.Code != http.StatusOK {
		t.Fatalf("unit head's report = %d %s", w.Code, w.Body)
	}
	if want := reportFromFacts(t, e, []string{"unit-1"}); !reflect.DeepEqual(head, want) {
		t.Errorf("unit head's report\n got %+v\nwant %+v", head, want)
	}
	if strings.Contains(string(w.Body), "unit-2") {
		t.Errorf("the unit head's answer names another unit: %s", w.Body)
	}
	if r := e.do(unitHead1, "GET", "/reports/overview?unit=unit-2&"+months, nil); r.Code != http.StatusForbidden {
		t.Errorf("unit head asks for unit-2 = %d %s", r.Code, r.Body)
	}
	// The committee's filter by unit.
	one, _ := e.report(leader, months+"&unit=unit-2")
	if want := reportFromFacts(t, e, []string{"unit-2"}); !reflect.DeepEqual(one, want) {
		t.Errorf("leader's unit-2 report\n got %+v\nwant %+v", one, want)
	}
	// The months filter: March only leaves April's case out.
	march, _ := e.report(leader, "from=2026-03&to=2026-03")
	for _, o := range march.OpenedByMonth {
		if o.Month != "2026-03" {
			t.Errorf("March's report counts %+v", o)
		}
	}

	// A rebuild from the facts gives the same figures.
	if err := e.st.RebuildReports(ctx); err != nil {
		t.Fatal(err)
	}
	if again, _ := e.report(leader, months); !reflect.DeepEqual(again, got) {
		t.Errorf("after a rebuild\n got %+v\nwant %+v", again, got)
	}
}

func TestReportAccessAndBadInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, who := range []domain.Actor{member, caseworker, admin} {
		if r := e.do(who, "GET", "/reports/overview", nil); r.Code != http.StatusForbidden {
			t.Errorf("%v: report = %d %s", who.Roles, r.Code, r.Body)
		}
	}
	if r := e.do(nobody, "GET", "/reports/overview", nil); r.Code != http.StatusUnauthorized {
		t.Errorf("nobody: report = %d", r.Code)
	}
	for q, field := range map[string]string{
		"from=2026-13":                    "from",
		"to=March":                        "to",
		"from=2026-06&to=2026-01":         "from",
		"from=2010-01&to=2026-01":         "from",
		"unit=%00":                        "unit",
		"unit=" + strings.Repeat("x", 65): "unit",
	} {
		r := e.do(leader, "GET", "/reports/overview?"+q, nil, "Accept-Language", "en")
		if r.Code != http.StatusUnprocessableEntity || !strings.Contains(string(r.Body), `"field":"`+field+`"`) {
			t.Errorf("%s = %d %s", q, r.Code, r.Body)
		}
	}
	r := e.do(leader, "GET", "/reports/overview?from=2026-13", nil, "Accept-Language", "zh-CN")
	if !strings.Contains(string(r.Body), "应为年月") {
		t.Errorf("Chinese message: %s", r.Body)
	}
}

// TestReportQueriesUseIndexes: on a read model of a province's units (300)
// over ten years, the report's one statement reads indexes, not whole
// tables, for a quarter of every unit and for ten years of two units. (A
// whole year of every unit reads that year's units × months rows by
// definition; its time is measured in docs/PERFORMANCE.md.)
func TestReportQueriesUseIndexes(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t, store.Migrations())
	if _, err := db.Exec(`
		INSERT INTO report_cases_month (unit_id, month, severity, opened)
		SELECT 'unit-' || u, make_date(2000 + m / 12, m % 12 + 1, 1), s, 1
		FROM generate_series(1, 300) u, generate_series(0, 119) m, unnest(ARRAY['critical', 'serious', 'minor']) s;
		INSERT INTO report_durations_month (unit_id, month, ack_seconds)
		SELECT 'unit-' || u, make_date(2000 + m / 12, m % 12 + 1, 1), ARRAY[60, 120] FROM generate_series(1, 300) u, generate_series(0, 119) m;
		INSERT INTO report_sla_month (unit_id, month, kind, met)
		SELECT 'unit-' || u, make_date(2000 + m / 12, m % 12 + 1, 1), 'acknowledgement', 1 FROM generate_series(1, 300) u, generate_series(0, 119) m;
		INSERT INTO report_escalations_month (unit_id, month, level, escalations)
		SELECT 'unit-' || u, make_date(2000 + m / 12, m % 12 + 1, 1), 'unit_head', 1 FROM generate_series(1, 300) u, generate_series(0, 119) m;
		ANALYZE report_cases_month; ANALYZE report_durations_month; ANALYZE report_sla_month; ANALYZE report_escalations_month;`); err != nil {
		t.Fatal(err)
	}
	pgtest.AssertIndexed(t, db, "every unit, a quarter", store.ReportSQL, "2009-01-01", "2009-03-01", nil)
	pgtest.AssertIndexed(t, db, "two units, ten years", store.ReportSQL, "2000-01-01", "2009-12-01", "{unit-1,unit-2}")
}

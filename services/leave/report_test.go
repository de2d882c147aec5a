package leave_test

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/internal/specs"
	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/pkg/pg/pgtest"
	"github.com/anxin-welfare/anxin/services/leave/internal/store"
)

var leader = auth.Identity{UserID: "leader", Name: "赵书记", Roles: []auth.Role{auth.RoleLeader}}

type leaveReport struct {
	Uptake []struct {
		UnitID      string `json:"unit_id" db:"unit_id"`
		Year        int    `json:"year" db:"year"`
		Members     int    `json:"members" db:"members"`
		Entitled    int    `json:"entitled" db:"entitled"`
		Taken       int    `json:"taken" db:"taken"`
		Unused      int    `json:"unused" db:"unused"`
		ExtraFen    int64  `json:"extra_fen" db:"-"`
		MissingPay  int    `json:"missing_pay" db:"-"`
		BasisPoints int    `json:"basis_points" db:"-"`
	} `json:"uptake"`
	Targets []struct {
		Year        int `json:"year"`
		BasisPoints int `json:"basis_points"`
	} `json:"targets"`
	Recuperation []struct {
		UnitID string `json:"unit_id" db:"unit_id"`
		Year   int    `json:"year" db:"year"`
		Places int    `json:"places" db:"places"`
		Used   int    `json:"used" db:"used"`
	} `json:"recuperation"`
	HealthChecks []struct {
		UnitID    string `json:"unit_id" db:"unit_id"`
		Year      int    `json:"year" db:"year"`
		Active    int    `json:"active" db:"active"`
		Booked    int    `json:"booked" db:"booked"`
		Completed int    `json:"completed" db:"completed"`
		Overdue   int    `json:"overdue" db:"overdue"`
	} `json:"health_checks"`
}

func (h *harness) overview(t *testing.T, who *auth.Identity, query string) (leaveReport, *int) {
	t.Helper()
	w := h.do(t, who, "GET", "/api/v1/leave/reports/overview?"+query, nil)
	var r leaveReport
	if w.Code == http.StatusOK {
		if err := json.Unmarshal(w.Body.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
	}
	code := w.Code
	return r, &code
}

// TestReportEqualsTheFacts takes leave, records wages and books care
// through the API, then checks every figure of the overview against the
// ledger, bookings, quotas and members themselves, and the cost of the
// unused days against the service's own year-end compensation report.
func TestReportEqualsTheFacts(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.env.Contract = specs.MustLoad(t, "leave")
	if w := h.do(t, &admin, "PUT", "/api/v1/leave/recuperation/quotas/2026/u1", map[string]int{"places": 5}); w.Code != http.StatusOK {
		t.Fatalf("quota: %d %s", w.Code, w.Body)
	}
	o := h.objects(t) // a pending request, a recuperation booking and a health-check booking of m1 (u1)
	// The overview counts days taken, not days asked for: with the pending
	// request withdrawn, its unused days are the year-end report's.
	pending := h.request(t, o.request)
	if w := h.do(t, &officer1, "POST", "/api/v1/leave/requests/"+o.request+"/cancel", nil, "If-Match", etag(pending.Version)); w.Code != http.StatusOK {
		t.Fatalf("cancel: %d %s", w.Code, w.Body)
	}
	h.approvedRequest(t, "2026-11-30", "2026-11-30")
	for _, m := range []string{"m1", "m2"} {
		if w := h.do(t, &finance, "PUT", "/api/v1/leave/members/"+m+"/pay/2026", map[string]string{"annual_pay": "120000.00"}); w.Code != http.StatusOK {
			t.Fatalf("pay: %d %s", w.Code, w.Body)
		}
	}
	// The committee's target.
	w := h.do(t, &approver1, "PUT", "/api/v1/leave/reports/uptake-targets/2026", map[string]int{"target_percent": 80})
	if w.Code != http.StatusOK || w.Header().Get("ETag") != `"1"` {
		t.Fatalf("target: %d %s", w.Code, w.Body)
	}

	got, code := h.overview(t, &leader, "from=2026-01&to=2026-12")
	if *code != http.StatusOK {
		t.Fatalf("leader's report = %d", *code)
	}
	db, err := pg.Open(context.Background(), pg.Config{URL: h.env.Deps.Config.DatabaseURL, Schema: "leave", MaxOpenConns: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var want leaveReport
	if err := db.Select(&want.Uptake, `SELECT m.unit_id, e.year, count(DISTINCT e.member_id) AS members,
			coalesce(sum(e.days) FILTER (WHERE e.kind IN ('accrual', 'correction', 'adjustment', 'carry_over_in')), 0) AS entitled,
			coalesce(-sum(e.days) FILTER (WHERE e.kind IN ('taking', 'taking_reversal')), 0) AS taken,
			coalesce(sum(e.days) FILTER (WHERE e.kind IN ('accrual', 'correction', 'adjustment', 'carry_over_in', 'taking', 'taking_reversal')), 0) AS unused
		FROM ledger_entries e JOIN members m USING (member_id) WHERE e.year = 2026 GROUP BY 1, 2 ORDER BY 2, 1`); err != nil {
		t.Fatal(err)
	}
	if err := db.Select(&want.Recuperation, `SELECT unit_id, year, places, used FROM recuperation_quotas ORDER BY 2, 1`); err != nil {
		t.Fatal(err)
	}
	if err := db.Select(&want.HealthChecks, `SELECT m.unit_id, 2026 AS year, count(*) AS active,
			count(*) FILTER (WHERE EXISTS (SELECT 1 FROM health_check_bookings b WHERE b.member_id = m.member_id AND b.year = 2026 AND b.status = 'booked')) AS booked,
			count(*) FILTER (WHERE EXISTS (SELECT 1 FROM health_check_bookings b WHERE b.member_id = m.member_id AND b.year = 2026 AND b.status = 'completed')) AS completed,
			0 AS overdue
		FROM members m WHERE m.status = 'active' GROUP BY 1 ORDER BY 1`); err != nil {
		t.Fatal(err)
	}
	for i := range got.Uptake {
		// checked against the compensation report below
		got.Uptake[i].ExtraFen, got.Uptake[i].MissingPay, got.Uptake[i].BasisPoints = 0, 0, 0
	}
	if !reflect.DeepEqual(got.Uptake, want.Uptake) || !reflect.DeepEqual(got.Recuperation, want.Recuperation) ||
		!reflect.DeepEqual(got.HealthChecks, want.HealthChecks) {
		t.Errorf("leader's report\n got %+v\nwant %+v", got, want)
	}
	if len(got.Uptake) != 2 || len(got.Recuperation) != 1 || len(got.HealthChecks) != 2 || got.HealthChecks[0].Booked != 1 {
		t.Errorf("the seed should give two units, a quota and a booked check: %+v", got)
	}
	if len(got.Targets) != 1 || got.Targets[0].BasisPoints != 8000 {
		t.Errorf("targets %+v", got.Targets)
	}

	// The unused days' cost equals the year-end compensation report's.
	full, _ := h.overview(t, &leader, "from=2026-01&to=2026-12")
	for _, u := range full.Uptake {
		var comp struct {
			Lines []struct {
				Extra string `json:"extra"`
			} `json:"lines"`
			MissingPay []string `json:"missing_pay"`
		}
		w := h.do(t, &finance, "GET", "/api/v1/leave/compensation/2026?unit="+u.UnitID, nil)
		if err := json.Unmarshal(w.Body.Bytes(), &comp); err != nil {
			t.Fatalf("compensation %s: %v", w.Body, err)
		}
		var extra int64
		for _, l := range comp.Lines {
			yuan, fen, _ := strings.Cut(l.Extra, ".")
			var y, f int64
			for _, c := range yuan {
				y = y*10 + int64(c-'0')
			}
			for _, c := range (fen + "00")[:2] {
				f = f*10 + int64(c-'0')
			}
			extra += y*100 + f
		}
		if u.ExtraFen != extra || u.MissingPay != len(comp.MissingPay) {
			t.Errorf("%s: overview extra %d fen and %d without pay, compensation report %d fen and %v (%s)", u.UnitID, u.ExtraFen, u.MissingPay, extra, comp.MissingPay, w.Body)
		}
	}

	// A unit head sees their units only; asking for another is 403.
	head, code := h.overview(t, &head1, "from=2026-01&to=2026-12")
	if *code != http.StatusOK {
		t.Fatalf("unit head's report = %d", *code)
	}
	for _, u := range head.Uptake {
		if u.UnitID != "u1" {
			t.Errorf("the unit head sees %+v", u)
		}
	}
	for _, hc := range head.HealthChecks {
		if hc.UnitID != "u1" {
			t.Errorf("the unit head sees %+v", hc)
		}
	}
	if _, code := h.overview(t, &head1, "unit=u2"); *code != http.StatusForbidden {
		t.Errorf("unit head asks for u2 = %d", *code)
	}
	for _, who := range []*auth.Identity{&officer1, &cw1, &finance, &admin} {
		if _, code := h.overview(t, who, ""); *code != http.StatusForbidden {
			t.Errorf("%s: report = %d", who.UserID, *code)
		}
		if who != &finance {
			continue
		}
		if w := h.do(t, who, "PUT", "/api/v1/leave/reports/uptake-targets/2026", map[string]int{"target_percent": 10}); w.Code != http.StatusForbidden {
			t.Errorf("finance sets the target: %d", w.Code)
		}
	}
	if w := h.do(t, &head1, "PUT", "/api/v1/leave/reports/uptake-targets/2026", map[string]int{"target_percent": 10}); w.Code != http.StatusForbidden {
		t.Errorf("a unit head sets the target: %d", w.Code)
	}

	// A rebuild from the facts gives the same answer.
	if err := h.svc.RebuildReports(context.Background()); err != nil {
		t.Fatal(err)
	}
	if again, _ := h.overview(t, &leader, "from=2026-01&to=2026-12"); !reflect.DeepEqual(again, full) {
		t.Errorf("after a rebuild\n got %+v\nwant %+v", again, full)
	}
}

func TestUptakeTargetBadInputChangesNothing(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for _, c := range []struct {
		body  any
		field string
	}{
		{map[string]int{"target_percent": 101}, "target_percent"},
		{map[string]int{"target_percent": -1}, "target_percent"},
		{map[string]any{}, "target_percent"},
		{map[string]any{"target_percent": "80%"}, "target_percent"},
	} {
		w := h.do(t, &leader, "PUT", "/api/v1/leave/reports/uptake-targets/2026", c.body, "Accept-Language", "en")
		if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), `"field":"`+c.field+`"`) {
			t.Errorf("%v = %d %s", c.body, w.Code, w.Body)
		}
	}
	if w := h.do(t, &leader, "PUT", "/api/v1/leave/reports/uptake-targets/1999", map[string]int{"target_percent": 80}); w.Code != http.StatusNotFound {
		t.Errorf("year 1999 = %d", w.Code)
	}
	w := h.do(t, &leader, "PUT", "/api/v1/leave/reports/uptake-targets/2026", map[string]int{"target_percent": 70})
	if w.Code != http.StatusOK {
		t.Fatalf("set = %d %s", w.Code, w.Body)
	}
	// A stale If-Match is 409 and keeps 70%.
	if w := h.do(t, &leader, "PUT", "/api/v1/leave/reports/uptake-targets/2026", map[string]int{"target_percent": 90}, "If-Match", `"7"`); w.Code != http.StatusConflict {
		t.Errorf("stale = %d %s", w.Code, w.Body)
	}
	r, _ := h.overview(t, &leader, "from=2026-01&to=2026-12")
	if len(r.Targets) != 1 || r.Targets[0].BasisPoints != 7000 {
		t.Errorf("targets after refusals: %+v", r.Targets)
	}
	if w := h.do(t, &leader, "GET", "/api/v1/leave/reports/overview?from=2026-13", nil, "Accept-Language", "zh-CN"); w.Code != http.StatusUnprocessableEntity ||
		!strings.Contains(w.Body.String(), "应为年月") {
		t.Errorf("bad month = %d %s", w.Code, w.Body)
	}
}

// TestReportQueriesUseIndexes: on a province's read model (300 units, ten
// years) the report's one statement reads indexes, not whole tables.
func TestReportQueriesUseIndexes(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t, store.Migrations())
	if _, err := db.Exec(`
		INSERT INTO report_leave_year (unit_id, year, members, entitled, taken)
		SELECT 'unit-' || u, y, 50, 500, 300 FROM generate_series(1, 300) u, generate_series(2000, 2099) y;
		INSERT INTO report_health_year (unit_id, year, completed)
		SELECT 'unit-' || u, y, 10 FROM generate_series(1, 300) u, generate_series(2000, 2099) y;
		INSERT INTO report_unit_members (unit_id, active) SELECT 'unit-' || u, 50 FROM generate_series(1, 300) u;
		ANALYZE report_leave_year; ANALYZE report_health_year; ANALYZE report_unit_members;`); err != nil {
		t.Fatal(err)
	}
	today := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
	pgtest.AssertIndexed(t, db, "every unit, a year", store.ReportSQL, 2026, 2026, nil, today)
	pgtest.AssertIndexed(t, db, "two units, seven years", store.ReportSQL, 2020, 2026, "{unit-1,unit-2}", today)
	pgtest.AssertIndexed(t, db, "two units, a century", store.ReportSQL, 2000, 2099, "{unit-1,unit-2}", today)
}

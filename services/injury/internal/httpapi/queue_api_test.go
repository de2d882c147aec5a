package httpapi_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/roles"
	"github.com/anxin-welfare/anxin/services/injury/internal/commands"
	"github.com/anxin-welfare/anxin/services/injury/internal/domain"
)

// TestCalculationPreviewSavesNothing: a caseworker's 测算 answers the four
// explained amounts from the parameters in force on the day asked, and
// leaves every table, sequence and the audit trail as they were; a missing
// parameter is named in words, not by its code.
func TestCalculationPreviewSavesNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.openCase()
	body := map[string]any{"on": "2026-03-01", "grade": 5, "wages_fen": []int64{300000, 300000}, "nursing": "partial"}
	before := e.snapshot()
	missing := e.do(caseworker, "POST", "/calculations/preview", body, "Accept-Language", "zh-CN")
	if missing.Code != 422 || !strings.Contains(string(missing.Body), "统筹地区职工月平均工资在 2026-03-01 没有生效值") ||
		strings.Contains(string(missing.Body), "在 regional") {
		t.Errorf("preview without parameters = %d %s", missing.Code, missing.Body)
	}
	if after := e.snapshot(); after != before {
		t.Errorf("a refused preview changed the data: %s, then %s", before, after)
	}
	if r := e.do(admin, "PUT", "/parameters/regional_average_monthly_wage/2025-07-01", map[string]any{"value_fen": 700000}); r.Code != 200 {
		t.Fatalf("set parameter = %d %s", r.Code, r.Body)
	}
	before = e.snapshot()
	var seqBefore string
	if err := e.db.Get(&seqBefore, `SELECT coalesce(string_agg(sequencename || '=' || coalesce(last_value, 0), ',' ORDER BY sequencename), '') FROM pg_sequences WHERE schemaname = current_schema()`); err != nil {
		t.Fatal(err)
	}
	r := e.do(caseworker, "POST", "/calculations/preview", body)
	if r.Code != 200 {
		t.Fatalf("preview = %d %s", r.Code, r.Body)
	}
	got := r.json(t)
	a := got["assessment"].(map[string]any)
	if got["parameters_on"] != "2026-03-01" || got["regional_average_fen"] != float64(700000) || got["saved"] != false ||
		a["own_wage"].(map[string]any)["total_fen"] != float64(420000) || a["one_time_subsidy"].(map[string]any)["total_fen"] != float64(420000*18) ||
		a["nursing_fee"].(map[string]any)["total_fen"] != float64(210000) {
		t.Errorf("preview = %s", r.Body)
	}
	for _, bad := range []map[string]any{
		{"grade": 11, "wages_fen": []int64{300000}},
		{"grade": 5, "wages_fen": []int64{}},
		{"grade": 5, "wages_fen": []int64{300000}, "on": "2026-13-01"},
		{"grade": 5, "wages_fen": []int64{300000}, "nursing": "some"},
	} {
		if r := e.do(caseworker, "POST", "/calculations/preview", bad); r.Code != 422 || len(r.json(t)["errors"].([]any)) == 0 {
			t.Errorf("preview %v = %d %s", bad, r.Code, r.Body)
		}
	}
	if r := e.do(member, "POST", "/calculations/preview", body); r.Code != 403 {
		t.Errorf("an officer previews: %d", r.Code)
	}
	var seqAfter string
	if err := e.db.Get(&seqAfter, `SELECT coalesce(string_agg(sequencename || '=' || coalesce(last_value, 0), ',' ORDER BY sequencename), '') FROM pg_sequences WHERE schemaname = current_schema()`); err != nil {
		t.Fatal(err)
	}
	if after := e.snapshot(); after != before || seqAfter != seqBefore {
		t.Errorf("the preview changed something: %s → %s, sequences %s → %s", before, after, seqBefore, seqAfter)
	}
}

// TestQueueAPIPagesOpenWorkAndOffersValidCloseReasons: the caseworker's
// open queue leaves a closed case out and pages by key; a wrong order is a
// field problem; the case offers the close reasons of its stage, and an
// unfit one is refused in words, not with the state's code.
func TestQueueAPIPagesOpenWorkAndOffersValidCloseReasons(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a, b, c := e.openCase(), e.openCase(), e.openCase()
	cs := e.do(caseworker, "GET", "/cases/"+c, nil).json(t)
	reasons, _ := cs["close_reasons"].([]any)
	if len(reasons) != 2 || reasons[0] != "withdrawn" || reasons[1] != "duplicate" {
		t.Errorf("close reasons in triage = %v", cs["close_reasons"])
	}
	unfit := e.do(caseworker, "POST", "/cases/"+c+"/actions/close", map[string]any{"reason": "completed"},
		"If-Match", `"1"`, "Accept-Language", "zh-CN")
	if unfit.Code != 422 || strings.Contains(string(unfit.Body), "triage") || !strings.Contains(string(unfit.Body), "只能以“撤回”或“重复报告”结案") {
		t.Errorf("unfit close = %d %s", unfit.Code, unfit.Body)
	}
	if r := e.act(caseworker, c, "close", map[string]any{"reason": "duplicate"}); r.Code != 200 {
		t.Fatalf("close = %d %s", r.Code, r.Body)
	}
	seen := map[string]bool{}
	after := ""
	for pages := 0; ; pages++ {
		q := url.Values{"status": {"open"}, "sort": {"due"}, "limit": {"1"}}
		if after != "" {
			q.Set("after", after)
		}
		r := e.do(caseworker, "GET", "/cases?"+q.Encode(), nil)
		if r.Code != 200 {
			t.Fatalf("queue = %d %s", r.Code, r.Body)
		}
		page := r.json(t)
		for _, x := range page["cases"].([]any) {
			row := x.(map[string]any)
			if seen[row["id"].(string)] {
				t.Errorf("case %s twice", row["number"])
			}
			seen[row["id"].(string)] = true
			due, _ := time.Parse(time.RFC3339, row["next_due_at"].(string))
			if row["due_clock"] != "acknowledgement" || !due.Equal(now.Add(time.Hour)) || row["status"] != "green" || row["severity"] != "serious" {
				t.Errorf("queue row = %v", row)
			}
		}
		if after = page["next"].(string); after == "" || pages > 5 {
			break
		}
	}
	if len(seen) != 2 || !seen[a] || !seen[b] || seen[c] {
		t.Errorf("open queue = %v, want %s and %s only", seen, a, b)
	}
	closed := e.do(caseworker, "GET", "/cases?status=closed", nil).json(t)["cases"].([]any)
	if len(closed) != 1 || closed[0].(map[string]any)["id"] != c {
		t.Errorf("closed = %v", closed)
	}
	// 50 minutes on, a serious case due in 10 minutes is amber, not green.
	e.clk.Advance(50 * time.Minute)
	for _, x := range e.do(caseworker, "GET", "/cases?status=open&sort=severity", nil).json(t)["cases"].([]any) {
		if x.(map[string]any)["status"] != "amber" {
			t.Errorf("a serious case 10 minutes from its deadline = %v", x)
		}
	}
	for _, q := range []string{"sort=due", "status=open&sort=fastest", "status=maybe", "status=open&after=junk", "q=" + strings.Repeat("长", 51)} {
		if r := e.do(caseworker, "GET", "/cases?"+q, nil); r.Code != 422 || len(r.json(t)["errors"].([]any)) != 1 {
			t.Errorf("%s = %d %s", q, r.Code, r.Body)
		}
	}
}

// sameUnitCW is a second caseworker of the case's unit.
var sameUnitCW = domain.Actor{UserID: "u-cw3", Name: "李强", Roles: []roles.Role{roles.Caseworker}, Units: []string{"unit-1"}}

// TestCaseworkerInChargeIsShownToTheMember: the caseworker who takes a case
// with their phone is named, with it, to the injured member on the case and
// in their list; a phone that is not one is a field problem and changes
// nothing.
func TestCaseworkerInChargeIsShownToTheMember(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := e.openCase()
	before := e.snapshot()
	if r := e.act(caseworker, id, "acknowledge", map[string]any{"phone": "call me"}); r.Code != 422 || !strings.Contains(string(r.Body), `"phone"`) {
		t.Errorf("bad phone = %d %s", r.Code, r.Body)
	}
	if after := e.snapshot(); after != before {
		t.Errorf("a refused acknowledgement changed %s → %s", before, after)
	}
	if r := e.act(caseworker, id, "acknowledge", map[string]any{"phone": "0571-8888 1234"}); r.Code != 200 {
		t.Fatalf("acknowledge = %d %s", r.Code, r.Body)
	}
	// A second caseworker's step does not take the case from the first.
	if r := e.act(sameUnitCW, id, "confirm_handoff", map[string]any{"hospital": "县人民医院", "phone": "13900000000"}); r.Code != 200 {
		t.Fatalf("hand-off = %d %s", r.Code, r.Body)
	}
	cs := e.do(member, "GET", "/cases/"+id, nil).json(t)
	ic, _ := cs["in_charge"].(map[string]any)
	if ic["name"] != "王芳" || ic["phone"] != "0571-8888 1234" {
		t.Errorf("member's case in_charge = %v", cs["in_charge"])
	}
	row := e.do(member, "GET", "/cases", nil).json(t)["cases"].([]any)[0].(map[string]any)
	if row["in_charge_name"] != "王芳" || row["in_charge_phone"] != "0571-8888 1234" {
		t.Errorf("member's list row = %v", row)
	}
	if r := e.do(colleague, "GET", "/cases/"+id, nil).json(t); r["in_charge"] != nil {
		t.Errorf("the reporting colleague sees who is in charge: %v", r["in_charge"])
	}
}

// TestSweeperKeepsTheQueueClock: when the sweeper lapses an unused appeal
// window (without loading the case), the queue's clock moves on to the
// clock the case itself says is due first, as after any step.
func TestSweeperKeepsTheQueueClock(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := e.gradeCase()
	row := func() map[string]any {
		t.Helper()
		for _, x := range e.do(caseworker, "GET", "/cases?status=open&sort=due", nil).json(t)["cases"].([]any) {
			if m := x.(map[string]any); m["id"] == id {
				return m
			}
		}
		t.Fatalf("case %s not in the open queue", id)
		return nil
	}
	// firstRunning is the running clock due first, from the case's view.
	firstRunning := func() (string, string) {
		t.Helper()
		kind, due := "", ""
		for _, x := range e.do(caseworker, "GET", "/cases/"+id, nil).json(t)["clocks"].([]any) {
			k := x.(map[string]any)
			if _, stopped := k["stopped_at"]; stopped {
				continue
			}
			if _, paused := k["paused_at"]; paused {
				continue
			}
			if d := k["due_at"].(string); due == "" || d < due {
				kind, due = k["kind"].(string), d
			}
		}
		return kind, due
	}
	if r, kind := row(), "appeal"; r["due_clock"] != kind {
		t.Fatalf("after the grading the queue shows %v, want the %s window", r["due_clock"], kind)
	}
	e.clk.Advance(16 * 24 * time.Hour)
	if _, err := e.st.SweepOnce(context.Background(), 100, commands.Swept); err != nil {
		t.Fatal(err)
	}
	kind, due := firstRunning()
	r := row()
	if kind == "appeal" || r["due_clock"] == "appeal" || fmt.Sprint(r["due_clock"]) != fmt.Sprint(orNil(kind)) {
		t.Errorf("after the window lapsed the queue shows %v (%v), the case says %q (%s)", r["due_clock"], r["next_due_at"], kind, due)
	}
}

// orNil is s, or nil when empty (as a JSON member left out reads).
func orNil(s string) any {
	if s == "" {
		return nil
	}
	return s
}

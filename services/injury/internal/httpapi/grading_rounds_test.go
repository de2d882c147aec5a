package httpapi_test

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/services/injury/internal/commands"
)

// gradeCase opens the standard case and takes it to a first grading
// conclusion (grade 7) recorded today, 2026-03-10.
func (e *env) gradeCase() string {
	e.t.Helper()
	id := e.openCase()
	for _, s := range []struct {
		action string
		body   any
	}{
		{"confirm_handoff", map[string]any{"hospital": "县人民医院"}},
		{"file_determination", map[string]any{"filed_on": "2026-03-10"}},
		{"accept_filing", map[string]any{"accepted_on": "2026-03-10", "clear_facts": true}},
		{"decide", map[string]any{"decided_on": "2026-03-10", "outcome": "recognised", "clause": 1}},
		{"request_grading", map[string]any{"applied_on": "2026-03-10"}},
		{"record_grade", map[string]any{"graded_on": "2026-03-10", "grade": 7, "nursing": "none"}},
	} {
		if r := e.act(caseworker, id, s.action, s.body); r.Code != 200 {
			e.t.Fatalf("%s = %d %s", s.action, r.Code, r.Body)
		}
	}
	return id
}

// clockOf returns the last clock of a kind in a case's JSON.
func clockOf(t *testing.T, cs map[string]any, kind string) map[string]any {
	t.Helper()
	var out map[string]any
	clocks, _ := cs["clocks"].([]any)
	for _, k := range clocks {
		if m := k.(map[string]any); m["kind"] == kind {
			out = m
		}
	}
	if out == nil {
		t.Fatalf("no %s clock in %v", kind, cs["clocks"])
	}
	return out
}

func nextActions(cs map[string]any) []string {
	var out []string
	for _, a := range cs["next_actions"].([]any) {
		out = append(out, a.(string))
	}
	return out
}

// gradedEvents returns the case.graded payloads in the outbox, oldest first.
func (e *env) gradedEvents(id string) []map[string]any {
	e.t.Helper()
	var raws [][]byte
	if err := e.db.Select(&raws, `SELECT envelope FROM outbox WHERE type = 'case.graded' AND subject_id = $1 ORDER BY seq`, id); err != nil {
		e.t.Fatal(err)
	}
	var out []map[string]any
	for _, raw := range raws {
		var env struct {
			Data map[string]any `json:"data"`
		}
		if err := json.Unmarshal(raw, &env); err != nil {
			e.t.Fatal(err)
		}
		out = append(out, env.Data)
	}
	return out
}

func TestAppealWithinTheWindow(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := e.gradeCase()
	cs := e.do(member, "GET", "/cases/"+id, nil).json(t)
	// Received 2026-03-10: the 15 days run to the end of 2026-03-25 in Shanghai.
	k := clockOf(t, cs, "appeal")
	if k["due_at"] != "2026-03-25T16:00:00Z" || k["status"] != "green" {
		t.Errorf("appeal clock = %v", k)
	}
	g := cs["grading"].(map[string]any)
	if g["round"] != "initial" || g["received_on"] != "2026-03-10" || g["pending"] != false || g["regrading_from"] != "2027-03-10" {
		t.Errorf("grading = %v", g)
	}
	if !slices.Contains(nextActions(cs), "file_appeal") {
		t.Errorf("member's next actions %v lack file_appeal", cs["next_actions"])
	}
	// A field of another action is refused, and so is an empty date.
	if r := e.act(member, id, "file_appeal", map[string]any{"filed_on": "2026-03-10", "grade": 3}); r.Code != 422 ||
		!strings.Contains(string(r.Body), `"field":"grade"`) {
		t.Errorf("foreign field = %d %s", r.Code, r.Body)
	}
	if r := e.act(member, id, "file_appeal", map[string]any{"note": "x"}); r.Code != 422 || !strings.Contains(string(r.Body), `"field":"filed_on"`) {
		t.Errorf("no date = %d %s", r.Code, r.Body)
	}
	// Day 15, late evening in Shanghai: still open.
	e.clk.Set(time.Date(2026, 3, 25, 15, 30, 0, 0, time.UTC))
	r := e.act(member, id, "file_appeal", map[string]any{"filed_on": "2026-03-25", "note": "认为伤残等级评定偏轻"})
	if r.Code != 200 {
		t.Fatalf("appeal on day 15 = %d %s", r.Code, r.Body)
	}
	cs = r.json(t)
	g = cs["grading"].(map[string]any)
	if g["round"] != "appeal" || g["pending"] != true || g["grade"] != float64(7) || g["appealed_on"] != "2026-03-25" || g["appeal_note"] != "认为伤残等级评定偏轻" {
		t.Errorf("grading after the appeal = %v", g)
	}
	if k := clockOf(t, cs, "appeal"); k["status"] != "done" || k["outcome"] != "met" {
		t.Errorf("appeal clock after the appeal = %v", k)
	}
	if k := clockOf(t, cs, "grading"); k["status"] != "green" || k["due_at"] != "2026-05-24T16:00:00Z" {
		t.Errorf("provincial grading clock = %v", k)
	}
	if n := e.count(`SELECT count(*) FROM sla_clocks WHERE case_id = $1 AND kind = 'appeal' AND stopped_at IS NULL`, id); n != 0 {
		t.Errorf("%d appeal clocks still run", n)
	}
	if n := e.count(`SELECT count(*) FROM timeline WHERE case_id = $1 AND kind = 'action' AND action = 'file_appeal' AND actor_id = 'u-m1'`, id); n != 1 {
		t.Errorf("file_appeal timeline entries = %d", n)
	}
	// Once appealed, no second appeal.
	if r := e.act(member, id, "file_appeal", map[string]any{"filed_on": "2026-03-25"}); r.Code != 409 || r.json(t)["reason"] != "injury.grading_pending" {
		t.Errorf("second appeal = %d %s", r.Code, r.Body)
	}
	// The provincial conclusion replaces the grade and is announced again.
	e.clk.Set(time.Date(2026, 5, 6, 2, 0, 0, 0, time.UTC))
	r = e.act(caseworker, id, "record_grade", map[string]any{"graded_on": "2026-05-05", "received_on": "2026-05-06", "grade": 5, "nursing": "partial"})
	if r.Code != 200 {
		t.Fatalf("appeal result = %d %s", r.Code, r.Body)
	}
	cs = r.json(t)
	g = cs["grading"].(map[string]any)
	if g["grade"] != float64(5) || g["previous_grade"] != float64(7) || g["final"] != true || g["pending"] != false || g["regrading_from"] != "2027-05-05" {
		t.Errorf("grading after the appeal result = %v", g)
	}
	if slices.Contains(nextActions(cs), "file_appeal") {
		t.Error("a final conclusion offers another appeal")
	}
	evs := e.gradedEvents(id)
	if len(evs) != 2 {
		t.Fatalf("case.graded events = %d", len(evs))
	}
	if evs[0]["grade"] != float64(7) || evs[0]["round"] != "initial" || evs[0]["previous_grade"] != nil {
		t.Errorf("first case.graded = %v", evs[0])
	}
	if evs[1]["grade"] != float64(5) || evs[1]["round"] != "appeal" || evs[1]["previous_grade"] != float64(7) || evs[1]["graded_on"] != "2026-05-05" {
		t.Errorf("second case.graded = %v", evs[1])
	}
	r = e.act(member, id, "file_appeal", map[string]any{"filed_on": "2026-05-06"})
	if r.Code != 409 || r.json(t)["reason"] != "injury.grading_final" {
		t.Errorf("appeal of the final conclusion = %d %s", r.Code, r.Body)
	}
	// No window is open: the case closes.
	if r := e.act(caseworker, id, "close", map[string]any{"reason": "completed"}); r.Code != 200 {
		t.Errorf("close = %d %s", r.Code, r.Body)
	}
}

func TestAppealAfterTheWindow(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := e.gradeCase()
	// Closing inside the window would cut it short.
	r := e.act(caseworker, id, "close", map[string]any{"reason": "completed"})
	if r.Code != 409 || r.json(t)["reason"] != "injury.appeal_window_open" || !strings.Contains(string(r.Body), "2026-03-25") {
		t.Errorf("close inside the window = %d %s", r.Code, r.Body)
	}
	// Day 16, first minute in Shanghai: closed, with the last day.
	e.clk.Set(time.Date(2026, 3, 25, 16, 0, 0, 0, time.UTC))
	before := e.snapshot()
	for _, lang := range []string{"zh-CN", "en"} {
		r := e.do(member, "POST", "/cases/"+id+"/actions/file_appeal", map[string]any{"filed_on": "2026-03-25"},
			"If-Match", `"`+strconv.FormatInt(e.version(id), 10)+`"`, "Accept-Language", lang)
		body := r.json(t)
		args, _ := body["reason_args"].([]any)
		if r.Code != 409 || body["reason"] != "injury.appeal_window_closed" || len(args) != 1 || args[0] != "2026-03-25" ||
			!strings.Contains(body["detail"].(string), "2026-03-25") {
			t.Errorf("%s: appeal on day 16 = %d %s", lang, r.Code, r.Body)
		}
	}
	if en := e.do(member, "POST", "/cases/"+id+"/actions/file_appeal", map[string]any{"filed_on": "2026-03-25"},
		"If-Match", `"`+strconv.FormatInt(e.version(id), 10)+`"`, "Accept-Language", "en").json(t)["detail"]; en != "The window to ask for a re-assessment closed on 2026-03-25 (Regulation art. 26)" {
		t.Errorf("English detail = %v", en)
	}
	if e.snapshot() != before {
		t.Error("a refused appeal changed something")
	}
	cs := e.do(member, "GET", "/cases/"+id, nil).json(t)
	if slices.Contains(nextActions(cs), "file_appeal") {
		t.Errorf("file_appeal offered after the window: %v", cs["next_actions"])
	}
	// Until the sweeper runs the window shows done, not overdue.
	if k := clockOf(t, cs, "appeal"); k["status"] != "done" || k["outcome"] != nil {
		t.Errorf("appeal clock before the sweep = %v", k)
	}
	if _, err := e.st.SweepOnce(context.Background(), 100, commands.Swept); err != nil {
		t.Fatal(err)
	}
	cs = e.do(member, "GET", "/cases/"+id, nil).json(t)
	if k := clockOf(t, cs, "appeal"); k["status"] != "done" || k["outcome"] != "lapsed" || k["level"] != "none" {
		t.Errorf("appeal clock after the sweep = %v", k)
	}
	tl := e.do(member, "GET", "/cases/"+id+"/timeline", nil).json(t)["entries"].([]any)
	last := tl[len(tl)-1].(map[string]any)
	if last["kind"] != "lapse" || last["actor_id"] != "system" || last["data"].(map[string]any)["clock"] != "appeal" {
		t.Errorf("last timeline entry = %v", last)
	}
	if r := e.act(member, id, "file_appeal", map[string]any{"filed_on": "2026-03-25"}); r.Code != 409 || r.json(t)["reason"] != "injury.appeal_window_closed" {
		t.Errorf("appeal after the sweep = %d %s", r.Code, r.Body)
	}
	if n := e.count(`SELECT count(*) FROM outbox WHERE type = 'case.escalated'`); n != 0 {
		t.Errorf("case.escalated events = %d", n)
	}
	if r := e.act(caseworker, id, "close", map[string]any{"reason": "completed"}); r.Code != 200 {
		t.Errorf("close after the window = %d %s", r.Code, r.Body)
	}
}

func TestRegradingAfterAYearAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := e.gradeCase()
	// 364 days after the conclusion of 2026-03-10: refused, with the first day.
	e.clk.Set(time.Date(2027, 3, 9, 2, 0, 0, 0, time.UTC))
	if cs := e.do(member, "GET", "/cases/"+id, nil).json(t); slices.Contains(nextActions(cs), "request_regrading") {
		t.Errorf("request_regrading offered on day 364: %v", cs["next_actions"])
	}
	before := e.snapshot()
	r := e.act(member, id, "request_regrading", map[string]any{"applied_on": "2027-03-09"})
	body := r.json(t)
	if args, _ := body["reason_args"].([]any); r.Code != 409 || body["reason"] != "injury.regrading_too_early" || len(args) != 1 || args[0] != "2027-03-10" {
		t.Errorf("re-grading on day 364 = %d %s", r.Code, r.Body)
	}
	if e.snapshot() != before {
		t.Error("a refused re-grading changed something")
	}
	// Day 365: allowed; a backdated application is refused on its field.
	e.clk.Set(time.Date(2027, 3, 10, 2, 0, 0, 0, time.UTC))
	if cs := e.do(member, "GET", "/cases/"+id, nil).json(t); !slices.Contains(nextActions(cs), "request_regrading") {
		t.Errorf("request_regrading not offered on day 365: %v", cs["next_actions"])
	}
	r = e.act(member, id, "request_regrading", map[string]any{"applied_on": "2027-03-09"})
	if r.Code != 422 || !strings.Contains(string(r.Body), `"field":"applied_on"`) || !strings.Contains(string(r.Body), "injury.regrading_too_early") ||
		!strings.Contains(string(r.Body), "2027-03-10") {
		t.Errorf("backdated re-grading = %d %s", r.Code, r.Body)
	}
	r = e.act(member, id, "request_regrading", map[string]any{"applied_on": "2027-03-10"})
	if r.Code != 200 {
		t.Fatalf("re-grading on day 365 = %d %s", r.Code, r.Body)
	}
	g := r.json(t)["grading"].(map[string]any)
	if g["round"] != "review" || g["pending"] != true || g["grade"] != float64(7) || g["applied_on"] != "2027-03-10" {
		t.Errorf("grading after the re-grading request = %v", g)
	}
	// The review conclusion replaces the grade and opens a new window.
	r = e.act(caseworker, id, "record_grade", map[string]any{"graded_on": "2027-03-10", "grade": 6, "nursing": "none"})
	if r.Code != 200 {
		t.Fatalf("review conclusion = %d %s", r.Code, r.Body)
	}
	if k := clockOf(t, r.json(t), "appeal"); k["status"] != "green" || k["due_at"] != "2027-03-25T16:00:00Z" {
		t.Errorf("appeal clock after the review = %v", k)
	}
	if evs := e.gradedEvents(id); len(evs) != 2 || evs[1]["round"] != "review" || evs[1]["previous_grade"] != float64(7) || evs[1]["grade"] != float64(6) {
		t.Errorf("case.graded events = %v", evs)
	}
}

package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/app/apptest"
	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/store"
)

// TestInjuryJourney and TestInjuryPagesAccess moved to the real services:
// services/gateway/injury_case_forms_real_test.go (with the case's comment,
// upload and calculation forms, which were injury_case_notes_test.go).

// injuryUser creates a user with the test password, their member and
// units as given.
func injuryUser(t *testing.T, e *env, name, member string, units []string, roles ...domain.Role) *domain.User {
	t.Helper()
	u, err := e.accounts.CreateUser(context.Background(), domain.UserInput{Username: name, DisplayName: "用户 " + name,
		Roles: roles, Units: units, MemberID: member}, password, password, store.Actor{UserID: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// rawInjuryKey is a page text key printed instead of its text.
var rawInjuryKey = regexp.MustCompile(`\b(web|field)\.[a-z_]+\.[a-z_.0-9]+`)

func wantIn(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	if k := rawInjuryKey.FindString(body); k != "" {
		t.Errorf("%s shows the raw key %q", what, k)
	}
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s lacks %q", what, w)
		}
	}
}

func wantNotIn(t *testing.T, what, body string, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(body, w) {
			t.Errorf("%s shows %q", what, w)
		}
	}
}

// The report's people (the unit from the member record, the name search,
// identify_member), the queue's names and grant applications, and the names
// the injury service gives moved to tests against the real services:
// services/gateway/injury_people_real_test.go and injury_queue_real_test.go.

// reportFor reports an injury of member in unit as b and returns the
// case's path.
func reportFor(t *testing.T, b *browser, member, unit string) string {
	t.Helper()
	r := b.post("/injury/report", url.Values{"csrf_token": {b.token("/injury/report")}, "member_id": {member}, "unit_id": {unit},
		"severity": {"serious"}, "injured_at": {"2026-03-02T08:30"}, "place": {"城关"}, "description": {"受伤"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("report for %s = %d %s", member, r.status, r.body)
	}
	return strings.TrimSuffix(r.header.Get("Location"), "?m=reported")
}

// The case page shows the outcome: the determination, the grading with
// its round, the grade it replaced and the appeal, injury leave, the
// insurance cover and why the case closed. The three cases are the real
// injury service's, taken there step by step over a year of the clock;
// 李明 is insured in two plans of the real enrollment service, 王刚 in none.
func TestInjuryCaseShowsTheOutcome(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	insured, uninsured := e.member("李明"), e.member("王刚")
	for _, p := range [][2]string{{"work_injury", "2026 工伤保险"}, {"personal_accident", "人身意外险"}} {
		e.enrol(insured, e.plan(p[0], p[1]))
	}
	injuryUser(t, e, "caseworker1", "", []string{e.unit}, domain.RoleCaseworker)
	b := e.browser()
	b.signIn("caseworker1")
	done := caseID(reportFor(t, b, insured, e.unit))
	pending := caseID(reportFor(t, b, insured, e.unit))
	ungraded := caseID(reportFor(t, b, uninsured, e.unit))
	for _, id := range []string{done, pending, ungraded} {
		apptest.Eventually(t, 20*time.Second, "enrollment answered injury's coverage question", func() bool {
			cov, _ := e.injuryCase(id)["coverage"].(map[string]any)
			return cov["status"] == "checked"
		})
		e.act(id, "acknowledge", map[string]any{})
		e.act(id, "confirm_handoff", map[string]any{"hospital": "县人民医院"})
	}
	e.act(done, "start_leave", map[string]any{"start": "2026-03-02"})
	e.on("2026-03-05", func() {
		for _, id := range []string{done, pending, ungraded} {
			e.act(id, "file_determination", map[string]any{"filed_on": "2026-03-05"})
		}
	})
	e.on("2026-03-06", func() {
		for _, id := range []string{done, pending, ungraded} {
			e.act(id, "accept_filing", map[string]any{"accepted_on": "2026-03-06"})
		}
		e.act(pending, "pause_decision", map[string]any{"reason": "等待司法结论"})
	})
	e.on("2026-03-20", func() {
		e.act(done, "decide", map[string]any{"decided_on": "2026-03-20", "outcome": "recognised", "clause": 1, "reason": "执行公务时受伤"})
		e.act(ungraded, "decide", map[string]any{"decided_on": "2026-03-20", "outcome": "deemed", "clause": 1})
	})
	e.on("2026-03-25", func() {
		e.act(done, "request_grading", map[string]any{"applied_on": "2026-03-25"})
		e.act(ungraded, "request_grading", map[string]any{"applied_on": "2026-03-25"})
	})
	e.on("2026-04-10", func() {
		e.act(done, "record_grade", map[string]any{"graded_on": "2026-04-10", "grade": 7, "nursing": "none"})
		e.act(ungraded, "record_grade", map[string]any{"graded_on": "2026-04-10", "grade": 0, "nursing": "none"})
	})
	e.on("2026-04-20", func() {
		e.act(done, "file_appeal", map[string]any{"filed_on": "2026-04-20", "note": "对等级有异议"})
	})
	e.on("2026-05-12", func() {
		e.act(done, "record_grade", map[string]any{"graded_on": "2026-05-10", "received_on": "2026-05-12", "grade": 5, "nursing": "partial"})
		e.act(done, "extend_leave", map[string]any{"months": 2})
	})
	e.on("2026-12-31", func() { e.act(done, "end_leave", map[string]any{"on": "2026-12-31"}) })
	e.on("2027-04-01", func() { e.act(done, "close", map[string]any{"reason": "completed"}) })
	b.signIn("caseworker1")

	page := b.get("/cases/" + done)
	wantIn(t, "the closed case", page.body, `id="case-determination"><strong>认定为工伤</strong> · 第 14 条第 1 项 · 2026-03-20 作出<br>执行公务时受伤`,
		`<strong id="case-grade">伤残 5 级</strong> · 部分护理依赖 · 2026-05-10 鉴定 · 2026-05-12 送达`, `id="case-grade-final">最终结论<`,
		"原为伤残 7 级", `id="case-round">再次鉴定（省级）<`, `id="case-appeal">2026-04-20 申请再次鉴定: 对等级有异议<`,
		`id="case-leave">2026-03-02 至 2027-05-01 · 已延长 2 个月 · 2026-12-31 提前结束<`,
		"工伤保险 · 2026 工伤保险 · 2026-01-01 至 2026-12-31", "人身意外伤害保险 · 人身意外险 · 2026-01-01 至 2026-12-31",
		`id="case-closed">办结 · 2027-04-01 10:00<`)
	wantNotIn(t, "the closed case", page.body, "申请复查鉴定", "等待结论")

	page = b.get("/cases/" + pending)
	wantIn(t, "the case awaiting the determination", page.body, `id="case-determination">2026-03-05 申请，尚未作出结论 · 2026-03-06 受理 · 认定时限中止: 等待司法结论<`,
		"工伤保险 · 2026 工伤保险 · 2026-01-01 至 2026-12-31")
	wantNotIn(t, "the case awaiting the determination", page.body, `id="case-grading"`, `id="case-leave"`, `id="case-closed"`)

	page = b.get("/cases/" + ungraded)
	wantIn(t, "the case below every grade", page.body, "<strong>视同工伤</strong> · 第 15 条第 1 项", `<strong id="case-grade">未达伤残等级</strong> · 无需护理 · 2026-04-10 鉴定<br>`,
		"可于 2027-04-10 起申请复查鉴定", `id="case-coverage">受伤当日未查到有效参保<`)
	wantNotIn(t, "the case below every grade", page.body, "送达", "最终结论", "原为")

	en, err := e.accounts.CreateUser(context.Background(), domain.UserInput{Username: "caseworker-en", DisplayName: "Caseworker",
		Roles: []domain.Role{domain.RoleCaseworker}, Units: []string{e.unit}, Lang: "en"}, password, password, store.Actor{UserID: "test"})
	if err != nil || en.Lang != "en" {
		t.Fatalf("English caseworker: %v", err)
	}
	enb := e.browser()
	enb.signIn("caseworker-en")
	wantIn(t, "the English closed case", enb.get("/cases/"+done).body, "Recognised as a work injury", "art. 14, clause 1", "Grade 5", "was grade 7",
		"Final", "Re-assessment asked for on 2026-04-20", "Injury leave", "extended by 2 months", "Work injury · 2026 工伤保险", "Completed")
}

// caseID is the id in a case's path.
func caseID(path string) string { return strings.TrimPrefix(path, "/cases/") }

// on moves the clock to 10:00 of day (Shanghai) and does what happens
// that day.
func (e *env) on(day string, do func()) {
	e.t.Helper()
	d, err := time.ParseInLocation(time.DateOnly, day, clock.Shanghai)
	if err != nil {
		e.t.Fatal(err)
	}
	e.clk.Set(d.Add(10 * time.Hour))
	do()
}

// plan opens a plan of scheme in the real enrollment service for 2026,
// open to the police, and returns its id.
func (e *env) plan(scheme, name string) string {
	e.t.Helper()
	admin := auth.Identity{UserID: "u-seed-admin", Name: "管理员", Roles: []auth.Role{auth.RoleAdmin}}
	return e.sys.Call(e.t, admin, http.MethodPost, "/api/v1/enrollment/plans", map[string]any{
		"scheme": scheme, "year": 2026, "name": name,
		"coverage":    map[string]any{"from": "2026-01-01", "to": "2026-12-31"},
		"eligibility": map[string]any{"categories": []string{"police"}}, "premium_fen": 10000, "payer": "unit", "waiting_days": 0,
		"sums_insured": map[string]any{"death_fen": 30000000},
	}, http.StatusCreated)["id"].(string)
}

// enrol enrols member in plan from the start of 2026.
func (e *env) enrol(member, plan string) {
	e.t.Helper()
	e.sys.Call(e.t, e.staff, http.MethodPost, "/api/v1/enrollment/enrollments",
		map[string]any{"member_id": member, "plan_id": plan, "start": "2026-01-01"}, http.StatusCreated)
}

// The grading steps are offered with their fields: the conclusion with an
// optional day it was received, the appeal with its note, the re-grading
// once its day has come; a refusal because the window closed shows the
// service's reason, with its date, next to the form even though the step
// is no longer offered. Escalations and lapsed windows read as such on the
// timeline. What each form sent is read back from the real injury
// service: case one is graded without a day received (so on the day of the
// conclusion) and its window let pass, case two graded with one and
// appealed in time.
func TestInjuryGradingSteps(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	member := e.member("李明")
	injuryUser(t, e, "caseworker1", "", []string{e.unit}, domain.RoleCaseworker)
	b := e.browser()
	b.signIn("caseworker1")
	one, two := reportFor(t, b, member, e.unit), reportFor(t, b, member, e.unit)
	// Nobody acknowledges case one within its hour: the sweeper reports it
	// to the unit head.
	e.clk.Advance(90 * time.Minute)
	apptest.Eventually(t, 60*time.Second, "the injury service's sweeper escalated case one to the unit head", func() bool {
		return e.listedCase(caseID(one))["escalation"] == "unit_head"
	})
	for _, id := range []string{caseID(one), caseID(two)} {
		e.act(id, "acknowledge", map[string]any{})
		e.act(id, "confirm_handoff", map[string]any{"hospital": "县人民医院"})
		e.act(id, "file_determination", map[string]any{"filed_on": "2026-03-02"})
		e.act(id, "accept_filing", map[string]any{"accepted_on": "2026-03-02", "clear_facts": true})
		e.act(id, "decide", map[string]any{"decided_on": "2026-03-02", "outcome": "recognised", "clause": 1, "reason": "执行公务时受伤"})
		e.act(id, "request_grading", map[string]any{"applied_on": "2026-03-02"})
	}
	b.signIn("caseworker1")

	page := b.get(one)
	wantIn(t, "the case awaiting the conclusion", page.body, `action="`+one+`/actions/record_grade"`,
		`id="record_grade-graded_on" name="graded_on" type="date" value="2026-03-02"`,
		`<label for="record_grade-received_on">结论送达日期（不填则为鉴定日期）</label>`,
		`id="record_grade-received_on" name="received_on" type="date" value=""`,
		"超时督办 · 已上报单位负责人 · 接收确认时限")
	wantNotIn(t, "the case awaiting the conclusion", page.body, "injury.action.unit_head", `action="`+one+`/actions/file_appeal"`)

	// The conclusions are recorded the next day, case two's as received
	// that day.
	e.on("2026-03-03", func() {})
	b.signIn("caseworker1")
	tok := b.token(one)
	grade := url.Values{"csrf_token": {tok}, "version": {e.version(one)}, "graded_on": {"2026-03-02"}, "received_on": {""}, "grade": {"7"}, "nursing": {"none"}}
	if r := b.post(one+"/actions/record_grade", grade); r.status != http.StatusSeeOther {
		t.Fatalf("record_grade = %d %s", r.status, r.body)
	}
	grade.Set("version", e.version(two))
	grade.Set("received_on", "2026-03-03")
	if r := b.post(two+"/actions/record_grade", grade); r.status != http.StatusSeeOther {
		t.Fatalf("record_grade with received_on = %d %s", r.status, r.body)
	}
	for path, want := range map[string]string{one: "2026-03-02", two: "2026-03-03"} {
		if g := e.grading(path); g["graded_on"] != "2026-03-02" || g["grade"] != float64(7) || g["received_on"] != want {
			t.Errorf("record_grade on %s recorded %v, want received on %s", path, g, want)
		}
	}

	page = b.get(two)
	wantIn(t, "the graded case", page.body, `action="`+two+`/actions/file_appeal"`,
		`<summary>登记申请再次鉴定</summary>`, `id="file_appeal-filed_on" name="filed_on" type="date" value="2026-03-03"`,
		`<label for="file_appeal-note">说明</label>`, `<textarea id="file_appeal-note" name="note" rows="3"></textarea>`)
	wantNotIn(t, "the graded case", page.body, `action="`+two+`/actions/request_regrading"`)

	long := url.Values{"csrf_token": {tok}, "version": {e.version(two)}, "filed_on": {"2026-03-03"}, "note": {strings.Repeat("长", 4001)}}
	if r := b.post(two+"/actions/file_appeal", long); r.status != http.StatusUnprocessableEntity {
		t.Errorf("a 4001-character note = %d", r.status)
	} else {
		wantIn(t, "the refused note", r.body, `id="file_appeal-note-error">不能超过 4000 个字<`, `id="action-file_appeal" open`)
	}
	if r := b.post(two+"/actions/file_appeal", url.Values{"csrf_token": {tok}, "version": {e.version(two)}, "filed_on": {"2026-03-03"}, "note": {"对等级有异议"}}); r.status != http.StatusSeeOther {
		t.Fatalf("file_appeal = %d %s", r.status, r.body)
	}
	wantIn(t, "the appealed case", b.get(two).body, `id="case-round">再次鉴定（省级）<`,
		`id="case-appeal">2026-03-03 申请再次鉴定: 对等级有异议<`, "2026-03-03 申请，等待结论")
	if g := e.grading(two); g["round"] != "appeal" || g["appealed_on"] != "2026-03-03" || g["appeal_note"] != "对等级有异议" {
		t.Errorf("file_appeal recorded %v", g)
	}

	// Case one's window closes while its page is open: the form stays,
	// with why.
	page = b.get(one)
	wantIn(t, "case one graded", page.body, `action="`+one+`/actions/file_appeal"`)
	version := e.version(one)
	e.on("2026-03-18", func() {})
	b.signIn("caseworker1")
	tok = b.token("/account")
	closed := "申请再次鉴定的期限已于 2026-03-17 届满（《工伤保险条例》第二十六条）"
	late := url.Values{"csrf_token": {tok}, "version": {version}, "filed_on": {"2026-03-02"}, "note": {"对等级有异议"}}
	r := b.post(one+"/actions/file_appeal", late)
	if r.status != http.StatusConflict {
		t.Fatalf("a late appeal = %d", r.status)
	}
	wantIn(t, "the refused appeal", r.body, `id="action-file_appeal" open`, "案件当前状态不允许此操作: "+closed, ">对等级有异议</textarea>")
	apptest.Eventually(t, 60*time.Second, "the injury service's sweeper lapsed case one's appeal window", func() bool {
		return strings.Contains(b.get(one).body, "期限届满 · 申请再次鉴定期限（15日）")
	})

	// A year after the conclusion case one may be graded again.
	e.on("2027-03-02", func() {})
	b.signIn("caseworker1")
	page = b.get(one)
	wantIn(t, "case one a year on", page.body, `action="`+one+`/actions/request_regrading"`,
		`id="request_regrading-applied_on" name="applied_on" type="date" value="2027-03-02"`)
	if r := b.post(one+"/actions/request_regrading", url.Values{"csrf_token": {b.token(one)}, "version": {e.version(one)}, "applied_on": {"2027-03-02"}}); r.status != http.StatusSeeOther {
		t.Fatalf("request_regrading = %d %s", r.status, r.body)
	}
	if g := e.grading(one); g["round"] != "review" || g["applied_on"] != "2027-03-02" || g["pending"] != true {
		t.Errorf("request_regrading recorded %v", g)
	}
}

// version is the version of the case at path as the real service holds it.
func (e *env) version(path string) string {
	e.t.Helper()
	return fmt.Sprint(e.injuryCase(caseID(path))["version"])
}

// grading is the grading of the case at path as the real service holds it.
func (e *env) grading(path string) map[string]any {
	e.t.Helper()
	g, _ := e.injuryCase(caseID(path))["grading"].(map[string]any)
	return g
}

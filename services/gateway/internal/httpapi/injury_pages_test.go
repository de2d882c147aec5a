package httpapi_test

import (
	"context"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

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

// rawInjuryKey is a page text key printed instead of its text (the
// injury service's own keys, injury.state.*, are not registered here).
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

// reportFor reports an injury of member in 0195c1a0-0000-7000-8000-00000000a001 as b and returns the case's
// path.
func reportFor(t *testing.T, b *browser, member string) string {
	t.Helper()
	r := b.post("/injury/report", url.Values{"csrf_token": {b.token("/injury/report")}, "member_id": {member}, "unit_id": {"0195c1a0-0000-7000-8000-00000000a001"},
		"severity": {"serious"}, "injured_at": {"2026-03-02T08:30"}, "place": {"城关"}, "description": {"受伤"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("report for %s = %d %s", member, r.status, r.body)
	}
	return strings.TrimSuffix(r.header.Get("Location"), "?m=reported")
}

// The case page shows the outcome: the determination, the grading with
// its round, the grade it replaced and the appeal, injury leave, the
// insurance cover and why the case closed.
func TestInjuryCaseShowsTheOutcome(t *testing.T) {
	t.Parallel()
	e := newFakeEnv(t)
	e.enrollment.addPerson("m-a", "0195c1a0-0000-7000-8000-00000000a001", "李明", "")
	injuryUser(t, e, "caseworker1", "", []string{"0195c1a0-0000-7000-8000-00000000a001"}, domain.RoleCaseworker)
	b := e.browser()
	b.signIn("caseworker1")
	done := reportFor(t, b, "m-a")
	pending := reportFor(t, b, "m-a")
	ungraded := reportFor(t, b, "m-a")
	closedAt := time.Date(2027, 4, 1, 2, 0, 0, 0, time.UTC)
	e.injury.edit(1, func(c *fakeCase) {
		c.State = "closed"
		c.Determination = map[string]any{"filed_on": "2026-03-05", "accepted_on": "2026-03-06", "decided_on": "2026-03-20",
			"outcome": "recognised", "article": 14, "clause": 1, "reason": "执行公务时受伤"}
		c.Grading = map[string]any{"round": "appeal", "applied_on": "2026-04-20", "pending": false, "graded": true, "graded_on": "2026-05-10",
			"received_on": "2026-05-12", "grade": 5, "nursing": "partial", "previous_grade": 7, "final": true,
			"appealed_on": "2026-04-20", "appeal_note": "对等级有异议", "regrading_from": "2027-05-10"}
		c.Leave = map[string]any{"start": "2026-03-02", "end": "2027-03-01", "extended_months": 2, "ended_early_on": "2026-12-31"}
		c.Coverage = map[string]any{"status": "checked", "attempts": 1, "schemes": []map[string]any{
			{"scheme": "work_injury", "plan": "2026 工伤保险", "from": "2026-01-01T00:00:00Z", "to": "2026-12-31T00:00:00Z"},
			{"scheme": "personal_accident", "plan": "人身意外险", "from": "2026-01-01T00:00:00Z"}}}
		c.CloseReason, c.ClosedAt = "completed", &closedAt
	})
	e.injury.edit(2, func(c *fakeCase) {
		c.Determination = map[string]any{"filed_on": "2026-03-05", "accepted_on": "2026-03-06", "paused": true, "pause_reason": "等待司法结论"}
		c.Coverage = map[string]any{"status": "pending", "schemes": []any{}}
	})
	e.injury.edit(3, func(c *fakeCase) {
		c.Determination = map[string]any{"filed_on": "2026-03-05", "decided_on": "2026-03-20", "outcome": "deemed", "article": 15, "clause": 1}
		c.Grading = map[string]any{"round": "initial", "applied_on": "2026-03-25", "graded": true, "graded_on": "2026-04-10",
			"received_on": "2026-04-10", "grade": 0, "nursing": "none", "final": false, "regrading_from": "2027-04-10"}
		c.Coverage = map[string]any{"status": "checked", "schemes": []any{}}
	})

	page := b.get(done)
	wantIn(t, "the closed case", page.body, `id="case-determination"><strong>认定为工伤</strong> · 第 14 条第 1 项 · 2026-03-20 作出<br>执行公务时受伤`,
		`<strong id="case-grade">伤残 5 级</strong> · 部分护理依赖 · 2026-05-10 鉴定 · 2026-05-12 送达`, `id="case-grade-final">最终结论<`,
		"原为伤残 7 级", `id="case-round">再次鉴定（省级）<`, `id="case-appeal">2026-04-20 申请再次鉴定: 对等级有异议<`,
		`id="case-leave">2026-03-02 至 2027-03-01 · 已延长 2 个月 · 2026-12-31 提前结束<`,
		"工伤保险 · 2026 工伤保险 · 2026-01-01 至 2026-12-31", "人身意外伤害保险 · 人身意外险 · 2026-01-01 起",
		`id="case-closed">办结 · 2027-04-01 10:00<`)
	wantNotIn(t, "the closed case", page.body, "申请复查鉴定", "等待结论")

	page = b.get(pending)
	wantIn(t, "the case awaiting the determination", page.body, `id="case-determination">2026-03-05 申请，尚未作出结论 · 2026-03-06 受理 · 认定时限中止: 等待司法结论<`,
		`id="case-coverage">正在核对<`)
	wantNotIn(t, "the case awaiting the determination", page.body, `id="case-grading"`, `id="case-leave"`, `id="case-closed"`)

	page = b.get(ungraded)
	wantIn(t, "the case below every grade", page.body, "<strong>视同工伤</strong> · 第 15 条第 1 项", `<strong id="case-grade">未达伤残等级</strong> · 无需护理 · 2026-04-10 鉴定<br>`,
		"可于 2027-04-10 起申请复查鉴定", `id="case-coverage">受伤当日未查到有效参保<`)
	wantNotIn(t, "the case below every grade", page.body, "送达", "最终结论", "原为")

	en, err := e.accounts.CreateUser(context.Background(), domain.UserInput{Username: "caseworker-en", DisplayName: "Caseworker",
		Roles: []domain.Role{domain.RoleCaseworker}, Units: []string{"0195c1a0-0000-7000-8000-00000000a001"}, Lang: "en"}, password, password, store.Actor{UserID: "test"})
	if err != nil || en.Lang != "en" {
		t.Fatalf("English caseworker: %v", err)
	}
	enb := e.browser()
	enb.signIn("caseworker-en")
	wantIn(t, "the English closed case", enb.get(done).body, "Recognised as a work injury", "art. 14, clause 1", "Grade 5", "was grade 7",
		"Final", "Re-assessment asked for on 2026-04-20", "Injury leave", "extended by 2 months", "Work injury · 2026 工伤保险", "Completed")
}

// The grading steps are offered with their fields: the conclusion with an
// optional day it was received, the appeal with its note, the re-grading;
// a refusal because the window closed shows the service's reason, with
// its date, next to the form even though the step is no longer offered.
// Escalations and lapsed windows read as such on the timeline.
func TestInjuryGradingSteps(t *testing.T) {
	t.Parallel()
	e := newFakeEnv(t)
	e.enrollment.addPerson("m-a", "0195c1a0-0000-7000-8000-00000000a001", "李明", "")
	injuryUser(t, e, "caseworker1", "", []string{"0195c1a0-0000-7000-8000-00000000a001"}, domain.RoleCaseworker)
	b := e.browser()
	b.signIn("caseworker1")
	casePath := reportFor(t, b, "m-a")
	e.injury.edit(1, func(c *fakeCase) {
		c.State, c.Version = "disability_grading", 7
		c.staffActions = []string{"record_grade"}
		c.Grading = map[string]any{"round": "initial", "applied_on": "2026-02-01", "pending": true}
		c.timeline = []map[string]any{
			{"at": t0, "actor_id": "system", "kind": "escalation", "action": "unit_head",
				"data": map[string]any{"clock": "acknowledgement", "level": "unit_head", "due_at": t0}},
			{"at": t0, "actor_id": "system", "kind": "lapse", "data": map[string]any{"clock": "appeal", "outcome": "lapsed"}},
		}
	})
	page := b.get(casePath)
	wantIn(t, "the case awaiting the conclusion", page.body, `action="`+casePath+`/actions/record_grade"`,
		`id="record_grade-graded_on" name="graded_on" type="date" value="2026-03-02"`,
		`<label for="record_grade-received_on">结论送达日期（不填则为鉴定日期）</label>`,
		`id="record_grade-received_on" name="received_on" type="date" value=""`,
		"超时督办 · 已上报单位负责人 · 接收确认时限", "期限届满 · 申请再次鉴定期限（15日）")
	wantNotIn(t, "the case awaiting the conclusion", page.body, "injury.action.unit_head", `action="`+casePath+`/actions/file_appeal"`)

	tok := b.token(casePath)
	grade := url.Values{"csrf_token": {tok}, "version": {"7"}, "graded_on": {"2026-03-01"}, "received_on": {""}, "grade": {"7"}, "nursing": {"none"}}
	if r := b.post(casePath+"/actions/record_grade", grade); r.status != http.StatusSeeOther {
		t.Fatalf("record_grade = %d %s", r.status, r.body)
	}
	grade.Set("version", "8")
	grade.Set("received_on", "2026-03-02")
	if r := b.post(casePath+"/actions/record_grade", grade); r.status != http.StatusSeeOther {
		t.Fatalf("record_grade with received_on = %d %s", r.status, r.body)
	}
	e.injury.mu.Lock()
	bodies := slices.Clone(e.injury.bodies)
	e.injury.mu.Unlock()
	if len(bodies) != 2 {
		t.Fatalf("bodies = %+v", bodies)
	}
	if _, sent := bodies[0].Body["received_on"]; sent || bodies[0].Body["graded_on"] != "2026-03-01" || bodies[0].Body["grade"] != float64(7) {
		t.Errorf("record_grade without a received day sent %v", bodies[0].Body)
	}
	if bodies[1].Body["received_on"] != "2026-03-02" {
		t.Errorf("record_grade sent %v, want received_on 2026-03-02", bodies[1].Body)
	}

	e.injury.edit(1, func(c *fakeCase) {
		c.staffActions = []string{"file_appeal", "request_regrading"}
		c.Grading = map[string]any{"round": "initial", "graded": true, "grade": 7, "graded_on": "2026-03-01", "received_on": "2026-03-02"}
	})
	page = b.get(casePath)
	wantIn(t, "the graded case", page.body, `action="`+casePath+`/actions/file_appeal"`, `action="`+casePath+`/actions/request_regrading"`,
		`<summary>登记申请再次鉴定</summary>`, `id="file_appeal-filed_on" name="filed_on" type="date" value="2026-03-02"`,
		`<label for="file_appeal-note">说明</label>`, `<textarea id="file_appeal-note" name="note" rows="3"></textarea>`,
		`id="request_regrading-applied_on" name="applied_on" type="date" value="2026-03-02"`)

	long := url.Values{"csrf_token": {tok}, "version": {"9"}, "filed_on": {"2026-03-02"}, "note": {strings.Repeat("长", 4001)}}
	if r := b.post(casePath+"/actions/file_appeal", long); r.status != http.StatusUnprocessableEntity {
		t.Errorf("a 4001-character note = %d", r.status)
	} else {
		wantIn(t, "the refused note", r.body, `id="file_appeal-note-error"`, "最多 4000 字", `id="action-file_appeal" open`)
	}

	// The window closes while the page is open: the form stays, with why.
	closed := "申请再次鉴定的期限已于 2026-03-17 届满（《工伤保险条例》第二十六条）"
	e.injury.edit(1, func(c *fakeCase) {
		c.staffActions = []string{"request_regrading"}
		c.refusals = map[string]string{"file_appeal": closed}
	})
	late := url.Values{"csrf_token": {tok}, "version": {"9"}, "filed_on": {"2026-03-02"}, "note": {"对等级有异议"}}
	r := b.post(casePath+"/actions/file_appeal", late)
	if r.status != http.StatusConflict {
		t.Fatalf("a late appeal = %d", r.status)
	}
	wantIn(t, "the refused appeal", r.body, `id="action-file_appeal" open`, "案件当前状态不允许此操作: "+closed, ">对等级有异议</textarea>")

	e.injury.edit(1, func(c *fakeCase) {
		c.staffActions = []string{"file_appeal", "request_regrading"}
		c.refusals = nil
	})
	if r := b.post(casePath+"/actions/file_appeal", late); r.status != http.StatusSeeOther {
		t.Fatalf("file_appeal = %d %s", r.status, r.body)
	}
	wantIn(t, "the appealed case", b.get(casePath).body, `id="case-round">再次鉴定（省级）<`,
		`id="case-appeal">2026-03-02 申请再次鉴定: 对等级有异议<`, "2026-03-02 申请，等待结论")
	if r := b.post(casePath+"/actions/request_regrading", url.Values{"csrf_token": {tok}, "version": {"10"}, "applied_on": {"2026-03-02"}}); r.status != http.StatusSeeOther {
		t.Fatalf("request_regrading = %d %s", r.status, r.body)
	}
	e.injury.mu.Lock()
	bodies = slices.Clone(e.injury.bodies)
	e.injury.mu.Unlock()
	want := []fakeActionBody{
		{Action: "file_appeal", Body: map[string]any{"filed_on": "2026-03-02", "note": "对等级有异议"}},
		{Action: "request_regrading", Body: map[string]any{"applied_on": "2026-03-02"}},
	}
	if got := bodies[2:]; !reflect.DeepEqual(got, want) {
		t.Errorf("appeal and re-grading sent %+v, want %+v", got, want)
	}
}

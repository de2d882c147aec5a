package gateway_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/idcard"
)

// A member's insurance on the member page and the plans' pages
// (pages/members) against the real enrollment service, where they used to
// run against a fake registry (httpapi/enrollment_pages_test.go,
// plans_pages_test.go).

// registryAdmin is an administrator for the registry's own answers.
var registryAdmin = auth.Identity{UserID: "u-admin", Name: "管理员", Roles: []auth.Role{auth.RoleAdmin}}

// newPlan creates a plan of scheme for a whole year through the registry's
// API, open to categories, and returns its id.
func newPlan(t *testing.T, s *realSystem, scheme string, year int, name string, categories ...string) string {
	t.Helper()
	return s.call(t, registryAdmin, "POST", "/api/v1/enrollment/plans", map[string]any{
		"scheme": scheme, "year": year, "name": name,
		"coverage":    map[string]any{"from": fmt.Sprintf("%d-01-01", year), "to": fmt.Sprintf("%d-12-31", year)},
		"eligibility": map[string]any{"categories": categories}, "premium_fen": 10000, "payer": "unit", "waiting_days": 0,
		"sums_insured": map[string]any{"death_fen": 30000000},
	}, http.StatusCreated)["id"].(string)
}

// enrol enrols member in plan from start through the registry's API and
// returns the enrollment's id.
func enrol(t *testing.T, s *realSystem, member, plan, start string) string {
	t.Helper()
	return s.call(t, registryCaseworker(s), "POST", "/api/v1/enrollment/enrollments",
		map[string]any{"member_id": member, "plan_id": plan, "start": start}, http.StatusCreated)["id"].(string)
}

// TestMemberInsuranceFormsAgainstRealServices: the member page's cover and
// enrolment form (refusals beside it, an overlap refused), closing an
// enrollment at its version, and a long enrollment history paged.
func TestMemberInsuranceFormsAgainstRealServices(t *testing.T) {
	s := startRealSystem(t)
	cw := journeySignIn(t, s.gateway, "caseworker")
	const planName = "2026年度干警意外伤害保险"
	plan := newPlan(t, s, "personal_accident", 2026, planName, "police")

	memberID := newRegistryMember(t, s, "冯一", 61)
	member := "/work/members/" + memberID
	st, body := cw.get(member)
	want(t, "member insurance", st, body, http.StatusOK, `id="coverage"`, "人身意外伤害保险", "未参保", "尚无参保记录。",
		`<option value="`+plan+`">2026 年度 `+planName+` · 人身意外伤害保险</option>`)
	enrolForm := url.Values{"plan_id": {""}, "start": {"March"}}
	st, _, body = cw.post(member+"/enrollments", enrolForm)
	want(t, "bad enrolment", st, body, http.StatusUnprocessableEntity, `id="plan_id-error"`, `id="start-error"`, `value="March"`, `id="enrol" open`)
	enrolForm.Set("plan_id", uuid.NewString())
	enrolForm.Set("start", "2026-03-02")
	st, _, body = cw.post(member+"/enrollments", enrolForm)
	want(t, "unknown plan", st, body, http.StatusUnprocessableEntity, "保险方案不存在")
	enrolForm.Set("plan_id", plan)
	if st, loc, body := cw.post(member+"/enrollments", enrolForm); st != http.StatusSeeOther || loc != member+"?m=enrolled" {
		t.Fatalf("enrol = %d %s %s", st, loc, snippet(body))
	}
	st, body = cw.get(member + "?m=enrolled")
	want(t, "enrolled member", st, body, http.StatusOK, "已参保。", `id="enrollments"`, planName, "2026-03-02 – 2026-12-31", "在保")
	st, _, body = cw.post(member+"/enrollments", enrolForm)
	want(t, "overlapping enrolment", st, body, http.StatusConflict, "重叠的参保期间", `<option value="`+plan+`" selected>`)

	// Close the enrollment with its last covered day, at its version.
	got := s.call(t, registryCaseworker(s), "GET", "/api/v1/enrollment/members/"+memberID+"/enrollments", nil, http.StatusOK)
	enrollment := got["enrollments"].([]any)[0].(map[string]any)["id"].(string)
	closePath := member + "/enrollments/" + enrollment + "/close"
	st, body = cw.get(member)
	want(t, "member page", st, body, http.StatusOK, `action="`+closePath+`"`, `name="enrollment_version" value="1"`,
		`<option value="ended_by_request">经办终止</option>`)
	closeForm := url.Values{"enrollment_version": {"1"}, "last_day": {"2026/06/30"}, "end_reason": {"bogus"}}
	st, _, body = cw.post(closePath, closeForm)
	want(t, "bad close", st, body, http.StatusUnprocessableEntity, `id="close-`+enrollment+`" open`, `value="2026/06/30"`, "请选择")
	closeForm.Set("last_day", "2025-06-30")
	closeForm.Set("end_reason", "non_payment")
	st, _, body = cw.post(closePath, closeForm)
	want(t, "refused close", st, body, http.StatusUnprocessableEntity, "最后保障日应在 2026-03-02 至 2026-12-31 之内", `value="2025-06-30"`,
		`<option value="non_payment" selected>`)
	closeForm.Set("last_day", "2026-06-30")
	closeForm.Set("enrollment_version", "7")
	st, _, body = cw.post(closePath, closeForm)
	want(t, "stale close", st, body, http.StatusConflict, "刚被他人修改")
	closeForm.Set("enrollment_version", "1")
	if st, loc, body := cw.post(closePath, closeForm); st != http.StatusSeeOther || loc != member+"?m=closed" {
		t.Fatalf("close = %d %s %s", st, loc, snippet(body))
	}
	st, body = cw.get(member + "?m=closed")
	want(t, "closed", st, body, http.StatusOK, "已终止参保。", "2026-03-02 – 2026-06-30", "已失效 · 欠缴保费")
	if strings.Contains(body, "/enrollments/"+enrollment+"/close") {
		t.Error("a closed enrollment still offers to close it")
	}
	if st, _, _ := cw.post(member+"/enrollments/"+uuid.NewString()+"/close", closeForm); st != http.StatusNotFound {
		t.Errorf("closing an unknown enrollment = %d", st)
	}
	if st, _, _ := cw.post(closePath, url.Values{}); st != http.StatusBadRequest {
		t.Errorf("close without a version = %d", st)
	}

	// A member enrolled for 25 years shows the enrollments 20 at a time,
	// oldest first, with a plain link to the next page that carries the
	// registry's cursor (and back to the first); an old link's cursor
	// shows the first page with a note.
	longID := s.call(t, registryCaseworker(s), "POST", "/api/v1/enrollment/members", map[string]any{
		"unit_id": s.unit, "name": "陈久", "category": "police",
		"id_number": idcard.Generate("110105", time.Date(1975, 1, 2, 0, 0, 0, 0, time.UTC), 62, true), "hire_date": "2000-07-01",
	}, http.StatusCreated)["id"].(string)
	for y := 2001; y <= 2025; y++ {
		p := newPlan(t, s, "critical_illness", y, fmt.Sprintf("%d年度大病保险", y), "police")
		enrol(t, s, longID, p, fmt.Sprintf("%d-01-01", y))
	}
	long := "/work/members/" + longID
	st, first := cw.get(long)
	table := between(first, `id="enrollments"`, "</table>")
	if st != http.StatusOK || strings.Count(table, "<tr>") != 21 || !strings.Contains(table, "2001-01-01 – 2001-12-31") || strings.Contains(table, "2021-01-01") {
		t.Fatalf("the first page of enrollments = %d: %s", st, snippet(table))
	}
	next := regexp.MustCompile(`id="enrollments-next" href="([^"]+)"`).FindStringSubmatch(first)
	if next == nil || !strings.HasPrefix(html.UnescapeString(next[1]), long+"?enrollments_after=") || strings.Contains(first, `id="enrollments-first"`) {
		t.Fatalf("the member page has no link to the later enrollments: %v", next)
	}
	_, second := cw.get(html.UnescapeString(next[1]))
	table = between(second, `id="enrollments"`, "</table>")
	if strings.Count(table, "<tr>") != 6 || !strings.Contains(table, "2025-01-01 – 2025-12-31") || strings.Contains(table, "2001-01-01") ||
		strings.Contains(second, `id="enrollments-next"`) || !strings.Contains(second, `id="enrollments-first" href="`+long+`"`) {
		t.Errorf("the second page of enrollments: %s", snippet(table))
	}
	st, stale := cw.get(long + "?enrollments_after=junk")
	if !strings.Contains(stale, `id="enrollments-stale"`) || !strings.Contains(stale, "2001-01-01 – 2001-12-31") {
		t.Errorf("an old link's cursor: %d %s", st, snippet(stale))
	}
}

// planForm is a valid new-plan form: personal accident 2027, in yuan.
func planForm() url.Values {
	return url.Values{"scheme": {"personal_accident"}, "year": {"2027"}, "name": {"2027年度干警意外伤害保险"},
		"coverage_from": {"2027-01-01"}, "coverage_to": {"2027-12-31"}, "premium": {"120.50"}, "payer": {"unit"},
		"waiting_days": {"30"}, "death": {"300000"}, "critical_illness": {"100000"}, "disability": {"300000/270000"}, "cat_police": {"1"}}
}

// TestPlansListAndCreateAgainstRealServices: the plans and the new-plan
// form, its own checks and the registry's refusals beside the fields, a
// plan created in fen from yuan, the pages closed to others and shown in
// English.
func TestPlansListAndCreateAgainstRealServices(t *testing.T) {
	s := startRealSystem(t)
	const planName = "2026年度干警意外伤害保险"
	plan2026 := newPlan(t, s, "personal_accident", 2026, planName, "police")
	admin := journeySignIn(t, s.gateway, "admin")
	st, body := admin.get("/admin/plans")
	want(t, "plans", st, body, http.StatusOK, `id="plans"`, planName, "人身意外伤害保险", "2026-01-01 – 2026-12-31",
		`action="/admin/plans"`, `name="year"`, `value="2027"`)

	bad := planForm()
	bad.Set("premium", "12.345")
	bad.Set("year", "1999")
	bad.Set("coverage_to", "2027/12/31")
	bad.Del("cat_police")
	bad.Set("scheme", "")
	st, _, body = admin.post("/admin/plans", bad)
	want(t, "refused plan", st, body, http.StatusUnprocessableEntity, `id="premium-error"`, `id="year-error"`, `id="coverage_to-error"`,
		`id="scheme-error"`, `id="categories-error"`, `value="12.345"`, `value="2027/12/31"`, `value="2027年度干警意外伤害保险"`)

	refused := planForm()
	refused.Set("disability", "100000/200000")
	refused.Set("cat_judge", "1")
	st, _, body = admin.post("/admin/plans", refused)
	want(t, "plan the registry refuses", st, body, http.StatusUnprocessableEntity, `id="disability-error"`, "级伤残保额不能高于更重的等级",
		`name="cat_judge" value="1" checked`, `value="100000/200000"`)

	dup := planForm()
	dup.Set("year", "2026")
	dup.Set("name", planName)
	dup.Set("coverage_from", "2026-01-01")
	dup.Set("coverage_to", "2026-12-31")
	st, _, body = admin.post("/admin/plans", dup)
	want(t, "duplicate plan", st, body, http.StatusConflict, `id="year-error"`, "同一险种同一年度已有同名方案")

	st, loc, body := admin.post("/admin/plans", planForm())
	if st != http.StatusSeeOther || !strings.HasPrefix(loc, "/admin/plans/") || !strings.HasSuffix(loc, "?m=created") {
		t.Fatalf("create plan = %d %s %s", st, loc, snippet(body))
	}
	plan := strings.TrimSuffix(loc, "?m=created")
	created := s.call(t, registryAdmin, "GET", "/api/v1/enrollment"+strings.TrimPrefix(plan, "/admin"), nil, http.StatusOK)
	sums, _ := created["sums_insured"].(map[string]any)
	// The two grades typed, in fen; the registry keeps the lighter grades
	// at nothing.
	disability, _ := sums["disability_fen"].([]any)
	if created["premium_fen"] != float64(12050) || created["waiting_days"] != float64(30) || sums["death_fen"] != float64(30000000) ||
		len(disability) < 2 || disability[0] != float64(30000000) || disability[1] != float64(27000000) ||
		slices.ContainsFunc(disability[2:], func(f any) bool { return f != float64(0) }) {
		t.Errorf("created plan = %v", created)
	}
	st, body = admin.get(loc)
	want(t, "new plan", st, body, http.StatusOK, "已创建保险计划。", "2027年度干警意外伤害保险", "120.50", "¥300,000.00 / ¥270,000.00",
		`action="`+plan+`/bulk"`)

	cw := journeySignIn(t, s.gateway, "caseworker")
	if st, body := cw.get("/admin/plans"); st != http.StatusOK || strings.Contains(body, `id="new-plan"`) {
		t.Errorf("caseworker plans = %d (the create form must be hidden)", st)
	}
	if st, _, _ := cw.post("/admin/plans", planForm()); st != http.StatusForbidden {
		t.Errorf("caseworker creates a plan = %d", st)
	}
	officer := journeySignIn(t, s.gateway, "officer")
	if st, _ := officer.get("/admin/plans"); st != http.StatusForbidden {
		t.Errorf("officer plans = %d", st)
	}
	if st, _, _ := admin.post("/lang", url.Values{"lang": {"en"}, "next": {"/admin/plans"}}); st != http.StatusSeeOther {
		t.Fatalf("switch to English = %d", st)
	}
	st, body = admin.get("/admin/plans")
	want(t, "plans in English", st, body, http.StatusOK, "Insurance plans", "New plan", "Premium per person (yuan)")
	st, body = admin.get("/admin/plans/" + plan2026)
	want(t, "plan in English", st, body, http.StatusOK, "Enrol a unit", "no earlier plan")
}

// TestPlanBulkAndRenewalAgainstRealServices: last year's plan renewed into
// next year's after its preview, the first plan saying it has none to
// renew from; then the unit enrolled in the new plan after the dry run,
// the skipped named with the registry's reasons.
func TestPlanBulkAndRenewalAgainstRealServices(t *testing.T) {
	s := startRealSystem(t)
	const name2026 = "2026年度干警意外伤害保险"
	plan2026 := newPlan(t, s, "personal_accident", 2026, name2026, "police", "judge")
	judge := s.call(t, registryCaseworker(s), "POST", "/api/v1/enrollment/members", map[string]any{
		"unit_id": s.unit, "name": "褚法官", "category": "judge",
		"id_number": idcard.Generate("110105", time.Date(1978, 5, 6, 0, 0, 0, 0, time.UTC), 71, true), "hire_date": "2005-07-01",
	}, http.StatusCreated)["id"].(string)
	enrol(t, s, s.member, plan2026, "2026-01-01")
	enrol(t, s, judge, plan2026, "2026-01-01")
	admin := journeySignIn(t, s.gateway, "admin")
	st, loc, body := admin.post("/admin/plans", planForm())
	if st != http.StatusSeeOther {
		t.Fatalf("create plan = %d %s", st, snippet(body))
	}
	plan := strings.TrimSuffix(loc, "?m=created")

	cw := journeySignIn(t, s.gateway, "caseworker")
	st, body = cw.get(plan)
	want(t, "plan page", st, body, http.StatusOK, `action="`+plan+`/renew"`, `<option value="`+plan2026+`" selected>2026 年度 `+name2026,
		`<option value="`+s.unit+`">县委政法委 / 县公安局</option>`, `name="start"`, `value="2027-01-01"`)
	st, _, body = cw.post(plan+"/renew", url.Values{"from_plan_id": {uuid.NewString()}})
	want(t, "no plan to renew", st, body, http.StatusUnprocessableEntity, `id="from_plan_id-error"`)
	renew := url.Values{"from_plan_id": {plan2026}}
	st, _, body = cw.post(plan+"/renew", renew)
	want(t, "renewal preview", st, body, http.StatusOK, "将把“"+name2026+"”中的 1 人续保到", `name="from_plan_id" value="`+plan2026+`"`)
	renew.Set("confirm", "1")
	st, _, body = cw.post(plan+"/renew", renew)
	want(t, "renewal", st, body, http.StatusOK, "已有 1 人续保到", "1 人未续保")
	// A plan with no earlier one says so instead of offering a form.
	st, body = cw.get("/admin/plans/" + plan2026)
	want(t, "first plan", st, body, http.StatusOK, "没有更早年度的计划可续保")
	if st, _, _ := cw.post("/admin/plans/"+plan2026+"/renew", url.Values{"from_plan_id": {plan2026}}); st != http.StatusUnprocessableEntity {
		t.Errorf("renewing a plan into itself = %d", st)
	}

	// The unit into the new plan: 张伟 renewed already, the judge not
	// eligible, 王强 to enrol.
	st, _, body = cw.post(plan+"/bulk", url.Values{"unit_id": {""}, "start": {"2027-13-01"}})
	want(t, "no unit", st, body, http.StatusUnprocessableEntity, `id="unit_id-error"`, `id="start-error"`, `value="2027-13-01"`)
	bulk := url.Values{"unit_id": {s.unit}, "start": {"2027-01-01"}}
	st, _, body = cw.post(plan+"/bulk", bulk)
	want(t, "preview", st, body, http.StatusOK, "确认参保", "县委政法委 / 县公安局：将有 1 人参加", "2 人不参保",
		"该人员类别不在本方案参保范围内", "已参加本方案", `name="confirm" value="1"`, `name="unit_id" value="`+s.unit+`"`,
		`name="start" value="2027-01-01"`, "确认为 1 人参保")
	enrolled := func(member string) int {
		got := s.call(t, registryCaseworker(s), "GET", "/api/v1/enrollment/members/"+member+"/enrollments", nil, http.StatusOK)
		es, _ := got["enrollments"].([]any)
		return len(es)
	}
	if n := enrolled(s.fallen); n != 0 {
		t.Fatalf("the preview enrolled: %d", n)
	}
	bulk.Set("confirm", "1")
	st, _, body = cw.post(plan+"/bulk", bulk)
	want(t, "result", st, body, http.StatusOK, "参保结果", "县委政法委 / 县公安局：已有 1 人参加", judge)
	if n := enrolled(s.fallen); n != 1 {
		t.Fatalf("enrollments after the bulk = %d", n)
	}
	st, body = cw.get("/work/members/" + s.fallen)
	want(t, "member with 2027", st, body, http.StatusOK, "2027-01-01 – 2027-12-31")
	if st, _ := cw.get("/admin/plans/" + uuid.NewString()); st != http.StatusNotFound {
		t.Errorf("unknown plan = %d", st)
	}
	if st, _ := cw.get("/admin/plans/p-404"); st != http.StatusNotFound {
		t.Errorf("a plan id that is none = %d", st)
	}
}

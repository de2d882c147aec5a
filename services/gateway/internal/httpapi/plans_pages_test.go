package httpapi_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/store"
)

// planForm is a valid new-plan form: personal accident 2027, in yuan.
func planForm(tok string) url.Values {
	return url.Values{"csrf_token": {tok}, "scheme": {"personal_accident"}, "year": {"2027"}, "name": {"2027年度干警意外伤害保险"},
		"coverage_from": {"2027-01-01"}, "coverage_to": {"2027-12-31"}, "premium": {"120.50"}, "payer": {"unit"},
		"waiting_days": {"30"}, "death": {"300000"}, "critical_illness": {"100000"}, "disability": {"300000/270000"}, "cat_police": {"1"}}
}

func TestPlansListAndCreate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("admin1", domain.RoleAdmin)
	e.user("case1", domain.RoleCaseworker)
	e.user("off1", domain.RoleOfficer)
	b := e.browser()
	b.signIn("admin1")
	mustContain(t, "plans", b.get("/admin/plans"), http.StatusOK, `id="plans"`, fakePlanName, "人身意外伤害保险", "2026-01-01 – 2026-12-31",
		`action="/admin/plans"`, `name="year"`, `value="2027"`)
	tok := b.token("/admin/plans")

	bad := planForm(tok)
	bad.Set("premium", "12.345")
	bad.Set("year", "1999")
	bad.Set("coverage_to", "2027/12/31")
	bad.Del("cat_police")
	bad.Set("scheme", "")
	mustContain(t, "refused plan", b.post("/admin/plans", bad), http.StatusUnprocessableEntity,
		`id="premium-error"`, `id="year-error"`, `id="coverage_to-error"`, `id="scheme-error"`, `id="categories-error"`,
		`value="12.345"`, `value="2027/12/31"`, `value="2027年度干警意外伤害保险"`)

	refused := planForm(tok)
	refused.Set("name", "坏计划")
	refused.Set("cat_judge", "1")
	mustContain(t, "plan the registry refuses", b.post("/admin/plans", refused), http.StatusUnprocessableEntity,
		`id="name-error"`, "计划名称不符合要求", `id="disability-error"`, "较轻伤残等级", `value="坏计划"`,
		`name="cat_judge" value="1" checked`, `value="300000/270000"`)

	dup := planForm(tok)
	dup.Set("year", "2026")
	dup.Set("coverage_from", "2026-01-01")
	dup.Set("coverage_to", "2026-12-31")
	mustContain(t, "duplicate plan", b.post("/admin/plans", dup), http.StatusConflict, `id="year-error"`, "该险种该年度已有保险计划")

	r := b.post("/admin/plans", planForm(tok))
	if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/admin/plans/p-") {
		t.Fatalf("create plan = %d %s", r.status, r.header.Get("Location"))
	}
	var created map[string]any
	e.enrollment.mu.Lock()
	st, _ := fakePlans.Load(e.enrollment)
	for _, p := range st.(map[string]map[string]any) {
		if p["year"] == float64(2027) {
			created = p
		}
	}
	e.enrollment.mu.Unlock()
	if created == nil || created["premium_fen"] != float64(12050) || created["waiting_days"] != float64(30) {
		t.Fatalf("created plan = %v", created)
	}
	sums := created["sums_insured"].(map[string]any)
	if sums["death_fen"] != float64(30000000) || len(sums["disability_fen"].([]any)) != 2 {
		t.Errorf("sums = %v", sums)
	}
	mustContain(t, "new plan", b.get(r.header.Get("Location")), http.StatusOK, "已创建保险计划。", "2027年度干警意外伤害保险", "120.50",
		"¥300,000.00 / ¥270,000.00", `action="`+strings.TrimSuffix(r.header.Get("Location"), "?m=created")+`/bulk"`)

	cw := e.browser()
	cw.signIn("case1")
	if got := cw.get("/admin/plans"); got.status != http.StatusOK || strings.Contains(got.body, `id="new-plan"`) {
		t.Errorf("caseworker plans = %d (the create form must be hidden)", got.status)
	}
	if got := cw.post("/admin/plans", planForm(cw.token("/admin/plans"))); got.status != http.StatusForbidden {
		t.Errorf("caseworker creates a plan = %d", got.status)
	}
	off := e.browser()
	off.signIn("off1")
	if got := off.get("/admin/plans"); got.status != http.StatusForbidden {
		t.Errorf("officer plans = %d", got.status)
	}
	if _, err := e.accounts.CreateUser(context.Background(), domain.UserInput{Username: "admin-en", DisplayName: "Admin",
		Roles: []domain.Role{domain.RoleAdmin}, Lang: "en"}, password, password, store.Actor{UserID: "test"}); err != nil {
		t.Fatal(err)
	}
	en := e.browser()
	en.signIn("admin-en")
	mustContain(t, "plans in English", en.get("/admin/plans"), http.StatusOK, "Insurance plans", "New plan", "Premium per person (yuan)")
	mustContain(t, "plan in English", en.get("/admin/plans/p-1"), http.StatusOK, "Enrol a unit", "no earlier plan")
}

// newPlan2027 creates the 2027 plan through the page and returns its path.
func newPlan2027(t *testing.T, b *browser) string {
	t.Helper()
	r := b.post("/admin/plans", planForm(b.token("/admin/plans")))
	if r.status != http.StatusSeeOther {
		t.Fatalf("create plan = %d", r.status)
	}
	return strings.TrimSuffix(r.header.Get("Location"), "?m=created")
}

func TestPlanBulkEnrolmentWithPreview(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("admin1", domain.RoleAdmin)
	b := e.browser()
	b.signIn("admin1")
	plan := newPlan2027(t, b)
	page := b.get(plan)
	mustContain(t, "plan page", page, http.StatusOK, `<option value="u-1">城关派出所</option>`, `name="start"`, `value="2027-01-01"`)
	tok := b.token(plan)

	mustContain(t, "no unit", b.post(plan+"/bulk", url.Values{"csrf_token": {tok}, "unit_id": {""}, "start": {"2027-13-01"}}),
		http.StatusUnprocessableEntity, `id="unit_id-error"`, `id="start-error"`, `value="2027-13-01"`)

	form := url.Values{"csrf_token": {tok}, "unit_id": {"u-1"}, "start": {"2027-01-01"}}
	mustContain(t, "preview", b.post(plan+"/bulk", form), http.StatusOK, "确认参保", "城关派出所：将有 1 人参加", "1 人不参保",
		"人员类别不符合计划条件", `name="confirm" value="1"`, `name="unit_id" value="u-1"`, `name="start" value="2027-01-01"`, "确认为 1 人参保")
	e.enrollment.registryState(func(r *fakeRegistry) {
		if len(r.members["m-1"].Enrollments) != 0 {
			t.Fatal("the preview enrolled")
		}
	})
	form.Set("confirm", "1")
	mustContain(t, "result", b.post(plan+"/bulk", form), http.StatusOK, "参保结果", "城关派出所：已有 1 人参加", "m-9")
	e.enrollment.registryState(func(r *fakeRegistry) {
		if len(r.members["m-1"].Enrollments) != 1 || r.members["m-1"].Enrollments[0]["plan_year"] != float64(2027) {
			t.Fatalf("enrollments after the bulk = %v", r.members["m-1"].Enrollments)
		}
	})
	mustContain(t, "member with 2027", b.get("/work/members/m-1"), http.StatusOK, "2027-01-01 – 2027-12-31")

	mustContain(t, "unknown plan", b.get("/admin/plans/p-404"), http.StatusNotFound)
}

func TestPlanRenewalWithPreview(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("case1", domain.RoleCaseworker)
	e.user("admin1", domain.RoleAdmin)
	a := e.browser()
	a.signIn("admin1")
	plan := newPlan2027(t, a)
	b := e.browser()
	b.signIn("case1")
	mustContain(t, "plan page", b.get(plan), http.StatusOK, `action="`+plan+`/renew"`, `<option value="p-1" selected>2026 年度 `+fakePlanName)
	tok := b.token(plan)
	mustContain(t, "no plan to renew", b.post(plan+"/renew", url.Values{"csrf_token": {tok}, "from_plan_id": {"p-9"}}),
		http.StatusUnprocessableEntity, `id="from_plan_id-error"`)
	form := url.Values{"csrf_token": {tok}, "from_plan_id": {"p-1"}}
	mustContain(t, "renewal preview", b.post(plan+"/renew", form), http.StatusOK, "将把“"+fakePlanName+"”中的 1 人续保到", `name="from_plan_id" value="p-1"`)
	form.Set("confirm", "1")
	mustContain(t, "renewal", b.post(plan+"/renew", form), http.StatusOK, "已有 1 人续保到", "1 人未续保")
	// A plan with no earlier one says so instead of offering a form.
	mustContain(t, "first plan", b.get("/admin/plans/p-1"), http.StatusOK, "没有更早年度的计划可续保")
	if r := b.post("/admin/plans/p-1/renew", url.Values{"csrf_token": {tok}, "from_plan_id": {"p-1"}}); r.status != http.StatusUnprocessableEntity {
		t.Errorf("renewing a plan into itself = %d", r.status)
	}
}

func TestMemberCloseEnrollment(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("case1", domain.RoleCaseworker)
	b := e.browser()
	b.signIn("case1")
	tok := b.token("/work/members/m-1")
	if r := b.post("/work/members/m-1/enrollments", url.Values{"csrf_token": {tok}, "plan_id": {"p-1"}, "start": {"2026-03-02"}}); r.status != http.StatusSeeOther {
		t.Fatalf("enrol = %d", r.status)
	}
	mustContain(t, "member page", b.get("/work/members/m-1"), http.StatusOK, `action="/work/members/m-1/enrollments/e-1/close"`,
		`name="enrollment_version" value="1"`, `<option value="ended_by_request">经办终止</option>`)
	close := url.Values{"csrf_token": {tok}, "enrollment_version": {"1"}, "last_day": {"2026/06/30"}, "end_reason": {"bogus"}}
	mustContain(t, "bad close", b.post("/work/members/m-1/enrollments/e-1/close", close), http.StatusUnprocessableEntity,
		`id="close-e-1" open`, `value="2026/06/30"`, "请选择")
	close.Set("last_day", "2025-06-30")
	close.Set("end_reason", "non_payment")
	mustContain(t, "refused close", b.post("/work/members/m-1/enrollments/e-1/close", close), http.StatusUnprocessableEntity,
		"最后保障日不能早于参保起始日", `value="2025-06-30"`, `<option value="non_payment" selected>`)
	close.Set("last_day", "2026-06-30")
	close.Set("enrollment_version", "7")
	mustContain(t, "stale close", b.post("/work/members/m-1/enrollments/e-1/close", close), http.StatusConflict, "刚被他人修改")
	close.Set("enrollment_version", "1")
	r := b.post("/work/members/m-1/enrollments/e-1/close", close)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/work/members/m-1?m=closed" {
		t.Fatalf("close = %d %s", r.status, r.header.Get("Location"))
	}
	after := b.get("/work/members/m-1?m=closed")
	mustContain(t, "closed", after, http.StatusOK, "已终止参保。", "2026-03-02 – 2026-06-30", "已失效 · 欠缴保费")
	if strings.Contains(after.body, "/enrollments/e-1/close") {
		t.Error("a closed enrollment still offers to close it")
	}
	if r := b.post("/work/members/m-1/enrollments/e-404/close", close); r.status != http.StatusNotFound {
		t.Errorf("closing an unknown enrollment = %d", r.status)
	}
	if r := b.post("/work/members/m-1/enrollments/e-1/close", url.Values{"csrf_token": {tok}}); r.status != http.StatusBadRequest {
		t.Errorf("close without a version = %d", r.status)
	}
}

func TestRemoveDependantAsksFirst(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("case1", domain.RoleCaseworker)
	b := e.browser()
	b.signIn("case1")
	tok := b.token("/work/members/m-1")
	mustContain(t, "confirmation", b.post("/work/members/m-1/dependants/d-1/remove", url.Values{"csrf_token": {tok}, "version": {"3"}}),
		http.StatusOK, "确认从 张三 的家属中移除 李四？", `action="/work/members/m-1/dependants/d-1/remove"`, `name="confirm" value="1"`, "确认移除")
	e.enrollment.registryState(func(r *fakeRegistry) {
		if len(r.members["m-1"].Dependants) != 1 {
			t.Fatal("removed before it was confirmed")
		}
	})
	mustContain(t, "stale", b.post("/work/members/m-1/dependants/d-1/remove", url.Values{"csrf_token": {tok}, "version": {"2"}}),
		http.StatusConflict, "刚被他人修改")
	if r := b.post("/work/members/m-1/dependants/d-404/remove", url.Values{"csrf_token": {tok}, "version": {"3"}}); r.status != http.StatusNotFound {
		t.Errorf("unknown dependant = %d", r.status)
	}
	r := b.post("/work/members/m-1/dependants/d-1/remove", url.Values{"csrf_token": {tok}, "version": {"3"}, "confirm": {"1"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/work/members/m-1?m=dependant_removed" {
		t.Fatalf("remove = %d %s", r.status, r.header.Get("Location"))
	}
}

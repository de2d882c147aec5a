package httpapi_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
)

// TestCalendarPage: an administrator reads a year's calendar, sets up a
// year without one (an empty form with a note), gets each bad line back by
// its list with the text kept, and a change made meanwhile comes back as
// it is now.
func TestCalendarPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("admin1", domain.RoleAdmin)
	e.user("fin1", domain.RoleFinance)
	b := e.browser()
	b.signIn("admin1")
	if r := b.get("/admin/calendar"); r.status != http.StatusOK || !strings.Contains(r.body, "2026-01-01 <span class=\"hint\">周四</span>") ||
		!strings.Contains(r.body, "2026-02-14 <span class=\"hint\">周六</span>") || !strings.Contains(r.body, `name="version" value="1"`) ||
		!strings.Contains(r.body, `href="/admin/calendar"`) {
		t.Fatalf("2026 calendar = %d", r.status)
	}
	none := b.get("/admin/calendar?year=2027")
	if none.status != http.StatusOK || !strings.Contains(none.body, `id="calendar-provisional"`) || !strings.Contains(none.body, "2027 年的休假按临时日历计算") ||
		strings.Contains(none.body, `name="version"`) || !strings.Contains(none.body, `<textarea id="off" name="off"`) {
		t.Fatalf("a year without a calendar = %d", none.status)
	}
	if r := b.get("/admin/calendar?year=" + url.QueryEscape("二七")); r.status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.body, `id="year-error"`) || !strings.Contains(r.body, `value="二七"`) {
		t.Errorf("a mistyped year = %d", r.status)
	}
	tok := b.token("/admin/calendar?year=2027")
	offText := "2027-01-01\n\n2027-02-30\n2027/10/1"
	bad := b.post("/admin/calendar", url.Values{"csrf_token": {tok}, "year": {"2027"}, "off": {offText}, "work": {"2027-02-07"}})
	if bad.status != http.StatusUnprocessableEntity || !strings.Contains(bad.body, `id="off-error"`) ||
		!strings.Contains(bad.body, "第 3 行：“2027-02-30”不是日期") || !strings.Contains(bad.body, ">2027-01-01\n\n2027-02-30\n2027/10/1</textarea>") {
		t.Fatalf("a bad date = %d", bad.status)
	}
	// The service's refusal of one date comes back at its line.
	bad = b.post("/admin/calendar", url.Values{"csrf_token": {tok}, "year": {"2027"}, "off": {"2027-01-01"}, "work": {"2027-02-07\n2027-02-08"}})
	if bad.status != http.StatusUnprocessableEntity || !strings.Contains(bad.body, `id="work-error"`) || !strings.Contains(bad.body, "第 2 行：2027-02-08 不是周末") {
		t.Fatalf("a weekday as an adjusted working day = %d", bad.status)
	}
	ok := b.post("/admin/calendar", url.Values{"csrf_token": {tok}, "year": {"2027"}, "off": {"2027-01-01\n2027/10/1"}, "work": {"2027-02-07"}})
	if ok.status != http.StatusSeeOther || ok.header.Get("Location") != "/admin/calendar?year=2027&m=saved" {
		t.Fatalf("save = %d %s", ok.status, ok.header.Get("Location"))
	}
	saved := b.get(ok.header.Get("Location"))
	if !strings.Contains(saved.body, "2027 年的工作日历已保存") || !strings.Contains(saved.body, "2027-10-01 <span class=\"hint\">周五</span>") ||
		!strings.Contains(saved.body, `id="calendar-summary">2027 年：放假日 2 天，调休上班日 1 天，全年工作日 260 天。`) {
		t.Errorf("saved calendar page: %s", saved.body)
	}
	// The page still says version 0 (none): someone saved meanwhile.
	stale := b.post("/admin/calendar", url.Values{"csrf_token": {tok}, "year": {"2027"}, "off": {"2027-05-01"}})
	if stale.status != http.StatusConflict || !strings.Contains(stale.body, "刚被他人修改") || !strings.Contains(stale.body, ">2027-01-01\n2027-10-01</textarea>") {
		t.Errorf("stale save = %d", stale.status)
	}
	f := e.browser()
	f.signIn("fin1")
	if r := f.get("/admin/calendar"); r.status != http.StatusForbidden {
		t.Errorf("finance on the calendar = %d", r.status)
	}
}

// TestCompensationPayForms: finance enters the pay of a member the report
// lacks it for, errors by the field with what was typed; and corrects a
// member's pay from the report line at its version. In the real leave
// service 张三 has his pay on file, 李四 has none.
func TestCompensationPayForms(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("fin1", domain.RoleFinance)
	m1, m2 := e.paidAndUnpaid()
	b := e.browser()
	b.signIn("fin1")
	page := b.get("/finance/compensation?year=2026")
	// The members without pay are one form, the member chosen by name and
	// unit, not a form each; lines carry their correction, named.
	if page.status != http.StatusOK || !strings.Contains(page.body, `id="pay-missing"`) || !strings.Contains(page.body, `<option value="`+m2+`">李四 · `) ||
		strings.Contains(page.body, `id="pay-`+m2+`"`) || !strings.Contains(page.body, `id="pay-`+m1+`"`) || !strings.Contains(page.body, `name="version" value="1"`) ||
		!strings.Contains(page.body, "1 人有未休天数但缺少工资数据") || !strings.Contains(page.body, `href="/finance/compensation/wages?year=2026"`) ||
		!strings.Contains(page.body, "更正 张三 的工资") {
		t.Fatalf("report = %d", page.status)
	}
	tok := b.token("/finance/compensation?year=2026")
	nobody := b.post("/finance/compensation/pay", url.Values{"csrf_token": {tok}, "year": {"2026"}, "form": {"missing"}, "annual_pay": {"130500"}})
	if nobody.status != http.StatusUnprocessableEntity || !strings.Contains(nobody.body, `id="member_id-missing-error"`) || !strings.Contains(nobody.body, `value="130500"`) {
		t.Fatalf("nobody chosen = %d", nobody.status)
	}
	empty := b.post("/finance/compensation/pay", url.Values{"csrf_token": {tok}, "year": {"2026"}, "form": {"missing"}, "member_id": {m2}})
	if empty.status != http.StatusUnprocessableEntity || !strings.Contains(empty.body, `id="annual_pay-missing-error"`) || !strings.Contains(empty.body, "请填写全年工资收入或月平均工资") ||
		!strings.Contains(empty.body, `<option value="`+m2+`" selected>`) {
		t.Fatalf("no pay = %d", empty.status)
	}
	bad := b.post("/finance/compensation/pay", url.Values{"csrf_token": {tok}, "year": {"2026"}, "form": {"missing"}, "member_id": {m2}, "annual_pay": {"十万"}, "monthly_wage": {"8000"}})
	if bad.status != http.StatusUnprocessableEntity || !strings.Contains(bad.body, `id="annual_pay-missing-error"`) || !strings.Contains(bad.body, `value="十万"`) ||
		!strings.Contains(bad.body, `value="8000"`) || strings.Contains(bad.body, `id="annual_pay-`+m1+`-error"`) {
		t.Fatalf("bad pay = %d", bad.status)
	}
	ok := b.post("/finance/compensation/pay", url.Values{"csrf_token": {tok}, "year": {"2026"}, "form": {"missing"}, "member_id": {m2}, "annual_pay": {"130500"}})
	if ok.status != http.StatusSeeOther {
		t.Fatalf("pay = %d %s", ok.status, ok.body)
	}
	after := b.get(ok.header.Get("Location"))
	if !strings.Contains(after.body, "李四 的工资已保存") || strings.Contains(after.body, `id="missing-pay"`) || !strings.Contains(after.body, "<td class=\"num\">500.00</td>") {
		t.Errorf("report after the pay: %s", after.body)
	}
	// A correction from a line, at the version the page showed; a stale
	// one is refused by the form with what was typed.
	if r := b.post("/finance/compensation/pay", url.Values{"csrf_token": {tok}, "year": {"2026"}, "member_id": {m1}, "version": {"1"}, "annual_pay": {"78300"}}); r.status != http.StatusSeeOther {
		t.Fatalf("correction = %d", r.status)
	}
	stale := b.post("/finance/compensation/pay", url.Values{"csrf_token": {tok}, "year": {"2026"}, "member_id": {m1}, "version": {"1"}, "annual_pay": {"99999"}})
	if stale.status != http.StatusConflict || !strings.Contains(stale.body, `id="pay-`+m1+`-error"`) || !strings.Contains(stale.body, `value="99999"`) {
		t.Errorf("stale correction = %d", stale.status)
	}
	if r := b.post("/finance/compensation/pay", url.Values{"csrf_token": {tok}, "year": {"abc"}, "member_id": {m1}}); r.status != http.StatusBadRequest {
		t.Errorf("a forged year = %d", r.status)
	}
}

// paidAndUnpaid registers 张三, whose year's pay finance has recorded in
// the real leave service (78,300 yuan, at version 1), and 李四, whose pay
// is missing; both have their ten days unused.
func (e *env) paidAndUnpaid() (paid, unpaid string) {
	e.t.Helper()
	paid, unpaid = e.member("张三"), e.member("李四")
	fin := auth.Identity{UserID: "u-seed-fin", Name: "财务", Roles: []auth.Role{auth.RoleFinance}}
	e.sys.Call(e.t, fin, http.MethodPut, "/api/v1/leave/members/"+paid+"/pay/2026", map[string]any{"annual_pay": "78300.00"}, http.StatusOK)
	return paid, unpaid
}

// TestLeaveAdminMistypedYear: a year that is not one is said next to the
// field, as typed, not as an error page.
func TestLeaveAdminMistypedYear(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("admin1", domain.RoleAdmin)
	b := e.browser()
	b.signIn("admin1")
	r := b.get("/admin/leave?year=abc")
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="show-year-error"`) || !strings.Contains(r.body, `id="show-year" name="year" type="text" inputmode="numeric" autocomplete="off" value="abc"`) {
		t.Errorf("/admin/leave?year=abc = %d", r.status)
	}
}

// TestLeaveRolloverAsksFirst: the first press of the rollover names the
// year and how many members it will close and runs nothing; a bad year
// is refused by the field; the second press runs it; a year not over is
// refused by the field. What ran is read from the real leave service.
func TestLeaveRolloverAsksFirst(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("admin1", domain.RoleAdmin)
	for _, name := range []string{"张三", "李四", "王五", "赵六", "孙七"} {
		e.member(name)
	}
	b := e.browser()
	b.signIn("admin1")
	tok := b.token("/admin/leave")
	r := b.post("/admin/leave/rollover", url.Values{"csrf_token": {tok}, "year": {"20x5"}})
	if r.status != http.StatusUnprocessableEntity || strings.Contains(r.body, `id="confirm"`) || !strings.Contains(r.body, `value="20x5"`) {
		t.Fatalf("bad year = %d", r.status)
	}
	r = b.post("/admin/leave/rollover", url.Values{"csrf_token": {tok}, "year": {"2025"}})
	if r.status != http.StatusOK || !strings.Contains(r.body, `id="confirm"`) || !strings.Contains(r.body, "将结转 2025 年度：为尚未结转的 5 名人员") ||
		!strings.Contains(r.body, `name="year" value="2025"`) {
		t.Fatalf("first press = %d %s", r.status, r.body)
	}
	if n := e.closed(2025); n != 0 {
		t.Fatalf("the first press closed 2025 for %d members", n)
	}
	r = b.post("/admin/leave/rollover", url.Values{"csrf_token": {tok}, "year": {"2025"}, "confirm": {"yes"}})
	if n := e.closed(2025); r.status != http.StatusSeeOther || r.header.Get("Location") != "/admin/leave?year=2025&rolled=2025" || n != 5 {
		t.Fatalf("second press = %d %s, 2025 closed for %d members", r.status, r.header.Get("Location"), n)
	}
	r = b.post("/admin/leave/rollover", url.Values{"csrf_token": {tok}, "year": {"2026"}})
	if r.status != http.StatusUnprocessableEntity || strings.Contains(r.body, `id="confirm"`) || !strings.Contains(r.body, `id="year-error"`) {
		t.Errorf("first press for a year not over = %d", r.status)
	}
	r = b.post("/admin/leave/rollover", url.Values{"csrf_token": {tok}, "year": {"2026"}, "confirm": {"yes"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `<li><a href="#year">结转年度：应在 2000 至 2025 之间</a></li>`) || e.closed(2026) != 0 {
		t.Errorf("a year not over = %d", r.status)
	}
}

// closed is how many members the real leave service has closed year for.
func (e *env) closed(year int) int {
	e.t.Helper()
	admin := auth.Identity{UserID: "u-seed-admin", Name: "管理员", Roles: []auth.Role{auth.RoleAdmin}}
	st := e.sys.Call(e.t, admin, http.MethodGet, "/api/v1/leave/rollovers/"+strconv.Itoa(year), nil, http.StatusOK)
	n, ok := st["closed"].(float64)
	if !ok {
		e.t.Fatalf("the rollover state of %d has no closed count: %v", year, st)
	}
	return int(n)
}

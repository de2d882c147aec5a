package httpapi_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
)

func TestCarePages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("officer1", domain.RoleOfficer)
	e.user("case1", domain.RoleCaseworker)
	o := e.browser()
	o.signIn("officer1")
	page := o.get("/care")
	if page.status != http.StatusOK || !strings.Contains(page.body, "北戴河疗养院") || strings.Contains(page.body, "/care/health-checks/slot-1/book") {
		t.Fatalf("care page %d (a full slot must not offer booking)", page.status)
	}
	tok := o.token("/care")
	if r := o.post("/care/recuperation/s-1/book", url.Values{"csrf_token": {tok}}); r.status != http.StatusSeeOther {
		t.Fatalf("book = %d", r.status)
	}
	if r := o.get("/care?m=booked"); !strings.Contains(r.body, "候补中") {
		t.Error("the waitlisted stay is not shown")
	}
	if r := o.post("/care/recuperation/s-1/book", url.Values{"csrf_token": {tok}}); r.status != http.StatusConflict || !strings.Contains(r.body, "error-flash") {
		t.Errorf("second booking = %d", r.status)
	}
	if r := o.get("/work/health-checks"); r.status != http.StatusForbidden {
		t.Errorf("officer on compliance = %d", r.status)
	}
	cw := e.browser()
	cw.signIn("case1")
	c := cw.get("/work/health-checks?year=2026")
	if c.status != http.StatusOK || !strings.Contains(c.body, "87.50") || !strings.Contains(c.body, "row-breached") {
		t.Fatalf("compliance %d", c.status)
	}
	if !strings.Contains(c.body, `<a href="/work/members/m-9">刘洋</a>`) {
		t.Errorf("the compliance page does not name the overdue member: %s", c.body)
	}
	if r := cw.get("/care"); r.status != http.StatusForbidden {
		t.Errorf("caseworker on an officer's care page = %d", r.status)
	}
}

// TestCareShowsWhenAndWhere: a booked check shows its time in Asia/Shanghai
// and hides the round's Book buttons; a waitlisted stay shows its
// facility, place, dates and why it waits, and its session no longer
// offers a request.
func TestCareShowsWhenAndWhere(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("officer1", domain.RoleOfficer)
	o := e.browser()
	o.signIn("officer1")
	page := o.get("/care")
	for _, want := range []string{"2026 年度体检（2026-03-01 至 2026-11-30）", "/care/health-checks/slot-2/book", "2026-03-06 09:00", "秦皇岛市北戴河区"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("/care lacks %q", want)
		}
	}
	tok := o.token("/care")
	if r := o.post("/care/health-checks/slot-2/book", url.Values{"csrf_token": {tok}}); r.status != http.StatusSeeOther {
		t.Fatalf("book the check = %d", r.status)
	}
	if r := o.post("/care/recuperation/s-1/book", url.Values{"csrf_token": {tok}}); r.status != http.StatusSeeOther {
		t.Fatalf("request the stay = %d", r.status)
	}
	page = o.get("/care")
	check := between(page.body, `id="my-checks"`, "</ul>")
	if !strings.Contains(check, "已预约") || !strings.Contains(check, "2026-03-06 09:00") || !strings.Contains(check, "本年度体检截止 2026-11-30") ||
		!strings.Contains(check, `action="/care/health-checks/bookings/hc-o1/cancel"`) {
		t.Errorf("the booked check: %s", check)
	}
	if strings.Contains(page.body, "/care/health-checks/slot-2/book") {
		t.Error("the round still offers booking after the officer booked in it")
	}
	if !strings.Contains(page.body, "您已在本批次预约") {
		t.Error("the round does not say why it offers no booking")
	}
	stay := between(page.body, `id="my-stays"`, "</ul>")
	for _, want := range []string{"候补中", "北戴河疗养院", "秦皇岛市北戴河区", "2026-06-01 – 2026-06-07", "候补原因：本单位本年度疗养名额已用完", "申请于 2026-03-02 09:00"} {
		if !strings.Contains(stay, want) {
			t.Errorf("the waitlisted stay lacks %q: %s", want, stay)
		}
	}
	if sessions := between(page.body, `id="sessions"`, "</ul>"); strings.Contains(sessions, "/care/recuperation/s-1/book") || !strings.Contains(sessions, "已申请") {
		t.Errorf("the requested session still offers a request: %s", sessions)
	}
	if strings.Contains(page.body, "web.officer.") {
		t.Error("/care shows a raw catalogue key")
	}
	if my := between(o.get("/my").body, `id="my-care"`, "</section>"); !strings.Contains(my, "2026-03-06 09:00") || !strings.Contains(my, "北戴河疗养院 2026-06-01 – 2026-06-07") ||
		!strings.Contains(my, "候补原因") {
		t.Errorf("/my does not say when and where: %s", my)
	}
}

// TestCareCancelAsksFirst: cancelling a check or a stay takes two presses;
// the first changes nothing, a stale second is refused with the reason,
// and another officer's booking answers 404. Once cancelled, the round
// offers booking again.
func TestCareCancelAsksFirst(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("officer1", domain.RoleOfficer)
	e.user("officer2", domain.RoleOfficer)
	o := e.browser()
	o.signIn("officer1")
	tok := o.token("/care")
	o.post("/care/health-checks/slot-2/book", url.Values{"csrf_token": {tok}})
	o.post("/care/recuperation/s-1/book", url.Values{"csrf_token": {tok}})

	for _, b := range []struct {
		name, path, title, what string
	}{
		{"check", "/care/health-checks/bookings/hc-o1/cancel", "确认取消这次体检预约？", "2026-03-06 09:00"},
		{"stay", "/care/recuperation/bookings/b-1/cancel", "确认取消这次疗养预约？", "北戴河疗养院"},
	} {
		ask := o.post(b.path, url.Values{"csrf_token": {tok}, "version": {"1"}})
		confirm := between(ask.body, `id="confirm"`, "</section>")
		if ask.status != http.StatusOK || !strings.Contains(confirm, b.title) || !strings.Contains(confirm, b.what) || !strings.Contains(confirm, `action="`+b.path+`"`) ||
			!strings.Contains(confirm, `name="confirm" value="yes"`) {
			t.Fatalf("%s: first press = %d %s", b.name, ask.status, confirm)
		}
		if strings.Contains(confirm, "已取消") {
			t.Fatalf("%s: the first press cancelled", b.name)
		}
		other := e.browser()
		other.signIn("officer2")
		if r := other.post(b.path, url.Values{"csrf_token": {other.token("/care")}, "version": {"1"}}); r.status != http.StatusNotFound {
			t.Errorf("%s: another officer's first press = %d, want 404", b.name, r.status)
		}
		if r := o.post(b.path, url.Values{"csrf_token": {tok}, "version": {"4"}, "confirm": {"yes"}}); r.status != http.StatusConflict || !strings.Contains(r.body, "error-flash") {
			t.Errorf("%s: stale cancel = %d", b.name, r.status)
		}
		if r := o.post(b.path, url.Values{"csrf_token": {tok}, "version": {"1"}, "confirm": {"yes"}}); r.status != http.StatusSeeOther || r.header.Get("Location") != "/care?m=cancelled" {
			t.Errorf("%s: confirmed cancel = %d", b.name, r.status)
		}
	}
	if r := o.post("/care/health-checks/bookings/hc-o1/cancel", url.Values{"csrf_token": {tok}, "version": {"2"}}); r.status != http.StatusConflict ||
		!strings.Contains(r.body, "这项预约已不能取消") || strings.Contains(r.body, `id="confirm"`) {
		t.Errorf("asking to cancel a cancelled check = %d", r.status)
	}
	if s := e.leave.officer.checks[0].Status; s != "cancelled" {
		t.Errorf("the check is %s after the confirmed cancel", s)
	}
	page := o.get("/care?m=cancelled")
	if !strings.Contains(page.body, "/care/health-checks/slot-2/book") || strings.Contains(page.body, "/care/health-checks/bookings/hc-o1/cancel") {
		t.Error("after cancelling, the round does not offer booking again")
	}
	if !strings.Contains(page.body, "/care/recuperation/s-1/book") || strings.Contains(page.body, "/care/recuperation/bookings/b-1/cancel") {
		t.Error("after cancelling, the stay is not offered again")
	}
}

// TestQuotasCancelKeepsYear: a caseworker's refused cancel on the quotas
// page comes back at the year viewed, and a done one returns to it.
func TestQuotasCancelKeepsYear(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("officer1", domain.RoleOfficer)
	e.user("case1", domain.RoleCaseworker)
	o := e.browser()
	o.signIn("officer1")
	o.post("/care/recuperation/s-1/book", url.Values{"csrf_token": {o.token("/care")}})
	cw := e.browser()
	cw.signIn("case1")
	tok := cw.token("/work/recuperation-quotas?year=2025")
	r := cw.post("/work/recuperation-bookings/b-1/cancel", url.Values{"csrf_token": {tok}, "version": {"9"}, "year": {"2025"}})
	if r.status != http.StatusConflict || !strings.Contains(r.body, `id="filter-year" name="year" inputmode="numeric" value="2025"`) {
		t.Errorf("refused cancel = %d, not at 2025", r.status)
	}
	r = cw.post("/work/recuperation-bookings/b-1/cancel", url.Values{"csrf_token": {tok}, "version": {"1"}, "year": {"2025"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/work/recuperation-quotas?m=cancelled&year=2025" {
		t.Errorf("cancel = %d to %q", r.status, r.header.Get("Location"))
	}
}

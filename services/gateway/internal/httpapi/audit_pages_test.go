package httpapi_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/store"
)

func TestAuditAndDeadLetters(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("admin1", domain.RoleAdmin)
	e.user("audit1", domain.RoleAuditor)
	e.user("case1", domain.RoleCaseworker)
	aud := e.browser()
	aud.signIn("audit1")
	own := aud.get("/audit?action=user.create")
	if own.status != http.StatusOK || !strings.Contains(own.body, "新建用户") {
		t.Fatalf("gateway trail = %d", own.status)
	}
	if strings.Contains(own.body, "argon2id") {
		t.Error("the trail shows a password hash")
	}
	// The trail names its actors and finds them by username.
	admin := e.accounts
	a1, err := admin.Users(context.Background(), store.UserFilter{Query: "admin1"})
	if err != nil || len(a1) != 1 {
		t.Fatalf("admin1: %v %v", a1, err)
	}
	if _, err := admin.CreateUser(context.Background(), domain.UserInput{Username: "made.by.admin", DisplayName: "新用户", Roles: []domain.Role{domain.RoleFinance}},
		password, password, store.Actor{UserID: a1[0].ID}); err != nil {
		t.Fatal(err)
	}
	byName := aud.get("/audit?actor=admin1")
	if byName.status != http.StatusOK || !strings.Contains(byName.body, "用户 admin1 (admin1)") || strings.Contains(byName.body, "(audit1)") {
		t.Errorf("the trail searched by username = %d %s", byName.status, byName.body)
	}
	other := aud.get("/audit?service=enrollment&from=2026-03-01&to=2026-03-02")
	if other.status != http.StatusOK || !strings.Contains(other.body, "查看完整身份证号") {
		t.Fatalf("enrollment trail = %d", other.status)
	}
	if r := aud.get("/admin/dead-letters"); r.status != http.StatusForbidden {
		t.Errorf("auditor on dead letters = %d", r.status)
	}
	cw := e.browser()
	cw.signIn("case1")
	if r := cw.get("/audit"); r.status != http.StatusForbidden {
		t.Errorf("caseworker on the trail = %d", r.status)
	}

	adm := e.browser()
	adm.signIn("admin1")
	dl := adm.get("/admin/dead-letters?service=enrollment")
	if dl.status != http.StatusOK || !strings.Contains(dl.body, "welfare.injury.case.opened.v1") {
		t.Fatalf("dead letters = %d", dl.status)
	}
	// The list comes a page at a time: the next page is a plain link
	// carrying the service's cursor, and it links back to the first.
	if !strings.Contains(dl.body, `id="dead-letters-next" href="/admin/dead-letters?after=dl-after-7&amp;service=enrollment"`) ||
		strings.Contains(dl.body, "welfare.leave.request.decided.v1") || strings.Contains(dl.body, `id="dead-letters-first"`) {
		t.Errorf("first page of dead letters without its next link: %s", dl.body)
	}
	more := adm.get("/admin/dead-letters?after=dl-after-7&service=enrollment")
	if more.status != http.StatusOK || !strings.Contains(more.body, "welfare.leave.request.decided.v1") || strings.Contains(more.body, "welfare.injury.case.opened.v1") ||
		strings.Contains(more.body, `id="dead-letters-next"`) || !strings.Contains(more.body, `id="dead-letters-first" href="/admin/dead-letters?service=enrollment"`) {
		t.Errorf("second page of dead letters = %d %s", more.status, more.body)
	}
	stale := adm.get("/admin/dead-letters?after=old-link&service=enrollment")
	if stale.status != http.StatusOK || !strings.Contains(stale.body, `id="dead-letters-stale"`) || !strings.Contains(stale.body, "welfare.injury.case.opened.v1") {
		t.Errorf("a stale cursor = %d %s", stale.status, stale.body)
	}
	r := adm.post("/admin/dead-letters/enrollment/7/replay", url.Values{"csrf_token": {adm.token("/admin/dead-letters")}, "confirm": {"yes"}})
	if r.status != http.StatusSeeOther || e.enrollment.replayed != 1 {
		t.Fatalf("replay = %d, replayed %d", r.status, e.enrollment.replayed)
	}
	if r := adm.post("/admin/dead-letters/payroll/7/replay", url.Values{"csrf_token": {adm.token("/admin/dead-letters")}}); r.status != http.StatusNotFound {
		t.Errorf("replay on an unknown service = %d", r.status)
	}
}

// TestAuditNamesActions: the trail names the actions the services write,
// with the code beside the name (unknown codes as they are), filters by
// object type, and keeps every filter in the link to more.
func TestAuditNamesActions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("audit1", domain.RoleAuditor)
	for i := range 200 {
		e.user("officer"+strconv.Itoa(i), domain.RoleOfficer)
	}
	aud := e.browser()
	aud.signIn("audit1")
	r := aud.get("/audit?object_type=user&action=user.create")
	if r.status != http.StatusOK || !strings.Contains(r.body, `<td class="action">新建用户</td>`) ||
		!strings.Contains(r.body, `id="object_type" name="object_type" type="text" value="user"`) {
		t.Fatalf("gateway trail = %d", r.status)
	}
	if !strings.Contains(r.body, "object_type=user") || !strings.Contains(r.body, `id="audit-older"`) {
		t.Error("the link to older entries drops the object type")
	}
	if r := aud.get("/audit?object_type=session"); strings.Contains(r.body, `<td class="action">新建用户</td>`) {
		t.Error("the object type filter is ignored")
	}
	other := aud.get("/audit?service=enrollment")
	if !strings.Contains(other.body, "查看完整身份证号") {
		t.Error("enrollment's action is not named")
	}
	en := e.browser()
	en.signIn("audit1")
	_ = en.post("/lang", url.Values{"csrf_token": {en.token("/audit")}, "lang": {"en"}, "next": {"/audit"}})
	if r := en.get("/audit?action=user.create"); !strings.Contains(r.body, "User created") {
		t.Error("the action is not named in English")
	}
}

// TestDeadLetterReplayAsksFirst: the first press names the letter and
// replays nothing; the second, with confirm=yes, replays it.
func TestDeadLetterReplayAsksFirst(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("admin1", domain.RoleAdmin)
	adm := e.browser()
	adm.signIn("admin1")
	tok := adm.token("/admin/dead-letters")
	r := adm.post("/admin/dead-letters/enrollment/7/replay", url.Values{"csrf_token": {tok}})
	if r.status != http.StatusOK || !strings.Contains(r.body, `id="confirm"`) || !strings.Contains(r.body, "死信 #7（enrollment-x，welfare.injury.case.opened.v1）") ||
		!strings.Contains(r.body, `action="/admin/dead-letters/enrollment/7/replay"`) {
		t.Fatalf("first press = %d %s", r.status, r.body)
	}
	if e.enrollment.replayed != 0 {
		t.Fatal("the first press replayed")
	}
	r = adm.post("/admin/dead-letters/enrollment/7/replay", url.Values{"csrf_token": {tok}, "confirm": {"yes"}})
	if r.status != http.StatusSeeOther || e.enrollment.replayed != 1 {
		t.Fatalf("second press = %d, replayed %d", r.status, e.enrollment.replayed)
	}
}

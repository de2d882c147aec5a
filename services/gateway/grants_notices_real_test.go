package gateway_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/app/apptest"
	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/idcard"
	"github.com/anxin-welfare/anxin/services/gateway"
)

// gatewayUser is an account as the gateway's own API lists it.
type gatewayUser struct {
	ID      string `json:"id"`
	Version int64  `json:"version"`
}

// gatewayUsers reads the gateway's accounts by username, as admin.
func gatewayUsers(t *testing.T, admin *grantsUser) map[string]gatewayUser {
	t.Helper()
	var list struct {
		Items []struct {
			gatewayUser
			Username string `json:"username"`
		} `json:"items"`
	}
	r := admin.get("/api/v1/gateway/users?limit=100")
	if err := json.Unmarshal([]byte(r.body), &list); err != nil {
		t.Fatalf("the gateway's users: %d %s", r.status, r.body)
	}
	out := map[string]gatewayUser{}
	for _, u := range list.Items {
		out[u.Username] = u.gatewayUser
	}
	return out
}

// TestGrantNoticesAgainstRealServices: the notices page offers the active
// officer and family accounts linked to the notice's member or dependant,
// and "no account"; the caseworker picks one and the draft is made for it,
// or for themselves on the person's behalf. The programmes page is the
// administrator's, not a caseworker's.
func TestGrantNoticesAgainstRealServices(t *testing.T) {
	t.Parallel()
	s := startRealSystem(t)
	seed := auth.Identity{UserID: "u-seed-cw", Name: "王芳", Roles: []auth.Role{auth.RoleCaseworker}, Units: []string{s.unit}}
	// Two officers die on duty: 王强 (s.fallen), whose widow has an
	// account, and 赵刚, whose family has none.
	s.call(t, seed, "POST", "/api/v1/enrollment/members/"+s.fallen+"/death", map[string]any{"date": "2026-11-20", "cause": "line_of_duty"}, 200, "If-Match", `"3"`)
	nobody := s.call(t, seed, "POST", "/api/v1/enrollment/members", map[string]any{
		"unit_id": s.unit, "name": "赵刚", "category": "police",
		"id_number": idcard.Generate("110105", time.Date(1979, 7, 8, 0, 0, 0, 0, time.UTC), 41, true), "hire_date": "2001-07-01",
	}, 201)["id"].(string)
	s.call(t, seed, "POST", "/api/v1/enrollment/members/"+nobody+"/dependants", map[string]any{
		"relation": "spouse", "name": "孙丽", "id_number": idcard.Generate("110105", time.Date(1981, 3, 4, 0, 0, 0, 0, time.UTC), 42, false),
	}, 200, "If-Match", `"1"`)
	s.call(t, seed, "POST", "/api/v1/enrollment/members/"+nobody+"/death", map[string]any{"date": "2026-11-21", "cause": "line_of_duty"}, 200, "If-Match", `"2"`)
	var notices []struct {
		ID          string `json:"id"`
		MemberID    string `json:"member_id"`
		DependantID string `json:"dependant_id"`
	}
	apptest.Eventually(t, 20*time.Second, "the deaths reached grants as notices", func() bool {
		w := s.env.Do(t, s.h["grants"], &seed, "GET", "/api/v1/grants/notices", nil)
		var out struct {
			Items []struct {
				ID          string `json:"id"`
				MemberID    string `json:"member_id"`
				DependantID string `json:"dependant_id"`
			} `json:"items"`
		}
		_ = json.Unmarshal(w.Body.Bytes(), &out)
		notices = out.Items
		return w.Code == http.StatusOK && len(out.Items) == 3
	})
	// n1 is the notice of 王强's widow, n2 that of 赵刚's.
	lina := waitDependant(t, s, s.fallen, "李娜")
	var n1, n2 string
	for _, n := range notices {
		switch n.MemberID {
		case s.fallen:
			if n.DependantID == lina {
				n1 = n.ID
			}
		case nobody:
			n2 = n.ID
		}
	}
	// Accounts linked to 王强: his own officer account, and one disabled.
	extra := []gateway.DemoUser{
		{Username: "fallen1", DisplayName: "王强", Roles: []auth.Role{auth.RoleOfficer}, MemberID: s.fallen, Units: []string{s.unit}},
		{Username: "gone1", DisplayName: "旧账号", Roles: []auth.Role{auth.RoleFamily}, MemberID: s.fallen, Units: []string{s.unit}},
	}
	for i := range extra {
		extra[i].Password = journeyPassword(extra[i].Username)
	}
	if _, err := gateway.SeedUsers(context.Background(), s.env.Deps, gateway.Config{}, extra); err != nil {
		t.Fatal(err)
	}
	adm := grantsSignIn(t, s.gateway, "admin")
	users := gatewayUsers(t, adm)
	gone := users["gone1"]
	if r := adm.post("/admin/users/"+gone.ID+"/disable", adm.token("/admin/users/"+gone.ID),
		url.Values{"version": {strconv.FormatInt(gone.Version, 10)}, "confirm": {"yes"}}, nil); r.status != http.StatusSeeOther {
		t.Fatalf("disable gone1 = %d: %s", r.status, snippet(r.body))
	}
	officer, wife, unrelated, caseworker := users["fallen1"], users["widow"], users["family"], users["caseworker"]

	cw := grantsSignIn(t, s.gateway, "caseworker")
	page := cw.get("/work/notices")
	for _, want := range []string{`name="applicant" value="` + officer.ID + `"`, `name="applicant" value="` + wife.ID + `"`, "李娜 · widow · 家属",
		`id="applicant-` + n1 + `-self" name="applicant" value="caseworker"`, "无账号：由经办人员代为办理", "该干警及亲属尚无关联账号。"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the notices page lacks %s", want)
		}
	}
	for _, not := range []string{gone.ID, unrelated.ID, `name="applicant" type="text"`} {
		if strings.Contains(page.body, not) {
			t.Errorf("the notices page offers %s", not)
		}
	}
	tok := cw.token("/work/notices")
	if r := cw.post("/work/notices/"+n1+"/convert", tok, nil, nil); r.status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.body, `id="applicant-`+n1+`-error"`) || !strings.Contains(r.body, "请选择申请人") {
		t.Fatalf("no applicant chosen = %d", r.status)
	}
	r := cw.post("/work/notices/"+n1+"/convert", tok, url.Values{"applicant": {unrelated.ID}}, nil)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "该账号与这条线索涉及的干警或亲属无关") ||
		!strings.Contains(r.body, `value="`+wife.ID+`"`) {
		t.Fatalf("an unrelated account = %d", r.status)
	}
	if r := cw.post("/work/notices/"+n1+"/convert", tok, url.Values{"applicant": {gone.ID}}, nil); r.status != http.StatusUnprocessableEntity {
		t.Fatalf("a disabled account = %d", r.status)
	}
	first := cw.post("/work/notices/"+n1+"/convert", tok, url.Values{"applicant": {wife.ID}}, nil)
	if first.status != http.StatusSeeOther || !strings.Contains(first.header.Get("Location"), "?m=draft") {
		t.Fatalf("convert for the linked family account = %d: %s", first.status, snippet(first.body))
	}
	second := cw.post("/work/notices/"+n2+"/convert", tok, url.Values{"applicant": {"caseworker"}}, nil)
	if second.status != http.StatusSeeOther {
		t.Fatalf("convert with no account = %d: %s", second.status, snippet(second.body))
	}
	_, a1 := cw.grantsApp(strings.TrimPrefix(appPathOf(t, first), "/grants/applications/"))
	_, a2 := cw.grantsApp(strings.TrimPrefix(appPathOf(t, second), "/grants/applications/"))
	if a1["applicant_user_id"] != wife.ID || a1["applicant_name"] != "李娜" || a1["member_id"] != s.fallen ||
		a2["applicant_user_id"] != caseworker.ID || a2["member_id"] != nobody {
		t.Errorf("the service recorded %v and %v", a1, a2)
	}
	if left := cw.get("/work/notices"); strings.Contains(left.body, `id="notice-`+n1+`"`) || strings.Contains(left.body, `id="notice-`+n2+`"`) {
		t.Error("a converted notice is still open")
	}

	if r := adm.get("/admin/programs"); r.status != http.StatusOK || !strings.Contains(r.body, "困难干警帮扶") {
		t.Errorf("programs %d", r.status)
	}
	if r := cw.get("/admin/programs"); r.status != http.StatusForbidden {
		t.Errorf("caseworker GET /admin/programs = %d", r.status)
	}
}

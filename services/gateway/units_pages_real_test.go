package gateway_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/uuid"
)

// TestUnitPagesAgainstRealServices: the unit tree's page (pages/members)
// against the real enrollment service, where it used to run against a fake
// (httpapi/units_pages_test.go): an administrator adds a unit (a code the
// registry refuses said beside it), renames and moves it at the version
// the form showed (under itself refused beside the parent; a change made
// meanwhile comes back as it is now); auditors read the tree without
// forms; caseworkers may not see it.
func TestUnitPagesAgainstRealServices(t *testing.T) {
	s := startRealSystem(t)
	admin := journeySignIn(t, s.gateway, "admin")
	st, body := admin.get("/admin/units")
	want(t, "units", st, body, http.StatusOK, "县公安局", "县委政法委")
	form := url.Values{"code": {"GA 02"}, "name": {"东关派出所"}, "kind": {"police_station"}, "parent_id": {s.unit}}
	st, _, body = admin.post("/admin/units", form)
	want(t, "bad unit", st, body, http.StatusUnprocessableEntity, `id="code-error"`, `value="东关派出所"`)
	form.Set("code", "GA02")
	if st, loc, body := admin.post("/admin/units", form); st != http.StatusSeeOther || loc != "/admin/units?m=saved" {
		t.Fatalf("create unit = %d %s %s", st, loc, snippet(body))
	}
	units := s.call(t, registryAdmin, "GET", "/api/v1/enrollment/units", nil, http.StatusOK)["units"].([]any)
	id := ""
	for _, u := range units {
		if u := u.(map[string]any); u["code"] == "GA02" {
			id = u["id"].(string)
			if u["parent_id"] != s.unit {
				t.Errorf("the unit is under %v", u["parent_id"])
			}
		}
	}
	if id == "" {
		t.Fatalf("enrollment has no unit GA02: %v", units)
	}
	cw := journeySignIn(t, s.gateway, "caseworker")
	for _, p := range []string{"/admin/units"} {
		if st, _ := cw.get(p); st != http.StatusForbidden {
			t.Errorf("caseworker GET %s = %d", p, st)
		}
	}

	// Edit at a version.
	st, body = admin.get("/admin/units?m=saved")
	want(t, "units list", st, body, http.StatusOK, `href="/admin/units?edit=`+id+`#unit-form"`)
	st, body = admin.get("/admin/units?edit=" + id)
	want(t, "edit form", st, body, http.StatusOK, `action="/admin/units/`+id+`"`, `name="version" value="1"`, `value="东关派出所"`,
		`<option value="`+s.unit+`"`)
	if strings.Contains(body, `<option value="`+id+`"`) {
		t.Error("the unit is offered as its own parent")
	}
	edit := url.Values{"version": {"1"}, "code": {"GA02"}, "name": {"东关所"}, "kind": {"police_station"}, "parent_id": {id}}
	st, _, body = admin.post("/admin/units/"+id, edit)
	want(t, "moving under itself", st, body, http.StatusUnprocessableEntity, `id="parent_id-error"`, "单位不能成为自己的下级", `value="东关所"`)
	root := ""
	for _, u := range units {
		if u := u.(map[string]any); u["code"] == "ZFW" {
			root = u["id"].(string)
		}
	}
	edit.Set("name", "东关派出所（新）")
	edit.Set("parent_id", root)
	if st, loc, body := admin.post("/admin/units/"+id, edit); st != http.StatusSeeOther || loc != "/admin/units?m=updated" {
		t.Fatalf("rename = %d %s %s", st, loc, snippet(body))
	}
	st, body = admin.get("/admin/units?m=updated")
	want(t, "units after the rename", st, body, http.StatusOK, "单位已更新", "<td>东关派出所（新）</td>", "<td>县委政法委</td><td>")
	// Someone else renames it while the form (version 2) is open.
	s.call(t, registryAdmin, "PUT", "/api/v1/enrollment/units/"+id, map[string]any{"code": "GA02", "name": "东关中心派出所", "kind": "police_station",
		"parent_id": root}, http.StatusOK, "If-Match", `"2"`)
	st, _, body = admin.post("/admin/units/"+id, url.Values{"version": {"2"}, "code": {"GA02"}, "name": {"我的名字"}, "kind": {"police_station"}})
	want(t, "stale edit", st, body, http.StatusConflict, "该单位刚被他人修改", `value="东关中心派出所"`, `name="version" value="3"`)
	for _, p := range []string{"/admin/units?edit=" + uuid.NewString(), "/admin/units?edit=u-404"} {
		if st, _ := admin.get(p); st != http.StatusNotFound {
			t.Errorf("editing a unit that does not exist (%s) = %d", p, st)
		}
	}

	auditor := journeySignIn(t, s.gateway, "auditor")
	st, body = auditor.get("/admin/units?edit=" + id)
	want(t, "auditor on units", st, body, http.StatusOK, `id="read-only"`, "县公安局")
	if strings.Contains(body, `<form method="post" action="/admin/units`) {
		t.Error("the auditor is offered a unit form")
	}
	if st, _, _ := auditor.post("/admin/units/"+id, url.Values{"version": {"3"}, "name": {"x"}}); st != http.StatusForbidden {
		t.Errorf("auditor editing a unit = %d", st)
	}
}

package gateway_test

import (
	"bytes"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/pkg/idcard"
)

// The member registry's forms (pages/members) against the real enrollment
// service, where they used to run against a fake registry
// (httpapi/enrollment_pages_test.go): what a page shows is what the
// registry answered through the generated client. The fake clock stands at
// 2026-11-27.

// registryCaseworker is the seeded caseworker of startRealSystem's unit,
// for the registry's own answers.
func registryCaseworker(s *realSystem) auth.Identity {
	return auth.Identity{UserID: "u-seed-cw", Name: "王芳", Roles: []auth.Role{auth.RoleCaseworker}, Units: []string{s.unit}}
}

// newRegistryMember registers a police officer hired in 2010 in the unit
// through the registry's API and returns the id.
func newRegistryMember(t *testing.T, s *realSystem, name string, seq int) string {
	t.Helper()
	return s.call(t, registryCaseworker(s), "POST", "/api/v1/enrollment/members", map[string]any{
		"unit_id": s.unit, "name": name, "category": "police", "post": map[string]any{"frontline": true},
		"id_number": idcard.Generate("110105", time.Date(1980, 1, 2, 0, 0, 0, 0, time.UTC), seq*2+1, true), "hire_date": "2010-07-01",
	}, http.StatusCreated)["id"].(string)
}

// registryMember reads a member as the registry holds it.
func registryMember(t *testing.T, s *realSystem, id string) map[string]any {
	t.Helper()
	return s.call(t, registryCaseworker(s), "GET", "/api/v1/enrollment/members/"+id, nil, http.StatusOK)
}

// TestMemberListAndRegistrationAgainstRealServices: the list filters by
// name and names units; a member's page, an unknown member (404), the
// registry closed to officers; then registration — refusals beside their
// fields with everything typed kept, the member registered, the same
// number refused — and editing at a version.
func TestMemberListAndRegistrationAgainstRealServices(t *testing.T) {
	s := startRealSystem(t)
	cw := journeySignIn(t, s.gateway, "caseworker")
	zhang := idcard.Generate("110105", time.Date(1985, 3, 4, 0, 0, 0, 0, time.UTC), 11, true)

	st, body := cw.get("/work/members?name=张")
	want(t, "members", st, body, http.StatusOK, idcard.Mask(zhang), "县委政法委 / 县公安局", `href="/work/members/new"`)
	st, body = cw.get("/work/members/" + s.member)
	want(t, "member", st, body, http.StatusOK, "张伟", "配偶", "刘敏")
	for _, p := range []string{"/work/members/" + uuid.NewString(), "/work/members/m-404"} {
		if st, _ := cw.get(p); st != http.StatusNotFound {
			t.Errorf("unknown member %s = %d", p, st)
		}
	}
	officer := journeySignIn(t, s.gateway, "officer")
	if st, _ := officer.get("/work/members"); st != http.StatusForbidden {
		t.Errorf("officer on the registry = %d", st)
	}

	// Register: the form offers the caseworker's unit, chosen from ?unit=.
	st, body = cw.get("/work/members/new?unit=" + s.unit)
	want(t, "register form", st, body, http.StatusOK, `<option value="`+s.unit+`" selected>县委政法委 / 县公安局</option>`,
		`name="id_number"`, `<option value="auxiliary_police">辅警</option>`)
	before := s.call(t, registryCaseworker(s), "GET", "/api/v1/enrollment/members?limit=1", nil, http.StatusOK)["total"]
	bad := url.Values{"name": {"王五"}, "id_number": {"123"}, "category": {"police"}, "unit_id": {s.unit}, "frontline": {"1"},
		"phone": {"13800138000"}, "hire_date": {"2010-7-1"}, "aux_duty": {"duty"}}
	// A date that is none is said beside it before the registry is asked
	// (the generated client carries dates typed).
	st, _, body = cw.post("/work/members", bad)
	want(t, "registration with a mistyped date", st, body, http.StatusUnprocessableEntity,
		`id="hire_date-error"`, i18n.T(i18n.ZH, "field.date"), `value="王五"`, `value="123"`, `value="13800138000"`, `value="2010-7-1"`,
		`<option value="`+s.unit+`" selected>`, `<option value="police" selected>`, `<option value="duty" selected>`, `name="frontline" value="1" checked`)
	// The registry's refusals come back beside their fields, all at once.
	bad.Set("hire_date", "2010-07-01")
	st, _, body = cw.post("/work/members", bad)
	want(t, "refused registration", st, body, http.StatusUnprocessableEntity,
		`id="id_number-error"`, `id="aux_duty-error"`, i18n.T(i18n.ZH, "enrollment.post.aux_only"),
		`value="王五"`, `value="123"`, `value="13800138000"`, `value="2010-07-01"`, `<option value="`+s.unit+`" selected>`,
		`<option value="police" selected>`, `<option value="duty" selected>`, `name="frontline" value="1" checked`)
	if after := s.call(t, registryCaseworker(s), "GET", "/api/v1/enrollment/members?limit=1", nil, http.StatusOK)["total"]; after != before {
		t.Fatalf("a refused registration was stored: %v members, were %v", after, before)
	}
	number := idcard.Generate("110105", time.Date(1985, 3, 4, 0, 0, 0, 0, time.UTC), 1, true)
	good := url.Values{"name": {"王五"}, "id_number": {number}, "category": {"police"}, "unit_id": {s.unit}, "frontline": {"1"},
		"phone": {"13800138000"}, "hire_date": {"2010-07-01"}}
	st, loc, body := cw.post("/work/members", good)
	if st != http.StatusSeeOther || !strings.HasPrefix(loc, "/work/members/") || !strings.HasSuffix(loc, "?m=registered") {
		t.Fatalf("registration = %d %s %s", st, loc, snippet(body))
	}
	member := strings.TrimSuffix(loc, "?m=registered")
	st, body = cw.get(loc)
	want(t, "registered member", st, body, http.StatusOK, "已登记。", "王五", idcard.Mask(number), "县公安局")
	st, _, body = cw.post("/work/members", good)
	want(t, "same number again", st, body, http.StatusConflict, `id="id_number-error"`, "该身份证号码已登记", `value="王五"`)

	// Edit at the version the form showed; the number left empty is read
	// whole from the registry and sent back unchanged.
	st, body = cw.get(member + "/edit")
	want(t, "edit form", st, body, http.StatusOK, `value="王五"`, `name="version" value="1"`, "现为 "+idcard.Mask(number),
		`value="2010-07-01"`, `name="frontline" value="1" checked`)
	form := url.Values{"name": {"王五丰"}, "id_number": {""}, "category": {"police"}, "unit_id": {s.unit}, "frontline": {"1"},
		"phone": {"13800138000"}, "hire_date": {"2010-13-01"}, "version": {"1"}}
	st, _, body = cw.post(member, form)
	want(t, "refused edit", st, body, http.StatusUnprocessableEntity, `id="hire_date-error"`, `value="王五丰"`, `value="2010-13-01"`)
	form.Set("hire_date", "2010-07-01")
	if st, loc, body := cw.post(member, form); st != http.StatusSeeOther || loc != member+"?m=saved" {
		t.Fatalf("edit = %d %s %s", st, loc, snippet(body))
	}
	if got := registryMember(t, s, strings.TrimPrefix(member, "/work/members/")); got["name"] != "王五丰" || got["id_number_masked"] != idcard.Mask(number) {
		t.Errorf("registry after the edit: %v", got)
	}
	st, body = cw.get(member + "?m=saved")
	want(t, "edited member", st, body, http.StatusOK, "已保存。", "王五丰")
	// The form read at version 1 is stale now: the fresh record, said so.
	form.Set("name", "王五疯")
	st, _, body = cw.post(member, form)
	want(t, "stale edit", st, body, http.StatusConflict, "刚被他人修改", `value="王五丰"`, `name="version" value="2"`)
	if st, _, _ := cw.post(member, url.Values{"name": {"x"}}); st != http.StatusBadRequest {
		t.Errorf("edit without a version = %d", st)
	}
	if st, _ := cw.get("/work/members/" + uuid.NewString() + "/edit"); st != http.StatusNotFound {
		t.Errorf("edit of an unknown member = %d", st)
	}
}

// TestMemberRecordChangesAgainstRealServices: a death and a change of
// status, each confirmed first; dependants added and removed (asked
// first); every form refused to officers.
func TestMemberRecordChangesAgainstRealServices(t *testing.T) {
	s := startRealSystem(t)
	cw := journeySignIn(t, s.gateway, "caseworker")

	// A death, with its confirmation step.
	dead := "/work/members/" + newRegistryMember(t, s, "赵六", 2)
	st, body := cw.get(dead)
	want(t, "member page", st, body, http.StatusOK, `action="`+dead+`/death"`, `<option value="line_of_duty">因公牺牲</option>`)
	death := url.Values{"version": {"1"}, "death_date": {"2026/02/01"}, "death_cause": {"hero"}}
	st, _, body = cw.post(dead+"/death", death)
	want(t, "bad death form", st, body, http.StatusUnprocessableEntity, `id="death_date-error"`, `id="death_cause-error"`, `value="2026/02/01"`,
		`id="record-death" open`)
	death.Set("death_date", "2026-02-01")
	death.Set("death_cause", "line_of_duty")
	st, _, body = cw.post(dead+"/death", death)
	want(t, "confirmation", st, body, http.StatusOK, "将登记 赵六 于 2026-02-01 死亡，原因：因公牺牲。", `name="confirm" value="1"`, "确认登记死亡",
		`name="death_cause" value="line_of_duty"`, `name="version" value="1"`)
	if got := registryMember(t, s, strings.TrimPrefix(dead, "/work/members/")); got["status"] != "active" {
		t.Fatal("the death was recorded before it was confirmed")
	}
	death.Set("confirm", "1")
	death.Set("death_date", "2026-12-01")
	st, _, body = cw.post(dead+"/death", death)
	want(t, "death in the future", st, body, http.StatusUnprocessableEntity, `id="death_date-error"`, "日期不能晚于今天", `value="2026-12-01"`,
		`id="record-death" open`)
	death.Set("death_date", "2026-02-01")
	death.Set("version", "7")
	st, _, body = cw.post(dead+"/death", death)
	want(t, "stale death", st, body, http.StatusConflict, "刚被他人修改", `value="2026-02-01"`, `name="version" value="1"`)
	death.Set("version", "1")
	if st, loc, body := cw.post(dead+"/death", death); st != http.StatusSeeOther || loc != dead+"?m=death" {
		t.Fatalf("death = %d %s %s", st, loc, snippet(body))
	}
	st, body = cw.get(dead + "?m=death")
	want(t, "deceased member", st, body, http.StatusOK, "已登记死亡。", `id="member-status">已故`, `id="death-cause">因公牺牲`, "2026-02-01")
	if strings.Contains(body, dead+`/edit"`) || strings.Contains(body, `action="`+dead+`/death"`) {
		t.Error("a closed record still offers edits or another death")
	}
	st, body = cw.get(dead + "/edit")
	want(t, "edit of a closed record", st, body, http.StatusOK, "记录已关闭")

	// A retirement, with its confirmation step.
	retired := "/work/members/" + newRegistryMember(t, s, "钱七", 3)
	status := url.Values{"version": {"1"}, "status": {"deceased"}, "status_date": {"2026-01-31"}}
	st, _, body = cw.post(retired+"/status", status)
	want(t, "bad status", st, body, http.StatusUnprocessableEntity, `id="status-error"`, `value="2026-01-31"`, `id="change-status" open`)
	status.Set("status", "retired")
	st, _, body = cw.post(retired+"/status", status)
	want(t, "status confirmation", st, body, http.StatusOK, "将登记 钱七 自 2026-01-31 起变动为「退休」。", "有效保险在当日终止", "确认登记变动")
	status.Set("confirm", "1")
	if st, loc, body := cw.post(retired+"/status", status); st != http.StatusSeeOther || loc != retired+"?m=status" {
		t.Fatalf("retire = %d %s %s", st, loc, snippet(body))
	}
	st, body = cw.get(retired + "?m=status")
	want(t, "retired member", st, body, http.StatusOK, "已登记状态变动。", `id="member-status">退休`, `<option value="active">重新入职（在职）</option>`)

	// Dependants: a refused one keeps what was typed; a child added; the
	// spouse removed after a confirmation that names her.
	familyID := newRegistryMember(t, s, "孙八", 4)
	family := "/work/members/" + familyID
	spouse := s.call(t, registryCaseworker(s), "POST", "/api/v1/enrollment/members/"+familyID+"/dependants", map[string]any{
		"relation": "spouse", "name": "李四", "id_number": idcard.Generate("110105", time.Date(1982, 2, 3, 0, 0, 0, 0, time.UTC), 42, false),
	}, http.StatusOK, "If-Match", `"1"`)
	spouseID := dependantID(t, spouse, "李四")
	dep := url.Values{"version": {"2"}, "relation": {""}, "dep_name": {""}, "dep_id_number": {"1101"}, "dep_phone": {"13900139000"}}
	st, _, body = cw.post(family+"/dependants", dep)
	want(t, "refused dependant", st, body, http.StatusUnprocessableEntity, `id="relation-error"`, `id="dep_name-error"`, `id="dep_id_number-error"`,
		`value="1101"`, `value="13900139000"`, `id="add-dependant" open`)
	dep.Set("relation", "child")
	dep.Set("dep_name", "孙小明")
	dep.Set("dep_id_number", idcard.Generate("110105", time.Date(2010, 9, 1, 0, 0, 0, 0, time.UTC), 13, true))
	if st, loc, body := cw.post(family+"/dependants", dep); st != http.StatusSeeOther || loc != family+"?m=dependant_added" {
		t.Fatalf("add dependant = %d %s %s", st, loc, snippet(body))
	}
	st, body = cw.get(family + "?m=dependant_added")
	remove := family + "/dependants/" + spouseID + "/remove"
	want(t, "member with the child", st, body, http.StatusOK, "已添加家属。", "孙小明", "子女", "移除家属 李四", `action="`+remove+`"`, `name="version" value="3"`)
	st, _, body = cw.post(remove, url.Values{"version": {"3"}})
	want(t, "removal asks first", st, body, http.StatusOK, "确认从 孙八 的家属中移除 李四？", `action="`+remove+`"`, `name="confirm" value="1"`, "确认移除")
	if deps, _ := registryMember(t, s, familyID)["dependants"].([]any); len(deps) != 2 {
		t.Fatalf("removed before it was confirmed: %v", deps)
	}
	st, _, body = cw.post(remove, url.Values{"version": {"2"}})
	want(t, "stale removal", st, body, http.StatusConflict, "刚被他人修改")
	if st, loc, body := cw.post(remove, url.Values{"version": {"3"}, "confirm": {"1"}}); st != http.StatusSeeOther || loc != family+"?m=dependant_removed" {
		t.Fatalf("remove = %d %s %s", st, loc, snippet(body))
	}
	st, body = cw.get(family + "?m=dependant_removed")
	want(t, "member without the spouse", st, body, http.StatusOK, "已移除家属。", "孙小明")
	if strings.Contains(body, "李四") {
		t.Error("the removed dependant is still listed")
	}
	if st, _, _ := cw.post(family+"/dependants/"+uuid.NewString()+"/remove", url.Values{"version": {"4"}}); st != http.StatusNotFound {
		t.Errorf("removing an unknown dependant = %d", st)
	}

	// Officers may use none of the forms, and the registry is unchanged.
	officer := journeySignIn(t, s.gateway, "officer")
	m := "/work/members/" + s.member
	for _, p := range []string{"/work/members/new", m + "/edit"} {
		if st, _ := officer.get(p); st != http.StatusForbidden {
			t.Errorf("officer GET %s = %d", p, st)
		}
	}
	was := registryMember(t, s, s.member)
	for _, p := range []string{"/work/members", m, m + "/death", m + "/status", m + "/dependants", m + "/dependants/" + uuid.NewString() + "/remove", m + "/enrollments"} {
		form := url.Values{"name": {"王五"}, "id_number": {idcard.Generate("110105", time.Date(1985, 3, 4, 0, 0, 0, 0, time.UTC), 5, true)},
			"category": {"police"}, "unit_id": {s.unit}, "hire_date": {"2010-07-01"}, "version": {"2"}, "confirm": {"1"},
			"death_date": {"2026-02-01"}, "death_cause": {"line_of_duty"}}
		if st, _, _ := officer.post(p, form); st != http.StatusForbidden {
			t.Errorf("officer POST %s = %d", p, st)
		}
	}
	if now := registryMember(t, s, s.member); now["version"] != was["version"] || now["status"] != "active" {
		t.Errorf("an officer's form changed the registry: %v", now)
	}
}

// dependantID is the id of the dependant named name in a member as the
// registry answered it.
func dependantID(t *testing.T, member map[string]any, name string) string {
	t.Helper()
	deps, _ := member["dependants"].([]any)
	for _, d := range deps {
		if d := d.(map[string]any); d["name"] == name {
			return d["id"].(string)
		}
	}
	t.Fatalf("no dependant %s in %v", name, member)
	return ""
}

var rosterContent = regexp.MustCompile(`name="content" value="([^"]+)"`)

// upload sends a roster file as the roster form does, with the form token
// of the user's account page.
func (cl *client) upload(p, name string, content []byte) (int, string) {
	cl.t.Helper()
	_, page := cl.get("/account")
	m := tokenRE.FindStringSubmatch(page)
	if m == nil {
		cl.t.Fatal("no form token on /account")
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("csrf_token", m[1])
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write(content)
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, cl.base+p, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	r, err := cl.c.Do(req)
	if err != nil {
		cl.t.Fatal(err)
	}
	defer r.Body.Close()
	var out bytes.Buffer
	_, _ = out.ReadFrom(r.Body)
	return r.StatusCode, out.String()
}

// TestRosterDryRunThenImportAgainstRealServices: a roster with a wrong
// identity number is previewed with its problem, the column named in the
// reader's language, and nothing written; a PDF is refused; a good roster
// is previewed, then imported from the file the preview carried.
func TestRosterDryRunThenImportAgainstRealServices(t *testing.T) {
	s := startRealSystem(t)
	cw := journeySignIn(t, s.gateway, "caseworker")
	if st, body := cw.get("/work/roster"); st != http.StatusOK || !strings.Contains(body, `name="file"`) {
		t.Fatalf("roster page = %d %s", st, snippet(body))
	}
	before := s.call(t, registryCaseworker(s), "GET", "/api/v1/enrollment/members?limit=1", nil, http.StatusOK)["total"]
	wrong := idcard.Generate("110105", time.Date(1990, 1, 2, 0, 0, 0, 0, time.UTC), 51, true)
	wrong = wrong[:17] + map[bool]string{true: "1", false: "2"}[wrong[17] != '1'] // a wrong check digit
	st, body := cw.upload("/work/roster", "roster.csv", []byte("单位编码,姓名,人员类别,身份证号码,入职日期\nGAJ,坏人,police,"+wrong+",2015-07-01\n"))
	want(t, "dry run with problems", st, body, http.StatusOK, `id="problems"`, "<td>身份证号</td>")
	if strings.Contains(body, `name="confirm"`) || strings.Contains(body, "<td>id_number</td>") {
		t.Errorf("a roster with problems offers the import, or names the column by its key: %s", snippet(body))
	}
	if after := s.call(t, registryCaseworker(s), "GET", "/api/v1/enrollment/members?limit=1", nil, http.StatusOK)["total"]; after != before {
		t.Fatalf("a dry run wrote: %v members, were %v", after, before)
	}
	if st, body := cw.upload("/work/roster", "roster.pdf", []byte("x")); st != http.StatusUnprocessableEntity {
		t.Errorf("pdf = %d %s", st, snippet(body))
	}

	good := []byte("单位编码,姓名,人员类别,身份证号码,入职日期\n" +
		"GAJ,周九,police," + idcard.Generate("110105", time.Date(1990, 1, 2, 0, 0, 0, 0, time.UTC), 52, true) + ",2015-07-01\n" +
		"GAJ,吴十,police," + idcard.Generate("110105", time.Date(1991, 2, 3, 0, 0, 0, 0, time.UTC), 53, true) + ",2016-07-01\n")
	st, preview := cw.upload("/work/roster", "roster.csv", good)
	m := rosterContent.FindStringSubmatch(preview)
	if st != http.StatusOK || m == nil || !strings.Contains(preview, "新增 2 人") {
		t.Fatalf("preview = %d %s", st, snippet(preview))
	}
	st, _, body = cw.post("/work/roster", url.Values{"confirm": {"1"}, "file_name": {"roster.csv"}, "content": {html.UnescapeString(m[1])}})
	want(t, "import", st, body, http.StatusOK, `id="imported"`)
	for _, name := range []string{"周九", "吴十"} {
		got := s.call(t, registryCaseworker(s), "GET", "/api/v1/enrollment/members?name="+url.QueryEscape(name), nil, http.StatusOK)
		if ms, _ := got["members"].([]any); len(ms) != 1 {
			t.Errorf("the registry has %v for %s", got["members"], name)
		}
	}
}

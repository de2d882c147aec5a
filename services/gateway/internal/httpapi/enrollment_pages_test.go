package httpapi_test

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
)

// upload posts a file as the roster form does.
func (b *browser) upload(path, token, name string, content []byte) response {
	b.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("csrf_token", token)
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write(content)
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, b.e.srv.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return b.do(req)
}

func TestMembersPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("case1", domain.RoleCaseworker)
	e.user("officer1", domain.RoleOfficer)
	b := e.browser()
	b.signIn("case1")
	list := b.get("/work/members?name=张")
	if list.status != http.StatusOK || !strings.Contains(list.body, "110105********002X") || !strings.Contains(list.body, "城关派出所") {
		t.Fatalf("members %d", list.status)
	}
	one := b.get("/work/members/m-1")
	if one.status != http.StatusOK || !strings.Contains(one.body, "李四") || !strings.Contains(one.body, "配偶") {
		t.Fatalf("member %d", one.status)
	}
	if r := b.get("/work/members/m-404"); r.status != http.StatusNotFound {
		t.Errorf("unknown member = %d", r.status)
	}
	o := e.browser()
	o.signIn("officer1")
	if r := o.get("/work/members"); r.status != http.StatusForbidden {
		t.Errorf("officer on the registry = %d", r.status)
	}
}

var hiddenContent = regexp.MustCompile(`name="content" value="([^"]+)"`)

func TestRosterDryRunThenImport(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("case1", domain.RoleCaseworker)
	b := e.browser()
	b.signIn("case1")
	tok := b.token("/work/roster")

	bad := b.upload("/work/roster", tok, "roster.csv", []byte("单位编码,姓名\nGA01,bad\n"))
	if bad.status != http.StatusOK || !strings.Contains(bad.body, `id="problems"`) || !strings.Contains(bad.body, "身份证号校验位不正确") ||
		strings.Contains(bad.body, `name="confirm"`) {
		t.Fatalf("dry run with problems = %d", bad.status)
	}
	if len(e.enrollment.imported) != 0 {
		t.Fatal("a dry run wrote")
	}
	if r := b.upload("/work/roster", tok, "roster.pdf", []byte("x")); r.status != http.StatusUnprocessableEntity {
		t.Errorf("pdf = %d", r.status)
	}

	good := []byte("单位编码,姓名\nGA01,王五\n")
	preview := b.upload("/work/roster", tok, "roster.csv", good)
	m := hiddenContent.FindStringSubmatch(preview.body)
	if preview.status != http.StatusOK || m == nil || !strings.Contains(preview.body, "新增 2 人") {
		t.Fatalf("preview = %d", preview.status)
	}
	done := b.post("/work/roster", url.Values{"csrf_token": {tok}, "confirm": {"1"}, "file_name": {"roster.csv"}, "content": {html.UnescapeString(m[1])}})
	if done.status != http.StatusOK || !strings.Contains(done.body, `id="imported"`) {
		t.Fatalf("import = %d", done.status)
	}
	if len(e.enrollment.imported) != 1 || !bytes.Equal(e.enrollment.imported[0], good) {
		t.Fatalf("service received %q", e.enrollment.imported)
	}
}

// fakeRegistry is the member registry behind the member pages' forms:
// members with versions, dependants, one plan and enrollments, answering
// as api/openapi/enrollment.yaml says (If-Match, 409 version_mismatch,
// 422 with per-field messages in Chinese).
type fakeRegistry struct {
	members  map[string]*fakeMember
	seq      int
	revealed int              // full identity numbers read
	puts     []map[string]any // bodies of PUT /members/{id}
}

type fakeMember struct {
	ID, UnitID, Name, Category, IDNumber, Phone, HireDate, ServiceStart string
	Status, StatusDate, DeathCause                                      string
	Post                                                                map[string]any
	Dependants                                                          []map[string]string
	Enrollments                                                         []map[string]any
	Version                                                             int64
}

const fakePlanName = "2026年度干警意外伤害保险"

func maskID(n string) string {
	if len(n) != 18 {
		return n
	}
	return n[:6] + "********" + n[14:]
}

func (m *fakeMember) view() map[string]any {
	deps := []map[string]string{}
	for _, d := range m.Dependants {
		deps = append(deps, map[string]string{"id": d["id"], "relation": d["relation"], "name": d["name"], "id_number_masked": maskID(d["id_number"])})
	}
	return map[string]any{"id": m.ID, "unit_id": m.UnitID, "name": m.Name, "category": m.Category, "post": m.Post,
		"id_number_masked": maskID(m.IDNumber), "birth_date": m.IDNumber[6:10] + "-" + m.IDNumber[10:12] + "-" + m.IDNumber[12:14],
		"sex": "M", "phone": m.Phone, "hire_date": m.HireDate, "service_start": m.ServiceStart, "status": m.Status,
		"status_date": m.StatusDate, "death_cause": m.DeathCause, "honours": []any{}, "dependants": deps,
		"beneficiaries": map[string]any{}, "version": m.Version}
}

// reg is the registry, made on first use with member m-1 (张三, spouse 李四).
// The caller holds f.mu.
func (f *fakeEnrollment) reg() *fakeRegistry {
	if f.registry == nil {
		f.registry = &fakeRegistry{members: map[string]*fakeMember{"m-1": {
			ID: "m-1", UnitID: "u-1", Name: "张三", Category: "police", IDNumber: "11010519491231002X", HireDate: "1970-07-01",
			ServiceStart: "1970-07-01", Status: "active", Post: map[string]any{"frontline": true, "high_risk": false}, Version: 3,
			Dependants: []map[string]string{{"id": "d-1", "relation": "spouse", "name": "李四", "id_number": "110105195001010021"}},
		}}}
	}
	return f.registry
}

// registryState reads the registry under the fake's lock.
func (f *fakeEnrollment) registryState(read func(r *fakeRegistry)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	read(f.reg())
}

// registryProblem answers a refusal with a readable title.
func registryProblem(w http.ResponseWriter, status int, code, title string, fields ...[2]string) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	p := map[string]any{"type": "urn:anxin:problem:" + code, "title": title, "status": status, "code": code}
	var errs []map[string]string
	for _, f := range fields {
		errs = append(errs, map[string]string{"field": f[0], "code": "enrollment.invalid", "message": f[1]})
	}
	if errs != nil {
		p["errors"] = errs
	}
	_ = json.NewEncoder(w).Encode(p)
}

func validDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

// memberProblems checks a MemberInput.
func memberProblems(body map[string]any) [][2]string {
	var out [][2]string
	str := func(k string) string { s, _ := body[k].(string); return s }
	if str("name") == "" {
		out = append(out, [2]string{"name", "请填写姓名"})
	}
	if len(str("id_number")) != 18 {
		out = append(out, [2]string{"id_number", "身份证号码应为 18 位"})
	}
	if !slices.Contains([]string{"police", "judicial_police", "judge", "prosecutor", "civil_servant", "auxiliary_police"}, str("category")) {
		out = append(out, [2]string{"category", "请选择人员类别"})
	}
	if str("unit_id") != "u-1" {
		out = append(out, [2]string{"unit_id", "单位不存在或不归您管理"})
	}
	if !validDate(str("hire_date")) {
		out = append(out, [2]string{"hire_date", "入职日期格式不正确"})
	}
	if post, _ := body["post"].(map[string]any); post["aux_duty"] != nil && str("category") != "auxiliary_police" {
		out = append(out, [2]string{"post.aux_duty", "仅辅警填写岗位类型"})
	}
	return out
}

// serveRegistry answers the registry's member, plan and enrollment calls;
// it reports false for anything else (members it does not hold included),
// which the rest of the fake answers. The caller holds f.mu.
func (f *fakeEnrollment) serveRegistry(w http.ResponseWriter, r *http.Request, path string) bool {
	reg := f.reg()
	var body map[string]any
	if r.Body != nil && (r.Method == http.MethodPost || r.Method == http.MethodPut) {
		raw, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(raw)) // for the rest of the fake (roster uploads)
		_ = json.Unmarshal(raw, &body)
	}
	str := func(k string) string { s, _ := body[k].(string); return s }
	ok := func(status int, v any) bool {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(v)
		return true
	}
	switch {
	case path == "/plans" && r.Method == http.MethodGet:
		return ok(http.StatusOK, map[string]any{"plans": []map[string]any{{"id": "p-1", "scheme": "personal_accident", "year": 2026,
			"name": fakePlanName, "coverage": map[string]string{"from": "2026-01-01", "to": "2026-12-31"}}}})
	case path == "/members" && r.Method == http.MethodPost:
		if ps := memberProblems(body); ps != nil {
			registryProblem(w, http.StatusUnprocessableEntity, "validation_failed", "请修改以下问题", ps...)
			return true
		}
		for _, m := range reg.members {
			if m.IDNumber == str("id_number") {
				registryProblem(w, http.StatusConflict, "enrollment.duplicate_member", "该身份证号码已登记")
				return true
			}
		}
		reg.seq++
		m := &fakeMember{ID: "m-r" + strconv.Itoa(reg.seq), UnitID: str("unit_id"), Name: str("name"), Category: str("category"),
			IDNumber: str("id_number"), Phone: str("phone"), HireDate: str("hire_date"), ServiceStart: cmp.Or(str("service_start"), str("hire_date")),
			Status: "active", Version: 1}
		m.Post, _ = body["post"].(map[string]any)
		reg.members[m.ID] = m
		return ok(http.StatusCreated, m.view())
	case path == "/enrollments" && r.Method == http.MethodPost:
		m := reg.members[str("member_id")]
		switch {
		case m == nil:
			registryProblem(w, http.StatusNotFound, "not_found", "未找到")
		case str("plan_id") != "p-1":
			registryProblem(w, http.StatusUnprocessableEntity, "validation_failed", "请修改以下问题", [2]string{"plan_id", "保险计划不存在"})
		case len(m.Enrollments) > 0:
			registryProblem(w, http.StatusConflict, "enrollment.overlap", "同一险种的参保期间不能重叠")
		default:
			e := map[string]any{"id": "e-1", "member_id": m.ID, "plan_id": "p-1", "scheme": "personal_accident", "plan_year": 2026,
				"period": map[string]string{"from": str("start"), "to": "2026-12-31"}, "covered_from": str("start"), "status": "active", "version": 1}
			m.Enrollments = append(m.Enrollments, e)
			return ok(http.StatusCreated, e)
		}
		return true
	}
	parts := strings.Split(strings.TrimPrefix(path, "/members/"), "/")
	if !strings.HasPrefix(path, "/members/") || reg.members[parts[0]] == nil {
		return false
	}
	m := reg.members[parts[0]]
	sub := strings.Join(parts[1:], "/")
	if r.Method == http.MethodGet {
		switch sub {
		case "":
			return ok(http.StatusOK, m.view())
		case "id-number":
			reg.revealed++
			return ok(http.StatusOK, map[string]string{"id_number": m.IDNumber})
		case "enrollments":
			// A page at a time, as the service answers (a limit the page
			// must ask for; an offset for a cursor).
			if r.URL.Query().Get("limit") == "" {
				problem(w, http.StatusUnprocessableEntity, "validation_failed", [2]string{"limit", "the page asks for no limit"})
				return true
			}
			es, next, done := fakePage(w, r, append([]map[string]any{}, m.Enrollments...))
			if !done {
				return true
			}
			return ok(http.StatusOK, map[string]any{"enrollments": es, "next": next})
		case "coverage":
			cov := map[string]any{"scheme": "personal_accident", "date": "2026-03-02", "covered": false, "reason": "enrollment.coverage.not_enrolled"}
			if len(m.Enrollments) > 0 {
				cov = map[string]any{"scheme": "personal_accident", "date": "2026-03-02", "covered": true, "plan_name": fakePlanName,
					"plan_year": 2026, "covered_from": m.Enrollments[0]["covered_from"]}
			}
			return ok(http.StatusOK, map[string]any{"member_id": m.ID, "date": "2026-03-02", "coverage": []any{cov}})
		}
		return false
	}
	// Every change needs the version read.
	v, err := strconv.ParseInt(strings.Trim(r.Header.Get("If-Match"), `"`), 10, 64)
	switch {
	case err != nil:
		registryProblem(w, http.StatusPreconditionRequired, "precondition_required", "需要 If-Match")
		return true
	case v != m.Version:
		registryProblem(w, http.StatusConflict, "version_mismatch", "数据已被他人修改")
		return true
	case m.Status == "deceased" && (sub == "" || sub == "death" || sub == "status"):
		registryProblem(w, http.StatusConflict, "enrollment.member_deceased", "该人员已故，记录已关闭")
		return true
	}
	var ps [][2]string
	switch {
	case r.Method == http.MethodPut && sub == "":
		reg.puts = append(reg.puts, body)
		if ps = memberProblems(body); ps == nil {
			m.Name, m.UnitID, m.Category, m.IDNumber, m.Phone, m.HireDate = str("name"), str("unit_id"), str("category"), str("id_number"), str("phone"), str("hire_date")
			m.ServiceStart = cmp.Or(str("service_start"), str("hire_date"))
			m.Post, _ = body["post"].(map[string]any)
		}
	case r.Method == http.MethodPost && sub == "death":
		if !slices.Contains([]string{"line_of_duty", "martyr", "illness", "other"}, str("cause")) {
			ps = append(ps, [2]string{"cause", "死亡原因不正确"})
		}
		if !validDate(str("date")) || str("date") > "2026-03-02" {
			ps = append(ps, [2]string{"date", "日期不能晚于今天"})
		}
		if ps == nil {
			m.Status, m.StatusDate, m.DeathCause = "deceased", str("date"), str("cause")
		}
	case r.Method == http.MethodPost && sub == "status":
		if !slices.Contains([]string{"retired", "left", "active"}, str("status")) {
			ps = append(ps, [2]string{"status", "状态不正确"})
		}
		if !validDate(str("date")) || str("date") > "2026-03-02" {
			ps = append(ps, [2]string{"date", "日期不能晚于今天"})
		}
		if ps == nil {
			m.Status, m.StatusDate = str("status"), str("date")
		}
	case r.Method == http.MethodPost && sub == "dependants":
		if !slices.Contains([]string{"spouse", "child", "parent", "sibling"}, str("relation")) {
			ps = append(ps, [2]string{"relation", "请选择与本人的关系"})
		}
		if str("name") == "" {
			ps = append(ps, [2]string{"name", "请填写姓名"})
		}
		if len(str("id_number")) != 18 {
			ps = append(ps, [2]string{"id_number", "身份证号码应为 18 位"})
		}
		if ps == nil {
			reg.seq++
			m.Dependants = append(m.Dependants, map[string]string{"id": "d-r" + strconv.Itoa(reg.seq), "relation": str("relation"),
				"name": str("name"), "id_number": str("id_number")})
		}
	case r.Method == http.MethodDelete && strings.HasPrefix(sub, "dependants/"):
		i := slices.IndexFunc(m.Dependants, func(d map[string]string) bool { return "dependants/"+d["id"] == sub })
		if i < 0 {
			registryProblem(w, http.StatusNotFound, "not_found", "未找到")
			return true
		}
		m.Dependants = slices.Delete(m.Dependants, i, i+1)
	default:
		return false
	}
	if ps != nil {
		registryProblem(w, http.StatusUnprocessableEntity, "validation_failed", "请修改以下问题", ps...)
		return true
	}
	m.Version++
	return ok(http.StatusOK, m.view())
}

// memberForm is a valid register form.
func memberForm(tok, name, idNumber string) url.Values {
	return url.Values{"csrf_token": {tok}, "name": {name}, "id_number": {idNumber}, "category": {"police"}, "unit_id": {"u-1"},
		"frontline": {"1"}, "phone": {"13800138000"}, "hire_date": {"2010-07-01"}}
}

// mustContain fails for each wanted text the page lacks.
func mustContain(t *testing.T, what string, r response, status int, wants ...string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("%s = %d, want %d", what, r.status, status)
	}
	for _, w := range wants {
		if !strings.Contains(r.body, w) {
			t.Errorf("%s lacks %q", what, w)
		}
	}
	if k := catalogueKeyShown.FindString(r.body); k != "" {
		t.Errorf("%s shows the catalogue key %q", what, k)
	}
}

// catalogueKeyShown is a page text missing from the catalogue, shown as its key.
var catalogueKeyShown = regexp.MustCompile(`>[^<]*\bweb\.[a-z_]+\.[a-z_.]+[^<]*<`)

func TestRegisterMemberPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("case1", domain.RoleCaseworker)
	b := e.browser()
	b.signIn("case1")
	mustContain(t, "members list", b.get("/work/members"), http.StatusOK, `href="/work/members/new"`)
	mustContain(t, "register form", b.get("/work/members/new?unit=u-1"), http.StatusOK,
		`<option value="u-1" selected>城关派出所</option>`, `name="id_number"`, `<option value="auxiliary_police">辅警</option>`)
	tok := b.token("/work/members/new")

	bad := memberForm(tok, "王五", "123")
	bad.Set("hire_date", "2010-7-1")
	bad.Set("aux_duty", "duty")
	mustContain(t, "refused registration", b.post("/work/members", bad), http.StatusUnprocessableEntity,
		`id="id_number-error"`, "身份证号码应为 18 位", `id="hire_date-error"`, "入职日期格式不正确", `id="aux_duty-error"`, "仅辅警填写岗位类型",
		`value="王五"`, `value="123"`, `value="13800138000"`, `value="2010-7-1"`, `<option value="u-1" selected>`,
		`<option value="police" selected>`, `<option value="duty" selected>`, `name="frontline" value="1" checked`)
	e.enrollment.registryState(func(r *fakeRegistry) {
		if len(r.members) != 1 {
			t.Fatalf("a refused registration was stored: %d members", len(r.members))
		}
	})

	good := b.post("/work/members", memberForm(tok, "王五", "110105198503040011"))
	if good.status != http.StatusSeeOther || good.header.Get("Location") != "/work/members/m-r1?m=registered" {
		t.Fatalf("registration = %d %s", good.status, good.header.Get("Location"))
	}
	mustContain(t, "registered member", b.get(good.header.Get("Location")), http.StatusOK, "已登记。", "王五", "110105********0011", "城关派出所")
	mustContain(t, "same number again", b.post("/work/members", memberForm(tok, "王五", "110105198503040011")), http.StatusConflict,
		`id="id_number-error"`, "该身份证号码已登记", `value="王五"`)
}

func TestEditMemberPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("case1", domain.RoleCaseworker)
	b := e.browser()
	b.signIn("case1")
	mustContain(t, "edit form", b.get("/work/members/m-1/edit"), http.StatusOK,
		`value="张三"`, `name="version" value="3"`, "现为 110105********002X", `value="1970-07-01"`, `name="frontline" value="1" checked`)
	tok := b.token("/work/members/m-1/edit")
	form := memberForm(tok, "张三丰", "")
	form.Set("version", "3")
	form.Set("hire_date", "1970-13-01")
	mustContain(t, "refused edit", b.post("/work/members/m-1", form), http.StatusUnprocessableEntity,
		`id="hire_date-error"`, `value="张三丰"`, `value="1970-13-01"`)
	form.Set("hire_date", "1970-07-01")
	if r := b.post("/work/members/m-1", form); r.status != http.StatusSeeOther || r.header.Get("Location") != "/work/members/m-1?m=saved" {
		t.Fatalf("edit = %d %s", r.status, r.header.Get("Location"))
	}
	e.enrollment.registryState(func(r *fakeRegistry) {
		// The form leaves the number empty; the registry got it whole.
		if last := r.puts[len(r.puts)-1]; last["id_number"] != "11010519491231002X" || r.revealed != 2 {
			t.Errorf("PUT sent id %v after %d reveals", last["id_number"], r.revealed)
		}
	})
	mustContain(t, "edited member", b.get("/work/members/m-1?m=saved"), http.StatusOK, "已保存。", "张三丰")
	// The form read at version 3 is stale now: the fresh record, said so.
	form.Set("name", "张三疯")
	mustContain(t, "stale edit", b.post("/work/members/m-1", form), http.StatusConflict,
		"刚被他人修改", `value="张三丰"`, `name="version" value="4"`)
	if r := b.post("/work/members/m-1", url.Values{"csrf_token": {tok}, "name": {"x"}}); r.status != http.StatusBadRequest {
		t.Errorf("edit without a version = %d", r.status)
	}
	if r := b.get("/work/members/m-404/edit"); r.status != http.StatusNotFound {
		t.Errorf("edit of an unknown member = %d", r.status)
	}
}

func TestRecordDeathWithConfirmation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("case1", domain.RoleCaseworker)
	b := e.browser()
	b.signIn("case1")
	page := b.get("/work/members/m-1")
	mustContain(t, "member page", page, http.StatusOK, `action="/work/members/m-1/death"`, `<option value="line_of_duty">因公牺牲</option>`)
	tok := b.token("/work/members/m-1")
	death := url.Values{"csrf_token": {tok}, "version": {"3"}, "death_date": {"2026/02/01"}, "death_cause": {"hero"}}
	mustContain(t, "bad death form", b.post("/work/members/m-1/death", death), http.StatusUnprocessableEntity,
		`id="death_date-error"`, `id="death_cause-error"`, `value="2026/02/01"`, `id="record-death" open`)

	death.Set("death_date", "2026-02-01")
	death.Set("death_cause", "line_of_duty")
	mustContain(t, "confirmation", b.post("/work/members/m-1/death", death), http.StatusOK,
		"将登记 张三 于 2026-02-01 死亡，原因：因公牺牲。", `name="confirm" value="1"`, "确认登记死亡",
		`name="death_cause" value="line_of_duty"`, `name="version" value="3"`)
	e.enrollment.registryState(func(r *fakeRegistry) {
		if r.members["m-1"].Status != "active" {
			t.Fatal("the death was recorded before it was confirmed")
		}
	})

	death.Set("confirm", "1")
	death.Set("death_date", "2026-12-01")
	mustContain(t, "death in the future", b.post("/work/members/m-1/death", death), http.StatusUnprocessableEntity,
		`id="death_date-error"`, "日期不能晚于今天", `value="2026-12-01"`, `id="record-death" open`)
	death.Set("death_date", "2026-02-01")
	death.Set("version", "2")
	mustContain(t, "stale death", b.post("/work/members/m-1/death", death), http.StatusConflict,
		"刚被他人修改", `value="2026-02-01"`, `name="version" value="3"`)

	death.Set("version", "3")
	done := b.post("/work/members/m-1/death", death)
	if done.status != http.StatusSeeOther || done.header.Get("Location") != "/work/members/m-1?m=death" {
		t.Fatalf("death = %d %s", done.status, done.header.Get("Location"))
	}
	after := b.get(done.header.Get("Location"))
	mustContain(t, "deceased member", after, http.StatusOK, "已登记死亡。", `id="member-status">已故`, `id="death-cause">因公牺牲`, "2026-02-01")
	if strings.Contains(after.body, `/work/members/m-1/edit"`) || strings.Contains(after.body, `action="/work/members/m-1/death"`) {
		t.Error("a closed record still offers edits or another death")
	}
	mustContain(t, "edit of a closed record", b.get("/work/members/m-1/edit"), http.StatusOK, "记录已关闭")
}

func TestChangeMemberStatus(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("case1", domain.RoleCaseworker)
	b := e.browser()
	b.signIn("case1")
	tok := b.token("/work/members/m-1")
	st := url.Values{"csrf_token": {tok}, "version": {"3"}, "status": {"deceased"}, "status_date": {"2026-01-31"}}
	mustContain(t, "bad status", b.post("/work/members/m-1/status", st), http.StatusUnprocessableEntity,
		`id="status-error"`, `value="2026-01-31"`, `id="change-status" open`)
	st.Set("status", "retired")
	mustContain(t, "status confirmation", b.post("/work/members/m-1/status", st), http.StatusOK,
		"将登记 张三 自 2026-01-31 起变动为「退休」。", "有效保险在当日终止", "确认登记变动")
	st.Set("confirm", "1")
	if r := b.post("/work/members/m-1/status", st); r.status != http.StatusSeeOther || r.header.Get("Location") != "/work/members/m-1?m=status" {
		t.Fatalf("retire = %d %s", r.status, r.header.Get("Location"))
	}
	mustContain(t, "retired member", b.get("/work/members/m-1?m=status"), http.StatusOK, "已登记状态变动。", `id="member-status">退休`,
		`<option value="active">重新入职（在职）</option>`)
}

func TestMemberDependantsForms(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("case1", domain.RoleCaseworker)
	b := e.browser()
	b.signIn("case1")
	tok := b.token("/work/members/m-1")
	dep := url.Values{"csrf_token": {tok}, "version": {"3"}, "relation": {""}, "dep_name": {""}, "dep_id_number": {"1101"}, "dep_phone": {"13900139000"}}
	mustContain(t, "refused dependant", b.post("/work/members/m-1/dependants", dep), http.StatusUnprocessableEntity,
		`id="relation-error"`, "请选择与本人的关系", `id="dep_name-error"`, `id="dep_id_number-error"`, `value="1101"`, `value="13900139000"`,
		`id="add-dependant" open`)
	dep.Set("relation", "child")
	dep.Set("dep_name", "张小明")
	dep.Set("dep_id_number", "110105201009010013")
	if r := b.post("/work/members/m-1/dependants", dep); r.status != http.StatusSeeOther || r.header.Get("Location") != "/work/members/m-1?m=dependant_added" {
		t.Fatalf("add dependant = %d %s", r.status, r.header.Get("Location"))
	}
	mustContain(t, "member with the child", b.get("/work/members/m-1?m=dependant_added"), http.StatusOK, "已添加家属。", "张小明", "子女", "移除家属 李四",
		`action="/work/members/m-1/dependants/d-1/remove"`, `name="version" value="4"`)
	if r := b.post("/work/members/m-1/dependants/d-1/remove", url.Values{"csrf_token": {tok}, "version": {"3"}}); r.status != http.StatusConflict ||
		!strings.Contains(r.body, "刚被他人修改") {
		t.Errorf("stale removal = %d", r.status)
	}
	if r := b.post("/work/members/m-1/dependants/d-1/remove", url.Values{"csrf_token": {tok}, "version": {"4"}, "confirm": {"1"}}); r.status != http.StatusSeeOther {
		t.Fatalf("remove = %d", r.status)
	}
	after := b.get("/work/members/m-1?m=dependant_removed")
	mustContain(t, "member without the spouse", after, http.StatusOK, "已移除家属。", "张小明")
	if strings.Contains(after.body, "李四") {
		t.Error("the removed dependant is still listed")
	}
	if r := b.post("/work/members/m-1/dependants/d-404/remove", url.Values{"csrf_token": {tok}, "version": {"5"}}); r.status != http.StatusNotFound {
		t.Errorf("removing an unknown dependant = %d", r.status)
	}
}

func TestEnrolMemberInAPlan(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("case1", domain.RoleCaseworker)
	b := e.browser()
	b.signIn("case1")
	mustContain(t, "member insurance", b.get("/work/members/m-1"), http.StatusOK, `id="coverage"`, "人身意外伤害保险", "未参保", "尚无参保记录。",
		`<option value="p-1">2026 年度 2026年度干警意外伤害保险 · 人身意外伤害保险</option>`)
	tok := b.token("/work/members/m-1")
	enrol := url.Values{"csrf_token": {tok}, "plan_id": {""}, "start": {"March"}}
	mustContain(t, "bad enrolment", b.post("/work/members/m-1/enrollments", enrol), http.StatusUnprocessableEntity,
		`id="plan_id-error"`, `id="start-error"`, `value="March"`, `id="enrol" open`)
	enrol.Set("plan_id", "p-9")
	enrol.Set("start", "2026-03-01")
	mustContain(t, "unknown plan", b.post("/work/members/m-1/enrollments", enrol), http.StatusUnprocessableEntity, "保险计划不存在")
	enrol.Set("plan_id", "p-1")
	if r := b.post("/work/members/m-1/enrollments", enrol); r.status != http.StatusSeeOther || r.header.Get("Location") != "/work/members/m-1?m=enrolled" {
		t.Fatalf("enrol = %d %s", r.status, r.header.Get("Location"))
	}
	mustContain(t, "enrolled member", b.get("/work/members/m-1?m=enrolled"), http.StatusOK, "已参保。", `id="enrollments"`, fakePlanName,
		"2026-03-01 – 2026-12-31", "在保")
	mustContain(t, "overlapping enrolment", b.post("/work/members/m-1/enrollments", enrol), http.StatusConflict,
		"同一险种的参保期间不能重叠", `<option value="p-1" selected>`)
}

// TestMemberFormsRefuseOfficers posts every member form as an officer:
// each answers 403 and the registry is unchanged.
func TestMemberFormsRefuseOfficers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("officer1", domain.RoleOfficer)
	b := e.browser()
	b.signIn("officer1")
	tok := b.token("/account")
	for _, path := range []string{"/work/members/new", "/work/members/m-1/edit"} {
		if r := b.get(path); r.status != http.StatusForbidden {
			t.Errorf("officer GET %s = %d", path, r.status)
		}
	}
	for _, path := range []string{"/work/members", "/work/members/m-1", "/work/members/m-1/death", "/work/members/m-1/status",
		"/work/members/m-1/dependants", "/work/members/m-1/dependants/d-1/remove", "/work/members/m-1/enrollments"} {
		form := memberForm(tok, "王五", "110105198503040011")
		form.Set("version", "3")
		form.Set("confirm", "1")
		form.Set("death_date", "2026-02-01")
		form.Set("death_cause", "line_of_duty")
		if r := b.post(path, form); r.status != http.StatusForbidden {
			t.Errorf("officer POST %s = %d", path, r.status)
		}
	}
	e.enrollment.registryState(func(r *fakeRegistry) {
		if m := r.members["m-1"]; len(r.members) != 1 || m.Version != 3 || len(m.Dependants) != 1 || m.Status != "active" {
			t.Error("an officer's form changed the registry")
		}
	})
}

// TestMemberPagePagesTheEnrollments: a member enrolled for many years shows
// their enrollments 20 at a time, oldest first, with a plain link to the
// next page that carries the service's cursor (and back to the first); an
// old link's cursor shows the first page with a note.
func TestMemberPagePagesTheEnrollments(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("case1", domain.RoleCaseworker)
	e.enrollment.registryState(func(r *fakeRegistry) {
		for y := 2001; y <= 2025; y++ {
			from, to := fmt.Sprintf("%d-01-01", y), fmt.Sprintf("%d-12-31", y)
			r.members["m-1"].Enrollments = append(r.members["m-1"].Enrollments, map[string]any{"id": fmt.Sprintf("e-%d", y), "member_id": "m-1",
				"plan_id": "p-1", "scheme": "personal_accident", "plan_year": y, "period": map[string]any{"from": from, "to": to},
				"covered_from": from, "status": "ended", "end_reason": "ended_by_request", "version": 1})
		}
	})
	b := e.browser()
	b.signIn("case1")
	first := b.get("/work/members/m-1")
	table := between(first.body, `id="enrollments"`, "</table>")
	if first.status != http.StatusOK || strings.Count(table, "<tr>") != 21 || !strings.Contains(table, "2001-01-01 – 2001-12-31") || strings.Contains(table, "2021-01-01") {
		t.Fatalf("the first page of enrollments = %d: %s", first.status, table)
	}
	if !strings.Contains(first.body, `id="enrollments-next" href="/work/members/m-1?enrollments_after=20"`) || strings.Contains(first.body, `id="enrollments-first"`) {
		t.Errorf("the member page has no link to the later enrollments")
	}
	second := b.get("/work/members/m-1?enrollments_after=20")
	table = between(second.body, `id="enrollments"`, "</table>")
	if strings.Count(table, "<tr>") != 6 || !strings.Contains(table, "2025-01-01 – 2025-12-31") || strings.Contains(table, "2001-01-01") ||
		strings.Contains(second.body, `id="enrollments-next"`) || !strings.Contains(second.body, `id="enrollments-first" href="/work/members/m-1"`) {
		t.Errorf("the second page of enrollments: %s", table)
	}
	stale := b.get("/work/members/m-1?enrollments_after=junk")
	if !strings.Contains(stale.body, `id="enrollments-stale"`) || !strings.Contains(stale.body, "2001-01-01 – 2001-12-31") {
		t.Errorf("an old link's cursor: %d", stale.status)
	}
}

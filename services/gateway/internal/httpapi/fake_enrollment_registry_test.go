package httpapi_test

import (
	"bytes"
	"cmp"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The fake registry's member, plan and enrollment calls (serveRegistry),
// which fakeEnrollment answers before the rest of its calls. The member
// registry's pages moved to pages/members and are tested against the real
// enrollment service (services/gateway/members_*_real_test.go); the other
// areas' tests still read member m-1 through it.

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
			ID: "m-1", UnitID: "0195c1a0-0000-7000-8000-00000000a001", Name: "张三", Category: "police", IDNumber: "11010519491231002X", HireDate: "1970-07-01",
			ServiceStart: "1970-07-01", Status: "active", Post: map[string]any{"frontline": true, "high_risk": false}, Version: 3,
			Dependants: []map[string]string{{"id": "d-1", "relation": "spouse", "name": "李四", "id_number": "110105195001010021"}},
		}}}
	}
	return f.registry
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
	if str("unit_id") != "0195c1a0-0000-7000-8000-00000000a001" {
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

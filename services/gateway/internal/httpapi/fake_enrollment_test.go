package httpapi_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// fakeEnrollment stands in for the member registry's endpoints the pages
// use (api/openapi/enrollment.yaml).
type fakeEnrollment struct {
	mu       sync.Mutex
	imported [][]byte
	units    []map[string]string
	// people are members added by a test (addPerson), found by id and by
	// name; readers maps an officer's user id to their own member id,
	// which enrollment lets them read.
	people  map[string]map[string]any
	readers map[string]string
	// registry is the member registry of the member pages' forms
	// (serveRegistry, fake_enrollment_registry_test.go).
	registry *fakeRegistry
}

// addPerson registers a member the injury pages look up or search for;
// reader, when not "", is the user id of the officer whose own record it
// is.
func (f *fakeEnrollment) addPerson(id, unitID, name, reader string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.people == nil {
		f.people, f.readers = map[string]map[string]any{}, map[string]string{}
	}
	f.people[id] = map[string]any{"id": id, "unit_id": unitID, "name": name, "category": "police",
		"id_number_masked": "110105********001X", "status": "active"}
	if reader != "" {
		f.readers[reader] = id
	}
}

// ownRecord says r is an officer reading their own record.
func (f *fakeEnrollment) ownRecord(user string, r *http.Request) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	id, ok := f.readers[user]
	return ok && r.Method == http.MethodGet && r.URL.Path == "/api/v1/enrollment/members/"+id
}

// matching lists the added members whose name starts with the name
// asked for, by id, at most limit.
func (f *fakeEnrollment) matching(name, limit string) []map[string]any {
	out := []map[string]any{}
	ids := make([]string, 0, len(f.people))
	for id := range f.people {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	n, err := strconv.Atoi(limit)
	if err != nil || n < 1 {
		n = 50
	}
	for _, id := range ids {
		if p := f.people[id]; strings.HasPrefix(p["name"].(string), name) && len(out) < n {
			out = append(out, p)
		}
	}
	return out
}

func (f *fakeEnrollment) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/readyz" {
		return
	}
	user, roles := caller(r)
	if user == "" {
		problem(w, http.StatusUnauthorized, "unauthenticated")
		return
	}
	// enrollment shows its unit tree to every staff role and officers, not to family
	unitRead := r.URL.Path == "/api/v1/enrollment/units" && r.Method == http.MethodGet && !strings.Contains(roles, "family")
	if !strings.Contains(roles, "caseworker") && !strings.Contains(roles, "admin") && !unitRead && !f.ownRecord(user, r) {
		problem(w, http.StatusForbidden, "forbidden")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	path := strings.TrimPrefix(r.URL.Path, "/api/v1/enrollment")
	if f.serveRegistry(w, r, path) {
		return
	}
	w.Header().Set("Content-Type", "application/json")
	switch {
	case f.adminUnits(w, r, path): // one unit read and edited at a version (admin block, end of file)
	case f.planPages(w, r, path): // plans, bulk enrolment, renewal, closing (plans block, end of file)
	case path == "/units" && r.Method == http.MethodPost:
		var body map[string]string
		_ = json.NewDecoder(r.Body).Decode(&body)
		if strings.Contains(body["code"], " ") {
			problem(w, http.StatusUnprocessableEntity, "validation_failed", [2]string{"code", "编码格式不正确"})
			return
		}
		f.units = append(f.units, body)
		w.WriteHeader(http.StatusCreated)
		_ = json.NewEncoder(w).Encode(body)
	case path == "/units":
		_ = json.NewEncoder(w).Encode(map[string]any{"units": []map[string]any{
			{"id": "0195c1a0-0000-7000-8000-00000000a001", "code": "GA01", "name": "城关派出所", "kind": "police_station", "version": 1}}})
	case path == "/members" && r.URL.Query().Has("name") && len(f.people) > 0:
		_ = json.NewEncoder(w).Encode(map[string]any{"members": f.matching(r.URL.Query().Get("name"), r.URL.Query().Get("limit")), "next": ""})
	case strings.HasPrefix(path, "/members/") && f.people[strings.TrimPrefix(path, "/members/")] != nil:
		_ = json.NewEncoder(w).Encode(f.people[strings.TrimPrefix(path, "/members/")])
	case path == "/members":
		_ = json.NewEncoder(w).Encode(map[string]any{"members": []map[string]any{
			{"id": "m-1", "unit_id": "0195c1a0-0000-7000-8000-00000000a001", "name": "张三", "category": "police", "id_number_masked": "110105********002X", "status": "active"},
		}, "next": ""})
	case path == "/members/m-1":
		_ = json.NewEncoder(w).Encode(map[string]any{"id": "m-1", "unit_id": "0195c1a0-0000-7000-8000-00000000a001", "name": "张三", "category": "police",
			"id_number_masked": "110105********002X", "status": "active", "birth_date": "1949-12-31",
			"dependants": []map[string]string{{"name": "李四", "relation": "spouse", "id_number_masked": "110105********0021"}}})
	case path == "/admin/dead-letters":
		// Two pages of one letter each, as the service pages them when
		// asked for a limit; a cursor not its own is a 422 on after.
		switch q := r.URL.Query(); {
		case q.Get("limit") == "":
			problem(w, http.StatusUnprocessableEntity, "validation", [2]string{"limit", "the page asks for no limit"})
		case q.Get("after") == "":
			_ = json.NewEncoder(w).Encode(map[string]any{"items": []map[string]any{
				{"id": 7, "consumer": "enrollment-x", "subject": "welfare.injury.case.opened.v1", "error": "boom", "deliveries": 5, "failed_at": t0}},
				"next": "dl-after-7"})
		case q.Get("after") == "dl-after-7":
			_ = json.NewEncoder(w).Encode(map[string]any{"items": []map[string]any{
				{"id": 6, "consumer": "enrollment-y", "subject": "welfare.leave.request.decided.v1", "error": "older", "deliveries": 5, "failed_at": t0}},
				"next": ""})
		default:
			problem(w, http.StatusUnprocessableEntity, "validation", [2]string{"after", "无效的游标"})
		}
	case path == "/roster-imports" && r.Method == http.MethodPost:
		body, _ := io.ReadAll(r.Body)
		dry := r.URL.Query().Get("dry_run") == "true"
		if bytes.Contains(body, []byte("bad")) {
			if !dry {
				problem(w, http.StatusUnprocessableEntity, "enrollment.roster_rejected", [2]string{"rows[3].id_number", "身份证号校验位不正确"})
				return
			}
			_ = json.NewEncoder(w).Encode(map[string]any{"dry_run": true, "created": 1, "problems": []map[string]any{
				{"line": 3, "field": "id_number", "code": "idcard.checksum", "message": "身份证号校验位不正确"}}})
			return
		}
		if !dry {
			f.imported = append(f.imported, body)
			w.WriteHeader(http.StatusCreated)
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"dry_run": dry, "created": 2, "updated": 0, "unchanged": 1,
			"format": r.URL.Query().Get("format")})
	default:
		problem(w, http.StatusNotFound, "not_found")
	}
}

// ---- admin block: a unit read and edited at a version ------------------
// adminUnits answers GET and PUT /units/0195c1a0-0000-7000-8000-00000000a001 (the unit pages, now tested
// against the real registry in pages/members' real tests): the
// unit with its version, renamed or moved at that version; moving it under
// itself is refused on parent_id. Once edited, the unit list shows it as
// edited. The state lives beside the fake, keyed by it.

var fakeUnitEdits sync.Map // *fakeEnrollment → map[string]any (0195c1a0-0000-7000-8000-00000000a001 as edited)

// adminUnits answers a unit call and reports whether it did; f.mu is held.
func (f *fakeEnrollment) adminUnits(w http.ResponseWriter, r *http.Request, path string) bool {
	st, _ := fakeUnitEdits.LoadOrStore(f, map[string]any{"id": "0195c1a0-0000-7000-8000-00000000a001", "code": "GA01", "name": "城关派出所", "kind": "police_station", "version": float64(1), "edited": false})
	u := st.(map[string]any)
	reply := func(v any) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(v)
	}
	switch {
	case path == "/units" && r.Method == http.MethodGet && u["edited"] == true:
		reply(map[string]any{"units": []map[string]any{u}})
	case path == "/units/0195c1a0-0000-7000-8000-00000000a001" && r.Method == http.MethodGet:
		reply(u)
	case path == "/units/0195c1a0-0000-7000-8000-00000000a001" && r.Method == http.MethodPut:
		if r.Header.Get("If-Match") != `"`+strconv.FormatFloat(u["version"].(float64), 'f', -1, 64)+`"` {
			problem(w, http.StatusConflict, "version_mismatch")
			return true
		}
		var body map[string]string
		_ = json.NewDecoder(r.Body).Decode(&body)
		if body["parent_id"] == "0195c1a0-0000-7000-8000-00000000a001" {
			problem(w, http.StatusUnprocessableEntity, "validation_failed", [2]string{"parent_id", "不能把单位移到它自己或其下级单位之下"})
			return true
		}
		for _, k := range []string{"code", "name", "kind", "parent_id"} {
			u[k] = body[k]
		}
		u["version"], u["edited"] = u["version"].(float64)+1, true
		reply(u)
	case strings.HasPrefix(path, "/units/") && r.Method != http.MethodPost:
		problem(w, http.StatusNotFound, "not_found")
	default:
		return false
	}
	return true
}

// ---- plans block: plans, bulk enrolment, renewal, closing ----------------
// planPages answers POST /plans, GET /plans/{id}, POST
// /plans/{id}/bulk-enrollments and /renewals (with dry_run) and POST
// /enrollments/{id}/close (the plan pages, now tested against the real
// registry). The list of plans stays
// serveRegistry's p-1 (personal accident, 2026); created plans are read
// one by one. Bulk enrolment enrols m-1 of unit 0195c1a0-0000-7000-8000-00000000a001 and skips m-9.

var fakePlans sync.Map // *fakeEnrollment → map[string]map[string]any (plans by id)

// planPages answers a plan call and reports whether it did; f.mu is held.
func (f *fakeEnrollment) planPages(w http.ResponseWriter, r *http.Request, path string) bool {
	st, _ := fakePlans.LoadOrStore(f, map[string]map[string]any{"p-1": {"id": "p-1", "scheme": "personal_accident", "year": float64(2026),
		"name": fakePlanName, "coverage": map[string]any{"from": "2026-01-01", "to": "2026-12-31"}, "premium_fen": float64(12000),
		"payer": "unit", "waiting_days": float64(0), "eligibility": map[string]any{"categories": []any{"police"}},
		"sums_insured": map[string]any{"death_fen": float64(30000000)}, "version": float64(1)}})
	plans := st.(map[string]map[string]any)
	if !strings.HasPrefix(path, "/plans") && !strings.HasPrefix(path, "/enrollments/") {
		return false
	}
	var body map[string]any
	if r.Method == http.MethodPost {
		_ = json.NewDecoder(r.Body).Decode(&body)
	}
	reply := func(status int, v any) bool {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(v)
		return true
	}
	reg := f.reg()
	// enrolIn builds (and, for real, records) m-1's enrollment in plan p.
	enrolIn := func(p map[string]any, dry bool) map[string]any {
		cov := p["coverage"].(map[string]any)
		e := map[string]any{"id": "e-" + p["id"].(string), "member_id": "m-1", "plan_id": p["id"], "scheme": p["scheme"], "plan_year": p["year"],
			"period": map[string]any{"from": cov["from"], "to": cov["to"]}, "covered_from": cov["from"], "status": "active", "version": 1}
		if !dry {
			reg.members["m-1"].Enrollments = append(reg.members["m-1"].Enrollments, e)
		}
		return e
	}
	skipped := []map[string]string{{"member_id": "m-9", "code": "enrollment.ineligible.category", "message": "人员类别不符合计划条件"}}
	dry, _ := body["dry_run"].(bool)
	status := http.StatusCreated
	if dry {
		status = http.StatusOK
	}
	parts := strings.Split(strings.Trim(path, "/"), "/")
	switch {
	case path == "/plans" && r.Method == http.MethodPost:
		name, _ := body["name"].(string)
		year, _ := body["year"].(float64)
		if name == "" || strings.Contains(name, "坏") {
			registryProblem(w, http.StatusUnprocessableEntity, "validation_failed", "请修改以下问题", [2]string{"name", "计划名称不符合要求"},
				[2]string{"sums.disability[1]", "较轻伤残等级的保险金额不能高于较重等级"})
			return true
		}
		for _, p := range plans {
			if p["scheme"] == body["scheme"] && p["year"] == year {
				registryProblem(w, http.StatusConflict, "enrollment.duplicate_plan", "该险种该年度已有保险计划")
				return true
			}
		}
		body["id"], body["version"] = "p-"+strconv.Itoa(len(plans)+1), float64(1)
		delete(body, "dry_run")
		plans[body["id"].(string)] = body
		return reply(http.StatusCreated, body)
	case len(parts) == 2 && parts[0] == "plans" && r.Method == http.MethodGet:
		if p, ok := plans[parts[1]]; ok {
			return reply(http.StatusOK, p)
		}
		problem(w, http.StatusNotFound, "not_found")
		return true
	case len(parts) == 3 && parts[0] == "plans" && parts[2] == "bulk-enrollments" && r.Method == http.MethodPost:
		p, ok := plans[parts[1]]
		if !ok {
			problem(w, http.StatusNotFound, "not_found")
			return true
		}
		if ids, _ := body["unit_ids"].([]any); len(ids) != 1 || ids[0] != "0195c1a0-0000-7000-8000-00000000a001" {
			registryProblem(w, http.StatusUnprocessableEntity, "validation_failed", "请修改以下问题", [2]string{"unit_ids", "单位不存在或不归您管理"})
			return true
		}
		return reply(status, map[string]any{"plan_id": p["id"], "dry_run": dry, "enrolled": []any{enrolIn(p, dry)}, "skipped": skipped})
	case len(parts) == 3 && parts[0] == "plans" && parts[2] == "renewals" && r.Method == http.MethodPost:
		cur, ok := plans[parts[1]]
		next, ok2 := plans[fmtAny(body["next_plan_id"])]
		if !ok || !ok2 {
			problem(w, http.StatusNotFound, "not_found")
			return true
		}
		if next["scheme"] != cur["scheme"] || next["year"].(float64) <= cur["year"].(float64) {
			registryProblem(w, http.StatusUnprocessableEntity, "validation_failed", "请修改以下问题", [2]string{"next_plan_id", "续保计划须为同一险种的以后年度"})
			return true
		}
		return reply(status, map[string]any{"plan_id": next["id"], "dry_run": dry, "enrolled": []any{enrolIn(next, dry)}, "skipped": skipped})
	case len(parts) == 3 && parts[0] == "enrollments" && parts[2] == "close" && r.Method == http.MethodPost:
		for _, m := range reg.members {
			for _, e := range m.Enrollments {
				if e["id"] != parts[1] {
					continue
				}
				if r.Header.Get("If-Match") != `"`+fmtAny(e["version"])+`"` {
					registryProblem(w, http.StatusConflict, "version_mismatch", "数据已被他人修改")
					return true
				}
				last, _ := body["last_day"].(string)
				if last < "2026-01-01" {
					registryProblem(w, http.StatusUnprocessableEntity, "validation_failed", "请修改以下问题", [2]string{"last_day", "最后保障日不能早于参保起始日"})
					return true
				}
				v, _ := strconv.Atoi(fmtAny(e["version"]))
				e["status"], e["end_reason"], e["version"] = "ended", body["reason"], v+1
				switch p := e["period"].(type) {
				case map[string]any:
					p["to"] = last
				case map[string]string:
					p["to"] = last
				}
				if body["reason"] == "non_payment" || body["reason"] == "ineligible" {
					e["status"] = "lapsed"
				}
				return reply(http.StatusOK, e)
			}
		}
		problem(w, http.StatusNotFound, "not_found")
		return true
	}
	return false
}

// fmtAny prints a JSON value as the fake compares it.
func fmtAny(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int:
		return strconv.Itoa(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return ""
}

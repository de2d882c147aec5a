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
	replayed int
	units    []map[string]string
	// people are members added by a test (addPerson), found by id and by
	// name; readers maps an officer's user id to their own member id,
	// which enrollment lets them read.
	people    map[string]map[string]any
	readers   map[string]string
	moreUnits []map[string]string
	// registry is the member registry of the member pages' forms
	// (serveRegistry, enrollment_pages_test.go).
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

// addUnit adds a unit to the unit list after the fixed one.
func (f *fakeEnrollment) addUnit(id, name string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.moreUnits = append(f.moreUnits, map[string]string{"id": id, "code": strings.ToUpper(id), "name": name})
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
	auditRead := r.URL.Path == "/api/v1/enrollment/admin/audit" && strings.Contains(roles, "auditor")
	// enrollment shows its unit tree to every staff role and officers, not to family
	unitRead := r.URL.Path == "/api/v1/enrollment/units" && r.Method == http.MethodGet && !strings.Contains(roles, "family")
	if !strings.Contains(roles, "caseworker") && !strings.Contains(roles, "admin") && !auditRead && !unitRead && !f.ownRecord(user, r) {
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
	case path == "/units" && len(f.moreUnits) > 0:
		units := append([]map[string]string{{"id": "u-1", "code": "GA01", "name": "城关派出所"}}, f.moreUnits...)
		_ = json.NewEncoder(w).Encode(map[string]any{"units": units})
	case path == "/units":
		_ = json.NewEncoder(w).Encode(map[string]any{"units": []map[string]string{{"id": "u-1", "code": "GA01", "name": "城关派出所"}}})
	case path == "/members" && r.URL.Query().Has("name") && len(f.people) > 0:
		_ = json.NewEncoder(w).Encode(map[string]any{"members": f.matching(r.URL.Query().Get("name"), r.URL.Query().Get("limit")), "next": ""})
	case strings.HasPrefix(path, "/members/") && f.people[strings.TrimPrefix(path, "/members/")] != nil:
		_ = json.NewEncoder(w).Encode(f.people[strings.TrimPrefix(path, "/members/")])
	case path == "/members":
		_ = json.NewEncoder(w).Encode(map[string]any{"members": []map[string]any{
			{"id": "m-1", "unit_id": "u-1", "name": "张三", "category": "police", "id_number_masked": "110105********002X", "status": "active"},
		}, "next": ""})
	case path == "/members/m-1":
		_ = json.NewEncoder(w).Encode(map[string]any{"id": "m-1", "unit_id": "u-1", "name": "张三", "category": "police",
			"id_number_masked": "110105********002X", "status": "active", "birth_date": "1949-12-31",
			"dependants": []map[string]string{{"name": "李四", "relation": "spouse", "id_number_masked": "110105********0021"}}})
	case path == "/admin/audit":
		_ = json.NewEncoder(w).Encode(map[string]any{"items": []map[string]any{
			{"seq": 1, "at": t0, "actor": "u-9", "action": "member.view_idcard", "object_type": "member", "object_id": "m-1"}}})
	case path == "/admin/dead-letters":
		_ = json.NewEncoder(w).Encode(map[string]any{"items": []map[string]any{
			{"id": 7, "consumer": "enrollment-x", "subject": "welfare.injury.case.opened.v1", "error": "boom", "deliveries": 5, "failed_at": t0}}})
	case path == "/admin/dead-letters/7/replay" && r.Method == http.MethodPost:
		f.replayed++
		_ = json.NewEncoder(w).Encode(map[string]any{"replayed": 7})
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
// adminUnits answers GET and PUT /units/u-1 (units_pages_test.go): the
// unit with its version, renamed or moved at that version; moving it under
// itself is refused on parent_id. Once edited, the unit list shows it as
// edited. The state lives beside the fake, keyed by it.

var fakeUnitEdits sync.Map // *fakeEnrollment → map[string]any (u-1 as edited)

// adminUnits answers a unit call and reports whether it did; f.mu is held.
func (f *fakeEnrollment) adminUnits(w http.ResponseWriter, r *http.Request, path string) bool {
	st, _ := fakeUnitEdits.LoadOrStore(f, map[string]any{"id": "u-1", "code": "GA01", "name": "城关派出所", "kind": "police_station", "version": float64(1), "edited": false})
	u := st.(map[string]any)
	reply := func(v any) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(v)
	}
	switch {
	case path == "/units" && r.Method == http.MethodGet && u["edited"] == true:
		units := []map[string]any{u}
		for _, m := range f.moreUnits {
			units = append(units, map[string]any{"id": m["id"], "code": m["code"], "name": m["name"], "kind": "other", "version": 1})
		}
		reply(map[string]any{"units": units})
	case path == "/units/u-1" && r.Method == http.MethodGet:
		reply(u)
	case path == "/units/u-1" && r.Method == http.MethodPut:
		if r.Header.Get("If-Match") != `"`+strconv.FormatFloat(u["version"].(float64), 'f', -1, 64)+`"` {
			problem(w, http.StatusConflict, "version_mismatch")
			return true
		}
		var body map[string]string
		_ = json.NewDecoder(r.Body).Decode(&body)
		if body["parent_id"] == "u-1" {
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

// editUnitBehind changes u-1 as another administrator would, so the
// page's version is stale.
func (f *fakeEnrollment) editUnitBehind(name string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	st, _ := fakeUnitEdits.LoadOrStore(f, map[string]any{"id": "u-1", "code": "GA01", "name": "城关派出所", "kind": "police_station", "version": float64(1), "edited": false})
	u := st.(map[string]any)
	u["name"], u["version"], u["edited"] = name, u["version"].(float64)+1, true
}

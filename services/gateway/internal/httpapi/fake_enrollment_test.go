package httpapi_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
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
	if !strings.Contains(roles, "caseworker") && !strings.Contains(roles, "admin") && !auditRead {
		problem(w, http.StatusForbidden, "forbidden")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	path := strings.TrimPrefix(r.URL.Path, "/api/v1/enrollment")
	w.Header().Set("Content-Type", "application/json")
	switch {
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
		_ = json.NewEncoder(w).Encode(map[string]any{"units": []map[string]string{{"id": "u-1", "code": "GA01", "name": "城关派出所"}}})
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

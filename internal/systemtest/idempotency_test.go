package systemtest

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/app/apptest"
	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/pkg/idcard"
	"github.com/anxin-welfare/anxin/pkg/idem"
)

// once sends a creating POST three times with one Idempotency-Key: the
// second must be the first's response replayed (same status, Location,
// ETag, object id), and a third with another body must be refused with
// 422 idempotency.key_reused. It returns the first response's body.
func (s *system) once(id auth.Identity, path, key string, body, other any, want int) map[string]any {
	s.t.Helper()
	svc := svcOf(path)
	first := s.env.Do(s.t, s.h[svc], &id, "POST", path, body, idem.Header, key)
	if first.Code != want {
		s.t.Fatalf("POST %s = %d, want %d: %s", path, first.Code, want, first.Body)
	}
	again := s.env.Do(s.t, s.h[svc], &id, "POST", path, body, idem.Header, key)
	if again.Code != first.Code || again.Body.String() != first.Body.String() ||
		again.Header().Get("Location") != first.Header().Get("Location") || again.Header().Get("ETag") != first.Header().Get("ETag") ||
		again.Header().Get(idem.ReplayedHeader) != "true" {
		s.t.Fatalf("retry of POST %s with key %s = %d %v %s; want the first response %d %v %s",
			path, key, again.Code, again.Header(), again.Body, first.Code, first.Header(), first.Body)
	}
	reuse := s.env.Do(s.t, s.h[svc], &id, "POST", path, other, idem.Header, key)
	var p httpx.Problem
	_ = json.Unmarshal(reuse.Body.Bytes(), &p)
	if reuse.Code != http.StatusUnprocessableEntity || p.Code != idem.CodeKeyReused {
		s.t.Fatalf("POST %s with a used key and another body = %d %s, want 422 %s", path, reuse.Code, reuse.Body, idem.CodeKeyReused)
	}
	var out map[string]any
	_ = json.Unmarshal(first.Body.Bytes(), &out)
	return out
}

func (s *system) count(id auth.Identity, path, field string) int {
	s.t.Helper()
	var out map[string]json.RawMessage
	w := s.env.Do(s.t, s.h[svcOf(path)], &id, "GET", path, nil)
	if w.Code != http.StatusOK {
		s.t.Fatalf("GET %s = %d %s", path, w.Code, w.Body)
	}
	_ = json.Unmarshal(w.Body.Bytes(), &out)
	var items []json.RawMessage
	_ = json.Unmarshal(out[field], &items)
	return len(items)
}

// Every kind of creating POST, in every service, happens once per key.
func TestCreatingPostsHappenOncePerIdempotencyKey(t *testing.T) {
	s := start(t)
	admin := auth.Identity{UserID: "u-admin", Name: "管理员", Roles: []auth.Role{auth.RoleAdmin}}
	root := s.once(admin, "/api/v1/enrollment/units", "unit-root",
		map[string]any{"code": "ZFW", "name": "县委政法委", "kind": "committee"},
		map[string]any{"code": "ZFX", "name": "县委政法委", "kind": "committee"}, 201)["id"].(string)
	admin.Units = []string{root}
	gaj := s.once(admin, "/api/v1/enrollment/units", "unit-gaj",
		map[string]any{"code": "GAJ", "name": "县公安局", "kind": "police_bureau", "parent_id": root},
		map[string]any{"code": "GAK", "name": "县公安局", "kind": "police_bureau", "parent_id": root}, 201)["id"].(string)
	caseworker := auth.Identity{UserID: "u-cw", Name: "王芳", Roles: []auth.Role{auth.RoleCaseworker}, Units: []string{gaj}}
	memberBody := func(seq int) map[string]any {
		return map[string]any{"unit_id": gaj, "name": "张伟", "category": "police", "post": map[string]any{"frontline": true},
			"id_number": idcard.Generate("110105", time.Date(1985, 3, 4, 0, 0, 0, 0, time.UTC), seq, true), "hire_date": "2008-07-01"}
	}
	member := s.once(caseworker, "/api/v1/enrollment/members", "member-1", memberBody(11), memberBody(12), 201)["id"].(string)
	planBody := func(name string) map[string]any {
		return map[string]any{"scheme": "personal_accident", "year": 2026, "name": name,
			"coverage":    map[string]any{"from": "2026-01-01", "to": "2026-12-31"},
			"eligibility": map[string]any{"categories": []string{"police"}},
			"premium_fen": 30000, "payer": "central_finance", "waiting_days": 0,
			"sums_insured": map[string]any{"death_fen": 20000000, "disability_fen": []int64{20000000}}}
	}
	plan := s.once(admin, "/api/v1/enrollment/plans", "plan-1", planBody("2026 年人身意外伤害保险"), planBody("另一个"), 201)["id"].(string)
	s.once(caseworker, "/api/v1/enrollment/enrollments", "enrol-1",
		map[string]any{"member_id": member, "plan_id": plan, "start": "2026-01-01"},
		map[string]any{"member_id": member, "plan_id": plan, "start": "2026-02-01"}, 201)

	officer := auth.Identity{UserID: "u-zw", Name: "张伟", MemberID: member, Roles: []auth.Role{auth.RoleOfficer}, Units: []string{gaj}}
	caseBody := func(place string) map[string]any {
		return map[string]any{"member_id": member, "unit_id": gaj, "injured_at": "2026-11-27T09:00", "place": place,
			"description": "处置纠纷时被刺伤手臂", "severity": "critical"}
	}
	s.once(officer, "/api/v1/injury/cases", "case-1", caseBody("城关派出所门前"), caseBody("别处"), 201)
	if n := s.count(caseworker, "/api/v1/injury/cases", "cases"); n != 1 {
		t.Fatalf("%d injury cases after three posts with one key, want 1", n)
	}

	fund := s.once(admin, "/api/v1/grants/funds", "fund-1",
		map[string]any{"fiscal_year": 2026, "name": "2026年度政法干警关爱帮扶资金", "appropriation": 300000000},
		map[string]any{"fiscal_year": 2026, "name": "2026年度政法干警关爱帮扶资金", "appropriation": 300000001}, 201)["id"].(string)
	programBody := func(code string) map[string]any {
		return map[string]any{"fund_id": fund, "code": code, "name_zh": "烈士及因公牺牲干警遗属抚恤", "name_en": "Families of martyrs",
			"kind": "martyr_family", "allocation": 100000000, "eligibility": map[string]any{"event": "death_on_duty", "dependants_only": true},
			"amount_rule": map[string]any{"kind": "statutory", "calculator": "martyr_grant"}, "required_documents": []string{"烈士证明书"},
			"dual_approval_above": 0}
	}
	s.once(admin, "/api/v1/grants/programs", "program-1", programBody("martyr"), programBody("martyr2"), 201)

	apptest.Eventually(t, 20*time.Second, "leave projected the member from member.registered", func() bool {
		w := s.env.Do(t, s.h["leave"], &caseworker, "GET", "/api/v1/leave/members/"+member+"/balance?year=2026", nil)
		return w.Code == http.StatusOK
	})
	s.once(officer, "/api/v1/leave/requests", "leave-1",
		map[string]string{"from": "2026-12-07", "to": "2026-12-07"},
		map[string]string{"from": "2026-12-08", "to": "2026-12-08"}, 201)
	if n := s.count(officer, "/api/v1/leave/requests", "items"); n != 1 {
		t.Fatalf("%d leave requests after three posts with one key, want 1", n)
	}
}

func svcOf(path string) string {
	const prefix = "/api/v1/"
	rest := path[len(prefix):]
	for i := range rest {
		if rest[i] == '/' {
			return rest[:i]
		}
	}
	return rest
}

// Every POST route of every service goes through the Idempotency-Key
// middleware: a malformed key is refused before any handler (or role
// check) runs, naming the header. A route added outside base.API would
// fail here.
func TestEveryPostRouteTakesAnIdempotencyKey(t *testing.T) {
	s := start(t)
	caller := auth.Identity{UserID: "u-any", Name: "任何人", Roles: []auth.Role{auth.RoleOfficer}}
	checked := 0
	for name, h := range s.h {
		e, ok := h.(*gin.Engine)
		if !ok {
			t.Fatalf("%s's handler is a %T, not the gin engine", name, h)
		}
		for _, r := range e.Routes() {
			if r.Method != http.MethodPost || !strings.HasPrefix(r.Path, "/api/v1/") {
				continue
			}
			path := paramPattern.ReplaceAllString(r.Path, "00000000-0000-4000-8000-000000000000")
			w := s.env.Do(t, h, &caller, "POST", path, map[string]any{}, idem.Header, "not a key")
			var p httpx.Problem
			_ = json.Unmarshal(w.Body.Bytes(), &p)
			if w.Code != http.StatusUnprocessableEntity || len(p.Errors) != 1 || p.Errors[0].Field != idem.Header {
				t.Errorf("POST %s with a malformed Idempotency-Key = %d %s; the key is not checked", r.Path, w.Code, w.Body)
			}
			checked++
		}
	}
	if checked < 40 {
		t.Fatalf("only %d POST routes found", checked)
	}
	t.Logf("%d POST routes take an Idempotency-Key", checked)
}

var paramPattern = regexp.MustCompile(`:[a-z_]+|\*[a-z_]+`)

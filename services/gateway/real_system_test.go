package gateway_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/internal/servicestest"
	"github.com/anxin-welfare/anxin/pkg/app/apptest"
	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/idcard"
	"github.com/anxin-welfare/anxin/services/gateway"
)

// journeyPassword is every seeded user's password in these journeys.
func journeyPassword(username string) string { return "journey passphrase " + username }

// realSystem is the four services and the gateway, with the ids the
// journeys need.
type realSystem struct {
	env     *apptest.Env
	gateway string // base URL
	h       map[string]http.Handler
	unit    string
	member  string
	program string // hardship, two approvals above 10,000 yuan
	fund    string
	fallen  string // a member whose death on duty opens notices
}

// call is a service API call as an identity, for seeding what an
// administrator sets up before the journeys start.
func (s *realSystem) call(t *testing.T, id auth.Identity, method, path string, body any, want int, headers ...string) map[string]any {
	t.Helper()
	svc := strings.Split(strings.TrimPrefix(path, "/api/v1/"), "/")[0]
	w := s.env.Do(t, s.h[svc], &id, method, path, body, headers...)
	if w.Code != want {
		t.Fatalf("%s %s = %d, want %d: %s", method, path, w.Code, want, w.Body)
	}
	var out map[string]any
	_ = json.Unmarshal(w.Body.Bytes(), &out)
	return out
}

func startRealSystem(t *testing.T) *realSystem {
	t.Helper()
	sys := servicestest.Start(t, apptest.Start)
	env := sys.Env
	ctx := context.Background()
	s := &realSystem{env: env, h: sys.H}

	// The county: a unit, an officer registered in it, a fund with a
	// hardship program that needs two approvals above 10,000 yuan.
	admin := auth.Identity{UserID: "u-admin", Name: "管理员", Roles: []auth.Role{auth.RoleAdmin}}
	root := s.call(t, admin, "POST", "/api/v1/enrollment/units", map[string]any{"code": "ZFW", "name": "县委政法委", "kind": "committee"}, 201)["id"].(string)
	admin.Units = []string{root}
	s.unit = s.call(t, admin, "POST", "/api/v1/enrollment/units", map[string]any{"code": "GAJ", "name": "县公安局", "kind": "police_bureau", "parent_id": root}, 201)["id"].(string)
	cw := auth.Identity{UserID: "u-seed-cw", Name: "王芳", Roles: []auth.Role{auth.RoleCaseworker}, Units: []string{s.unit}}
	s.member = s.call(t, cw, "POST", "/api/v1/enrollment/members", map[string]any{
		"unit_id": s.unit, "name": "张伟", "category": "police", "post": map[string]any{"frontline": true},
		"id_number": idcard.Generate("110105", time.Date(1985, 3, 4, 0, 0, 0, 0, time.UTC), 11, true),
		"phone":     "13800138000", "hire_date": "2008-07-01",
	}, 201)["id"].(string)
	// 张伟's wife: the demo family account is linked to him, and a family
	// member applies for one of the officer's dependants.
	s.call(t, cw, "POST", "/api/v1/enrollment/members/"+s.member+"/dependants", map[string]any{
		"relation": "spouse", "name": "刘敏", "id_number": idcard.Generate("110105", time.Date(1986, 4, 5, 0, 0, 0, 0, time.UTC), 31, false),
	}, 200, "If-Match", `"1"`)
	s.fund = s.call(t, admin, "POST", "/api/v1/grants/funds", map[string]any{"fiscal_year": 2026, "name": "2026年度政法干警关爱帮扶资金", "appropriation": 300000000}, 201)["id"].(string)
	s.program = s.call(t, admin, "POST", "/api/v1/grants/programs", map[string]any{
		"fund_id": s.fund, "code": "hardship", "name_zh": "困难干警帮扶", "name_en": "Officers in hardship", "kind": "hardship",
		"allocation": 80000000, "eligibility": map[string]any{"max_income_per_capita": 250000},
		"amount_rule": map[string]any{"kind": "assessed", "cap": 2000000}, "required_documents": []string{"家庭收入证明"},
		"dual_approval_above": 1000000,
	}, 201)["id"].(string)

	s.call(t, admin, "POST", "/api/v1/grants/programs", map[string]any{
		"fund_id": s.fund, "code": "martyr", "name_zh": "烈士及因公牺牲干警遗属抚恤", "name_en": "Families of martyrs and officers fallen on duty",
		"kind": "martyr_family", "allocation": 100000000, "eligibility": map[string]any{"event": "death_on_duty", "dependants_only": true},
		"amount_rule": map[string]any{"kind": "statutory", "calculator": "martyr_grant"}, "required_documents": []string{"烈士证明书"},
		"dual_approval_above": 0,
	}, 201)
	s.fallen = s.call(t, cw, "POST", "/api/v1/enrollment/members", map[string]any{
		"unit_id": s.unit, "name": "王强", "category": "police",
		"id_number": idcard.Generate("110105", time.Date(1980, 5, 6, 0, 0, 0, 0, time.UTC), 21, true), "hire_date": "2002-07-01",
	}, 201)["id"].(string)
	s.call(t, cw, "POST", "/api/v1/enrollment/members/"+s.fallen+"/dependants", map[string]any{
		"relation": "spouse", "name": "李娜", "id_number": idcard.Generate("110105", time.Date(1982, 1, 2, 0, 0, 0, 0, time.UTC), 22, false),
	}, 200, "If-Match", `"1"`)
	s.call(t, cw, "POST", "/api/v1/enrollment/members/"+s.fallen+"/dependants", map[string]any{
		"relation": "child", "name": "王小明", "id_number": idcard.Generate("110105", time.Date(2010, 9, 1, 0, 0, 0, 0, time.UTC), 23, true),
	}, 200, "If-Match", `"2"`)

	users := gateway.DemoUsers([]string{s.unit}, s.member, s.member)
	users = append(users, gateway.DemoUser{Username: "widow", DisplayName: "李娜", Roles: []auth.Role{auth.RoleFamily}, MemberID: s.fallen, Units: []string{s.unit}})
	for i := range users {
		users[i].Password = journeyPassword(users[i].Username)
		if users[i].Username == "family" {
			users[i].Units = []string{s.unit}
		}
	}
	if _, err := gateway.SeedUsers(ctx, env.Deps, gateway.Config{}, users); err != nil {
		t.Fatal(err)
	}
	gw, err := gateway.New(ctx, env.Deps, testConfig())
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gw.Handler())
	t.Cleanup(srv.Close)
	s.gateway = srv.URL
	// The other services learn of the officer from enrollment's events.
	apptest.Eventually(t, 20*time.Second, "enrollment's member.registered reached leave", func() bool {
		w := s.env.Do(t, s.h["leave"], &cw, "GET", "/api/v1/leave/members/"+s.member+"/balance?year=2026", nil)
		return w.Code == http.StatusOK
	})
	return s
}

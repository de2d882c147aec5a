// Package systemtest runs the services together, as `anxin serve all`
// does, and follows work across them: events from one service feeding the
// projections of the others, and request-reply between them.
package systemtest

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/app/apptest"
	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/config"
	"github.com/anxin-welfare/anxin/pkg/idcard"
	"github.com/anxin-welfare/anxin/services/enrollment"
	"github.com/anxin-welfare/anxin/services/grants"
	"github.com/anxin-welfare/anxin/services/injury"
	"github.com/anxin-welfare/anxin/services/leave"
)

type system struct {
	t   *testing.T
	env *apptest.Env
	h   map[string]http.Handler
}

func (s *system) call(id auth.Identity, method, path string, body any, want int, headers ...string) map[string]any {
	s.t.Helper()
	svc := strings.Split(strings.TrimPrefix(path, "/api/v1/"), "/")[0]
	w := s.env.Do(s.t, s.h[svc], &id, method, path, body, headers...)
	if w.Code != want {
		s.t.Fatalf("%s %s = %d, want %d: %s", method, path, w.Code, want, w.Body)
	}
	var out map[string]any
	_ = json.Unmarshal(w.Body.Bytes(), &out)
	return out
}

func start(t *testing.T) *system {
	t.Helper()
	env := apptest.New(t)
	ctx := context.Background()
	s := &system{t: t, env: env, h: map[string]http.Handler{}}
	en, err := enrollment.New(ctx, env.Deps, defaults[enrollment.Config](t, func(c *enrollment.Config) { c.HTTPAddr = "127.0.0.1:0" }))
	if err != nil {
		t.Fatal(err)
	}
	apptest.Run(t, en.Run)
	s.h["enrollment"] = en.Handler()
	in, err := injury.New(ctx, env.Deps, defaults[injury.Config](t, func(c *injury.Config) { c.HTTPAddr = "127.0.0.1:0" }))
	if err != nil {
		t.Fatal(err)
	}
	apptest.Run(t, in.Run)
	s.h["injury"] = in.Handler()
	lv, err := leave.New(ctx, env.Deps, defaults[leave.Config](t, func(c *leave.Config) { c.HTTPAddr = "127.0.0.1:0" }))
	if err != nil {
		t.Fatal(err)
	}
	apptest.Run(t, lv.Run)
	s.h["leave"] = lv.Handler()
	gr, err := grants.New(ctx, env.Deps, defaults[grants.Config](t, func(c *grants.Config) { c.HTTPAddr = "127.0.0.1:0" }))
	if err != nil {
		t.Fatal(err)
	}
	apptest.Run(t, gr.Run)
	s.h["grants"] = gr.Handler()
	return s
}

// defaults is a service's configuration with every documented default, as
// `anxin serve` loads it from an empty environment.
func defaults[C any](t *testing.T, set func(*C)) C {
	t.Helper()
	var c C
	if err := config.LoadFrom(&c, func(string) (string, bool) { return "", false }); err != nil {
		t.Fatal(err)
	}
	set(&c)
	return c
}

// An officer registered in enrollment and enrolled in a plan opens an
// injury case: injury learns who they are from member events and asks
// enrollment over NATS whether they were covered; leave learns of them too.
func TestMemberFlowsFromEnrollmentToInjuryAndLeave(t *testing.T) {
	s := start(t)
	admin := auth.Identity{UserID: "u-admin", Name: "管理员", Roles: []auth.Role{auth.RoleAdmin}}
	root := s.call(admin, "POST", "/api/v1/enrollment/units", map[string]any{"code": "ZFW", "name": "县委政法委", "kind": "committee"}, 201)["id"].(string)
	admin.Units = []string{root}
	gaj := s.call(admin, "POST", "/api/v1/enrollment/units", map[string]any{"code": "GAJ", "name": "县公安局", "kind": "police_bureau", "parent_id": root}, 201)["id"].(string)
	caseworker := auth.Identity{UserID: "u-cw", Name: "王芳", Roles: []auth.Role{auth.RoleCaseworker}, Units: []string{gaj}}
	member := s.call(caseworker, "POST", "/api/v1/enrollment/members", map[string]any{
		"unit_id": gaj, "name": "张伟", "category": "police", "post": map[string]any{"frontline": true},
		"id_number": idcard.Generate("110105", time.Date(1985, 3, 4, 0, 0, 0, 0, time.UTC), 11, true),
		"phone":     "13800138000", "hire_date": "2008-07-01",
	}, 201)["id"].(string)
	plan := s.call(admin, "POST", "/api/v1/enrollment/plans", map[string]any{
		"scheme": "personal_accident", "year": 2026, "name": "2026 年人身意外伤害保险",
		"coverage":    map[string]any{"from": "2026-01-01", "to": "2026-12-31"},
		"eligibility": map[string]any{"categories": []string{"police"}},
		"premium_fen": 30000, "payer": "central_finance", "waiting_days": 0,
		"sums_insured": map[string]any{"death_fen": 20000000, "disability_fen": []int64{20000000}},
	}, 201)["id"].(string)
	s.call(caseworker, "POST", "/api/v1/enrollment/enrollments", map[string]any{"member_id": member, "plan_id": plan, "start": "2026-01-01"}, 201)

	officer := auth.Identity{UserID: "u-zw", Name: "张伟", MemberID: member, Roles: []auth.Role{auth.RoleOfficer}, Units: []string{gaj}}
	opened := s.call(officer, "POST", "/api/v1/injury/cases", map[string]any{
		"member_id": member, "unit_id": gaj, "injured_at": "2026-11-27T09:00", "place": "城关派出所门前",
		"description": "处置纠纷时被刺伤手臂", "severity": "critical",
	}, 201)
	caseID, _ := opened["id"].(string)
	if caseID == "" {
		t.Fatalf("no case id in %v", opened)
	}
	apptest.Eventually(t, 20*time.Second, "coverage checked with enrollment over NATS", func() bool {
		w := s.env.Do(t, s.h["injury"], &caseworker, "GET", "/api/v1/injury/cases/"+caseID, nil)
		var c struct {
			Coverage struct {
				Status  string `json:"status"`
				Schemes []struct {
					Scheme string `json:"scheme"`
				} `json:"schemes"`
			} `json:"coverage"`
		}
		_ = json.Unmarshal(w.Body.Bytes(), &c)
		return c.Coverage.Status == "checked" && len(c.Coverage.Schemes) > 0 && c.Coverage.Schemes[0].Scheme == "personal_accident"
	})
	apptest.Eventually(t, 20*time.Second, "leave projected the member from member.registered", func() bool {
		w := s.env.Do(t, s.h["leave"], &caseworker, "GET", "/api/v1/leave/members/"+member+"/balance?year=2026", nil)
		return w.Code == http.StatusOK
	})
}

// An officer who dies in the line of duty: enrollment records the death,
// and grants opens a martyr-family notice for each dependant by itself,
// waiting in the caseworker's queue; nothing is paid without a person.
func TestDeathOnDutyOpensNoticesForEachDependant(t *testing.T) {
	s := start(t)
	admin := auth.Identity{UserID: "u-admin", Name: "管理员", Roles: []auth.Role{auth.RoleAdmin}}
	root := s.call(admin, "POST", "/api/v1/enrollment/units", map[string]any{"code": "ZFW", "name": "县委政法委", "kind": "committee"}, 201)["id"].(string)
	admin.Units = []string{root}
	gaj := s.call(admin, "POST", "/api/v1/enrollment/units", map[string]any{"code": "GAJ", "name": "县公安局", "kind": "police_bureau", "parent_id": root}, 201)["id"].(string)
	caseworker := auth.Identity{UserID: "u-cw", Name: "王芳", Roles: []auth.Role{auth.RoleCaseworker}, Units: []string{gaj}}

	fund := s.call(admin, "POST", "/api/v1/grants/funds", map[string]any{"fiscal_year": 2026, "name": "2026年度政法干警关爱帮扶资金", "appropriation": 300000000}, 201)["id"].(string)
	s.call(admin, "POST", "/api/v1/grants/programs", map[string]any{
		"fund_id": fund, "code": "martyr", "name_zh": "烈士及因公牺牲干警遗属抚恤", "name_en": "Families of martyrs and officers fallen on duty",
		"kind": "martyr_family", "allocation": 100000000, "eligibility": map[string]any{"event": "death_on_duty", "dependants_only": true},
		"amount_rule": map[string]any{"kind": "statutory", "calculator": "martyr_grant"}, "required_documents": []string{"烈士证明书"},
		"dual_approval_above": 0,
	}, 201)

	member := s.call(caseworker, "POST", "/api/v1/enrollment/members", map[string]any{
		"unit_id": gaj, "name": "王强", "category": "police",
		"id_number": idcard.Generate("110105", time.Date(1980, 5, 6, 0, 0, 0, 0, time.UTC), 21, true), "hire_date": "2002-07-01",
	}, 201)["id"].(string)
	s.call(caseworker, "POST", "/api/v1/enrollment/members/"+member+"/dependants", map[string]any{
		"relation": "spouse", "name": "李娜", "id_number": idcard.Generate("110105", time.Date(1982, 1, 2, 0, 0, 0, 0, time.UTC), 22, false),
	}, 200, "If-Match", `"1"`)
	s.call(caseworker, "POST", "/api/v1/enrollment/members/"+member+"/dependants", map[string]any{
		"relation": "child", "name": "王小明", "id_number": idcard.Generate("110105", time.Date(2010, 9, 1, 0, 0, 0, 0, time.UTC), 23, true),
	}, 200, "If-Match", `"2"`)
	s.call(caseworker, "POST", "/api/v1/enrollment/members/"+member+"/death", map[string]any{"date": "2026-11-20", "cause": "line_of_duty"}, 200, "If-Match", `"3"`)

	apptest.Eventually(t, 20*time.Second, "a martyr-family notice for each of the two dependants", func() bool {
		w := s.env.Do(t, s.h["grants"], &caseworker, "GET", "/api/v1/grants/notices", nil)
		var out struct {
			Items []map[string]any `json:"items"`
		}
		_ = json.Unmarshal(w.Body.Bytes(), &out)
		return w.Code == http.StatusOK && len(out.Items) == 2
	})
}

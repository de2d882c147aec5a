package enrollment_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/auth"
)

// pathMember is the member whose version an If-Match call must send.
func pathMember(path string, w *world) string {
	if strings.Contains(path, w.other) {
		return w.other
	}
	return w.member
}

// TestAccess proves, for every endpoint, who may call it: caseworkers and
// admins of the member's unit (or above) manage; an officer reads only
// their own record, dependants, enrollments and coverage; a caseworker of
// another unit or another officer gets 404 as if the object did not
// exist; a role with no business here gets 403; nobody gets 401. Refused
// calls change nothing.
func TestAccess(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	type call struct {
		method, path string
		body         func() any
		ifMatch      bool
		etag         func() string  // the If-Match of a call on another aggregate
		want         map[string]int // identity name -> status
	}
	dep := func() any {
		return map[string]any{"relation": "child", "name": "张小明", "id_number": idNumber(2015, 31, true)}
	}
	// A dependant to replace and remove.
	depID := func() string {
		r := w.must(&w.cwGAJ, 200, "POST", "/members/"+w.member+"/dependants", dep(), "If-Match", w.version(w.member))
		ds := r.body["dependants"].([]any)
		return ds[len(ds)-1].(map[string]any)["id"].(string)
	}()
	spouse := func() any {
		return map[string]any{"relation": "spouse", "name": "王芳", "id_number": idNumber(1987, 24, false)}
	}
	m := func(p string) string { return "/members/" + w.member + p }
	calls := []call{
		{method: "GET", path: "/units", want: map[string]int{"admin": 200, "cwGAJ": 200, "officer": 200, "service": 200, "finance": 200, "anon": 401}},
		{method: "GET", path: "/units/" + w.gaj, want: map[string]int{"officer": 200, "finance": 200, "anon": 401}},
		{method: "POST", path: "/units", body: func() any {
			return map[string]any{"code": "SFJ", "name": "县司法局", "kind": "justice_bureau", "parent_id": w.root}
		},
			want: map[string]int{"cwGAJ": 403, "officer": 403, "anon": 401, "admin": 201}},
		{method: "PUT", path: "/units/" + w.court, etag: func() string { return w.must(&w.admin, 200, "GET", "/units/"+w.court, nil).header.Get("ETag") },
			body: func() any {
				return map[string]any{"code": "FY", "name": "县人民法院（新）", "kind": "court", "parent_id": w.root}
			},
			want: map[string]int{"cwGAJ": 403, "officer": 403, "anon": 401, "admin": 200}},
		{method: "GET", path: "/members", want: map[string]int{"cwGAJ": 200, "officer": 200, "finance": 403, "anon": 401}},
		{method: "POST", path: "/members", body: func() any {
			return map[string]any{"unit_id": w.gaj, "name": "新警", "category": "police", "id_number": idNumber(1995, 41, true), "hire_date": "2018-07-01"}
		}, want: map[string]int{"cwCourt": 422, "officer": 403, "finance": 403, "anon": 401, "cwGAJ": 201}},
		{method: "GET", path: m(""), want: map[string]int{"cwCourt": 404, "judge": 404, "finance": 403, "anon": 401, "officer": 200, "cwGAJ": 200, "admin": 200, "service": 200}},
		{method: "PUT", path: m(""), ifMatch: true, body: func() any {
			return map[string]any{"unit_id": w.gaj, "name": "张伟", "category": "police", "post": map[string]any{"frontline": true},
				"id_number": idNumber(1985, 11, true), "phone": "13900139000", "hire_date": "2008-07-01"}
		}, want: map[string]int{"cwCourt": 404, "officer": 403, "judge": 403, "anon": 401, "cwGAJ": 200}},
		{method: "GET", path: m("/id-number"), want: map[string]int{"cwCourt": 404, "judge": 404, "finance": 403, "anon": 401, "officer": 200, "cwGAJ": 200}},
		{method: "POST", path: m("/honours"), ifMatch: true, body: func() any { return map[string]any{"kind": "merit_second", "awarded_on": "2020-05-04"} },
			want: map[string]int{"cwCourt": 404, "officer": 403, "anon": 401, "cwGAJ": 200}},
		{method: "GET", path: m("/dependants"), want: map[string]int{"cwCourt": 404, "judge": 404, "officer": 200, "cwGAJ": 200}},
		{method: "POST", path: m("/dependants"), ifMatch: true, body: spouse, want: map[string]int{"cwCourt": 404, "officer": 403, "admin": 200}},
		{method: "PUT", path: m("/dependants/" + depID), ifMatch: true, body: dep, want: map[string]int{"cwCourt": 404, "officer": 403, "cwGAJ": 200}},
		{method: "PUT", path: m("/beneficiaries/personal_accident"), ifMatch: true, body: func() any {
			return map[string]any{"beneficiaries": []any{map[string]any{"name": "王芳", "relation": "spouse", "share": "60"},
				map[string]any{"name": "张小明", "relation": "child", "share": "40"}}}
		}, want: map[string]int{"cwCourt": 404, "officer": 403, "cwGAJ": 200}},
		{method: "DELETE", path: m("/dependants/" + depID), ifMatch: true, want: map[string]int{"cwCourt": 404, "officer": 403, "cwGAJ": 200}},
		{method: "GET", path: m("/history"), want: map[string]int{"cwCourt": 404, "judge": 404, "officer": 200, "cwGAJ": 200}},
		{method: "GET", path: m("/enrollments"), want: map[string]int{"cwCourt": 404, "judge": 404, "officer": 200, "cwGAJ": 200, "service": 200}},
		{method: "GET", path: m("/coverage?date=2026-06-01"), want: map[string]int{"cwCourt": 404, "judge": 404, "finance": 403, "officer": 200, "service": 200}},
		{method: "GET", path: "/plans", want: map[string]int{"officer": 200, "finance": 403, "anon": 401}},
		{method: "GET", path: "/plans/" + w.plan, want: map[string]int{"officer": 200, "finance": 403}},
		{method: "POST", path: "/plans", body: func() any { return planBody(2027) }, want: map[string]int{"cwGAJ": 403, "officer": 403, "admin": 201}},
		{method: "POST", path: "/plans/" + w.plan + "/bulk-enrollments", body: func() any {
			return map[string]any{"unit_ids": []string{w.gaj}, "start": "2026-01-01", "dry_run": true}
		}, want: map[string]int{"cwCourt": 422, "officer": 403, "cwGAJ": 200}},
		{method: "POST", path: "/plans/" + w.plan + "/renewals", body: func() any {
			return map[string]any{"next_plan_id": w.plan, "dry_run": true}
		}, want: map[string]int{"officer": 403, "finance": 403, "cwGAJ": 422}},
		{method: "GET", path: "/enrollments/" + w.enroll, want: map[string]int{"cwCourt": 404, "judge": 404, "officer": 200, "cwGAJ": 200}},
		{method: "GET", path: "/enrollments/" + w.enroll + "/events", want: map[string]int{"cwCourt": 404, "judge": 404, "finance": 403, "officer": 200, "cwGAJ": 200}},
		{method: "POST", path: "/enrollments", body: func() any {
			return map[string]any{"member_id": w.member, "plan_id": w.plan, "start": "2026-02-01"}
		}, want: map[string]int{"cwCourt": 404, "officer": 403, "cwGAJ": 409}},
		{method: "GET", path: "/premium-summary?year=2026", want: map[string]int{"officer": 403, "judge": 403, "finance": 200, "cwGAJ": 200, "admin": 200}},
		{method: "POST", path: "/roster-imports?format=csv&dry_run=true", body: func() any {
			return []byte("单位编码,姓名,人员类别,身份证号,入职日期\nGAJ,赵强,民警," + idNumber(1990, 51, true) + ",2012-07-01\n")
		}, want: map[string]int{"officer": 403, "finance": 403, "cwGAJ": 200}},
		{method: "POST", path: m("/status"), ifMatch: true, body: func() any { return map[string]any{"status": "retired", "date": "2026-11-01"} },
			want: map[string]int{"cwCourt": 404, "officer": 403, "cwGAJ": 200}},
		{method: "POST", path: "/enrollments/" + w.enroll + "/close", etag: func() string {
			return w.must(&w.admin, 200, "GET", "/enrollments/"+w.enroll, nil).header.Get("ETag")
		}, body: func() any { return map[string]any{"last_day": "2026-11-01", "reason": "ended_by_request"} },
			want: map[string]int{"cwCourt": 404, "officer": 403, "cwGAJ": 409}},
		{method: "POST", path: "/members/" + w.other + "/death", ifMatch: true, body: func() any { return map[string]any{"date": "2026-10-01", "cause": "illness"} },
			want: map[string]int{"cwGAJ": 404, "judge": 403, "cwCourt": 200}},
		{method: "GET", path: "/admin/audit", want: map[string]int{"cwGAJ": 403, "officer": 403, "admin": 200}},
		{method: "GET", path: "/admin/dead-letters", want: map[string]int{"cwGAJ": 403, "admin": 200}},
		{method: "POST", path: "/admin/dead-letters/1/replay", want: map[string]int{"cwGAJ": 403, "officer": 403, "admin": 404}},
		{method: "GET", path: "/admin/audit/verify", want: map[string]int{"cwGAJ": 403, "officer": 403, "admin": 200}},
	}
	// The table covers every route the service serves.
	uuidOrParam := regexp.MustCompile(`/([0-9a-f]{8}-[0-9a-f-]{27}|personal_accident|[0-9]+)(/|$)|/:[a-z_]+`)
	norm := func(method, path string) string {
		path, _, _ = strings.Cut(path, "?")
		for uuidOrParam.MatchString(path) {
			path = uuidOrParam.ReplaceAllString(path, "/{}$2")
		}
		return method + " " + path
	}
	var tested, served []string
	for _, c := range calls {
		tested = append(tested, norm(c.method, c.path))
	}
	for _, rt := range w.h.(*gin.Engine).Routes() {
		if strings.HasPrefix(rt.Path, api+"/") {
			served = append(served, norm(rt.Method, strings.TrimPrefix(rt.Path, api)))
		}
	}
	slices.Sort(tested)
	tested = slices.Compact(tested)
	slices.Sort(served)
	if len(served) < 30 || !slices.Equal(tested, served) {
		t.Errorf("access table and routes differ:\ntested %v\nserved %v", tested, served)
	}
	identities := map[string]*auth.Identity{"anon": nil}
	for name, id := range map[string]auth.Identity{"admin": w.admin, "cwGAJ": w.cwGAJ, "cwCourt": w.cwCourt, "officer": w.officer,
		"judge": w.judge, "finance": w.finance, "service": w.service} {
		identities[name] = &id
	}
	order := []string{"anon", "finance", "judge", "officer", "cwCourt", "service", "admin", "cwGAJ"}
	for _, c := range calls {
		before := w.snapshot(w.member)
		otherBefore := w.snapshot(w.other)
		// Refusals first, then the call that is allowed (which may change
		// state).
		for _, pass := range []bool{false, true} {
			for _, name := range order {
				want, ok := c.want[name]
				if !ok || (want < 300 || want == 409) != pass {
					continue
				}
				var body any
				if c.body != nil {
					body = c.body()
				}
				var headers []string
				if c.ifMatch {
					headers = []string{"If-Match", w.version(pathMember(c.path, w))}
				}
				if c.etag != nil {
					headers = []string{"If-Match", c.etag()}
				}
				if b, ok := body.([]byte); ok {
					headers = append(headers, "Content-Type", "text/csv")
					body = b
				}
				r := w.do(identities[name], c.method, c.path, body, headers...)
				if r.status != want {
					t.Errorf("%s %s as %s: %d, want %d: %s", c.method, c.path, name, r.status, want, r.raw)
				}
				if want >= 400 {
					if r.code() == "" {
						t.Errorf("%s %s as %s: no problem code: %s", c.method, c.path, name, r.raw)
					}
					if w.snapshot(w.member) != before || w.snapshot(w.other) != otherBefore {
						t.Errorf("%s %s as %s: a refused call changed a member", c.method, c.path, name)
					}
				}
			}
		}
	}
	t.Run("an officer lists only themself", func(t *testing.T) {
		r := w.must(&w.officer, 200, "GET", "/members", nil)
		list := r.body["members"].([]any)
		if len(list) != 1 || list[0].(map[string]any)["id"] != w.member {
			t.Errorf("officer list: %s", r.raw)
		}
		r = w.must(&w.cwCourt, 200, "GET", "/members", nil)
		for _, x := range r.body["members"].([]any) {
			if x.(map[string]any)["id"] == w.member {
				t.Errorf("court caseworker lists a police officer")
			}
		}
	})
}

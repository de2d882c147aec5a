package gateway_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/app/apptest"
	"github.com/anxin-welfare/anxin/pkg/auth"
)

// Family care in the access table (TestOtherOfficersObjectsAnswer404):
// officer A's family-care record, and what another officer and another
// officer's family try on it.

// openCare has the caseworker open A's family-care record, once grants
// knows A from enrollment's events, with a visit and a matter whose text
// no answer to B may contain.
func (w *accessWorld) openCare(t *testing.T, cw auth.Identity) {
	t.Helper()
	s := w.s
	apptest.Eventually(t, 20*time.Second, "A's family-care record opened", func() bool {
		r := s.env.Do(t, s.h["grants"], &cw, "POST", "/api/v1/grants/care/records", map[string]any{"member_id": s.member})
		if r.Code == http.StatusCreated {
			var out map[string]any
			_ = json.Unmarshal(r.Body.Bytes(), &out)
			w.objs.Care, _ = out["id"].(string)
		}
		return w.objs.Care != ""
	})
	const careSecret = "甲家的困难：请勿外传"
	w.objs.CareVisit = s.call(t, cw, "POST", "/api/v1/grants/care/records/"+w.objs.Care+"/visits", map[string]any{"occasion": "other",
		"visited_on": "2026-11-27", "visitors": []string{"王芳"}, "family_raised": careSecret}, 201)["id"].(string)
	matter := s.call(t, cw, "POST", "/api/v1/grants/care/records/"+w.objs.Care+"/matters", map[string]any{"kind": "housing", "summary": careSecret}, 201)
	w.objs.CareMatter, w.objs.CareMatterV = matter["id"].(string), int64(matter["version"].(float64))
	w.secrets = append(w.secrets, careSecret)
}

// careAttempts are the rows about A's family-care record: only its
// liaisons, the unit's caseworkers and the committee see it, so another
// officer and another officer's family get 404 (403 from a page that is
// for caseworkers and the committee only); A's own family reads it
// through /family-care, never through these.
func careAttempts(png []byte) []accessAttempt {
	const nf, forb = http.StatusNotFound, http.StatusForbidden
	p := func(f func(o accessObjects) string) func(o accessObjects) string { return f }
	fixed := func(v any) func(o accessObjects) any { return func(accessObjects) any { return v } }
	careV := func(o accessObjects) int64 { return o.CareMatterV }
	matter := func(accessObjects) url.Values { return url.Values{"kind": {"other"}, "summary": {"我也有诉求"}} }
	return []accessAttempt{
		{name: "page: family care record", page: true, method: "GET", path: p(func(o accessObjects) string { return "/work/family-care/" + o.Care }), officer: nf, family: nf},
		{name: "page: family care visit form", page: true, method: "GET", path: p(func(o accessObjects) string { return "/work/family-care/" + o.Care + "/visit" }), officer: nf, family: nf},
		{name: "page: raise a matter on the family's record", page: true, method: "POST", path: p(func(o accessObjects) string { return "/work/family-care/" + o.Care + "/matters" }),
			form: matter, officer: nf, family: nf},
		{name: "page: raise a matter as the family", page: true, method: "POST", path: p(func(o accessObjects) string { return "/family-care/" + o.Care + "/matters" }),
			form: matter, officer: nf, family: nf},
		{name: "page: pair a liaison (caseworkers and the committee only)", page: true, method: "POST", path: p(func(o accessObjects) string { return "/work/family-care/" + o.Care + "/liaisons/leader" }),
			form: func(accessObjects) url.Values { return url.Values{"user": {"x"}, "phone": {"13900000000"}} }, officer: forb, family: forb},
		{name: "page: resolve the family's matter", page: true, method: "POST", path: p(func(o accessObjects) string {
			return "/work/family-care/" + o.Care + "/matters/" + o.CareMatter + "/resolve"
		}), form: func(accessObjects) url.Values { return url.Values{"outcome": {"办结"}} }, officer: nf, family: nf},
		{name: "page: add a photo to the family's visit", page: true, method: "POST", path: p(func(o accessObjects) string {
			return "/work/family-care/" + o.Care + "/visits/" + o.CareVisit + "/photos"
		}), upload: true, officer: nf, family: nf},
		{name: "page: export the families unmasked (the committee only)", page: true, method: "GET",
			path: p(func(accessObjects) string { return "/work/family-care/export?unmask=1" }), officer: forb, family: forb},
		{name: "api: GET family care record", method: "GET", path: p(func(o accessObjects) string { return "/api/v1/grants/care/records/" + o.Care }), officer: nf, family: nf},
		{name: "api: POST a visit to the family", method: "POST", path: p(func(o accessObjects) string { return "/api/v1/grants/care/records/" + o.Care + "/visits" }),
			body: fixed(map[string]any{"occasion": "other", "visited_on": "2026-11-27", "visitors": []string{"路人"}}), officer: nf, family: nf},
		{name: "api: POST a matter on the family's record", method: "POST", path: p(func(o accessObjects) string { return "/api/v1/grants/care/records/" + o.Care + "/matters" }),
			body: fixed(map[string]any{"kind": "other", "summary": "我也有诉求"}), officer: nf, family: nf},
		{name: "api: POST a photo to the family's visit", method: "POST", path: p(func(o accessObjects) string { return "/api/v1/grants/care/visits/" + o.CareVisit + "/photos" }),
			body: fixed(png), officer: nf, family: nf},
		{name: "api: resolve the family's matter", method: "POST", path: p(func(o accessObjects) string { return "/api/v1/grants/care/matters/" + o.CareMatter + "/resolve" }),
			body: fixed(map[string]any{"outcome": "办结"}), match: careV, officer: nf, family: nf},
	}
}

package grants_test

import (
	"encoding/json"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/internal/specs"
	"github.com/anxin-welfare/anxin/pkg/app/apptest"
)

// TestNULIsRefusedNamingTheField: a NUL in the text of a fund, an account,
// a programme or a notice's dismissal reason was a 500 (PostgreSQL refuses
// it in text); it is a 422 naming the field, and nothing changes.
func TestNULIsRefusedNamingTheField(t *testing.T) {
	h := start(t)
	h.env.Contract = specs.MustLoad(t, "grants")
	fundID, _ := h.setupFund(1000000)
	want(t, h.do(&admin, "POST", "/programs", map[string]any{"fund_id": fundID, "code": "martyr", "name_zh": "英烈家属资助", "kind": "martyr_family",
		"allocation": 10000000, "amount_rule": map[string]any{"kind": "fixed", "fixed": 500000}, "dual_approval_above": 1000000,
		"eligibility": map[string]any{"event": "death_on_duty", "dependants_only": true}}, 0), 201, "")
	h.publish("enrollment", "member.deceased", "m-9", 2, map[string]any{"member_id": "m-9", "unit_id": "unit-1", "category": "police",
		"status_date": "2026-11-20", "death_cause": "line_of_duty", "dependants": []map[string]any{{"dependant_id": "d-1", "relation": "spouse"}}})
	var noticeID string
	apptest.Eventually(t, 15*time.Second, "notice opened", func() bool {
		items := decode[noticePage](t, h.do(&caseworker, "GET", "/notices", nil, 0)).Items
		if len(items) == 1 {
			noticeID = items[0]["id"].(string)
		}
		return noticeID != ""
	})
	before := []int{h.count(`SELECT count(*) FROM funds`), h.count(`SELECT count(*) FROM accounts`), h.count(`SELECT count(*) FROM programs`)}

	for _, tc := range []struct {
		path  string
		body  map[string]any
		field string
	}{
		{"/funds", map[string]any{"fiscal_year": 2027, "name": "2027年度\x00资金", "appropriation": 100}, "name"},
		{"/accounts", map[string]any{"code": "5019", "name_zh": "其他\x00支出", "kind": "expense"}, "name_zh"},
		{"/programs", map[string]any{"fund_id": fundID, "code": "x", "name_zh": "资助", "name_en": "Aid\x00", "kind": "hardship",
			"allocation": 1000, "amount_rule": map[string]any{"kind": "fixed", "fixed": 100}}, "name_en"},
		{"/notices/" + noticeID + "/dismiss", map[string]any{"reason": "重复\x00"}, "reason"},
	} {
		who := &admin
		if tc.field == "reason" {
			who = &caseworker // the notice's unit's caseworker dismisses it
		}
		wantControlChar(t, h.do(who, "POST", tc.path, tc.body, 0), tc.field)
	}
	after := []int{h.count(`SELECT count(*) FROM funds`), h.count(`SELECT count(*) FROM accounts`), h.count(`SELECT count(*) FROM programs`)}
	if before[0] != after[0] || before[1] != after[1] || before[2] != after[2] {
		t.Fatalf("refused requests stored something: %v → %v", before, after)
	}
	if n := len(decode[noticePage](t, h.do(&caseworker, "GET", "/notices", nil, 0)).Items); n != 1 {
		t.Fatalf("the notice was dismissed by a refused request: %d open", n)
	}
}

func wantControlChar(t *testing.T, w *httptest.ResponseRecorder, field string) {
	t.Helper()
	if w.Code == 403 || w.Code == 404 {
		t.Fatalf("%s: %d %s", field, w.Code, w.Body)
	}
	var p struct {
		Code   string `json:"code"`
		Errors []struct{ Field, Code, Message string }
	}
	_ = json.Unmarshal(w.Body.Bytes(), &p)
	if w.Code != 422 || p.Code != "validation_failed" || len(p.Errors) != 1 || p.Errors[0].Field != field || p.Errors[0].Code != "field.control_char" {
		t.Fatalf("want 422 naming %s: %d %s", field, w.Code, w.Body)
	}
}

package gateway_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/idcard"
)

// TestMemberBeneficiariesAndRecordsAgainstRealServices: a caseworker edits
// a member's beneficiaries of one scheme as a set against the real
// enrollment service — shares that do not total 100 come back beside the
// form, named; 60/40 saves; saving again without retyping the numbers
// keeps them — and the member's page lists their leave requests and links
// to nothing the caseworker may not open.
func TestMemberBeneficiariesAndRecordsAgainstRealServices(t *testing.T) {
	s := startRealSystem(t)
	// The officer reports an injury and asks for leave through the pages.
	officer := journeySignIn(t, s.gateway, "officer")
	st, loc, page := officer.post("/injury/report", url.Values{"unit_id": {s.unit}, "severity": {"serious"},
		"injured_at": {"2026-11-27T09:30"}, "place": {"城关派出所门口"}, "description": {"巡逻时摔伤右腿"}})
	if st != http.StatusSeeOther || !strings.HasPrefix(loc, "/cases/") {
		t.Fatalf("report = %d %s %s", st, loc, snippet(page))
	}
	casePath := strings.SplitN(loc, "?", 2)[0]
	if st, _, page := officer.post("/leave/requests", url.Values{"from": {"2026-12-14"}, "to": {"2026-12-15"}, "reason": {"回老家探亲"}}); st != http.StatusSeeOther {
		t.Fatalf("leave request = %d %s", st, snippet(page))
	}

	cw := journeySignIn(t, s.gateway, "caseworker")
	member := "/work/members/" + s.member
	records := cw.page(t, member, `id="records-cases"`, `href="`+casePath+`">GC-2026-`, `id="records-leave"`, "2026-12-14 – 2026-12-15", "待审批")
	if strings.Contains(records, "records_unavailable") || strings.Contains(records, "暂时无法读取") {
		t.Error("a record service could not be read")
	}
	wife := idcard.Generate("110105", time.Date(1986, 4, 5, 0, 0, 0, 0, time.UTC), 31, false)

	cw.page(t, member, `id="beneficiaries"`, "未指定（由法定继承人受益）", `href="`+member+`/beneficiaries/personal_accident"`,
		`id="records"`, "工伤案件", "资助申请", "休假申请", "疗休养")
	form := cw.page(t, member+"/beneficiaries/personal_accident", "修改指定受益人", `name="b0_name"`, `name="b2_share"`)
	version := pageVersionOf(t, form)

	bad := url.Values{"version": {version}, "rows": {"3"},
		"b0_name": {"刘敏"}, "b0_relation": {"spouse"}, "b0_id_number": {wife}, "b0_share": {"60"},
		"b1_name": {"张小明"}, "b1_relation": {"child"}, "b1_share": {"30"}}
	st, _, page = cw.post(member+"/beneficiaries/personal_accident", bad)
	if st != http.StatusUnprocessableEntity || !strings.Contains(page, "受益比例合计为 90.00%") || !strings.Contains(page, `value="张小明"`) ||
		!strings.Contains(page, "<title>错误：") {
		t.Fatalf("shares of 90%% = %d %s", st, snippet(page))
	}
	good := bad
	good.Set("b1_share", "40")
	if st, loc, page := cw.post(member+"/beneficiaries/personal_accident", good); st != http.StatusSeeOther || loc != member+"?m=beneficiaries" {
		t.Fatalf("save = %d %s %s", st, loc, snippet(page))
	}
	cw.page(t, member+"?m=beneficiaries", "受益人已保存", "刘敏", "份额 60.00%", "张小明", "份额 40.00%", idcard.Mask(wife))

	// Again, 50/50, without the number: the registry keeps it.
	form = cw.page(t, member+"/beneficiaries/personal_accident", "已登记号码："+idcard.Mask(wife), `value="刘敏"`)
	again := url.Values{"version": {pageVersionOf(t, form)}, "rows": {"4"},
		"b0_name": {"刘敏"}, "b0_relation": {"spouse"}, "b0_share": {"50"},
		"b1_name": {"张小明"}, "b1_relation": {"child"}, "b1_share": {"50"}}
	if st, loc, page := cw.post(member+"/beneficiaries/personal_accident", again); st != http.StatusSeeOther {
		t.Fatalf("save again = %d %s %s", st, loc, snippet(page))
	}
	admin := auth.Identity{UserID: "u-check", Roles: []auth.Role{auth.RoleCaseworker}, Units: []string{s.unit}}
	got := s.call(t, admin, "GET", "/api/v1/enrollment/members/"+s.member, nil, http.StatusOK)
	bs, _ := got["beneficiaries"].(map[string]any)["personal_accident"].([]any)
	if len(bs) != 2 || bs[0].(map[string]any)["id_number_masked"] != idcard.Mask(wife) || bs[0].(map[string]any)["share"] != "50.00" {
		t.Errorf("registry has %v", bs)
	}
	// A stale form is refused, not applied over the newer designation.
	if st, _, page := cw.post(member+"/beneficiaries/personal_accident", good); st != http.StatusConflict || !strings.Contains(page, "此人员记录刚被他人修改") {
		t.Errorf("stale save = %d %s", st, snippet(page))
	}
}

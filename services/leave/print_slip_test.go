package leave_test

import (
	"net/http"
	"testing"

	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/pkg/pdfdoc"
	"github.com/anxin-welfare/anxin/pkg/pdfdoc/pdftest"
)

// TestTheApprovalSlipNamesTheLeaveAndItsApprovers: a seven-day request
// approved at both levels prints as a slip with the officer, the dates,
// the working days, the reason, each approver by name with their comment
// and date, and boxes for signatures and the unit's seal. The officer and
// the unit's staff may print it; an officer or caseworker of another unit
// gets 404, as for the request itself.
func TestTheApprovalSlipNamesTheLeaveAndItsApprovers(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.namedMember(t, "member.registered", 1, "n1", "u1", "周小川")
	staff := auth.Identity{UserID: "probe", Roles: []auth.Role{auth.RoleCaseworker}, Units: []string{"u1"}}
	waitFor(t, h, "n1 projected", func() bool {
		return h.do(t, &staff, "GET", "/api/v1/leave/members/n1/balance?year=2026", nil).Code == http.StatusOK
	})

	w := h.do(t, &officerN1, "POST", "/api/v1/leave/requests", map[string]string{"from": "2026-11-30", "to": "2026-12-08", "reason": "回乡探亲"})
	if w.Code != http.StatusCreated {
		t.Fatalf("apply: %d %s", w.Code, w.Body)
	}
	r := decode[actionsResp](t, w)
	path := "/api/v1/leave/requests/" + r.ID
	head := head1
	head.Name = "吴所长"
	appr := approver1
	appr.Name = "郑政委"
	for _, step := range []struct {
		who     *auth.Identity
		comment string
	}{{&head, "同意，注意交接"}, {&appr, "同意"}} {
		w := h.do(t, step.who, "POST", path+"/approve", map[string]string{"comment": step.comment}, "If-Match", etag(r.Version))
		if w.Code != http.StatusOK {
			t.Fatalf("approve as %s: %d %s", step.who.UserID, w.Code, w.Body)
		}
		r = decode[actionsResp](t, w)
	}

	w = h.do(t, &officerN1, "GET", path+"/slip.pdf", nil)
	if w.Code != http.StatusOK || w.Header().Get("Content-Type") != pdfdoc.ContentType {
		t.Fatalf("print: %d %s", w.Code, w.Body)
	}
	doc := w.Body.Bytes()
	pdftest.Contains(t, doc, "年休假审批单", "编号："+r.ID, "周小川", "2026-11-30", "2026-12-08", "占用工作日 7", "回乡探亲", "已批准",
		"第1级审批", "吴所长", "同意，注意交接", "第2级审批", "郑政委", "单位负责人意见", "二级审批意见", "系统记录：吴所长 2026-11-27",
		"单位（盖章）", "打印时间：2026-11-27 10:00（北京时间）")
	pdftest.Render(t, doc, "leave-slip")

	for _, who := range []auth.Identity{head1, cw1, approver1} {
		if w := h.do(t, &who, "GET", path+"/slip.pdf", nil); w.Code != http.StatusOK {
			t.Errorf("%s prints the slip: %d", who.UserID, w.Code)
		}
	}
	for _, who := range []auth.Identity{officer2, cw2} {
		expectProblem(t, h.do(t, &who, "GET", path+"/slip.pdf", nil), http.StatusNotFound, "not_found")
	}
	expectProblem(t, h.do(t, &officerN1, "GET", "/api/v1/leave/requests/00000000-0000-0000-0000-000000000000/slip.pdf", nil), http.StatusNotFound, "not_found")
	en := officerN1
	en.Lang = i18n.EN
	pdftest.Contains(t, h.do(t, &en, "GET", path+"/slip.pdf", nil).Body.Bytes(), "Annual leave approval slip", "Level 2")
}

package gateway_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/auth"
)

// TestClosingACaseThroughThePagesAgainstRealServices: a caseworker closing a
// case in triage is offered the two reasons that stage allows; the first
// press asks for confirmation and changes nothing; a reason the stage does
// not allow (sent by hand) is refused in words, never with the state's
// code; the officer sees nothing of the queue and may not use 测算.
func TestClosingACaseThroughThePagesAgainstRealServices(t *testing.T) {
	t.Parallel()
	s := startRealSystem(t)
	seedCW := auth.Identity{UserID: "u-seed-cw", Name: "王芳", Roles: []auth.Role{auth.RoleCaseworker}, Units: []string{s.unit}}
	c := s.call(t, seedCW, "POST", "/api/v1/injury/cases", map[string]any{"member_id": s.member, "unit_id": s.unit,
		"injured_at": s.env.Clock.Now().Add(-time.Hour).Format(time.RFC3339), "place": "城关路口", "description": "执勤时受伤", "severity": "serious"}, http.StatusCreated)
	id, number := c["id"].(string), c["number"].(string)
	casePath := "/cases/" + id

	cw := journeySignIn(t, s.gateway, "caseworker")
	st, page := cw.get(casePath)
	if st != http.StatusOK || !strings.Contains(page, `<option value="withdrawn"`) || !strings.Contains(page, `<option value="duplicate"`) ||
		strings.Contains(page, `<option value="completed"`) || strings.Contains(page, `<option value="rejected"`) {
		t.Errorf("the close form of a case in triage = %d: %s", st, snippet(page))
	}
	st, _, body := cw.post(casePath+"/actions/close", url.Values{"version": {"1"}, "reason": {"withdrawn"}})
	if st != http.StatusOK || !strings.Contains(body, `id="confirm"`) || !strings.Contains(body, "确认将案件 "+number+" 以“撤回”结案") ||
		!strings.Contains(body, `name="confirm" value="yes"`) {
		t.Errorf("the first press = %d: %s", st, snippet(body))
	}
	if state := s.call(t, seedCW, "GET", "/api/v1/injury/cases/"+id, nil, http.StatusOK)["state"]; state != "triage" {
		t.Errorf("the first press changed the case to %v", state)
	}
	st, _, body = cw.post(casePath+"/actions/close", url.Values{"version": {"1"}, "reason": {"completed"}})
	if st != http.StatusUnprocessableEntity || strings.Contains(body, `id="confirm"`) || !strings.Contains(body, "此阶段不能以这个原因结案") {
		t.Errorf("an unoffered reason, unconfirmed = %d: %s", st, snippet(body))
	}
	st, _, body = cw.post(casePath+"/actions/close", url.Values{"version": {"1"}, "reason": {"completed"}, "confirm": {"yes"}})
	if st != http.StatusUnprocessableEntity || !strings.Contains(body, "工伤认定作出前，只能以“撤回”或“重复报告”结案") || strings.Contains(body, "triage") {
		t.Errorf("an unfit reason = %d: %s", st, snippet(body))
	}
	st, loc, body := cw.post(casePath+"/actions/close", url.Values{"version": {"1"}, "reason": {"withdrawn"}, "confirm": {"yes"}})
	if st != http.StatusSeeOther || !strings.HasSuffix(loc, "?m=done") {
		t.Fatalf("the confirmed close = %d %s: %s", st, loc, snippet(body))
	}
	if state := s.call(t, seedCW, "GET", "/api/v1/injury/cases/"+id, nil, http.StatusOK)["state"]; state != "closed" {
		t.Errorf("the confirmed close left the case %v", state)
	}
	if _, queue := cw.get("/work/queue"); strings.Contains(queue, number) {
		t.Errorf("the closed case is in 待办")
	}
	if _, closed := cw.get("/work/queue?status=closed"); !strings.Contains(closed, number) {
		t.Errorf("the closed case is not under 已结案")
	}

	officer := journeySignIn(t, s.gateway, "officer")
	for _, p := range []string{"/work/queue", "/calculators?kind=injury&grade=5&wages=6000"} {
		if st, _ := officer.get(p); st != http.StatusForbidden {
			t.Errorf("the officer opens %s: %d", p, st)
		}
	}
}

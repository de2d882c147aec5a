package gateway_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/anxin-welfare/anxin/pkg/app/apptest"
	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/services/gateway"
)

// submitGrant has member of unit apply on the hardship programme, asking
// requested fen, and submit it; it returns the application's number. The
// grants service must have learnt of the member from enrollment's events
// first.
func submitGrant(t *testing.T, s *realSystem, unit, member string, requested int) string {
	t.Helper()
	cw := auth.Identity{UserID: "u-applicant-" + member, MemberID: member, Roles: []auth.Role{auth.RoleOfficer}, Units: []string{unit}}
	body := map[string]any{"program_id": s.program, "member_id": member, "requested_amount": requested,
		"form": map[string]any{"income_per_capita": 150000}, "documents": []string{"家庭收入证明"}}
	var created map[string]any
	apptest.Eventually(t, 20*time.Second, "grants takes an application for the member", func() bool {
		w := s.env.Do(t, s.h["grants"], &cw, "POST", "/api/v1/grants/applications", body)
		if w.Code != http.StatusCreated {
			t.Logf("create = %d %s", w.Code, w.Body)
			return false
		}
		return json.Unmarshal(w.Body.Bytes(), &created) == nil
	})
	id, _ := created["id"].(string)
	s.call(t, cw, "POST", "/api/v1/grants/applications/"+id+"/submit", map[string]any{}, 200, "If-Match", `"1"`)
	number, _ := created["number"].(string)
	return number
}

// The queue names the injured and filters the grant applications awaiting
// review by unit, with applicant, amount and days waiting (the grants API
// gives no due date, so no colour); a case filter hides them.
func TestWorkQueueNamesPeopleAndFiltersGrantsAgainstRealServices(t *testing.T) {
	t.Parallel()
	s := startRealSystem(t)
	east := eastStation(t, s)
	units := []string{s.unit, east}
	liMing := registerMember(t, s, units, s.unit, "李明", 1)
	liHua := registerMember(t, s, units, east, "李华", 2)
	gone := uuid.NewString() // a member no service has a record of
	seedPeople(t, s, gateway.DemoUser{Username: "caseworker2", DisplayName: "钱经办", Roles: []auth.Role{auth.RoleCaseworker}, Units: units})

	// 王强's application waits three days, 李华's is new.
	first := submitGrant(t, s, s.unit, s.fallen, 1_200_000)
	s.env.Clock.Advance(3*24*time.Hour + time.Hour)
	second := submitGrant(t, s, east, liHua, 50_000)

	b := journeySignIn(t, s.gateway, "caseworker2")
	_, form := b.get("/injury/report")
	for _, r := range []url.Values{
		{"member_id": {liMing}, "unit_id": {s.unit}},
		{"member_id": {gone}, "unit_id": {east}},
	} {
		r.Set("severity", "serious")
		r.Set("injured_at", injuredAtNow(t, form))
		r.Set("place", "路口")
		r.Set("description", "受伤")
		if st, _, body := b.post("/injury/report", r); st != http.StatusSeeOther {
			t.Fatalf("report = %d %s", st, snippet(body))
		}
	}
	st, all := b.get("/work/queue")
	if st != http.StatusOK {
		t.Fatalf("queue = %d %s", st, snippet(all))
	}
	pageHas(t, "the queue", all, "<td>李明</td>", "<td>"+gone+"</td>", `<td data-label="单位">县公安局</td>`, "<td>东城派出所</td>",
		`id="grant-queue"`, first, "<td>王强</td>", money.Fen(1_200_000).String(), `<td class="num">3</td>`,
		second, "<td>李华</td>", `<td class="num">0</td>`)

	_, one := b.get("/work/queue?unit=" + east)
	pageHas(t, "the queue of 东城派出所", one, second, "<td>"+gone+"</td>")
	pageLacks(t, "the queue of 东城派出所", one, first, "李明")

	_, triage := b.get("/work/queue?state=triage")
	pageHas(t, "the queue in triage", triage, `id="grants-hidden"`, "<td>李明</td>")
	pageLacks(t, "the queue in triage", triage, first)

	if st, r := b.get("/work/queue?unit=" + url.QueryEscape("<not mine>") + "&state=" + url.QueryEscape("%")); st != http.StatusOK ||
		!strings.Contains(r, first) {
		t.Errorf("a queue with a foreign unit and a bad state = %d", st)
	}
}

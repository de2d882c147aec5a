package httpapi_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
)

// TestHealthCheckSlotPlaceAndNotes: the caseworker sets a slot's place and
// preparation notes with the slot. (The officer reads them on /care, in the
// leave area: TestCarePagesAgainstRealServices.)
func TestHealthCheckSlotPlaceAndNotes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("case1", domain.RoleCaseworker)
	cw := e.browser()
	cw.signIn("case1")
	tok := cw.token("/work/health-check-rounds")
	r := cw.post("/work/health-check-rounds/r-1/slots", url.Values{"csrf_token": {tok}, "year": {"2026"}, "starts_at": {"2026-05-10T09:00"}, "capacity": {"5"},
		"place": {"县中医院二楼"}, "notes": {"前一晚十点后禁食"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("slot = %d %s", r.status, r.body)
	}
	round := cw.get("/work/health-check-rounds/r-1?year=2026")
	for _, want := range []string{"地点：县中医院二楼", "准备事项：前一晚十点后禁食", `id="place"`, `id="notes"`} {
		if !strings.Contains(round.body, want) {
			t.Errorf("the round page lacks %q", want)
		}
	}
}

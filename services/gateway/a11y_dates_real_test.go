package gateway_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/idcard"
)

// TestImplausibleDatesOnPages: a mistyped year typed into a page's date
// field is refused with a 422 that names the field and the range it must
// fall in, next to the field and in the error summary, on the injury
// report, the member registration and the leave request, and opens,
// registers or requests nothing.
func TestImplausibleDatesOnPages(t *testing.T) {
	s := startRealSystem(t)

	t.Run("an injury in year 0006", func(t *testing.T) {
		officer := journeySignIn(t, s.gateway, "officer")
		// The range starts at the officer's birth (张伟, born 1985-03-04)
		// once injury has applied enrollment's member event; until then it
		// starts at 1950. A refused report changes nothing, so send it
		// again until the answer names the birth.
		for deadline := time.Now().Add(30 * time.Second); ; {
			st, _, body := officer.post("/injury/report", url.Values{"severity": {"serious"}, "injured_at": {"0006-03-10T08:00"},
				"place": {"城关派出所门口"}, "description": {"巡逻时摔伤右腿"}})
			if st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="injured_at-error"`) {
				t.Fatalf("injury in 0006 = %d %s", st, snippet(body))
			}
			if strings.Contains(body, "应在 1985-03-04 至 ") {
				break
			}
			if !strings.Contains(body, "应在 1950-01-01 至 ") || time.Now().After(deadline) {
				t.Fatalf("injury in 0006 names no range from the birth: %s", snippet(body))
			}
			time.Sleep(100 * time.Millisecond)
		}
	})

	t.Run("a hire date in year 0006", func(t *testing.T) {
		cw := journeySignIn(t, s.gateway, "caseworker")
		form := url.Values{"name": {"赵刚"}, "id_number": {idcard.Generate("110105", time.Date(1990, 4, 5, 0, 0, 0, 0, time.UTC), 31, true)},
			"category": {"police"}, "unit_id": {s.unit}, "frontline": {"1"}, "phone": {"13800138001"}, "hire_date": {"0006-07-01"}}
		st, _, body := cw.post("/work/members", form)
		if st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="hire_date-error"`) || !strings.Contains(body, "应在 1950-01-01 至 ") {
			t.Fatalf("hire date in 0006 = %d %s", st, snippet(body))
		}
	})

	t.Run("leave in year 2206", func(t *testing.T) {
		officer := journeySignIn(t, s.gateway, "officer")
		st, _, body := officer.post("/leave/requests", url.Values{"from": {"2206-12-01"}, "to": {"2206-12-02"}})
		if st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="from-error"`) || !strings.Contains(body, "应在 2000-01-01 至 ") {
			t.Fatalf("leave in 2206 = %d %s", st, snippet(body))
		}
	})
}

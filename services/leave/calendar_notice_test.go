package leave_test

import (
	"net/http"
	"strings"
	"testing"
)

// Next year's leave: before the official 2027 calendar is entered, a
// request is counted with the provisional calendar (weekends only) and
// says so; the administrator previews the year's holiday notice (problems
// by line, nothing saved), then saves it; new counts use it, and the
// request keeps the days it was counted with, marked provisional.
func TestNextYearProvisionalThenOfficialNotice(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	type quote struct {
		Days        int  `json:"days"`
		Provisional bool `json:"provisional_calendar"`
	}
	// 1–8 January 2027: six weekdays; the notice will make 1 January a
	// holiday.
	q := h.do(t, &officer1, "POST", "/api/v1/leave/requests/quote", map[string]string{"from": "2027-01-01", "to": "2027-01-08"})
	if q.Code != http.StatusOK {
		t.Fatalf("quote: %d %s", q.Code, q.Body)
	}
	if got := decode[quote](t, q); got.Days != 6 || !got.Provisional {
		t.Fatalf("provisional quote: %+v", got)
	}
	// The 2027 entitlement accrues on 1 January; a caseworker grants days
	// ahead so the request can be made now.
	if w := h.do(t, &cw1, "POST", "/api/v1/leave/members/m1/adjustments", map[string]any{"year": 2027, "days": 5, "reason": "提前安排"}); w.Code != http.StatusCreated {
		t.Fatalf("adjust: %d %s", w.Code, w.Body)
	}
	w := h.do(t, &officer1, "POST", "/api/v1/leave/requests", map[string]string{"from": "2027-01-04", "to": "2027-01-05"})
	if w.Code != http.StatusCreated || !strings.Contains(w.Body.String(), `"provisional_calendar":true`) {
		t.Fatalf("apply: %d %s", w.Code, w.Body)
	}
	req := decode[idResp](t, w)
	// A past year is not guessed, and the refusal says whom to ask.
	p := expectProblem(t, h.do(t, &officer1, "GET", "/api/v1/leave/working-days?from=2025-03-03&to=2025-03-04", nil), http.StatusUnprocessableEntity, "leave.calendar_missing")
	if !strings.Contains(p.Title, "系统管理员") {
		t.Errorf("the refusal does not say whom to ask: %q", p.Title)
	}

	bad := "日期,类型,名称\n2027-01-01,放假,元旦\n2027-02-06~2027-02-12,holiday,春节\n2027-02-15,上班,春节调休\n"
	type notice struct {
		Off, Work []string
		Days      int `json:"working_days_in_year"`
		Version   int64
		Problems  []struct {
			Line    int
			Code    string
			Message string
		}
	}
	w = h.do(t, &admin, "POST", "/api/v1/leave/calendars/2027/notice?dry_run=true", []byte(bad), "Content-Type", "text/csv")
	if w.Code != http.StatusOK {
		t.Fatalf("dry run: %d %s", w.Code, w.Body)
	}
	dry := decode[notice](t, w)
	if len(dry.Problems) != 1 || dry.Problems[0].Line != 4 || dry.Problems[0].Code != "leave.field.not_weekend" || !strings.Contains(dry.Problems[0].Message, "2027-02-15") {
		t.Fatalf("dry run problems: %+v", dry.Problems)
	}
	if w := h.do(t, &admin, "GET", "/api/v1/leave/calendars/2027", nil); w.Code != http.StatusNotFound {
		t.Fatalf("a dry run saved the calendar: %d", w.Code)
	}
	expectProblem(t, h.do(t, &admin, "POST", "/api/v1/leave/calendars/2027/notice", []byte(bad), "Content-Type", "text/csv"), http.StatusUnprocessableEntity, "validation_failed")
	expectProblem(t, h.do(t, &officer1, "POST", "/api/v1/leave/calendars/2027/notice", []byte(bad)), http.StatusForbidden, "forbidden")

	good := strings.Replace(bad, "2027-02-15", "2027-02-14", 1)
	dry = decode[notice](t, h.do(t, &admin, "POST", "/api/v1/leave/calendars/2027/notice?dry_run=true", []byte(good)))
	// 8 days off, 6 of them weekdays; one weekend made a working day.
	if len(dry.Problems) != 0 || len(dry.Off) != 8 || len(dry.Work) != 1 || dry.Days != 261-6+1 || dry.Version != 0 {
		t.Fatalf("clean dry run: %+v", dry)
	}
	w = h.do(t, &admin, "POST", "/api/v1/leave/calendars/2027/notice", []byte(good))
	if w.Code != http.StatusOK || decode[notice](t, w).Version != 1 {
		t.Fatalf("save: %d %s", w.Code, w.Body)
	}
	if got := decode[quote](t, h.do(t, &officer1, "POST", "/api/v1/leave/requests/quote", map[string]string{"from": "2027-01-01", "to": "2027-01-08"})); got.Days != 5 || got.Provisional {
		t.Errorf("official quote: %+v", got)
	}
	if w := h.do(t, &officer1, "GET", "/api/v1/leave/requests/"+req.ID, nil); !strings.Contains(w.Body.String(), `"provisional_calendar":true`) {
		t.Errorf("the request forgot it was counted provisionally: %s", w.Body)
	}
}

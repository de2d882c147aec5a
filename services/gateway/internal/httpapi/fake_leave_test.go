package httpapi_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
)

// fakeLeave stands in for the leave service's request endpoints
// (api/openapi/leave.yaml); other paths fall through to echo.
type fakeLeave struct {
	mu       sync.Mutex
	requests []*fakeLeaveRequest
	stays    []map[string]any
	echo     http.HandlerFunc
}

type fakeLeaveRequest struct {
	ID        string    `json:"id"`
	MemberID  string    `json:"member_id"`
	UnitID    string    `json:"unit_id"`
	From      string    `json:"from"`
	To        string    `json:"to"`
	Days      int       `json:"days"`
	Reason    string    `json:"reason"`
	Status    string    `json:"status"`
	CreatedAt time.Time `json:"created_at"`
	Version   int64     `json:"version"`
	owner     string
}

func days(from, to string) (int, bool) {
	f, err1 := time.Parse(time.DateOnly, from)
	t, err2 := time.Parse(time.DateOnly, to)
	if err1 != nil || err2 != nil || t.Before(f) {
		return 0, false
	}
	return int(t.Sub(f).Hours()/24) + 1, true
}

func (f *fakeLeave) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	user, roles := caller(r)
	path := strings.TrimPrefix(r.URL.Path, "/api/v1/leave")
	parts := strings.Split(strings.Trim(path, "/"), "/")
	f.mu.Lock()
	defer f.mu.Unlock()
	items := func(v any) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"items": v})
	}
	switch {
	case path == "/recuperation/facilities":
		items([]map[string]any{{"id": "fac-1", "name": "北戴河疗养院"}})
	case path == "/recuperation/sessions":
		items([]map[string]any{{"id": "s-1", "facility_id": "fac-1", "from": "2026-06-01", "to": "2026-06-07", "capacity": 10, "booked": 3}})
	case path == "/recuperation/bookings":
		items(f.stays)
	case path == "/health-checks/bookings":
		items([]map[string]any{})
	case path == "/health-checks/rounds":
		items([]map[string]any{{"id": "r-1"}})
	case path == "/health-checks/rounds/r-1/slots":
		items([]map[string]any{{"id": "slot-1", "round_id": "r-1", "starts_at": t0.Add(72 * time.Hour), "capacity": 2, "booked": 2}})
	case path == "/recuperation/sessions/s-1/bookings" && r.Method == http.MethodPost:
		if len(f.stays) > 0 {
			problem(w, http.StatusConflict, "leave.already_booked")
			return
		}
		f.stays = append(f.stays, map[string]any{"id": "b-1", "session_id": "s-1", "year": 2026, "status": "waitlisted"})
		w.WriteHeader(http.StatusCreated)
		_ = json.NewEncoder(w).Encode(f.stays[0])
	case path == "/health-checks/compliance":
		if !strings.Contains(roles, "caseworker") {
			problem(w, http.StatusForbidden, "forbidden")
			return
		}
		items([]map[string]any{{"unit_id": "unit-1", "year": 2026, "active": 8, "done": 7, "booked": 1, "due": 1, "overdue": []string{"m-9"}, "percent": "87.50",
			"overdue_members": []map[string]any{{"member_id": "m-9", "member_name": "刘洋"}}}})
	case r.Method == http.MethodGet && len(parts) == 3 && parts[0] == "members" && parts[2] == "balance":
		pending := 0
		for _, q := range f.requests {
			if q.Status == "pending" {
				pending += q.Days
			}
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"balance": map[string]any{"year": 2026, "accrued": 10, "days": 10, "pending": pending, "available": 10 - pending}})
	case r.Method == http.MethodPost && (path == "/requests" || path == "/requests/quote"):
		var body map[string]string
		_ = json.NewDecoder(r.Body).Decode(&body)
		n, ok := days(body["from"], body["to"])
		if !ok {
			problem(w, http.StatusUnprocessableEntity, "validation_failed", [2]string{"to", "结束日期不能早于开始日期"})
			return
		}
		if n > 10 {
			problem(w, http.StatusUnprocessableEntity, "leave.balance_exceeded")
			return
		}
		w.Header().Set("Content-Type", "application/json")
		if path == "/requests/quote" {
			_ = json.NewEncoder(w).Encode(map[string]any{"from": body["from"], "to": body["to"], "days": n, "available": 10, "balance_after": 10 - n})
			return
		}
		q := &fakeLeaveRequest{ID: fmt.Sprintf("00000000-0000-7000-9000-%012d", len(f.requests)+1), MemberID: "m-" + user,
			UnitID: "unit-1", From: body["from"], To: body["to"], Days: n, Reason: body["reason"], Status: "pending",
			CreatedAt: t0, Version: 1, owner: user}
		f.requests = append(f.requests, q)
		w.WriteHeader(http.StatusCreated)
		_ = json.NewEncoder(w).Encode(q)
	case r.Method == http.MethodGet && path == "/requests":
		status := r.URL.Query().Get("status")
		out := []*fakeLeaveRequest{}
		for _, q := range f.requests {
			staff := strings.Contains(roles, "unit_head") || strings.Contains(roles, "approver")
			if (staff || q.owner == user) && (status == "" || q.Status == status) {
				out = append(out, q)
			}
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"items": out})
	case r.Method == http.MethodPost && len(parts) == 3 && parts[0] == "requests":
		var q *fakeLeaveRequest
		for _, x := range f.requests {
			if x.ID == parts[1] {
				q = x
			}
		}
		staff := strings.Contains(roles, "unit_head") || strings.Contains(roles, "approver")
		if q == nil || (parts[2] == "cancel" && q.owner != user) || (parts[2] != "cancel" && !staff) {
			problem(w, http.StatusNotFound, "not_found")
			return
		}
		if r.Header.Get("If-Match") != fmt.Sprintf(`"%d"`, q.Version) {
			problem(w, http.StatusConflict, "version_mismatch")
			return
		}
		if q.Status != "pending" {
			problem(w, http.StatusConflict, "leave.not_pending")
			return
		}
		q.Status = map[string]string{"approve": "approved", "reject": "rejected", "cancel": "cancelled"}[parts[2]]
		q.Version++
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(q)
	default:
		f.echo(w, r)
	}
}

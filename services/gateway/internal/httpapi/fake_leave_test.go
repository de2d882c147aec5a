package httpapi_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
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
	// care is the state of the set-up endpoints (fake_leave_test.go, end).
	care *fakeCare
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
	case f.careAdmin(w, r, path, user, roles): // set-up endpoints as staff call them (end of file)
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

// ---- set-up endpoints for care_admin_pages_test.go ---------------------
// fakeCare answers the leave endpoints the set-up pages call
// (recuperation facilities and sessions, health-check rounds, slots and
// bookings) when an administrator or caseworker calls them. An officer's
// calls fall through to the fixed answers above, so /care is unchanged.

type fakeCare struct {
	facilities []*fcFacility
	sessions   []*fcSession
	rounds     []*fcRound
	slots      []*fcSlot
	checks     []*fcCheck
	medical    map[string]bool
	// startsAt is the starts_at of the last slot posted, as sent.
	startsAt string
}

type fcFacility struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Location string `json:"location"`
	Active   bool   `json:"active"`
	Version  int64  `json:"version"`
}

type fcSession struct {
	ID         string `json:"id"`
	FacilityID string `json:"facility_id"`
	From       string `json:"from"`
	To         string `json:"to"`
	Capacity   int    `json:"capacity"`
	Booked     int    `json:"booked"`
	Version    int64  `json:"version"`
}

type fcRound struct {
	ID      string `json:"id"`
	UnitID  string `json:"unit_id"`
	Year    int    `json:"year"`
	Opens   string `json:"opens"`
	Closes  string `json:"closes"`
	Version int64  `json:"version"`
}

type fcSlot struct {
	ID       string    `json:"id"`
	RoundID  string    `json:"round_id"`
	StartsAt time.Time `json:"starts_at"`
	Capacity int       `json:"capacity"`
	Booked   int       `json:"booked"`
	Version  int64     `json:"version"`
}

type fcCheck struct {
	ID          string  `json:"id"`
	RoundID     string  `json:"round_id"`
	SlotID      string  `json:"slot_id"`
	MemberID    string  `json:"member_id"`
	MemberName  string  `json:"member_name"`
	UnitID      string  `json:"unit_id"`
	Year        int     `json:"year"`
	Status      string  `json:"status"`
	CompletedOn *string `json:"completed_on"`
	Version     int64   `json:"version"`
}

// careState is the set-up state, made on first use: one facility with one
// session, one round of unit-1 with one full slot booked by two members.
func (f *fakeLeave) careState() *fakeCare {
	if f.care == nil {
		f.care = &fakeCare{
			facilities: []*fcFacility{{ID: "fac-1", Name: "北戴河疗养院", Location: "秦皇岛", Active: true, Version: 1}},
			sessions:   []*fcSession{{ID: "s-1", FacilityID: "fac-1", From: "2026-06-01", To: "2026-06-07", Capacity: 10, Booked: 3, Version: 1}},
			rounds:     []*fcRound{{ID: "r-1", UnitID: "unit-1", Year: 2026, Opens: "2026-03-01", Closes: "2026-11-30", Version: 1}},
			slots:      []*fcSlot{{ID: "slot-1", RoundID: "r-1", StartsAt: t0.Add(72 * time.Hour), Capacity: 2, Booked: 2, Version: 1}},
			checks: []*fcCheck{
				{ID: "hc-1", RoundID: "r-1", SlotID: "slot-1", MemberID: "m-9", MemberName: "刘洋", UnitID: "unit-1", Year: 2026, Status: "booked", Version: 1},
				{ID: "hc-2", RoundID: "r-1", SlotID: "slot-1", MemberID: "m-8", MemberName: "陈静", UnitID: "unit-1", Year: 2026, Status: "booked", Version: 1},
			},
			medical: map[string]bool{},
		}
	}
	return f.care
}

// setMedical counts user id among the medical caseworkers, as the leave
// service's configuration would.
func (f *fakeLeave) setMedical(id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.careState().medical[id] = true
}

// lastStartsAt is the starts_at of the last slot the fake was sent.
func (f *fakeLeave) lastStartsAt() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.careState().startsAt
}

// careAdmin answers a set-up call and reports whether it did; f.mu is held.
func (f *fakeLeave) careAdmin(w http.ResponseWriter, r *http.Request, path, user, roles string) bool {
	caseworker := strings.Contains(roles, "caseworker")
	if !caseworker && !strings.Contains(roles, "admin") {
		return false
	}
	fc := f.careState()
	parts := strings.Split(strings.Trim(path, "/"), "/")
	reply := func(status int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(v)
	}
	// The body is read only by the calls answered here; others pass on
	// untouched.
	var body map[string]any
	field := func(k string) any {
		if body == nil {
			body = map[string]any{}
			_ = json.NewDecoder(r.Body).Decode(&body)
		}
		return body[k]
	}
	text := func(k string) string { s, _ := field(k).(string); return s }
	number := func(k string) int { n, _ := field(k).(float64); return int(n) }
	stale := func(version int64) bool { return r.Header.Get("If-Match") != fmt.Sprintf(`"%d"`, version) }
	get, post := r.Method == http.MethodGet, r.Method == http.MethodPost
	switch {
	case get && path == "/recuperation/facilities":
		reply(http.StatusOK, map[string]any{"items": fc.facilities})
	case post && path == "/recuperation/facilities":
		if text("name") == "" {
			problem(w, http.StatusUnprocessableEntity, "validation_failed", [2]string{"name", "必填"})
			return true
		}
		fac := &fcFacility{ID: fmt.Sprintf("fac-%d", len(fc.facilities)+1), Name: text("name"), Location: text("location"), Active: true, Version: 1}
		fc.facilities = append(fc.facilities, fac)
		reply(http.StatusCreated, fac)
	case get && path == "/recuperation/sessions":
		reply(http.StatusOK, map[string]any{"items": fc.sessions})
	case post && len(parts) == 4 && parts[0] == "recuperation" && parts[1] == "facilities" && parts[3] == "sessions":
		if !slices.ContainsFunc(fc.facilities, func(x *fcFacility) bool { return x.ID == parts[2] }) {
			problem(w, http.StatusNotFound, "not_found")
			return true
		}
		if n := number("capacity"); n < 1 || n > 10000 {
			problem(w, http.StatusUnprocessableEntity, "validation_failed", [2]string{"capacity", "应在 1 至 10000 之间"})
			return true
		}
		if text("to") < text("from") {
			problem(w, http.StatusUnprocessableEntity, "validation_failed", [2]string{"to", "结束日期不能早于开始日期"})
			return true
		}
		s := &fcSession{ID: fmt.Sprintf("s-%d", len(fc.sessions)+1), FacilityID: parts[2], From: text("from"), To: text("to"), Capacity: number("capacity"), Version: 1}
		fc.sessions = append(fc.sessions, s)
		reply(http.StatusCreated, s)
	case r.Method == http.MethodPatch && len(parts) == 3 && parts[0] == "recuperation" && parts[1] == "sessions":
		i := slices.IndexFunc(fc.sessions, func(x *fcSession) bool { return x.ID == parts[2] })
		switch {
		case i < 0:
			problem(w, http.StatusNotFound, "not_found")
		case stale(fc.sessions[i].Version):
			problem(w, http.StatusConflict, "version_mismatch")
		case number("capacity") < fc.sessions[i].Booked:
			problem(w, http.StatusUnprocessableEntity, "leave.recuperation.capacity_below_booked")
		default:
			fc.sessions[i].Capacity, fc.sessions[i].Version = number("capacity"), fc.sessions[i].Version+1
			reply(http.StatusOK, fc.sessions[i])
		}
	case !caseworker:
		return false
	case get && path == "/health-checks/rounds":
		out := []*fcRound{}
		for _, x := range fc.rounds {
			if fmt.Sprint(x.Year) == r.URL.Query().Get("year") {
				out = append(out, x)
			}
		}
		reply(http.StatusOK, map[string]any{"items": out})
	case post && path == "/health-checks/rounds":
		year := number("year")
		switch {
		case text("unit_id") != "unit-1":
			problem(w, http.StatusNotFound, "not_found")
		case slices.ContainsFunc(fc.rounds, func(x *fcRound) bool { return x.UnitID == text("unit_id") && x.Year == year }):
			problem(w, http.StatusUnprocessableEntity, "validation_failed", [2]string{"year", "已存在"})
		case !strings.HasPrefix(text("opens"), fmt.Sprint(year)+"-"):
			problem(w, http.StatusUnprocessableEntity, "validation_failed", [2]string{"opens", "应在该年度内"})
		default:
			x := &fcRound{ID: fmt.Sprintf("r-%d", len(fc.rounds)+1), UnitID: text("unit_id"), Year: year, Opens: text("opens"), Closes: text("closes"), Version: 1}
			fc.rounds = append(fc.rounds, x)
			reply(http.StatusCreated, x)
		}
	case len(parts) == 4 && parts[0] == "health-checks" && parts[1] == "rounds" && parts[3] == "slots":
		i := slices.IndexFunc(fc.rounds, func(x *fcRound) bool { return x.ID == parts[2] })
		if i < 0 {
			problem(w, http.StatusNotFound, "not_found")
			return true
		}
		if get {
			out := []*fcSlot{}
			for _, x := range fc.slots {
				if x.RoundID == parts[2] {
					out = append(out, x)
				}
			}
			reply(http.StatusOK, map[string]any{"items": out})
			return true
		}
		fc.startsAt = text("starts_at")
		at, err := time.Parse(time.RFC3339, fc.startsAt)
		day := at.In(time.FixedZone("CST", 8*3600)).Format(time.DateOnly)
		if err != nil || day < fc.rounds[i].Opens || day > fc.rounds[i].Closes {
			problem(w, http.StatusUnprocessableEntity, "validation_failed", [2]string{"starts_at", "应在预约期间内"})
			return true
		}
		if number("capacity") < 1 {
			problem(w, http.StatusUnprocessableEntity, "validation_failed", [2]string{"capacity", "应在 1 至 10000 之间"})
			return true
		}
		x := &fcSlot{ID: fmt.Sprintf("slot-%d", len(fc.slots)+1), RoundID: parts[2], StartsAt: at, Capacity: number("capacity"), Version: 1}
		fc.slots = append(fc.slots, x)
		reply(http.StatusCreated, x)
	case get && path == "/health-checks/bookings" && r.URL.Query().Get("round_id") != "":
		out := []*fcCheck{}
		for _, x := range fc.checks {
			if x.RoundID == r.URL.Query().Get("round_id") {
				out = append(out, x)
			}
		}
		reply(http.StatusOK, map[string]any{"items": out})
	case len(parts) >= 3 && parts[0] == "health-checks" && parts[1] == "bookings":
		i := slices.IndexFunc(fc.checks, func(x *fcCheck) bool { return x.ID == parts[2] })
		if i < 0 {
			problem(w, http.StatusNotFound, "not_found")
			return true
		}
		b := fc.checks[i]
		if get && len(parts) == 3 {
			reply(http.StatusOK, b)
			return true
		}
		if !post || len(parts) != 4 {
			return false
		}
		op := parts[3]
		switch {
		case op == "complete" && !fc.medical[user]:
			problem(w, http.StatusForbidden, "forbidden")
		case stale(b.Version):
			problem(w, http.StatusConflict, "version_mismatch")
		case b.Status != "booked":
			problem(w, http.StatusConflict, "leave.healthcheck.invalid_transition")
		case op == "complete" && text("result") == "":
			problem(w, http.StatusUnprocessableEntity, "validation_failed", [2]string{"result", "必填"})
		default:
			b.Status = map[string]string{"complete": "completed", "no-show": "no_show", "cancel": "cancelled"}[op]
			if op == "complete" {
				day := "2026-03-02"
				b.CompletedOn = &day
			}
			b.Version++
			reply(http.StatusOK, b)
		}
	default:
		return false
	}
	return true
}

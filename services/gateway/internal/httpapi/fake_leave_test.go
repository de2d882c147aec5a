package httpapi_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
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
	// gets are the paths of the GETs served, for the tests that count a
	// page's calls.
	gets []string
	echo http.HandlerFunc
	// care is the state of the set-up endpoints (fake_leave_test.go, end).
	care *fakeCare
	// officer is the state of the officer-page endpoints (officer block,
	// end of file).
	officer *fakeOfficer
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
	Actions   []string  `json:"actions"`
	owner     string
}

// as is the request as the caller sees it, with the steps the real service
// would accept from them: the unit head decides the first level, an
// approver the second, the owner cancels while it is pending.
func (q fakeLeaveRequest) as(roles, user string) fakeLeaveRequest {
	q.Actions = []string{}
	switch {
	case q.owner == user:
	case q.Status == "pending" && strings.Contains(roles, "unit_head"),
		q.Status == "pending_second" && strings.Contains(roles, "approver"):
		q.Actions = append(q.Actions, "approve", "reject")
	}
	if q.owner == user && (q.Status == "pending" || q.Status == "pending_second" || q.Status == "approved" && q.From > t0.Format(time.DateOnly)) {
		q.Actions = append(q.Actions, "cancel")
	}
	return q
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
	if r.Method == http.MethodGet {
		f.gets = append(f.gets, path)
	}
	items := func(v any) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"items": v})
	}
	switch {
	case f.adminYear(w, r, path, roles): // calendars, compensation and pay (admin block, end of file)
	case f.rollovers(w, r, path, roles): // year-end rollover (rollover block, end of file)
	case f.careAdmin(w, r, path, user, roles): // set-up endpoints as staff call them (end of file)
	case f.officerPages(w, r, path, user, roles): // officer and unit-head page endpoints (officer block, end of file)
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
		_ = json.NewEncoder(w).Encode(map[string]any{"balance": map[string]any{"year": 2026, "accrued": 10, "entitled": 10, "days": 10, "pending": pending, "available": 10 - pending}})
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
		v := q.as(roles, user)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		_ = json.NewEncoder(w).Encode(f.requestJSON(&v))
	case r.Method == http.MethodGet && path == "/requests":
		status := r.URL.Query()["status"]
		out := []fakeLeaveRequest{}
		for _, q := range f.requests {
			staff := strings.Contains(roles, "unit_head") || strings.Contains(roles, "approver")
			if (staff || q.owner == user) && (len(status) == 0 || slices.Contains(status, q.Status)) {
				out = append(out, q.as(roles, user))
			}
		}
		out, next, ok := fakePage(w, r, out)
		if !ok {
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"items": out, "next": next})
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
		v := q.as(roles, user)
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(f.requestJSON(&v))
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
	Place    string    `json:"place"`
	Notes    string    `json:"notes"`
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
		}
	}
	return f.care
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
		x := &fcSlot{ID: fmt.Sprintf("slot-%d", len(fc.slots)+1), RoundID: parts[2], StartsAt: at, Capacity: number("capacity"), Version: 1,
			Place: text("place"), Notes: text("notes")}
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
		case op == "complete" && !strings.Contains(roles, "medical_caseworker"):
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

// ---- officer block: endpoints of /leave, /my, /care and /approvals -----
// fakeOfficer answers what the officer pages and the unit head's queue
// call, as an officer, unit head or approver calls them (caseworkers and
// administrators keep the answers above): requests with their decisions
// (who, when, comment; a rejection needs a comment), one request, the
// officer's health checks in round r-1 (slot-1 full, slot-2 open) with
// booking and cancelling at a version, and a stay's booking read and
// cancelled at a version. Stays stay in f.stays.

type fakeOfficer struct {
	decisions map[string][]map[string]any
	slots     []*fcSlot
	checks    []*fakeOfficerCheck
}

type fakeOfficerCheck struct {
	fcCheck
	owner string
}

func (f *fakeLeave) officerState() *fakeOfficer {
	if f.officer == nil {
		f.officer = &fakeOfficer{decisions: map[string][]map[string]any{}, slots: []*fcSlot{
			{ID: "slot-1", RoundID: "r-1", StartsAt: t0.Add(72 * time.Hour), Capacity: 2, Booked: 2, Version: 1},
			{ID: "slot-2", RoundID: "r-1", StartsAt: t0.Add(96 * time.Hour), Capacity: 5, Booked: 0, Version: 1, Place: "县人民医院体检中心三楼", Notes: "空腹，带身份证"},
		}}
	}
	return f.officer
}

// requestJSON is a request as the leave API answers it, with decisions.
func (f *fakeLeave) requestJSON(q *fakeLeaveRequest) map[string]any {
	raw, _ := json.Marshal(q)
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	m["member_name"] = ""
	m["second_level"] = false
	m["decisions"] = append([]map[string]any{}, f.officerState().decisions[q.ID]...)
	return m
}

// officerPages answers an officer's or approver's call and reports whether
// it did; f.mu is held.
func (f *fakeLeave) officerPages(w http.ResponseWriter, r *http.Request, path, user, roles string) bool {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	get, post := r.Method == http.MethodGet, r.Method == http.MethodPost
	if strings.Contains(roles, "caseworker") && post && len(parts) == 4 && parts[0] == "recuperation" && parts[1] == "bookings" && parts[3] == "cancel" {
		// A caseworker cancels any stay of unit-1 at its version.
		i := slices.IndexFunc(f.stays, func(b map[string]any) bool { return b["id"] == parts[2] })
		if i < 0 {
			problem(w, http.StatusNotFound, "not_found")
			return true
		}
		f.cancelStay(w, r, f.stays[i])
		return true
	}
	if strings.Contains(roles, "caseworker") || strings.Contains(roles, "admin") {
		return false
	}
	o := f.officerState()
	staff := strings.Contains(roles, "unit_head") || strings.Contains(roles, "approver")
	reply := func(status int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(v)
	}
	stale := func(version int64) bool { return r.Header.Get("If-Match") != fmt.Sprintf(`"%d"`, version) }
	request := func(id string) *fakeLeaveRequest {
		for _, q := range f.requests {
			if q.ID == id && (staff || q.owner == user) {
				return q
			}
		}
		return nil
	}
	switch {
	case get && path == "/requests":
		out := []map[string]any{}
		status := r.URL.Query()["status"]
		for _, q := range f.requests {
			if (staff || q.owner == user) && (len(status) == 0 || slices.Contains(status, q.Status)) {
				v := q.as(roles, user)
				out = append(out, f.requestJSON(&v))
			}
		}
		out, next, ok := fakePage(w, r, out)
		if !ok {
			return true
		}
		reply(http.StatusOK, map[string]any{"items": out, "next": next})
	case get && len(parts) == 2 && parts[0] == "requests":
		q := request(parts[1])
		if q == nil {
			problem(w, http.StatusNotFound, "not_found")
			return true
		}
		v := q.as(roles, user)
		reply(http.StatusOK, f.requestJSON(&v))
	case post && len(parts) == 3 && parts[0] == "requests" && parts[1] != "quote":
		q, verb := request(parts[1]), parts[2]
		var body struct {
			Comment string `json:"comment"`
		}
		_ = json.NewDecoder(r.Body).Decode(&body)
		switch {
		case q == nil || (verb == "cancel" && q.owner != user) || (verb != "cancel" && !staff):
			problem(w, http.StatusNotFound, "not_found")
		case stale(q.Version):
			problem(w, http.StatusConflict, "version_mismatch")
		case q.Status != "pending" && q.Status != "pending_second" && (verb != "cancel" || q.Status != "approved"):
			problem(w, http.StatusConflict, "leave.not_pending")
		case verb == "reject" && body.Comment == "":
			problem(w, http.StatusUnprocessableEntity, "validation_failed", [2]string{"comment", "请填写不批准的理由"})
		case len([]rune(body.Comment)) > 500:
			problem(w, http.StatusUnprocessableEntity, "validation_failed", [2]string{"comment", "不能超过 500 字"})
		default:
			d := map[string]any{"level": 1, "actor": user, "outcome": map[string]string{"approve": "approved", "reject": "rejected", "cancel": "cancelled"}[verb],
				"comment": body.Comment, "at": t0.Add(time.Duration(len(o.decisions[q.ID])+1) * time.Hour)}
			if verb == "cancel" {
				d["level"], d["actor"] = 0, q.MemberID
			}
			o.decisions[q.ID] = append(o.decisions[q.ID], d)
			q.Status, q.Version = d["outcome"].(string), q.Version+1
			v := q.as(roles, user)
			reply(http.StatusOK, f.requestJSON(&v))
		}
	case get && path == "/recuperation/facilities":
		reply(http.StatusOK, map[string]any{"items": []map[string]any{{"id": "fac-1", "name": "北戴河疗养院", "location": "秦皇岛市北戴河区"}}})
	case post && path == "/recuperation/sessions/s-1/bookings":
		for _, b := range f.stays {
			if b["member_id"] == "m-"+user && b["status"] != "cancelled" {
				problem(w, http.StatusConflict, "leave.already_booked")
				return true
			}
		}
		b := map[string]any{"id": fmt.Sprintf("b-%d", len(f.stays)+1), "session_id": "s-1", "member_id": "m-" + user, "year": 2026, "status": "waitlisted",
			"wait_reason": "leave.recuperation.quota_exhausted", "requested_at": t0, "version": 1}
		f.stays = append(f.stays, b)
		reply(http.StatusCreated, b)
	case len(parts) >= 3 && parts[0] == "recuperation" && parts[1] == "bookings":
		i := slices.IndexFunc(f.stays, func(b map[string]any) bool { return b["id"] == parts[2] && b["member_id"] == "m-"+user })
		switch {
		case i < 0:
			problem(w, http.StatusNotFound, "not_found")
		case get && len(parts) == 3:
			reply(http.StatusOK, f.stays[i])
		case post && len(parts) == 4 && parts[3] == "cancel":
			f.cancelStay(w, r, f.stays[i])
		default:
			return false
		}
	case get && path == "/health-checks/rounds":
		rounds := []*fcRound{}
		if y := r.URL.Query().Get("year"); y == "" || y == "2026" {
			rounds = append(rounds, &fcRound{ID: "r-1", UnitID: "unit-1", Year: 2026, Opens: "2026-03-01", Closes: "2026-11-30", Version: 1})
		}
		reply(http.StatusOK, map[string]any{"items": rounds})
	case get && path == "/health-checks/rounds/r-1/slots":
		reply(http.StatusOK, map[string]any{"items": o.slots})
	case get && path == "/health-checks/bookings":
		out := []*fakeOfficerCheck{}
		for _, b := range o.checks {
			if b.owner == user {
				out = append(out, b)
			}
		}
		reply(http.StatusOK, map[string]any{"items": out})
	case get && path == "/my/care":
		// The home page's care, latest first: the stays (as the bookings
		// list gives them) with their session's dates and facility (all
		// are in s-1 here), the officer's checks with their slot's time.
		stays := []map[string]any{}
		for _, st := range slices.Backward(f.stays) {
			v := maps.Clone(st)
			v["from"], v["to"], v["facility"], v["location"] = "2026-06-01", "2026-06-07", "北戴河疗养院", "秦皇岛市北戴河区"
			stays = append(stays, v)
		}
		checks := []map[string]any{}
		for _, b := range slices.Backward(o.checks) {
			if b.owner != user {
				continue
			}
			v := map[string]any{"id": b.ID, "round_id": b.RoundID, "slot_id": b.SlotID, "year": b.Year, "status": b.Status, "completed_on": b.CompletedOn}
			if i := slices.IndexFunc(o.slots, func(s *fcSlot) bool { return s.ID == b.SlotID }); i >= 0 {
				v["starts_at"], v["place"] = o.slots[i].StartsAt, o.slots[i].Place
			}
			checks = append(checks, v)
		}
		reply(http.StatusOK, map[string]any{"stays": stays, "checks": checks})
	case post && len(parts) == 4 && parts[0] == "health-checks" && parts[1] == "slots" && parts[3] == "bookings":
		i := slices.IndexFunc(o.slots, func(s *fcSlot) bool { return s.ID == parts[2] })
		switch {
		case i < 0:
			problem(w, http.StatusNotFound, "not_found")
		case slices.ContainsFunc(o.checks, func(b *fakeOfficerCheck) bool {
			return b.owner == user && (b.Status == "booked" || b.Status == "completed")
		}):
			problem(w, http.StatusConflict, "leave.healthcheck.already_booked")
		case o.slots[i].Booked >= o.slots[i].Capacity:
			problem(w, http.StatusConflict, "leave.healthcheck.slot_full")
		default:
			o.slots[i].Booked++
			b := &fakeOfficerCheck{fcCheck: fcCheck{ID: fmt.Sprintf("hc-o%d", len(o.checks)+1), RoundID: "r-1", SlotID: parts[2], MemberID: "m-" + user,
				UnitID: "unit-1", Year: 2026, Status: "booked", Version: 1}, owner: user}
			o.checks = append(o.checks, b)
			reply(http.StatusCreated, b)
		}
	case len(parts) >= 3 && parts[0] == "health-checks" && parts[1] == "bookings":
		i := slices.IndexFunc(o.checks, func(b *fakeOfficerCheck) bool { return b.ID == parts[2] && b.owner == user })
		switch {
		case i < 0:
			problem(w, http.StatusNotFound, "not_found")
		case get && len(parts) == 3:
			reply(http.StatusOK, o.checks[i])
		case post && len(parts) == 4 && parts[3] == "cancel":
			b := o.checks[i]
			if stale(b.Version) {
				problem(w, http.StatusConflict, "version_mismatch")
				return true
			}
			if b.Status != "booked" {
				problem(w, http.StatusConflict, "leave.healthcheck.invalid_transition")
				return true
			}
			b.Status, b.Version = "cancelled", b.Version+1
			for _, s := range o.slots {
				if s.ID == b.SlotID {
					s.Booked--
				}
			}
			reply(http.StatusOK, b)
		default:
			return false
		}
	default:
		return false
	}
	return true
}

// ---- admin block: the work calendar, compensation and pay --------------
// adminYear answers the calls of /admin/calendar and
// /finance/compensation (admin_pages_test.go): each year's calendar with
// its version (2026 set, others not), and the compensation report of two
// members, m-1 张三 with pay on file and m-2 李四 without, whose pay
// finance enters at a version. The state lives beside the fake, keyed by
// it, so the fake's struct is unchanged.

type fakeAdminYear struct {
	calendars map[string]map[string]any
	pay       map[string]map[string]any // member id → annual_pay, monthly_wage, version
}

var fakeAdminYears sync.Map // *fakeLeave → *fakeAdminYear

// adminYearState is f's state, made on first use; f.mu is held.
func (f *fakeLeave) adminYearState() *fakeAdminYear {
	st, _ := fakeAdminYears.LoadOrStore(f, &fakeAdminYear{
		calendars: map[string]map[string]any{"2026": {"year": 2026, "off": []string{"2026-01-01"}, "work": []string{"2026-02-14"}, "working_days_in_year": 250, "version": int64(1)}},
		pay:       map[string]map[string]any{"m-1": {"annual_pay": "104400", "version": int64(1)}},
	})
	return st.(*fakeAdminYear)
}

// adminYear answers an administrator's calendar call or finance's report
// and pay calls, and reports whether it did; f.mu is held.
func (f *fakeLeave) adminYear(w http.ResponseWriter, r *http.Request, path, roles string) bool {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	calendar := len(parts) == 2 && parts[0] == "calendars"
	report := len(parts) == 2 && parts[0] == "compensation"
	pay := len(parts) == 4 && parts[0] == "members" && parts[2] == "pay"
	if !calendar && !report && !pay {
		return false
	}
	st := f.adminYearState()
	reply := func(status int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(v)
	}
	// ifMatch is the version sent, 0 without If-Match.
	ifMatch := int64(0)
	if v := strings.Trim(r.Header.Get("If-Match"), `"`); v != "" {
		_, _ = fmt.Sscan(v, &ifMatch)
	}
	switch {
	case calendar && r.Method == http.MethodGet:
		if c, ok := st.calendars[parts[1]]; ok {
			reply(http.StatusOK, c)
		} else {
			problem(w, http.StatusNotFound, "not_found")
		}
	case calendar && r.Method == http.MethodPut:
		if !strings.Contains(roles, "admin") {
			problem(w, http.StatusForbidden, "forbidden")
			return true
		}
		cur, exists := st.calendars[parts[1]]
		if (exists && cur["version"].(int64) != ifMatch) || (!exists && ifMatch != 0) {
			problem(w, http.StatusConflict, "version_mismatch")
			return true
		}
		var body struct{ Off, Work []string }
		_ = json.NewDecoder(r.Body).Decode(&body)
		var bad [][2]string
		for i, d := range body.Off {
			if !strings.HasPrefix(d, parts[1]+"-") {
				bad = append(bad, [2]string{fmt.Sprintf("off[%d]", i), d + " 不在 " + parts[1] + " 年内"})
			}
		}
		for i, d := range body.Work {
			if t, err := time.Parse(time.DateOnly, d); err != nil || (t.Weekday() != time.Saturday && t.Weekday() != time.Sunday) {
				bad = append(bad, [2]string{fmt.Sprintf("work[%d]", i), d + " 不是周末，不需要调休上班"})
			}
		}
		if len(bad) > 0 {
			problem(w, http.StatusUnprocessableEntity, "validation_failed", bad...)
			return true
		}
		var year int
		_, _ = fmt.Sscan(parts[1], &year)
		c := map[string]any{"year": year, "off": body.Off, "work": body.Work, "working_days_in_year": 261 - len(body.Off) + len(body.Work), "version": ifMatch + 1}
		st.calendars[parts[1]] = c
		reply(http.StatusOK, c)
	case !strings.Contains(roles, "finance"):
		problem(w, http.StatusForbidden, "forbidden")
	case report && r.Method == http.MethodGet:
		lines, missing := []map[string]any{}, []map[string]any{}
		for _, m := range [][2]string{{"m-1", "张三"}, {"m-2", "李四"}} {
			p, ok := st.pay[m[0]]
			if !ok {
				missing = append(missing, map[string]any{"member_id": m[0], "member_name": m[1], "unit_id": "0195c1a0-0000-7000-8000-00000000a001", "category": "police"})
				continue
			}
			// 5 unused days at the annual pay ÷ 261 (whole yuan in these tests).
			var annual int64
			_, _ = fmt.Sscan(fmt.Sprint(p["annual_pay"]), &annual)
			daily := annual / 261
			lines = append(lines, map[string]any{"member_id": m[0], "member_name": m[1], "unit_id": "unit-1", "category": "police", "unused_days": 5,
				"daily_wage": fmt.Sprintf("%d.00", daily), "normal": fmt.Sprintf("%d.00", daily*5), "extra": fmt.Sprintf("%d.00", daily*10),
				"total": fmt.Sprintf("%d.00", daily*15), "pay_version": p["version"]})
		}
		ids := make([]string, len(missing))
		for i, m := range missing {
			ids[i] = m["member_id"].(string)
		}
		reply(http.StatusOK, map[string]any{"lines": lines, "missing_pay": ids, "missing_pay_members": missing,
			"totals": map[string]any{"normal": "0.00", "extra": "0.00", "total": "0.00"}})
	case pay && r.Method == http.MethodPut:
		cur, exists := st.pay[parts[1]]
		if (exists && cur["version"].(int64) != ifMatch) || (!exists && ifMatch != 0) {
			problem(w, http.StatusConflict, "version_mismatch")
			return true
		}
		var body map[string]string
		_ = json.NewDecoder(r.Body).Decode(&body)
		var yuan float64
		if _, err := fmt.Sscan(body["annual_pay"], &yuan); body["annual_pay"] != "" && err != nil {
			problem(w, http.StatusUnprocessableEntity, "validation_failed", [2]string{"annual_pay", "金额格式不正确（元，最多两位小数）"})
			return true
		}
		st.pay[parts[1]] = map[string]any{"annual_pay": body["annual_pay"], "monthly_wage": body["monthly_wage"], "version": ifMatch + 1}
		yuanText := func(s string) string { // as the service answers: "0.00" when not given
			var v float64
			_, _ = fmt.Sscan(s, &v)
			return fmt.Sprintf("%.2f", v)
		}
		year, _ := strconv.Atoi(parts[3])
		reply(http.StatusOK, map[string]any{"member_id": parts[1], "year": year, "annual_pay": yuanText(body["annual_pay"]),
			"monthly_wage": yuanText(body["monthly_wage"]), "version": ifMatch + 1})
	default:
		problem(w, http.StatusNotFound, "not_found")
	}
	return true
}

// cancelStay cancels a stay at the If-Match version; f.mu is held.
func (f *fakeLeave) cancelStay(w http.ResponseWriter, r *http.Request, b map[string]any) {
	v, _ := b["version"].(int)
	switch {
	case r.Header.Get("If-Match") != fmt.Sprintf(`"%d"`, v):
		problem(w, http.StatusConflict, "version_mismatch")
	case b["status"] == "cancelled":
		problem(w, http.StatusConflict, "leave.recuperation.booking_state")
	default:
		b["status"], b["version"], b["wait_reason"] = "cancelled", v+1, ""
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(b)
	}
}

// ---- rollover block: the year-end rollover --------------------------------
// rollovers answers GET and POST /rollovers/{year} as the administrator
// calls them: 5 members, none closed until a POST closes them all; 2026
// and later cannot be closed yet. The state lives beside the fake, keyed
// by it, so the fake's struct is unchanged.

type fakeRollover struct {
	closed map[string]bool // years closed
	runs   int             // POSTs that closed a year
}

var fakeRollovers sync.Map // *fakeLeave → *fakeRollover

// rolloverState is f's rollover state, made on first use; f.mu is held.
func (f *fakeLeave) rolloverState() *fakeRollover {
	st, _ := fakeRollovers.LoadOrStore(f, &fakeRollover{closed: map[string]bool{}})
	return st.(*fakeRollover)
}

// rolloverRuns is how many rollovers were run.
func (f *fakeLeave) rolloverRuns() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.rolloverState().runs
}

func (f *fakeLeave) rollovers(w http.ResponseWriter, r *http.Request, path, roles string) bool {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if len(parts) != 2 || parts[0] != "rollovers" {
		return false
	}
	if !strings.Contains(roles, "admin") {
		problem(w, http.StatusForbidden, "forbidden")
		return true
	}
	st := f.rolloverState()
	var year int
	if _, err := fmt.Sscan(parts[1], &year); err != nil {
		problem(w, http.StatusNotFound, "not_found")
		return true
	}
	closable := year < 2026
	w.Header().Set("Content-Type", "application/json")
	if r.Method == http.MethodPost {
		if !closable {
			problem(w, http.StatusUnprocessableEntity, "leave.year_not_over", [2]string{"year", "该年度尚未结束"})
			return true
		}
		members, skipped := 5, 0
		if st.closed[parts[1]] {
			members, skipped = 0, 5
		}
		st.closed[parts[1]] = true
		st.runs++
		_ = json.NewEncoder(w).Encode(map[string]any{"year": year, "members": members, "skipped": skipped, "carried": 0, "expired": 0,
			"accrued": 0, "duration_ms": 3})
		return true
	}
	closed, open, last := 0, 5, any(nil)
	if st.closed[parts[1]] {
		closed, open, last = 5, 0, t0
	}
	_ = json.NewEncoder(w).Encode(map[string]any{"year": year, "members": 5, "closed": closed, "open": open, "carried": 0, "expired": 0,
		"last_closed_at": last, "closable": closable})
	return true
}

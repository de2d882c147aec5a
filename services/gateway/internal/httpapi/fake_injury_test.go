package httpapi_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// fakeInjury is a small stand-in for the injury service's API
// (api/openapi/injury.yaml): enough to drive the gateway's injury pages.
// Tokens from tokenForTest read "tok|<user>|<roles>|<lang>".
type fakeInjury struct {
	mu    sync.Mutex
	cases map[string]*fakeCase
	order []string
	// names are the members the service learnt from enrollment's events:
	// views and lists carry member_name from it.
	names map[string]string
	// bodies are the bodies of the actions taken, in order.
	bodies []fakeActionBody
	// gets are the paths of the GETs served, for the tests that count a
	// page's calls.
	gets []string
}

// fakeActionBody is one action a page posted, as the service received it.
type fakeActionBody struct {
	Action string
	Body   map[string]any
}

type fakeCase struct {
	ID          string    `json:"id"`
	Number      string    `json:"number"`
	MemberID    string    `json:"member_id"`
	UnknownName string    `json:"unknown_name"`
	UnitID      string    `json:"unit_id"`
	Severity    string    `json:"severity"`
	State       string    `json:"state"`
	InjuredAt   time.Time `json:"injured_at"`
	Place       string    `json:"place"`
	Description string    `json:"description"`
	// IncidentID, InjuryDate and Hospital are filled in by view, as the
	// service always answers them.
	IncidentID string    `json:"incident_id"`
	InjuryDate string    `json:"injury_date"`
	Hospital   string    `json:"hospital"`
	OpenedAt   time.Time `json:"opened_at"`
	Version    int64     `json:"version"`
	Status     string    `json:"status"`
	NextDueAt  time.Time `json:"next_due_at"`
	// The queue's one clock, escalation and caseworker in charge, as tests
	// set them.
	DueClock      string           `json:"due_clock,omitempty"`
	Escalation    string           `json:"escalation,omitempty"`
	InChargeName  string           `json:"in_charge_name,omitempty"`
	InChargePhone string           `json:"in_charge_phone,omitempty"`
	Clocks        []map[string]any `json:"clocks"`
	NextActions   []string         `json:"next_actions"`
	Access        string           `json:"access"`
	MemberName    string           `json:"member_name,omitempty"`
	// The outcome, as tests set it.
	Determination map[string]any `json:"determination,omitempty"`
	Grading       map[string]any `json:"grading,omitempty"`
	Leave         map[string]any `json:"injury_leave,omitempty"`
	Coverage      map[string]any `json:"coverage,omitempty"`
	CloseReason   string         `json:"close_reason,omitempty"`
	ClosedAt      *time.Time     `json:"closed_at,omitempty"`
	// Steps are the last timeline entries the list gives with ?steps=N.
	Steps    []map[string]any `json:"steps,omitempty"`
	reporter string
	// staffActions, when set, are the caseworker's next actions (the
	// grading steps take them; see gradingStep).
	staffActions []string
	// refusals answer an action with 409 and this detail (a window that
	// closed meanwhile).
	refusals map[string]string
	// timeline are entries after the opening one.
	timeline []map[string]any
}

func newFakeInjury() *fakeInjury {
	return &fakeInjury{cases: map[string]*fakeCase{}, names: map[string]string{}}
}

// edit changes the case opened n-th (from 1) under the lock.
func (f *fakeInjury) edit(n int, change func(*fakeCase)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	change(f.cases[f.order[n-1]])
}

// staff says the roles read a case as unit staff do.
func staff(roles string) bool {
	return strings.Contains(roles, "caseworker") || strings.Contains(roles, "unit_head")
}

func caller(r *http.Request) (user string, roles string) {
	parts := strings.Split(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "), "|")
	if len(parts) != 4 || parts[0] != "tok" {
		return "", ""
	}
	return parts[1], parts[2]
}

func problem(w http.ResponseWriter, status int, code string, fields ...[2]string) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	p := map[string]any{"type": "urn:anxin:problem:" + code, "title": "问题 " + code, "status": status, "code": code}
	var errs []map[string]string
	for _, f := range fields {
		errs = append(errs, map[string]string{"field": f[0], "code": "injury.required", "message": f[1]})
	}
	if errs != nil {
		p["errors"] = errs
	}
	_ = json.NewEncoder(w).Encode(p)
}

func (f *fakeInjury) view(c *fakeCase, roles string) fakeCase {
	v := *c
	v.NextActions, v.Access = []string{}, "reporter"
	if v.IncidentID == "" {
		v.IncidentID = "00000000-0000-7000-a000-" + v.ID[len(v.ID)-12:]
	}
	v.InjuryDate = v.InjuredAt.In(time.FixedZone("CST", 8*3600)).Format(time.DateOnly)
	v.MemberName = f.names[c.MemberID]
	if staff(roles) {
		v.Access = "staff"
	}
	if strings.Contains(roles, "caseworker") && c.staffActions != nil {
		v.NextActions = c.staffActions
		return v
	}
	if strings.Contains(roles, "caseworker") && c.State == "triage" {
		v.NextActions = []string{"acknowledge", "close"}
	}
	if strings.Contains(roles, "caseworker") && c.MemberID == "" {
		v.NextActions = append(v.NextActions, "identify_member")
	}
	return v
}

// entries is the case's whole timeline: the opening, then what tests added.
func (c *fakeCase) entries() []map[string]any {
	return append([]map[string]any{{"at": t0, "actor_name": "张三", "kind": "opened", "to_state": "triage"}}, c.timeline...)
}

func (f *fakeInjury) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/readyz" {
		return
	}
	user, roles := caller(r)
	if user == "" {
		problem(w, http.StatusUnauthorized, "unauthenticated")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	path := strings.TrimPrefix(r.URL.Path, "/api/v1/injury")
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if r.Method == http.MethodGet {
		f.gets = append(f.gets, path)
	}
	w.Header().Set("Content-Type", "application/json")
	switch {
	case r.Method == http.MethodGet && path == "/parameters":
		_ = json.NewEncoder(w).Encode(map[string]any{"parameters": []map[string]any{
			{"kind": "regional_average_monthly_wage", "effective_from": "2026-01-01", "value_fen": 650000}}})
	case r.Method == http.MethodPut && strings.HasPrefix(path, "/parameters/"):
		var body map[string]int64
		_ = json.NewDecoder(r.Body).Decode(&body)
		if body["value_fen"] > 100_000_000 {
			problem(w, http.StatusUnprocessableEntity, "validation_failed", [2]string{"value_fen", "金额不合理"})
			return
		}
		_ = json.NewEncoder(w).Encode(body)
	case r.Method == http.MethodPost && path == "/cases":
		var req map[string]string
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			problem(w, http.StatusBadRequest, "malformed_json")
			return
		}
		if req["place"] == "" {
			problem(w, http.StatusUnprocessableEntity, "validation_failed", [2]string{"place", "请填写地点"})
			return
		}
		at, _ := time.ParseInLocation("2006-01-02T15:04", req["injured_at"], time.FixedZone("CST", 8*3600))
		n := len(f.order) + 1
		c := &fakeCase{
			ID: fmt.Sprintf("00000000-0000-7000-8000-%012d", n), Number: fmt.Sprintf("GC-2026-%06d", n),
			MemberID: req["member_id"], UnknownName: req["unknown_name"], UnitID: req["unit_id"], Severity: req["severity"], State: "triage",
			InjuredAt: at.UTC(), Place: req["place"], Description: req["description"], Hospital: req["hospital"], OpenedAt: t0, Version: 1,
			Status: "red", NextDueAt: t0.Add(2 * time.Hour), reporter: user,
			Clocks: []map[string]any{{"kind": "acknowledgement", "status": "red", "due_at": t0.Add(2 * time.Hour)}},
		}
		f.cases[c.ID] = c
		f.order = append(f.order, c.ID)
		w.WriteHeader(http.StatusCreated)
		_ = json.NewEncoder(w).Encode(f.view(c, roles))
	case r.Method == http.MethodGet && path == "/cases":
		out := []fakeCase{}
		q := r.URL.Query()
		for _, id := range f.order {
			c := f.cases[id]
			if u := q.Get("unit"); u != "" && c.UnitID != u {
				continue // the service filters by unit
			}
			if st := q.Get("status"); (st == "open" && c.State == "closed") || (st == "closed" && c.State != "closed") {
				continue
			}
			if staff(roles) || c.reporter == user {
				v := f.view(c, roles)
				if n, _ := strconv.Atoi(q.Get("steps")); n > 0 {
					all := c.entries()
					v.Steps = all[max(0, len(all)-n):]
				}
				out = append(out, v)
			}
		}
		// Asked for a limit, the list comes a page at a time, the cursor
		// being the offset the fake gave; any other cursor is a 422 on after.
		next := ""
		if n, err := strconv.Atoi(q.Get("limit")); err == nil {
			start := 0
			if a := q.Get("after"); a != "" {
				if start, err = strconv.Atoi(strings.TrimPrefix(a, "off-")); err != nil || !strings.HasPrefix(a, "off-") || start > len(out) {
					problem(w, http.StatusUnprocessableEntity, "validation_failed", [2]string{"after", "无效的游标"})
					return
				}
			}
			end := min(start+n, len(out))
			if end < len(out) {
				next = "off-" + strconv.Itoa(end)
			}
			out = out[start:end]
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"cases": out, "next": next})
	case len(parts) >= 2 && parts[0] == "cases":
		c, ok := f.cases[parts[1]]
		if !ok || (!staff(roles) && c.reporter != user) {
			problem(w, http.StatusNotFound, "not_found")
			return
		}
		switch {
		case r.Method == http.MethodGet && len(parts) == 2:
			_ = json.NewEncoder(w).Encode(f.view(c, roles))
		case r.Method == http.MethodGet && len(parts) == 3 && parts[2] == "timeline":
			_ = json.NewEncoder(w).Encode(map[string]any{"entries": c.entries()})
		case r.Method == http.MethodGet && len(parts) == 3 && parts[2] == "documents":
			_ = json.NewEncoder(w).Encode(map[string]any{"documents": []map[string]any{}})
		case r.Method == http.MethodPost && len(parts) == 4 && parts[2] == "actions":
			if r.Header.Get("If-Match") != fmt.Sprintf(`"%d"`, c.Version) {
				problem(w, http.StatusConflict, "version_mismatch")
				return
			}
			if f.gradingStep(w, c, parts[3], roles, r) {
				return
			}
			if parts[3] == "identify_member" && strings.Contains(roles, "caseworker") && c.MemberID == "" {
				var body map[string]string
				_ = json.NewDecoder(r.Body).Decode(&body)
				if body["member_id"] == "" {
					problem(w, http.StatusUnprocessableEntity, "validation_failed", [2]string{"member_id", "请选择人员"})
					return
				}
				c.MemberID, c.UnknownName, c.Version = body["member_id"], "", c.Version+1
				_ = json.NewEncoder(w).Encode(f.view(c, roles))
				return
			}
			if parts[3] != "acknowledge" || c.State != "triage" || !strings.Contains(roles, "caseworker") {
				problem(w, http.StatusConflict, "injury.transition_not_allowed")
				return
			}
			c.State, c.Status, c.Version = "treatment", "green", c.Version+1
			_ = json.NewEncoder(w).Encode(f.view(c, roles))
		default:
			problem(w, http.StatusNotFound, "not_found")
		}
	default:
		problem(w, http.StatusNotFound, "not_found")
	}
}

// gradingStep takes the grading steps (record_grade, file_appeal,
// request_regrading) of a caseworker on a case that offers them, recording
// the body; an action in the case's refusals is a 409 with its detail, as
// the service answers a step whose window closed. It reports whether it
// answered.
func (f *fakeInjury) gradingStep(w http.ResponseWriter, c *fakeCase, action, roles string, r *http.Request) bool {
	switch action {
	case "record_grade", "file_appeal", "request_regrading":
	default:
		return false
	}
	if !strings.Contains(roles, "caseworker") {
		return false
	}
	if detail, refused := c.refusals[action]; refused {
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(http.StatusConflict)
		_ = json.NewEncoder(w).Encode(map[string]any{"type": "urn:anxin:problem:injury.transition_not_allowed",
			"title": "案件当前状态不允许此操作", "status": http.StatusConflict, "code": "injury.transition_not_allowed", "detail": detail})
		return true
	}
	var body map[string]any
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		problem(w, http.StatusBadRequest, "malformed_json")
		return true
	}
	if action == "file_appeal" && len([]rune(fmt.Sprint(body["note"]))) > 4000 {
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(http.StatusUnprocessableEntity)
		_ = json.NewEncoder(w).Encode(map[string]any{"type": "urn:anxin:problem:validation_failed", "title": "输入有误",
			"status": 422, "code": "validation_failed", "errors": []map[string]string{{"field": "note", "code": "injury.text_too_long", "message": "最多 4000 字"}}})
		return true
	}
	f.bodies = append(f.bodies, fakeActionBody{Action: action, Body: body})
	if c.Grading == nil {
		c.Grading = map[string]any{}
	}
	switch action {
	case "file_appeal":
		c.Grading["round"], c.Grading["pending"], c.Grading["appealed_on"], c.Grading["appeal_note"] = "appeal", true, body["filed_on"], body["note"]
		c.Grading["applied_on"] = body["filed_on"]
	case "request_regrading":
		c.Grading["round"], c.Grading["pending"], c.Grading["applied_on"] = "review", true, body["applied_on"]
	}
	c.Version++
	_ = json.NewEncoder(w).Encode(f.view(c, roles))
	return true
}

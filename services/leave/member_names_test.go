package leave_test

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/services/leave/internal/events"
)

var officerN1 = auth.Identity{UserID: "user-n1", MemberID: "n1", Roles: []auth.Role{auth.RoleOfficer}, Units: []string{"u1"}}

// namedMember publishes a member.* event with a name for a police officer
// hired in 2010 (10 days of leave a year).
func (h *harness) namedMember(t *testing.T, typ string, version int64, id, unit, name string) {
	t.Helper()
	h.publish(t, "enrollment", typ, id, version, events.MemberV1{
		MemberID: id, UnitID: unit, Name: name, Category: "police", Status: "active", HireDate: "2010-03-01", ServiceStart: "2010-03-01",
	})
}

type memberRef struct {
	MemberID   string `json:"member_id"`
	MemberName string `json:"member_name"`
}

type compensationLine struct {
	MemberID   string `json:"member_id"`
	MemberName string `json:"member_name"`
	Total      string `json:"total"`
}

type compensationResp struct {
	Lines             []compensationLine `json:"lines"`
	MissingPay        []string           `json:"missing_pay"`
	MissingPayMembers []memberRef        `json:"missing_pay_members"`
	Totals            struct {
		Normal, Extra, Total string
	} `json:"totals"`
}

type complianceResp struct {
	Items []struct {
		Overdue        []string    `json:"overdue"`
		OverdueMembers []memberRef `json:"overdue_members"`
	} `json:"items"`
}

type namedItems struct {
	Items []struct {
		ID         string `json:"id"`
		MemberID   string `json:"member_id"`
		MemberName string `json:"member_name"`
	} `json:"items"`
}

// nameOf returns the member_name of the list item id, failing when the
// list does not have it.
func nameOf(t *testing.T, h *harness, who *auth.Identity, path, id string) string {
	t.Helper()
	w := h.do(t, who, "GET", path, nil)
	if w.Code != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, w.Code, w.Body)
	}
	for _, it := range decode[namedItems](t, w).Items {
		if it.ID == id {
			return it.MemberName
		}
	}
	t.Fatalf("GET %s: no item %s in %s", path, id, w.Body)
	return ""
}

// checkExportRows checks the rows of a CSV or XLSX export: the name column
// right after the member column, n1's line with its name, and the totals
// row with the JSON report's totals under the amount columns.
func checkExportRows(t *testing.T, format string, rows [][]string, nameHeading string, rep compensationResp) {
	t.Helper()
	if len(rows) < 3 {
		t.Fatalf("%s: %d rows: %q", format, len(rows), rows)
	}
	head := rows[0]
	if len(head) != 10 || head[1] != nameHeading {
		t.Fatalf("%s heading: %q", format, head)
	}
	i := slices.IndexFunc(rows, func(r []string) bool { return len(r) > 0 && r[0] == "n1" })
	if i < 0 || rows[i][1] != "张三" || rows[i][2] != "u1" || rows[i][3] != "police" {
		t.Fatalf("%s: n1's row: %q", format, rows)
	}
	if l := slices.IndexFunc(rep.Lines, func(l compensationLine) bool { return l.MemberID == "n1" }); l < 0 || rows[i][9] != rep.Lines[l].Total {
		t.Fatalf("%s: n1's total %q", format, rows[i][9])
	}
	if m := slices.IndexFunc(rows, func(r []string) bool { return len(r) > 0 && r[0] == "m1" }); m < 0 || rows[m][1] != "" {
		t.Fatalf("%s: m1 (no name projected) row: %q", format, rows)
	}
	last := rows[len(rows)-1]
	// XLSX rows lose trailing empty cells, never inner ones: the totals row
	// ends with the amounts, so it has every column.
	if len(last) != 10 || last[7] != rep.Totals.Normal || last[8] != rep.Totals.Extra || last[9] != rep.Totals.Total ||
		strings.Join(last[1:7], "") != "" {
		t.Fatalf("%s totals row: %q, want %+v", format, last, rep.Totals)
	}
	if len(rows) != len(rep.Lines)+2 {
		t.Fatalf("%s: %d rows for %d lines", format, len(rows), len(rep.Lines))
	}
}

// TestMemberNamesInReportsAndLists follows a member's name from
// member.registered into the compensation report (JSON, CSV, XLSX) and
// every list of requests and bookings, then a rename through
// member.updated everywhere.
func TestMemberNamesInReportsAndLists(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.namedMember(t, "member.registered", 1, "n1", "u1", "张三")
	h.namedMember(t, "member.registered", 1, "n2", "u1", "李四")
	waitFor(t, h, "n1 and n2 projected", func() bool {
		return h.do(t, &cw1, "GET", "/api/v1/leave/members/n1/balance?year=2026", nil).Code == http.StatusOK &&
			h.do(t, &cw1, "GET", "/api/v1/leave/members/n2/balance?year=2026", nil).Code == http.StatusOK
	})

	// The compensation report: n1 and m1 have pay, h1 and n2 do not.
	for _, m := range []string{"n1", "m1"} {
		if w := h.do(t, &finance, "PUT", "/api/v1/leave/members/"+m+"/pay/2026", map[string]string{"annual_pay": "120000.00"}); w.Code != http.StatusOK {
			t.Fatalf("pay of %s: %d %s", m, w.Code, w.Body)
		}
	}
	w := h.do(t, &finance, "GET", "/api/v1/leave/compensation/2026?unit=u1", nil)
	if w.Code != http.StatusOK {
		t.Fatalf("report: %d %s", w.Code, w.Body)
	}
	rep := decode[compensationResp](t, w)
	names := map[string]string{}
	for _, l := range rep.Lines {
		names[l.MemberID] = l.MemberName
	}
	if len(rep.Lines) != 2 || names["n1"] != "张三" || names["m1"] != "" || !strings.Contains(w.Body.String(), `"member_id":"m1","member_name":""`) {
		t.Fatalf("report lines: %s", w.Body)
	}
	if !slices.Equal(rep.MissingPay, []string{"h1", "n2"}) ||
		!slices.Equal(rep.MissingPayMembers, []memberRef{{"h1", ""}, {"n2", "李四"}}) {
		t.Fatalf("missing pay: %s", w.Body)
	}
	for _, lang := range []struct{ header, heading string }{{"zh-CN", "姓名"}, {"en", "Name"}} {
		c := h.do(t, &finance, "GET", "/api/v1/leave/compensation/2026?unit=u1&format=csv", nil, "Accept-Language", lang.header)
		if c.Code != http.StatusOK || !bytes.HasPrefix(c.Body.Bytes(), []byte("\ufeff")) {
			t.Fatalf("csv: %d %q", c.Code, c.Body)
		}
		rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(c.Body.Bytes(), []byte("\ufeff")))).ReadAll()
		if err != nil {
			t.Fatalf("csv: %v", err)
		}
		checkExportRows(t, "csv "+lang.header, rows, lang.heading, rep)
	}
	x := h.do(t, &finance, "GET", "/api/v1/leave/compensation/2026?unit=u1&format=xlsx", nil)
	f, err := excelize.OpenReader(bytes.NewReader(x.Body.Bytes()))
	if err != nil {
		t.Fatalf("xlsx: %d %v", x.Code, err)
	}
	rows, err := f.GetRows(f.GetSheetName(0))
	_ = f.Close()
	if err != nil {
		t.Fatalf("xlsx rows: %v", err)
	}
	checkExportRows(t, "xlsx", rows, "姓名", rep)

	// A leave request, a recuperation booking and a health-check booking of
	// n1 carry the name where they are created, read and listed.
	w = h.do(t, &officerN1, "POST", "/api/v1/leave/requests", map[string]string{"from": "2026-12-01", "to": "2026-12-02"})
	if w.Code != http.StatusCreated || !strings.Contains(w.Body.String(), `"member_id":"n1","member_name":"张三"`) {
		t.Fatalf("apply: %d %s", w.Code, w.Body)
	}
	req := decode[idResp](t, w).ID
	fac := decode[idResp](t, h.do(t, &admin, "POST", "/api/v1/leave/recuperation/facilities", map[string]string{"name": "北戴河疗养院"})).ID
	sess := decode[idResp](t, h.do(t, &admin, "POST", "/api/v1/leave/recuperation/facilities/"+fac+"/sessions", map[string]any{"from": "2026-12-20", "to": "2026-12-26", "capacity": 5})).ID
	if w := h.do(t, &admin, "PUT", "/api/v1/leave/recuperation/quotas/2026/u1", map[string]int{"places": 5}); w.Code != http.StatusOK {
		t.Fatalf("quota: %d %s", w.Code, w.Body)
	}
	w = h.do(t, &officerN1, "POST", "/api/v1/leave/recuperation/sessions/"+sess+"/bookings", nil)
	if w.Code != http.StatusCreated || !strings.Contains(w.Body.String(), `"member_id":"n1","member_name":"张三"`) {
		t.Fatalf("book: %d %s", w.Code, w.Body)
	}
	booking := decode[idResp](t, w).ID
	round := decode[idResp](t, h.do(t, &cw1, "POST", "/api/v1/leave/health-checks/rounds", map[string]any{"unit_id": "u1", "year": 2026, "opens": "2026-11-01", "closes": "2026-12-15"})).ID
	slot := decode[idResp](t, h.do(t, &cw1, "POST", "/api/v1/leave/health-checks/rounds/"+round+"/slots",
		map[string]any{"starts_at": time.Date(2026, 12, 1, 1, 0, 0, 0, time.UTC), "capacity": 3})).ID
	w = h.do(t, &cw1, "POST", "/api/v1/leave/health-checks/slots/"+slot+"/bookings", map[string]string{"member_id": "n1"})
	if w.Code != http.StatusCreated || !strings.Contains(w.Body.String(), `"member_id":"n1","member_name":"张三"`) {
		t.Fatalf("book check: %d %s", w.Code, w.Body)
	}
	check := decode[idResp](t, w).ID

	lists := []struct {
		what string
		who  *auth.Identity
		path string
		id   string
	}{
		{"requests of the unit", &cw1, "/api/v1/leave/requests", req},
		{"own requests", &officerN1, "/api/v1/leave/requests", req},
		{"bookings of the session", &cw1, "/api/v1/leave/recuperation/bookings?session_id=" + sess, booking},
		{"own bookings", &officerN1, "/api/v1/leave/recuperation/bookings", booking},
		{"check bookings of the round", &cw1, "/api/v1/leave/health-checks/bookings?round_id=" + round, check},
		{"own check bookings", &officerN1, "/api/v1/leave/health-checks/bookings", check},
	}
	ones := []string{"/api/v1/leave/requests/" + req, "/api/v1/leave/recuperation/bookings/" + booking, "/api/v1/leave/health-checks/bookings/" + check}
	expectNames := func(name string) {
		t.Helper()
		for _, l := range lists {
			if got := nameOf(t, h, l.who, l.path, l.id); got != name {
				t.Fatalf("%s: member_name %q, want %q", l.what, got, name)
			}
		}
		for _, p := range ones {
			if w := h.do(t, &cw1, "GET", p, nil); w.Code != http.StatusOK ||
				!strings.Contains(w.Body.String(), `"member_id":"n1","member_name":"`+name+`"`) {
				t.Fatalf("GET %s: %d %s", p, w.Code, w.Body)
			}
		}
	}
	expectNames("张三")
	// Nobody who cannot see n1's ids sees the name: another unit's staff
	// and finance get lists without them.
	for _, who := range []*auth.Identity{&cw2, &officer2, &finance} {
		for _, p := range []string{"/api/v1/leave/requests", "/api/v1/leave/recuperation/bookings", "/api/v1/leave/health-checks/bookings"} {
			if w := h.do(t, who, "GET", p, nil); w.Code != http.StatusOK || strings.Contains(w.Body.String(), "张三") {
				t.Fatalf("GET %s as %s: %d %s", p, who.UserID, w.Code, w.Body)
			}
		}
	}

	// member.updated renames: every list and the report show the new name.
	h.namedMember(t, "member.updated", 2, "n1", "u1", "张三丰")
	waitFor(t, h, "n1 renamed", func() bool {
		return strings.Contains(h.do(t, &cw1, "GET", "/api/v1/leave/requests/"+req, nil).Body.String(), `"member_name":"张三丰"`)
	})
	expectNames("张三丰")
	rep = decode[compensationResp](t, h.do(t, &finance, "GET", "/api/v1/leave/compensation/2026?unit=u1", nil))
	if i := slices.IndexFunc(rep.Lines, func(l compensationLine) bool { return l.MemberID == "n1" }); i < 0 || rep.Lines[i].MemberName != "张三丰" {
		t.Fatalf("report after the rename: %+v", rep.Lines)
	}

	// Past the round's deadline the overdue list names its members.
	h.env.Clock.Advance(20 * 24 * time.Hour)
	w = h.do(t, &approver1, "GET", "/api/v1/leave/health-checks/compliance?year=2026&unit=u1", nil)
	comp := decode[complianceResp](t, w)
	if w.Code != http.StatusOK || len(comp.Items) != 1 {
		t.Fatalf("compliance: %d %s", w.Code, w.Body)
	}
	want := map[string]string{"m1": "", "h1": "", "n1": "张三丰", "n2": "李四"}
	it := comp.Items[0]
	if len(it.Overdue) != len(it.OverdueMembers) || !slices.Contains(it.Overdue, "n2") {
		t.Fatalf("compliance: %s", w.Body)
	}
	for i, m := range it.OverdueMembers {
		if m.MemberID != it.Overdue[i] || m.MemberName != want[m.MemberID] {
			t.Fatalf("overdue members: %s", w.Body)
		}
	}
}

package grants_test

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/internal/specs"
	"github.com/anxin-welfare/anxin/pkg/app/apptest"
	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/pkg/bus/bustest"
	"github.com/anxin-welfare/anxin/pkg/pg"
)

var (
	unitHead   = auth.Identity{UserID: "u-head", Name: "刘局长", Roles: []auth.Role{auth.RoleUnitHead}, Units: []string{"unit-1"}}
	otherHead  = auth.Identity{UserID: "u-head2", Name: "陈局长", Roles: []auth.Role{auth.RoleUnitHead}, Units: []string{"unit-2"}}
	familyAcct = auth.Identity{UserID: "u-fam", MemberID: "m-1", Name: "李娜", Roles: []auth.Role{auth.RoleFamily}, Units: []string{"unit-1"}}
	// otherUnitOfficer is an officer of another unit.
	otherUnitOfficer = auth.Identity{UserID: "u-off3", MemberID: "m-3", Name: "外单位", Roles: []auth.Role{auth.RoleOfficer}, Units: []string{"unit-2"}}
)

type careJSON struct {
	ID          string `json:"id"`
	Kind        string `json:"kind"`
	SubjectName string `json:"subject_name"`
	Version     int64  `json:"version"`
	Liaisons    []struct {
		Role   string `json:"role"`
		UserID string `json:"user_id"`
		Phone  string `json:"phone"`
	} `json:"liaisons"`
	NextVisit *struct {
		Occasion string `json:"occasion"`
		Year     int    `json:"year"`
		DueOn    string `json:"due_on"`
		Status   string `json:"status"`
	} `json:"next_visit"`
	Persons []struct {
		ID       string `json:"id"`
		Relation string `json:"relation"`
		Name     string `json:"name"`
	} `json:"persons"`
	Plan []struct {
		Occasion string `json:"occasion"`
		Year     int    `json:"year"`
		Status   string `json:"status"`
	} `json:"plan"`
	Visits        []json.RawMessage `json:"visits"`
	SchoolPrompts []struct {
		PersonID string `json:"person_id"`
		Stage    string `json:"stage"`
		EntryOn  string `json:"entry_on"`
	} `json:"school_prompts"`
	Matters []matterJSON `json:"matters"`
}

type matterJSON struct {
	ID            string `json:"id"`
	State         string `json:"state"`
	Version       int64  `json:"version"`
	ApplicationID string `json:"application_id"`
	Timeline      []struct {
		Kind string `json:"kind"`
	} `json:"timeline"`
}

// deathOnDuty publishes enrollment's member.deceased for m-1 of unit-1,
// killed in the line of duty, with a spouse and a child of eleven.
func (h *harness) deathOnDuty(version int64) string {
	return h.publish("enrollment", "member.deceased", "m-1", version, map[string]any{"member_id": "m-1", "unit_id": "unit-1", "name": "张三丰",
		"category": "police", "status": "deceased", "status_date": "2026-11-20", "death_cause": "line_of_duty", "honours": []any{},
		"dependants": []map[string]any{
			{"dependant_id": "d-1", "relation": "spouse", "name": "李娜", "birth_date": "1988-04-02"},
			{"dependant_id": "d-2", "relation": "child", "name": "张小明", "birth_date": "2015-05-01"}},
		"version": version})
}

// careRecords lists the records id sees.
func (h *harness) careRecords(id *auth.Identity) []careJSON {
	w := h.do(id, "GET", "/care/records", nil, 0)
	want(h.t, w, 200, "")
	return decode[struct {
		Items []careJSON `json:"items"`
	}](h.t, w).Items
}

// openedCare waits for the record the death opens and returns it.
func (h *harness) openedCare() careJSON {
	var recs []careJSON
	apptest.Eventually(h.t, 15*time.Second, "the family's care record opened", func() bool {
		recs = h.careRecords(&approverA)
		return len(recs) == 1
	})
	return recs[0]
}

// outboxEvent returns the data of the one outbox event of typ about subject.
func (h *harness) outboxEvent(typ, subject string) json.RawMessage {
	h.t.Helper()
	db, err := pg.Open(context.Background(), pg.Config{URL: h.env.Deps.Config.DatabaseURL, Schema: "grants", MaxOpenConns: 1})
	if err != nil {
		h.t.Fatal(err)
	}
	defer db.Close()
	var raw []byte
	if err := db.Get(&raw, `SELECT envelope FROM outbox WHERE type = $1 AND subject_id = $2`, typ, subject); err != nil {
		h.t.Fatalf("outbox %s %s: %v", typ, subject, err)
	}
	var ev bus.Event
	if err := json.Unmarshal(raw, &ev); err != nil {
		h.t.Fatal(err)
	}
	return ev.Data
}

// TestFamilyCareOpensOnceOnADeathOnDuty: member.deceased with cause
// line_of_duty opens one record listing each dependant; the same death
// redelivered, or published again, opens nothing more; an illness opens
// nothing.
func TestFamilyCareOpensOnceOnADeathOnDuty(t *testing.T) {
	h := start(t)
	h.env.Contract = specs.MustLoad(t, "grants")
	h.deathOnDuty(5)
	rec := h.openedCare()
	if rec.Kind != "line_of_duty" || rec.SubjectName != "张三丰" {
		t.Errorf("record %+v", rec)
	}
	w := h.do(&approverA, "GET", "/care/records/"+rec.ID, nil, 0)
	want(t, w, 200, "")
	full := decode[careJSON](t, w)
	if len(full.Persons) != 2 || full.Persons[1].Name != "张小明" {
		t.Errorf("persons %+v", full.Persons)
	}
	// the child (born 2015-05-01) enters junior-middle school on 2027-09-01: prompted now
	if len(full.SchoolPrompts) != 1 || full.SchoolPrompts[0].Stage != "junior_middle" || full.SchoolPrompts[0].EntryOn != "2027-09-01" {
		t.Errorf("school prompts %+v", full.SchoolPrompts)
	}
	if full.NextVisit == nil || full.NextVisit.Occasion != "spring_festival" || full.NextVisit.Year != 2027 || full.NextVisit.DueOn != "2027-02-20" {
		t.Errorf("next visit %+v", full.NextVisit)
	}
	// the same death again, and an illness of another member
	again := h.deathOnDuty(6)
	h.publish("enrollment", "member.deceased", "m-7", 2, map[string]any{"member_id": "m-7", "unit_id": "unit-1", "name": "王五",
		"category": "police", "status_date": "2026-11-21", "death_cause": "illness", "honours": []any{}, "dependants": []any{}, "version": 2})
	apptest.Eventually(t, 15*time.Second, "the second death event consumed", func() bool {
		return h.count(`SELECT count(*) FROM inbox WHERE event_id = $1`, again) == 1 &&
			h.count(`SELECT count(*) FROM members WHERE member_id = 'm-7' AND deceased`) == 1
	})
	if n := h.count(`SELECT count(*) FROM care_records`); n != 1 {
		t.Errorf("%d care records after a repeated death and an illness, want 1", n)
	}
}

// TestFamilyCareIsSeenOnlyByItsCircle: liaisons, the unit's caseworkers
// and the committee read the record; every other role, and an officer of
// another unit, gets 404; each read is in the audit trail.
func TestFamilyCareIsSeenOnlyByItsCircle(t *testing.T) {
	h := start(t)
	h.env.Contract = specs.MustLoad(t, "grants")
	h.deathOnDuty(5)
	rec := h.openedCare()
	path := "/care/records/" + rec.ID
	// pair the unit head as the family's leader liaison
	w := h.do(&caseworker, "PUT", path+"/liaisons/leader", map[string]any{"user_id": unitHead.UserID, "name": unitHead.Name, "phone": "13800000001"}, rec.Version)
	want(t, w, 200, "")

	reads := func(actor string) int {
		return h.count(`SELECT count(*) FROM audit_log WHERE action = 'grants.care.read' AND object_id = $1 AND actor = $2`, rec.ID, actor)
	}
	for _, who := range []auth.Identity{caseworker, approverA, approverB, unitHead} {
		before := reads(who.UserID)
		want(t, h.do(&who, "GET", path, nil, 0), 200, "")
		if after := reads(who.UserID); after != before+1 {
			t.Errorf("%s's read is not in the audit trail (%d → %d)", who.UserID, before, after)
		}
	}
	for _, who := range []auth.Identity{otherUnitOfficer, otherCW, otherHead, officer, stranger, familyAcct, finance, auditor, admin} {
		w := h.do(&who, "GET", path, nil, 0)
		want(t, w, 404, "not_found")
		if n := reads(who.UserID); n != 0 {
			t.Errorf("%s's refused read left %d audit rows", who.UserID, n)
		}
		if got := h.careRecords(&who); len(got) != 0 {
			t.Errorf("%s lists %d families", who.UserID, len(got))
		}
	}
	// lists are audited with the ids they showed
	if n := h.count(`SELECT count(*) FROM audit_log WHERE action = 'grants.care.list' AND actor = $1 AND after->'record_ids' ? $2`, approverA.UserID, rec.ID); n == 0 {
		t.Error("the committee's list read is not audited")
	}
	// the family sees its own view: the liaison and how to reach them
	w = h.do(&familyAcct, "GET", "/care/mine", nil, 0)
	want(t, w, 200, "")
	mine := decode[struct {
		Items []careJSON `json:"items"`
	}](t, w).Items
	if len(mine) != 1 || len(mine[0].Liaisons) != 1 || mine[0].Liaisons[0].Phone != "13800000001" {
		t.Errorf("family view %+v", mine)
	}
	if n := h.count(`SELECT count(*) FROM audit_log WHERE action = 'grants.care.read_own' AND actor = 'u-fam'`); n != 1 {
		t.Errorf("the family's read audited %d times", n)
	}
	if w := h.do(&stranger, "GET", "/care/mine", nil, 0); len(decode[struct {
		Items []careJSON `json:"items"`
	}](t, w).Items) != 0 {
		t.Error("another officer sees the family through /care/mine")
	}
	// a liaison who is not a caseworker cannot reassign; a stale version is 409
	want(t, h.do(&unitHead, "PUT", path+"/liaisons/caseworker", map[string]any{"user_id": "x", "name": "x", "phone": "13800000002"}, 2), 403, "forbidden")
	want(t, h.do(&caseworker, "PUT", path+"/liaisons/caseworker", map[string]any{"user_id": "u-cw", "name": "王经办", "phone": "13800000002"}, 1), 409, "version_mismatch")
	w = h.do(&caseworker, "PUT", path+"/liaisons/caseworker", map[string]any{"user_id": "u-cw", "name": "王经办", "phone": "bad phone"}, 2)
	want(t, w, 422, "validation_failed")
	if !strings.Contains(w.Body.String(), `"phone"`) {
		t.Errorf("no phone field problem: %s", w.Body.String())
	}
}

// TestFamilyCareVisitsMattersAndSummary: the liaison records the Spring
// Festival visit (care.visit_recorded, its schema), the family raises a
// schooling matter, a caseworker turns it into a prefilled
// children's-education application and resolves it (care.matter_resolved),
// and the committee's summary counts the visit on time and the matter
// resolved. Bad input changes nothing.
func TestFamilyCareVisitsMattersAndSummary(t *testing.T) {
	h := start(t)
	h.env.Contract = specs.MustLoad(t, "grants")
	fundID, _ := h.setupFund(1000000)
	w := h.do(&admin, "POST", "/programs", map[string]any{"fund_id": fundID, "code": "edu", "name_zh": "英烈子女教育资助", "kind": "children_education",
		"allocation": 5000000, "amount_rule": map[string]any{"kind": "fixed", "fixed": 300000}, "dual_approval_above": 1000000}, 0)
	want(t, w, 201, "")
	eduID := decode[map[string]any](t, w)["id"].(string)
	h.deathOnDuty(5)
	rec := h.openedCare()
	path := "/care/records/" + rec.ID
	want(t, h.do(&caseworker, "PUT", path+"/liaisons/leader", map[string]any{"user_id": unitHead.UserID, "name": unitHead.Name, "phone": "13800000001"}, rec.Version), 200, "")

	// the Spring Festival visit, recorded by the leader liaison in the window
	h.env.Clock.Advance(55 * 24 * time.Hour) // 2027-01-21
	visit := map[string]any{"occasion": "spring_festival", "visited_on": "2027-01-21", "visitors": []string{"刘局长", "王经办"},
		"given": []map[string]any{{"description": "慰问金", "amount": 200000}, {"description": "米面油"}}, "family_raised": "孩子明年升初中，想转到县一中"}
	bad := map[string]any{"occasion": "spring_festival", "visited_on": "2027-01-22", "visitors": []string{}, "given": []map[string]any{{"description": "", "amount": -1}}}
	w = h.do(&unitHead, "POST", path+"/visits", bad, 0)
	want(t, w, 422, "validation_failed")
	for _, f := range []string{"visited_on", "visitors", "given[0].description", "given[0].amount"} {
		if !strings.Contains(w.Body.String(), `"`+f+`"`) {
			t.Errorf("no problem on %s: %s", f, w.Body.String())
		}
	}
	want(t, h.do(&otherCW, "POST", path+"/visits", visit, 0), 404, "not_found")
	want(t, h.do(&approverA, "POST", path+"/visits", visit, 0), 403, "forbidden")
	if n := h.count(`SELECT count(*) FROM care_visits`); n != 0 {
		t.Fatalf("refused visits stored %d rows", n)
	}
	w = h.do(&unitHead, "POST", path+"/visits", visit, 0)
	want(t, w, 201, "")
	v := decode[struct {
		ID         string `json:"id"`
		Year       int    `json:"year"`
		GivenTotal int64  `json:"given_total"`
	}](t, w)
	if v.Year != 2027 || v.GivenTotal != 200000 {
		t.Errorf("visit %+v", v)
	}
	schema := bustest.CompileSchema(t, "../../api/events/grants.care.visit_recorded.v1.json")
	bustest.CheckPublishes(t, schema, h.outboxEvent("care.visit_recorded", v.ID))

	// a photo of the visit, readable by whoever sees the record
	w = h.uploadPhoto(&unitHead, v.ID, "visit.pdf", pdf)
	want(t, w, 201, "")
	photoURL := decode[map[string]any](t, w)["download_url"].(string)
	want(t, h.do(&approverA, "GET", strings.TrimPrefix(photoURL, "/api/v1/grants"), nil, 0), 200, "")
	want(t, h.do(&otherCW, "GET", strings.TrimPrefix(photoURL, "/api/v1/grants"), nil, 0), 404, "not_found")

	// the family raises a schooling matter about the child
	w = h.do(&familyAcct, "POST", path+"/matters", map[string]any{"kind": "schooling", "topic": "tuition", "person_id": "d-2", "summary": "初中学费有困难"}, 0)
	want(t, w, 201, "")
	m := decode[matterJSON](t, w)
	want(t, h.do(&stranger, "POST", path+"/matters", map[string]any{"kind": "other", "summary": "x"}, 0), 404, "not_found")
	want(t, h.do(&familyAcct, "POST", path+"/matters", map[string]any{"kind": "schooling", "topic": "bribe", "summary": "x"}, 0), 422, "validation_failed")

	// a caseworker of the unit turns it into a children's-education application
	want(t, h.do(&unitHead, "POST", "/care/matters/"+m.ID+"/application", map[string]any{}, m.Version), 403, "forbidden")
	// the default programme is the current fiscal year's: 2027 has no fund yet
	want(t, h.do(&caseworker, "POST", "/care/matters/"+m.ID+"/application", map[string]any{}, m.Version), 422, "validation_failed")
	w = h.do(&caseworker, "POST", "/care/matters/"+m.ID+"/application", map[string]any{"program_id": eduID}, m.Version)
	want(t, w, 201, "")
	started := decode[struct {
		Matter        matterJSON `json:"matter"`
		ApplicationID string     `json:"application_id"`
	}](t, w)
	if started.Matter.ApplicationID != started.ApplicationID || started.Matter.State != "in_progress" {
		t.Errorf("linked matter %+v", started.Matter)
	}
	w = h.do(&caseworker, "GET", "/applications/"+started.ApplicationID, nil, 0)
	want(t, w, 200, "")
	app := decode[map[string]any](t, w)
	if app["program_id"] != eduID || app["member_id"] != "m-1" || app["dependant_id"] != "d-2" || app["state"] != "draft" {
		t.Errorf("prefilled application %v", app)
	}
	want(t, h.do(&familyAcct, "GET", "/applications/"+started.ApplicationID, nil, 0), 200, "")
	want(t, h.do(&caseworker, "POST", "/care/matters/"+m.ID+"/application", map[string]any{}, started.Matter.Version), 409, "grants.care.application_linked")

	// resolved, with the outcome; the event carries the application
	want(t, h.do(&caseworker, "POST", "/care/matters/"+m.ID+"/resolve", map[string]any{"outcome": " "}, started.Matter.Version), 422, "validation_failed")
	w = h.do(&caseworker, "POST", "/care/matters/"+m.ID+"/resolve", map[string]any{"outcome": "已申请子女教育资助，学费落实"}, started.Matter.Version)
	want(t, w, 200, "")
	resolved := decode[matterJSON](t, w)
	if resolved.State != "resolved" || len(resolved.Timeline) != 3 {
		t.Errorf("resolved %+v", resolved)
	}
	data := h.outboxEvent("care.matter_resolved", m.ID)
	bustest.CheckPublishes(t, bustest.CompileSchema(t, "../../api/events/grants.care.matter_resolved.v1.json"), data)
	if !strings.Contains(string(data), started.ApplicationID) || strings.Contains(string(data), "张") {
		t.Errorf("event data %s", data)
	}

	// the committee's summary counts it
	want(t, h.do(&caseworker, "GET", "/care/summary", nil, 0), 403, "forbidden")
	w = h.do(&approverB, "GET", "/care/summary", nil, 0)
	want(t, w, 200, "")
	sum := decode[struct {
		Units []map[string]any `json:"units"`
	}](t, w)
	if len(sum.Units) != 1 || sum.Units[0]["unit_id"] != "unit-1" || sum.Units[0]["families"] != 1.0 || sum.Units[0]["visits_on_time"] != 1.0 ||
		sum.Units[0]["matters_resolved"] != 1.0 || sum.Units[0]["matters_open"] != 0.0 {
		t.Errorf("summary %v", sum.Units)
	}
	// past the visit's due date (2027-02-20) it still counts as on time, and nothing is overdue
	h.env.Clock.Advance(31 * 24 * time.Hour)
	sum = decode[struct {
		Units []map[string]any `json:"units"`
	}](t, h.do(&approverB, "GET", "/care/summary", nil, 0))
	if sum.Units[0]["visits_on_time"] != 1.0 || sum.Units[0]["visits_overdue"] != 0.0 {
		t.Errorf("summary after the due date %v", sum.Units)
	}
}

// uploadPhoto posts one photo of a visit.
func (h *harness) uploadPhoto(id *auth.Identity, visitID, name string, content []byte) *httptest.ResponseRecorder {
	h.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		h.t.Fatal(err)
	}
	_, _ = fw.Write(content)
	if err := mw.Close(); err != nil {
		h.t.Fatal(err)
	}
	return h.env.Do(h.t, h.h, id, "POST", "/api/v1/grants/care/visits/"+visitID+"/photos", buf.Bytes(), "Content-Type", mw.FormDataContentType())
}

// TestFamilyCareExportMasksByDefault: the committee's export masks the
// family; unmasking is a deliberate choice the audit trail names.
func TestFamilyCareExportMasksByDefault(t *testing.T) {
	h := start(t)
	h.env.Contract = specs.MustLoad(t, "grants")
	h.deathOnDuty(5)
	h.openedCare()
	want(t, h.do(&caseworker, "GET", "/care/export", nil, 0), 403, "forbidden")
	w := h.do(&approverA, "GET", "/care/export", nil, 0)
	want(t, w, 200, "")
	if body := w.Body.String(); strings.Contains(body, "张三丰") || !strings.Contains(body, "张**") || strings.Contains(body, "李娜") {
		t.Errorf("masked export: %s", body)
	}
	want(t, h.do(&approverA, "GET", "/care/export?unmask=yes", nil, 0), 422, "validation_failed")
	w = h.do(&approverA, "GET", "/care/export?unmask=true", nil, 0)
	want(t, w, 200, "")
	if !strings.Contains(w.Body.String(), "张三丰") {
		t.Errorf("unmasked export: %s", w.Body.String())
	}
	if n := h.count(`SELECT count(*) FROM audit_log WHERE action = 'grants.care.export.unmasked' AND actor = $1`, approverA.UserID); n != 1 {
		t.Errorf("unmasked exports audited %d times", n)
	}
	if n := h.count(`SELECT count(*) FROM audit_log WHERE action = 'grants.care.export' AND actor = $1`, approverA.UserID); n != 1 {
		t.Errorf("masked exports audited %d times", n)
	}
}

// TestFamilyCareOpensForDisabilityAndByHand: a grading on duty opens the
// officer's record; a caseworker opens a hardship family's by hand, once.
func TestFamilyCareOpensForDisabilityAndByHand(t *testing.T) {
	h := start(t)
	h.env.Contract = specs.MustLoad(t, "grants")
	h.publish("enrollment", "member.registered", "m-8", 1, map[string]any{"member_id": "m-8", "unit_id": "unit-1", "name": "赵六", "category": "police",
		"honours": []any{}, "dependants": []map[string]any{{"dependant_id": "d-8", "relation": "child", "name": "赵小", "birth_date": "2021-03-01"}}})
	h.publish("injury", "case.graded", "c-1", 1, map[string]any{"case_id": "c-1", "number": "GC-2026-000001", "member_id": "m-8", "unit_id": "unit-1",
		"injury_date": "2026-03-01", "grade": 4, "graded_on": "2026-11-01"})
	var recs []careJSON
	apptest.Eventually(t, 15*time.Second, "the disabled officer's record", func() bool {
		recs = h.careRecords(&caseworker)
		return len(recs) == 1
	})
	if recs[0].Kind != "disabled_on_duty" {
		t.Errorf("record %+v", recs[0])
	}
	want(t, h.do(&caseworker, "POST", "/care/records", map[string]any{"member_id": "m-8"}, 0), 201, "")
	want(t, h.do(&caseworker, "POST", "/care/records", map[string]any{"member_id": "m-8"}, 0), 409, "grants.care_exists")
	want(t, h.do(&otherCW, "POST", "/care/records", map[string]any{"member_id": "m-8"}, 0), 422, "validation_failed")
	want(t, h.do(&officer, "POST", "/care/records", map[string]any{"member_id": "m-8"}, 0), 403, "forbidden")
	if n := h.count(`SELECT count(*) FROM care_records WHERE member_id = 'm-8'`); n != 2 {
		t.Errorf("%d records for m-8", n)
	}
}

// TestFamilyCareAdminRules: admins change the visit rule and the festival
// dates; nobody else can; implausible dates are refused by field.
func TestFamilyCareAdminRules(t *testing.T) {
	h := start(t)
	h.env.Contract = specs.MustLoad(t, "grants")
	w := h.do(&caseworker, "GET", "/care/visit-rules", nil, 0)
	want(t, w, 200, "")
	if n := len(decode[struct {
		Items []any `json:"items"`
	}](t, w).Items); n != 3 {
		t.Errorf("%d rules", n)
	}
	body := map[string]any{"enabled": false, "days_before": 10, "days_after": 5}
	want(t, h.do(&caseworker, "PUT", "/care/visit-rules/qingming", body, 1), 403, "forbidden")
	want(t, h.do(&admin, "PUT", "/care/visit-rules/qingming", map[string]any{"enabled": true, "days_before": 91, "days_after": 5}, 1), 422, "validation_failed")
	want(t, h.do(&admin, "PUT", "/care/visit-rules/birthday", body, 1), 404, "not_found")
	want(t, h.do(&admin, "PUT", "/care/visit-rules/qingming", body, 1), 200, "")
	want(t, h.do(&admin, "PUT", "/care/visit-rules/qingming", body, 1), 409, "version_mismatch")
	want(t, h.do(&admin, "PUT", "/care/festival-dates/2031", map[string]any{"spring_festival": "2031-03-23", "qingming": "2031-04-05"}, 0), 422, "validation_failed")
	want(t, h.do(&officer, "PUT", "/care/festival-dates/2031", map[string]any{"spring_festival": "2031-01-23", "qingming": "2031-04-05"}, 0), 403, "forbidden")
	want(t, h.do(&admin, "PUT", "/care/festival-dates/2031", map[string]any{"spring_festival": "2031-01-23", "qingming": "2031-04-05"}, 0), 200, "")
	w = h.do(&admin, "GET", "/care/festival-dates", nil, 0)
	if !strings.Contains(w.Body.String(), `"2031-01-23"`) {
		t.Errorf("dates %s", w.Body.String())
	}
}

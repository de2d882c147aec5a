package grants_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/internal/specs"
	"github.com/anxin-welfare/anxin/pkg/auth"
)

// TestFamilyCareAccessMatrix calls every family-care route as every role.
// Writes carry a body the domain refuses, so a caller who passes the
// access rules gets 422 and changes nothing, and one who does not gets
// 403 (a role that may never do it, or may see but not act) or 404 (the
// family's record is not theirs to see).
func TestFamilyCareAccessMatrix(t *testing.T) {
	h := start(t)
	h.env.Contract = specs.MustLoad(t, "grants")
	h.deathOnDuty(5)
	rec := h.openedCare()
	path := "/care/records/" + rec.ID
	want(t, h.do(&caseworker, "PUT", path+"/liaisons/leader", map[string]any{"user_id": unitHead.UserID, "name": unitHead.Name, "phone": "13800000001"}, rec.Version), 200, "")
	h.env.Clock.Advance(55 * 24 * time.Hour)
	w := h.do(&caseworker, "POST", path+"/visits", map[string]any{"occasion": "spring_festival", "visited_on": "2027-01-21", "visitors": []string{"王经办"}}, 0)
	want(t, w, 201, "")
	visitID := decode[map[string]any](t, w)["id"].(string)
	w = h.uploadPhoto(&caseworker, visitID, "v.pdf", pdf)
	want(t, w, 201, "")
	photo := decode[map[string]any](t, w)["id"].(string)
	w = h.do(&caseworker, "POST", path+"/matters", map[string]any{"kind": "schooling", "topic": "enrolment", "summary": "入学"}, 0)
	want(t, w, 201, "")
	matter := decode[matterJSON](t, w)
	version := int64(2)

	// officer (m-1) is the member's own account, as familyAcct is the
	// family's linked to m-1: both may raise a matter on their record.
	roles := map[string]auth.Identity{"officer": officer, "family": familyAcct, "caseworker": caseworker, "other_caseworker": otherCW,
		"liaison_unit_head": unitHead, "other_unit_head": otherHead, "approver": approverA, "finance": finance, "auditor": auditor, "admin": admin,
		"other_unit_officer": otherUnitOfficer}
	tests := []struct {
		method, path string
		body         any
		ifMatch      int64
		// allowed maps the roles that pass to their status; everyone else
		// gets deny.
		allowed map[string]int
		deny    int
	}{
		{"GET", "/care/records", nil, 0, map[string]int{"officer": 200, "family": 200, "caseworker": 200, "other_caseworker": 200, "liaison_unit_head": 200,
			"other_unit_head": 200, "approver": 200, "finance": 200, "auditor": 200, "admin": 200, "other_unit_officer": 200}, 0},
		{"POST", "/care/records", map[string]any{"member_id": ""}, 0, map[string]int{"caseworker": 422, "other_caseworker": 422}, 403},
		{"GET", path, nil, 0, map[string]int{"caseworker": 200, "liaison_unit_head": 200, "approver": 200}, 404},
		{"PUT", path + "/liaisons/leader", map[string]any{"user_id": "", "name": "", "phone": ""}, version,
			map[string]int{"caseworker": 422, "approver": 422, "liaison_unit_head": 403}, 404},
		{"POST", path + "/visits", map[string]any{"occasion": "birthday"}, 0, map[string]int{"caseworker": 422, "liaison_unit_head": 422, "approver": 403}, 404},
		{"POST", path + "/matters", map[string]any{"kind": "bribe"}, 0, map[string]int{"caseworker": 422, "liaison_unit_head": 422, "approver": 422, "family": 422, "officer": 422}, 404},
		{"POST", "/care/visits/" + visitID + "/photos", nil, 0, map[string]int{"caseworker": 422, "liaison_unit_head": 422, "approver": 403}, 404},
		{"GET", "/care/visits/" + visitID + "/photos/" + photo, nil, 0, map[string]int{"caseworker": 200, "liaison_unit_head": 200, "approver": 200}, 404},
		{"POST", "/care/matters/" + matter.ID + "/progress", map[string]any{}, matter.Version, map[string]int{"caseworker": 422, "liaison_unit_head": 422, "approver": 422}, 404},
		{"POST", "/care/matters/" + matter.ID + "/application", map[string]any{"program_id": "x"}, matter.Version,
			map[string]int{"caseworker": 422, "liaison_unit_head": 403, "approver": 403}, 404},
		{"POST", "/care/matters/" + matter.ID + "/resolve", map[string]any{"outcome": ""}, matter.Version, map[string]int{"caseworker": 422, "liaison_unit_head": 422, "approver": 422}, 404},
		{"GET", "/care/mine", nil, 0, map[string]int{"officer": 200, "family": 200, "other_unit_officer": 200}, 403},
		{"GET", "/care/queue", nil, 0, map[string]int{"officer": 200, "family": 200, "caseworker": 200, "other_caseworker": 200, "liaison_unit_head": 200,
			"other_unit_head": 200, "approver": 200, "finance": 200, "auditor": 200, "admin": 200, "other_unit_officer": 200}, 0},
		{"GET", "/care/summary", nil, 0, map[string]int{"approver": 200, "admin": 200}, 403},
		{"GET", "/care/export", nil, 0, map[string]int{"approver": 200}, 403},
		{"GET", "/care/visit-rules", nil, 0, map[string]int{"admin": 200, "caseworker": 200, "other_caseworker": 200, "approver": 200, "liaison_unit_head": 200, "other_unit_head": 200}, 403},
		{"PUT", "/care/visit-rules/qingming", map[string]any{"enabled": true, "days_before": -1, "days_after": 0}, 1, map[string]int{"admin": 422}, 403},
		{"GET", "/care/festival-dates", nil, 0, map[string]int{"admin": 200, "caseworker": 200, "other_caseworker": 200, "approver": 200, "liaison_unit_head": 200, "other_unit_head": 200}, 403},
		{"PUT", "/care/festival-dates/2031", map[string]any{"spring_festival": "2031-06-01", "qingming": "x"}, 0, map[string]int{"admin": 422}, 403},
	}
	before := h.count(`SELECT (SELECT count(*) FROM care_visits) + (SELECT count(*) FROM care_matters) + (SELECT count(*) FROM care_liaisons) +
		(SELECT count(*) FROM care_visit_photos) + (SELECT count(*) FROM applications) + (SELECT sum(version) FROM care_matters)`)
	for _, tc := range tests {
		for name, who := range roles {
			t.Run(fmt.Sprintf("%s %s as %s", tc.method, tc.path, name), func(t *testing.T) {
				status, ok := tc.allowed[name]
				if !ok {
					status = tc.deny
				}
				var w interface{ Result() *http.Response }
				if tc.path == "/care/visits/"+visitID+"/photos" && tc.method == "POST" {
					w = h.env.Do(t, h.h, &who, "POST", "/api/v1/grants"+tc.path, []byte{}, "Content-Type", "multipart/form-data; boundary=x")
				} else {
					w = h.do(&who, tc.method, tc.path, tc.body, tc.ifMatch)
				}
				res := w.Result()
				defer res.Body.Close()
				if res.StatusCode != status {
					t.Errorf("status %d, want %d", res.StatusCode, status)
				}
			})
		}
	}
	after := h.count(`SELECT (SELECT count(*) FROM care_visits) + (SELECT count(*) FROM care_matters) + (SELECT count(*) FROM care_liaisons) +
		(SELECT count(*) FROM care_visit_photos) + (SELECT count(*) FROM applications) + (SELECT sum(version) FROM care_matters)`)
	if before != after {
		t.Errorf("refused calls changed something: %d → %d", before, after)
	}
}

// TestFamilyCareOverdueQueue: a Spring Festival visit not made by its due
// date shows in the liaison's queue and, masked, in the unit head's view;
// another unit's head sees nothing.
func TestFamilyCareOverdueQueue(t *testing.T) {
	h := start(t)
	h.env.Contract = specs.MustLoad(t, "grants")
	h.deathOnDuty(5)
	rec := h.openedCare()
	want(t, h.do(&caseworker, "PUT", "/care/records/"+rec.ID+"/liaisons/caseworker", map[string]any{"user_id": "u-liaison", "name": "孙联络", "phone": "13800000009"}, rec.Version), 200, "")
	liaison := auth.Identity{UserID: "u-liaison", Name: "孙联络", Roles: []auth.Role{auth.RoleOfficer}, Units: []string{"unit-3"}}
	type queue struct {
		Items []struct {
			RecordID    string `json:"record_id"`
			SubjectName string `json:"subject_name"`
			Masked      bool   `json:"masked"`
			Visit       struct {
				Occasion string `json:"occasion"`
				Status   string `json:"status"`
			} `json:"visit"`
		} `json:"items"`
	}
	if q := decode[queue](t, h.do(&liaison, "GET", "/care/queue", nil, 0)); len(q.Items) != 0 {
		t.Fatalf("overdue before the due date: %+v", q)
	}
	h.env.Clock.Advance(86 * 24 * time.Hour) // 2027-02-21, the day after the due date
	q := decode[queue](t, h.do(&liaison, "GET", "/care/queue", nil, 0))
	if len(q.Items) != 1 || q.Items[0].Visit.Occasion != "spring_festival" || q.Items[0].Visit.Status != "overdue" || q.Items[0].SubjectName != "张三丰" || q.Items[0].Masked {
		t.Errorf("liaison's queue %+v", q)
	}
	q = decode[queue](t, h.do(&unitHead, "GET", "/care/queue", nil, 0))
	if len(q.Items) != 1 || q.Items[0].SubjectName != "张**" || !q.Items[0].Masked {
		t.Errorf("unit head's view %+v", q)
	}
	if q := decode[queue](t, h.do(&otherHead, "GET", "/care/queue", nil, 0)); len(q.Items) != 0 {
		t.Errorf("another unit's head sees %+v", q)
	}
	// the liaison reads the record through the queue: it is theirs to see
	want(t, h.do(&liaison, "GET", "/care/records/"+rec.ID, nil, 0), 200, "")
}

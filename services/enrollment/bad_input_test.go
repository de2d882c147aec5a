package enrollment_test

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/anxin-welfare/anxin/internal/specs"
)

// TestBadInput sends each kind of bad input and checks the problem: its
// status, its code, the field it names with a message in the asked
// language, and that the data is exactly as it was.
func TestBadInput(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.env.Contract = specs.MustLoad(t, "enrollment")
	memberBody := func(mutate func(map[string]any)) map[string]any {
		b := map[string]any{"unit_id": w.gaj, "name": "新警", "category": "police", "id_number": idNumber(1995, 41, true), "hire_date": "2018-07-01"}
		mutate(b)
		return b
	}
	count := func() int {
		return len(w.must(&w.admin, 200, "GET", "/members", nil).body["members"].([]any))
	}
	before, members := w.snapshot(w.member), count()
	tests := []struct {
		name       string
		method     string
		path       string
		body       any
		headers    []string
		wantStatus int
		wantCode   string
		wantFields []string
		wantEN     string // a phrase of the English message of the first field
		asAdmin    bool
	}{
		{name: "wrong check character", method: "POST", path: "/members",
			body: memberBody(func(b map[string]any) { b["id_number"] = "110105194912310021" }), wantStatus: 422, wantCode: "validation_failed",
			wantFields: []string{"id_number=idcard.checksum"}},
		{name: "impossible birth date", method: "POST", path: "/members",
			body: memberBody(func(b map[string]any) { b["id_number"] = "110105194902300013" }), wantStatus: 422, wantCode: "validation_failed",
			wantFields: []string{"id_number=idcard.birth_date"}},
		{name: "legacy 15 digits", method: "POST", path: "/members", headers: []string{"Accept-Language", "en"},
			body: memberBody(func(b map[string]any) { b["id_number"] = "110105491231002" }), wantStatus: 422, wantCode: "validation_failed",
			wantFields: []string{"id_number=idcard.legacy15"}, wantEN: "15-digit"},
		{name: "unknown category", method: "POST", path: "/members", headers: []string{"Accept-Language", "en"},
			body: memberBody(func(b map[string]any) { b["category"] = "soldier" }), wantStatus: 422, wantCode: "validation_failed",
			wantFields: []string{"category=enrollment.category_unknown"}, wantEN: "soldier"},
		{name: "bad date", method: "POST", path: "/members",
			body: memberBody(func(b map[string]any) { b["hire_date"] = "2018/07/01" }), wantStatus: 422, wantCode: "validation_failed",
			wantFields: []string{"hire_date=field.date"}},
		{name: "hired in year 0006", method: "POST", path: "/members", headers: []string{"Accept-Language", "en"},
			body: memberBody(func(b map[string]any) { b["hire_date"] = "0006-07-01" }), wantStatus: 422, wantCode: "validation_failed",
			wantFields: []string{"hire_date=field.range"}, wantEN: "must be between 1950-01-01 and "},
		{name: "unknown field", method: "POST", path: "/members",
			body: memberBody(func(b map[string]any) { b["salary"] = 1 }), wantStatus: 422, wantCode: "validation_failed",
			wantFields: []string{"salary=field.unknown"}},
		{name: "malformed JSON", method: "POST", path: "/members", body: []byte(`{"name":`), wantStatus: 400, wantCode: "malformed_json"},
		{name: "duplicate identity number", method: "POST", path: "/members",
			body: memberBody(func(b map[string]any) { b["id_number"] = strings.ToLower(idNumber(1985, 11, true)) }), wantStatus: 409, wantCode: "enrollment.duplicate_member"},
		{name: "overlapping enrollment", method: "POST", path: "/enrollments",
			body: map[string]any{"member_id": w.member, "plan_id": w.plan, "start": "2026-03-01"}, wantStatus: 409, wantCode: "enrollment.overlap"},
		{name: "judge not eligible", method: "POST", path: "/enrollments",
			asAdmin: true, body: map[string]any{"member_id": w.other, "plan_id": w.plan, "start": "2026-03-01"}, wantStatus: 422, wantCode: "validation_failed",
			wantFields: []string{"member_id=enrollment.ineligible.category"}},
		{name: "shares not summing to 100", method: "PUT", path: "/members/" + w.member + "/beneficiaries/personal_accident",
			headers: []string{"If-Match", `"1"`, "Accept-Language", "en"},
			body: map[string]any{"beneficiaries": []any{map[string]any{"name": "甲", "relation": "child", "share": "50"},
				map[string]any{"name": "乙", "relation": "child", "share": "40.5"}}},
			wantStatus: 422, wantCode: "validation_failed", wantFields: []string{"beneficiaries=enrollment.shares_total"}, wantEN: "90.50%"},
		{name: "share with three decimals", method: "PUT", path: "/members/" + w.member + "/beneficiaries/personal_accident",
			headers:    []string{"If-Match", `"1"`},
			body:       map[string]any{"beneficiaries": []any{map[string]any{"name": "甲", "relation": "child", "share": "33.333"}}},
			wantStatus: 422, wantCode: "validation_failed", wantFields: []string{"beneficiaries[0].share=enrollment.share_format"}},
		{name: "stale If-Match", method: "PUT", path: "/members/" + w.member + "/beneficiaries/personal_accident",
			headers: []string{"If-Match", `"7"`}, body: map[string]any{"beneficiaries": []any{}}, wantStatus: 409, wantCode: "version_mismatch"},
		{name: "missing If-Match", method: "POST", path: "/members/" + w.member + "/honours",
			body: map[string]any{"kind": "merit_first", "awarded_on": "2020-01-01"}, wantStatus: 428, wantCode: "precondition_required"},
		{name: "death on duty of nobody", method: "POST", path: "/members/0195f000-0000-7000-8000-000000000000/death",
			headers: []string{"If-Match", `"1"`}, body: map[string]any{"date": "2026-01-01", "cause": "martyr"}, wantStatus: 404, wantCode: "not_found"},
		{name: "malformed CSV", method: "POST", path: "/roster-imports?dry_run=true", headers: []string{"Content-Type", "text/csv"},
			body: []byte("姓名,身份证号\n\"张伟,1\n"), wantStatus: 422, wantCode: "enrollment.roster.malformed_csv"},
		{name: "missing columns", method: "POST", path: "/roster-imports?dry_run=true", headers: []string{"Content-Type", "text/csv"},
			body: []byte("姓名,身份证号\n张伟,1\n"), wantStatus: 422, wantCode: "enrollment.roster.missing_columns"},
		{name: "not an XLSX", method: "POST", path: "/roster-imports", headers: []string{"Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
			body: []byte("PK\x03\x04garbage"), wantStatus: 422, wantCode: "enrollment.roster.not_xlsx"},
		{name: "unknown upload type", method: "POST", path: "/roster-imports", headers: []string{"Content-Type", "application/pdf"},
			body: []byte("%PDF"), wantStatus: 415, wantCode: "enrollment.roster.unknown_format"},
		{name: "oversize file", method: "POST", path: "/roster-imports", headers: []string{"Content-Type", "text/csv"},
			body: bytes.Repeat([]byte("a"), 17<<20), wantStatus: 413},
		{name: "real import with a bad row", method: "POST", path: "/roster-imports", headers: []string{"Content-Type", "text/csv"},
			body:       []byte("单位编码,姓名,人员类别,身份证号,入职日期\nGAJ,赵强,民警," + idNumber(1990, 51, true) + ",2012-07-01\nGAJ,钱六,民警,110105194912310021,2012-07-01\n"),
			wantStatus: 422, wantCode: "enrollment.roster_rejected", wantFields: []string{"rows[3].id_number=idcard.checksum"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			as := &w.cwGAJ
			if tc.asAdmin {
				as = &w.admin
			}
			r := w.do(as, tc.method, tc.path, tc.body, tc.headers...)
			if r.status != tc.wantStatus || (tc.wantCode != "" && r.code() != tc.wantCode) {
				t.Fatalf("status %d code %q, want %d %q: %.400s", r.status, r.code(), tc.wantStatus, tc.wantCode, r.raw)
			}
			if !strings.HasPrefix(r.header.Get("Content-Type"), "application/problem+json") {
				t.Errorf("content type %q", r.header.Get("Content-Type"))
			}
			if tc.wantFields != nil && !slices.Equal(r.fields(), tc.wantFields) {
				t.Errorf("fields %v, want %v", r.fields(), tc.wantFields)
			}
			if errs, _ := r.body["errors"].([]any); len(errs) > 0 {
				msg := errs[0].(map[string]any)["message"].(string)
				if msg == "" || strings.Contains(msg, "enrollment.") || strings.Contains(msg, "idcard.") {
					t.Errorf("message not localized: %q", msg)
				}
				if tc.wantEN != "" && !strings.Contains(msg, tc.wantEN) {
					t.Errorf("english message %q lacks %q", msg, tc.wantEN)
				}
			}
			if w.snapshot(w.member) != before || count() != members {
				t.Error("a rejected request changed the data")
			}
		})
	}
}

func TestRosterImportOverHTTP(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	var csv strings.Builder
	csv.WriteString("\uFEFF单位编码,姓名,人员类别,是否一线,辅警岗位类型,身份证号,入职日期\n")
	for i := range 20 {
		cat, duty := "民警", ""
		if i%4 == 0 {
			cat, duty = "辅警", "勤务"
		}
		fmt.Fprintf(&csv, "GAJ,干警%d,%s,是,%s,%s,2015-03-01\n", i, cat, duty, idNumber(1970+i, 100+2*i, true))
	}
	body := []byte(csv.String())
	dry := w.must(&w.cwGAJ, 200, "POST", "/roster-imports?dry_run=true", body, "Content-Type", "text/csv")
	if dry.body["created"].(float64) != 20 {
		t.Fatalf("dry run %s", dry.raw)
	}
	first := w.must(&w.cwGAJ, 201, "POST", "/roster-imports", body, "Content-Type", "text/csv")
	second := w.must(&w.cwGAJ, 201, "POST", "/roster-imports", body, "Content-Type", "text/csv")
	if first.body["created"].(float64) != 20 || second.body["unchanged"].(float64) != 20 || second.body["created"].(float64) != 0 {
		t.Errorf("first %s\nsecond %s", first.raw, second.raw)
	}

	f := excelize.NewFile()
	_ = f.SetSheetRow("Sheet1", "A1", &[]any{"单位编码", "姓名", "人员类别", "身份证号", "入职日期"})
	_ = f.SetSheetRow("Sheet1", "A2", &[]any{"GAJ", "孙丽", "民警", idNumber(1992, 62, false), 42000})
	var xb bytes.Buffer
	if err := f.Write(&xb); err != nil {
		t.Fatal(err)
	}
	x := w.must(&w.cwGAJ, 201, "POST", "/roster-imports?format=xlsx", xb.Bytes(), "Content-Type", "application/octet-stream")
	if x.body["created"].(float64) != 1 {
		t.Errorf("xlsx %s", x.raw)
	}

	bulk := w.must(&w.cwGAJ, 201, "POST", "/plans/"+w.plan+"/bulk-enrollments", map[string]any{"unit_ids": []string{w.gaj}, "start": "2026-01-01"})
	if n := len(bulk.body["enrolled"].([]any)); n != 16 {
		t.Errorf("bulk enrolled %d (police only): %.300s", n, bulk.raw)
	}
	csvOut := w.do(&w.cwGAJ, "GET", "/premium-summary?year=2026&format=csv", nil)
	if csvOut.status != 200 || !strings.HasPrefix(csvOut.raw, "\uFEFF单位编码") || !strings.Contains(csvOut.raw, "5100.00") {
		t.Errorf("csv export %d %q", csvOut.status, csvOut.raw)
	}
	xlsx := w.do(&w.cwGAJ, "GET", "/premium-summary?year=2026&format=xlsx", nil, "Accept-Language", "en")
	if xlsx.status != 200 || !strings.HasPrefix(xlsx.raw, "PK") {
		t.Errorf("xlsx export %d", xlsx.status)
	}
}

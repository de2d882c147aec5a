package leave_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

type payImportResp struct {
	DryRun                      bool `json:"dry_run"`
	Created, Updated, Unchanged int
	Rows                        []struct {
		Line     int    `json:"line"`
		Action   string `json:"action"`
		MemberID string `json:"member_id"`
		UnitID   string `json:"unit_id"`
	} `json:"rows"`
	Problems []struct {
		Line    int    `json:"line"`
		Field   string `json:"field"`
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"problems"`
}

// Finance imports the year's wages: a dry run reports every problem by row
// and column (in the request's language) and changes nothing; the real run
// of a file with a problem records nothing; the fixed file is recorded in
// full, and importing it again changes nothing.
func TestPayImportDryRunThenAllOrNothing(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	const path = "/api/v1/leave/pay-imports/2026"
	// Excel on a Chinese Windows saves CSV as GB18030.
	bad, err := simplifiedchinese.GB18030.NewEncoder().String("人员编号,姓名,单位,全年工资收入（元）\n" +
		"m1,,一所,120000.00\n" +
		"m2,,二所,12.345\n" +
		"nobody,,一所,1000\n" +
		"m1,,一所,120000.00\n")
	if err != nil {
		t.Fatal(err)
	}
	w := h.do(t, &finance, "POST", path+"?dry_run=true", []byte(bad), "Content-Type", "text/csv")
	if w.Code != http.StatusOK {
		t.Fatalf("dry run: %d %s", w.Code, w.Body)
	}
	dry := decode[payImportResp](t, w)
	want := map[[2]any]string{
		{3, "annual_pay"}: "field.money", {4, "member_id"}: "leave.wages.unknown_member", {5, "member_id"}: "leave.wages.duplicate",
	}
	if len(dry.Problems) != len(want) {
		t.Fatalf("dry run problems: %+v", dry.Problems)
	}
	for _, p := range dry.Problems {
		if want[[2]any{p.Line, p.Field}] != p.Code || p.Message == "" || strings.HasPrefix(p.Message, "leave.") {
			t.Errorf("problem %+v not expected", p)
		}
	}
	if !dry.DryRun || dry.Created != 1 || len(dry.Rows) != 1 || dry.Rows[0].MemberID != "m1" || dry.Rows[0].UnitID != "u1" {
		t.Errorf("dry run preview: %+v", dry)
	}
	en := decode[payImportResp](t, h.do(t, &finance, "POST", path+"?dry_run=true", []byte(bad), "Content-Type", "text/csv", "Accept-Language", "en"))
	if len(en.Problems) == 0 || !strings.Contains(en.Problems[1].Message, "No member has the id nobody") {
		t.Errorf("English problems: %+v", en.Problems)
	}
	report := func() string {
		return h.do(t, &finance, "GET", "/api/v1/leave/compensation/2026", nil).Body.String()
	}
	before := report()
	if !strings.Contains(before, `"missing_pay":["h1","m1","m2"]`) {
		t.Fatalf("before: %s", before)
	}
	// The real run of the same file records nothing and names each cell.
	pb := expectProblem(t, h.do(t, &finance, "POST", path, []byte(bad), "Content-Type", "text/csv"), http.StatusUnprocessableEntity, "leave.wages.rejected")
	fields := map[string]bool{}
	for _, e := range pb.Errors {
		fields[e.Field] = true
	}
	if !fields["rows[3].annual_pay"] || !fields["rows[4].member_id"] || !fields["rows[5].member_id"] {
		t.Errorf("rejected import fields: %+v", pb.Errors)
	}
	if got := report(); got != before {
		t.Fatalf("a rejected import changed the report:\n%s\n%s", before, got)
	}
	// The fixed file, as XLSX.
	f := excelize.NewFile()
	for i, row := range [][]any{{"人员编号", "姓名", "全年工资收入（元）"}, {"m1", "", "120000.00"}, {"m2", "", "100000"}} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	xlsx := buf.Bytes()
	w = h.do(t, &finance, "POST", path+"?format=xlsx", xlsx)
	if w.Code != http.StatusCreated {
		t.Fatalf("import: %d %s", w.Code, w.Body)
	}
	if r := decode[payImportResp](t, w); r.Created != 2 || r.Updated != 0 || r.DryRun {
		t.Errorf("import: %+v", r)
	}
	after := report()
	if !strings.Contains(after, `"missing_pay":["h1"]`) || !strings.Contains(after, `"member_id":"m1"`) || !strings.Contains(after, `"extra":"9195.40"`) {
		t.Errorf("after the import: %s", after)
	}
	// Idempotent: the same file again changes nothing.
	if r := decode[payImportResp](t, h.do(t, &finance, "POST", path+"?format=xlsx", xlsx)); r.Unchanged != 2 || r.Created+r.Updated != 0 {
		t.Errorf("second import: %+v", r)
	}
	// Only finance imports.
	expectProblem(t, h.do(t, &cw1, "POST", path+"?format=xlsx", xlsx), http.StatusForbidden, "forbidden")
}

// The report's lines page by key: unit, name, member id.
func TestCompensationPages(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for _, m := range []string{"m1", "m2", "h1"} {
		if w := h.do(t, &finance, "PUT", "/api/v1/leave/members/"+m+"/pay/2026", map[string]string{"annual_pay": "120000.00"}); w.Code != http.StatusOK {
			t.Fatalf("pay: %d %s", w.Code, w.Body)
		}
	}
	type pageResp struct {
		Lines []struct {
			MemberID string `json:"member_id"`
		} `json:"lines"`
		Next      string `json:"next"`
		LineCount int    `json:"line_count"`
	}
	var got []string
	next := ""
	for range 4 {
		p := decode[pageResp](t, h.do(t, &finance, "GET", "/api/v1/leave/compensation/2026?limit=2&after="+next, nil))
		for _, l := range p.Lines {
			got = append(got, l.MemberID)
		}
		if p.LineCount != 3 {
			t.Fatalf("line_count %d", p.LineCount)
		}
		if next = p.Next; next == "" {
			break
		}
	}
	if strings.Join(got, ",") != "h1,m1,m2" {
		t.Fatalf("pages gave %v", got)
	}
	expectProblem(t, h.do(t, &finance, "GET", "/api/v1/leave/compensation/2026?after=nonsense", nil), http.StatusUnprocessableEntity, "validation_failed")
}

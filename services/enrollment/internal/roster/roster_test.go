package roster_test

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/anxin-welfare/anxin/pkg/idcard"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/domain"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/roster"
)

var today = time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)

func units(code string) (string, bool) {
	switch code {
	case "GAJ":
		return "unit-gaj", true
	case "FY":
		return "unit-fy", true
	}
	return "", false
}

func id(year, seq int, male bool) string {
	return idcard.Generate("110105", time.Date(year, 5, 4, 0, 0, 0, 0, time.UTC), seq, male)
}

const header = "单位编码,姓名,人员类别,是否一线,辅警岗位类型,是否高风险,身份证号,手机号,入职日期,工龄起算日期,备注\n"

func csvOf(lines ...string) string { return header + strings.Join(lines, "\n") + "\n" }

func problemsOf(ps []roster.Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, fmt.Sprintf("%d:%s=%s", p.Line, p.Field, p.Code))
	}
	return out
}

func TestValidateCSV(t *testing.T) {
	t.Parallel()
	good := "GAJ,张伟,民警,是,,,%s,13800138000,2008-07-01,,备注随便写"
	tests := []struct {
		name     string
		file     string
		wantRows int
		want     []string
		wantFile string
	}{
		{name: "two good rows", file: csvOf(fmt.Sprintf(good, id(1985, 11, true)),
			"FY,李娜,法官,否,,,"+id(1980, 22, false)+",,2003/9/1,2001年9月1日,"), wantRows: 2},
		{name: "auxiliary police with Chinese labels", file: csvOf("GAJ,王强,辅警,是,勤务,是," + id(1995, 31, true) + ",,20180301,,"), wantRows: 1},
		{name: "lower-case x and spaces", file: csvOf("GAJ, 赵敏 ,法官,否,,,11010519491231002x ,,1970-01-01,,"), wantRows: 1},
		{name: "per-field problems", file: csvOf(
			"XX,张伟,民警,是,,,"+id(1985, 11, true)+",,2008-07-01,,",
			"GAJ,,soldier,也许,,,110105194912310021,123,2008-02-30,,",
			"GAJ,王强,辅警,是,,,"+id(1995, 31, true)+",,2018-03-01,,",
			"GAJ,孙,民警,是,,,110105491231002,,2008-07-01,,",
		), want: []string{
			"2:unit_code=enrollment.roster.unknown_unit",
			"3:frontline=enrollment.roster.bad_bool",
			"3:hire_date=enrollment.roster.bad_date",
			"3:name=enrollment.required",
			"3:category=enrollment.category_unknown",
			"3:id_number=idcard.checksum",
			"3:phone=enrollment.phone_format",
			"4:aux_duty=enrollment.required",
			"5:id_number=idcard.legacy15",
		}},
		{name: "duplicate identity number in the file", file: csvOf(fmt.Sprintf(good, id(1985, 11, true)), fmt.Sprintf(good, id(1985, 11, true))),
			wantRows: 1, want: []string{"3:id_number=enrollment.roster.duplicate_id_number"}},
		{name: "identity number mangled by Excel", file: csvOf("GAJ,张伟,民警,是,,,1.10105E+17,,2008-07-01,,"),
			want: []string{"2:id_number=enrollment.roster.id_number_as_number"}},
		{name: "shifted row", file: csvOf(fmt.Sprintf(good, id(1985, 11, true)) + ",extra"),
			want: []string{"2:=enrollment.roster.extra_cells"}},
		{name: "missing columns", file: "姓名,身份证号\n张伟," + id(1985, 11, true) + "\n", wantFile: roster.CodeMissingColumns},
		{name: "duplicate column", file: "姓名,name,单位编码,人员类别,身份证号,入职日期\n张伟,张伟,GAJ,民警,1,2008-01-01\n", wantFile: roster.CodeDuplicateCol},
		{name: "header only", file: header, wantFile: roster.CodeEmpty},
		{name: "unbalanced quote", file: csvOf(`GAJ,"张伟,民警`), wantFile: roster.CodeMalformedCSV},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sheet, err := roster.DecodeCSV(strings.NewReader(tc.file), roster.Limits{})
			var rows []roster.Row
			var ps []roster.Problem
			if err == nil {
				rows, ps, err = roster.Validate(sheet, units, today)
			}
			var fe *roster.FileError
			if tc.wantFile != "" {
				if !errors.As(err, &fe) || fe.Code != tc.wantFile {
					t.Fatalf("err = %v, want file error %s", err, tc.wantFile)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != tc.wantRows {
				t.Errorf("%d valid rows, want %d", len(rows), tc.wantRows)
			}
			if got := problemsOf(ps); !slices.Equal(got, tc.want) {
				t.Errorf("problems\n got %v\nwant %v", got, tc.want)
			}
		})
	}
}

func TestDecodeCSVEncodings(t *testing.T) {
	t.Parallel()
	file := csvOf("GAJ,张伟,民警,是,,," + id(1985, 11, true) + ",,2008-07-01,,")
	gbk, err := simplifiedchinese.GB18030.NewEncoder().String(file)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data string
	}{
		{name: "utf-8", data: file},
		{name: "utf-8 with BOM", data: "\uFEFF" + file},
		{name: "GB18030 from Excel", data: gbk},
		{name: "CRLF", data: strings.ReplaceAll(file, "\n", "\r\n")},
		{name: "tab separated", data: strings.ReplaceAll(file, ",", "\t")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sheet, err := roster.DecodeCSV(strings.NewReader(tc.data), roster.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			rows, ps, err := roster.Validate(sheet, units, today)
			if err != nil || len(ps) > 0 || len(rows) != 1 || rows[0].Input.Name != "张伟" {
				t.Fatalf("rows %+v problems %v err %v", rows, ps, err)
			}
		})
	}
}

func TestDecodeLimits(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		data string
		lim  roster.Limits
		want string
	}{
		{name: "too large", data: csvOf(strings.Repeat("a", 2000)), lim: roster.Limits{MaxBytes: 1000}, want: roster.CodeTooLarge},
		{name: "too many rows", data: csvOf("a", "b", "c"), lim: roster.Limits{MaxRows: 2}, want: roster.CodeTooManyRows},
		{name: "cell too long", data: csvOf(strings.Repeat("长", 11)), lim: roster.Limits{MaxCellRunes: 10}, want: roster.CodeCellTooLong},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := roster.DecodeCSV(strings.NewReader(tc.data), tc.lim)
			var fe *roster.FileError
			if !errors.As(err, &fe) || fe.Code != tc.want {
				t.Errorf("err = %v, want %s", err, tc.want)
			}
		})
	}
}

func TestDecodeXLSX(t *testing.T) {
	t.Parallel()
	build := func(t *testing.T, numericID bool) []byte {
		t.Helper()
		f := excelize.NewFile()
		defer func() { _ = f.Close() }()
		rows := [][]any{
			{"*单位编码", "姓名", "人员类别", "身份证号（18位）", "入职日期", "手机号"},
			{"GAJ", "张伟", "民警", id(1985, 11, true), 39630, 13800138000}, // 39630 = 2008-07-01
			{"FY", "李娜", "法官", id(1980, 22, false), "2003-09-01", ""},
		}
		if numericID {
			rows[2][3] = float64(110105198005040221) // what Excel stores
		}
		for i, r := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
				t.Fatal(err)
			}
		}
		var buf bytes.Buffer
		if err := f.Write(&buf); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	tests := []struct {
		name      string
		data      func(t *testing.T) []byte
		wantRows  int
		wantProbs []string
		wantFile  string
	}{
		{name: "serial dates and numeric phones", data: func(t *testing.T) []byte { return build(t, false) }, wantRows: 2},
		{name: "identity number stored as a number", data: func(t *testing.T) []byte { return build(t, true) }, wantRows: 1,
			wantProbs: []string{"3:id_number=enrollment.roster.id_number_as_number"}},
		{name: "not a spreadsheet", data: func(*testing.T) []byte { return []byte("PK\x03\x04 not really") }, wantFile: roster.CodeNotXLSX},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sheet, err := roster.Decode(bytes.NewReader(tc.data(t)), roster.FormatXLSX, roster.Limits{})
			var fe *roster.FileError
			if tc.wantFile != "" {
				if !errors.As(err, &fe) || fe.Code != tc.wantFile {
					t.Fatalf("err = %v, want %s", err, tc.wantFile)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			rows, ps, err := roster.Validate(sheet, units, today)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != tc.wantRows || !slices.Equal(problemsOf(ps), tc.wantProbs) {
				t.Fatalf("rows %d problems %v", len(rows), problemsOf(ps))
			}
			if !rows[0].Input.HireDate.Equal(time.Date(2008, 7, 1, 0, 0, 0, 0, time.UTC)) || rows[0].Input.Phone != "13800138000" {
				t.Errorf("row 0 = %+v", rows[0].Input)
			}
		})
	}
}

func TestPlanImportIsIdempotent(t *testing.T) {
	t.Parallel()
	file := csvOf(
		"GAJ,张伟,民警,是,,,"+id(1985, 11, true)+",13800138000,2008-07-01,,",
		"FY,李娜,法官,否,,,"+id(1980, 22, false)+",,2003-09-01,,",
	)
	sheet, err := roster.DecodeCSV(strings.NewReader(file), roster.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	rows, ps, err := roster.Validate(sheet, units, today)
	if err != nil || len(ps) > 0 {
		t.Fatal(err, ps)
	}
	n := 0
	newID := func() string { n++; return fmt.Sprint("m", n) }
	existing := map[string]*domain.Member{}
	deceased, err := domain.NewMember("dead", domain.MemberInput{UnitID: "unit-gaj", Name: "故", Category: domain.CategoryPolice,
		IDNumber: id(1970, 41, true), HireDate: time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)}, today)
	if err != nil {
		t.Fatal(err)
	}
	if err := deceased.RecordDeath(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), domain.CauseIllness, today); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name                   string
		prepare                func()
		rows                   []roster.Row
		created, updated, same int
		wantProblems           int
	}{
		{name: "first import creates", rows: rows, created: 2},
		{name: "same file again changes nothing", rows: rows, same: 2},
		{name: "a changed phone updates", rows: func() []roster.Row {
			r := slices.Clone(rows)
			r[0].Input.Phone = "13900139000"
			return r
		}(), updated: 1, same: 1},
		{name: "a deceased member is refused", prepare: func() { existing[deceased.Identity.Number] = deceased },
			rows: []roster.Row{{Line: 9, Identity: deceased.Identity, Input: func() domain.MemberInput {
				in := deceased.Input()
				in.Phone = "13700137000"
				return in
			}()}}, wantProblems: 1},
	}
	for _, tc := range tests { // sequential: each import sees the previous one
		if tc.prepare != nil {
			tc.prepare()
		}
		plan, problems := roster.PlanImport(tc.rows, existing, newID, today)
		if plan.Created != tc.created || plan.Updated != tc.updated || plan.Unchanged != tc.same || len(problems) != tc.wantProblems {
			t.Errorf("%s: plan %d/%d/%d problems %v", tc.name, plan.Created, plan.Updated, plan.Unchanged, problems)
		}
		for _, p := range plan.Rows {
			existing[p.Member.Identity.Number] = p.Member
		}
	}
}

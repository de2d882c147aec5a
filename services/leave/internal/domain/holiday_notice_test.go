package domain_test

import (
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
)

func TestParseHolidayNotice(t *testing.T) {
	t.Parallel()
	text := "日期,类型,名称\n# 2027 年放假安排\n2027-01-01,放假,元旦\n2027-02-06~2027-02-12,holiday,春节\n2027-02-14,上班,春节调休\n\n2027-10-01至2027-10-07,休,国庆节\n"
	gb, err := simplifiedchinese.GB18030.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string]string{"utf-8": text, "gb18030": gb} {
		n, ps := domain.ParseHolidayNotice(2027, []byte(data))
		if len(ps) != 0 || len(n.Off) != 15 || len(n.Work) != 1 || n.Work[0].Format("2006-01-02") != "2027-02-14" {
			t.Errorf("%s: off %d work %v problems %+v", name, len(n.Off), n.Work, ps)
		}
	}
	bad := "2027-01-01,holiday\n2027-13-01,holiday\n2027-01-04,workday\n2026-12-31,holiday\n2027-01-01,holiday\n2027-03-01,maybe\n2027-05-05~2027-05-01,holiday\n"
	_, ps := domain.ParseHolidayNotice(2027, []byte(bad))
	want := map[int]string{2: domain.CodeNoticeDate, 3: domain.CodeNotWeekend, 4: domain.CodeOutOfYear, 5: domain.CodeDuplicate, 6: domain.CodeNoticeKind, 7: domain.CodeNoticeRange}
	got := map[int]string{}
	for _, p := range ps {
		got[p.Line] = p.Code
	}
	for line, code := range want {
		if got[line] != code {
			t.Errorf("line %d: %q, want %q (all: %+v)", line, got[line], code, ps)
		}
	}
	if _, ps := domain.ParseHolidayNotice(2027, []byte("# nothing\n\n")); len(ps) != 1 || ps[0].Code != domain.CodeNoticeEmpty {
		t.Errorf("empty notice: %+v", ps)
	}
}

func TestProvisionalCalendarCountsWeekendsOnly(t *testing.T) {
	t.Parallel()
	cals := domain.Calendars{}.WithProvisional(2026, 2025, 2027)
	if _, ok := cals[2025]; ok {
		t.Fatal("a past year got a provisional calendar")
	}
	c := cals[2027]
	if c == nil || !c.Provisional() || c.WorkingDaysInYear() != 261 {
		t.Fatalf("2027 provisional: %+v", c)
	}
	// 1 January 2027 is a Friday: provisional counts it (no holidays known).
	n, err := cals.CountWorkingDays(d("2027-01-01"), d("2027-01-04"))
	if err != nil || n != 2 || !cals.Provisional(d("2027-01-01"), d("2027-01-04")) {
		t.Fatalf("count = %d, %v", n, err)
	}
}

package domain

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// The State Council's yearly holiday notice as an administrator enters it:
// a plain-text or CSV file, one entry per line,
//
//	date[~date],kind[,name]
//
// where date is YYYY-MM-DD, a range "2027-02-06~2027-02-12" (or 至) covers
// every day of it, kind is holiday (放假, 休, off) or workday (上班, 班,
// work: a weekend made a working day, 调休), and name (春节) is for
// people. Tabs may stand for commas; blank lines, lines starting with #
// and a header line (date,kind / 日期,类型) are skipped. UTF-8 or GB18030.

// Holiday notice problem codes (catalogue keys).
const (
	CodeNoticeDate  = "leave.notice.bad_date"  // no args
	CodeNoticeKind  = "leave.notice.bad_kind"  // the kind written
	CodeNoticeRange = "leave.notice.bad_range" // no args
	CodeNoticeEmpty = "leave.notice.empty"     // no args
)

// MaxNoticeLines bounds a notice file: a year has 366 days.
const MaxNoticeLines = 1000

// NoticeProblem is a line of a notice that cannot be read: the problem
// (of the line as a whole, Field empty) and the line it is on.
type NoticeProblem struct {
	Line int
	fielderr.Problem
}

// HolidayNotice is a notice read: the days off and the weekend working
// days, with the line each came from.
type HolidayNotice struct {
	Off, Work         []time.Time
	offLine, workLine []int
}

var noticeKinds = map[string]string{
	"holiday": "off", "off": "off", "放假": "off", "休": "off", "休息": "off", "节假日": "off",
	"workday": "work", "work": "work", "上班": "work", "班": "work", "调休上班": "work", "工作日": "work",
}

// ParseHolidayNotice reads a notice for year and checks it as a work
// calendar: every problem is reported by line, the calendar's own (a date
// outside the year, a working day that is no weekend, a day listed twice)
// included.
func ParseHolidayNotice(year int, data []byte) (HolidayNotice, []NoticeProblem) {
	data = bytes.TrimPrefix(data, []byte{0xEF, 0xBB, 0xBF})
	if !utf8.Valid(data) {
		if d, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data); err == nil && utf8.Valid(d) {
			data = d
		}
	}
	var n HolidayNotice
	var ps []NoticeProblem
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	if len(lines) > MaxNoticeLines {
		return n, []NoticeProblem{{Line: MaxNoticeLines + 1, Problem: fielderr.New("", CodeOutOfRange, 1, MaxNoticeLines)}}
	}
	for i, raw := range lines {
		line := i + 1
		text := strings.TrimSpace(strings.ToValidUTF8(raw, "\uFFFD"))
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		cells := strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == '\t' || r == '，' })
		for j := range cells {
			cells[j] = strings.TrimSpace(cells[j])
		}
		if len(n.Off)+len(n.Work)+len(ps) == 0 && isNoticeHeader(cells[0]) {
			continue
		}
		if len(cells) < 2 {
			ps = append(ps, NoticeProblem{Line: line, Problem: fielderr.New("", CodeNoticeKind, "")})
			continue
		}
		kind, ok := noticeKinds[strings.ToLower(cells[1])]
		if !ok {
			ps = append(ps, NoticeProblem{Line: line, Problem: fielderr.New("", CodeNoticeKind, cells[1])})
			continue
		}
		from, to, code := noticeDates(cells[0])
		if code != "" {
			ps = append(ps, NoticeProblem{Line: line, Problem: fielderr.New("", code)})
			continue
		}
		for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
			if kind == "off" {
				n.Off, n.offLine = append(n.Off, d), append(n.offLine, line)
			} else {
				n.Work, n.workLine = append(n.Work, d), append(n.workLine, line)
			}
		}
	}
	if len(ps) == 0 && len(n.Off)+len(n.Work) == 0 {
		return n, []NoticeProblem{{Line: 1, Problem: fielderr.New("", CodeNoticeEmpty)}}
	}
	if _, err := NewWorkCalendar(year, n.Off, n.Work); err != nil {
		var v *fielderr.Invalid
		if errors.As(err, &v) {
			for _, p := range v.Problems {
				ps = append(ps, NoticeProblem{Line: n.lineOf(p.Field), Problem: fielderr.New("", p.Code, p.Args...)})
			}
		}
	}
	return n, ps
}

func isNoticeHeader(s string) bool {
	s = strings.ToLower(s)
	return s == "date" || s == "日期" || s == "day"
}

// noticeDates reads a date or a range of at most 31 days.
func noticeDates(s string) (time.Time, time.Time, string) {
	a, b, isRange := strings.Cut(strings.ReplaceAll(s, "至", "~"), "~")
	from, err := time.Parse(time.DateOnly, strings.TrimSpace(a))
	if err != nil {
		return time.Time{}, time.Time{}, CodeNoticeDate
	}
	if !isRange {
		return from, from, ""
	}
	to, err := time.Parse(time.DateOnly, strings.TrimSpace(b))
	switch {
	case err != nil:
		return time.Time{}, time.Time{}, CodeNoticeDate
	case to.Before(from) || to.Sub(from) > 31*24*time.Hour:
		return time.Time{}, time.Time{}, CodeNoticeRange
	}
	return from, to, ""
}

// lineOf is the line of a calendar field ("off[3]", "work[0]").
func (n HolidayNotice) lineOf(field string) int {
	name, idx, ok := strings.Cut(strings.TrimSuffix(field, "]"), "[")
	i, err := strconv.Atoi(idx)
	if !ok || err != nil || i < 0 {
		return 0
	}
	switch {
	case name == "off" && i < len(n.offLine):
		return n.offLine[i]
	case name == "work" && i < len(n.workLine):
		return n.workLine[i]
	}
	return 0
}

// String is the notice as the format above, for a round trip in tests.
func (n HolidayNotice) String() string {
	var b strings.Builder
	for _, d := range n.Off {
		fmt.Fprintf(&b, "%s,holiday\n", d.Format(time.DateOnly))
	}
	for _, d := range n.Work {
		fmt.Fprintf(&b, "%s,workday\n", d.Format(time.DateOnly))
	}
	return b.String()
}

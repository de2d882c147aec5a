package domain

import (
	"fmt"
	"regexp"
	"strconv"
)

// Case numbers read GC-YYYY-NNNNNN: the year of opening (Asia/Shanghai) and a
// per-year sequence number that is never reused (the store draws it from a
// PostgreSQL sequence, which never hands out a value twice even on rollback).
// Beyond 999999 cases a year the number simply grows a digit.
var caseNumberRE = regexp.MustCompile(`^GC-(\d{4})-(\d{6,})$`)

// FormatCaseNumber formats the seq-th case of a year.
func FormatCaseNumber(year int, seq int64) string {
	return fmt.Sprintf("GC-%04d-%06d", year, seq)
}

// ParseCaseNumber splits a case number into its year and sequence number.
func ParseCaseNumber(s string) (year int, seq int64, err error) {
	m := caseNumberRE.FindStringSubmatch(s)
	if m == nil {
		return 0, 0, ErrBadCaseNumber
	}
	year, _ = strconv.Atoi(m[1])
	seq, err = strconv.ParseInt(m[2], 10, 64)
	if err != nil || seq < 1 || year < 2000 {
		return 0, 0, ErrBadCaseNumber
	}
	return year, seq, nil
}

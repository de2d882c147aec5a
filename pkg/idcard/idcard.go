// Package idcard reads and checks resident identity numbers of the People's
// Republic of China (GB 11643-1999, 公民身份号码): 18 characters made of a
// 6-digit area code, the birth date as YYYYMMDD, a 3-digit sequence code
// whose last digit is odd for men and even for women, and an ISO 7064
// MOD 11-2 check character (0-9 or X).
//
// An identity number is personal data: store it sealed (pkg/sealed), look it
// up through its blind index, and show it through Mask. Nothing in this
// package puts a number into an error text.
package idcard

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/anxin-welfare/anxin/pkg/clock"
)

// Sex is the sex an identity number records.
type Sex string

// The two values of Sex, as stored and exchanged.
const (
	Male   Sex = "M"
	Female Sex = "F"
)

// ID is a valid identity number and what it says about its holder.
type ID struct {
	// Number is the canonical form: 18 ASCII characters, check X upper-case.
	Number string
	// Birth is the birth date as midnight UTC, the form dates are stored in.
	Birth time.Time
	// Sex comes from the parity of the 17th digit.
	Sex Sex
	// Area is the 6-digit administrative division code of first registration.
	Area string
}

// String returns the masked number, so an ID that slips into a log line or
// a %v does not leak the full number.
func (id ID) String() string { return Mask(id.Number) }

// AgeAt returns the holder's age in whole years on the calendar date of
// today (read in today's own location, as clock.Today returns it). Someone
// born on 29 February has their birthday on 1 March in common years.
func (id ID) AgeAt(today time.Time) int {
	y, m, d := today.Date()
	by, bm, bd := id.Birth.Date()
	age := y - by
	if m < bm || (m == bm && d < bd) {
		age--
	}
	return age
}

const (
	length   = 18
	legacy   = 15
	minYear  = 1900 // nobody born earlier is alive to claim a benefit
	maxYear  = 9999
	checkSet = "10X98765432"
)

// weights of the first 17 digits in the check sum: 2^(17-i) mod 11.
var weights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// Parse checks s as an identity number against today's date in
// Asia/Shanghai. See ParseAt.
func Parse(s string) (ID, error) {
	return ParseAt(s, clock.Today(clock.System{}))
}

// Validate reports whether s is a valid identity number today, with the
// same errors as Parse.
func Validate(s string) error {
	_, err := Parse(s)
	return err
}

// ParseAt checks s as an identity number whose holder must be born on or
// before the calendar date of today (read in today's own location; pass
// clock.Today(clk)). Surrounding spaces are ignored, a lower-case x is read
// as X, and full-width digits and X (as a Chinese input method types them)
// are read as their ASCII forms.
//
// The error is an *Error whose Code says what is wrong, in this order:
// CodeRequired, CodeLegacy15 (15 digits: the pre-1999 form, which must be
// re-issued), CodeLength, CodeFormat, CodeBirthDate (not a real date, or
// before 1900), CodeFuture, CodeChecksum.
func ParseAt(s string, today time.Time) (ID, error) {
	n, err := normalize(s)
	if err != nil {
		return ID{}, err
	}
	birth, ok := birthDate(n[6:14])
	if !ok {
		return ID{}, &Error{Code: CodeBirthDate}
	}
	ty, tm, td := today.Date()
	if birth.After(time.Date(ty, tm, td, 0, 0, 0, 0, time.UTC)) {
		return ID{}, &Error{Code: CodeFuture}
	}
	if Checksum(n[:17]) != n[17] {
		return ID{}, &Error{Code: CodeChecksum}
	}
	sex := Female
	if (n[16]-'0')%2 == 1 {
		sex = Male
	}
	return ID{Number: n, Birth: birth, Sex: sex, Area: n[:6]}, nil
}

// normalize trims s, folds full-width and lower-case forms, and checks the
// shape: 17 digits then a digit or X.
func normalize(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", &Error{Code: CodeRequired}
	}
	var b [length]byte
	n := 0
	for _, r := range s {
		if n == length {
			n++ // too long; the count is all that matters now
			break
		}
		r = fold(r)
		if r >= utf8.RuneSelf {
			return "", &Error{Code: CodeFormat}
		}
		b[n] = byte(r)
		n++
	}
	if n == legacy && allDigits(b[:legacy]) {
		return "", &Error{Code: CodeLegacy15}
	}
	if n != length {
		return "", &Error{Code: CodeLength}
	}
	if !allDigits(b[:17]) || (!isDigit(b[17]) && b[17] != 'X') {
		return "", &Error{Code: CodeFormat}
	}
	return string(b[:]), nil
}

// fold maps full-width digits and every form of x to their canonical ASCII
// characters and leaves any other rune as it is.
func fold(r rune) rune {
	switch {
	case r >= '０' && r <= '９':
		return r - '０' + '0'
	case r == 'x' || r == 'ｘ' || r == 'Ｘ':
		return 'X'
	}
	return r
}

// birthDate reads YYYYMMDD (already known to be digits) as midnight UTC and
// reports whether it is a real calendar date from 1900 on.
func birthDate(s string) (time.Time, bool) {
	y := atoi(s[0:4])
	m := atoi(s[4:6])
	d := atoi(s[6:8])
	if y < minYear || m < 1 || m > 12 || d < 1 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	// time.Date normalizes 31 April to 1 May: a date that moved is not real.
	if t.Day() != d || int(t.Month()) != m {
		return time.Time{}, false
	}
	return t, true
}

// Checksum returns the GB 11643 check character (one of "0123456789X") for
// the first 17 characters of an identity number, or 0 when first17 is not
// exactly 17 ASCII digits. Tests and demo data use it to build valid
// numbers.
func Checksum(first17 string) byte {
	if len(first17) != 17 || !allDigits([]byte(first17)) {
		return 0
	}
	sum := 0
	for i := range 17 {
		sum += int(first17[i]-'0') * weights[i]
	}
	return checkSet[sum%11]
}

// Generate builds a valid identity number for demo data and tests. area is
// the 6-digit area code; birth's calendar date (in its own location) is the
// birth date; seq is the 3-digit sequence code 0-999, whose last digit is
// moved by one where needed to be odd for a man and even for a woman, so
// Generate("110105", 1949-12-31, 2, false) is "11010519491231002X". Step seq
// by 2 to get distinct numbers of one sex.
//
// Generate panics on an area that is not 6 digits, a seq outside 0-999 or a
// birth year outside 1900-9999: those are mistakes in the calling code, not
// data to report.
func Generate(area string, birth time.Time, seq int, male bool) string {
	if len(area) != 6 || !allDigits([]byte(area)) {
		panic("idcard.Generate: area must be 6 digits")
	}
	if seq < 0 || seq > 999 {
		panic("idcard.Generate: seq must be 0-999")
	}
	y, m, d := birth.Date()
	if y < minYear || y > maxYear {
		panic("idcard.Generate: birth year must be 1900-9999")
	}
	if male {
		seq |= 1
	} else {
		seq &^= 1
	}
	b := make([]byte, 0, length)
	b = append(b, area...)
	b = appendDigits(b, y, 4)
	b = appendDigits(b, int(m), 2)
	b = appendDigits(b, d, 2)
	b = appendDigits(b, seq, 3)
	return string(append(b, Checksum(string(b))))
}

// Mask hides the birth date and sequence of an identity number, keeping the
// first 6 and the last 4 characters: 110105********002X. It is meant for
// display and logs, so it accepts anything, valid or not: input is trimmed
// and folded like ParseAt does, and a string of 10 characters or fewer, which
// could not keep 10 and still hide something, is masked entirely.
func Mask(s string) string {
	r := []rune(strings.TrimSpace(s))
	for i := range r {
		r[i] = fold(r[i])
	}
	if len(r) <= 10 {
		return strings.Repeat("*", len(r))
	}
	for i := 6; i < len(r)-4; i++ {
		r[i] = '*'
	}
	return string(r)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func allDigits(b []byte) bool {
	for _, c := range b {
		if !isDigit(c) {
			return false
		}
	}
	return true
}

// atoi reads a string already checked to be ASCII digits.
func atoi(s string) int {
	n := 0
	for i := range len(s) {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

func appendDigits(b []byte, n, width int) []byte {
	start := len(b)
	for range width {
		b = append(b, 0)
	}
	for i := len(b) - 1; i >= start; i-- {
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return b
}

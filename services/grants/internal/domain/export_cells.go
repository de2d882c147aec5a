package domain

import "strings"

// NeutralizeCell makes a text cell safe to open in a spreadsheet: a value
// that begins with = + - @ (or a tab or carriage return, which some
// spreadsheets strip before reading a formula) is prefixed with an
// apostrophe so it is shown as text and never evaluated (OWASP CSV
// injection). Amounts are written as numbers, not through this function.
func NeutralizeCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// MaskName shows a person's name in an export: the family name and one
// asterisk per other character ("张三丰" → "张**"), as the personal
// information rules ask for sensitive data shown by default.
func MaskName(name string) string {
	r := []rune(strings.TrimSpace(name))
	if len(r) <= 1 {
		return string(r)
	}
	return string(r[0]) + strings.Repeat("*", len(r)-1)
}

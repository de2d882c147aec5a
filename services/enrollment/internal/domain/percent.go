package domain

import (
	"errors"
	"strconv"
	"strings"
)

// Percent is a share in hundredths of a percent: 10000 is 100 %. Integer
// hundredths let three heirs hold 33.34 / 33.33 / 33.33 and still sum to
// exactly 100, which floating point cannot promise.
type Percent int

// Hundred is a whole share.
const Hundred Percent = 10000

// errPercentSyntax is returned by ParsePercent; callers report the field.
var errPercentSyntax = errors.New("enrollment: not a percentage with at most two decimals")

// ParsePercent reads "50", "33.33" or "12.5" into a Percent. More than two
// decimals is an error, never a rounding.
func ParsePercent(s string) (Percent, error) {
	s = strings.TrimSuffix(strings.TrimSpace(s), "%")
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" || len(whole) > 3 || (hasDot && (frac == "" || len(frac) > 2)) {
		return 0, errPercentSyntax
	}
	for _, r := range whole + frac {
		if r < '0' || r > '9' {
			return 0, errPercentSyntax
		}
	}
	w, err := strconv.Atoi(whole)
	if err != nil {
		return 0, errPercentSyntax
	}
	for len(frac) < 2 {
		frac += "0"
	}
	f, err := strconv.Atoi(frac)
	if err != nil {
		return 0, errPercentSyntax
	}
	return Percent(w*100 + f), nil
}

// String formats the share as "33.33" (no sign, trailing zeros kept).
func (p Percent) String() string {
	sign := ""
	if p < 0 {
		sign, p = "-", -p
	}
	return sign + strconv.Itoa(int(p)/100) + "." + strconv.Itoa(int(p)%100/10) + strconv.Itoa(int(p)%10)
}

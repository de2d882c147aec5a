// Package money holds amounts of renminbi as an integer number of fen (分).
// No float ever holds money in Anxin.
package money

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
)

// Fen is an amount of money in fen (1 yuan = 100 fen).
type Fen int64

// Errors returned by Parse and the checked arithmetic.
var (
	ErrSyntax   = errors.New("money: not an amount of yuan with at most two decimals")
	ErrOverflow = errors.New("money: amount out of range")
)

// Yuan returns y whole yuan as Fen.
func Yuan(y int64) Fen { return Fen(y * 100) }

// Int64 returns the amount in fen.
func (f Fen) Int64() int64 { return int64(f) }

// String formats the amount as ¥1,234.56 (negative as -¥1,234.56).
func (f Fen) String() string {
	if f < 0 {
		return "-¥" + f.Plain(true)[1:]
	}
	return "¥" + f.Plain(true)
}

// Plain formats the amount without a currency sign: 1234.56, or 1,234.56
// with grouping. Exports use the ungrouped form so spreadsheets read numbers.
func (f Fen) Plain(grouped bool) string {
	neg := f < 0
	u := uint64(f)
	if neg {
		u = uint64(-(f + 1)) + 1 // safe for math.MinInt64
	}
	whole := strconv.FormatUint(u/100, 10)
	if grouped && len(whole) > 3 {
		var b strings.Builder
		pre := len(whole) % 3
		if pre > 0 {
			b.WriteString(whole[:pre])
		}
		for i := pre; i < len(whole); i += 3 {
			if b.Len() > 0 {
				b.WriteByte(',')
			}
			b.WriteString(whole[i : i+3])
		}
		whole = b.String()
	}
	s := fmt.Sprintf("%s.%02d", whole, u%100)
	if neg {
		return "-" + s
	}
	return s
}

// Parse reads an amount of yuan such as "1234.5", "1,234.56" or "-3" into
// Fen. More than two decimals is an error, never a rounding.
func Parse(s string) (Fen, error) {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "¥"))
	s = strings.ReplaceAll(s, ",", "")
	if s == "" {
		return 0, ErrSyntax
	}
	neg := false
	if s[0] == '-' {
		neg = true
		s = s[1:]
	}
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" || (hasDot && (frac == "" || len(frac) > 2)) {
		return 0, ErrSyntax
	}
	for _, r := range whole + frac {
		if r < '0' || r > '9' {
			return 0, ErrSyntax
		}
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w > math.MaxInt64/100-1 {
		return 0, ErrOverflow
	}
	for len(frac) < 2 {
		frac += "0"
	}
	fr, _ := strconv.ParseInt(frac, 10, 64)
	v := w*100 + fr
	if neg {
		v = -v
	}
	return Fen(v), nil
}

// Add returns a+b or ErrOverflow.
func Add(a, b Fen) (Fen, error) {
	s := a + b
	if (b > 0 && s < a) || (b < 0 && s > a) {
		return 0, ErrOverflow
	}
	return s, nil
}

// MulRat returns f × num / den rounded half away from zero, computed exactly
// (no float). It is how percentages and month multiples are applied:
// MulRat(wage, 27, 1) or MulRat(wage, 35, 100).
func MulRat(f Fen, num, den int64) (Fen, error) {
	if den == 0 {
		return 0, errors.New("money: division by zero")
	}
	r := new(big.Rat).SetFrac(new(big.Int).Mul(big.NewInt(int64(f)), big.NewInt(num)), big.NewInt(den))
	return roundRat(r)
}

// RoundRat rounds an exact rational number of fen half away from zero.
func roundRat(r *big.Rat) (Fen, error) {
	num := new(big.Int).Set(r.Num())
	den := r.Denom()
	neg := num.Sign() < 0
	if neg {
		num.Neg(num)
	}
	q, rem := new(big.Int).QuoRem(num, den, new(big.Int))
	if new(big.Int).Mul(rem, big.NewInt(2)).Cmp(den) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	if neg {
		q.Neg(q)
	}
	if !q.IsInt64() {
		return 0, ErrOverflow
	}
	return Fen(q.Int64()), nil
}

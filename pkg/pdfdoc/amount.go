package pdfdoc

import "strings"

var (
	capitalDigits = []string{"零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"}
	capitalUnits  = []string{"", "拾", "佰", "仟"}
	capitalGroups = []string{"", "万", "亿", "万亿"}
)

// Capital writes an amount of fen in the capital numerals that Chinese
// vouchers and approval sheets require beside the figures (人民币大写), so a
// figure cannot be altered by hand: 123456 fen is 壹仟贰佰叁拾肆元伍角陆分,
// 100000 is 壹仟元整. A negative amount starts with 负.
func Capital(fen int64) string {
	if fen == 0 {
		return "零元整"
	}
	var b strings.Builder
	u := uint64(fen)
	if fen < 0 {
		b.WriteString("负")
		u = uint64(-(fen + 1)) + 1
	}
	yuan, jiao, cents := u/100, u/10%10, u%10
	if yuan > 0 {
		b.WriteString(capitalInteger(yuan))
		b.WriteString("元")
	}
	switch {
	case jiao == 0 && cents == 0:
		b.WriteString("整")
	case jiao == 0:
		if yuan > 0 {
			b.WriteString("零")
		}
		b.WriteString(capitalDigits[cents] + "分")
	default:
		b.WriteString(capitalDigits[jiao] + "角")
		if cents > 0 {
			b.WriteString(capitalDigits[cents] + "分")
		}
	}
	return b.String()
}

// capitalInteger writes n (> 0) in groups of four digits, with one 零 for
// each run of zeros between non-zero digits.
func capitalInteger(n uint64) string {
	var groups []uint64
	for n > 0 {
		groups = append(groups, n%10000)
		n /= 10000
	}
	var b strings.Builder
	zero := false
	for gi := len(groups) - 1; gi >= 0; gi-- {
		g := groups[gi]
		if g == 0 {
			zero = b.Len() > 0
			continue
		}
		for pos := 3; pos >= 0; pos-- {
			digit := g / pow10(pos) % 10
			if digit == 0 {
				if b.Len() > 0 {
					zero = true
				}
				continue
			}
			if zero {
				b.WriteString("零")
				zero = false
			}
			b.WriteString(capitalDigits[digit] + capitalUnits[pos])
		}
		if gi < len(capitalGroups) {
			b.WriteString(capitalGroups[gi])
		}
	}
	return b.String()
}

func pow10(n int) uint64 {
	p := uint64(1)
	for range n {
		p *= 10
	}
	return p
}

package pdfdoc

import (
	"strings"
	"unicode"
)

// wrap cuts text into lines no wider than w millimetres (less the cell's
// margins) in the current font. Lines break after a space or on either side
// of an ideograph, never inside a Latin word or figure unless it alone is
// wider than the line, and a line does not start with closing punctuation
// (the rule of Chinese typesetting, 避头点). Every character is kept:
// fpdf's SplitText drops the ideograph it breaks at.
func (d *Doc) wrap(text string, w float64) []string {
	limit := w - 2*cellMargin
	var out []string
	for _, para := range strings.Split(text, "\n") {
		out = append(out, d.wrapLine([]rune(para), limit)...)
	}
	return out
}

func (d *Doc) wrapLine(runes []rune, limit float64) []string {
	var out []string
	start, brk, width := 0, -1, 0.0
	for i := 0; i < len(runes); i++ {
		r := runes[i]
		if wide(r) && i > start {
			brk = i
		}
		cw := d.pdf.GetStringWidth(string(r))
		if width+cw > limit && i > start {
			cut := i
			if brk > start {
				cut = brk
			}
			for cut > start+1 && closing(runes[cut]) {
				cut--
			}
			out = append(out, strings.TrimRight(string(runes[start:cut]), " "))
			for cut < len(runes) && runes[cut] == ' ' {
				cut++
			}
			start, brk, width = cut, -1, 0
			i = cut - 1
			continue
		}
		width += cw
		if r == ' ' || wide(r) {
			brk = i + 1
		}
	}
	return append(out, string(runes[start:]))
}

// wide reports whether a line may break beside r: ideographs, kana, hangul
// and the full-width forms.
func wide(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.In(r, unicode.Hiragana, unicode.Katakana, unicode.Hangul) ||
		(r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xffef)
}

// closing reports whether r may not begin a line.
func closing(r rune) bool {
	return strings.ContainsRune("。，、；：？！）》」』”’】〕…·.,;:?!)]}%", r)
}

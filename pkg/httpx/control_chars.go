package httpx

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
)

// FieldControlChar is the field code of a text that holds a control
// character (catalogue key "field.control_char").
const FieldControlChar = "field.control_char"

// IsControlChar reports whether r is a character no text field of Anxin
// accepts: the C0 controls (U+0000–U+001F), DEL (U+007F) and the C1
// controls (U+0080–U+009F). Tab, line feed and carriage return are
// control characters too, but multi-line text (a comment, a reason) holds
// them, so they are refused only when lines is false.
//
// PostgreSQL refuses U+0000 in text outright (the 500s of issue 14); the
// others print nothing, move the cursor of a terminal that shows a log
// line, or break an export's columns.
func IsControlChar(r rune, lines bool) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return !lines
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	}
	return false
}

// HasControlChar reports whether s holds a character IsControlChar
// refuses.
func HasControlChar(s string, lines bool) bool {
	for _, r := range s {
		if IsControlChar(r, lines) {
			return true
		}
	}
	return false
}

// controlCharPath returns the JSON path ("members.2.name", "" for the
// top-level value) of the first string in body, member name or value,
// that holds a control character. Values may span lines; member names may
// not. A body that is not valid JSON yields false: the strict decoder
// that runs next says what is wrong with it.
func controlCharPath(body []byte) (string, bool) {
	// Most bodies have no escapes and no raw control bytes at all: skip
	// the walk for them. A control character is either a raw byte below
	// 0x20 or 0x7f (invalid JSON unless it is whitespace), a C1 rune
	// (encoded 0xC2 0x80–0x9F), or an escape "\u00xx".
	if !bytes.Contains(body, []byte(`\u`)) && !bytes.Contains(body, []byte{0x7f}) && !hasC1(body) {
		return "", false
	}
	type frame struct {
		object  bool
		key     string
		index   int
		wantKey bool
	}
	var stack []*frame
	path := func(extra string) string {
		parts := make([]string, 0, len(stack)+1)
		for _, f := range stack {
			if f.object {
				parts = append(parts, f.key)
			} else {
				parts = append(parts, strconv.Itoa(f.index))
			}
		}
		if extra != "" {
			parts = append(parts, extra)
		}
		return strings.Join(parts, ".")
	}
	advance := func() {
		if len(stack) == 0 {
			return
		}
		if top := stack[len(stack)-1]; top.object {
			top.wantKey = true
		} else {
			top.index++
		}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	for {
		tok, err := dec.Token()
		if err != nil {
			return "", false
		}
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{':
				stack = append(stack, &frame{object: true, wantKey: true})
			case '[':
				stack = append(stack, &frame{})
			default:
				stack = stack[:len(stack)-1]
				advance()
			}
		case string:
			if n := len(stack); n > 0 && stack[n-1].object && stack[n-1].wantKey {
				stack[n-1].key, stack[n-1].wantKey = v, false
				if HasControlChar(v, false) {
					return path(""), true
				}
				continue
			}
			if HasControlChar(v, true) {
				return path(""), true
			}
			advance()
		default:
			advance()
		}
	}
}

// hasC1 reports whether b holds a C1 control encoded in UTF-8.
func hasC1(b []byte) bool {
	for i := 0; i+1 < len(b); i++ {
		if b[i] == 0xc2 && b[i+1] >= 0x80 && b[i+1] <= 0x9f {
			return true
		}
	}
	return false
}

package webkit

import "strings"

// Deref is *p, or T's zero value when p is nil: the generated clients give
// optional fields as pointers, the pages show them as values.
func Deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// SafeName keeps the letters, digits and dashes of s, for a file name in a
// header that cannot be broken or steered; "export" when none are left or
// too many.
func SafeName(s string) string {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		if (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') || r == '-' {
			out = append(out, r)
		}
	}
	if len(out) == 0 || len(out) > 64 {
		return "export"
	}
	return string(out)
}

// QuoteFileName makes a file name safe inside a quoted multipart header
// (an upload passed on to a service, which cleans it again and keeps only
// a display name).
func QuoteFileName(name string) string {
	return strings.Map(func(r rune) rune {
		if r == '"' || r == '\\' || r < 0x20 || r == 0x7f {
			return '_'
		}
		return r
	}, name)
}

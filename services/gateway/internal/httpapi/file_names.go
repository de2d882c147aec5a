package httpapi

// safeName keeps letters, digits and '-' of s, so a header built from it
// cannot be broken or steered.
func safeName(s string) string {
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

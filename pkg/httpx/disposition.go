package httpx

import (
	"net/url"
	"strings"
)

// Attachment is a Content-Disposition value that names a download by what
// it holds, in any language: filename* carries name in UTF-8
// (RFC 6266, RFC 8187) for every current browser, and filename a plain
// ASCII fallback for the rest. Characters that could break or steer the
// header (quotes, backslashes, control characters, path separators) are
// replaced in both.
func Attachment(name, fallback string) string {
	clean := func(s string, ascii bool) string {
		return strings.Map(func(r rune) rune {
			switch {
			case r < 0x20 || r == 0x7f || r == '"' || r == '\\' || r == '/' || r == ';':
				return '_'
			case ascii && r > 0x7e:
				return '_'
			}
			return r
		}, s)
	}
	name, fallback = clean(name, false), clean(fallback, true)
	if fallback == "" {
		fallback = "download"
	}
	// PathEscape keeps a few characters RFC 8187's attr-char does not
	// allow; escape those too.
	enc := strings.NewReplacer("'", "%27", "(", "%28", ")", "%29", "*", "%2A", ",", "%2C", ":", "%3A", "=", "%3D", "@", "%40", "+", "%2B", "$", "%24").Replace(url.PathEscape(name))
	return `attachment; filename="` + fallback + `"; filename*=UTF-8''` + enc
}

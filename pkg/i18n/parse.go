package i18n

import (
	"strconv"
	"strings"
)

// maxAcceptLanguage bounds the work done on a header a client controls.
const maxAcceptLanguage = 1024

// Parse chooses the language for an Accept-Language header value (RFC 9110
// section 12.5.4), or for a plain setting such as "en", "EN", "en_US" or
// "zh-CN".
//
// Among the ranges the client lists, it takes the one with the highest
// q-value that Anxin can serve: any en or en-* range means English, any zh or
// zh-* range and "*" mean Chinese; ties go to the range listed first. A range
// with q=0 is one the client refuses. When nothing usable is listed — an
// empty header, only other languages, or garbage — the answer is Chinese, the
// default.
func Parse(acceptLanguage string) Lang {
	if len(acceptLanguage) > maxAcceptLanguage {
		acceptLanguage = acceptLanguage[:maxAcceptLanguage]
	}
	best, bestQ := Default, -1.0
	for part := range strings.SplitSeq(acceptLanguage, ",") {
		tag, params, _ := strings.Cut(part, ";")
		lang, ok := match(strings.TrimSpace(tag))
		if !ok {
			continue
		}
		q, ok := quality(params)
		if !ok || q == 0 {
			continue
		}
		if q > bestQ {
			best, bestQ = lang, q
		}
	}
	return best
}

// match maps one language range to the language that serves it.
func match(tag string) (Lang, bool) {
	primary, _, _ := strings.Cut(strings.ReplaceAll(tag, "_", "-"), "-")
	switch {
	case strings.EqualFold(primary, "en"):
		return EN, true
	case strings.EqualFold(primary, "zh"), primary == "*":
		return ZH, true
	default:
		return "", false
	}
}

// quality reads the q parameter of one range; a range without one has q=1.
// An unreadable q-value makes the whole range unusable rather than
// guessing at it.
func quality(params string) (float64, bool) {
	q := 1.0
	for param := range strings.SplitSeq(params, ";") {
		name, value, found := strings.Cut(strings.TrimSpace(param), "=")
		if !found || !strings.EqualFold(strings.TrimSpace(name), "q") {
			continue
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
		if err != nil || v < 0 || v > 1 {
			return 0, false
		}
		q = v
	}
	return q, true
}

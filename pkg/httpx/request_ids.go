package httpx

import (
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/anxin-welfare/anxin/pkg/reqctx"
)

// maxRequestID bounds a client-chosen request id so it cannot bloat logs.
const maxRequestID = 64

// requestIDs gives every request a request id and a trace id, in the request
// context (for loggers and outgoing calls) and the response header (for the
// user who reports a problem).
func requestIDs() gin.HandlerFunc {
	return func(c *gin.Context) {
		id := c.GetHeader(HeaderRequestID)
		if !validRequestID(id) {
			id = uuid.NewString()
		}
		trace, ok := parseTraceParent(c.GetHeader(HeaderTraceParent))
		if !ok {
			trace = NewTraceID()
		}
		ctx := reqctx.WithTraceID(reqctx.WithRequestID(c.Request.Context(), id), trace)
		c.Request = c.Request.WithContext(ctx)
		c.Header(HeaderRequestID, id)
		c.Next()
	}
}

// validRequestID accepts ids a proxy or client may have chosen, as long as
// they are short and cannot inject anything into a log line or a header.
func validRequestID(id string) bool {
	if id == "" || len(id) > maxRequestID {
		return false
	}
	for i := 0; i < len(id); i++ {
		switch c := id[i]; {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_':
		default:
			return false
		}
	}
	return true
}

// parseTraceParent returns the trace id of a W3C Trace Context traceparent
// header ("00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>"). A
// future version may append fields, which the spec says to ignore.
func parseTraceParent(h string) (string, bool) {
	h = strings.TrimSpace(h)
	if len(h) < 55 || (len(h) > 55 && h[55] != '-') {
		return "", false
	}
	version, trace, parent, flags := h[0:2], h[3:35], h[36:52], h[53:55]
	if h[2] != '-' || h[35] != '-' || h[52] != '-' {
		return "", false
	}
	if !isLowerHex(version) || version == "ff" || (version == "00" && len(h) != 55) {
		return "", false
	}
	if !isLowerHex(trace) || isZeros(trace) || !isLowerHex(parent) || isZeros(parent) || !isLowerHex(flags) {
		return "", false
	}
	return trace, true
}

func isLowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

func isZeros(s string) bool { return strings.Trim(s, "0") == "" }

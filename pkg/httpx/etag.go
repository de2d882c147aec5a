package httpx

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
)

// IfMatch reads the aggregate version a client is updating from the
// If-Match header: `"7"`, or the weak form `W/"7"` some proxies rewrite it
// to. Without the header it returns ok=false and no error; the handler
// decides whether the update may go ahead unconditionally (RequireIfMatch
// says no). Anything else — a list, "*", a non-number — is an *Error (400
// invalid_if_match).
func IfMatch(c *gin.Context) (version int64, ok bool, err error) {
	h, present := c.Request.Header[http.CanonicalHeaderKey("If-Match")]
	if !present {
		return 0, false, nil
	}
	if len(h) != 1 {
		return 0, false, NewError(http.StatusBadRequest, CodeInvalidIfMatch)
	}
	v, perr := parseETagVersion(h[0])
	if perr != nil {
		return 0, false, NewError(http.StatusBadRequest, CodeInvalidIfMatch).WithCause(perr)
	}
	return v, true, nil
}

// RequireIfMatch is IfMatch for updates that must state the version they
// change: a missing header is a 428 precondition_required problem.
func RequireIfMatch(c *gin.Context) (int64, error) {
	v, ok, err := IfMatch(c)
	if err != nil {
		return 0, err
	}
	if !ok {
		return 0, PreconditionRequired()
	}
	return v, nil
}

// SetETag sets the response's ETag to the aggregate version, as a strong
// entity tag the client sends back in If-Match.
func SetETag(c *gin.Context, version int64) {
	c.Header("ETag", `"`+strconv.FormatInt(version, 10)+`"`)
}

func parseETagVersion(s string) (int64, error) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "W/")
	if len(s) < 3 || s[0] != '"' || s[len(s)-1] != '"' {
		return 0, errETagSyntax
	}
	digits := s[1 : len(s)-1]
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return 0, errETagSyntax
		}
	}
	v, err := strconv.ParseInt(digits, 10, 64)
	if err != nil {
		return 0, errETagSyntax
	}
	return v, nil
}

package httpx

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/gin-gonic/gin"
)

// BindJSON decodes the request body into dst, strictly, and answers every
// way a client can get it wrong with a problem it can act on:
//
//   - a Content-Type other than application/json: 415 unsupported_media_type;
//   - a body over the request's cap: 413 too_large;
//   - empty or syntactically broken JSON, or data after the value:
//     400 malformed_json;
//   - a member dst does not have: 422 with fielderr.Problem{Field: member, Code: "field.unknown"};
//   - a value of the wrong JSON type: 422 with fielderr.Problem{Field: its path, Code: "field.type"};
//   - a value a field's own UnmarshalJSON rejects (a date, an amount):
//     422 with fielderr.Problem{Code: "field.invalid"};
//   - a string holding a control character (U+0000–U+001F but tab, line
//     feed and carriage return, U+007F, U+0080–U+009F), or a member name
//     holding any: 422 with fielderr.Problem{Field: its JSON path, Code:
//     "field.control_char"}, before dst is touched.
//
// The returned error is an *Error ready for Respond, except when dst is not
// a non-nil pointer, which is a programming error (500).
func BindJSON(c *gin.Context, dst any) error {
	mediaType, _, err := mime.ParseMediaType(c.GetHeader("Content-Type"))
	if err != nil || mediaType != "application/json" {
		return NewError(http.StatusUnsupportedMediaType, CodeUnsupportedMediaType)
	}
	if c.Request.Body == nil {
		return NewError(http.StatusBadRequest, CodeMalformedJSON)
	}
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return TooLarge(tooLarge.Limit).WithCause(err)
		}
		return NewError(http.StatusBadRequest, CodeMalformedJSON).WithCause(err)
	}
	if name, ok := controlCharPath(body); ok {
		return Invalid(fielderr.Problem{Field: name, Code: FieldControlChar})
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return decodeError(err)
	}
	// One JSON value and nothing after it: "{}{}" or "{} x" is a client bug
	// that would otherwise pass unnoticed.
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return TooLarge(tooLarge.Limit).WithCause(err)
		}
		return NewError(http.StatusBadRequest, CodeMalformedJSON).WithDetail("detail.trailing_data")
	}
	return nil
}

// decodeError maps an encoding/json error to the problem the client sees.
func decodeError(err error) error {
	var (
		syntax      *json.SyntaxError
		typeErr     *json.UnmarshalTypeError
		invalid     *json.InvalidUnmarshalError
		tooLarge    *http.MaxBytesError
		problem     *Error
		unknownName string
	)
	switch {
	case errors.As(err, &tooLarge):
		return TooLarge(tooLarge.Limit).WithCause(err)
	case errors.As(err, &invalid):
		return Internal(err)
	case errors.As(err, &problem):
		return problem // a field type's UnmarshalJSON that speaks problems
	case errors.Is(err, io.EOF):
		return NewError(http.StatusBadRequest, CodeMalformedJSON).WithDetail("detail.empty_body")
	case errors.As(err, &syntax), errors.Is(err, io.ErrUnexpectedEOF):
		return NewError(http.StatusBadRequest, CodeMalformedJSON).WithCause(err)
	case errors.As(err, &typeErr):
		// Field is the dotted path of JSON member names, "" for the
		// top-level value.
		return Invalid(fielderr.Problem{Field: typeErr.Field, Code: "field.type"}).WithCause(err)
	case unknownField(err, &unknownName):
		return Invalid(fielderr.Problem{Field: unknownName, Code: "field.unknown"}).WithCause(err)
	default:
		// An UnmarshalJSON method of a field type rejected its value.
		// encoding/json does not say which field; the message does.
		return Invalid(fielderr.Problem{Code: "field.invalid"}).WithCause(err)
	}
}

// unknownField recognises DisallowUnknownFields' error, which has no type
// of its own: `json: unknown field "name"`.
func unknownField(err error, name *string) bool {
	const prefix = "json: unknown field "
	msg := err.Error()
	if !strings.HasPrefix(msg, prefix) {
		return false
	}
	n, uerr := strconv.Unquote(msg[len(prefix):])
	if uerr != nil {
		n = strings.Trim(msg[len(prefix):], `"`)
	}
	*name = n
	return true
}

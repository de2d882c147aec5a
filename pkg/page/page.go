// Package page is the one pagination convention of every Anxin list: keyset
// pagination with an opaque cursor.
//
// A list takes `?limit=N&after=<cursor>` and answers
// `{"<items>": [...], "next": "<cursor>"}`; next is empty on the last page.
// The cursor encodes the sort key of the last row shown (for example its
// opened_at and id), so the next page is `WHERE (opened_at, id) < ($1, $2)
// ORDER BY opened_at DESC, id DESC LIMIT N+1`: its cost depends on the page,
// not on the table. Clients treat the cursor as opaque.
package page

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/url"
	"strconv"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/httpx"
)

// Defaults of every list: DefaultLimit rows unless the caller asks for up to
// MaxLimit.
const (
	DefaultLimit = 50
	MaxLimit     = 500
)

// Request is one page asked for: the cursor after which to start (empty for
// the first page) and how many rows to return.
type Request struct {
	After string
	Limit int
}

// FromQuery reads limit and after from a query string. A bad limit or a
// cursor that is not one of ours is a 422 naming the field.
func FromQuery(q url.Values) (Request, error) {
	r := Request{After: q.Get("after"), Limit: DefaultLimit}
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > MaxLimit {
			return Request{}, httpx.Invalid(fielderr.Problem{Field: "limit", Code: "field.range", Args: []any{1, MaxLimit}})
		}
		r.Limit = n
	}
	if r.After != "" {
		if _, err := decode(r.After); err != nil {
			return Request{}, httpx.Invalid(fielderr.Problem{Field: "after", Code: "field.invalid"})
		}
	}
	return r, nil
}

// Cursor encodes the sort key of the last row of a page as the opaque next
// cursor.
func Cursor(keys ...any) string {
	b, err := json.Marshal(keys)
	if err != nil {
		// Keys are strings, numbers and times: Marshal cannot fail on them.
		panic("page: cursor keys: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// ErrBadCursor is returned by Decode for a cursor that is not one of ours or
// that carries a different number of keys than asked for.
var ErrBadCursor = errors.New("page: bad cursor")

// Decode reads the cursor's keys into dst, in the order Cursor was given
// them. It reports false for the first page (no cursor).
func (r Request) Decode(dst ...any) (bool, error) {
	if r.After == "" {
		return false, nil
	}
	raw, err := decode(r.After)
	if err != nil || len(raw) != len(dst) {
		return false, httpx.Invalid(fielderr.Problem{Field: "after", Code: "field.invalid"}).WithCause(ErrBadCursor)
	}
	for i := range raw {
		if err := json.Unmarshal(raw[i], dst[i]); err != nil {
			return false, httpx.Invalid(fielderr.Problem{Field: "after", Code: "field.invalid"}).WithCause(ErrBadCursor)
		}
	}
	return true, nil
}

// Fetch is the number of rows to read: one more than the page, so that the
// presence of a next page is known without counting.
func (r Request) Fetch() int { return r.Limit + 1 }

// Trim cuts rows read with Fetch to the page and returns the next cursor,
// built by key from the last row kept; next is empty on the last page.
func Trim[T any](r Request, rows []T, key func(T) string) ([]T, string) {
	if len(rows) <= r.Limit {
		return rows, ""
	}
	rows = rows[:r.Limit]
	return rows, key(rows[len(rows)-1])
}

func decode(s string) ([]json.RawMessage, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, err
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, err
	}
	if len(raw) == 0 {
		return nil, ErrBadCursor
	}
	return raw, nil
}

// All reads every page of a list a client asks for (?limit&after in,
// {items, next} out) with get, which asks for the page after the cursor
// it is given (nil: the first). It stops at an empty next, or at a next
// that repeats the cursor it was given.
func All[T any](get func(after *string) (items []T, next *string, err error)) ([]T, error) {
	var all []T
	var after *string
	for {
		items, next, err := get(after)
		if err != nil {
			return nil, err
		}
		all = append(all, items...)
		if next == nil || *next == "" || (after != nil && *next == *after) {
			return all, nil
		}
		after = next
	}
}

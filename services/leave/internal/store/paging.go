package store

import (
	"github.com/google/uuid"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/pkg/page"
)

// The lists page by key (PLATFORM.md, "Lists"): each reads its sort key
// after the cursor's, on an index, so a page costs its size. The *Query
// builders are exported for the EXPLAIN guards. carestore has the same
// helpers for the care lists.

func badCursor() error {
	return httpx.Invalid(fielderr.Problem{Field: "after", Code: "field.invalid"}).WithCause(page.ErrBadCursor)
}

// pageOf fills in the default size of a page request built in code.
func pageOf(p page.Request) page.Request {
	if p.Limit <= 0 || p.Limit > page.MaxLimit {
		p.Limit = page.DefaultLimit
	}
	return p
}

// decodeID reads a cursor whose last key is a row's uuid.
func decodeID(p page.Request, keys ...any) (bool, error) {
	ok, err := p.Decode(keys...)
	if err != nil || !ok {
		return ok, err
	}
	if id, isStr := keys[len(keys)-1].(*string); isStr {
		if _, err := uuid.Parse(*id); err != nil {
			return false, badCursor()
		}
	}
	return true, nil
}

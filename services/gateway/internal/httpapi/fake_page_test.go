package httpapi_test

import (
	"net/http"
	"strconv"
)

// fakePage answers a page of items as every list of the services does
// (pkg/page): ?limit= (default 50) and ?after=<cursor>, the cursor here
// being the offset of the next row, opaque to the gateway. A cursor that is
// not a number is the services' 422 on "after". It reports false after
// writing that problem.
func fakePage[T any](w http.ResponseWriter, r *http.Request, all []T) ([]T, string, bool) {
	q := r.URL.Query()
	limit := 50
	if l, err := strconv.Atoi(q.Get("limit")); err == nil && l > 0 {
		limit = l
	}
	from := 0
	if a := q.Get("after"); a != "" {
		n, err := strconv.Atoi(a)
		if err != nil || n < 0 {
			problem(w, http.StatusUnprocessableEntity, "validation_failed", [2]string{"after", "格式不正确"})
			return nil, "", false
		}
		from = min(n, len(all))
	}
	to := min(from+limit, len(all))
	next := ""
	if to < len(all) {
		next = strconv.Itoa(to)
	}
	out := all[from:to]
	if out == nil {
		out = []T{}
	}
	return out, next, true
}

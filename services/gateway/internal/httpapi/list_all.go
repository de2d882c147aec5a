package httpapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/page"
)

// listAll reads every page of one of a service's lists (pkg/page: ?limit&after
// in, {items, next} out), the largest pages first, for a page that shows
// the whole list and whose list stays short by what it is: an officer's own
// bookings, a unit's rounds and a round's slots, a year's quotas. A list
// that can grow long is shown a page at a time with a link to the next.
func listAll[T any](h *handlers, c *gin.Context, service, path string) ([]T, error) {
	var all []T
	err := listInto(h, c, service, path, "items", &all)
	return all, err
}

// listInto is listAll for a list whose items are under key (enrollment's
// {"units": [...], "next": ...}), appending them to dst.
func listInto[T any](h *handlers, c *gin.Context, service, path, key string, dst *[]T) error {
	after := ""
	for {
		q := url.Values{"limit": {strconv.Itoa(page.MaxLimit)}}
		if after != "" {
			q.Set("after", after)
		}
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		var raw map[string]json.RawMessage
		if _, err := h.call(c, http.MethodGet, service, path+sep+q.Encode(), 0, nil, &raw); err != nil {
			return err
		}
		var items []T
		if b, ok := raw[key]; ok {
			if err := json.Unmarshal(b, &items); err != nil {
				return fmt.Errorf("%s %s: %w", service, path, err)
			}
		}
		*dst = append(*dst, items...)
		var next string
		if b, ok := raw["next"]; ok {
			if err := json.Unmarshal(b, &next); err != nil {
				return fmt.Errorf("%s %s: next: %w", service, path, err)
			}
		}
		if next == "" || next == after {
			return nil
		}
		after = next
	}
}

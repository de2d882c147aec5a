package httpapi

import (
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
		var list struct {
			Items []T    `json:"items"`
			Next  string `json:"next"`
		}
		if _, err := h.call(c, http.MethodGet, service, path+sep+q.Encode(), 0, nil, &list); err != nil {
			return nil, err
		}
		all = append(all, list.Items...)
		if list.Next == "" || list.Next == after {
			return all, nil
		}
		after = list.Next
	}
}

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

// listInto reads every page of one of a service's lists (pkg/page: ?limit&after
// in, {key: [...], next} out), the largest pages first, appending the items
// under key to dst: for a list that stays short by what it is (the units a
// session reads for its page frame).
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

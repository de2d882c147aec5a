package webkit

import (
	"encoding/json"
	"fmt"
)

// The platform endpoints every service shares (pkg/app: the audit trail
// and the dead letters) are documented with plain objects as items, and
// some documents give their list no cursor; the typed items are pkg's own
// (audit.Record, bus.DeadLetter). The admin area reads them through the
// generated client's call and these.

// PageOf reads a list answer of pkg/page's shape ({"items": [...],
// "next": "…"}) from the raw body of a generated response into T.
func PageOf[T any](body []byte) (items []T, next string, err error) {
	var page struct {
		Items []T    `json:"items"`
		Next  string `json:"next"`
	}
	if err := json.Unmarshal(body, &page); err != nil {
		return nil, "", fmt.Errorf("list page: %w", err)
	}
	return page.Items, page.Next, nil
}

// StateOf reads a state an audit row recorded (its before or after) into
// v, whose fields match the recorded keys by name; false when the row
// recorded none or something of another shape.
func StateOf(raw []byte, v any) bool {
	return len(raw) > 0 && json.Unmarshal(raw, v) == nil
}

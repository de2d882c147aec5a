package webkit

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
)

// Items reads the items of a list page whose document gives them as plain
// objects (pkg/page's {"items": [{…}], "next": …}) into the generated type
// T of the item.
func Items[T any](raw *[]map[string]any) ([]T, error) {
	if raw == nil {
		return nil, nil
	}
	b, err := json.Marshal(*raw)
	if err != nil {
		return nil, fmt.Errorf("list items: %w", err)
	}
	var out []T
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, fmt.Errorf("list items: %w", err)
	}
	return out, nil
}

// PathID is the path parameter name as the id the generated clients take.
// An id that is none names nothing this user may see: the page has
// answered 404 (as the service would) and ok is false.
func (k *Kit) PathID(c *gin.Context, name string) (uuid.UUID, bool) {
	id, err := uuid.Parse(c.Param(name))
	if err != nil {
		k.ErrorPage(c, http.StatusNotFound, "web.error.404")
		return uuid.UUID{}, false
	}
	return id, true
}

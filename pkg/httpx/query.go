package httpx

import (
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
)

// QueryBool reads the boolean query parameter name (true, false, 1, 0 …);
// absent or empty is def. Any other value is a 422 naming the parameter
// (field.type), for the handler to answer as it is.
func QueryBool(c *gin.Context, name string, def bool) (bool, error) {
	s := c.Query(name)
	if s == "" {
		return def, nil
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		return def, Invalid(fielderr.Problem{Field: name, Code: "field.type"})
	}
	return b, nil
}

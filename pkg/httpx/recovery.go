package httpx

import (
	"errors"
	"fmt"
	"net/http"
	"runtime/debug"

	"github.com/gin-gonic/gin"
)

// recovery turns a panic in a handler into a 500 problem. The panic value
// and stack go to the log only: they can hold personal data and internals
// no client should see.
func recovery() gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if err, ok := v.(error); ok && errors.Is(err, http.ErrAbortHandler) {
				panic(v) // net/http's way to abort a response on purpose
			}
			Logger(c).ErrorContext(c.Request.Context(), "panic in handler",
				"route", route(c), "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			writeProblem(c, http.StatusInternalServerError, NewError(http.StatusInternalServerError, CodeInternal))
		}()
		c.Next()
	}
}

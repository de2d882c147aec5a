package httpx

import (
	"bytes"
	"io"
	"math"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
)

// DefaultMaxBodyBytes caps request bodies unless Options or MaxBody say
// otherwise: JSON forms are small, and a cap keeps one client from holding
// a worker and memory with an endless body.
const DefaultMaxBodyBytes int64 = 1 << 20

// limitBody caps every request body at n bytes. A read past the cap fails
// with *http.MaxBytesError, which BindJSON and Respond turn into 413. The
// original body is kept so MaxBody can set a different cap for one route.
func limitBody(n int64) gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.Request.Body != nil && c.Request.Body != http.NoBody {
			c.Set(ginBodyKey, c.Request.Body)
			c.Set(ginBodyCapKey, n)
			c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, n)
		}
		c.Next()
	}
}

// MaxBody returns a route middleware that replaces the engine's body cap
// with n bytes, for an upload route that needs more (or a route that should
// take less). A request that declares a longer Content-Length is refused
// with 413 before any of it is read.
//
//	r.POST("/cases/:id/documents", httpx.MaxBody(20<<20), uploadDocument)
func MaxBody(n int64) gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.Request.ContentLength > n {
			Respond(c, TooLarge(n))
			return
		}
		if orig, ok := c.Get(ginBodyKey); ok {
			c.Request.Body = http.MaxBytesReader(c.Writer, orig.(io.ReadCloser), n)
		} else if c.Request.Body != nil && c.Request.Body != http.NoBody {
			c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, n)
		}
		c.Next()
	}
}

// ginBodyCapKey holds the engine's body cap, for BufferBody.
const ginBodyCapKey = "httpx.body_cap"

// BufferBody reads the whole request body, up to limit bytes (past it the
// error is an *http.MaxBytesError), and puts the same bytes back so the
// handler, and a route's MaxBody, read them again under their own caps.
// pkg/idem uses it to hash a request before the handler runs; limit is the
// largest cap any route sets, since group middleware runs before MaxBody.
func BufferBody(c *gin.Context, limit int64) ([]byte, error) {
	src := c.Request.Body
	if orig, ok := c.Get(ginBodyKey); ok {
		src = orig.(io.ReadCloser)
	}
	if src == nil || src == http.NoBody {
		return nil, nil
	}
	b, err := io.ReadAll(io.LimitReader(src, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, &http.MaxBytesError{Limit: limit}
	}
	c.Set(ginBodyKey, io.NopCloser(bytes.NewReader(b)))
	capN := DefaultMaxBodyBytes
	if v, ok := c.Get(ginBodyCapKey); ok {
		capN = v.(int64)
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, io.NopCloser(bytes.NewReader(b)), capN)
	return b, nil
}

// TooLarge is the 413 problem of a body over a cap of limit bytes: its
// detail names the cap in the reader's language ("不能超过 1 MiB") and its
// limit_bytes member gives it to programs.
func TooLarge(limit int64) *Error {
	return NewError(http.StatusRequestEntityTooLarge, CodeTooLarge).
		WithDetail("detail.too_large", FormatBytes(limit)).
		WithExtra("limit_bytes", limit)
}

// FormatBytes writes a size the way people read a limit: "1 MiB",
// "512 KiB", "300 B"; fractions of a unit keep one decimal ("2.5 MiB").
func FormatBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return strconv.FormatInt(n, 10) + " B"
	}
	v, suffix := float64(n), ""
	for _, s := range []string{"KiB", "MiB", "GiB"} {
		v, suffix = v/unit, s
		if v < unit {
			break
		}
	}
	return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) + " " + suffix
}

package httpapi

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/reqctx"
	"github.com/anxin-welfare/anxin/services/gateway/internal/store"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// One-time submission tokens. Every form a signed-in person is shown
// carries, next to its CSRF token (the "csrf" template), a random
// submission_token of its own. The first submission of a token that ends
// in a redirect (Post/Redirect/Get: the form did its work) spends it; a
// second submission of the same token (back and resubmit, a double tap, a
// retry after a timeout) is sent to where the first one went and does
// nothing again. A submission that re-renders a page (errors, a quote, a
// confirmation step) gives its token back. While the first is still
// running the second is told so (409). Tokens are kept a day per user.
//
// Each creating call a form makes to a service carries an Idempotency-Key
// derived from the token, so even a gateway that dies mid-submission cannot
// make the service do the work twice when the form is sent again.

const (
	submissionField = "submission_token"
	ctxSubmission   = "gateway/submission"
	ctxCallCounts   = "gateway/submission_calls"
)

// submitOnce runs the rest of the chain at most once per submission token.
// formToken calls it once the CSRF token checked out for a session.
func (h *handlers) submitOnce(c *gin.Context) {
	tok := c.PostForm(submissionField)
	u := currentUser(c)
	if tok == "" || u == nil {
		return
	}
	if len(tok) > 64 {
		h.errorPage(c, http.StatusBadRequest, "web.error.400")
		return
	}
	ctx := c.Request.Context()
	sub, err := h.Accounts.ClaimSubmission(ctx, u, tok, c.Request.URL.Path)
	if err != nil {
		h.fail(c, err)
		c.Abort()
		return
	}
	switch sub.State {
	case store.SubmissionDone:
		if sub.Location != "" {
			c.Redirect(http.StatusSeeOther, sub.Location)
		} else {
			h.submissionPage(c, "web.submission.already_done")
		}
		c.Abort()
		return
	case store.SubmissionRunning:
		c.Header("Retry-After", "2")
		h.submissionPage(c, "web.submission.running")
		c.Abort()
		return
	}
	c.Set(ctxSubmission, tok)
	c.Next()
	status, loc := c.Writer.Status(), c.Writer.Header().Get("Location")
	if status >= 300 && status < 400 && !strings.HasPrefix(loc, "/signin") {
		err = h.Accounts.CompleteSubmission(ctx, u, tok, loc)
	} else {
		err = h.Accounts.ReleaseSubmission(ctx, u, tok)
	}
	if err != nil {
		h.Log.WarnContext(c, "form submission token not recorded", "error", err)
	}
}

// submissionPage says plainly what became of a form sent twice.
func (h *handlers) submissionPage(c *gin.Context, msgKey string) {
	p := h.page(c, "web.submission.title")
	p.Data = struct{ Message web.Message }{web.Msg(msgKey)}
	h.render(c, http.StatusConflict, "error", p)
}

// callContext is the context of a page's call to a service: for a POST
// made while handling a form with a submission token, it carries the
// Idempotency-Key derived from the token, the call and its ordinal (a form
// may make the same call more than once), so a resubmission makes the very
// same keyed calls again.
func callContext(c *gin.Context, method, service, path string) context.Context {
	ctx := c.Request.Context()
	tok := c.GetString(ctxSubmission)
	if tok == "" || method != http.MethodPost {
		return ctx
	}
	counts, _ := c.Get(ctxCallCounts)
	n, _ := counts.(map[string]int)
	if n == nil {
		n = map[string]int{}
		c.Set(ctxCallCounts, n)
	}
	call := method + " " + service + " " + path
	n[call]++
	return reqctx.WithIdempotencyKey(ctx, SubmissionKey(tok, call, n[call]))
}

// SubmissionKey is the Idempotency-Key of the n-th call (method, service,
// path) a form submission with token makes.
func SubmissionKey(token, call string, n int) string {
	sum := sha256.Sum256(fmt.Appendf(nil, "anxin-form\x00%s\x00%s\x00%d", token, call, n))
	return "form-" + base64.RawURLEncoding.EncodeToString(sum[:])
}

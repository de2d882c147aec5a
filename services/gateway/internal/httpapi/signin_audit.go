package httpapi

import (
	"context"

	"github.com/gin-gonic/gin"
	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/audit"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/pkg/reqctx"
	"github.com/anxin-welfare/anxin/services/gateway/internal/store"
)

// Sign-ins, sign-outs and failed sign-ins go to the gateway's audit
// trail, so an auditor reads who came in, from where, and who tried and
// failed, next to what they did. They are recorded here, where the
// outcome the person saw is known, not inside the accounts service.

// Audit actions of the session trail.
const (
	actionSignIn       = "session.sign_in"
	actionSignInFailed = "session.sign_in_failed"
	actionSignOut      = "session.sign_out"
)

// Outcomes of a sign-in attempt, as recorded.
const (
	outcomeOK         = "ok"
	outcomeInvalid    = "invalid_credentials"
	outcomeThrottled  = "throttled"
	outcomeIncomplete = "incomplete"
)

// anonymousActor is the actor of a failed attempt with a username that
// names no account: nobody known did it.
const anonymousActor = "anonymous"

// sessionRecord is what a session row of the trail keeps: the username as
// typed (never the password), the address and the outcome.
type sessionRecord struct {
	Username string `json:"username"`
	Address  string `json:"address"`
	Outcome  string `json:"outcome"`
	Method   string `json:"method,omitempty"`
}

// recordSession writes one session row. userID is the account concerned
// ("" when the typed username names none). A failure to record is logged,
// not shown: the person's sign-in must not depend on the trail, and the
// accounts' own attempt log still has the attempt.
func (h *handlers) recordSession(c *gin.Context, action, userID string, rec sessionRecord) {
	db, ok := h.AuditDB.(*sqlx.DB)
	if !ok || db == nil {
		return
	}
	e := audit.Entry{Actor: userID, Action: action, After: rec, RequestID: reqctx.RequestID(c.Request.Context())}
	if userID == "" {
		e.Actor = anonymousActor
	} else {
		e.ObjectType, e.ObjectID = "user", userID
	}
	if err := pg.InTx(c.Request.Context(), db, func(tx *sqlx.Tx) error {
		return audit.Write(c.Request.Context(), tx, h.Clock, e)
	}); err != nil {
		h.Log.ErrorContext(c, "record session in the audit trail", "action", action, "error", err)
	}
}

// userIDByUsername is the id of the account with exactly this username,
// "" when there is none.
func (h *handlers) userIDByUsername(ctx context.Context, username string) string {
	if username == "" || h.Accounts == nil {
		return ""
	}
	users, err := h.Accounts.Users(ctx, store.UserFilter{Query: username, Limit: 50})
	if err != nil {
		return ""
	}
	for _, u := range users {
		if u.Username == username {
			return u.ID
		}
	}
	return ""
}

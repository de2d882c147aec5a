package admin

import (
	"context"
	"time"

	"github.com/gin-gonic/gin"

	enrollmentapi "github.com/anxin-welfare/anxin/api/client/enrollment"
	grantsapi "github.com/anxin-welfare/anxin/api/client/grants"
	injuryapi "github.com/anxin-welfare/anxin/api/client/injury"
	leaveapi "github.com/anxin-welfare/anxin/api/client/leave"
	notifyapi "github.com/anxin-welfare/anxin/api/client/notify"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
)

// Every service has the same platform endpoints (pkg/app): its audit
// trail and its dead letters with a replay. Each has them in its own
// generated client; platform is what the pages call of one service,
// whichever it is.

// auditQuery is a search of a service's trail.
type auditQuery struct {
	Actor, Action, ObjectType, ObjectID, ObjectNumber, After string
	Limit                                                    int
	From, To                                                 time.Time
}

// platform is one service's platform endpoints (pkg/app serves them alike
// in every service, and every document describes them alike). The lists
// answer their raw body, which webkit.PageOf reads the same way for all.
type platform struct {
	audit       func(ctx context.Context, q auditQuery) ([]byte, error)
	deadLetters func(ctx context.Context, after string, limit int) ([]byte, error)
	replay      func(ctx context.Context, id int) error
}

func opt(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// platformOf is service's platform endpoints for this page's calls;
// webkit.ErrNotRouted for a service the gateway does not route or does
// not know.
func (a *area) platformOf(c *gin.Context, service string) (platform, error) {
	pending := false
	switch service {
	case "enrollment":
		api, err := a.Enrollment(c)
		if err != nil {
			return platform{}, err
		}
		return platform{
			audit: func(ctx context.Context, q auditQuery) ([]byte, error) {
				r, err := api.ListAuditWithResponse(ctx, &enrollmentapi.ListAuditParams{Actor: opt(q.Actor), Action: opt(q.Action), ObjectType: opt(q.ObjectType),
					ObjectId: opt(q.ObjectID), ObjectNumber: opt(q.ObjectNumber), After: opt(q.After), Limit: &q.Limit, From: optTime(q.From), To: optTime(q.To)})
				if err != nil {
					return nil, err
				}
				return r.Body, nil
			},
			deadLetters: func(ctx context.Context, after string, limit int) ([]byte, error) {
				r, err := api.ListDeadLettersWithResponse(ctx, &enrollmentapi.ListDeadLettersParams{Pending: &pending, After: opt(after), Limit: &limit})
				if err != nil {
					return nil, err
				}
				return r.Body, nil
			},
			replay: func(ctx context.Context, id int) error { return webkit.Done(api.ReplayDeadLetter(ctx, id)) }, //nolint:bodyclose // webkit.Done drains and closes it
		}, nil
	case "injury":
		api, err := a.Injury(c)
		if err != nil {
			return platform{}, err
		}
		return platform{
			audit: func(ctx context.Context, q auditQuery) ([]byte, error) {
				r, err := api.ListAuditWithResponse(ctx, &injuryapi.ListAuditParams{Actor: opt(q.Actor), Action: opt(q.Action), ObjectType: opt(q.ObjectType),
					ObjectId: opt(q.ObjectID), ObjectNumber: opt(q.ObjectNumber), After: opt(q.After), Limit: &q.Limit, From: optTime(q.From), To: optTime(q.To)})
				if err != nil {
					return nil, err
				}
				return r.Body, nil
			},
			deadLetters: func(ctx context.Context, after string, limit int) ([]byte, error) {
				r, err := api.ListDeadLettersWithResponse(ctx, &injuryapi.ListDeadLettersParams{Pending: &pending, After: opt(after), Limit: &limit})
				if err != nil {
					return nil, err
				}
				return r.Body, nil
			},
			replay: func(ctx context.Context, id int) error { return webkit.Done(api.ReplayDeadLetter(ctx, id)) }, //nolint:bodyclose // webkit.Done drains and closes it
		}, nil
	case "grants":
		api, err := a.Grants(c)
		if err != nil {
			return platform{}, err
		}
		return platform{
			audit: func(ctx context.Context, q auditQuery) ([]byte, error) {
				r, err := api.ListAuditWithResponse(ctx, &grantsapi.ListAuditParams{Actor: opt(q.Actor), Action: opt(q.Action), ObjectType: opt(q.ObjectType),
					ObjectId: opt(q.ObjectID), ObjectNumber: opt(q.ObjectNumber), After: opt(q.After), Limit: &q.Limit, From: optTime(q.From), To: optTime(q.To)})
				if err != nil {
					return nil, err
				}
				return r.Body, nil
			},
			deadLetters: func(ctx context.Context, after string, limit int) ([]byte, error) {
				r, err := api.ListDeadLettersWithResponse(ctx, &grantsapi.ListDeadLettersParams{Pending: &pending, After: opt(after), Limit: &limit})
				if err != nil {
					return nil, err
				}
				return r.Body, nil
			},
			replay: func(ctx context.Context, id int) error { return webkit.Done(api.ReplayDeadLetter(ctx, id)) }, //nolint:bodyclose // webkit.Done drains and closes it
		}, nil
	case "leave":
		api, err := a.Leave(c)
		if err != nil {
			return platform{}, err
		}
		return platform{
			audit: func(ctx context.Context, q auditQuery) ([]byte, error) {
				r, err := api.ListAuditWithResponse(ctx, &leaveapi.ListAuditParams{Actor: opt(q.Actor), Action: opt(q.Action), ObjectType: opt(q.ObjectType),
					ObjectId: opt(q.ObjectID), ObjectNumber: opt(q.ObjectNumber), After: opt(q.After), Limit: &q.Limit, From: optTime(q.From), To: optTime(q.To)})
				if err != nil {
					return nil, err
				}
				return r.Body, nil
			},
			deadLetters: func(ctx context.Context, after string, limit int) ([]byte, error) {
				r, err := api.ListDeadLettersWithResponse(ctx, &leaveapi.ListDeadLettersParams{Pending: &pending, After: opt(after), Limit: &limit})
				if err != nil {
					return nil, err
				}
				return r.Body, nil
			},
			replay: func(ctx context.Context, id int) error { return webkit.Done(api.ReplayDeadLetter(ctx, id)) }, //nolint:bodyclose // webkit.Done drains and closes it
		}, nil
	case "notify":
		api, err := a.Notify(c)
		if err != nil {
			return platform{}, err
		}
		return platform{
			audit: func(ctx context.Context, q auditQuery) ([]byte, error) {
				r, err := api.ListAuditWithResponse(ctx, &notifyapi.ListAuditParams{Actor: opt(q.Actor), Action: opt(q.Action), ObjectType: opt(q.ObjectType),
					ObjectId: opt(q.ObjectID), ObjectNumber: opt(q.ObjectNumber), After: opt(q.After), Limit: &q.Limit, From: optTime(q.From), To: optTime(q.To)})
				if err != nil {
					return nil, err
				}
				return r.Body, nil
			},
			deadLetters: func(ctx context.Context, after string, limit int) ([]byte, error) {
				r, err := api.ListDeadLettersWithResponse(ctx, &notifyapi.ListDeadLettersParams{Pending: &pending, After: opt(after), Limit: &limit})
				if err != nil {
					return nil, err
				}
				return r.Body, nil
			},
			replay: func(ctx context.Context, id int) error { return webkit.Done(api.ReplayDeadLetter(ctx, id)) }, //nolint:bodyclose // webkit.Done drains and closes it
		}, nil
	}
	return platform{}, webkit.ErrNotRouted
}

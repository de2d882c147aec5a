package admin

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
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

// platform is one service's platform endpoints. The lists answer their
// raw body (webkit.PageOf reads it): the documents give their items as
// plain objects, and not every document gives the list its cursor.
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
				// grants.yaml documents no parameters of its trail (the
				// service takes pkg/app's, as every other), so the search
				// goes on the generated call's query.
				r, err := api.ListAuditWithResponse(ctx, func(_ context.Context, req *http.Request) error {
					req.URL.RawQuery = q.values().Encode()
					return nil
				})
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

// values is the query pkg/app's trail reads.
func (q auditQuery) values() url.Values {
	v := url.Values{"limit": {strconv.Itoa(q.Limit)}}
	for k, s := range map[string]string{"action": q.Action, "object_type": q.ObjectType, "object_id": q.ObjectID,
		"object_number": q.ObjectNumber, "actor": q.Actor, "after": q.After} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if !q.From.IsZero() {
		v.Set("from", q.From.Format(time.RFC3339))
	}
	if !q.To.IsZero() {
		v.Set("to", q.To.Format(time.RFC3339))
	}
	return v
}

// Package natsapi serves the gateway's request-reply endpoint over NATS:
// the recipients query the notify service asks when it fans a notice out.
// The gateway owns accounts, their roles and units, so it answers "who are
// the caseworkers of unit U", "the unit heads of U", "the committee" and
// "the accounts of member M"; notify keeps no copy of them.
package natsapi

import (
	"context"
	"encoding/json"
	"log/slog"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/micro"

	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/services/gateway/internal/store"
)

// RecipientsSubject is where the recipients query listens (documented in
// api/openapi/gateway.yaml, x-nats).
const RecipientsSubject = "anxin.gateway.recipients"

// maxAudiences bounds one question.
const maxAudiences = 20

// RecipientsRequest asks for the people of some audiences.
type RecipientsRequest struct {
	Audiences []store.Audience `json:"audiences"`
}

// RecipientsReply names them.
type RecipientsReply struct {
	Recipients []store.Recipient `json:"recipients"`
}

// Serve registers the endpoint; Stop the returned service on shutdown.
func Serve(nc *nats.Conn, st *store.Store, log *slog.Logger) (micro.Service, error) {
	return bus.Serve(nc, "gateway", "1.0.0", "Anxin gateway: accounts as recipients of notifications", log, bus.Endpoint{
		Name: "recipients", Subject: RecipientsSubject,
		Handle: func(ctx context.Context, raw []byte) (any, error) {
			var req RecipientsRequest
			if err := json.Unmarshal(raw, &req); err != nil {
				return nil, bus.NewRemoteError("bad_request", "not a recipients request")
			}
			if len(req.Audiences) > maxAudiences {
				return nil, bus.NewRemoteError("bad_request", "too many audiences")
			}
			for _, a := range req.Audiences {
				if (a.User != "") == (a.Member != "" || a.Role != "") || (a.Member != "" && a.Unit != "") {
					return nil, bus.NewRemoteError("bad_request", "an audience names a user, a member (with a role) or a role (with a unit)")
				}
			}
			rs, err := st.Recipients(ctx, req.Audiences)
			if err != nil {
				return nil, err
			}
			if rs == nil {
				rs = []store.Recipient{}
			}
			return RecipientsReply{Recipients: rs}, nil
		},
	})
}

package bus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/micro"
)

// Endpoint is one request-reply operation of a service: Handle receives the
// request body and returns a value to encode as JSON, or an error. An error
// made with NewRemoteError keeps its code; any other is answered as
// "internal" without its text.
type Endpoint struct {
	Name    string
	Subject string
	Handle  func(ctx context.Context, req []byte) (any, error)
}

// NewRemoteError is an error a request-reply handler returns to tell the
// caller what was wrong with its request (e.g. code "bad_request").
func NewRemoteError(code, description string) error {
	return &RemoteError{Code: code, Description: description}
}

// HandlerTimeout bounds one request-reply handler.
const HandlerTimeout = 10 * time.Second

// Serve registers a nats.go micro service with the given endpoints; replicas
// share the queue group, so each request is answered once.
func Serve(nc *nats.Conn, name, version, description string, log *slog.Logger, endpoints ...Endpoint) (micro.Service, error) {
	if log == nil {
		log = slog.Default()
	}
	svc, err := micro.AddService(nc, micro.Config{Name: name, Version: version, Description: description})
	if err != nil {
		return nil, fmt.Errorf("bus: micro service %s: %w", name, err)
	}
	for _, ep := range endpoints {
		h := ep.Handle
		epName := ep.Name
		err := svc.AddEndpoint(ep.Name, micro.HandlerFunc(func(r micro.Request) {
			// A caller waits a few seconds at most; work past that is wasted.
			ctx, cancel := context.WithTimeout(context.Background(), HandlerTimeout)
			defer cancel()
			resp, err := h(ctx, r.Data())
			if err != nil {
				var re *RemoteError
				if errors.As(err, &re) {
					_ = r.Error(re.Code, re.Description, nil)
					return
				}
				log.Error("request-reply handler failed", "endpoint", epName, "err", err)
				_ = r.Error("internal", "internal error", nil)
				return
			}
			if err := r.RespondJSON(resp); err != nil {
				log.Error("request-reply respond failed", "endpoint", epName, "err", err)
			}
		}), micro.WithEndpointSubject(ep.Subject))
		if err != nil {
			_ = svc.Stop()
			return nil, fmt.Errorf("bus: endpoint %s: %w", ep.Name, err)
		}
	}
	return svc, nil
}

// Request sends req as JSON to subject and decodes the reply into resp. A
// service's error answer comes back as *RemoteError; no responder or a
// timeout as the nats error (errors.Is(err, nats.ErrNoResponders) /
// context.DeadlineExceeded).
func Request(ctx context.Context, nc *nats.Conn, subject string, req, resp any) error {
	body, err := json.Marshal(req)
	if err != nil {
		return fmt.Errorf("bus: request %s: %w", subject, err)
	}
	msg, err := nc.RequestWithContext(ctx, subject, body)
	if err != nil {
		return fmt.Errorf("bus: request %s: %w", subject, err)
	}
	if code := msg.Header.Get(micro.ErrorCodeHeader); code != "" {
		return &RemoteError{Code: code, Description: msg.Header.Get(micro.ErrorHeader)}
	}
	if resp == nil {
		return nil
	}
	if err := json.Unmarshal(msg.Data, resp); err != nil {
		return fmt.Errorf("bus: decode reply from %s: %w", subject, err)
	}
	return nil
}

package coverage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/services/injury/internal/domain"
)

// DefaultSubject is where enrollment answers coverage questions over NATS
// request-reply. It must stay outside "welfare.>": the WELFARE stream
// captures those subjects, and a request there is answered by JetStream's
// publish acknowledgement instead of by enrollment.
const DefaultSubject = "anxin.enrollment.coverage"

// errNoSchemes is a reply without the schemes member.
var errNoSchemes = errors.New("reply has no schemes")

// NATSClient asks enrollment over NATS request-reply.
type NATSClient struct {
	Conn    *nats.Conn
	Subject string
}

// coverageRequest asks which schemes covered a member on a day (enrollment's
// natsapi.CoverageRequest).
type coverageRequest struct {
	MemberID string `json:"member_id"`
	Date     string `json:"date"`
}

// coverageReply lists the schemes with the member's cover on that day
// (enrollment's natsapi.CoverageReply, the members this service reads).
type coverageReply struct {
	Schemes *[]struct {
		Scheme   string `json:"scheme"`
		Covered  bool   `json:"covered"`
		PlanID   string `json:"plan_id"`
		PlanName string `json:"plan_name"`
		From     string `json:"period_from"`
		To       string `json:"period_to"`
	} `json:"schemes"`
}

// CoveredOn implements Client: the covered schemes only.
func (c NATSClient) CoveredOn(ctx context.Context, memberID string, on time.Time) ([]domain.SchemeCoverage, error) {
	subject := c.Subject
	if subject == "" {
		subject = DefaultSubject
	}
	var reply coverageReply
	if err := bus.Request(ctx, c.Conn, subject, coverageRequest{MemberID: memberID, Date: on.Format(time.DateOnly)}, &reply); err != nil {
		return nil, fmt.Errorf("coverage of %s: %w", memberID, err)
	}
	if reply.Schemes == nil {
		// Not enrollment's answer (e.g. a stream's publish ack): treating
		// it as "covered by nothing" would mislead the caseworker.
		return nil, fmt.Errorf("coverage of %s: %w", memberID, errNoSchemes)
	}
	out := []domain.SchemeCoverage{}
	for _, s := range *reply.Schemes {
		if !s.Covered {
			continue
		}
		sc := domain.SchemeCoverage{Scheme: s.Scheme, Plan: s.PlanName}
		if sc.Plan == "" {
			sc.Plan = s.PlanID
		}
		sc.From, _ = time.Parse(time.DateOnly, s.From)
		sc.To, _ = time.Parse(time.DateOnly, s.To)
		out = append(out, sc)
	}
	return out, nil
}

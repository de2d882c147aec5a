// Package natsapi serves the enrollment service's request-reply endpoints
// over NATS (a nats.go micro service): the coverage query the injury
// service asks when it opens a case.
package natsapi

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/micro"

	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/domain"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/store"
)

// CoverageSubject is where the coverage query listens. Callers use
// bus.Request(ctx, nc, CoverageSubject, CoverageRequest{...}, &CoverageReply{}).
const CoverageSubject = "anxin.enrollment.coverage"

// ServiceName and ServiceVersion name the micro service in NATS monitoring.
const (
	ServiceName    = "enrollment"
	ServiceVersion = "1.0.0"
)

// requestTimeout bounds one query; the caller's own timeout is usually
// shorter.
const requestTimeout = 2 * time.Second

// CoverageRequest asks which schemes covered a member on a day.
type CoverageRequest struct {
	MemberID string `json:"member_id"`
	// Date is YYYY-MM-DD, the day of the injury (Asia/Shanghai).
	Date string `json:"date"`
	// Scheme limits the answer to one scheme; "" asks for every scheme.
	Scheme string `json:"scheme,omitempty"`
}

// CoverageReply answers one CoverageRequest with one entry per scheme
// asked about, covered or not.
type CoverageReply struct {
	MemberID string           `json:"member_id"`
	Date     string           `json:"date"`
	Schemes  []SchemeCoverage `json:"schemes"`
}

// SchemeCoverage is the answer for one scheme. When Covered is false,
// Reason is "enrollment.coverage.not_enrolled" or
// "enrollment.coverage.waiting_period" (then the enrollment fields are
// set too).
type SchemeCoverage struct {
	Scheme       string       `json:"scheme"`
	Covered      bool         `json:"covered"`
	Reason       string       `json:"reason,omitempty"`
	EnrollmentID string       `json:"enrollment_id,omitempty"`
	PlanID       string       `json:"plan_id,omitempty"`
	PlanName     string       `json:"plan_name,omitempty"`
	PlanYear     int          `json:"plan_year,omitempty"`
	PeriodFrom   string       `json:"period_from,omitempty"`
	PeriodTo     string       `json:"period_to,omitempty"`
	CoveredFrom  string       `json:"covered_from,omitempty"`
	SumsInsured  *SumsInsured `json:"sums_insured,omitempty"`
}

// SumsInsured are the plan's sums in fen; disability by grade 1..10.
type SumsInsured struct {
	DeathFen           int64   `json:"death_fen"`
	DisabilityFen      []int64 `json:"disability_fen"`
	CriticalIllnessFen int64   `json:"critical_illness_fen"`
}

// Remote error codes of the endpoint.
const (
	CodeBadRequest = "bad_request"
	CodeNotFound   = "not_found"
)

// Coverage answers coverage queries from the store. Other services are
// trusted callers (they read every member), so the scope is everything.
type Coverage struct {
	Store *store.Store
}

// Handle decodes a CoverageRequest and answers a CoverageReply.
func (h Coverage) Handle(ctx context.Context, body []byte) (any, error) {
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	var req CoverageRequest
	if err := json.Unmarshal(body, &req); err != nil {
		return nil, bus.NewRemoteError(CodeBadRequest, "request is not a coverage request")
	}
	on, err := time.Parse(time.DateOnly, req.Date)
	if err != nil {
		return nil, bus.NewRemoteError(CodeBadRequest, "date must be YYYY-MM-DD")
	}
	scheme := domain.SchemeCode(req.Scheme)
	if scheme != "" && !scheme.Valid() {
		return nil, bus.NewRemoteError(CodeBadRequest, "unknown scheme")
	}
	cov, err := h.Store.Coverage(ctx, req.MemberID, scheme, on, store.Scope{All: true})
	if errors.Is(err, store.ErrNotFound) {
		return nil, bus.NewRemoteError(CodeNotFound, "no such member")
	}
	if err != nil {
		return nil, err
	}
	reply := CoverageReply{MemberID: req.MemberID, Date: req.Date, Schemes: make([]SchemeCoverage, len(cov))}
	for i, c := range cov {
		reply.Schemes[i] = schemeCoverage(c)
	}
	return reply, nil
}

func schemeCoverage(c domain.Coverage) SchemeCoverage {
	out := SchemeCoverage{Scheme: string(c.Scheme), Covered: c.Covered, Reason: c.Reason}
	if e := c.Enrollment; e != nil {
		out.EnrollmentID, out.PlanID, out.PlanYear = e.ID, e.PlanID, e.PlanYear
		out.PeriodFrom, out.PeriodTo = e.Period.From.Format(time.DateOnly), e.Period.To.Format(time.DateOnly)
		out.CoveredFrom = e.CoveredFrom.Format(time.DateOnly)
	}
	if p := c.Plan; p != nil {
		out.PlanName = p.Name
		if c.Covered {
			s := SumsInsured{DeathFen: int64(p.Sums.Death), CriticalIllnessFen: int64(p.Sums.CriticalIllness), DisabilityFen: make([]int64, domain.DisabilityGrades)}
			for i, v := range p.Sums.Disability {
				s.DisabilityFen[i] = int64(v)
			}
			out.SumsInsured = &s
		}
	}
	return out
}

// Serve registers the enrollment micro service on nc. Replicas share the
// queue group, so each query is answered once.
func Serve(nc *nats.Conn, st *store.Store, log *slog.Logger) (micro.Service, error) {
	return bus.Serve(nc, ServiceName, ServiceVersion, "Anxin member registry and insurance enrollment", log,
		bus.Endpoint{Name: "coverage", Subject: CoverageSubject, Handle: Coverage{Store: st}.Handle})
}

package httpapi

import (
	"context"
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/services/injury/internal/domain"
	"github.com/anxin-welfare/anxin/services/injury/internal/store"
)

// actionBody is the union of every action's fields; each action reads the
// ones it needs and rejects the others (so a typo is not silently ignored).
type actionBody struct {
	Hospital     *string `json:"hospital"`
	GuaranteeFen *int64  `json:"guarantee_fen"`
	AmountFen    *int64  `json:"amount_fen"`
	MemberID     *string `json:"member_id"`
	FiledOn      *string `json:"filed_on"`
	On           *string `json:"on"`
	AcceptedOn   *string `json:"accepted_on"`
	ClearFacts   *bool   `json:"clear_facts"`
	Reason       *string `json:"reason"`
	DecidedOn    *string `json:"decided_on"`
	Outcome      *string `json:"outcome"`
	Clause       *int    `json:"clause"`
	AppliedOn    *string `json:"applied_on"`
	GradedOn     *string `json:"graded_on"`
	ReceivedOn   *string `json:"received_on"`
	Grade        *int    `json:"grade"`
	Nursing      *string `json:"nursing"`
	Start        *string `json:"start"`
	Months       *int    `json:"months"`
	Note         *string `json:"note"`
	Phone        *string `json:"phone"`
}

// fields lists the JSON members that are set.
func (b *actionBody) fields() map[string]bool {
	set := map[string]bool{}
	add := func(name string, present bool) {
		if present {
			set[name] = true
		}
	}
	add("hospital", b.Hospital != nil)
	add("guarantee_fen", b.GuaranteeFen != nil)
	add("amount_fen", b.AmountFen != nil)
	add("member_id", b.MemberID != nil)
	add("filed_on", b.FiledOn != nil)
	add("on", b.On != nil)
	add("accepted_on", b.AcceptedOn != nil)
	add("clear_facts", b.ClearFacts != nil)
	add("reason", b.Reason != nil)
	add("decided_on", b.DecidedOn != nil)
	add("outcome", b.Outcome != nil)
	add("clause", b.Clause != nil)
	add("applied_on", b.AppliedOn != nil)
	add("graded_on", b.GradedOn != nil)
	add("received_on", b.ReceivedOn != nil)
	add("grade", b.Grade != nil)
	add("nursing", b.Nursing != nil)
	add("start", b.Start != nil)
	add("months", b.Months != nil)
	add("note", b.Note != nil)
	add("phone", b.Phone != nil)
	return set
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func num[T int | int64](p *T) T {
	if p == nil {
		return 0
	}
	return *p
}

// actionSpec turns a request body into a command; allowed lists the body
// members the action takes.
type actionSpec struct {
	allowed []string
	build   func(b *actionBody, fe *fieldErrors) domain.Command
}

var actionSpecs = map[domain.Action]actionSpec{
	domain.ActAcknowledge: {allowed: []string{"phone"}, build: func(b *actionBody, _ *fieldErrors) domain.Command {
		return domain.Acknowledge{Phone: str(b.Phone)}
	}},
	domain.ActConfirmHandoff: {allowed: []string{"hospital", "guarantee_fen", "phone"}, build: func(b *actionBody, _ *fieldErrors) domain.Command {
		return domain.ConfirmHandoff{Hospital: str(b.Hospital), Guarantee: money.Fen(num(b.GuaranteeFen)), Phone: str(b.Phone)}
	}},
	domain.ActRecordGuarantee: {allowed: []string{"hospital", "amount_fen"}, build: func(b *actionBody, _ *fieldErrors) domain.Command {
		return domain.RecordGuarantee{Hospital: str(b.Hospital), Amount: money.Fen(num(b.AmountFen))}
	}},
	domain.ActIdentifyMember: {allowed: []string{"member_id"}, build: func(b *actionBody, _ *fieldErrors) domain.Command {
		return domain.IdentifyMember{MemberID: str(b.MemberID)}
	}},
	domain.ActFileDetermination: {allowed: []string{"filed_on"}, build: func(b *actionBody, fe *fieldErrors) domain.Command {
		return domain.FileDetermination{FiledOn: fe.date("filed_on", str(b.FiledOn))}
	}},
	domain.ActRequestDocuments: {allowed: []string{"on"}, build: func(b *actionBody, fe *fieldErrors) domain.Command {
		return domain.RequestDocuments{On: fe.date("on", str(b.On))}
	}},
	domain.ActSupplementDocuments: {allowed: []string{"on"}, build: func(b *actionBody, fe *fieldErrors) domain.Command {
		return domain.SupplementDocuments{On: fe.date("on", str(b.On))}
	}},
	domain.ActAcceptFiling: {allowed: []string{"accepted_on", "clear_facts"}, build: func(b *actionBody, fe *fieldErrors) domain.Command {
		return domain.AcceptFiling{AcceptedOn: fe.date("accepted_on", str(b.AcceptedOn)), ClearFacts: b.ClearFacts != nil && *b.ClearFacts}
	}},
	domain.ActPauseDecision: {allowed: []string{"reason"}, build: func(b *actionBody, _ *fieldErrors) domain.Command {
		return domain.PauseDecision{Reason: str(b.Reason)}
	}},
	domain.ActResumeDecision: {build: func(*actionBody, *fieldErrors) domain.Command { return domain.ResumeDecision{} }},
	domain.ActDecide: {allowed: []string{"decided_on", "outcome", "clause", "reason"}, build: func(b *actionBody, fe *fieldErrors) domain.Command {
		return domain.Decide{DecidedOn: fe.date("decided_on", str(b.DecidedOn)), Outcome: domain.Outcome(str(b.Outcome)), Clause: num(b.Clause), Reason: str(b.Reason)}
	}},
	domain.ActRequestGrading: {allowed: []string{"applied_on"}, build: func(b *actionBody, fe *fieldErrors) domain.Command {
		return domain.RequestGrading{AppliedOn: fe.date("applied_on", str(b.AppliedOn))}
	}},
	domain.ActExtendGrading: {build: func(*actionBody, *fieldErrors) domain.Command { return domain.ExtendGrading{} }},
	domain.ActRecordGrade: {allowed: []string{"graded_on", "received_on", "grade", "nursing"}, build: func(b *actionBody, fe *fieldErrors) domain.Command {
		if b.Grade == nil {
			fe.add("grade", "injury.required")
		}
		return domain.RecordGrade{GradedOn: fe.date("graded_on", str(b.GradedOn)), ReceivedOn: fe.date("received_on", str(b.ReceivedOn)), Grade: num(b.Grade),
			Nursing: domain.NursingLevel(str(b.Nursing))}
	}},
	domain.ActFileAppeal: {allowed: []string{"filed_on", "note"}, build: func(b *actionBody, fe *fieldErrors) domain.Command {
		return domain.FileAppeal{FiledOn: fe.date("filed_on", str(b.FiledOn)), Note: str(b.Note)}
	}},
	domain.ActRequestRegrading: {allowed: []string{"applied_on"}, build: func(b *actionBody, fe *fieldErrors) domain.Command {
		return domain.RequestRegrading{AppliedOn: fe.date("applied_on", str(b.AppliedOn))}
	}},
	domain.ActStartLeave: {allowed: []string{"start"}, build: func(b *actionBody, fe *fieldErrors) domain.Command {
		return domain.StartLeave{Start: fe.date("start", str(b.Start))}
	}},
	domain.ActExtendLeave: {allowed: []string{"months"}, build: func(b *actionBody, _ *fieldErrors) domain.Command {
		return domain.ExtendLeave{Months: num(b.Months)}
	}},
	domain.ActEndLeave: {allowed: []string{"on"}, build: func(b *actionBody, fe *fieldErrors) domain.Command {
		return domain.EndLeave{On: fe.date("on", str(b.On))}
	}},
	domain.ActClose: {allowed: []string{"reason"}, build: func(b *actionBody, _ *fieldErrors) domain.Command {
		return domain.Close{Reason: domain.CloseReason(str(b.Reason))}
	}},
}

// act runs one action on a case: POST /cases/:id/actions/:action with
// If-Match. 404 when the caller may not see the case, 403 when their role
// may not take the step, 409 with the allowed next steps when the state
// does not allow it, 422 per field for bad input, 409 on a stale version.
func (h *Handler) act(c *gin.Context) {
	who, ok := h.actor(c)
	if !ok {
		return
	}
	action := domain.Action(c.Param("action"))
	spec, known := actionSpecs[action]
	if !known {
		httpx.Respond(c, httpx.NotFound())
		return
	}
	var body actionBody
	if c.Request.ContentLength != 0 {
		if err := httpx.BindJSON(c, &body); err != nil {
			httpx.Respond(c, err)
			return
		}
	}
	var fe fieldErrors
	allowed := map[string]bool{}
	for _, f := range spec.allowed {
		allowed[f] = true
	}
	for f := range body.fields() {
		if !allowed[f] {
			fe.add(f, "field.unknown")
		}
	}
	cmd := spec.build(&body, &fe)
	ifMatch, err := httpx.RequireIfMatch(c)
	if err != nil {
		httpx.Respond(c, err)
		return
	}
	cs, err := h.commands().Act(c.Request.Context(), h.meta(c, who), c.Param("id"), ifMatch, body, cmd, fe.err(), h.memberCategory)
	if err != nil {
		fail(c, err)
		return
	}
	if action == domain.ActIdentifyMember {
		h.opened() // a coverage check is now due
	}
	h.writeCase(c, http.StatusOK, cs, who)
}

// memberCategory reads the member's category from the projection; unknown
// members (not yet announced by enrollment) have none.
func (h *Handler) memberCategory(ctx context.Context, memberID string) string {
	return h.projectedMember(ctx, memberID).Category
}

// projectedMember reads a member from the projection; an unknown member
// (not yet announced by enrollment), or one the projection cannot give
// now, is the zero Member: a missing name or category never fails a request.
func (h *Handler) projectedMember(ctx context.Context, memberID string) store.Member {
	m, err := h.Store.Member(ctx, memberID)
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) && h.Log != nil {
			h.Log.Warn("member projection", "member_id", memberID, "err", err)
		}
		return store.Member{}
	}
	return m
}

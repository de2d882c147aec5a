package webkit

import (
	"slices"
	"time"

	grantsapi "github.com/anxin-welfare/anxin/api/client/grants"
)

// What the injury area's work queue and the officer's /my page show of a
// grant application beside their own lists: a row of the grants service's
// list (api/client/grants), its one amount and its last steps.

// GrantSummary is a grant application as a list row shows it.
type GrantSummary struct {
	ID, Number, State, StateText string
	ApplicantName, UnitID        string
	Amount, RequestedAmount      int64
	CreatedAt                    time.Time
	History                      []GrantStep
}

// GrantStep is one step in an application's history.
type GrantStep struct {
	Step, ActorName, Reason string
	At                      time.Time
}

// GrantSummaryOf reads a generated Application.
func GrantSummaryOf(a grantsapi.Application) GrantSummary {
	val := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	num := func(p *int) int64 {
		if p == nil {
			return 0
		}
		return int64(*p)
	}
	out := GrantSummary{ID: a.Id.String(), Number: a.Number, State: string(a.State), StateText: val(a.StateText),
		ApplicantName: val(a.ApplicantName), UnitID: val(a.UnitId), Amount: num(a.Amount), RequestedAmount: num(a.RequestedAmount)}
	if a.CreatedAt != nil {
		out.CreatedAt = *a.CreatedAt
	}
	if a.History != nil {
		for _, h := range *a.History {
			st := GrantStep{Step: val(h.Step), ActorName: val(h.ActorName), Reason: val(h.Reason)}
			if h.At != nil {
				st.At = *h.At
			}
			out.History = append(out.History, st)
		}
	}
	return out
}

// Decided reports whether the amount is decided (GrantDecided).
func (a GrantSummary) Decided() bool { return GrantDecided(a.State) }

// ShownAmount is the one amount a list shows of a (GrantShownAmount).
func (a GrantSummary) ShownAmount() int64 {
	return GrantShownAmount(a.State, a.RequestedAmount, a.Amount)
}

// AmountLabel is the catalogue key of ShownAmount's label.
func (a GrantSummary) AmountLabel() string { return GrantAmountLabel(a.State, a.RequestedAmount) }

// GrantDecided reports whether an application in state has its amount
// decided: from the committee's final approval on it is the amount granted
// (核定金额); before, only asked for.
func GrantDecided(state string) bool {
	return slices.Contains([]string{"approved", "disbursed", "active", "stopped"}, state)
}

// GrantShownAmount is the one amount a list or a page shows of an
// application: the amount granted once decided; before, the amount
// requested, or for a programme that computes its amount (fixed, by grade,
// statutory) the amount computed at submission, pending approval. Never a
// zero where the applicant asked for money.
func GrantShownAmount(state string, requested, amount int64) int64 {
	if GrantDecided(state) || requested == 0 {
		return amount
	}
	return requested
}

// GrantAmountLabel is the catalogue key of GrantShownAmount's label.
func GrantAmountLabel(state string, requested int64) string {
	switch {
	case GrantDecided(state):
		return "web.grants.amount"
	case requested > 0:
		return "web.grantux.requested"
	}
	return "web.grantux.proposed"
}

// SubmittedAt is when an application was last submitted: its latest
// submit step, or its creation when the history does not show one.
func (a GrantSummary) SubmittedAt() time.Time {
	at := a.CreatedAt
	for _, x := range a.History {
		if x.Step == "submit" && x.At.After(at) {
			at = x.At
		}
	}
	return at
}

package webkit

import (
	injuryapi "github.com/anxin-welfare/anxin/api/client/injury"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// CalcLine is one step of a statutory calculation's explanation: a
// catalogue key of the injury service with its arguments, and the amount
// it comes to. The injury area (a case's calculations) and the reference
// area (the 测算 page) show the same explanations.
type CalcLine struct {
	Code      string
	Args      []string
	AmountFen int64
}

// Message is the line in the reader's language.
func (l CalcLine) Message() web.Message {
	args := make([]any, 0, len(l.Args))
	for _, a := range l.Args {
		args = append(args, a)
	}
	return web.Msg(l.Code, args...)
}

// CalcExplanation is one calculated item with its steps.
type CalcExplanation struct {
	Item     string
	Lines    []CalcLine
	TotalFen int64
}

// InjuryExplanation is one item of the injury service's assessment as the
// pages show it (nil: none).
func InjuryExplanation(e *injuryapi.Explanation) CalcExplanation {
	if e == nil {
		return CalcExplanation{}
	}
	out := CalcExplanation{Item: value(e.Item), TotalFen: int64(value(e.TotalFen))}
	for _, l := range value(e.Lines) {
		out.Lines = append(out.Lines, CalcLine{Code: value(l.Code), Args: value(l.Args), AmountFen: int64(value(l.AmountFen))})
	}
	return out
}

func value[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}

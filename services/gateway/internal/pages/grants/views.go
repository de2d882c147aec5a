package grants

import (
	"time"

	grantsapi "github.com/anxin-welfare/anxin/api/client/grants"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
)

// The generated types mark every optional member with a pointer; the
// templates read plain values (amounts in fen as int64, instants as
// time.Time), which the views below hold.

// fen is an optional amount as the templates' yuan takes it.
func fen(p *int) int64 { return int64(webkit.Deref(p)) }

// orUnexpected is err, or webkit.ErrUnexpected when the call succeeded
// without the answer the document promises.
func orUnexpected(err error) error {
	if err != nil {
		return err
	}
	return webkit.ErrUnexpected
}

// application is one grant application as the pages show it.
type application struct {
	ID              string
	Number          string
	ProgramID       string
	ProgramName     string
	MemberID        string
	DependantID     string
	ApplicantUserID string
	ApplicantName   string
	FiledByName     string
	PreparedBy      string
	UnitID          string
	State           string
	StateText       string
	RequestedAmount int64
	Amount          int64
	Recurring       bool
	Reason          string
	Documents       []string
	// Files are the uploaded documents (only in one application's answer).
	Files []file
	// Answers is the applicant's form as the service holds it.
	Answers        grantsapi.Form
	Breakdown      breakdown
	DuplicateFlags []duplicateFlag
	DuplicateNote  string
	Round          int
	History        []action
	// Assessment is the service's eligibility check, when the list was
	// asked for it (the approvers' queue); nil otherwise.
	Assessment *grantAssessment
	Version    int64
	CreatedAt  time.Time
}

// breakdown is how the amount was computed, line by line.
type breakdown struct {
	Total int64
	Items []breakdownItem
}

type breakdownItem struct {
	Text     string
	Amount   int64
	Citation string
}

// duplicateFlag is another live application for the same event.
type duplicateFlag struct {
	ApplicationID string
	Number        string
}

// file is an uploaded document of an application.
type file struct {
	ID          string
	Kind        string
	FileName    string
	ContentType string
	SizeBytes   int64
	UploadedAt  time.Time
}

// SizeKB is the document's size in kilobytes, rounded up, for the page.
func (f file) SizeKB() int64 { return (f.SizeBytes + 1023) / 1024 }

// action is one step in an application's history.
type action struct {
	Round     int
	Step      string
	Actor     string
	ActorName string
	At        time.Time
	Reason    string
}

// applicationOf is the view of the service's application.
func applicationOf(g grantsapi.Application) application {
	a := application{
		ID: g.Id.String(), Number: g.Number, ProgramID: g.ProgramId, ProgramName: webkit.Deref(g.ProgramName), MemberID: g.MemberId,
		DependantID: webkit.Deref(g.DependantId), ApplicantUserID: webkit.Deref(g.ApplicantUserId), ApplicantName: webkit.Deref(g.ApplicantName),
		FiledByName: webkit.Deref(g.FiledByName), PreparedBy: webkit.Deref(g.PreparedBy), UnitID: webkit.Deref(g.UnitId), State: string(g.State),
		StateText: webkit.Deref(g.StateText), RequestedAmount: fen(g.RequestedAmount), Amount: fen(g.Amount), Recurring: webkit.Deref(g.Recurring),
		Reason: webkit.Deref(g.Reason), Documents: webkit.Deref(g.Documents), Answers: webkit.Deref(g.Form), DuplicateNote: webkit.Deref(g.DuplicateNote),
		Round: webkit.Deref(g.Round), Version: int64(g.Version), CreatedAt: webkit.Deref(g.CreatedAt),
	}
	for _, f := range webkit.Deref(g.Files) {
		v := file{Kind: webkit.Deref(f.Kind), FileName: webkit.Deref(f.FileName), ContentType: string(webkit.Deref(f.ContentType)),
			SizeBytes: int64(webkit.Deref(f.SizeBytes)), UploadedAt: webkit.Deref(f.UploadedAt)}
		if f.Id != nil {
			v.ID = f.Id.String()
		}
		a.Files = append(a.Files, v)
	}
	if b := g.Breakdown; b != nil {
		a.Breakdown.Total = fen(b.Total)
		for _, it := range webkit.Deref(b.Items) {
			a.Breakdown.Items = append(a.Breakdown.Items, breakdownItem{Text: webkit.Deref(it.Text), Amount: fen(it.Amount), Citation: webkit.Deref(it.Citation)})
		}
	}
	for _, d := range webkit.Deref(g.DuplicateFlags) {
		a.DuplicateFlags = append(a.DuplicateFlags, duplicateFlag{ApplicationID: webkit.Deref(d.ApplicationId), Number: webkit.Deref(d.Number)})
	}
	for _, h := range webkit.Deref(g.History) {
		a.History = append(a.History, action{Round: webkit.Deref(h.Round), Step: webkit.Deref(h.Step), Actor: webkit.Deref(h.Actor),
			ActorName: webkit.Deref(h.ActorName), At: webkit.Deref(h.At), Reason: webkit.Deref(h.Reason)})
	}
	if g.Assessment != nil {
		as := assessmentOf(*g.Assessment)
		a.Assessment = &as
	}
	return a
}

// applicationsOf is the views of a list's applications.
func applicationsOf(items *[]grantsapi.Application) []application {
	var out []application
	for _, g := range webkit.Deref(items) {
		out = append(out, applicationOf(g))
	}
	return out
}

// Decided reports whether the amount is decided (webkit.GrantDecided).
func (a application) Decided() bool { return webkit.GrantDecided(a.State) }

// ShownAmount is the one amount a list or a page shows of a
// (webkit.GrantShownAmount).
func (a application) ShownAmount() int64 {
	return webkit.GrantShownAmount(a.State, a.RequestedAmount, a.Amount)
}

// AmountLabel is the catalogue key of ShownAmount's label.
func (a application) AmountLabel() string { return webkit.GrantAmountLabel(a.State, a.RequestedAmount) }

// program is one programme as the pages show it. The eligibility is kept
// as the service sent it, so the parts the form does not edit
// (categories, event, grades) survive an update unchanged.
type program struct {
	ID     string
	Code   string
	NameZH string
	NameEN string
	Kind   string
	Active bool
	// FormFields are the questions the programme's form asks; the
	// service decides them from its kind and rules.
	FormFields        []string
	Allocation        int64
	Committed         int64
	Disbursed         int64
	Remaining         int64
	DualApprovalAbove int64
	Recurring         bool
	FundID            string
	Eligibility       grantsapi.Eligibility
	AmountRule        amountRule
	RequiredDocuments []string
	Version           int64
}

// amountRule is how a programme's amount is decided.
type amountRule struct {
	Kind       string
	Fixed      int64
	ByGrade    []int64
	Cap        int64
	Calculator string
}

// programOf is the view of the service's programme.
func programOf(g grantsapi.Program) program {
	p := program{
		ID: g.Id.String(), Code: g.Code, NameZH: g.NameZh, NameEN: webkit.Deref(g.NameEn), Kind: string(g.Kind), Active: g.Active,
		Allocation: int64(g.Allocation), Committed: int64(g.Committed), Disbursed: int64(g.Disbursed), Remaining: int64(g.Remaining),
		DualApprovalAbove: int64(g.DualApprovalAbove), Recurring: g.Recurring, FundID: g.FundId.String(),
		Eligibility: webkit.Deref(g.Eligibility), RequiredDocuments: webkit.Deref(g.RequiredDocuments), Version: int64(g.Version),
		AmountRule: amountRule{Kind: string(g.AmountRule.Kind), Fixed: fen(g.AmountRule.Fixed), Cap: fen(g.AmountRule.Cap),
			Calculator: string(webkit.Deref(g.AmountRule.Calculator))},
	}
	for _, f := range webkit.Deref(g.FormFields) {
		p.FormFields = append(p.FormFields, string(f))
	}
	for _, n := range webkit.Deref(g.AmountRule.ByGrade) {
		p.AmountRule.ByGrade = append(p.AmountRule.ByGrade, int64(n))
	}
	return p
}

// Name is the programme's name in lang.
func (p program) Name(lang string) string {
	if lang == "en" && p.NameEN != "" {
		return p.NameEN
	}
	return p.NameZH
}

// fund is a fund as the programme form offers it.
type fund struct {
	ID         string
	FiscalYear int
	Name       string
	Remaining  int64
}

package httpapi

import (
	"time"

	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/services/grants/internal/domain"
	"github.com/anxin-welfare/anxin/services/grants/internal/store"
)

// Amounts in every request and response are integer fen.

type itemView struct {
	Code        string `json:"code"`
	Text        string `json:"text"`
	Basis       string `json:"basis"`
	BasisText   string `json:"basis_text"`
	BasisAmount int64  `json:"basis_amount"`
	Num         int64  `json:"num"`
	Den         int64  `json:"den"`
	Amount      int64  `json:"amount"`
	Citation    string `json:"citation"`
}

type breakdownView struct {
	Calculator string     `json:"calculator"`
	Items      []itemView `json:"items"`
	Total      int64      `json:"total"`
}

func viewBreakdown(lang i18n.Lang, b *domain.Breakdown) *breakdownView {
	if b == nil {
		return nil
	}
	v := &breakdownView{Calculator: string(b.Calculator), Total: int64(b.Total), Items: []itemView{}}
	for _, it := range b.Items {
		v.Items = append(v.Items, itemView{Code: it.Code, Text: i18n.T(lang, it.Code), Basis: it.Basis, BasisText: i18n.T(lang, it.Basis),
			BasisAmount: int64(it.BasisAmount), Num: it.Num, Den: it.Den, Amount: int64(it.Amount), Citation: it.Citation})
	}
	return v
}

type actionView struct {
	Round     int       `json:"round"`
	Step      string    `json:"step"`
	Actor     string    `json:"actor"`
	ActorName string    `json:"actor_name"`
	At        time.Time `json:"at"`
	Reason    string    `json:"reason,omitempty"`
}

type flagView struct {
	ApplicationID string `json:"application_id"`
	Number        string `json:"number"`
	ProgramID     string `json:"program_id"`
	EventRef      string `json:"event_ref"`
}

type applicationView struct {
	ID              string         `json:"id"`
	Number          string         `json:"number"`
	FundID          string         `json:"fund_id"`
	ProgramID       string         `json:"program_id"`
	ProgramName     string         `json:"program_name"`
	MemberID        string         `json:"member_id"`
	ApplicantUserID string         `json:"applicant_user_id"`
	ApplicantName   string         `json:"applicant_name"`
	FiledByName     string         `json:"filed_by_name,omitempty"`
	DependantID     string         `json:"dependant_id,omitempty"`
	PreparedBy      string         `json:"prepared_by"`
	UnitID          string         `json:"unit_id"`
	EventRef        string         `json:"event_ref,omitempty"`
	State           string         `json:"state"`
	StateText       string         `json:"state_text"`
	RequestedAmount int64          `json:"requested_amount"`
	Amount          int64          `json:"amount"`
	CommittedAmount int64          `json:"committed_amount"`
	Breakdown       *breakdownView `json:"breakdown"`
	Documents       []string       `json:"documents"`
	Files           []fileView     `json:"files"`
	Form            formBody       `json:"form"`
	Recurring       bool           `json:"recurring"`
	Round           int            `json:"round"`
	Reason          string         `json:"reason,omitempty"`
	DuplicateFlags  []flagView     `json:"duplicate_flags"`
	DuplicateNote   string         `json:"duplicate_note,omitempty"`
	History         []actionView   `json:"history"`
	Version         int64          `json:"version"`
	CreatedAt       time.Time      `json:"created_at"`
	UpdatedAt       time.Time      `json:"updated_at"`
	// Assessment is given in lists asked with ?assess=true only.
	Assessment *assessmentView `json:"assessment,omitempty"`
}

// reasonText shows a reason; system reasons are catalogue keys.
func reasonText(lang i18n.Lang, r string) string {
	if r != "" && i18n.Has(r) {
		return i18n.T(lang, r)
	}
	return r
}

func viewApplication(lang i18n.Lang, rec store.Record, showName bool) applicationView {
	a := rec.App
	name, filer := domain.MaskName(rec.ApplicantName), domain.MaskName(rec.FiledByName)
	if showName {
		name, filer = rec.ApplicantName, rec.FiledByName
	}
	v := applicationView{ID: a.ID, Number: a.Number, FundID: a.FundID, ProgramID: a.ProgramID, MemberID: a.MemberID,
		ApplicantUserID: a.ApplicantUserID, ApplicantName: name, FiledByName: filer, DependantID: a.DependantID, PreparedBy: a.PreparedBy, UnitID: a.UnitID,
		EventRef: a.EventRef, State: string(a.State), StateText: i18n.T(lang, "grants.state."+string(a.State)),
		RequestedAmount: int64(a.RequestedAmount), Amount: int64(a.Amount), CommittedAmount: int64(rec.CommittedAmt),
		Breakdown: viewBreakdown(lang, a.Breakdown), Documents: a.AttachedDocuments(), Files: []fileView{}, Form: formView(rec.Form), Recurring: a.Recurring,
		Round: a.Round, Reason: reasonText(lang, a.Reason), DuplicateNote: a.DuplicateNote, Version: a.Version,
		CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt, DuplicateFlags: []flagView{}, History: []actionView{}}
	v.ProgramName = rec.ProgramNameZH
	if lang == i18n.EN && rec.ProgramNameEN != "" {
		v.ProgramName = rec.ProgramNameEN
	}
	if v.Documents == nil {
		v.Documents = []string{}
	}
	for _, d := range rec.Files {
		v.Files = append(v.Files, viewFile(d))
	}
	for _, f := range a.DuplicateFlags {
		v.DuplicateFlags = append(v.DuplicateFlags, flagView(f))
	}
	for _, x := range a.Actions {
		actor := rec.ActorNames[x.Actor]
		// the applying side's steps carry the one name the application
		// shows for them, not the account's display name
		switch {
		case x.Actor == a.ApplicantUserID && !a.FiledByOther() && name != "":
			actor = name
		case x.Actor == a.PreparedBy && a.FiledByOther() && filer != "":
			actor = filer
		}
		v.History = append(v.History, actionView{Round: x.Round, Step: string(x.Step), Actor: x.Actor, ActorName: actor,
			At: x.At, Reason: reasonText(lang, x.Reason)})
	}
	return v
}

// formBody is the applicant's form, in requests and responses.
type formBody struct {
	Category        string   `json:"category,omitempty"`
	IncomePerCapita *int64   `json:"income_per_capita,omitempty"`
	MonthlyWage     int64    `json:"monthly_wage,omitempty"`
	Honours         []string `json:"honours,omitempty"`
	EventDate       string   `json:"event_date,omitempty"`
	Grade           int      `json:"grade,omitempty"`
	Cause           string   `json:"cause,omitempty"`
}

func formView(f domain.Form) formBody {
	b := formBody{Category: string(f.Category), MonthlyWage: int64(f.MonthlyWage), Grade: f.Grade, Cause: string(f.Cause)}
	if f.IncomePerCapita != nil {
		v := int64(*f.IncomePerCapita)
		b.IncomePerCapita = &v
	}
	for _, h := range f.Honours {
		b.Honours = append(b.Honours, string(h))
	}
	if f.EventDate != nil {
		b.EventDate = f.EventDate.Format(time.DateOnly)
	}
	return b
}

// assessmentView is GET /applications/{id}/assessment's answer.
type assessmentView struct {
	Eligible      bool            `json:"eligible"`
	Criteria      []criterionView `json:"criteria"`
	Amount        *int64          `json:"amount,omitempty"`
	Breakdown     *breakdownView  `json:"breakdown,omitempty"`
	AmountProblem string          `json:"amount_problem,omitempty"`
}

type criterionView struct {
	Code string `json:"code"`
	Text string `json:"text"`
	Met  bool   `json:"met"`
}

type fundView struct {
	ID            string `json:"id"`
	FiscalYear    int    `json:"fiscal_year"`
	Name          string `json:"name"`
	Appropriation int64  `json:"appropriation"`
	Committed     int64  `json:"committed"`
	Disbursed     int64  `json:"disbursed"`
	Remaining     int64  `json:"remaining"`
	Version       int64  `json:"version"`
}

func viewFund(f domain.Fund) fundView {
	return fundView{ID: f.ID, FiscalYear: f.FiscalYear, Name: f.Name, Appropriation: int64(f.Appropriation), Committed: int64(f.Committed),
		Disbursed: int64(f.Disbursed), Remaining: int64(f.Remaining()), Version: f.Version}
}

type programView struct {
	ID                string             `json:"id"`
	FundID            string             `json:"fund_id"`
	Code              string             `json:"code"`
	NameZH            string             `json:"name_zh"`
	NameEN            string             `json:"name_en"`
	Kind              string             `json:"kind"`
	Allocation        int64              `json:"allocation"`
	Committed         int64              `json:"committed"`
	Disbursed         int64              `json:"disbursed"`
	Remaining         int64              `json:"remaining"`
	Eligibility       domain.Eligibility `json:"eligibility"`
	AmountRule        amountRuleBody     `json:"amount_rule"`
	RequiredDocuments []string           `json:"required_documents"`
	// FormFields are the questions the programme's application form asks
	// (its kind and rules decide); the service refuses answers to others.
	FormFields        []string `json:"form_fields"`
	DualApprovalAbove int64    `json:"dual_approval_above"`
	Recurring         bool     `json:"recurring"`
	Active            bool     `json:"active"`
	Version           int64    `json:"version"`
}

// amountRuleBody is a program's amount rule in requests and responses.
type amountRuleBody struct {
	Kind       string  `json:"kind"`
	Fixed      int64   `json:"fixed,omitempty"`
	ByGrade    []int64 `json:"by_grade,omitempty"`
	Cap        int64   `json:"cap,omitempty"`
	Calculator string  `json:"calculator,omitempty"`
}

func viewProgram(p domain.Program) programView {
	r := amountRuleBody{Kind: string(p.Amount.Kind), Fixed: int64(p.Amount.Fixed), Cap: int64(p.Amount.Cap), Calculator: string(p.Amount.Calculator)}
	if p.Amount.Kind == domain.AmountByGrade {
		for _, a := range p.Amount.ByGrade {
			r.ByGrade = append(r.ByGrade, int64(a))
		}
	}
	docs := p.RequiredDocuments
	if docs == nil {
		docs = []string{}
	}
	fields := []string{}
	for _, f := range p.FormFields() {
		fields = append(fields, string(f))
	}
	return programView{FormFields: fields, ID: p.ID, FundID: p.FundID, Code: p.Code, NameZH: p.NameZH, NameEN: p.NameEN, Kind: string(p.Kind),
		Allocation: int64(p.Allocation), Committed: int64(p.Committed), Disbursed: int64(p.Disbursed), Remaining: int64(p.Remaining()),
		Eligibility: p.Eligibility, AmountRule: r, RequiredDocuments: docs, DualApprovalAbove: int64(p.Approval.DualAbove),
		Recurring: p.Recurring, Active: p.Active, Version: p.Version}
}

type lineView struct {
	AccountCode   string `json:"account_code"`
	Debit         int64  `json:"debit"`
	Credit        int64  `json:"credit"`
	ProgramID     string `json:"program_id,omitempty"`
	ApplicationID string `json:"application_id,omitempty"`
}

type entryView struct {
	ID         string     `json:"id"`
	Voucher    string     `json:"voucher"`
	FiscalYear int        `json:"fiscal_year"`
	VoucherNo  int64      `json:"voucher_no"`
	Date       string     `json:"date"`
	Kind       string     `json:"kind"`
	Summary    string     `json:"summary"`
	ReversalOf string     `json:"reversal_of,omitempty"`
	CreatedBy  string     `json:"created_by"`
	Lines      []lineView `json:"lines"`
}

func viewEntry(e domain.Entry) entryView {
	v := entryView{ID: e.ID, Voucher: domain.Voucher(e.FiscalYear, e.VoucherNo), FiscalYear: e.FiscalYear, VoucherNo: e.VoucherNo,
		Date: e.Date.Format(time.DateOnly), Kind: string(e.Kind), Summary: e.Summary, ReversalOf: e.ReversalOf, CreatedBy: e.CreatedBy}
	for _, l := range e.Lines {
		v.Lines = append(v.Lines, lineView{AccountCode: l.AccountCode, Debit: int64(l.Debit), Credit: int64(l.Credit), ProgramID: l.ProgramID, ApplicationID: l.ApplicationID})
	}
	return v
}

type noticeView struct {
	ID          string `json:"id"`
	ProgramID   string `json:"program_id"`
	MemberID    string `json:"member_id"`
	DependantID string `json:"dependant_id,omitempty"`
	UnitID      string `json:"unit_id"`
	EventRef    string `json:"event_ref"`
	Grade       int    `json:"grade,omitempty"`
	Cause       string `json:"cause,omitempty"`
	EventDate   string `json:"event_date,omitempty"`
	State       string `json:"state"`
	CreatedAt   string `json:"created_at"`
}

func viewNotice(n domain.Notice) noticeView {
	v := noticeView{ID: n.ID, ProgramID: n.ProgramID, MemberID: n.MemberID, DependantID: n.DependantID, UnitID: n.UnitID, EventRef: n.EventRef,
		Grade: n.Grade, Cause: string(n.Cause), State: string(n.State), CreatedAt: n.CreatedAt.Format(time.RFC3339)}
	if !n.EventDate.IsZero() {
		v.EventDate = n.EventDate.Format(time.DateOnly)
	}
	return v
}

type exportView struct {
	ID          string `json:"id"`
	Format      string `json:"format"`
	State       string `json:"state"`
	RowsDone    int64  `json:"rows_done"`
	RowsTotal   int64  `json:"rows_total"`
	Bytes       int64  `json:"bytes"`
	Error       string `json:"error,omitempty"`
	DownloadURL string `json:"download_url,omitempty"`
	// FileName is what the download is named: what it holds and its dates.
	FileName  string `json:"file_name,omitempty"`
	CreatedAt string `json:"created_at"`
}

func viewExport(lang i18n.Lang, j store.ExportJob) exportView {
	v := exportView{ID: j.ID, Format: j.Format, State: j.State, RowsDone: j.RowsDone, RowsTotal: j.RowsTotal, Bytes: j.Bytes,
		CreatedAt: j.CreatedAt.UTC().Format(time.RFC3339)}
	if j.ErrorCode != "" {
		v.Error = i18n.T(lang, j.ErrorCode)
	}
	if j.State == "done" {
		v.DownloadURL = "/api/v1/grants/exports/" + j.ID + "/download"
	}
	return v
}

// i18nT localizes a catalogue key.
func i18nT(lang i18n.Lang, key string, args ...any) string { return i18n.T(lang, key, args...) }

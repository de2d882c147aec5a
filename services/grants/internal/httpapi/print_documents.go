package httpapi

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/pkg/pdfdoc"
	"github.com/anxin-welfare/anxin/services/grants/internal/domain"
	"github.com/anxin-welfare/anxin/services/grants/internal/store"
)

// Printed documents: the approval sheet of an application, the voucher of
// a ledger entry and a fund's disbursement list for the bank. Each is read
// under the same rule as the object's JSON route, so whoever may see the
// object may print it and nobody else (404); each print is audited with
// what it showed in full.

// registerPrints adds the print routes to g.
func (a *API) registerPrints(g gin.IRouter) {
	g.GET("/applications/:id/approval-sheet.pdf", a.printApprovalSheet)
	g.GET("/entries/:id/voucher.pdf", a.printVoucher)
	g.GET("/funds/:id/disbursements.pdf", a.printDisbursements)
}

func (a *API) newDoc(c *gin.Context, titleKey, number string) (*pdfdoc.Doc, bool) {
	lang := httpx.Lang(c)
	d, err := pdfdoc.New(a.Fonts, pdfdoc.Meta{Title: i18n.T(lang, titleKey), Issuer: i18n.T(lang, "grants.pdf.issuer"), Number: number,
		PrintedAt: a.Clock.Now(), Lang: lang})
	if err != nil {
		httpx.Respond(c, pdfdoc.Problem(err))
		return nil, false
	}
	return d, true
}

// showsName is the name rule of writeApplication: the applying side and
// the unit's caseworkers in full, finance in full from approval on
// (audited with the print), everyone else masked.
func showsName(id auth.Identity, rec store.Record) bool {
	return isApplicant(id, rec) || (id.Has(auth.RoleCaseworker) && id.InUnit(rec.App.UnitID)) ||
		(id.Has(auth.RoleFinance) && financeState(rec.App.State))
}

func (a *API) printApprovalSheet(c *gin.Context) {
	rec, ok := a.loadVisible(c)
	if !ok {
		return
	}
	app, lang := rec.App, httpx.Lang(c)
	show := showsName(auth.Current(c), rec)
	names := "masked"
	if show {
		names = "full"
	}
	d, ok := a.newDoc(c, "grants.pdf.approval.title", app.Number)
	if !ok {
		return
	}
	if err := a.Store.AuditPrint(c.Request.Context(), meta(c), "approval_sheet", "application", app.ID, map[string]any{"number": app.Number, "names": names}); err != nil {
		fail(c, err) // no audit, no paper
		return
	}
	v := viewApplication(lang, rec, show)
	t := d.T
	d.Heading(t("grants.pdf.approval.application"))
	fields := []pdfdoc.Field{
		{Label: t("grants.pdf.number"), Value: app.Number}, {Label: t("grants.pdf.state"), Value: v.StateText},
		{Label: t("grants.pdf.program"), Value: v.ProgramName, Wide: true},
		// the service knows units by id only: no unit row rather than a uuid on paper
		{Label: t("grants.pdf.applicant"), Value: v.ApplicantName},
	}
	if v.FiledByName != "" {
		fields = append(fields, pdfdoc.Field{Label: t("grants.pdf.filed_by"), Value: v.FiledByName})
	}
	fields = append(fields,
		pdfdoc.Field{Label: t("grants.pdf.submitted_on"), Value: localDate(firstStep(app, domain.StepSubmit))},
		pdfdoc.Field{Label: t("grants.pdf.requested"), Value: pdfdoc.Yuan(int64(app.RequestedAmount))},
		pdfdoc.Field{Label: t("grants.pdf.amount"), Value: amountWords(lang, app.Amount, app.Recurring)},
	)
	if app.EventRef != "" {
		fields = append(fields, pdfdoc.Field{Label: t("grants.pdf.event"), Value: eventWords(t, app.EventRef), Wide: true})
	}
	d.Fields(fields...)

	if b := app.Breakdown; b != nil && len(b.Items) > 0 {
		d.Heading(t("grants.pdf.approval.calculation"))
		w := pdfdoc.ContentWidth
		cols := []pdfdoc.Column{{Title: t("grants.pdf.item"), Width: w * 0.28}, {Title: t("grants.pdf.basis"), Width: w * 0.24},
			{Title: t("grants.pdf.rate"), Width: w * 0.12, Align: "C"}, {Title: t("grants.pdf.item_amount"), Width: w * 0.16, Align: "R"},
			{Title: t("grants.pdf.citation"), Width: w * 0.20}}
		rows := make([][]string, 0, len(b.Items)+1)
		for _, it := range v.Breakdown.Items {
			rows = append(rows, []string{it.Text, it.BasisText + " " + pdfdoc.Yuan(it.BasisAmount), ratio(it.Num, it.Den), pdfdoc.Yuan(it.Amount), it.Citation})
		}
		rows = append(rows, []string{t("grants.pdf.total"), "", "", pdfdoc.Yuan(int64(b.Total)), pdfdoc.Capital(int64(b.Total))})
		d.Table(cols, rows)
	}

	d.Heading(t("grants.pdf.approval.history"))
	w := pdfdoc.ContentWidth
	rows := make([][]string, 0, len(v.History))
	for _, h := range v.History {
		rows = append(rows, []string{strconv.Itoa(h.Round), t("grants.pdf.step." + h.Step), h.ActorName, localTime(h.At), h.Reason})
	}
	d.Table([]pdfdoc.Column{{Title: t("grants.pdf.round"), Width: w * 0.08, Align: "C"}, {Title: t("grants.pdf.step"), Width: w * 0.18},
		{Title: t("grants.pdf.actor"), Width: w * 0.18}, {Title: t("grants.pdf.at"), Width: w * 0.22}, {Title: t("grants.pdf.opinion"), Width: w * 0.34}}, rows)

	sigs := []pdfdoc.Signature{{Role: t("grants.pdf.sign.review")}}
	approvals := 0
	for _, h := range v.History {
		if h.Round != app.Round {
			continue
		}
		switch domain.Step(h.Step) {
		case domain.StepReview:
			sigs[0].Name, sigs[0].Date = h.ActorName, localDate(h.At)
		case domain.StepCommitteeApproval:
			approvals++
			sigs = append(sigs, pdfdoc.Signature{Role: t("grants.pdf.sign.approve", approvals), Name: h.ActorName, Date: localDate(h.At)})
		}
	}
	if approvals == 0 {
		sigs = append(sigs, pdfdoc.Signature{Role: t("grants.pdf.sign.approve", 1)})
	}
	d.Signatures(sigs, t("grants.pdf.seal"))
	pdfdoc.Write(c, d, t("grants.pdf.approval.file", app.Number), "approval-sheet-"+app.Number+".pdf")
}

// printVoucher prints a ledger entry as a 记账凭证: finance, auditors and
// admins, as the ledger.
func (a *API) printVoucher(c *gin.Context) {
	if !canSeeLedger(auth.Current(c)) {
		fail(c, store.ErrNotFound)
		return
	}
	e, fundID, err := a.Store.Entry(c.Request.Context(), c.Param("id"))
	if err != nil {
		fail(c, err)
		return
	}
	chart, err := a.Store.Chart(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	lang := httpx.Lang(c)
	names := make(map[string]string, len(chart))
	for _, acc := range chart {
		names[acc.Code] = acc.NameZH
		if lang == i18n.EN && acc.NameEN != "" {
			names[acc.Code] = acc.NameEN
		}
	}
	voucher := domain.Voucher(e.FiscalYear, e.VoucherNo)
	d, ok := a.newDoc(c, "grants.pdf.voucher.title", voucher)
	if !ok {
		return
	}
	if err := a.Store.AuditPrint(c.Request.Context(), meta(c), "voucher", "entry", e.ID, map[string]any{"voucher": voucher, "fund_id": fundID}); err != nil {
		fail(c, err)
		return
	}
	t := d.T
	fields := []pdfdoc.Field{{Label: t("grants.pdf.voucher.no"), Value: voucher}, {Label: t("grants.pdf.voucher.date"), Value: e.Date.Format(time.DateOnly)},
		{Label: t("grants.pdf.voucher.kind"), Value: t("grants.pdf.kind." + string(e.Kind))}, {Label: t("grants.pdf.voucher.fiscal_year"), Value: strconv.Itoa(e.FiscalYear)},
		{Label: t("grants.pdf.voucher.summary"), Value: e.Summary, Wide: true}}
	if e.ReversalOf != "" {
		fields = append(fields, pdfdoc.Field{Label: t("grants.pdf.voucher.reverses"), Value: e.ReversalOf, Wide: true})
	}
	d.Fields(fields...)
	w := pdfdoc.ContentWidth
	cols := []pdfdoc.Column{{Title: t("grants.pdf.voucher.summary"), Width: w * 0.30}, {Title: t("grants.pdf.voucher.account"), Width: w * 0.34},
		{Title: t("grants.pdf.voucher.debit"), Width: w * 0.18, Align: "R"}, {Title: t("grants.pdf.voucher.credit"), Width: w * 0.18, Align: "R"}}
	rows := make([][]string, 0, len(e.Lines)+1)
	for _, l := range e.Lines {
		rows = append(rows, []string{e.Summary, l.AccountCode + " " + names[l.AccountCode], fenOrBlank(l.Debit), fenOrBlank(l.Credit)})
	}
	debit, credit, err := e.Totals()
	if err != nil {
		fail(c, err)
		return
	}
	rows = append(rows, []string{t("grants.pdf.total"), t("grants.pdf.capital", pdfdoc.Capital(int64(debit))), pdfdoc.Yuan(int64(debit)), pdfdoc.Yuan(int64(credit))})
	d.Table(cols, rows)
	d.Note(t("grants.pdf.voucher.attachments"))
	d.Signatures([]pdfdoc.Signature{{Role: t("grants.pdf.sign.chief")}, {Role: t("grants.pdf.sign.bookkeeper")}, {Role: t("grants.pdf.sign.checker")},
		{Role: t("grants.pdf.sign.preparer")}}, "")
	pdfdoc.Write(c, d, t("grants.pdf.voucher.file", voucher), fmt.Sprintf("voucher-%d-%06d.pdf", e.FiscalYear, e.VoucherNo))
}

// printDisbursements prints the grants a fund paid on one day (?date=,
// default today in Asia/Shanghai) as the list finance hands the bank: the
// payees' names in full, since the bank pays by name, which is why only
// the ledger's readers may print it and why every print is audited.
func (a *API) printDisbursements(c *gin.Context) {
	if !canSeeLedger(auth.Current(c)) {
		fail(c, store.ErrNotFound)
		return
	}
	today := clock.Today(a.Clock)
	day, ok := parseDate(c.Query("date"), today)
	if !ok || day.After(today) {
		fail(c, invalidDate("date"))
		return
	}
	fund, err := a.Store.Fund(c.Request.Context(), nil, c.Param("id"))
	if err != nil {
		fail(c, err)
		return
	}
	lang := httpx.Lang(c)
	from := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, clock.Shanghai)
	pays, err := a.Store.PaymentsOn(c.Request.Context(), fund.ID, from, from.AddDate(0, 0, 1), lang == i18n.EN)
	if err != nil {
		fail(c, err)
		return
	}
	date := day.Format(time.DateOnly)
	number := "DL-" + day.Format("20060102")
	d, ok := a.newDoc(c, "grants.pdf.payments.title", number)
	if !ok {
		return
	}
	numbers := make([]string, len(pays))
	var total money.Fen
	for i, p := range pays {
		numbers[i] = p.ApplicationNo
		if total, err = money.Add(total, p.Amount); err != nil {
			fail(c, err)
			return
		}
	}
	if err := a.Store.AuditPrint(c.Request.Context(), meta(c), "disbursement_list", "fund", fund.ID,
		map[string]any{"date": date, "applications": numbers, "names": "full"}); err != nil {
		fail(c, err)
		return
	}
	t := d.T
	d.Fields(pdfdoc.Field{Label: t("grants.pdf.payments.fund"), Value: fund.Name}, pdfdoc.Field{Label: t("grants.pdf.payments.date"), Value: date},
		pdfdoc.Field{Label: t("grants.pdf.payments.count"), Value: strconv.Itoa(len(pays))}, pdfdoc.Field{Label: t("grants.pdf.payments.total"), Value: pdfdoc.Yuan(int64(total))},
		pdfdoc.Field{Label: t("grants.pdf.payments.total_capital"), Value: pdfdoc.Capital(int64(total)), Wide: true})
	w := pdfdoc.ContentWidth
	cols := []pdfdoc.Column{{Title: t("grants.pdf.seq"), Width: w * 0.06, Align: "C"}, {Title: t("grants.pdf.number"), Width: w * 0.17},
		{Title: t("grants.pdf.payments.payee"), Width: w * 0.12}, {Title: t("grants.pdf.program"), Width: w * 0.20},
		{Title: t("grants.pdf.payments.period"), Width: w * 0.10, Align: "C"}, {Title: t("grants.pdf.item_amount"), Width: w * 0.18, Align: "R"},
		{Title: t("grants.pdf.payments.voucher"), Width: w * 0.17}}
	rows := make([][]string, 0, len(pays)+1)
	for i, p := range pays {
		rows = append(rows, []string{strconv.Itoa(i + 1), p.ApplicationNo, p.Payee, p.Program, p.Period.Format("2006-01"), pdfdoc.Yuan(int64(p.Amount)), p.Voucher})
	}
	rows = append(rows, []string{"", t("grants.pdf.total"), "", "", "", pdfdoc.Yuan(int64(total)), ""})
	d.Table(cols, rows)
	if len(pays) == 0 {
		d.Paragraph(t("grants.pdf.payments.none", date))
	}
	d.Note(t("grants.pdf.payments.note"))
	d.Signatures([]pdfdoc.Signature{{Role: t("grants.pdf.sign.handler")}, {Role: t("grants.pdf.sign.checker")}, {Role: t("grants.pdf.sign.finance_head")}},
		t("grants.pdf.seal_finance"))
	pdfdoc.Write(c, d, t("grants.pdf.payments.file", date), "disbursements-"+date+".pdf")
}

func firstStep(a domain.Application, s domain.Step) time.Time {
	for _, x := range a.Actions {
		if x.Step == s {
			return x.At
		}
	}
	return time.Time{}
}

func localDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return clock.Local(t).Format(time.DateOnly)
}

func localTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return clock.Local(t).Format("2006-01-02 15:04")
}

// ratio shows a calculator's factor: 20 (months), 35% or 3/4.
func ratio(num, den int64) string {
	switch den {
	case 1:
		return strconv.FormatInt(num, 10)
	case 100:
		return strconv.FormatInt(num, 10) + "%"
	case 0:
		return ""
	}
	return fmt.Sprintf("%d/%d", num, den)
}

func fenOrBlank(f money.Fen) string {
	if f == 0 {
		return ""
	}
	return pdfdoc.Yuan(int64(f))
}

// amountWords is the granted amount in figures and capitals, per month
// when the grant recurs.
func amountWords(lang i18n.Lang, f money.Fen, recurring bool) string {
	s := pdfdoc.Yuan(int64(f)) + "（" + pdfdoc.Capital(int64(f)) + "）"
	if recurring {
		s += i18n.T(lang, "grants.pdf.per_month")
	}
	return s
}

// eventWords names the life event an application pays for in words, for
// paper: the reference itself ("death:<member id>") means nothing to the
// person who signs. A kind without words prints as it is.
func eventWords(t func(string, ...any) string, ref string) string {
	kind, _, _ := strings.Cut(ref, ":")
	switch kind {
	case "death", "injury_case", "care-matter":
		return t("grants.pdf.event." + strings.ReplaceAll(kind, "-", "_"))
	}
	return ref
}

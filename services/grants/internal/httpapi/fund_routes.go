package httpapi

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/pkg/plausible"
	"github.com/anxin-welfare/anxin/services/grants/internal/domain"
	"github.com/anxin-welfare/anxin/services/grants/internal/store"
)

// ---- funds and their ledger: position, trial balance, entries ----

type fundBody struct {
	FiscalYear    int    `json:"fiscal_year"`
	Name          string `json:"name"`
	Appropriation int64  `json:"appropriation"`
}

func (a *API) createFund(c *gin.Context) {
	var b fundBody
	if err := httpx.BindJSON(c, &b); err != nil {
		fail(c, err)
		return
	}
	var fields []fielderr.Problem
	if b.FiscalYear < 2000 || b.FiscalYear > 2999 {
		fields = append(fields, fielderr.Problem{Field: "fiscal_year", Code: domain.CodeOutOfRange, Args: []any{2000, 2999}})
	}
	if strings.TrimSpace(b.Name) == "" {
		fields = append(fields, fielderr.Problem{Field: "name", Code: domain.CodeRequired})
	} else if len([]rune(b.Name)) > domain.MaxNameLen {
		fields = append(fields, fielderr.Problem{Field: "name", Code: domain.CodeTooLong, Args: []any{domain.MaxNameLen}})
	}
	if b.Appropriation < 0 {
		fields = append(fields, fielderr.Problem{Field: "appropriation", Code: domain.CodeNegative})
	}
	if len(fields) > 0 {
		fail(c, httpx.Invalid(fields...))
		return
	}
	f, err := a.Store.CreateFund(c.Request.Context(), meta(c), domain.Fund{FiscalYear: b.FiscalYear, Name: strings.TrimSpace(b.Name), Appropriation: money.Fen(b.Appropriation)})
	if err != nil {
		fail(c, err)
		return
	}
	httpx.SetETag(c, f.Version)
	c.JSON(http.StatusCreated, viewFund(f))
}

func (a *API) listFunds(c *gin.Context) {
	pr, err := page.FromQuery(c.Request.URL.Query())
	if err != nil {
		fail(c, err)
		return
	}
	fs, next, err := a.Store.FundsPage(c.Request.Context(), pr)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]fundView, len(fs))
	for i, f := range fs {
		out[i] = viewFund(f)
	}
	c.JSON(http.StatusOK, gin.H{"items": out, "next": next})
}

// getFund: the fund's money is ledger data; others get 404.
func (a *API) getFund(c *gin.Context) {
	if !canSeeLedger(auth.Current(c)) {
		fail(c, store.ErrNotFound)
		return
	}
	f, err := a.Store.Fund(c.Request.Context(), nil, c.Param("id"))
	if err != nil {
		fail(c, err)
		return
	}
	httpx.SetETag(c, f.Version)
	c.JSON(http.StatusOK, viewFund(f))
}

func (a *API) asOf(c *gin.Context) (time.Time, bool) {
	today := clock.Today(a.Clock)
	t, ok := parseDate(c.Query("as_of"), today)
	if !ok {
		fail(c, invalidDate("as_of"))
		return t, false
	}
	// The ledger's plausible range, as for an export's period: a typo
	// such as 0026 is named, not answered with an empty position.
	if rg := plausible.Ledger(today); !rg.Contains(t) {
		fail(c, httpx.Invalid(fielderr.Problem{Field: "as_of", Code: plausible.Code, Args: rg.Args()}))
		return t, false
	}
	return t, true
}

func (a *API) fundPosition(c *gin.Context) {
	if !canSeeLedger(auth.Current(c)) {
		fail(c, store.ErrNotFound)
		return
	}
	asOf, ok := a.asOf(c)
	if !ok {
		return
	}
	ps, err := a.Store.Position(c.Request.Context(), c.Param("id"), asOf)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"as_of": asOf.Format(time.DateOnly), "fund": ps[0], "programs": ps[1:]})
}

type balanceRowView struct {
	Code string `json:"code"`
	Name string `json:"name"`
	// NormalSide is the side (debit 借, credit 贷) Balance is positive on.
	NormalSide string `json:"normal_side"`
	Debit      int64  `json:"debit"`
	Credit     int64  `json:"credit"`
	Balance    int64  `json:"balance"`
}

func (a *API) trialBalance(c *gin.Context) {
	if !canSeeLedger(auth.Current(c)) {
		fail(c, store.ErrNotFound)
		return
	}
	asOf, ok := a.asOf(c)
	if !ok {
		return
	}
	if _, err := a.Store.Fund(c.Request.Context(), nil, c.Param("id")); err != nil {
		fail(c, err)
		return
	}
	tb, err := a.Store.TrialBalance(c.Request.Context(), c.Param("id"), c.Query("program_id"), asOf)
	if err != nil {
		fail(c, err)
		return
	}
	en := httpx.Lang(c) == i18n.EN
	rows := make([]balanceRowView, 0, len(tb.Rows))
	for _, r := range tb.Rows {
		name := r.Account.NameZH
		if en && r.Account.NameEN != "" {
			name = r.Account.NameEN
		}
		rows = append(rows, balanceRowView{Code: r.Account.Code, Name: name, NormalSide: string(r.Account.NormalSide()), Debit: int64(r.Debit), Credit: int64(r.Credit), Balance: int64(r.Balance)})
	}
	c.JSON(http.StatusOK, gin.H{"as_of": asOf.Format(time.DateOnly), "rows": rows, "total_debit": int64(tb.TotalDebit),
		"total_credit": int64(tb.TotalCredit), "balanced": tb.Balanced()})
}

func (a *API) listEntries(c *gin.Context) {
	if !canSeeLedger(auth.Current(c)) {
		fail(c, store.ErrNotFound)
		return
	}
	today := clock.Today(a.Clock)
	from, ok1 := parseDate(c.Query("from"), plausible.EarliestLedger)
	to, ok2 := parseDate(c.Query("to"), today)
	var fields []fielderr.Problem
	if !ok1 {
		fields = append(fields, fielderr.Problem{Field: "from", Code: "grants.field.invalid_date"})
	}
	if !ok2 {
		fields = append(fields, fielderr.Problem{Field: "to", Code: "grants.field.invalid_date"})
	}
	if len(fields) == 0 {
		fields = withProblems(fields, domain.ValidatePeriod(from, to, today))
	}
	if len(fields) > 0 {
		fail(c, httpx.Invalid(fields...))
		return
	}
	pr, err := page.FromQuery(c.Request.URL.Query())
	if err != nil {
		fail(c, err)
		return
	}
	var after store.EntryKey
	ok, err := pr.Decode(&after.Date, &after.ID)
	if err != nil {
		fail(c, err)
		return
	}
	f := store.EntryFilter{FundID: c.Param("id"), ProgramID: c.Query("program_id"), From: from, To: to, Limit: pr.Fetch()}
	if ok {
		f.After = &after
	}
	es, err := a.Store.Entries(c.Request.Context(), f)
	if err != nil {
		fail(c, err)
		return
	}
	es, next := page.Trim(pr, es, func(e domain.Entry) string {
		k := store.KeyOf(e)
		return page.Cursor(k.Date, k.ID)
	})
	out := make([]entryView, len(es))
	for i, e := range es {
		out[i] = viewEntry(e)
	}
	c.JSON(http.StatusOK, gin.H{"items": out, "next": next})
}

// reverseEntry: only finance books reversals; anyone else sees no entry.
// maxReversalReason bounds the reason a reversal's summary carries.
const maxReversalReason = 200

// reverseEntry books the reversal of an entry, finance only, with the
// reason it is corrected: the reversing entry's summary says why.
func (a *API) reverseEntry(c *gin.Context) {
	if !auth.Current(c).Has(auth.RoleFinance) {
		fail(c, store.ErrNotFound)
		return
	}
	var b struct {
		Reason string `json:"reason"`
	}
	if err := httpx.BindJSON(c, &b); err != nil {
		fail(c, err)
		return
	}
	reason := strings.TrimSpace(b.Reason)
	switch {
	case reason == "":
		fail(c, httpx.Invalid(fielderr.Problem{Field: "reason", Code: domain.CodeRequired}))
		return
	case len([]rune(reason)) > maxReversalReason:
		fail(c, httpx.Invalid(fielderr.Problem{Field: "reason", Code: domain.CodeTooLong, Args: []any{maxReversalReason}}))
		return
	}
	e, err := a.Store.Reverse(c.Request.Context(), meta(c), c.Param("id"), reason)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, viewEntry(e))
}

func (a *API) listAccounts(c *gin.Context) {
	pr, err := page.FromQuery(c.Request.URL.Query())
	if err != nil {
		fail(c, err)
		return
	}
	ch, next, err := a.Store.ChartPage(c.Request.Context(), pr)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": ch, "next": next})
}

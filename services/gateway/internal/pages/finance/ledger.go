package finance

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	grantsapi "github.com/anxin-welfare/anxin/api/client/grants"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// The ledger of a fund with its filters, and finance's reversal of an
// entry.

// ledgerEntry is one entry of the ledger as the page shows it.
type ledgerEntry struct {
	ID, Voucher, Date, Kind, Summary string
	// ReversalOf is the entry a reversal reverses.
	ReversalOf string
	Lines      []ledgerLine
}

// ledgerLine is one line of an entry: an account debited or credited.
type ledgerLine struct {
	AccountCode   string
	Debit, Credit int64
}

func entryOf(e grantsapi.Entry) ledgerEntry {
	out := ledgerEntry{ID: webkit.Deref(e.Id), Voucher: webkit.Deref(e.Voucher), Date: day(e.Date), Kind: string(webkit.Deref(e.Kind)), Summary: webkit.Deref(e.Summary), ReversalOf: webkit.Deref(e.ReversalOf)}
	for _, l := range webkit.Deref(e.Lines) {
		out.Lines = append(out.Lines, ledgerLine{AccountCode: webkit.Deref(l.AccountCode), Debit: int64(webkit.Deref(l.Debit)), Credit: int64(webkit.Deref(l.Credit))})
	}
	return out
}

type ledgerData struct {
	Funds    []fund
	Fund     *fund
	Entries  []ledgerEntry
	From, To string
	Program  string
	Programs map[string]string
	Next     string
	// Accounts names the chart's accounts by code, in the page's language.
	Accounts map[string]string
	// CanReverse offers finance the reversal of each entry.
	CanReverse bool
	// Reversed marks the entries reversed on the page.
	Reversed map[string]bool
	// Confirm is the confirmation card of a reversal.
	Confirm *webkit.ConfirmCard
}

func (a *area) ledgerPage(c *gin.Context) {
	var flash *web.Message
	if v := c.Query("reversed"); v != "" {
		flash = webkit.Flash("web.confirm.reversed", v)
	}
	a.renderLedger(c, http.StatusOK, c.Query("fund"), flash, nil, "", nil)
}

// reasonMax is the longest reversal reason, in characters.
const reasonMax = 200

// reverseEntry reverses a ledger entry (POST /api/v1/grants/entries/{id}/
// reverse), finance only. The first press shows the ledger with a card
// saying what the reversal books and asking the reason; nothing changes.
// The second, with confirm=yes and a reason, books it and shows the
// ledger with the reversing entry's voucher. The reason is checked here
// (required, at most 200 characters) before the service decides.
func (a *area) reverseEntry(c *gin.Context) {
	id := c.Param("id")
	fund := strings.TrimSpace(c.PostForm("fund"))
	reason := strings.TrimSpace(c.PostForm("reason"))
	form := web.NewForm().Set("reason", c.PostForm("reason"))
	if !webkit.Confirmed(c) {
		a.renderLedger(c, http.StatusOK, fund, nil, nil, id, web.NewForm())
		return
	}
	switch {
	case reason == "":
		form.AddError("reason", web.Msg("field.required"))
	case utf8.RuneCountInString(reason) > reasonMax:
		form.AddError("reason", web.Msg("web.confirm.reason_long"))
	}
	if form.HasErrors() {
		a.renderLedger(c, http.StatusUnprocessableEntity, fund, nil, nil, id, form)
		return
	}
	api, err := a.Grants(c)
	var r *grantsapi.ReverseEntryResponse
	if err == nil {
		r, err = api.ReverseEntryWithResponse(c.Request.Context(), id, grantsapi.ReverseEntryJSONRequestBody{Reason: reason})
	}
	if err == nil && r.JSON201 == nil {
		err = webkit.ErrUnexpected
	}
	if err != nil {
		if !webkit.ProblemOnForm(err, form, nil) {
			a.ServiceFailed(c, err)
			return
		}
		if len(form.Errors("reason")) > 0 {
			a.renderLedger(c, webkit.StatusOf(err), fund, nil, nil, id, form)
			return
		}
		alert := web.Msg("web.approvals.refused")
		if g := webkit.Messages(form); len(g) > 0 {
			alert = g[0]
		}
		a.renderLedger(c, webkit.StatusOf(err), fund, nil, &alert, "", nil)
		return
	}
	q := url.Values{"reversed": {webkit.Deref(r.JSON201.Voucher)}}
	if fund != "" {
		q.Set("fund", fund)
	}
	c.Redirect(http.StatusSeeOther, "/finance/ledger?"+q.Encode())
}

// renderLedger shows fund's ledger as the query filters it; reverse, when
// not "", is the entry whose reversal the page asks to confirm, with form
// the reason typed and its errors.
func (a *area) renderLedger(c *gin.Context, status int, fundID string, flash, alert *web.Message, reverse string, form *web.Form) {
	funds, fund, ok := a.fundByID(c, fundID)
	if !ok {
		return
	}
	d := ledgerData{Funds: funds, Fund: fund, From: c.Query("from"), To: c.Query("to"), Program: c.Query("program"),
		CanReverse: a.User(c).Has(domain.RoleFinance), Reversed: map[string]bool{}}
	if fund != nil {
		// The programme and account names do not depend on the page: they
		// are asked for while the entries are, so the page waits for the
		// slowest call, not for the sum of three.
		var (
			wg                 sync.WaitGroup
			programs, accounts map[string]string
		)
		wg.Go(func() { programs = a.programNames(c, fund.ID) })
		wg.Go(func() { accounts = a.accountNames(c) })
		entries, next, ok := a.entries(c, fund.ID, d)
		wg.Wait()
		if !ok {
			return
		}
		d.Entries, d.Next, d.Programs, d.Accounts = entries, next, programs, accounts
		for _, e := range entries {
			if e.ReversalOf != "" {
				d.Reversed[e.ReversalOf] = true
			}
		}
	}
	if reverse != "" {
		d.Confirm = &webkit.ConfirmCard{Text: web.Msg("web.confirm.reverse_unlisted"), Action: "/finance/ledger/entries/" + url.PathEscape(reverse) + "/reverse",
			Button: "web.confirm.reverse_button", Back: "/finance/ledger", Reason: true}
		for _, e := range d.Entries {
			if e.ID == reverse {
				d.Confirm.Text = web.Msg("web.confirm.reverse", e.Voucher, e.Date, e.Summary)
			}
		}
		if fund != nil {
			d.Confirm.Hidden = []webkit.HiddenField{{Name: "fund", Value: fund.ID}}
			d.Confirm.Back += "?fund=" + url.QueryEscape(fund.ID)
		}
	}
	p := a.Page(c, "web.finance.ledger")
	p.Data, p.Flash, p.Alert, p.Form = d, flash, alert, form
	a.Render(c, status, "ledger", p)
}

// ledgerPageSize is the entries the ledger shows at a time: a screen or
// two of vouchers (about three lines each), with a link to the next. The
// page's cost is its rows: drawing 200 entries' 600 lines took about 50 ms
// of CPU, which at 8 clients on two cores put p50 over 200 ms.
const ledgerPageSize = 50

// entries is a page of the fund's ledger as d's filters and the query's
// cursor ask; false means the error page was drawn. A filter the service
// would refuse (a day that is none, a programme id that is none) is
// refused here as the service would: the 400 page.
func (a *area) entries(c *gin.Context, fundID string, d ledgerData) ([]ledgerEntry, string, bool) {
	limit := ledgerPageSize
	params := grantsapi.ListEntriesParams{Limit: &limit}
	var bad, ok bool
	if dateOnly.MatchString(d.From) {
		params.From, ok = dateOf(d.From)
		bad = !ok
	}
	if dateOnly.MatchString(d.To) {
		params.To, ok = dateOf(d.To)
		bad = bad || !ok
	}
	if d.Program != "" {
		id, err := uuid.Parse(d.Program)
		params.ProgramId, bad = &id, bad || err != nil
	}
	if after := c.Query("after"); after != "" {
		params.After = &after // the service's cursor, passed on as it is
	}
	if bad {
		a.ErrorPage(c, http.StatusBadRequest, "web.error.400")
		return nil, "", false
	}
	api, err := a.Grants(c)
	var r *grantsapi.ListEntriesResponse
	if err == nil {
		r, err = api.ListEntriesWithResponse(c.Request.Context(), fundID, &params)
	}
	if err == nil && r.JSON200 == nil {
		err = webkit.ErrUnexpected
	}
	if err != nil {
		a.ServiceFailed(c, err)
		return nil, "", false
	}
	var out []ledgerEntry
	for _, e := range webkit.Deref(r.JSON200.Items) {
		out = append(out, entryOf(e))
	}
	return out, webkit.Deref(r.JSON200.Next), true
}

// accountNames reads the chart of accounts, code → name in the page's
// language; without it the ledger shows codes alone.
func (a *area) accountNames(c *gin.Context) map[string]string {
	api, err := a.Grants(c)
	var chart []grantsapi.Account
	if err == nil {
		chart, err = webkit.All(func(after *string) ([]grantsapi.Account, *string, error) {
			r, err := api.ListAccountsWithResponse(c.Request.Context(), &grantsapi.ListAccountsParams{After: after, Limit: maxLimit()})
			if err != nil {
				return nil, nil, err
			}
			if r.JSON200 == nil {
				return nil, nil, webkit.ErrUnexpected
			}
			return webkit.Deref(r.JSON200.Items), r.JSON200.Next, nil
		})
	}
	if err != nil {
		a.Log.InfoContext(c, "ledger without account names", "error", err)
		return nil
	}
	out := make(map[string]string, len(chart))
	for _, acc := range chart {
		code := webkit.Deref(acc.Code)
		out[code] = webkit.Deref(acc.NameZh)
		if a.Lang(c) == "en" && webkit.Deref(acc.NameEn) != "" {
			out[code] = *acc.NameEn
		}
	}
	return out
}

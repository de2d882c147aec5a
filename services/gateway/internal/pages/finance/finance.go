package finance

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	grantsapi "github.com/anxin-welfare/anxin/api/client/grants"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// Finance pages: fund position (a server-drawn SVG chart), trial balance,
// the payments due, the export form and the run of the recurring grants;
// over the grants service (api/openapi/grants.yaml).

// trialBalance is a fund's trial balance on a day.
type trialBalance struct {
	AsOf                    string
	Rows                    []trialBalanceRow
	TotalDebit, TotalCredit int64
	Balanced                bool
}

// trialBalanceRow is one account of the trial balance. Balance is signed
// on the account's normal side (NormalSide: debit or credit).
type trialBalanceRow struct {
	Code, Name, NormalSide string
	Debit, Credit, Balance int64
}

// Side is the side the balance stands on, as a ledger prints it: the
// normal side when positive, the other when negative, "even" at zero.
func (r trialBalanceRow) Side() string {
	side := r.NormalSide
	if side != "credit" {
		side = "debit"
	}
	switch {
	case r.Balance == 0:
		return "even"
	case r.Balance < 0 && side == "debit":
		return "credit"
	case r.Balance < 0:
		return "debit"
	}
	return side
}

// Amount is the balance without its sign: Side says where it stands.
func (r trialBalanceRow) Amount() int64 {
	if r.Balance < 0 {
		return -r.Balance
	}
	return r.Balance
}

// toPay is an approved application on finance's list of payments due.
type toPay struct {
	ID, Number, ProgramName, StateText string
	Amount                             int64
}

type financeData struct {
	Funds  []fund
	Fund   *fund
	AsOf   string
	Bars   []chartBar
	Height int
	// Ticks are the amount axis' marks under the bars; AxisY is where the
	// axis runs.
	Ticks []chartTick
	AxisY int
	Trial *trialBalance
	ToPay []toPay
	// ToPayPages links the to-pay list's next page (cursor in
	// topay_after); ToPayStale: its cursor was refused, the first page shows.
	ToPayPages webkit.Pager
	ToPayStale bool
	Programs   map[string]string
	From, To   string
	// Export is the export form: its values and errors.
	Export *web.Form
	// ProgramOptions are the fund's programmes for the export filter.
	ProgramOptions []web.Option
	Formats        []string
	// CanExport is true for finance, the only role the export is for
	// (POST /finance/exports); auditors and administrators read.
	CanExport bool
	// CanRunRecurring offers the run of the recurring grant payments
	// (finance and administrators).
	CanRunRecurring bool
	// Confirm is the confirmation card of that run.
	Confirm *webkit.ConfirmCard
}

func (a *area) registerFinancePages(g *gin.RouterGroup) {
	fin := a.RequireUser(domain.RoleFinance, domain.RoleAuditor, domain.RoleAdmin)
	g.GET("/finance", fin, a.financePage)
	g.GET("/finance/ledger", fin, a.ledgerPage)
	finance := a.RequireUser(domain.RoleFinance)
	g.POST("/finance/exports", finance, a.exportStart)
	g.GET("/finance/exports/:id", finance, a.exportPage)
	g.GET("/finance/exports/:id/download", finance, a.exportDownload)
	g.POST("/finance/ledger/entries/:id/reverse", finance, a.reverseEntry)
	g.POST("/finance/recurring/run", a.RequireUser(domain.RoleFinance, domain.RoleAdmin), a.runRecurring)
}

// programNames maps program ids to names in the page's language: the
// fund's programmes, every programme when fundID is "".
func (a *area) programNames(c *gin.Context, fundID string) map[string]string {
	out := map[string]string{}
	api, err := a.Grants(c)
	if err != nil {
		return out
	}
	params := grantsapi.ListProgramsParams{Limit: maxLimit()}
	if fundID != "" {
		id, err := uuid.Parse(fundID)
		if err != nil {
			return out
		}
		params.FundId = &id
	}
	progs, err := webkit.All(func(after *string) ([]grantsapi.Program, *string, error) {
		params.After = after
		r, err := api.ListProgramsWithResponse(c.Request.Context(), &params)
		if err != nil {
			return nil, nil, err
		}
		if r.JSON200 == nil {
			return nil, nil, webkit.ErrUnexpected
		}
		return webkit.Deref(r.JSON200.Items), r.JSON200.Next, nil
	})
	if err != nil {
		return out
	}
	for _, p := range progs {
		id := p.Id.String()
		out[id] = p.NameZh
		if a.Lang(c) == "en" && webkit.Deref(p.NameEn) != "" {
			out[id] = *p.NameEn
		}
	}
	return out
}

// fundByID lists the funds and picks want, the one a page's ?fund= or
// form names (the newest year's when empty).
func (a *area) fundByID(c *gin.Context, want string) ([]fund, *fund, bool) {
	funds, err := a.funds(c)
	if err != nil {
		a.ServiceFailed(c, err)
		return nil, nil, false
	}
	for i := range funds {
		if want == "" || funds[i].ID == want {
			return funds, &funds[i], true
		}
	}
	return funds, nil, true
}

var dateOnly = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

func (a *area) financePage(c *gin.Context) {
	a.renderFinance(c, http.StatusOK, c.Query("fund"), nil)
}

// runRecurring pays the due months of every active recurring grant
// (POST /api/v1/grants/recurring/run). The first press shows the finance
// page with what the run does and changes nothing; the second, with
// confirm=yes, runs it and comes back with how many grants it processed.
func (a *area) runRecurring(c *gin.Context) {
	fund := webkit.PostedForm(c, "fund").Value("fund")
	if !webkit.Confirmed(c) {
		card := &webkit.ConfirmCard{Text: web.Msg("web.confirm.recurring"), Hint: "web.confirm.recurring_hint", Action: "/finance/recurring/run",
			Button: "web.confirm.recurring_button", Back: "/finance"}
		if fund != "" {
			card.Hidden = []webkit.HiddenField{{Name: "fund", Value: fund}}
			card.Back += "?fund=" + url.QueryEscape(fund)
		}
		a.renderFinancePage(c, http.StatusOK, fund, nil, card)
		return
	}
	api, err := a.Grants(c)
	var r *grantsapi.RunRecurringResponse
	if err == nil {
		r, err = api.RunRecurringWithResponse(c.Request.Context())
	}
	if err == nil && r.JSON200 == nil {
		err = webkit.ErrUnexpected
	}
	if err != nil {
		a.ServiceFailed(c, err)
		return
	}
	q := url.Values{"recurring": {strconv.Itoa(webkit.Deref(r.JSON200.Grants))}}
	if fund != "" {
		q.Set("fund", fund)
	}
	c.Redirect(http.StatusSeeOther, "/finance?"+q.Encode())
}

// renderFinance shows the fund's position, trial balance, payments due and
// the export form (export: its values and errors; nil: the defaults).
func (a *area) renderFinance(c *gin.Context, status int, fundID string, export *web.Form) {
	a.renderFinancePage(c, status, fundID, export, nil)
}

// renderFinancePage is renderFinance with a confirmation card (nil: none).
func (a *area) renderFinancePage(c *gin.Context, status int, fundID string, export *web.Form, card *webkit.ConfirmCard) {
	funds, fund, ok := a.fundByID(c, fundID)
	if !ok {
		return
	}
	today := clock.Today(a.Clock)
	d := financeData{Funds: funds, Fund: fund, AsOf: today.Format(time.DateOnly)}
	if q := c.Query("as_of"); dateOnly.MatchString(q) {
		d.AsOf = q
	}
	d.From = time.Date(today.Year(), 1, 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
	d.To = d.AsOf
	if export == nil {
		export = web.NewForm().Set("from", d.From).Set("to", d.To).Set("format", "xlsx")
	}
	d.Export, d.Formats = export, []string{"xlsx", "csv"}
	user := a.User(c)
	d.CanExport = user.Has(domain.RoleFinance)
	d.CanRunRecurring, d.Confirm = user.Has(domain.RoleFinance, domain.RoleAdmin), card
	if fund != nil {
		asOf, ok := dateOf(d.AsOf)
		if !ok {
			// The service refuses a day that is none; so does the page.
			a.ErrorPage(c, http.StatusBadRequest, "web.error.400")
			return
		}
		if !a.fundFigures(c, fund.ID, asOf, &d) {
			return
		}
	}
	if user.Has(domain.RoleFinance) {
		apps, next, stale, err := a.toPay(c, c.Query("topay_after"))
		if err != nil {
			a.ServiceFailed(c, err)
			return
		}
		d.ToPay, d.ToPayStale = apps, stale
		d.ToPayPages = a.PagerFor(c, "to-pay", "topay_after", next)
	}
	p := a.Page(c, "web.finance.title")
	p.Data, p.Form = d, export
	if n, err := strconv.Atoi(c.Query("recurring")); err == nil && n >= 0 && card == nil {
		p.Flash = webkit.Flash("web.confirm.recurring_done", n)
	}
	a.Render(c, status, "finance", p)
}

// fundFigures reads the fund's position by programme (the chart) and its
// trial balance on asOf into d; false means the error page was drawn.
func (a *area) fundFigures(c *gin.Context, fundID string, asOf *grantsapi.AsOf, d *financeData) bool {
	api, err := a.Grants(c)
	var pos *grantsapi.FundPositionResponse
	if err == nil {
		pos, err = api.FundPositionWithResponse(c.Request.Context(), fundID, &grantsapi.FundPositionParams{AsOf: asOf})
	}
	if err == nil && pos.JSON200 == nil {
		err = webkit.ErrUnexpected
	}
	if err != nil {
		a.ServiceFailed(c, err)
		return false
	}
	programs := make([]position, 0, len(webkit.Deref(pos.JSON200.Programs)))
	for _, p := range webkit.Deref(pos.JSON200.Programs) {
		programs = append(programs, position{ProgramID: webkit.Deref(p.ProgramId), Appropriated: int64(webkit.Deref(p.Appropriated)), Committed: int64(webkit.Deref(p.Committed)),
			Disbursed: int64(webkit.Deref(p.Disbursed)), Remaining: int64(webkit.Deref(p.Remaining))})
	}
	d.Programs = a.programNames(c, fundID)
	d.Bars, d.Height = chart(programs, d.Programs)
	d.Ticks, d.AxisY = chartAxis(programs, d.Height)
	d.Height += axisHeight
	d.ProgramOptions = programOptions(d.Programs)
	tb, err := api.TrialBalanceWithResponse(c.Request.Context(), fundID, &grantsapi.TrialBalanceParams{AsOf: asOf})
	if err == nil && tb.JSON200 == nil {
		err = webkit.ErrUnexpected
	}
	if err != nil {
		a.ServiceFailed(c, err)
		return false
	}
	t := tb.JSON200
	d.Trial = &trialBalance{AsOf: day(t.AsOf), TotalDebit: int64(webkit.Deref(t.TotalDebit)), TotalCredit: int64(webkit.Deref(t.TotalCredit)), Balanced: webkit.Deref(t.Balanced)}
	for _, r := range webkit.Deref(t.Rows) {
		d.Trial.Rows = append(d.Trial.Rows, trialBalanceRow{Code: webkit.Deref(r.Code), Name: webkit.Deref(r.Name), NormalSide: string(webkit.Deref(r.NormalSide)),
			Debit: int64(webkit.Deref(r.Debit)), Credit: int64(webkit.Deref(r.Credit)), Balance: int64(webkit.Deref(r.Balance))})
	}
	return true
}

// toPay is a page of the approved applications finance pays (the list
// after the cursor after); a cursor the service refuses shows the first
// page, stale true.
func (a *area) toPay(c *gin.Context, after string) (apps []toPay, next string, stale bool, err error) {
	api, err := a.Grants(c)
	if err != nil {
		return nil, "", false, err
	}
	scope, state := grantsapi.ListApplicationsParamsScope("finance"), grantsapi.State("approved")
	params := grantsapi.ListApplicationsParams{Scope: &scope, State: &state}
	if after != "" {
		params.After = &after
	}
	r, err := api.ListApplicationsWithResponse(c.Request.Context(), &params)
	if err != nil && after != "" && webkit.StaleCursor(err) {
		stale, params.After = true, nil
		r, err = api.ListApplicationsWithResponse(c.Request.Context(), &params)
	}
	if err == nil && r.JSON200 == nil {
		err = webkit.ErrUnexpected
	}
	if err != nil {
		return nil, "", false, err
	}
	var names map[string]string
	for _, app := range webkit.Deref(r.JSON200.Items) {
		row := toPay{ID: app.Id.String(), Number: app.Number, ProgramName: webkit.Deref(app.ProgramName), StateText: webkit.Deref(app.StateText), Amount: int64(webkit.Deref(app.Amount))}
		if row.ProgramName == "" {
			if names == nil {
				names = a.programNames(c, "")
			}
			row.ProgramName = names[app.ProgramId]
		}
		apps = append(apps, row)
	}
	return apps, webkit.Deref(r.JSON200.Next), stale, nil
}

// programOptions are a fund's programmes as choices ordered by name, the
// first meaning all.
func programOptions(names map[string]string) []web.Option {
	ids := webkit.UnitsByName(names)
	out := make([]web.Option, 0, len(ids))
	for _, id := range ids {
		out = append(out, web.Option{Value: id, Label: names[id]})
	}
	return out
}

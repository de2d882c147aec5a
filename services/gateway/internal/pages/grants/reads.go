package grants

import (
	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	grantsapi "github.com/anxin-welfare/anxin/api/client/grants"
	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
)

// The reads the pages share: one application, one programme, every
// programme and fund, a page of applications.

// application reads one application (a 404 when there is none or the
// person may not see it).
func (a *area) application(c *gin.Context, id string) (application, error) {
	api, err := a.Grants(c)
	if err != nil {
		return application{}, err
	}
	r, err := api.GetApplicationWithResponse(c.Request.Context(), id)
	if err != nil || r.JSON200 == nil {
		return application{}, orUnexpected(err)
	}
	return applicationOf(*r.JSON200), nil
}

// program reads one programme (a 404 when there is none or the person may
// not see it).
func (a *area) program(c *gin.Context, id string) (program, error) {
	api, err := a.Grants(c)
	if err != nil {
		return program{}, err
	}
	r, err := api.GetProgramWithResponse(c.Request.Context(), id)
	if err != nil || r.JSON200 == nil {
		return program{}, orUnexpected(err)
	}
	return programOf(*r.JSON200), nil
}

// programs reads every programme, the largest pages first.
func (a *area) programs(c *gin.Context) ([]program, error) {
	api, err := a.Grants(c)
	if err != nil {
		return nil, err
	}
	items, err := webkit.All(func(after *string) ([]grantsapi.Program, *string, error) {
		limit := page.MaxLimit
		r, err := api.ListProgramsWithResponse(c.Request.Context(), &grantsapi.ListProgramsParams{After: after, Limit: &limit})
		if err != nil || r.JSON200 == nil {
			return nil, nil, orUnexpected(err)
		}
		return webkit.Deref(r.JSON200.Items), r.JSON200.Next, nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]program, 0, len(items))
	for _, p := range items {
		out = append(out, programOf(p))
	}
	return out, nil
}

// programNames maps programme ids to names in the page's language; empty
// when the programmes cannot be read.
func (a *area) programNames(c *gin.Context) map[string]string {
	out := map[string]string{}
	progs, err := a.programs(c)
	if err != nil {
		return out
	}
	for _, p := range progs {
		out[p.ID] = p.Name(string(a.Lang(c)))
	}
	return out
}

// funds reads every fund.
func (a *area) funds(c *gin.Context) ([]fund, error) {
	api, err := a.Grants(c)
	if err != nil {
		return nil, err
	}
	items, err := webkit.All(func(after *string) ([]grantsapi.Fund, *string, error) {
		limit := page.MaxLimit
		r, err := api.ListFundsWithResponse(c.Request.Context(), &grantsapi.ListFundsParams{After: after, Limit: &limit})
		if err != nil || r.JSON200 == nil {
			return nil, nil, orUnexpected(err)
		}
		return webkit.Deref(r.JSON200.Items), r.JSON200.Next, nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]fund, 0, len(items))
	for _, f := range items {
		out = append(out, fund{ID: f.Id.String(), FiscalYear: f.FiscalYear, Name: f.Name, Remaining: fen(f.Remaining)})
	}
	return out, nil
}

// applications reads a page of the applications in scope (and state, when
// given) after the cursor after ("" for the first); limit 0 is the
// service's page size. It returns the next page's cursor, "" on the last.
func (a *area) applications(c *gin.Context, scope, state, after string, limit int) ([]application, string, error) {
	return a.applicationsWithSteps(c, scope, state, after, limit, 0, false)
}

// applicationsWithSteps is applications with each one's last steps of its
// history (the service reads them for the whole page in one statement)
// and, with assess, each one's assessment.
func (a *area) applicationsWithSteps(c *gin.Context, scope, state, after string, limit, steps int, assess bool) ([]application, string, error) {
	api, err := a.Grants(c)
	if err != nil {
		return nil, "", err
	}
	sc := grantsapi.ListApplicationsParamsScope(scope)
	params := &grantsapi.ListApplicationsParams{Scope: &sc}
	if state != "" {
		st := grantsapi.State(state)
		params.State = &st
	}
	if limit > 0 {
		params.Limit = &limit
	}
	if after != "" {
		params.After = &after
	}
	if steps > 0 {
		params.Steps = &steps
	}
	if assess {
		params.Assess = &assess
	}
	r, err := api.ListApplicationsWithResponse(c.Request.Context(), params)
	if err != nil || r.JSON200 == nil {
		return nil, "", orUnexpected(err)
	}
	return applicationsOf(r.JSON200.Items), webkit.Deref(r.JSON200.Next), nil
}

// nameGrantPrograms names the programme of each application the service
// listed without its name, with one look at the programmes.
func (a *area) nameGrantPrograms(c *gin.Context, apps []application) {
	var names map[string]string
	for i := range apps {
		if apps[i].ProgramName != "" {
			continue
		}
		if names == nil {
			names = a.programNames(c)
		}
		apps[i].ProgramName = names[apps[i].ProgramID]
	}
}

// uuidOf is s as the generated clients' UUID; ok is false when s is none.
func uuidOf(s string) (uuid.UUID, bool) {
	id, err := uuid.Parse(s)
	return id, err == nil
}

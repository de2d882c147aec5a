package members

import (
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/api/client"
	enrollmentapi "github.com/anxin-welfare/anxin/api/client/enrollment"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// A member's named beneficiaries of one scheme, edited as one set: the
// registry keeps the shares of a scheme at exactly 100 %, so the form sends
// every line at once (PUT /members/{id}/beneficiaries/{scheme}, If-Match
// the version the form was read at). Identity numbers are only ever shown
// masked: a line left without one keeps the number recorded for the same
// name and relation.

// beneficiarySchemes are the schemes whose death benefit a member may
// direct, in the order the page lists them.
var beneficiarySchemes = []string{"personal_accident", "critical_illness", "supplementary_medical", "work_injury"}

// beneficiaryRelations are the relations a beneficiary may have.
var beneficiaryRelations = append(slices.Clone(dependantRelations), "other")

// maxBeneficiaryRows bounds the lines of the form.
const maxBeneficiaryRows = 8

// beneficiaryRow is one line of the form: the names of its fields and, for
// a beneficiary on record, the masked number.
type beneficiaryRow struct {
	Name, Relation, IDNumber, Share string
	Masked                          string
}

type beneficiariesData struct {
	Member    memberDetail
	Scheme    string
	Version   int64
	Rows      []beneficiaryRow
	Relations []web.Option
}

func beneficiaryFields(i int) beneficiaryRow {
	p := "b" + strconv.Itoa(i) + "_"
	return beneficiaryRow{Name: p + "name", Relation: p + "relation", IDNumber: p + "id_number", Share: p + "share"}
}

// beneficiaryRows lays out n lines (two empty ones after those on record).
func beneficiaryRows(onRecord []memberBeneficiary, n int) []beneficiaryRow {
	n = max(n, len(onRecord)+2, 3)
	n = min(n, maxBeneficiaryRows)
	rows := make([]beneficiaryRow, n)
	for i := range rows {
		rows[i] = beneficiaryFields(i)
		if i < len(onRecord) {
			rows[i].Masked = onRecord[i].IDNumberMasked
		}
	}
	return rows
}

func (a *area) beneficiariesPage(c *gin.Context) {
	scheme := c.Param("scheme")
	if !slices.Contains(beneficiarySchemes, scheme) {
		a.ErrorPage(c, http.StatusNotFound, "web.error.404")
		return
	}
	m, ok := a.loadMember(c)
	if !ok {
		return
	}
	form := web.NewForm()
	for i, b := range m.Beneficiaries[scheme] {
		f := beneficiaryFields(i)
		form.Set(f.Name, b.Name).Set(f.Relation, b.Relation).Set(f.Share, b.Share)
	}
	a.renderBeneficiaries(c, http.StatusOK, m, scheme, form, len(m.Beneficiaries[scheme]), nil)
}

func (a *area) renderBeneficiaries(c *gin.Context, status int, m memberDetail, scheme string, form *web.Form, lines int, alert *web.Message) {
	if m.Deceased() {
		// A death is final: the designation is what it was.
		c.Redirect(http.StatusSeeOther, memberPath(m.ID))
		return
	}
	p := a.Page(c, "web.members.beneficiaries_edit")
	p.Form, p.Alert = form, alert
	p.Data = beneficiariesData{Member: m, Scheme: scheme, Version: m.Version,
		Rows: beneficiaryRows(m.Beneficiaries[scheme], lines), Relations: memberOptions("web.members.relation.", beneficiaryRelations)}
	a.Render(c, status, "member_beneficiaries", p)
}

// beneficiaryProblemField reads the line of a registry field problem
// ("beneficiaries[2].share").
var beneficiaryProblemField = regexp.MustCompile(`^beneficiaries\[(\d+)\]\.(name|relation|id_number|share)$`)

func (a *area) saveBeneficiaries(c *gin.Context) {
	scheme := c.Param("scheme")
	if !slices.Contains(beneficiarySchemes, scheme) {
		a.ErrorPage(c, http.StatusNotFound, "web.error.404")
		return
	}
	version, ok := pageVersion(c)
	if !ok {
		a.ErrorPage(c, http.StatusBadRequest, "web.error.400")
		return
	}
	rows, _ := strconv.Atoi(c.PostForm("rows"))
	rows = min(max(rows, 0), maxBeneficiaryRows)
	form := web.NewForm()
	lines := []enrollmentapi.BeneficiaryInput{}
	// sent[k] is the form line of the registry's k-th beneficiary.
	var sent []int
	for i := range rows {
		f := beneficiaryFields(i)
		name, relation := strings.TrimSpace(c.PostForm(f.Name)), c.PostForm(f.Relation)
		idNumber, share := strings.TrimSpace(c.PostForm(f.IDNumber)), strings.TrimSuffix(strings.TrimSpace(c.PostForm(f.Share)), "%")
		form.Set(f.Name, name).Set(f.Relation, relation).Set(f.IDNumber, idNumber).Set(f.Share, share)
		if name == "" && idNumber == "" && share == "" {
			continue // an empty line
		}
		l := enrollmentapi.BeneficiaryInput{Name: name, Relation: enrollmentapi.BeneficiaryInputRelation(relation), Share: share}
		if idNumber != "" {
			l.IdNumber = &idNumber
		}
		lines = append(lines, l)
		sent = append(sent, i)
	}
	api, err := a.Enrollment(c)
	if err == nil {
		err = webkit.Done(api.SetBeneficiaries(c.Request.Context(), memberID(c), enrollmentapi.Scheme(scheme), //nolint:bodyclose // webkit.Done drains and closes it
			&enrollmentapi.SetBeneficiariesParams{IfMatch: client.Tag(version)}, enrollmentapi.SetBeneficiariesJSONRequestBody{Beneficiaries: lines}))
	}
	if err == nil {
		c.Redirect(http.StatusSeeOther, memberPath(c.Param("id"))+"?m=beneficiaries")
		return
	}
	var alert *web.Message
	st, p, refused := webkit.Refusal(err)
	switch {
	case webkit.VersionMismatch(err):
		alert = webkit.Flash("web.members.changed")
	case refused && st == http.StatusUnprocessableEntity:
		for _, fe := range p.Errors {
			if m := beneficiaryProblemField.FindStringSubmatch(fe.Field); m != nil {
				if k, _ := strconv.Atoi(m[1]); k < len(sent) {
					f := beneficiaryFields(sent[k])
					name := map[string]string{"name": f.Name, "relation": f.Relation, "id_number": f.IDNumber, "share": f.Share}[m[2]]
					form.AddError(name, web.Localized(fe.Message))
					continue
				}
			}
			form.AddError("", web.Localized(fe.Message))
		}
		if !form.HasErrors() {
			form.AddError("", web.Localized(p.Title))
		}
	case webkit.ProblemOnForm(err, form, nil):
	default:
		a.ServiceFailed(c, err)
		return
	}
	if m, ok := a.loadMember(c); ok {
		a.renderBeneficiaries(c, webkit.StatusOf(err), m, scheme, form, rows, alert)
	}
}

package gateway_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/pkg/pdfdoc/pdftest"
)

// TestPrintButtonsStreamTheServicesDocuments: against the real services,
// each page that owns a document offers its print button, and the button
// streams the PDF the owning service prints for the person signed in:
// officer A's case summary, 工伤认定 cover sheet, leave slip and grant
// approval sheet; finance's disbursement list and a voucher. Officer B
// gets the 404 page for the finance documents as for A's (the access
// table of TestOtherOfficersObjectsAnswer404 covers A's objects).
func TestPrintButtonsStreamTheServicesDocuments(t *testing.T) {
	w := buildAccessWorld(t)
	a := w.a
	pdf := func(t *testing.T, u *accessUser, path string) []byte {
		t.Helper()
		r := u.send(t, http.MethodGet, path, "", nil)
		if r.status != http.StatusOK || r.header.Get("Content-Type") != "application/pdf" ||
			!strings.HasPrefix(r.header.Get("Content-Disposition"), "inline;") || r.header.Get("Cache-Control") != "no-store" {
			t.Fatalf("%s prints %s = %d %q %q: %s", u.name, path, r.status, r.header.Get("Content-Type"), r.header.Get("Content-Disposition"), accessExcerpt(r))
		}
		return []byte(r.body)
	}
	offers := func(t *testing.T, u *accessUser, page, link string) {
		t.Helper()
		if r := u.send(t, http.MethodGet, page, "", nil); r.status != http.StatusOK || !strings.Contains(r.body, link) {
			t.Errorf("%s's %s = %d, does not offer %q", u.name, page, r.status, link)
		}
	}

	casePage := "/cases/" + w.objs.Case
	offers(t, a, casePage, `href="`+casePage+`/print/summary"`)
	offers(t, a, casePage, `href="`+casePage+`/print/determination-cover"`)
	summary := pdf(t, a, casePage+"/print/summary")
	pdftest.Contains(t, summary, "工伤案件摘要", "张伟", "城关派出所东门（甲）", "巡逻时摔伤左臂（甲）")
	pdftest.Render(t, summary, "gateway-case-summary")
	pdftest.Contains(t, pdf(t, a, casePage+"/print/determination-cover"), "工伤认定申请材料封面", "张伟", "医疗诊断证明")

	offers(t, a, "/leave", `href="/leave/requests/`+w.objs.Leave+`/print/slip"`)
	slip := pdf(t, a, "/leave/requests/"+w.objs.Leave+"/print/slip")
	pdftest.Contains(t, slip, "年休假审批单", "张伟", "2026-12-14", "2026-12-15", "甲回老家探亲", "待审批")
	pdftest.Render(t, slip, "gateway-leave-slip")

	appPage := "/grants/applications/" + w.objs.Submitted
	offers(t, a, appPage, `href="`+appPage+`/print/approval-sheet"`)
	sheet := pdf(t, a, appPage+"/print/approval-sheet")
	pdftest.Contains(t, sheet, "帮扶资金审批表", "困难干警帮扶", "已提交", "¥3,000.00")
	pdftest.Render(t, sheet, "gateway-approval-sheet")

	fin := accessSignIn(t, w.s.gateway, "finance")
	offers(t, fin, "/finance?fund="+w.s.fund, `action="/finance/funds/`+w.s.fund+`/print/disbursements"`)
	list := pdf(t, fin, "/finance/funds/"+w.s.fund+"/print/disbursements?date=2026-11-27")
	pdftest.Contains(t, list, "帮扶资金发放清单（银行代发）", "2026年度政法干警关爱帮扶资金", "2026-11-27 没有发放记录")
	r := fin.send(t, http.MethodGet, "/finance/ledger?fund="+w.s.fund, "", nil)
	m := regexp.MustCompile(`href="(/finance/ledger/entries/[0-9]+/print/voucher)"`).FindStringSubmatch(r.body)
	if m == nil {
		t.Fatalf("the ledger offers no voucher to print: %s", accessExcerpt(r))
	}
	voucher := pdf(t, fin, m[1])
	pdftest.Contains(t, voucher, "记账凭证", "财政拨款", "¥3,000,000.00")
	pdftest.Render(t, voucher, "gateway-voucher")

	b := accessSignIn(t, w.s.gateway, "officerb")
	for _, path := range []string{m[1], "/finance/funds/" + w.s.fund + "/print/disbursements"} {
		if r := b.send(t, http.MethodGet, path, "", nil); r.status != http.StatusNotFound || r.header.Get("Content-Type") == "application/pdf" {
			t.Errorf("officer B prints %s = %d %s", path, r.status, r.header.Get("Content-Type"))
		}
	}
}

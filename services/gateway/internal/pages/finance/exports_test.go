package finance

import (
	"bytes"
	"strings"
	"testing"

	grantsapi "github.com/anxin-welfare/anxin/api/client/grants"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// TestExportPageSaysWhyAnExportFailed: an export the grants service
// answers as failed, with its reason in the reader's language, shows the
// failure and the reason, and no download; a running one shows its
// progress and reloads itself. (The real service fails an export only when
// its worker does, which no page can cause.)
func TestExportPageSaysWhyAnExportFailed(t *testing.T) {
	t.Parallel()
	r, err := web.NewRenderer()
	if err != nil {
		t.Fatal(err)
	}
	str := func(s string) *string { return &s }
	num := func(n int) *int { return &n }
	for _, tc := range []struct {
		name      string
		job       grantsapi.ExportJob
		want, not []string
	}{
		{"failed", grantsapi.ExportJob{Id: str("e-2"), State: ptr(grantsapi.Failed), Error: str("导出失败，请重试"), RowsDone: num(3), RowsTotal: num(10)},
			[]string{`id="export-failed"`, `<p id="export-error">原因：导出失败，请重试</p>`}, []string{`id="download"`, `http-equiv="refresh"`}},
		{"running", grantsapi.ExportJob{Id: str("e-3"), State: ptr(grantsapi.Running), RowsDone: num(3), RowsTotal: num(10)},
			[]string{`id="export-progress" max="10" value="3"`, `http-equiv="refresh"`, `href="/finance/exports/e-3"`}, []string{`id="download"`, `id="export-failed"`}},
		{"done", grantsapi.ExportJob{Id: str("e-4"), State: ptr(grantsapi.Done), RowsDone: num(10), RowsTotal: num(10)},
			[]string{`id="download" href="/finance/exports/e-4/download"`}, []string{`id="export-failed"`, `http-equiv="refresh"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			if err := r.Execute(&buf, "export", &web.Page{Lang: i18n.ZH, Title: "web.finance.export", Data: exportOf(tc.job)}); err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				if !strings.Contains(buf.String(), w) {
					t.Errorf("the %s export's page lacks %s", tc.name, w)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(buf.String(), n) {
					t.Errorf("the %s export's page has %s", tc.name, n)
				}
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

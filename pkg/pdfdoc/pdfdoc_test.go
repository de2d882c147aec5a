package pdfdoc_test

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/pkg/pdfdoc"
	"github.com/anxin-welfare/anxin/pkg/pdfdoc/pdftest"
)

func TestCapitalWritesAmountsAsVouchersRequire(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		fen  int64
		want string
	}{
		{"zero", 0, "零元整"},
		{"whole yuan", 100000, "壹仟元整"},
		{"yuan jiao fen", 123456, "壹仟贰佰叁拾肆元伍角陆分"},
		{"fen only", 7, "柒分"},
		{"jiao only", 50, "伍角"},
		{"zero jiao", 1005, "壹拾元零伍分"},
		{"inner zeros", 10010000, "壹拾万零壹佰元整"},
		{"ten thousand and one", 1000100, "壹万零壹元整"},
		{"hundred million", 10000000000, "壹亿元整"},
		{"across the wan", 1234567800, "壹仟贰佰叁拾肆万伍仟陆佰柒拾捌元整"},
		{"wan then zeros", 1200000000 + 300, "壹仟贰佰万零叁元整"},
		{"negative", -2550, "负贰拾伍元伍角"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := pdfdoc.Capital(tc.fen); got != tc.want {
				t.Errorf("Capital(%d) = %q, want %q", tc.fen, got, tc.want)
			}
		})
	}
}

func TestADocumentPrintsEveryBlockWithItsFontAndPages(t *testing.T) {
	fonts := pdfdoc.NewFonts("")
	if err := fonts.Check(); err != nil {
		t.Fatalf("the default font must be installed (scripts/test.sh does): %v", err)
	}
	printed := time.Date(2026, 11, 27, 2, 5, 0, 0, time.UTC)
	d, err := pdfdoc.New(fonts, pdfdoc.Meta{Title: "困难帮扶资金审批表", Issuer: "某县委政法委员会", Number: "GA-0042", PrintedAt: printed, Lang: i18n.ZH})
	if err != nil {
		t.Fatal(err)
	}
	d.Heading("申请人")
	d.Fields(pdfdoc.Field{Label: "姓名", Value: "欧阳娜娜"}, pdfdoc.Field{Label: "单位", Value: "城关派出所"},
		pdfdoc.Field{Label: "事由", Value: strings.Repeat("因公负伤后家庭生活困难，申请帮扶。", 8), Wide: true})
	rows := make([][]string, 0, 60)
	for i := range 60 {
		rows = append(rows, []string{fmt.Sprint(i + 1), "项目第" + fmt.Sprint(i+1) + "项，说明文字较长需要换行显示" + strings.Repeat("。", i%3*10), pdfdoc.Yuan(int64(i) * 123456)})
	}
	w := pdfdoc.ContentWidth
	d.Table([]pdfdoc.Column{{Title: "序号", Width: 16, Align: "C"}, {Title: "项目", Width: w - 56}, {Title: "金额", Width: 40, Align: "R"}}, rows)
	d.Paragraph("合计：" + pdfdoc.Yuan(12345600) + "（" + pdfdoc.Capital(12345600) + "）")
	d.Signatures([]pdfdoc.Signature{{Role: "经办人", Name: "李四", Date: "2026-11-26"}, {Role: "审批人"}}, "单位（盖章）")
	pdf, err := d.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	text := pdftest.Contains(t, pdf, "某县委政法委员会", "困难帮扶资金审批表", "编号：GA-0042", "打印时间：2026-11-27 10:05（北京时间）",
		"欧阳娜娜", "城关派出所", "项目第60项", "¥72,839.04", "壹拾贰万叁仟肆佰伍拾陆元整", "系统记录：李四 2026-11-26", "单位（盖章）")
	pages := strings.Count(text, "\f")
	if pages < 2 {
		t.Fatalf("60 wrapped rows should take more than one page, got %d", pages)
	}
	pdftest.Contains(t, pdf, fmt.Sprintf("第 %d 页 / 共 %d 页", pages, pages))
	// the header row is printed again at the top of every page of the table
	if n := strings.Count(pdftest.Text(t, pdf), "序号"); n < pages {
		t.Errorf("the table header is printed %d times on %d pages", n, pages)
	}
	pdftest.Render(t, pdf, "sample")
}

func TestAMissingFontIsNamedAndAnswers503(t *testing.T) {
	t.Parallel()
	missing := filepath.Join(t.TempDir(), "none.ttf")
	fonts := pdfdoc.NewFonts(missing)
	_, err := pdfdoc.New(fonts, pdfdoc.Meta{Title: "x", Lang: i18n.ZH})
	var fe *pdfdoc.FontError
	if !errors.As(err, &fe) || fe.Path != missing || !errors.Is(err, pdfdoc.ErrFontMissing) {
		t.Fatalf("New with a missing font = %v, want a FontError naming %s", err, missing)
	}
	p := pdfdoc.Problem(err)
	if p.Status != http.StatusServiceUnavailable || p.Code != pdfdoc.CodeFontMissing {
		t.Fatalf("problem = %d %s, want 503 %s", p.Status, p.Code, pdfdoc.CodeFontMissing)
	}
	if title := i18n.T(i18n.EN, "problem."+p.Code, p.Args...); !strings.Contains(title, missing) {
		t.Errorf("the title %q does not name the font", title)
	}
}

func TestACFFOrBrokenFontIsRefusedWithItsReason(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	otto := make([]byte, 12)
	copy(otto, "OTTO")
	noGlyf := make([]byte, 12+16)
	binary.BigEndian.PutUint32(noGlyf, 0x00010000)
	binary.BigEndian.PutUint16(noGlyf[4:], 1)
	copy(noGlyf[12:], "CFF ")
	for name, body := range map[string][]byte{"cff.otf": otto, "noglyf.ttf": noGlyf, "short.ttf": []byte("ttcf")} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, body, 0o600); err != nil {
			t.Fatal(err)
		}
		err := pdfdoc.NewFonts(path).Check()
		if !errors.Is(err, pdfdoc.ErrFontMissing) {
			t.Errorf("%s: Check = %v, want a font error", name, err)
		}
	}
}

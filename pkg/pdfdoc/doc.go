// Package pdfdoc prints Anxin's paper documents: A4 PDFs with a CJK font
// embedded (codeberg.org/go-pdf/fpdf), laid out from a few blocks that every
// service uses alike: a title with the document's number and print time,
// key-value blocks, tables whose Chinese text wraps, amounts in yuan from
// integer fen, signature and seal boxes, and page numbers.
//
// A service builds its documents in its own httpapi package, from the same
// object its JSON route shows, so who may print is exactly who may see.
package pdfdoc

import (
	"bytes"
	"fmt"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/pkg/money"
)

// Page geometry in millimetres.
const (
	pageW      = 210.0
	pageH      = 297.0
	marginX    = 18.0
	marginTop  = 16.0
	marginBot  = 18.0
	contentW   = pageW - 2*marginX
	lineH      = 6.0
	bodySize   = 10.0
	smallSize  = 8.0
	titleSize  = 18.0
	headSize   = 12.0
	cellMargin = 1.5
	family     = "cjk"
)

// Meta is what every document carries.
type Meta struct {
	// Title is printed at the top of the first page ("困难帮扶资金审批表").
	Title string
	// Issuer, when set, is printed above the title (the committee's name).
	Issuer string
	// Number is the document's number: the object's own (case number,
	// application id, voucher number) so paper and screen name it alike.
	Number string
	// PrintedAt is the moment of printing, from the service's clock; it is
	// shown in Asia/Shanghai.
	PrintedAt time.Time
	// Lang is the language of the labels.
	Lang i18n.Lang
}

// Doc is one document being laid out. Its methods record the first error
// and do nothing after it; Bytes returns it.
type Doc struct {
	pdf  *fpdf.Fpdf
	meta Meta
}

// defaultFonts serves documents whose caller configured no font.
var defaultFonts = NewFonts("")

// New starts a document with the font from fonts (nil: DefaultFontPath);
// it fails with a *FontError when the font cannot be read.
func New(fonts *Fonts, meta Meta) (*Doc, error) {
	if fonts == nil {
		fonts = defaultFonts
	}
	face, err := fonts.load()
	if err != nil {
		return nil, err
	}
	p := fpdf.New("P", "mm", "A4", "")
	p.SetMargins(marginX, marginTop, marginX)
	p.SetAutoPageBreak(true, marginBot)
	p.SetCellMargin(cellMargin)
	p.AddUTF8FontFromBytes(family, "", face)
	p.SetTitle(meta.Title, true)
	p.SetCreator("Anxin", true)
	// The document's dates are the print time, so the same object printed
	// at the same moment gives the same bytes.
	p.SetCreationDate(meta.PrintedAt.UTC())
	p.SetModificationDate(meta.PrintedAt.UTC())
	p.SetCatalogSort(true)
	p.AliasNbPages("{nb}")
	d := &Doc{pdf: p, meta: meta}
	p.SetFooterFunc(d.footer)
	p.AddPage()
	d.header()
	return d, nil
}

// T is the label key in the document's language.
func (d *Doc) T(key string, args ...any) string { return i18n.T(d.meta.Lang, key, args...) }

func (d *Doc) header() {
	p := d.pdf
	if d.meta.Issuer != "" {
		p.SetFont(family, "", headSize)
		p.CellFormat(contentW, 7, d.meta.Issuer, "", 1, "C", false, 0, "")
	}
	p.SetFont(family, "", titleSize)
	p.CellFormat(contentW, 11, d.meta.Title, "", 1, "C", false, 0, "")
	p.SetFont(family, "", smallSize)
	half := contentW / 2
	p.CellFormat(half, 5, d.T("pdf.number", d.meta.Number), "", 0, "L", false, 0, "")
	p.CellFormat(half, 5, d.T("pdf.printed_at", d.printedAt()), "", 1, "R", false, 0, "")
	p.SetDrawColor(0, 0, 0)
	p.SetLineWidth(0.5)
	y := p.GetY() + 0.5
	p.Line(marginX, y, marginX+contentW, y)
	p.SetLineWidth(0.2)
	p.SetY(y + 3)
	p.SetFont(family, "", bodySize)
}

func (d *Doc) printedAt() string {
	return clock.Local(d.meta.PrintedAt).Format("2006-01-02 15:04")
}

// footer prints the number and the page on every page.
func (d *Doc) footer() {
	p := d.pdf
	p.SetY(-marginBot + 4)
	p.SetFont(family, "", smallSize)
	p.SetTextColor(90, 90, 90)
	half := contentW / 2
	p.CellFormat(half, 5, d.meta.Title+"  "+d.meta.Number, "", 0, "L", false, 0, "")
	p.CellFormat(half, 5, d.T("pdf.page", p.PageNo(), "{nb}"), "", 0, "R", false, 0, "")
	p.SetTextColor(0, 0, 0)
}

// Heading starts a section.
func (d *Doc) Heading(text string) {
	p := d.pdf
	d.ensure(lineH*3 + 2)
	p.Ln(2)
	p.SetFont(family, "", headSize)
	p.SetFillColor(232, 236, 241)
	p.CellFormat(contentW, 8, text, "", 1, "L", true, 0, "")
	p.SetFont(family, "", bodySize)
	p.Ln(1)
}

// Paragraph prints wrapping text across the page.
func (d *Doc) Paragraph(text string) {
	d.pdf.SetFont(family, "", bodySize)
	d.pdf.MultiCell(contentW, lineH, text, "", "L", false)
}

// Note prints small grey text (an explanation under a table).
func (d *Doc) Note(text string) {
	p := d.pdf
	p.SetFont(family, "", smallSize)
	p.SetTextColor(70, 70, 70)
	p.MultiCell(contentW, 4.5, text, "", "L", false)
	p.SetTextColor(0, 0, 0)
	p.SetFont(family, "", bodySize)
}

// Field is one label and its value in a key-value block.
type Field struct {
	Label string
	Value string
	// Wide takes the whole row (a description, an address).
	Wide bool
}

// Fields prints a bordered block of labels and values, two pairs a row
// unless a field is wide; long values wrap.
func (d *Doc) Fields(fields ...Field) {
	const labelW = 26.0
	pairW := contentW / 2
	var row []Field
	flush := func() {
		if len(row) == 0 {
			return
		}
		cols := make([]Column, 0, 4)
		cells := make([]string, 0, 4)
		for i, f := range row {
			w := pairW - labelW
			if f.Wide || len(row) == 1 && i == 0 {
				w = contentW - labelW
			}
			cols = append(cols, Column{Width: labelW, Fill: true}, Column{Width: w})
			cells = append(cells, f.Label, f.Value)
		}
		d.row(cols, cells)
		row = row[:0]
	}
	for _, f := range fields {
		if f.Wide {
			flush()
			row = append(row, f)
			flush()
			continue
		}
		row = append(row, f)
		if len(row) == 2 {
			flush()
		}
	}
	flush()
	d.pdf.Ln(2)
}

// Column is one column of a table.
type Column struct {
	Title string
	// Width in millimetres; the widths of a table should add up to
	// ContentWidth.
	Width float64
	// Align is "L" (default), "C" or "R" (amounts).
	Align string
	// Fill shades the column (labels).
	Fill bool
}

// ContentWidth is the width between the margins, in millimetres.
const ContentWidth = contentW

// Table prints a header row and rows; a cell's text wraps within its
// column, and a row that does not fit on the page starts a new one with the
// header again.
func (d *Doc) Table(cols []Column, rows [][]string) {
	titles := make([]string, len(cols))
	head := make([]Column, len(cols))
	for i, c := range cols {
		titles[i] = c.Title
		head[i] = Column{Width: c.Width, Align: "C", Fill: true}
	}
	d.ensure(d.rowHeight(head, titles) + lineH + 1)
	d.row(head, titles)
	for _, r := range rows {
		if !d.fits(d.rowHeight(cols, r)) {
			d.pdf.AddPage()
			d.row(head, titles)
		}
		d.row(cols, r)
	}
	d.pdf.Ln(2)
}

// split is each cell's text cut into the lines its column holds.
func (d *Doc) split(cols []Column, cells []string) ([][]string, int) {
	d.pdf.SetFont(family, "", bodySize)
	lines := make([][]string, len(cols))
	n := 1
	for i, c := range cols {
		text := ""
		if i < len(cells) {
			text = cells[i]
		}
		lines[i] = d.wrap(text, c.Width)
		if len(lines[i]) == 0 {
			lines[i] = []string{""}
		}
		n = max(n, len(lines[i]))
	}
	return lines, n
}

func (d *Doc) rowHeight(cols []Column, cells []string) float64 {
	_, n := d.split(cols, cells)
	return float64(n)*lineH + 1
}

// row prints one row of bordered cells at the current position, on a new
// page when it does not fit on this one.
func (d *Doc) row(cols []Column, cells []string) {
	p := d.pdf
	lines, n := d.split(cols, cells)
	h := float64(n)*lineH + 1
	d.ensure(h)
	x, y := marginX, p.GetY()
	for i, c := range cols {
		style := "D"
		if c.Fill {
			p.SetFillColor(242, 244, 247)
			style = "FD"
		}
		p.Rect(x, y, c.Width, h, style)
		align := c.Align
		if align == "" {
			align = "L"
		}
		for j, line := range lines[i] {
			p.SetXY(x, y+0.5+float64(j)*lineH)
			p.CellFormat(c.Width, lineH, line, "", 0, align, false, 0, "")
		}
		x += c.Width
	}
	p.SetXY(marginX, y+h)
}

func (d *Doc) fits(h float64) bool { return d.pdf.GetY()+h <= pageH-marginBot }

// ensure starts a new page unless h millimetres fit on this one.
func (d *Doc) ensure(h float64) {
	if !d.fits(h) {
		d.pdf.AddPage()
	}
}

// Signature is one box where a person signs: the role, and when the system
// knows them, who acted and when.
type Signature struct {
	Role string
	Name string
	Date string
}

// Signatures prints a row of boxes to sign by hand, each with the role, the
// name and date the system recorded (if any) and lines for the signature
// and the date; seal, when set, adds a box for the seal with that label.
func (d *Doc) Signatures(sigs []Signature, seal string) {
	p := d.pdf
	const h = 34.0
	d.ensure(h + 4)
	p.Ln(2)
	boxes := len(sigs)
	if seal != "" {
		boxes++
	}
	if boxes == 0 {
		return
	}
	w := contentW / float64(boxes)
	x, y := marginX, p.GetY()
	for _, s := range sigs {
		p.Rect(x, y, w, h, "D")
		p.SetFont(family, "", bodySize)
		p.SetXY(x, y+1)
		p.CellFormat(w, lineH, s.Role, "", 0, "L", false, 0, "")
		p.SetFont(family, "", smallSize)
		if s.Name != "" {
			p.SetXY(x, y+1+lineH)
			p.CellFormat(w, 5, d.T("pdf.recorded", s.Name, s.Date), "", 0, "L", false, 0, "")
		}
		p.SetXY(x, y+h-13)
		p.CellFormat(w, 5, d.T("pdf.sign_here"), "", 0, "L", false, 0, "")
		p.SetXY(x, y+h-7)
		p.CellFormat(w, 5, d.T("pdf.date_here"), "", 0, "L", false, 0, "")
		x += w
	}
	if seal != "" {
		p.Rect(x, y, w, h, "D")
		p.SetDrawColor(160, 160, 160)
		p.Circle(x+w/2, y+h/2-3, min(w, h)/2-7, "D")
		p.SetDrawColor(0, 0, 0)
		p.SetFont(family, "", smallSize)
		p.SetXY(x, y+h-7)
		p.CellFormat(w, 5, seal, "", 0, "C", false, 0, "")
	}
	p.SetFont(family, "", bodySize)
	p.SetXY(marginX, y+h+2)
}

// Bytes finishes the document.
func (d *Doc) Bytes() ([]byte, error) {
	var b bytes.Buffer
	if err := d.pdf.Output(&b); err != nil {
		return nil, fmt.Errorf("pdfdoc: %s: %w", d.meta.Title, err)
	}
	return b.Bytes(), nil
}

// Yuan shows an amount of fen as yuan: ¥1,234.56.
func Yuan(fen int64) string { return money.Fen(fen).String() }

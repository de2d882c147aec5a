package overview

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// overviewWorkbook writes each figure's table on a sheet of its own, named
// by the figure (Excel's 31 characters), with the caption first. Each
// sheet is written by excelize's stream writer, a row at a time, straight
// into the sheet's XML: setting cell by cell kept every cell of 300 units'
// tables as a struct in memory and marshalled them all again at the end
// (docs/PERFORMANCE.md). Text is written as an inline string, never as a
// formula; numbers as numbers.
func overviewWorkbook(sections []overviewSection) ([]byte, error) {
	x := excelize.NewFile()
	defer func() { _ = x.Close() }()
	first := true
	var values []any
	for _, s := range sections {
		for _, fig := range s.Figures {
			name := sheetName(fig.Title)
			if first {
				if err := x.SetSheetName(x.GetSheetName(0), name); err != nil {
					return nil, fmt.Errorf("sheet %s: %w", name, err)
				}
				first = false
			} else if _, err := x.NewSheet(name); err != nil {
				return nil, fmt.Errorf("sheet %s: %w", name, err)
			}
			sw, err := x.NewStreamWriter(name)
			if err != nil {
				return nil, fmt.Errorf("sheet %s: %w", name, err)
			}
			if err := sw.SetColWidth(1, 1, 24); err != nil {
				return nil, fmt.Errorf("sheet %s: %w", name, err)
			}
			rows := append([][]web.Cell{{web.Text(fig.Table.Caption)}, cellsOf(fig.Table.Head)}, fig.Table.Rows...)
			for r, row := range rows {
				values = values[:0]
				for _, cell := range row {
					if cell.Value != nil {
						values = append(values, cell.Value)
					} else {
						values = append(values, cell.Text)
					}
				}
				ref, err := excelize.CoordinatesToCellName(1, r+1)
				if err != nil {
					return nil, err
				}
				if err := sw.SetRow(ref, values); err != nil {
					return nil, fmt.Errorf("row %s!%s: %w", name, ref, err)
				}
			}
			if err := sw.Flush(); err != nil {
				return nil, fmt.Errorf("sheet %s: %w", name, err)
			}
		}
	}
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		return nil, fmt.Errorf("write workbook: %w", err)
	}
	return buf.Bytes(), nil
}

func cellsOf(head []string) []web.Cell {
	out := make([]web.Cell, len(head))
	for i, h := range head {
		out[i] = web.Text(h)
	}
	return out
}

// sheetName is a valid, short sheet name: Excel refuses []:*?/\ and more
// than 31 characters.
func sheetName(title string) string {
	r := []rune(strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return '-'
		}
		return r
	}, title))
	if len(r) > 31 {
		r = r[:31]
	}
	return string(r)
}

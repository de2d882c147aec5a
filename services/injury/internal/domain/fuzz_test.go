package domain_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/anxin-welfare/anxin/services/injury/internal/domain"
)

func FuzzParseCaseNumber(f *testing.F) {
	for _, s := range []string{"GC-2026-000123", "GC-2026-1000000", "GC-0000-000000", "gc-2026-000001", "GC-2026-", "GC-2026-99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		y, seq, err := domain.ParseCaseNumber(s)
		if err != nil {
			return
		}
		// What parses formats back to itself (modulo leading zeros beyond six digits).
		if again, seq2, err := domain.ParseCaseNumber(domain.FormatCaseNumber(y, seq)); err != nil || again != y || seq2 != seq {
			t.Fatalf("%q -> %d %d does not round-trip", s, y, seq)
		}
	})
}

func FuzzSniffDocument(f *testing.F) {
	for _, s := range []string{"%PDF-1.7", "\xff\xd8\xff\xe0", "\x89PNG\r\n\x1a\n", "<html>", "MZ", ""} {
		f.Add([]byte(s), int64(len(s)))
	}
	f.Fuzz(func(t *testing.T, head []byte, size int64) {
		ct, err := domain.SniffDocument(head, size)
		if err != nil {
			return
		}
		if size <= 0 || size > domain.MaxDocumentBytes {
			t.Fatalf("size %d accepted", size)
		}
		switch ct {
		case domain.TypePDF, domain.TypeJPEG, domain.TypePNG:
		default:
			t.Fatalf("type %q accepted", ct)
		}
	})
}

func FuzzCleanFileName(f *testing.F) {
	for _, s := range []string{"诊断.pdf", `..\..\x.exe`, "a\"b\r\nc", "", ".", "/", strings.Repeat("长", 300)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		got := domain.CleanFileName(name, domain.TypePDF)
		if !strings.HasSuffix(got, ".pdf") || strings.ContainsAny(got, "/\\\"\r\n;") || !utf8.ValidString(got) {
			t.Fatalf("CleanFileName(%q) = %q", name, got)
		}
		if utf8.RuneCountInString(got) > 104 {
			t.Fatalf("CleanFileName(%q) is %d runes", name, utf8.RuneCountInString(got))
		}
	})
}

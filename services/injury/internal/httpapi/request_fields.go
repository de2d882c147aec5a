package httpapi

import (
	"time"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/httpx"
)

// fieldErrors collects per-field problems of a request before the domain
// sees it: dates and instants travel as strings so a bad one is reported
// under its own field name.
type fieldErrors []fielderr.Problem

func (f *fieldErrors) add(name, code string, args ...any) {
	*f = append(*f, fielderr.Problem{Field: name, Code: code, Args: args})
}

func (f fieldErrors) err() error {
	if len(f) == 0 {
		return nil
	}
	return httpx.Invalid(f...)
}

// date parses a YYYY-MM-DD field; empty stays zero (the domain reports a
// missing required date).
func (f *fieldErrors) date(name, v string) time.Time {
	if v == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		f.add(name, "injury.date_invalid")
		return time.Time{}
	}
	return t
}

// instant parses an RFC 3339 field; a time without a zone is read as
// Asia/Shanghai, the zone every user is in.
func (f *fieldErrors) instant(name, v string) time.Time {
	if v == "" {
		return time.Time{}
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t.UTC()
	}
	if t, err := time.ParseInLocation("2006-01-02T15:04:05", v, clock.Shanghai); err == nil {
		return t.UTC()
	}
	if t, err := time.ParseInLocation("2006-01-02T15:04", v, clock.Shanghai); err == nil {
		return t.UTC()
	}
	f.add(name, "injury.instant_invalid")
	return time.Time{}
}

package leave

import (
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/anxin-welfare/anxin/api/client"
	leaveapi "github.com/anxin-welfare/anxin/api/client/leave"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
)

// The generated types mark every optional member with a pointer and every
// date with openapi_types.Date; the pages' views hold plain values, read
// here.

// dates are the days as YYYY-MM-DD, for the pages.
func dates(ds *[]openapi_types.Date) []string {
	if ds == nil {
		return []string{}
	}
	out := make([]string, 0, len(*ds))
	for _, d := range *ds {
		out = append(out, d.String())
	}
	return out
}

// day is a date as YYYY-MM-DD, "" when absent.
func day(d *openapi_types.Date) string {
	if d == nil {
		return ""
	}
	return d.String()
}

// ifMatchOptional is the If-Match of a change at version, none when the
// page showed no version (a first save).
func ifMatchOptional(version int64) *leaveapi.IfMatchOptional {
	if version <= 0 {
		return nil
	}
	tag := client.Tag(version)
	return &tag
}

// orUnexpected is err, or webkit.ErrUnexpected when the call succeeded
// without the answer the document promises.
func orUnexpected(err error, _ any) error {
	if err != nil {
		return err
	}
	return webkit.ErrUnexpected
}

// dateOf is the day of t as the generated clients take it.
func dateOf(t time.Time) openapi_types.Date { return openapi_types.Date{Time: t} }

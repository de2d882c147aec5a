package sheet

import (
	"errors"
	"mime"
)

// Format is a table file's format.
type Format string

// Formats.
const (
	CSV  Format = "csv"
	XLSX Format = "xlsx"
)

// Media types of the formats.
const (
	MediaCSV  = "text/csv"
	MediaXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

// Why FormatOf found no format.
var (
	// ErrFormatName: the name asked for is neither "csv" nor "xlsx".
	ErrFormatName = errors.New("sheet: format is neither csv nor xlsx")
	// ErrMediaType: no name was asked for and the content type is
	// neither CSV nor XLSX.
	ErrMediaType = errors.New("sheet: content type is neither CSV nor XLSX")
)

// FormatOf picks an upload's format: the name asked for (an API's
// ?format=csv or xlsx) or, when none is, the upload's Content-Type.
func FormatOf(name, contentType string) (Format, error) {
	switch name {
	case string(CSV):
		return CSV, nil
	case string(XLSX):
		return XLSX, nil
	case "":
	default:
		return "", ErrFormatName
	}
	if mt, _, err := mime.ParseMediaType(contentType); err == nil {
		switch mt {
		case MediaCSV:
			return CSV, nil
		case MediaXLSX:
			return XLSX, nil
		}
	}
	return "", ErrMediaType
}

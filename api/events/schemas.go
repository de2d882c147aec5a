// Package events embeds the JSON Schemas of Anxin's events, one file per
// event type and version (<source>.<aggregate>.<event>.v<N>.json), so that
// code can read at run time exactly what a schema publishes: the notify
// service sends webhook receivers only the fields the schema declares.
package events

import (
	"embed"
	"fmt"
)

//go:embed *.json
var files embed.FS

// Schema returns the schema of source's event typ ("case.opened") at
// version, or an error when there is none.
func Schema(source, typ string, version int) ([]byte, error) {
	b, err := files.ReadFile(fmt.Sprintf("%s.%s.v%d.json", source, typ, version))
	if err != nil {
		return nil, fmt.Errorf("events: no schema for %s %s v%d: %w", source, typ, version, err)
	}
	return b, nil
}

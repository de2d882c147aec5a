package cli

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/anxin-welfare/anxin/pkg/app"
	"github.com/anxin-welfare/anxin/pkg/config"
	"github.com/anxin-welfare/anxin/services/enrollment"
	"github.com/anxin-welfare/anxin/services/gateway"
	"github.com/anxin-welfare/anxin/services/grants"
	"github.com/anxin-welfare/anxin/services/injury"
	"github.com/anxin-welfare/anxin/services/leave"
)

// printSettings lists every variable Anxin reads, with its default and
// meaning, so the README's table can be checked against the code.
func printSettings(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "VARIABLE\tDEFAULT\tMEANING")
	for _, s := range Settings() {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", s.Env, s.Default, s.Doc)
	}
	return tw.Flush()
}

// Settings lists every variable Anxin reads, in the order `anxin config`
// prints them; deployment manifests are checked against it (no drift).
func Settings() []config.Setting {
	var out []config.Setting
	for _, cfg := range []any{app.Config{}, enrollment.Config{}, injury.Config{}, grants.Config{}, leave.Config{}, gateway.Config{}} {
		out = append(out, config.Describe(cfg)...)
	}
	return out
}

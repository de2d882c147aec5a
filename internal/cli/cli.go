// Package cli is the `anxin` command: serve, migrate, version, bench and
// the helpers operators run.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/anxin-welfare/anxin/pkg/app"
	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/pkg/pg"
)

// Exit codes: scripts and orchestrators tell failures apart by them.
const (
	ExitOK          = 0
	ExitFailure     = 1 // the service failed while running
	ExitUsage       = 2 // bad arguments or configuration
	ExitUnreachable = 3 // PostgreSQL or NATS could not be reached at start
)

// Version is set at build time with -ldflags "-X ...cli.Version=...".
var Version = "dev"

// Execute runs the command line and returns the process exit code.
func Execute(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	root := newRoot(stdout, stderr)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	fmt.Fprintln(stderr, "anxin:", err)
	return exitCode(err)
}

// usageError marks a mistake on the command line.
type usageError struct{ error }

func (u usageError) Unwrap() error { return u.error }

func exitCode(err error) int {
	var ue usageError
	switch {
	case errors.As(err, &ue), errors.Is(err, app.ErrConfig):
		return ExitUsage
	case errors.Is(err, pg.ErrUnreachable), errors.Is(err, bus.ErrUnreachable):
		return ExitUnreachable
	default:
		return ExitFailure
	}
}

func newRoot(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:           "anxin",
		Short:         "Anxin (安心): welfare and benefits for a county's political-legal officers",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(serveCmd(), migrateCmd(), versionCmd(), configCmd(), benchCmd(), seedCmd())
	root.AddCommand(healthcheckCmd(), keysCmd())
	return root
}

func versionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		Run: func(cmd *cobra.Command, _ []string) {
			fmt.Fprintln(cmd.OutOrStdout(), "anxin", Version)
		},
	}
}

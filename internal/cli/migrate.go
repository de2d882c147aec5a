package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/anxin-welfare/anxin/pkg/app"
)

func migrateCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "migrate [service...]",
		Short: "Apply the migrations of the named services (default all) and exit",
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				args = []string{"all"}
			}
			targets, err := resolveTargets(args)
			if err != nil {
				return err
			}
			cfg, cfgs, err := loadAll(targets)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			log := app.NewLogger(cfg.LogLevel)
			deps, err := app.Open(ctx, cfg, log)
			if err != nil {
				return err
			}
			defer deps.Close()
			for _, name := range targets {
				// Building a service opens its schema and migrates it; it
				// is not run.
				if _, err := specs[name].build(ctx, deps, cfgs[name]); err != nil {
					return fmt.Errorf("migrate %s: %w", name, err)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s: schema %s is up to date\n", name, specs[name].schema(cfgs[name]))
			}
			return nil
		},
	}
}

func configCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "config",
		Short: "List every configuration variable with its default",
		RunE: func(cmd *cobra.Command, _ []string) error {
			return printSettings(cmd.OutOrStdout())
		},
	}
}

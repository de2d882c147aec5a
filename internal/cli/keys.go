package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/spf13/cobra"

	"github.com/anxin-welfare/anxin/pkg/auth"
)

// keysCmd provisions the keys file production requires (ANXIN_KEYS_FILE):
// the operator runs it once, stores the file as a Secret (the Helm chart's
// keys.existingSecret, the compose file's keys secret) and backs it up
// apart from the database.
func keysCmd() *cobra.Command {
	keys := &cobra.Command{
		Use:   "keys",
		Short: "Provision the token-signing and field-encryption keys file",
	}
	keys.AddCommand(&cobra.Command{
		Use:   "new <file>",
		Short: "Write fresh keys to a new file (mode 0600); never overwrites one",
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError{errors.New("keys new: name the file to write, e.g. keys.json")}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			path := args[0]
			// Overwriting a deployment's keys would make every sealed field
			// unreadable: refuse.
			if _, err := os.Stat(path); err == nil {
				return usageError{fmt.Errorf("keys new: %s exists; it is not overwritten (its keys may be in use)", path)}
			} else if !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("keys new: %w", err)
			}
			if _, _, err := auth.LoadOrCreateKeys(path); err != nil {
				return fmt.Errorf("keys new: %w", err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "keys written to %s: store it as a secret and back it up apart from the database\n", path)
			return nil
		},
	})
	return keys
}

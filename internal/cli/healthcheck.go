package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/spf13/cobra"
)

// healthcheckCmd probes a URL (a service's /readyz or /healthz) and exits 0
// when it answers 2xx. The image has no shell and no curl, so a container
// engine's HEALTHCHECK (deploy/compose) runs the binary itself, checking the
// same paths as the Helm chart's probes.
func healthcheckCmd() *cobra.Command {
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "healthcheck <url>",
		Short: "Probe a service's /readyz or /healthz: exit 0 when it answers 2xx, else 1",
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError{errors.New("healthcheck: name the URL to probe, e.g. http://127.0.0.1:8080/readyz")}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			u, err := url.Parse(args[0])
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				return usageError{fmt.Errorf("healthcheck: %q is not an http(s) URL", args[0])}
			}
			ctx, cancel := context.WithTimeout(cmd.Context(), timeout)
			defer cancel()
			return probe(ctx, u.String(), cmd.OutOrStdout())
		},
	}
	cmd.Flags().DurationVar(&timeout, "timeout", 3*time.Second, "give up after this long")
	return cmd
}

// errNotReady is a probe answered with something other than 2xx.
var errNotReady = errors.New("not ready")

func probe(ctx context.Context, target string, out io.Writer) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck %s: %w", target, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	fmt.Fprintf(out, "%s %s\n", resp.Status, body)
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("healthcheck %s: %w (%s)", target, errNotReady, resp.Status)
	}
	return nil
}

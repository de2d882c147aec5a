// Command anxin-cluster runs the cluster topology on this machine until
// Ctrl-C (or until any of its processes ends unasked): see
// scripts/cluster.sh, which builds the binaries it needs.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/anxin-welfare/anxin/internal/cluster"
)

func main() {
	var o cluster.Options
	flag.StringVar(&o.DataDir, "data", ".data/cluster", "where the stores and logs live")
	flag.StringVar(&o.Anxin, "anxin", ".data/tools/anxin", "the anxin binary")
	flag.StringVar(&o.NATSServer, "nats-server", ".data/tools/nats-server", "the nats-server binary")
	flag.IntVar(&o.BasePort, "base-port", 24000, "first port used")
	flag.BoolVar(&o.NetNS, "netns", true, "put NATS node 3 in a network namespace")
	flag.Parse()
	o.Out = os.Stderr
	// Ctrl-C reaches every process of the terminal's group; the services
	// run in groups of their own, so the runner stops them in order.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	c, err := cluster.Start(ctx, o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cluster:", err)
		os.Exit(1)
	}
	fmt.Println()
	c.Listing(os.Stdout)
	fmt.Println("\nCtrl-C stops it all.")
	code := 0
	select {
	case <-ctx.Done():
		fmt.Fprintln(os.Stderr, "\ncluster: stopping")
	case err := <-c.Failed():
		fmt.Fprintln(os.Stderr, "cluster: a process ended unasked, stopping everything:", err)
		code = 1
	}
	c.Stop()
	fmt.Fprintln(os.Stderr, "cluster: stopped")
	os.Exit(code)
}

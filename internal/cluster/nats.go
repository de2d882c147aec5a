package cluster

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// The NATS node that can be cut off lives in a network namespace of its
// own, joined to the others by a veth pair on a bridge. Cutting it means
// taking its end of the pair down: the process runs on, unreachable, as a
// node behind a failed switch port would.
const (
	netnsName  = "anxin-cl-nats3"
	bridgeName = "anxclbr0"
	vethHost   = "anxclv3h"
	vethNS     = "anxclv3n"
	bridgeIP   = "10.231.77.1"
	nsIP       = "10.231.77.2"
)

// natsNode is one nats-server of the three.
type natsNode struct {
	*Proc
	name        string
	clientHost  string // where clients and monitoring reach it
	routeHost   string // where the other nodes reach it
	client      int
	route       int
	monitor     int
	inNamespace bool
}

// ClientURL is the node's nats:// URL.
func (n *natsNode) ClientURL() string { return fmt.Sprintf("nats://%s:%d", n.clientHost, n.client) }

// Monitor is the node's HTTP monitoring address.
func (n *natsNode) Monitor() string { return fmt.Sprintf("%s:%d", n.clientHost, n.monitor) }

func run(name string, args ...string) error {
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s %s: %w: %s", name, strings.Join(args, " "), err, out)
	}
	return nil
}

// setupNetns makes the namespace, the bridge and the veth pair, replacing
// any left by an earlier run. It reports why when the machine does not
// allow it.
func setupNetns() error {
	teardownNetns()
	steps := [][]string{
		{"ip", "netns", "add", netnsName},
		{"ip", "link", "add", bridgeName, "type", "bridge"},
		{"ip", "addr", "add", bridgeIP + "/24", "dev", bridgeName},
		{"ip", "link", "set", bridgeName, "up"},
		{"ip", "link", "add", vethHost, "type", "veth", "peer", "name", vethNS},
		{"ip", "link", "set", vethHost, "master", bridgeName},
		{"ip", "link", "set", vethHost, "up"},
		{"ip", "link", "set", vethNS, "netns", netnsName},
		{"ip", "netns", "exec", netnsName, "ip", "addr", "add", nsIP + "/24", "dev", vethNS},
		{"ip", "netns", "exec", netnsName, "ip", "link", "set", vethNS, "up"},
		{"ip", "netns", "exec", netnsName, "ip", "link", "set", "lo", "up"},
	}
	for _, s := range steps {
		if err := run(s[0], s[1:]...); err != nil {
			teardownNetns()
			return err
		}
	}
	return nil
}

func teardownNetns() {
	_ = exec.Command("ip", "link", "del", vethHost).Run()
	_ = exec.Command("ip", "link", "del", bridgeName).Run()
	_ = exec.Command("ip", "netns", "del", netnsName).Run()
}

func (c *Cluster) natsNodes() []*natsNode {
	nodes := make([]*natsNode, 3)
	for i := range 3 {
		n := &natsNode{name: fmt.Sprintf("nats-%d", i+1), clientHost: "127.0.0.1", routeHost: "127.0.0.1",
			client: c.port(10 + i), route: c.port(20 + i), monitor: c.port(30 + i)}
		if c.NetNS {
			n.routeHost = bridgeIP
			if i == 2 {
				n.clientHost, n.routeHost, n.inNamespace = nsIP, nsIP, true
			}
		}
		nodes[i] = n
	}
	return nodes
}

// startNATS writes each node's configuration and starts the three.
func (c *Cluster) startNATS(ctx context.Context) error {
	if c.opts.NetNS {
		if err := setupNetns(); err != nil {
			c.Notef("network namespaces unavailable (%v): the partition drill falls back to SIGSTOP", err)
		} else {
			c.NetNS = true
		}
	}
	nodes := c.natsNodes()
	routes := make([]string, len(nodes))
	for i, n := range nodes {
		routes[i] = fmt.Sprintf("nats-route://%s:%d", n.routeHost, n.route)
	}
	sync := ""
	if c.opts.SyncAlways {
		sync = "\n  sync_interval: always"
	}
	for _, n := range nodes {
		store := filepath.Join(c.opts.DataDir, n.name)
		if err := os.MkdirAll(store, 0o755); err != nil {
			return err
		}
		conf := fmt.Sprintf(`server_name: %s
listen: "%s:%d"
http: %q
jetstream {
  store_dir: %q
  max_memory_store: 256MB
  max_file_store: 4GB%s
}
cluster {
  name: anxin
  listen: "%s:%d"
  routes: [%s]
}
`, n.name, n.clientHost, n.client, n.Monitor(), store, sync, n.routeHost, n.route, strings.Join(routes, ", "))
		path := filepath.Join(c.opts.DataDir, n.name+".conf")
		if err := os.WriteFile(path, []byte(conf), 0o644); err != nil {
			return err
		}
		argv := []string{c.opts.NATSServer, "-c", path}
		if n.inNamespace {
			argv = append([]string{"ip", "netns", "exec", netnsName}, argv...)
		}
		n.Proc = &Proc{Name: n.name, Addr: fmt.Sprintf("%s:%d", n.clientHost, n.client), argv: argv,
			log: filepath.Join(c.opts.DataDir, n.name+".log"), onExit: c.unexpectedExit}
	}
	c.NATS = nodes
	for _, n := range nodes {
		if err := n.Start(); err != nil {
			return err
		}
	}
	for _, n := range nodes {
		if err := waitTCP(ctx, n.Addr, 30*time.Second); err != nil {
			return fmt.Errorf("%s: %w (log %s)", n.name, err, n.log)
		}
	}
	// /healthz answers 200 once the node knows the JetStream meta leader;
	// a stream declared before that waits out its whole timeout.
	for _, n := range nodes {
		if err := waitHealthz(ctx, n, 60*time.Second); err != nil {
			return err
		}
	}
	return c.waitStreamLeaders(ctx, 60*time.Second)
}

// waitStreamLeaders waits until every stream the cluster already holds
// has a leader. A stream declared while its leader is being elected gets no
// answer, and the declaration waits out its whole timeout.
func (c *Cluster) waitStreamLeaders(ctx context.Context, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	var last string
	for {
		status, body, err := getAll(ctx, "http://"+c.NATS[0].Monitor()+"/jsz?streams=true")
		if err == nil && status == 200 {
			var jsz struct {
				Meta *struct {
					Leader string `json:"leader"`
				} `json:"meta_cluster"`
				Accounts []struct {
					Streams []struct {
						Name    string `json:"name"`
						Cluster *struct {
							Leader string `json:"leader"`
						} `json:"cluster"`
					} `json:"stream_detail"`
				} `json:"account_details"`
			}
			if err := json.Unmarshal([]byte(body), &jsz); err != nil {
				return fmt.Errorf("jsz: %w", err)
			}
			last = ""
			if jsz.Meta == nil || jsz.Meta.Leader == "" {
				last = "no meta leader"
			}
			for _, a := range jsz.Accounts {
				for _, s := range a.Streams {
					if s.Cluster == nil || s.Cluster.Leader == "" {
						last = "stream " + s.Name + " has no leader"
					}
				}
			}
			if last == "" {
				return nil
			}
		} else {
			last = fmt.Sprintf("%d %v", status, err)
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("NATS not settled after %v: %s", timeout, last)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
}

func waitHealthz(ctx context.Context, n *natsNode, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		status, body, err := get(ctx, "http://"+n.Monitor()+"/healthz")
		if err == nil && status == 200 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s not healthy after %v: %d %s %v (log %s)", n.name, timeout, status, body, err, n.log)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// NATSURL lists every node for the services.
func (c *Cluster) NATSURL() string {
	urls := make([]string, len(c.NATS))
	for i, n := range c.NATS {
		urls[i] = n.ClientURL()
	}
	return strings.Join(urls, ",")
}

// Partition cuts node i off the others and the services; Heal joins it
// again. Without network namespaces they freeze and continue the process.
func (c *Cluster) Partition(i int) error {
	if c.NetNS && c.NATS[i].inNamespace {
		return run("ip", "link", "set", vethHost, "down")
	}
	return c.NATS[i].Pause()
}

// Heal undoes Partition.
func (c *Cluster) Heal(i int) error {
	if c.NetNS && c.NATS[i].inNamespace {
		return run("ip", "link", "set", vethHost, "up")
	}
	return c.NATS[i].Resume()
}

// PartitionTarget is the node Partition can cut off: the one in the
// namespace, or node 3.
func (c *Cluster) PartitionTarget() int { return 2 }

// Package deploy_test checks the deployment files against the code: the Helm
// chart as helm renders it, the compose file and the Dockerfile. Nothing is
// skipped: without ANXIN_HELM_RENDERED (set by scripts/test.sh after
// scripts/helm.sh linted and rendered the chart) the test runs
// scripts/helm.sh itself, building helm first if it must.
package deploy_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"go.yaml.in/yaml/v3"

	"github.com/anxin-welfare/anxin/internal/cli"
)

// helmVersion is the helm scripts/helm.sh builds.
const helmVersion = "v4.3.2"

var services = []string{"enrollment", "injury", "grants", "leave", "notify", "gateway"}

// obj is one decoded manifest.
type obj = map[string]any

// renders holds the chart rendered with its defaults and with
// ci/test-values.yaml (every optional part on).
type renders struct{ def, ci []obj }

// renderDir is the temporary directory render made, removed by TestMain.
var renderDir string

func TestMain(m *testing.M) {
	code := m.Run()
	if renderDir != "" {
		_ = os.RemoveAll(renderDir)
	}
	os.Exit(code)
}

var render = sync.OnceValues(func() (renders, error) {
	dir := os.Getenv("ANXIN_HELM_RENDERED")
	if dir == "" {
		tmp, err := os.MkdirTemp("", "anxin-helm-")
		if err != nil {
			return renders{}, err
		}
		dir, renderDir = tmp, tmp
		cmd := exec.Command("bash", "../scripts/helm.sh")
		cmd.Env = append(os.Environ(), "ANXIN_HELM_OUT="+dir)
		if out, err := cmd.CombinedOutput(); err != nil {
			return renders{}, fmt.Errorf("scripts/helm.sh (lint and template) failed: %w\n%s", err, out)
		}
	}
	var r renders
	var err error
	if r.def, err = decodeFile(filepath.Join(dir, "rendered-default.yaml")); err != nil {
		return r, err
	}
	r.ci, err = decodeFile(filepath.Join(dir, "rendered-ci.yaml"))
	return r, err
})

func decodeFile(path string) ([]obj, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var docs []obj
	dec := yaml.NewDecoder(bytes.NewReader(b))
	for {
		var d obj
		err := dec.Decode(&d)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if d != nil {
			docs = append(docs, d)
		}
	}
	if len(docs) == 0 {
		return nil, fmt.Errorf("%s: no manifests", path)
	}
	return docs, nil
}

func rendered(t *testing.T) renders {
	t.Helper()
	if b, err := os.ReadFile("../scripts/helm.sh"); err != nil || !strings.Contains(string(b), "\nversion="+helmVersion+"\n") {
		t.Fatalf("scripts/helm.sh does not pin helm %s (read: %v)", helmVersion, err)
	}
	// Building helm takes minutes on a small machine: say so plainly rather
	// than die at go test's default 10-minute timeout.
	if os.Getenv("ANXIN_HELM_RENDERED") == "" && os.Getenv("HELM") == "" {
		if _, err := os.Stat("../.data/tools/helm-" + helmVersion + "/helm"); err != nil {
			if d, ok := t.Deadline(); ok && time.Until(d) < 20*time.Minute {
				t.Fatalf("helm %s is not built yet and building it can outlast this test's timeout: run `make helm` once (or go test -timeout 30m)", helmVersion)
			}
		}
	}
	r, err := render()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// get walks a path of map keys and list indexes.
func get(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(obj)
			if !ok {
				return nil
			}
			v = m[k]
		case int:
			l, ok := v.([]any)
			if !ok || k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

func str(v any, path ...any) string {
	s, _ := get(v, path...).(string)
	return s
}

func list(v any, path ...any) []any {
	l, _ := get(v, path...).([]any)
	return l
}

func kind(docs []obj, k string) []obj {
	var out []obj
	for _, d := range docs {
		if d["kind"] == k {
			out = append(out, d)
		}
	}
	return out
}

func component(d obj) string { return str(d, "metadata", "labels", "app.kubernetes.io/component") }

// knownSettings is every variable `anxin config` prints, from the code.
func knownSettings() map[string]bool {
	known := map[string]bool{}
	for _, s := range cli.Settings() {
		known[s.Env] = true
	}
	return known
}

// envNames lists the variables a container sets, resolving envFrom
// ConfigMaps among the rendered documents.
func envNames(t *testing.T, docs []obj, c any) map[string]string {
	t.Helper()
	names := map[string]string{}
	for _, e := range list(c, "env") {
		names[str(e, "name")] = str(e, "value")
	}
	for _, from := range list(c, "envFrom") {
		if name := str(from, "configMapRef", "name"); name != "" {
			var found bool
			for _, cm := range kind(docs, "ConfigMap") {
				if str(cm, "metadata", "name") == name {
					found = true
					for k, v := range get(cm, "data").(obj) {
						names[k], _ = v.(string)
					}
				}
			}
			if !found {
				t.Errorf("envFrom ConfigMap %q is not rendered by the chart", name)
			}
		} else {
			t.Errorf("envFrom %v: only ConfigMaps the chart renders can be checked for drift", from)
		}
	}
	return names
}

// checkPodSecurity: non-root, read-only root, no privilege escalation, no
// capabilities, RuntimeDefault seccomp; a writable /tmp since the root is not.
func checkPodSecurity(t *testing.T, what string, pod any) {
	t.Helper()
	psc := get(pod, "securityContext")
	if get(psc, "runAsNonRoot") != true {
		t.Errorf("%s: pod securityContext.runAsNonRoot is not true", what)
	}
	if uid, _ := get(psc, "runAsUser").(int); uid <= 0 {
		t.Errorf("%s: pod securityContext.runAsUser %v is not a non-root uid", what, get(psc, "runAsUser"))
	}
	for _, c := range list(pod, "containers") {
		csc := get(c, "securityContext")
		if get(csc, "runAsNonRoot") != true {
			t.Errorf("%s: container securityContext.runAsNonRoot is not true", what)
		}
		if get(csc, "readOnlyRootFilesystem") != true {
			t.Errorf("%s: readOnlyRootFilesystem is not true", what)
		}
		if get(csc, "allowPrivilegeEscalation") != false {
			t.Errorf("%s: allowPrivilegeEscalation is not false", what)
		}
		if !slices.Contains(list(csc, "capabilities", "drop"), any("ALL")) {
			t.Errorf("%s: capabilities do not drop ALL", what)
		}
		if str(csc, "seccompProfile", "type") != "RuntimeDefault" && str(psc, "seccompProfile", "type") != "RuntimeDefault" {
			t.Errorf("%s: seccompProfile is not RuntimeDefault", what)
		}
		res := get(c, "resources")
		for _, p := range [][]any{{"requests", "cpu"}, {"requests", "memory"}, {"limits", "memory"}} {
			if get(res, p...) == nil {
				t.Errorf("%s: resources.%s.%s is not set", what, p[0], p[1])
			}
		}
		mounts := map[string]string{}
		for _, m := range list(c, "volumeMounts") {
			mounts[str(m, "mountPath")] = str(m, "name")
		}
		if mounts["/tmp"] == "" {
			t.Errorf("%s: no writable /tmp on a read-only root filesystem", what)
		}
	}
}

// checkKeysMounted: ANXIN_KEYS_FILE lies in a volume made from a Secret.
func checkKeysMounted(t *testing.T, what string, pod any, env map[string]string) {
	t.Helper()
	keysFile := env["ANXIN_KEYS_FILE"]
	if keysFile == "" {
		t.Errorf("%s: ANXIN_KEYS_FILE is not set: production refuses to run without it", what)
		return
	}
	for _, m := range list(pod, "containers", 0, "volumeMounts") {
		if filepath.Dir(keysFile) != str(m, "mountPath") {
			continue
		}
		for _, v := range list(pod, "volumes") {
			if str(v, "name") == str(m, "name") && str(v, "secret", "secretName") != "" {
				return
			}
		}
	}
	t.Errorf("%s: ANXIN_KEYS_FILE=%s is not in a volume mounted from a Secret", what, keysFile)
}

func TestHelmChartRendersSafeManifests(t *testing.T) {
	r := rendered(t)
	known := knownSettings()
	for name, docs := range map[string][]obj{"defaults": r.def, "ci-values": r.ci} {
		t.Run(name, func(t *testing.T) {
			deps := kind(docs, "Deployment")
			var got []string
			for _, d := range deps {
				svc := component(d)
				got = append(got, svc)
				pod := get(d, "spec", "template", "spec")
				what := "Deployment " + str(d, "metadata", "name")
				c := get(pod, "containers", 0)
				if args := list(c, "args"); len(args) != 2 || args[0] != "serve" || args[1] != svc {
					t.Errorf("%s: args %v, want [serve %s]", what, args, svc)
				}
				if p := str(c, "readinessProbe", "httpGet", "path"); p != "/readyz" {
					t.Errorf("%s: readinessProbe path %q, want /readyz", what, p)
				}
				if p := str(c, "livenessProbe", "httpGet", "path"); p != "/healthz" {
					t.Errorf("%s: livenessProbe path %q, want /healthz", what, p)
				}
				checkPodSecurity(t, what, pod)
				env := envNames(t, docs, c)
				for n := range env {
					if !known[n] {
						t.Errorf("%s sets %s, which `anxin config` does not know (drift)", what, n)
					}
				}
				if _, ok := env["DATABASE_URL"]; !ok {
					t.Errorf("%s: DATABASE_URL is not set", what)
				}
				checkKeysMounted(t, what, pod, env)
				if svc == "gateway" {
					for _, s := range services[:4] {
						if u := env["ANXIN_"+strings.ToUpper(s)+"_URL"]; !strings.Contains(u, "-"+s+".") {
							t.Errorf("gateway: ANXIN_%s_URL=%q does not point at the %s Service", strings.ToUpper(s), u, s)
						}
					}
				}
			}
			slices.Sort(got)
			want := slices.Sorted(slices.Values(services))
			if !slices.Equal(got, want) {
				t.Fatalf("Deployments for %v, want one per service %v", got, want)
			}
			for _, k := range []string{"PodDisruptionBudget", "Service", "NetworkPolicy"} {
				var per []string
				for _, d := range kind(docs, k) {
					if c := component(d); c != "" && c != "migrate" {
						per = append(per, c)
					}
				}
				slices.Sort(per)
				if !slices.Equal(per, want) {
					t.Errorf("%s for %v, want one per service", k, per)
				}
			}
			// Every service has an HPA unless it runs a fixed replica count.
			for _, d := range deps {
				hasHPA := slices.ContainsFunc(kind(docs, "HorizontalPodAutoscaler"), func(h obj) bool {
					return str(h, "spec", "scaleTargetRef", "name") == str(d, "metadata", "name")
				})
				if !hasHPA && get(d, "spec", "replicas") == nil {
					t.Errorf("Deployment %s has neither an HPA nor replicas", str(d, "metadata", "name"))
				}
			}
			checkNetworkPolicies(t, docs)
			checkMigrationJob(t, docs, known)
		})
	}
	t.Run("chart-made secrets", func(t *testing.T) {
		secrets := map[string]obj{}
		for _, s := range kind(r.ci, "Secret") {
			secrets[str(s, "metadata", "name")] = s
		}
		for _, d := range append(kind(r.ci, "Deployment"), kind(r.ci, "Job")...) {
			for _, e := range list(d, "spec", "template", "spec", "containers", 0, "env") {
				if ref := get(e, "valueFrom", "secretKeyRef"); ref != nil {
					if s, ok := secrets[str(ref, "name")]; !ok || get(s, "data", str(ref, "key")) == nil {
						t.Errorf("%s: %s from Secret %s key %s, which the chart does not render", str(d, "metadata", "name"), str(e, "name"), str(ref, "name"), str(ref, "key"))
					}
				}
			}
			for _, v := range list(d, "spec", "template", "spec", "volumes") {
				if n := str(v, "secret", "secretName"); n != "" && str(v, "name") == "keys" {
					if s, ok := secrets[n]; !ok || get(s, "data", "keys.json") == nil {
						t.Errorf("%s: keys volume from Secret %s without keys.json", str(d, "metadata", "name"), n)
					}
				}
			}
		}
		if len(kind(r.ci, "ServiceMonitor")) != 1 {
			t.Errorf("metrics.serviceMonitor.enabled renders %d ServiceMonitors, want 1", len(kind(r.ci, "ServiceMonitor")))
		}
		if len(kind(r.def, "ServiceMonitor")) != 0 {
			t.Error("the ServiceMonitor is rendered although it is off by default")
		}
	})
}

// checkNetworkPolicies: the services admit only the gateway; the gateway
// admits the outside; NATS and PostgreSQL admit anxin's pods.
func checkNetworkPolicies(t *testing.T, docs []obj) {
	t.Helper()
	for _, np := range kind(docs, "NetworkPolicy") {
		svc := component(np)
		name := str(np, "metadata", "name")
		types := list(np, "spec", "policyTypes")
		if svc != "" && (!slices.Contains(types, any("Ingress")) || !slices.Contains(types, any("Egress"))) {
			t.Errorf("NetworkPolicy %s: policyTypes %v, want Ingress and Egress", name, types)
		}
		if svc == "" || svc == "gateway" || svc == "migrate" {
			continue
		}
		for _, rule := range list(np, "spec", "ingress") {
			if str(rule, "ports", 0, "port") != "http" {
				continue
			}
			from := list(rule, "from")
			if len(from) != 1 || str(from[0], "podSelector", "matchLabels", "app.kubernetes.io/component") != "gateway" {
				t.Errorf("NetworkPolicy %s: the http port admits %v, want the gateway alone", name, from)
			}
		}
	}
	var natsRule, pgRule bool
	for _, np := range kind(docs, "NetworkPolicy") {
		if strings.HasSuffix(str(np, "metadata", "name"), "-nats-clients") {
			natsRule = str(np, "spec", "ingress", 0, "from", 0, "podSelector", "matchLabels", "app.kubernetes.io/part-of") == "anxin"
		}
		if strings.HasSuffix(str(np, "metadata", "name"), "-postgres-clients") {
			pgRule = str(np, "spec", "ingress", 0, "from", 0, "podSelector", "matchLabels", "app.kubernetes.io/part-of") == "anxin"
		}
	}
	if !natsRule || !pgRule {
		t.Errorf("NetworkPolicies admitting anxin's pods to NATS (%v) and PostgreSQL (%v) are missing", natsRule, pgRule)
	}
}

// checkMigrationJob: one Job runs `anxin migrate` as a pre-install and
// pre-upgrade hook, with the services' settings and security.
func checkMigrationJob(t *testing.T, docs []obj, known map[string]bool) {
	t.Helper()
	jobs := kind(docs, "Job")
	if len(jobs) != 1 {
		t.Fatalf("%d Jobs, want the migration Job", len(jobs))
	}
	j := jobs[0]
	hook := str(j, "metadata", "annotations", "helm.sh/hook")
	if !strings.Contains(hook, "pre-install") || !strings.Contains(hook, "pre-upgrade") {
		t.Errorf("migration Job hook %q, want pre-install and pre-upgrade (before the services roll)", hook)
	}
	pod := get(j, "spec", "template", "spec")
	c := get(pod, "containers", 0)
	if args := list(c, "args"); len(args) != 1 || args[0] != "migrate" {
		t.Errorf("migration Job args %v, want [migrate]", args)
	}
	checkPodSecurity(t, "migration Job", pod)
	env := envNames(t, docs, c)
	for n := range env {
		if !known[n] {
			t.Errorf("migration Job sets %s, which `anxin config` does not know (drift)", n)
		}
	}
	checkKeysMounted(t, "migration Job", pod, env)
	// The Job runs before the ConfigMap exists on install: the same settings,
	// inline.
	for _, cm := range kind(docs, "ConfigMap") {
		for k, v := range get(cm, "data").(obj) {
			if env[k] != v {
				t.Errorf("migration Job: %s=%q, the services get %q", k, env[k], v)
			}
		}
	}
}

// The compose file is the chart on one host: the same settings, probes and
// order, three NATS servers, and nothing anxin does not know.
func TestComposeMatchesChart(t *testing.T) {
	r := rendered(t)
	known := knownSettings()
	b, err := os.ReadFile("compose/compose.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var compose obj
	if err := yaml.Unmarshal(b, &compose); err != nil {
		t.Fatalf("compose.yaml: %v", err)
	}
	// What every chart pod gets (the ConfigMap and DATABASE_URL), and what
	// the gateway gets besides (where the services are).
	chartEnv := map[string]string{"DATABASE_URL": ""}
	for _, cm := range kind(r.def, "ConfigMap") {
		for k, v := range get(cm, "data").(obj) {
			chartEnv[k], _ = v.(string)
		}
	}
	chartGateway := maps.Clone(chartEnv)
	var chartUser string
	for _, d := range kind(r.def, "Deployment") {
		psc := get(d, "spec", "template", "spec", "securityContext")
		chartUser = fmt.Sprintf("%v:%v", get(psc, "runAsUser"), get(psc, "runAsGroup"))
		if component(d) == "gateway" {
			for k, v := range envNames(t, r.def, get(d, "spec", "template", "spec", "containers", 0)) {
				if strings.HasSuffix(k, "_URL") {
					chartGateway[k] = v
				}
			}
		}
	}
	svcs, _ := compose["services"].(obj)
	for _, n := range []string{"nats-1", "nats-2", "nats-3", "postgres", "migrate"} {
		if svcs[n] == nil {
			t.Errorf("compose: no service %s", n)
		}
	}
	for _, name := range services {
		s := svcs[name]
		if s == nil {
			t.Errorf("compose: no container for %s", name)
			continue
		}
		if cmd := list(s, "command"); len(cmd) != 2 || cmd[0] != "serve" || cmd[1] != name {
			t.Errorf("compose %s: command %v, want [serve %s]", name, cmd, name)
		}
		if cond := str(s, "depends_on", "migrate", "condition"); cond != "service_completed_successfully" {
			t.Errorf("compose %s: depends on migrate with %q, want service_completed_successfully", name, cond)
		}
		test := fmt.Sprint(list(s, "healthcheck", "test"))
		if !strings.Contains(test, "/readyz") {
			t.Errorf("compose %s: healthcheck %s does not probe /readyz as the chart does", name, test)
		}
		if get(s, "read_only") != true || !slices.Contains(list(s, "cap_drop"), any("ALL")) {
			t.Errorf("compose %s: not read-only and without capabilities", name)
		}
		if str(s, "user") != chartUser {
			t.Errorf("compose %s: user %q, the chart runs as %s", name, str(s, "user"), chartUser)
		}
		env := map[string]string{}
		for k, v := range get(s, "environment").(obj) {
			env[k] = fmt.Sprint(v)
			if !known[k] {
				t.Errorf("compose %s sets %s, which `anxin config` does not know (drift)", name, k)
			}
		}
		want := chartEnv
		if name == "gateway" {
			want = chartGateway
		}
		for k, v := range want {
			got, ok := env[k]
			switch {
			case !ok:
				t.Errorf("compose %s: %s is set by the chart but not here", name, k)
			case k == "ANXIN_ENV" || k == "ANXIN_HTTP_ADDR" || k == "ANXIN_KEYS_FILE" || k == "ANXIN_DATA_DIR" || k == "ANXIN_METRICS_ADDR" || k == "ANXIN_NATS_REPLICAS":
				if got != v {
					t.Errorf("compose %s: %s=%q, the chart sets %q", name, k, got, v)
				}
			}
		}
	}
	if cmd := list(svcs["migrate"], "command"); len(cmd) != 1 || cmd[0] != "migrate" {
		t.Errorf("compose migrate: command %v, want [migrate]", cmd)
	}
	conf, err := os.ReadFile("compose/nats.conf")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"jetstream", "nats://nats-1:6222", "nats://nats-2:6222", "nats://nats-3:6222"} {
		if !strings.Contains(string(conf), want) {
			t.Errorf("compose/nats.conf lacks %q: not a 3-node JetStream cluster", want)
		}
	}
}

// The Dockerfile builds a static binary with tz data on pinned bases and
// runs it as the uid the chart and the compose file expect.
func TestDockerfilePinsItsBases(t *testing.T) {
	b, err := os.ReadFile("image/Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	pinned := regexp.MustCompile(`^FROM\s+(\S+?)(?::(\d+\.\d+\.\d+\S*)|@sha256:[0-9a-f]{64})?(?:\s+AS\s+\w+)?\s*$`)
	var last string
	for _, line := range strings.Split(text, "\n") {
		if !strings.HasPrefix(line, "FROM ") {
			continue
		}
		m := pinned.FindStringSubmatch(line)
		if m == nil || (m[1] != "scratch" && !strings.Contains(line, "@sha256:") && m[2] == "") {
			t.Errorf("Dockerfile: %q is not pinned to an exact release or a digest", line)
		}
		last = line
	}
	if strings.TrimSpace(last) != "FROM scratch" {
		t.Errorf("Dockerfile: final stage %q, want FROM scratch (no shell)", last)
	}
	for _, want := range []string{"CGO_ENABLED=0", "-tags timetzdata", "USER 65532:65532", "fonts-wqy-microhei=", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"} {
		if !strings.Contains(text, want) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
}

// The example NATS values and CloudNativePG cluster match what the chart
// expects by default: 3 JetStream servers behind nats.url, and a cluster
// whose instance pods the NetworkPolicy selects.
func TestExamplesMatchChartDefaults(t *testing.T) {
	r := rendered(t)
	docs, err := decodeFile("helm/examples/cnpg-cluster.yaml")
	if err != nil {
		t.Fatal(err)
	}
	clusters := kind(docs, "Cluster")
	if len(clusters) != 1 {
		t.Fatalf("cnpg-cluster.yaml: %d Clusters, want 1", len(clusters))
	}
	c := clusters[0]
	if n, _ := get(c, "spec", "instances").(int); n < 3 {
		t.Errorf("cnpg-cluster.yaml: %d instances, want at least 3", n)
	}
	if get(c, "spec", "postgresql", "synchronous", "number") == nil {
		t.Error("cnpg-cluster.yaml: no synchronous replication")
	}
	name := str(c, "metadata", "name")
	var selected bool
	for _, np := range kind(r.def, "NetworkPolicy") {
		if strings.HasSuffix(str(np, "metadata", "name"), "-postgres-clients") {
			selected = str(np, "spec", "podSelector", "matchLabels", "cnpg.io/cluster") == name
		}
	}
	if !selected {
		t.Errorf("the chart's PostgreSQL NetworkPolicy does not select the example cluster %s", name)
	}
	nats, err := decodeFile("helm/examples/nats-values.yaml")
	if err != nil {
		t.Fatal(err)
	}
	v := nats[0]
	if get(v, "config", "cluster", "enabled") != true || get(v, "config", "cluster", "replicas") != 3 || get(v, "config", "jetstream", "enabled") != true {
		t.Error("nats-values.yaml: not 3 clustered servers with JetStream")
	}
	var natsURL, replicas string
	for _, cm := range kind(r.def, "ConfigMap") {
		natsURL, replicas = str(cm, "data", "NATS_URL"), str(cm, "data", "ANXIN_NATS_REPLICAS")
	}
	if natsURL != "nats://nats.nats.svc:4222" || replicas != "3" {
		t.Errorf("chart defaults NATS_URL=%q ANXIN_NATS_REPLICAS=%q, want the example release nats in namespace nats at R3", natsURL, replicas)
	}
}

// The compose file's nats.conf is read by the nats-server the project
// requires: a clustered JetStream server that fsyncs every write, routed to
// all three.
func TestComposeNATSConfigLoads(t *testing.T) {
	t.Setenv("NATS_SERVER_NAME", "nats-2")
	o, err := server.ProcessConfigFile("compose/nats.conf")
	if err != nil {
		t.Fatalf("nats-server rejects compose/nats.conf: %v", err)
	}
	if o.ServerName != "nats-2" || !o.JetStream || !o.SyncAlways || o.Cluster.Name == "" || len(o.Routes) != 3 {
		t.Errorf("compose/nats.conf: server_name=%q jetstream=%v sync_always=%v cluster=%q routes=%d; want nats-2, JetStream, fsync always, a cluster of 3",
			o.ServerName, o.JetStream, o.SyncAlways, o.Cluster.Name, len(o.Routes))
	}
}

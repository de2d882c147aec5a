// Package browsertest starts Debian's Chromium for the gateway's browser
// tests, headless on a phone-sized window with a fresh profile and the
// flags the project's tests run with. Only tests import it.
package browsertest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// ChromiumPath is where Debian's chromium package puts the browser; make
// test installs it where it is missing.
const ChromiumPath = "/usr/bin/chromium"

// Start runs a browser for t, stopped when t ends, and returns the context
// of its tab, bounded by limit. A missing browser fails t with what to
// install.
func Start(t testing.TB, limit time.Duration) context.Context {
	t.Helper()
	if _, err := os.Stat(ChromiumPath); err != nil {
		t.Fatalf("browser tests need Debian's chromium at %s (apt-get install -y chromium; make test installs it): %v", ChromiumPath, err)
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(ChromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(390, 844),
	)
	ctx, cancelCtx := chromedp.NewContext(actx)
	// limit is what a journey takes on an idle machine; a loaded one (CI
	// beside other work) makes it slower, not wrong, so the journey may run
	// until shortly before the test binary's own deadline (go test
	// -timeout). Each step keeps its own bound, so a page that never shows
	// what a step waits for still fails fast with what it says.
	deadline := time.Now().Add(limit)
	if dt, ok := t.(interface{ Deadline() (time.Time, bool) }); ok {
		if d, ok := dt.Deadline(); ok && d.Add(-30*time.Second).After(deadline) {
			deadline = d.Add(-30 * time.Second)
		}
	}
	ctx, cancelTimeout := context.WithDeadline(ctx, deadline)
	t.Cleanup(func() {
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
	})
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("cannot start %s: %v", ChromiumPath, err)
	}
	return ctx
}

// AxeVersion is the axe-core release the journeys check pages with;
// scripts/test.sh installs exactly this one into .data/tools.
const AxeVersion = "4.14.1"

// axeTags are the rule sets GB/T 37668-2019 asks for: WCAG 2.1 A and AA.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}

var (
	axeOnce   sync.Once
	axeSource string
	axeErr    error
)

// axePath is where scripts/test.sh installs axe-core, or ANXIN_AXE_JS.
func axePath() (string, error) {
	if p := os.Getenv("ANXIN_AXE_JS"); p != "" {
		return p, nil
	}
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return "", errors.New("cannot locate the repository")
	}
	root := filepath.Join(filepath.Dir(file), "..", "..", "..", "..")
	return filepath.Join(root, ".data", "tools", "node_modules", "axe-core", "axe.min.js"), nil
}

func loadAxe() (string, error) {
	axeOnce.Do(func() {
		p, err := axePath()
		if err != nil {
			axeErr = err
			return
		}
		b, err := os.ReadFile(p)
		if err != nil {
			axeErr = fmt.Errorf("the journeys check every page with axe-core %s and cannot run without it (scripts/test.sh installs it: npm install --prefix .data/tools axe-core@%s): %w", AxeVersion, AxeVersion, err)
			return
		}
		axeSource = string(b)
	})
	return axeSource, axeErr
}

// AxeViolation is one WCAG rule a page breaks, with the elements that
// break it.
type AxeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any  `json:"target"`
		HTML   string `json:"html"`
		Fail   string `json:"failureSummary"`
	} `json:"nodes"`
}

// AxeCheck runs axe-core's WCAG 2.1 A and AA rules on the document now
// in the tab and fails t with each violation, naming the rule, the page
// and the elements. It injects axe through the DevTools protocol, so the
// pages' Content-Security-Policy stays as strict as users get it. A
// missing axe-core fails t: a check that cannot run is not a pass.
func AxeCheck(t testing.TB, ctx context.Context) {
	t.Helper()
	src, err := loadAxe()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof window.axe === "object"`))
	if err != nil {
		t.Fatalf("axe: %v", err)
	}
	if !loaded {
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](src+"\n;undefined")); err != nil {
			t.Fatalf("axe: injecting axe-core: %v", err)
		}
	}
	version, err := chromedp.Run(ctx, chromedp.Evaluate[string](`axe.version`))
	if err != nil || version != AxeVersion {
		t.Fatalf("axe: the page has axe-core %q, the journeys pin %s (%v): run scripts/test.sh to install it", version, AxeVersion, err)
	}
	tags, _ := json.Marshal(axeTags)
	js := fmt.Sprintf(`axe.run(document, {runOnly: {type: "tag", values: %s}, resultTypes: ["violations"]}).then(r => ({url: location.href, violations: r.violations}))`, tags)
	res, err := chromedp.Run(ctx, chromedp.Evaluate[struct {
		URL        string         `json:"url"`
		Violations []AxeViolation `json:"violations"`
	}](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("axe: running the checks: %v", err)
	}
	for _, v := range res.Violations {
		var b strings.Builder
		for i, n := range v.Nodes {
			if i == 5 {
				fmt.Fprintf(&b, "\n    … and %d more", len(v.Nodes)-i)
				break
			}
			html := n.HTML
			if len(html) > 200 {
				html = html[:200] + "…"
			}
			fmt.Fprintf(&b, "\n    %v %s", n.Target, html)
		}
		t.Errorf("axe: %s (%s) on %s: %s%s", v.ID, v.Impact, res.URL, v.Help, b.String())
	}
}

package httpapi_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/services/injury/internal/domain"
	_ "github.com/anxin-welfare/anxin/services/injury/internal/httpapi"
)

func TestCatalogue(t *testing.T) {
	t.Parallel()
	if err := i18n.Validate(); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, s := range domain.States {
		keys = append(keys, "injury.state."+string(s))
	}
	for _, a := range domain.Actions() {
		keys = append(keys, "injury.action."+string(a))
	}
	for _, k := range domain.ClockKinds {
		keys = append(keys, "injury.clock."+string(k))
	}
	for _, r := range domain.GradingRounds {
		keys = append(keys, "injury.round."+string(r))
	}
	for _, o := range []domain.ClockOutcome{domain.OutcomeMet, domain.OutcomeBreached, domain.OutcomeCancelled, domain.OutcomeLapsed} {
		keys = append(keys, "injury.clock_outcome."+string(o))
	}
	for _, k := range keys {
		if !i18n.Has(k) {
			t.Errorf("missing message %s", k)
		}
	}
}

// TestDomainCodesHaveMessages scans the domain's source for catalogue keys, so
// a new rule cannot ship a code without its texts.
func TestDomainCodesHaveMessages(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("../domain/*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("domain sources: %v", err)
	}
	own, _ := filepath.Glob("*.go")
	files = append(files, own...)
	re := regexp.MustCompile(`"(injury\.[a-z_.]*[a-z_])"`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || f == "messages.go" {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(src), -1) {
			if !i18n.Has(m[1]) {
				t.Errorf("%s: %s has no message", filepath.Base(f), m[1])
			}
		}
	}
}

package httpapi

import (
	"testing"

	"github.com/anxin-welfare/anxin/services/injury/internal/domain"
)

// TestEveryActionHasASpec keeps the HTTP layer in step with the state
// machine: a new action without a request spec would answer 404.
func TestEveryActionHasASpec(t *testing.T) {
	t.Parallel()
	for _, a := range domain.Actions() {
		spec, ok := actionSpecs[a]
		if !ok {
			t.Errorf("action %s has no request spec", a)
			continue
		}
		var fe fieldErrors
		if cmd := spec.build(&actionBody{}, &fe); cmd.Action() != a {
			t.Errorf("spec of %s builds %s", a, cmd.Action())
		}
	}
	if len(actionSpecs) != len(domain.Actions()) {
		t.Errorf("%d specs for %d actions", len(actionSpecs), len(domain.Actions()))
	}
}

package httpapi_test

import (
	"testing"

	"github.com/anxin-welfare/anxin/pkg/i18n"
	_ "github.com/anxin-welfare/anxin/services/grants/internal/httpapi"
)

func TestMessagesValid(t *testing.T) {
	t.Parallel()
	if err := i18n.Validate(); err != nil {
		t.Fatal(err)
	}
}

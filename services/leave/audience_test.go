package leave_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestATokenForAnotherServiceIsRefused: identity tokens are bound to the
// service they were minted for. A genuine token for grants (or for no
// service) opens nothing in leave: 401, as a forged one.
func TestATokenForAnotherServiceIsRefused(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	path := "/api/v1/leave/members/m1/balance?year=2026"
	if w := h.do(t, &officer1, "GET", path, nil); w.Code != http.StatusOK {
		t.Fatalf("a token for leave = %d %s", w.Code, w.Body)
	}
	for _, aud := range []string{"grants", "enrollment", "leave2"} {
		id := officer1
		id.Audience = aud
		expectProblem(t, h.do(t, &id, "GET", path, nil), http.StatusUnauthorized, "unauthenticated")
	}
	// A token with no audience at all (an older gateway's) is refused too:
	// binding that can be dropped binds nothing.
	tok := h.env.Token(t, officer1)
	req, _ := http.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	w := httptest.NewRecorder()
	h.h.ServeHTTP(w, req)
	if w.Code != http.StatusUnauthorized {
		t.Fatalf("a token without audience = %d %s", w.Code, w.Body)
	}
}

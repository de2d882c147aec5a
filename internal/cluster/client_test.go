package cluster

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// account is one demo user signed in through the gateways. Sessions live in
// PostgreSQL, so the cookie from one gateway works on the other; calls
// alternate between them.
type account struct {
	name     string
	gateways []string
	http     *http.Client
	csrf     string
	n        int
}

var csrfField = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

func signIn(ctx context.Context, gateways []string, name, password string) (*account, error) {
	jar, _ := cookiejar.New(nil)
	u := &account{name: name, gateways: gateways, http: &http.Client{Jar: jar, Timeout: 20 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	gw := gateways[0]
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, gw+"/signin", nil)
	resp, err := u.http.Do(req)
	if err != nil {
		return nil, err
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := csrfField.FindSubmatch(page)
	if m == nil {
		return nil, fmt.Errorf("sign-in page of %s has no form token", gw)
	}
	form := url.Values{"username": {name}, "password": {password}, "csrf_token": {string(m[1])}}
	req, _ = http.NewRequestWithContext(ctx, http.MethodPost, gw+"/signin", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err = u.http.Do(req)
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return nil, fmt.Errorf("sign in %s: %d", name, resp.StatusCode)
	}
	var me struct {
		CSRF     string `json:"csrf_token"`
		MemberID string `json:"member_id"`
	}
	if st, err := u.call(ctx, http.MethodGet, "/api/v1/gateway/me", nil, 0, &me); err != nil || st != 200 {
		return nil, fmt.Errorf("me as %s: %d %v", name, st, err)
	}
	u.csrf = me.CSRF
	return u, nil
}

// call sends one API request through the next gateway and decodes a 2xx
// answer into out. It returns the status (0 when no answer came).
func (u *account) call(ctx context.Context, method, path string, body any, ifMatch int64, out any) (int, error) {
	gw := u.gateways[u.n%len(u.gateways)]
	u.n++
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, gw+path, rd)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if u.csrf != "" {
		req.Header.Set("X-CSRF-Token", u.csrf)
	}
	if ifMatch > 0 {
		req.Header.Set("If-Match", fmt.Sprintf(`"%d"`, ifMatch))
	}
	resp, err := u.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode/100 != 2 {
		return resp.StatusCode, fmt.Errorf("%s %s via %s: %d %s", method, path, gw, resp.StatusCode, bytes.TrimSpace(raw))
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			return resp.StatusCode, fmt.Errorf("%s %s: decode: %w", method, path, err)
		}
	}
	return resp.StatusCode, nil
}

// logins reads the table `anxin seed demo` prints: username → password.
func logins(out string) map[string]string {
	m := map[string]string{}
	in := false
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) >= 3 && f[0] == "USERNAME" {
			in = true
			continue
		}
		if in && len(f) >= 3 {
			m[f[0]] = f[2]
		}
	}
	return m
}

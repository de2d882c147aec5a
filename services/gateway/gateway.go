// Package gateway is the public entry point of Anxin: it signs people in
// (argon2id passwords, optional OIDC single sign-on), keeps their sessions
// in PostgreSQL, renders the web pages, and forwards /api/v1/<service>/… to
// the services with a short-lived signed identity token. See ARCHITECTURE.md.
package gateway

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/anxin-welfare/anxin/pkg/app"
	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/config"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/services/gateway/internal/accounts"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/httpapi"
	"github.com/anxin-welfare/anxin/services/gateway/internal/natsapi"
	"github.com/anxin-welfare/anxin/services/gateway/internal/store"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// Name is the service's name: its URL prefix /api/v1/gateway, its event source
// and its default schema.
const Name = "gateway"

// Config is the gateway service's own configuration, loaded from the
// environment by `anxin serve` (config.Load) after the process-wide app.Config.
// Where the services are is app.Config.URLs.
type Config struct {
	// HTTPAddr is the listen address, set by `anxin serve` from
	// ANXIN_HTTP_ADDR or ANXIN_GATEWAY_ADDR.
	HTTPAddr string
	// Schema is the PostgreSQL schema the service owns. Default "gateway".
	Schema string `env:"ANXIN_GATEWAY_SCHEMA" default:"gateway" doc:"PostgreSQL schema of the gateway service"`
	// TokenTTL is the life of the identity token sent with each forwarded
	// call. Default 2 minutes: long enough for one call, short enough that
	// a leaked token is soon worthless.
	TokenTTL time.Duration `env:"ANXIN_GATEWAY_TOKEN_TTL" default:"2m" doc:"life of the identity token forwarded to a service with each call (10s..10m)"`
	// UpstreamTimeout bounds one call from a page to a service. Default 30s.
	UpstreamTimeout time.Duration `env:"ANXIN_GATEWAY_UPSTREAM_TIMEOUT" default:"30s" doc:"time limit of one call from a page to a service"`
	// SessionIdle ends a session unused this long. Default 30 minutes.
	SessionIdle time.Duration `env:"ANXIN_SESSION_IDLE" default:"30m" doc:"a session unused this long ends"`
	// SessionAbsolute ends every session this long after sign-in. Default 12 hours.
	SessionAbsolute time.Duration `env:"ANXIN_SESSION_ABSOLUTE" default:"12h" doc:"every session ends this long after sign-in"`
	// TrustedOrigins may POST besides the gateway's own origin (a reverse
	// proxy that rewrites Host). Default none.
	TrustedOrigins []string `env:"ANXIN_GATEWAY_TRUSTED_ORIGINS" doc:"extra origins (scheme://host[:port]) allowed to send forms; comma-separated"`
	// OIDC single sign-on with a province's identity provider; all four or none.
	OIDCIssuer       string `env:"ANXIN_OIDC_ISSUER" doc:"OIDC issuer URL of the provincial identity provider; empty disables single sign-on"`
	OIDCClientID     string `env:"ANXIN_OIDC_CLIENT_ID" doc:"OIDC client id of the gateway"`
	OIDCClientSecret string `env:"ANXIN_OIDC_CLIENT_SECRET" doc:"OIDC client secret of the gateway"`
	OIDCRedirectURL  string `env:"ANXIN_OIDC_REDIRECT_URL" doc:"this gateway's https://…/signin/oidc/callback as registered with the provider"`
}

// Validate lists every problem with the configuration.
func (c Config) Validate() error {
	var p config.Problems
	p.Check(pg.ValidSchema(c.Schema), "ANXIN_GATEWAY_SCHEMA=%q: not a valid schema name", c.Schema)
	p.Check(c.HTTPAddr != "", "gateway: no listen address")
	p.Check(c.TokenTTL >= 10*time.Second && c.TokenTTL <= 10*time.Minute, "ANXIN_GATEWAY_TOKEN_TTL=%v: must be 10s..10m", c.TokenTTL)
	p.Check(c.UpstreamTimeout > 0, "ANXIN_GATEWAY_UPSTREAM_TIMEOUT=%v: must be positive", c.UpstreamTimeout)
	p.Check(c.SessionIdle >= time.Minute, "ANXIN_SESSION_IDLE=%v: must be at least 1m", c.SessionIdle)
	p.Check(c.SessionAbsolute > c.SessionIdle, "ANXIN_SESSION_ABSOLUTE=%v: must be longer than ANXIN_SESSION_IDLE=%v", c.SessionAbsolute, c.SessionIdle)
	for _, o := range c.TrustedOrigins {
		u, err := url.Parse(o)
		p.Check(err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.Path == "",
			"ANXIN_GATEWAY_TRUSTED_ORIGINS: %q is not scheme://host[:port]", o)
	}
	oidc := []string{c.OIDCIssuer, c.OIDCClientID, c.OIDCClientSecret, c.OIDCRedirectURL}
	set := 0
	for _, v := range oidc {
		if v != "" {
			set++
		}
	}
	p.Check(set == 0 || set == len(oidc), "ANXIN_OIDC_*: set all of issuer, client id, client secret and redirect URL, or none")
	return p.Err()
}

func (c Config) policies() accounts.Policies {
	s := domain.DefaultSessions
	s.Idle, s.Absolute = c.SessionIdle, c.SessionAbsolute
	return accounts.Policies{Sessions: s}
}

// Service is a running gateway service.
type Service struct {
	base     *app.Base
	accounts *accounts.Service
}

// New opens the service's schema, applies its migrations and wires its
// routes and background tasks. A configured OIDC provider that cannot be
// reached at start is logged and left out: password sign-in keeps working.
func New(ctx context.Context, deps *app.Deps, cfg Config) (*Service, error) {
	ups, err := httpapi.NewUpstreams(upstreamURLs(deps.Config), tokenIssuer(deps.Tokens, cfg.TokenTTL), cfg.UpstreamTimeout)
	if err != nil {
		return nil, fmt.Errorf("%w: gateway: %w", app.ErrConfig, err)
	}
	base, err := app.NewBase(ctx, deps, app.BaseConfig{
		Name: Name, Schema: cfg.Schema, HTTPAddr: cfg.HTTPAddr,
		Migrations: []pg.MigrationSet{store.Migrations()},
		Checks:     ups.Checks(),
	})
	if err != nil {
		return nil, err
	}
	acc := accounts.New(store.New(base.DB, deps.Clock), deps.Clock, cfg.policies(), base.Log)
	renderer, err := web.NewRenderer()
	if err != nil {
		return nil, err
	}
	var oidc *httpapi.OIDC
	if cfg.OIDCIssuer != "" {
		oidc, err = httpapi.NewOIDC(ctx, httpapi.OIDCConfig{
			Issuer: cfg.OIDCIssuer, ClientID: cfg.OIDCClientID, ClientSecret: cfg.OIDCClientSecret, RedirectURL: cfg.OIDCRedirectURL,
		})
		if err != nil {
			base.Log.Error("single sign-on disabled: the identity provider could not be reached", "error", err)
			oidc = nil
		}
	}
	if err := httpapi.Register(base.Engine, httpapi.Deps{
		Accounts: acc, Renderer: renderer, Clock: deps.Clock, Log: base.Log,
		Secure: deps.Config.Env != app.EnvDevelopment, TrustedOrigins: cfg.TrustedOrigins,
		Upstreams: ups, OIDC: oidc, AuditDB: base.DB, Idem: base.Idem,
	}); err != nil {
		return nil, fmt.Errorf("%w: gateway: %w", app.ErrConfig, err)
	}
	s := &Service{base: base, accounts: acc}
	recipients, err := natsapi.Serve(deps.Bus.NC, store.New(base.DB, deps.Clock), base.Log)
	if err != nil {
		return nil, fmt.Errorf("gateway: recipients endpoint: %w", err)
	}
	base.Go("recipients endpoint", func(ctx context.Context) error {
		<-ctx.Done()
		return recipients.Stop()
	})
	base.Go("session sweeper", s.sweepSessions(cfg.policies().Sessions))
	return s, nil
}

// upstreamURLs are the services the gateway routes to: every one with a
// URL (app.Config gives each a default; an empty one is not routed).
func upstreamURLs(c app.Config) map[string]string {
	out := map[string]string{}
	for name, u := range map[string]string{
		"enrollment": c.URLs.Enrollment,
		"injury":     c.URLs.Injury,
		"grants":     c.URLs.Grants,
		"leave":      c.URLs.Leave,
		"notify":     c.URLs.Notify,
	} {
		if u != "" {
			out[name] = u
		}
	}
	return out
}

// tokenIssuer turns a signed-in user into the identity token a service
// verifies: one per service (its audience), so a token for grants opens
// nothing in leave.
func tokenIssuer(tokens *auth.Tokens, ttl time.Duration) httpapi.TokenFunc {
	return func(u *domain.User, lang i18n.Lang, audience string) (string, error) {
		id := Identity(u, lang)
		id.Audience = audience
		return tokens.Issue(id, ttl)
	}
}

// Identity is what the gateway vouches for about u in the identity token.
func Identity(u *domain.User, lang i18n.Lang) auth.Identity {
	roles := make([]auth.Role, 0, len(u.Roles))
	for _, r := range u.Roles {
		roles = append(roles, auth.Role(r))
	}
	return auth.Identity{UserID: u.ID, MemberID: u.MemberID, Name: u.DisplayName, Roles: roles, Units: u.Units, Lang: lang}
}

// sweepSessions deletes ended sessions, and form submission tokens past
// accounts.SubmissionTTL, every few minutes; a session past its limits is
// refused anyway, this only keeps the tables small.
func (s *Service) sweepSessions(p domain.SessionPolicy) func(context.Context) error {
	return func(ctx context.Context) error {
		t := time.NewTicker(5 * time.Minute)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return nil
			case <-t.C:
				now := s.base.Deps.Clock.Now()
				if n, err := store.New(s.base.DB, s.base.Deps.Clock).PruneSessions(ctx, now, now.Add(-p.Idle)); err != nil {
					if !errors.Is(err, context.Canceled) {
						s.base.Log.Warn("prune sessions", "error", err)
					}
				} else if n > 0 {
					s.base.Log.Info("pruned sessions", "count", n)
				}
				if _, err := store.New(s.base.DB, s.base.Deps.Clock).PruneSubmissions(ctx, now.Add(-accounts.SubmissionTTL)); err != nil && !errors.Is(err, context.Canceled) {
					s.base.Log.Warn("prune form submissions", "error", err)
				}
			}
		}
	}
}

// Handler is the service's HTTP handler, for tests.
func (s *Service) Handler() http.Handler { return s.base.Engine }

// Run serves until ctx ends.
func (s *Service) Run(ctx context.Context) error { return s.base.Run(ctx) }

// Package notify is the notify service of Anxin: it tells people of every
// step that matters. It consumes the events the other services publish,
// asks the gateway who is to be told, keeps each person's inbox and
// preferences, and delivers by e-mail (SMTP with STARTTLS), text message
// (an HTTP gateway) and the DingTalk and WeCom group robots, exactly once
// per (event, person, channel).
package notify

import (
	"context"
	"crypto/tls"
	"fmt"
	"net/http"
	"time"

	"github.com/anxin-welfare/anxin/pkg/app"
	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/pkg/config"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/services/notify/internal/channels"
	"github.com/anxin-welfare/anxin/services/notify/internal/dispatch"
	"github.com/anxin-welfare/anxin/services/notify/internal/domain"
	"github.com/anxin-welfare/anxin/services/notify/internal/events"
	"github.com/anxin-welfare/anxin/services/notify/internal/httpapi"
	"github.com/anxin-welfare/anxin/services/notify/internal/recipients"
	"github.com/anxin-welfare/anxin/services/notify/internal/store"
	"github.com/anxin-welfare/anxin/services/notify/internal/webhooks"
)

// Name is the service's name: its URL prefix /api/v1/notify and its default
// schema.
const Name = "notify"

// Config is the notify service's own configuration. A channel whose
// settings are empty is off: nobody is offered it and nothing is queued
// for it.
type Config struct {
	// HTTPAddr is the listen address, set by `anxin serve`.
	HTTPAddr string
	// Schema is the PostgreSQL schema the service owns. Default "notify".
	Schema string `env:"ANXIN_NOTIFY_SCHEMA" default:"notify" doc:"PostgreSQL schema of the notify service"`
	// PublicURL is the site's address as people open it, for the links in
	// messages. Default http://127.0.0.1:8080.
	PublicURL string `env:"ANXIN_NOTIFY_PUBLIC_URL" default:"http://127.0.0.1:8080" doc:"the site's address for links in notifications"`
	// SMTPAddr is the submission server host:port; empty turns e-mail off.
	SMTPAddr     string `env:"ANXIN_NOTIFY_SMTP_ADDR" doc:"SMTP submission server host:port (STARTTLS required); empty: no e-mail"`
	SMTPFrom     string `env:"ANXIN_NOTIFY_SMTP_FROM" default:"anxin@localhost" doc:"sender address of notification e-mail"`
	SMTPUser     string `env:"ANXIN_NOTIFY_SMTP_USER" doc:"SMTP user name (PLAIN over TLS); empty: no authentication"`
	SMTPPassword string `env:"ANXIN_NOTIFY_SMTP_PASSWORD" doc:"SMTP password"`
	// SMSURL is the text-message gateway's endpoint; empty turns SMS off.
	SMSURL   string `env:"ANXIN_NOTIFY_SMS_URL" doc:"text-message HTTP gateway URL (honours Idempotency-Key); empty: no SMS"`
	SMSToken string `env:"ANXIN_NOTIFY_SMS_TOKEN" doc:"Bearer token of the text-message gateway"`
	// DingTalkWebhook and DingTalkSecret are the group robot's URL (with
	// its access_token) and its signing secret.
	DingTalkWebhook string `env:"ANXIN_NOTIFY_DINGTALK_WEBHOOK" doc:"DingTalk group robot webhook URL; empty: no DingTalk"`
	DingTalkSecret  string `env:"ANXIN_NOTIFY_DINGTALK_SECRET" doc:"DingTalk robot signing secret (SEC…)"`
	// WeComWebhook is the WeCom group robot's URL, key included.
	WeComWebhook string `env:"ANXIN_NOTIFY_WECOM_WEBHOOK" doc:"WeCom group robot webhook URL with its key; empty: no WeCom"`
	// PerMinute caps each channel's calls per minute. Default 60.
	PerMinute int `env:"ANXIN_NOTIFY_PER_MINUTE" default:"60" doc:"calls per minute per channel (SMS, e-mail, each robot)"`
	// DispatchInterval is how often due deliveries are sent. Default 1s.
	DispatchInterval time.Duration `env:"ANXIN_NOTIFY_DISPATCH_INTERVAL" default:"1s" doc:"how often due notifications are sent"`
	// MaxOpenConns caps the service's PostgreSQL pool. Default 10.
	MaxOpenConns int `env:"ANXIN_NOTIFY_MAX_CONNS" default:"10" doc:"PostgreSQL connections of the notify service"`
	// WebhookPerMinute caps each webhook subscription's calls per minute.
	// Default 60.
	WebhookPerMinute int `env:"ANXIN_NOTIFY_WEBHOOK_PER_MINUTE" default:"60" doc:"calls per minute per webhook subscription"`
	// WebhookTimeout bounds one webhook call, answer included. Default 10s.
	WebhookTimeout time.Duration `env:"ANXIN_NOTIFY_WEBHOOK_TIMEOUT" default:"10s" doc:"how long one webhook call may take before it is retried"`
	// WebhookWorkers is how many webhook calls run at once. Default 4.
	WebhookWorkers int `env:"ANXIN_NOTIFY_WEBHOOK_WORKERS" default:"4" doc:"webhook calls made at once (a receiver that hangs holds one)"`
	// WebhookAllowLocal lets webhooks call loopback (over http too) and
	// private addresses: for development and tests only; refused in
	// production. Default false.
	WebhookAllowLocal bool `env:"ANXIN_NOTIFY_WEBHOOK_ALLOW_LOCAL" default:"false" doc:"let webhooks call loopback (http too) and private addresses; development and tests only, refused in production"`

	// SMTPTLS overrides the STARTTLS configuration (tests trust their own
	// certificate with it). Not from the environment.
	SMTPTLS *tls.Config
	// HTTPClient is the robots' and SMS gateway's client. Default: 10 s
	// timeout.
	HTTPClient *http.Client
}

// Validate lists every problem with the configuration.
func (c Config) Validate() error {
	var p config.Problems
	p.Check(pg.ValidSchema(c.Schema), "ANXIN_NOTIFY_SCHEMA=%q: not a valid schema name", c.Schema)
	p.Check(c.HTTPAddr != "", "notify: no listen address")
	p.Check(c.PerMinute >= 0, "ANXIN_NOTIFY_PER_MINUTE=%d: not negative", c.PerMinute)
	p.Check(c.DispatchInterval <= 0 || c.DispatchInterval >= 10*time.Millisecond, "ANXIN_NOTIFY_DISPATCH_INTERVAL=%s: at least 10ms", c.DispatchInterval)
	p.Check(c.SMTPAddr == "" || c.SMTPFrom != "", "ANXIN_NOTIFY_SMTP_FROM: needed with ANXIN_NOTIFY_SMTP_ADDR")
	p.Check(c.MaxOpenConns >= 0, "ANXIN_NOTIFY_MAX_CONNS=%d: not negative", c.MaxOpenConns)
	p.Check(c.WebhookWorkers >= 0 && c.WebhookWorkers <= 64, "ANXIN_NOTIFY_WEBHOOK_WORKERS=%d: between 0 and 64", c.WebhookWorkers)
	p.Check(c.WebhookPerMinute >= 0, "ANXIN_NOTIFY_WEBHOOK_PER_MINUTE=%d: not negative", c.WebhookPerMinute)
	// A call longer than the lease would be taken for a dead process's
	// and made a second time while it is still running.
	p.Check(c.WebhookTimeout >= 0 && c.WebhookTimeout < domain.Lease, "ANXIN_NOTIFY_WEBHOOK_TIMEOUT=%s: between 0 and the %s lease", c.WebhookTimeout, domain.Lease)
	return p.Err()
}

func (c *Config) defaults() {
	if c.Schema == "" {
		c.Schema = Name
	}
	if c.PublicURL == "" {
		c.PublicURL = "http://127.0.0.1:8080"
	}
	if c.PerMinute <= 0 {
		c.PerMinute = 60
	}
	if c.DispatchInterval <= 0 {
		c.DispatchInterval = time.Second
	}
	if c.SMTPFrom == "" {
		c.SMTPFrom = "anxin@localhost"
	}
	if c.WebhookPerMinute <= 0 {
		c.WebhookPerMinute = 60
	}
	if c.WebhookWorkers <= 0 {
		c.WebhookWorkers = 4
	}
	if c.WebhookTimeout <= 0 {
		c.WebhookTimeout = 10 * time.Second
	}
}

// Service is a running notify service.
type Service struct {
	base *app.Base
	// Dispatcher sends deliveries; exposed for tests.
	Dispatcher *dispatch.Dispatcher
	// Webhooks sends webhook deliveries; exposed for tests.
	Webhooks *webhooks.Dispatcher
}

// New opens the schema, applies its migrations and wires the consumer, the
// dispatcher and the routes.
func New(ctx context.Context, deps *app.Deps, cfg Config) (*Service, error) {
	cfg.defaults()
	if cfg.WebhookAllowLocal && deps.Config.Env == app.EnvProduction {
		return nil, fmt.Errorf("%w: ANXIN_NOTIFY_WEBHOOK_ALLOW_LOCAL is for development and tests, not production", app.ErrConfig)
	}
	base, err := app.NewBase(ctx, deps, app.BaseConfig{Name: Name, Schema: cfg.Schema, HTTPAddr: cfg.HTTPAddr,
		Migrations: []pg.MigrationSet{store.Migrations()}, MaxOpenConns: cfg.MaxOpenConns})
	if err != nil {
		return nil, err
	}
	st := store.New(base.DB, deps.Clock)
	d := &dispatch.Dispatcher{Store: st, Senders: senders(cfg, deps), PublicURL: cfg.PublicURL, Clock: deps.Clock, Log: base.Log,
		PerMinute: map[domain.Channel]int{}}
	for _, ch := range domain.DeliveryChannels() {
		d.PerMinute[ch] = cfg.PerMinute
	}
	(&httpapi.API{Store: st, Clock: deps.Clock, Available: d.Available}).Register(base.API)
	wh := store.NewWebhooks(base.DB, deps.Clock, deps.Sealer)
	whd := &webhooks.Dispatcher{Store: wh, PerMinute: cfg.WebhookPerMinute, Workers: cfg.WebhookWorkers, Clock: deps.Clock, Log: base.Log,
		Sender: &webhooks.Sender{Client: webhooks.NewClient(cfg.WebhookAllowLocal, cfg.WebhookTimeout), Clock: deps.Clock}}
	(&httpapi.Webhooks{Store: wh, Check: webhooks.Checker{AllowLocal: cfg.WebhookAllowLocal}, Kinds: events.WebhookKinds()}).Register(base.API)
	base.Consume(bus.ConsumerConfig{Name: events.ConsumerName, Subjects: events.Subjects()},
		events.WithWebhooks(events.OnEvent(&recipients.Client{NC: deps.Bus.NC}, d.Available, deps.Clock.Now), deps.Clock.Now))
	base.Go("notify dispatch", d.Run(cfg.DispatchInterval))
	base.Go("notify webhooks", whd.Run(cfg.DispatchInterval))
	base.PollGauge("anxin_notify_webhooks_dead", "Webhook deliveries that used up their attempts, waiting for an admin.",
		store.CountDeadWebhooks)
	base.PollGauge("anxin_notify_deliveries_failed", "Deliveries dead or of unknown outcome, waiting for an admin.",
		store.CountFailed)
	return &Service{base: base, Dispatcher: d, Webhooks: whd}, nil
}

func senders(cfg Config, deps *app.Deps) map[domain.Channel]channels.Sender {
	out := map[domain.Channel]channels.Sender{}
	if cfg.SMTPAddr != "" {
		out[domain.ChannelEmail] = &channels.Email{Addr: cfg.SMTPAddr, TLS: cfg.SMTPTLS, From: cfg.SMTPFrom,
			Username: cfg.SMTPUser, Password: cfg.SMTPPassword, Clock: deps.Clock}
	}
	if cfg.SMSURL != "" {
		out[domain.ChannelSMS] = &channels.SMS{URL: cfg.SMSURL, Token: cfg.SMSToken, Client: cfg.HTTPClient}
	}
	if cfg.DingTalkWebhook != "" {
		out[domain.ChannelDingTalk] = &channels.DingTalk{Webhook: cfg.DingTalkWebhook, Secret: cfg.DingTalkSecret,
			Clock: deps.Clock, Client: cfg.HTTPClient}
	}
	if cfg.WeComWebhook != "" {
		out[domain.ChannelWeCom] = &channels.WeCom{Webhook: cfg.WeComWebhook, Client: cfg.HTTPClient}
	}
	return out
}

// Handler is the service's HTTP handler, for tests.
func (s *Service) Handler() http.Handler { return s.base.Engine }

// Run serves until ctx ends.
func (s *Service) Run(ctx context.Context) error { return s.base.Run(ctx) }

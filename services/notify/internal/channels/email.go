package channels

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"mime"
	"net"
	"net/smtp"
	"net/textproto"
	"time"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/services/notify/internal/domain"
)

// Email sends e-mail over SMTP, always with STARTTLS (a server that does
// not offer it gets nothing). Each message carries Message-ID
// <key@MessageIDHost>, so a client that dedupes by it shows a repeat once;
// SMTP has no idempotency of its own, so a message whose outcome is
// unknown (the connection broke after the final dot) is not resent
// automatically.
type Email struct {
	// Addr is host:port of the submission server (587).
	Addr string
	// TLS is the STARTTLS configuration; ServerName defaults to Addr's
	// host.
	TLS      *tls.Config
	From     string
	Username string
	Password string
	// MessageIDHost is the right-hand side of Message-IDs. Default
	// "anxin.local".
	MessageIDHost string
	Timeout       time.Duration
	Clock         clock.Clock
}

// Idempotent is false: SMTP cannot tell a repeat from a new message.
func (e *Email) Idempotent() bool { return false }

// Send delivers m to m.To.
func (e *Email) Send(ctx context.Context, m Message) (err error) {
	host, _, err := net.SplitHostPort(e.Addr)
	if err != nil {
		return fmt.Errorf("%w: smtp address: %w", domain.ErrRejected, err)
	}
	timeout := e.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	d := net.Dialer{Timeout: timeout}
	conn, err := d.DialContext(ctx, "tcp", e.Addr)
	if err != nil {
		return fmt.Errorf("%w: %w", domain.ErrNotSent, err)
	}
	// net/smtp takes no context: closing the connection is how a stop
	// reaches it.
	stop := context.AfterFunc(ctx, func() { _ = conn.Close() })
	defer stop()
	_ = conn.SetDeadline(time.Now().Add(timeout))
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		_ = conn.Close()
		return fmt.Errorf("%w: %w", domain.ErrNotSent, err)
	}
	defer func() { _ = c.Close() }()
	if err := c.Hello("anxin"); err != nil {
		return notSent(err)
	}
	if ok, _ := c.Extension("STARTTLS"); !ok {
		return fmt.Errorf("%w: the server does not offer STARTTLS", domain.ErrNotSent)
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if e.TLS != nil {
		cfg = e.TLS.Clone()
	}
	if cfg.ServerName == "" {
		cfg.ServerName = host
	}
	if err := c.StartTLS(cfg); err != nil {
		return notSent(err)
	}
	if e.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", e.Username, e.Password, host)); err != nil {
			return notSent(err)
		}
	}
	if err := c.Mail(e.From); err != nil {
		return notSent(err)
	}
	if err := c.Rcpt(m.To); err != nil {
		return notSent(err)
	}
	w, err := c.Data()
	if err != nil {
		return notSent(err)
	}
	if _, err := w.Write(e.compose(m)); err != nil {
		return notSent(err)
	}
	// The final dot: from here on the server may have the message.
	if err := w.Close(); err != nil {
		var pe *textproto.Error
		if errors.As(err, &pe) {
			return notSent(err)
		}
		return fmt.Errorf("%w: %w", domain.ErrUnknownOutcome, err)
	}
	_ = c.Quit()
	return nil
}

// notSent classifies an SMTP failure before the message was handed over:
// a 5xx reply is a refusal for good, anything else a retry.
func notSent(err error) error {
	var pe *textproto.Error
	if errors.As(err, &pe) && pe.Code >= 500 {
		return fmt.Errorf("%w: %w", domain.ErrRejected, err)
	}
	return fmt.Errorf("%w: %w", domain.ErrNotSent, err)
}

func (e *Email) compose(m Message) []byte {
	idHost := e.MessageIDHost
	if idHost == "" {
		idHost = "anxin.local"
	}
	now := time.Now()
	if e.Clock != nil {
		now = e.Clock.Now()
	}
	var b bytes.Buffer
	hdr := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	hdr("From", e.From)
	hdr("To", m.To)
	hdr("Subject", mime.BEncoding.Encode("UTF-8", m.Subject))
	hdr("Date", now.In(clock.Shanghai).Format(time.RFC1123Z))
	hdr("Message-ID", "<"+m.Key+"@"+idHost+">")
	hdr("MIME-Version", "1.0")
	hdr("Content-Type", "text/plain; charset=UTF-8")
	hdr("Content-Transfer-Encoding", "base64")
	b.WriteString("\r\n")
	enc := base64.StdEncoding.EncodeToString([]byte(m.Body))
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n")
	return b.Bytes()
}

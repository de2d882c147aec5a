// Package channelstest runs, inside a test, the receivers the notify
// adapters talk to: an SMTP server that speaks STARTTLS with a self-signed
// certificate made for the test.
package channelstest

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"math/big"
	"net"
	"net/mail"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"
)

// Mail is one message the server accepted.
type Mail struct {
	From      string
	To        []string
	MessageID string
	Subject   string
	Data      string
	// TLS is true when the message came over the STARTTLS session.
	TLS bool
}

// SMTP is an in-process SMTP server. It offers STARTTLS and refuses MAIL
// before it (530), like a submission server that requires TLS.
type SMTP struct {
	// Addr is host:port to give the adapter.
	Addr string
	// ClientTLS trusts the server's certificate.
	ClientTLS *tls.Config
	// NoSTARTTLS makes the server offer no STARTTLS.
	NoSTARTTLS bool

	ln     net.Listener
	cfg    *tls.Config
	mu     sync.Mutex
	got    []Mail
	onData func(Mail)
	wg     sync.WaitGroup
}

// StartSMTP starts a server on a loopback port until the test ends.
func StartSMTP(t testing.TB) *SMTP {
	t.Helper()
	cert, pool := selfSigned(t)
	var lc net.ListenConfig
	ln, err := lc.Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &SMTP{Addr: ln.Addr().String(), ln: ln,
		cfg:       &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12},
		ClientTLS: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}
	s.wg.Add(1)
	go s.serve()
	t.Cleanup(func() { _ = ln.Close(); s.wg.Wait() })
	return s
}

// OnData sets f to run after a message's final dot and before the server
// answers 250: a test stops the sending process there.
func (s *SMTP) OnData(f func(Mail)) {
	s.mu.Lock()
	s.onData = f
	s.mu.Unlock()
}

// Mails returns what the server accepted so far.
func (s *SMTP) Mails() []Mail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Mail(nil), s.got...)
}

func (s *SMTP) serve() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer c.Close()
			s.session(c)
		}()
	}
}

func (s *SMTP) session(conn net.Conn) {
	_ = conn.SetDeadline(time.Now().Add(30 * time.Second))
	tp := textproto.NewConn(conn)
	reply := func(format string) { _ = tp.PrintfLine("%s", format) }
	reply("220 localhost ESMTP anxin-test")
	var (
		m      Mail
		secure bool
	)
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO", "HELO":
			if !secure && !s.NoSTARTTLS {
				reply("250-localhost")
				reply("250 STARTTLS")
			} else {
				reply("250 localhost")
			}
		case "STARTTLS":
			if s.NoSTARTTLS || secure {
				reply("502 not offered")
				continue
			}
			reply("220 go ahead")
			tc := tls.Server(conn, s.cfg)
			if err := tc.HandshakeContext(context.Background()); err != nil {
				return
			}
			conn, secure = tc, true
			tp = textproto.NewConn(tc)
			reply = func(format string) { _ = tp.PrintfLine("%s", format) }
		case "MAIL":
			if !secure {
				reply("530 5.7.0 must issue STARTTLS first")
				continue
			}
			m = Mail{From: addr(arg), TLS: true}
			reply("250 ok")
		case "RCPT":
			m.To = append(m.To, addr(arg))
			reply("250 ok")
		case "DATA":
			reply("354 end with <CRLF>.<CRLF>")
			raw, err := io.ReadAll(tp.DotReader())
			if err != nil {
				return
			}
			m.Data = string(raw)
			if msg, err := mail.ReadMessage(strings.NewReader(m.Data)); err == nil {
				m.MessageID = msg.Header.Get("Message-ID")
				dec := new(mimeDecoder)
				m.Subject = dec.header(msg.Header.Get("Subject"))
			}
			s.mu.Lock()
			f := s.onData
			s.mu.Unlock()
			if f != nil {
				f(m)
			}
			s.mu.Lock()
			s.got = append(s.got, m)
			s.mu.Unlock()
			reply("250 ok queued")
		case "RSET", "NOOP":
			reply("250 ok")
		case "QUIT":
			reply("221 bye")
			return
		default:
			reply("502 unknown command")
		}
	}
}

func addr(arg string) string {
	_, a, _ := strings.Cut(arg, ":")
	return strings.Trim(strings.TrimSpace(a), "<>")
}

func selfSigned(t testing.TB) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "anxin test smtp"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, BasicConstraintsValid: true, IsCA: true,
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, DNSNames: []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

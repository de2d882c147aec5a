package bus

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"strconv"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// StreamName is the one stream every Anxin event goes through.
const StreamName = "WELFARE"

// DeadLetterStream holds the messages consumers gave up on, on subjects
// deadletter.<consumer>, for alerting and inspection with NATS tools.
const DeadLetterStream = "WELFARE_DLQ"

// Config says how to reach NATS.
type Config struct {
	// URL lists NATS servers (comma-separated). Empty: run nats-server
	// embedded in this process.
	URL string
	// DataDir is where the embedded server keeps its JetStream store
	// (DataDir/nats). Default ".data".
	DataDir string
	// EmbeddedPort is the loopback port of the embedded server. Default
	// 14222: never 4222, which a system NATS may hold. -1 picks a free one.
	EmbeddedPort int
	// Replicas of the WELFARE stream: 1 locally, 3 in a cluster. Default 1.
	Replicas int
	// DuplicateWindow is JetStream's de-duplication window for Nats-Msg-Id.
	// Default 10 minutes.
	DuplicateWindow time.Duration
	// Name identifies the connection in NATS monitoring.
	Name string
	// ConnectTimeout bounds the first connection. Default 5 seconds.
	ConnectTimeout time.Duration
}

func (c *Config) defaults() {
	if c.DataDir == "" {
		c.DataDir = ".data"
	}
	if c.EmbeddedPort == 0 {
		c.EmbeddedPort = 14222
	}
	if c.Replicas <= 0 {
		c.Replicas = 1
	}
	if c.DuplicateWindow <= 0 {
		c.DuplicateWindow = 10 * time.Minute
	}
	if c.Name == "" {
		c.Name = "anxin"
	}
	if c.ConnectTimeout <= 0 {
		c.ConnectTimeout = 5 * time.Second
	}
}

// Conn is a NATS connection with JetStream and, when no URL was given, the
// embedded server it runs.
type Conn struct {
	NC     *nats.Conn
	JS     jetstream.JetStream
	server *server.Server
	log    *slog.Logger
}

// Connect reaches NATS (starting the embedded server when cfg.URL is empty)
// and declares the streams.
func Connect(ctx context.Context, cfg Config, log *slog.Logger) (*Conn, error) {
	cfg.defaults()
	if log == nil {
		log = slog.Default()
	}
	c := &Conn{log: log}
	url := cfg.URL
	if url == "" {
		s, err := StartEmbedded(filepath.Join(cfg.DataDir, "nats"), cfg.EmbeddedPort)
		if err != nil {
			return nil, err
		}
		c.server = s
		url = s.ClientURL()
		log.Info("embedded nats-server started", "url", url, "store", filepath.Join(cfg.DataDir, "nats"))
	}
	nc, err := nats.Connect(url,
		nats.Name(cfg.Name),
		nats.Timeout(cfg.ConnectTimeout),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(250*time.Millisecond),
		nats.ReconnectBufSize(-1), // fail fast while disconnected; the outbox keeps the event
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil {
				log.Warn("nats disconnected", "err", err)
			}
		}),
		nats.ReconnectHandler(func(nc *nats.Conn) { log.Info("nats reconnected", "url", nc.ConnectedUrlRedacted()) }),
	)
	if err != nil {
		c.shutdownServer()
		return nil, fmt.Errorf("%w at %s: %w", ErrUnreachable, url, err)
	}
	c.NC = nc
	if err := CheckServerVersion(nc.ConnectedServerVersion()); err != nil {
		// Serve anyway, not ready: the probes and this line say why, and
		// an operator can upgrade NATS without restarting Anxin.
		log.Error("nats-server too old; the consumers cannot be declared and the services are not ready",
			"err", err, "url", nc.ConnectedUrlRedacted())
	}
	js, err := jetstream.New(nc, jetstream.WithPublishAsyncMaxPending(4096))
	if err != nil {
		c.Close()
		return nil, fmt.Errorf("bus: jetstream: %w", err)
	}
	c.JS = js
	sctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := EnsureStreams(sctx, js, cfg.Replicas, cfg.DuplicateWindow); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// StartEmbedded runs nats-server with JetStream in this process, on
// 127.0.0.1:port, storing under storeDir.
func StartEmbedded(storeDir string, port int) (*server.Server, error) {
	if port > 0 {
		// nats-server would log and exit; a clear error is kinder.
		var lc net.ListenConfig
		l, err := lc.Listen(context.Background(), "tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
		if err != nil {
			return nil, fmt.Errorf("%w: embedded nats-server cannot listen on 127.0.0.1:%d (set ANXIN_NATS_PORT or NATS_URL): %w", ErrUnreachable, port, err)
		}
		_ = l.Close()
	}
	opts := &server.Options{
		ServerName: "anxin-embedded",
		Host:       "127.0.0.1",
		Port:       port,
		JetStream:  true,
		StoreDir:   storeDir,
		NoSigs:     true,
		NoLog:      true,
		MaxPayload: 8 << 20,
	}
	s, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("bus: embedded nats-server: %w", err)
	}
	go s.Start()
	if !s.ReadyForConnections(15 * time.Second) {
		s.Shutdown()
		return nil, fmt.Errorf("%w: embedded nats-server did not start", ErrUnreachable)
	}
	return s, nil
}

// EnsureStreams creates or updates the WELFARE and dead-letter streams.
func EnsureStreams(ctx context.Context, js jetstream.JetStream, replicas int, dupWindow time.Duration) error {
	_, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:        StreamName,
		Description: "Anxin domain events",
		Subjects:    []string{"welfare.>"},
		Storage:     jetstream.FileStorage,
		Replicas:    replicas,
		Duplicates:  dupWindow,
		Retention:   jetstream.LimitsPolicy,
		MaxAge:      90 * 24 * time.Hour,
	})
	if err != nil {
		return fmt.Errorf("bus: declare stream %s: %w", StreamName, err)
	}
	_, err = js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:        DeadLetterStream,
		Description: "Anxin events that consumers gave up on",
		Subjects:    []string{"deadletter.>"},
		Storage:     jetstream.FileStorage,
		Replicas:    replicas,
		MaxAge:      365 * 24 * time.Hour,
	})
	if err != nil {
		return fmt.Errorf("bus: declare stream %s: %w", DeadLetterStream, err)
	}
	return nil
}

// Ping checks the connection for readiness probes: connected, to a server
// no older than MinServerVersion, with JetStream answering.
func (c *Conn) Ping(ctx context.Context) error {
	if c == nil || c.NC == nil || !c.NC.IsConnected() {
		return errors.New("nats not connected")
	}
	if err := CheckServerVersion(c.NC.ConnectedServerVersion()); err != nil {
		return err
	}
	_, err := c.JS.AccountInfo(ctx)
	return err
}

// Close drains the connection and stops the embedded server, if any.
func (c *Conn) Close() {
	if c.NC != nil {
		_ = c.NC.Drain()
		deadline := time.Now().Add(5 * time.Second)
		for !c.NC.IsClosed() && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		c.NC.Close()
	}
	c.shutdownServer()
}

func (c *Conn) shutdownServer() {
	if c.server != nil {
		c.server.Shutdown()
		c.server.WaitForShutdown()
		c.server = nil
	}
}

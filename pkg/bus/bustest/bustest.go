// Package bustest runs a real nats-server with JetStream in the test's
// process, on a loopback port of its own, with a store that survives a
// restart, so tests can stop NATS under load and bring it back.
package bustest

import (
	"context"
	"log/slog"
	"net"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"

	"github.com/anxin-welfare/anxin/pkg/bus"
)

// Server is an in-process nats-server. Stop and Restart may be called from
// several goroutines (a fault test's clients): they take turns.
type Server struct {
	t        testing.TB
	StoreDir string
	Port     int

	mu  sync.Mutex
	srv *server.Server
}

// Start runs a fresh server and stops it when the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	var lc net.ListenConfig
	l, err := lc.Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("bustest: free port: %v", err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	_ = l.Close()
	s := &Server{t: t, StoreDir: t.TempDir(), Port: port}
	s.Restart()
	t.Cleanup(s.Stop)
	return s
}

// URL is the client URL.
func (s *Server) URL() string { return "nats://127.0.0.1:" + strconv.Itoa(s.Port) }

// Stop shuts the server down (keeping its store).
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stop()
}

func (s *Server) stop() {
	if s.srv != nil {
		s.srv.Shutdown()
		s.srv.WaitForShutdown()
		s.srv = nil
	}
}

// Restart starts the server again on the same port and store.
func (s *Server) Restart() {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stop()
	var err error
	for i := 0; i < 50; i++ { // the port may linger briefly after a stop
		s.srv, err = bus.StartEmbedded(s.StoreDir, s.Port)
		if err == nil {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.t.Fatalf("bustest: start nats-server: %v", err)
}

// Connect returns a bus connection to the server, closed at the end.
func (s *Server) Connect(t testing.TB) *bus.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c, err := bus.Connect(ctx, bus.Config{URL: s.URL(), Name: t.Name()}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("bustest: connect: %v", err)
	}
	t.Cleanup(c.Close)
	return c
}

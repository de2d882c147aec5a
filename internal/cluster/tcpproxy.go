package cluster

import (
	"context"
	"errors"
	"io"
	"net"
	"sync"
	"time"
)

type netDialer = net.Dialer

// RWProxy is the one stable PostgreSQL address the services use, in the
// role of CloudNativePG's -rw Service: it forwards to the current primary,
// and Switch points it at a new one and cuts every connection to the old,
// so no service keeps writing to a demoted server. lib/pq has no
// multi-host failover of its own; with the proxy it needs none.
type RWProxy struct {
	l net.Listener

	mu     sync.Mutex
	target string
	conns  map[net.Conn]struct{}
	wg     sync.WaitGroup
}

// NewRWProxy listens on addr and forwards to target.
func NewRWProxy(addr, target string) (*RWProxy, error) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	p := &RWProxy{l: l, target: target, conns: map[net.Conn]struct{}{}}
	p.wg.Add(1)
	go p.accept()
	return p, nil
}

// Addr is where the proxy listens.
func (p *RWProxy) Addr() string { return p.l.Addr().String() }

// Target is the primary it forwards to.
func (p *RWProxy) Target() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.target
}

// Switch forwards new connections to target and closes every open one.
func (p *RWProxy) Switch(target string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.target = target
	for c := range p.conns {
		_ = c.Close()
	}
}

// Close stops listening and closes every connection.
func (p *RWProxy) Close() error {
	err := p.l.Close()
	p.mu.Lock()
	for c := range p.conns {
		_ = c.Close()
	}
	p.mu.Unlock()
	p.wg.Wait()
	return err
}

func (p *RWProxy) accept() {
	defer p.wg.Done()
	for {
		c, err := p.l.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		p.wg.Add(1)
		go p.serve(c)
	}
}

func (p *RWProxy) track(c net.Conn, on bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if on {
		p.conns[c] = struct{}{}
	} else {
		delete(p.conns, c)
	}
}

func (p *RWProxy) serve(client net.Conn) {
	defer p.wg.Done()
	defer client.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	var d net.Dialer
	target := p.Target()
	server, err := d.DialContext(ctx, "tcp", target)
	cancel()
	if err != nil {
		return
	}
	defer server.Close()
	p.track(client, true)
	p.track(server, true)
	if p.Target() != target {
		// Switched while dialling: this connection goes to the old primary.
		return
	}
	defer p.track(client, false)
	defer p.track(server, false)
	done := make(chan struct{}, 2)
	pipe := func(dst, src net.Conn) {
		_, _ = io.Copy(dst, src)
		_ = dst.Close()
		_ = src.Close()
		done <- struct{}{}
	}
	go pipe(server, client)
	go pipe(client, server)
	<-done
	<-done
}

package benchapi

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"
)

// Recorder is a PostgreSQL wire-protocol relay between the services and
// the server that, while recording, writes down every statement the
// clients send (simple queries, and each extended-protocol Bind with its
// statement's text and parameters) per connection, with the connection's
// startup parameters (its search_path). It reads the frontend stream only
// and forwards both directions untouched, so the services see the real
// server. lib/pq over sslmode=disable speaks plain protocol 3.0, which is
// what this understands; an SSLRequest is refused so the client falls
// back to plain or fails, never silently unrecorded.
type Recorder struct {
	ln       net.Listener
	upstream string
	on       atomic.Bool
	seq      atomic.Uint64
	mu       sync.Mutex
	conns    []*ConnLog
	wg       sync.WaitGroup

	// Counted all the time, recording or not (see Counts).
	statements, roundTrips, commits atomic.Int64
}

// Counts are what every client of the recorder sent since it started.
type Counts struct {
	// Statements are simple queries and executions of a prepared
	// statement (Bind), BEGIN and COMMIT included.
	Statements int64
	// RoundTrips are the times a client waited for the server: a simple
	// query, or a Sync ending a batch of extended-protocol messages (lib/pq
	// sends two per statement with parameters: Parse+Describe, then
	// Bind+Execute; one for a statement prepared before).
	RoundTrips int64
	// Commits are COMMIT statements (each one WAL flush, with fsync on).
	Commits int64
}

// Sub is c minus an earlier o.
func (c Counts) Sub(o Counts) Counts {
	return Counts{Statements: c.Statements - o.Statements, RoundTrips: c.RoundTrips - o.RoundTrips, Commits: c.Commits - o.Commits}
}

// Counts returns the counters so far.
func (r *Recorder) Counts() Counts {
	return Counts{Statements: r.statements.Load(), RoundTrips: r.roundTrips.Load(), Commits: r.commits.Load()}
}

// count updates the counters for one message of a client.
func (r *Recorder) count(typ byte, body []byte, prepared map[string]string) {
	var q string
	switch typ {
	case 'S':
		r.roundTrips.Add(1)
		return
	case 'Q':
		r.roundTrips.Add(1)
		q, _, _ = cstring(body)
	case 'B':
		_, rest, err := cstring(body)
		if err != nil {
			return
		}
		name, _, err := cstring(rest)
		if err != nil {
			return
		}
		q = prepared[name]
	default:
		return
	}
	r.statements.Add(1)
	if len(q) >= 6 && strings.EqualFold(q[:6], "COMMIT") {
		r.commits.Add(1)
	}
}

// ConnLog is what one client connection sent while recording.
type ConnLog struct {
	Params     map[string]string
	Statements []Statement
}

// Statement is one executed statement: its text and its parameters as the
// client sent them (Binary when sent in binary format).
type Statement struct {
	SQL    string
	Seq    uint64   // order of arrival over all connections
	Args   [][]byte // nil element = SQL NULL
	Binary []bool
}

// NewRecorder listens on a loopback port and relays to upstream
// (host:port).
func NewRecorder(upstream string) (*Recorder, error) {
	var lc net.ListenConfig
	ln, err := lc.Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	r := &Recorder{ln: ln, upstream: upstream}
	r.wg.Add(1)
	go r.accept()
	return r, nil
}

// Addr is where clients connect.
func (r *Recorder) Addr() string { return r.ln.Addr().String() }

// Start begins recording; Stop ends it and returns what was recorded,
// connections that sent nothing left out.
func (r *Recorder) Start() {
	r.mu.Lock()
	for _, c := range r.conns {
		c.Statements = nil
	}
	r.mu.Unlock()
	r.on.Store(true)
}

func (r *Recorder) Stop() []ConnLog {
	r.on.Store(false)
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []ConnLog
	for _, c := range r.conns {
		if len(c.Statements) > 0 {
			out = append(out, ConnLog{Params: c.Params, Statements: c.Statements})
			c.Statements = nil
		}
	}
	return out
}

// Close stops listening; relayed connections end with their clients.
func (r *Recorder) Close() error {
	err := r.ln.Close()
	r.wg.Wait()
	return err
}

func (r *Recorder) accept() {
	defer r.wg.Done()
	for {
		c, err := r.ln.Accept()
		if err != nil {
			return
		}
		go r.relay(c)
	}
}

func (r *Recorder) relay(client net.Conn) {
	defer client.Close()
	var d net.Dialer
	server, err := d.DialContext(context.Background(), "tcp", r.upstream)
	if err != nil {
		return
	}
	defer server.Close()
	go func() { _, _ = io.Copy(client, server); _ = client.Close() }()
	log := &ConnLog{Params: map[string]string{}}
	r.mu.Lock()
	r.conns = append(r.conns, log)
	r.mu.Unlock()
	in := bufio.NewReader(client)
	// Startup: int32 length, int32 protocol, then name/value pairs.
	for {
		msg, err := readN(in, 4)
		if err != nil {
			return
		}
		n := int(binary.BigEndian.Uint32(msg))
		if n < 8 || n > 1<<16 {
			return
		}
		body, err := readN(in, n-4)
		if err != nil {
			return
		}
		if binary.BigEndian.Uint32(body) == 80877103 { // SSLRequest
			if _, err := client.Write([]byte{'N'}); err != nil {
				return
			}
			continue
		}
		kv := bytes.Split(body[4:], []byte{0})
		for i := 0; i+1 < len(kv); i += 2 {
			r.mu.Lock()
			log.Params[string(kv[i])] = string(kv[i+1])
			r.mu.Unlock()
		}
		if _, err := server.Write(append(msg, body...)); err != nil {
			return
		}
		break
	}
	prepared := map[string]string{}
	for {
		head, err := readN(in, 5)
		if err != nil {
			return
		}
		n := int(binary.BigEndian.Uint32(head[1:]))
		if n < 4 {
			return
		}
		body, err := readN(in, n-4)
		if err != nil {
			return
		}
		if head[0] == 'P' {
			_, _ = parseMessage('P', body, prepared)
		}
		r.count(head[0], body, prepared)
		if r.on.Load() {
			if st, ok := parseMessage(head[0], body, prepared); ok {
				st.Seq = r.seq.Add(1)
				r.mu.Lock()
				log.Statements = append(log.Statements, st)
				r.mu.Unlock()
			}
		}
		if _, err := server.Write(append(head, body...)); err != nil {
			return
		}
	}
}

// parseMessage keeps Parse's statement text by name and turns a simple
// Query or a Bind into a Statement.
func parseMessage(typ byte, body []byte, prepared map[string]string) (Statement, bool) {
	switch typ {
	case 'Q':
		q, _, err := cstring(body)
		return Statement{SQL: q}, err == nil
	case 'P':
		name, rest, err := cstring(body)
		if err != nil {
			return Statement{}, false
		}
		q, _, err := cstring(rest)
		if err == nil {
			prepared[name] = q
		}
		return Statement{}, false
	case 'B':
		_, rest, err := cstring(body) // portal
		if err != nil {
			return Statement{}, false
		}
		name, rest, err := cstring(rest)
		if err != nil {
			return Statement{}, false
		}
		st := Statement{SQL: prepared[name]}
		if len(rest) < 2 {
			return Statement{}, false
		}
		nf := int(binary.BigEndian.Uint16(rest))
		rest = rest[2:]
		formats := make([]bool, nf)
		for i := range nf {
			if len(rest) < 2 {
				return Statement{}, false
			}
			formats[i] = binary.BigEndian.Uint16(rest) == 1
			rest = rest[2:]
		}
		if len(rest) < 2 {
			return Statement{}, false
		}
		np := int(binary.BigEndian.Uint16(rest))
		rest = rest[2:]
		for i := range np {
			if len(rest) < 4 {
				return Statement{}, false
			}
			l := int32(binary.BigEndian.Uint32(rest))
			rest = rest[4:]
			var v []byte
			if l >= 0 {
				if len(rest) < int(l) {
					return Statement{}, false
				}
				v = bytes.Clone(rest[:l])
				if v == nil {
					v = []byte{}
				}
				rest = rest[l:]
			}
			bin := false
			switch {
			case nf == 1:
				bin = formats[0]
			case nf > i:
				bin = formats[i]
			}
			st.Args = append(st.Args, v)
			st.Binary = append(st.Binary, bin)
		}
		return st, st.SQL != ""
	}
	return Statement{}, false
}

func cstring(b []byte) (string, []byte, error) {
	i := bytes.IndexByte(b, 0)
	if i < 0 {
		return "", nil, errors.New("no terminator")
	}
	return string(b[:i]), b[i+1:], nil
}

func readN(r io.Reader, n int) ([]byte, error) {
	b := make([]byte, n)
	_, err := io.ReadFull(r, b)
	return b, err
}

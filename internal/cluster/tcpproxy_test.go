package cluster

import (
	"bufio"
	"io"
	"net"
	"testing"
)

// echoServer answers every line with its name and the line.
func echoServer(t *testing.T, name string) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				r := bufio.NewReader(c)
				for {
					line, err := r.ReadString('\n')
					if err != nil {
						return
					}
					if _, err := io.WriteString(c, name+":"+line); err != nil {
						return
					}
				}
			}()
		}
	}()
	return l.Addr().String()
}

func roundTrip(t *testing.T, c net.Conn, r *bufio.Reader, msg string) (string, error) {
	t.Helper()
	if _, err := io.WriteString(c, msg+"\n"); err != nil {
		return "", err
	}
	return r.ReadString('\n')
}

// The -rw proxy forwards to the primary; Switch sends new connections to
// the new primary and cuts the old ones, so nobody writes to a demoted
// server through it.
func TestRWProxySwitchCutsOldConnections(t *testing.T) {
	t.Parallel()
	a, b := echoServer(t, "a"), echoServer(t, "b")
	p, err := NewRWProxy("127.0.0.1:0", a)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Close() })
	old, err := net.Dial("tcp", p.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	oldR := bufio.NewReader(old)
	if got, err := roundTrip(t, old, oldR, "1"); err != nil || got != "a:1\n" {
		t.Fatalf("before the switch: %q %v", got, err)
	}
	p.Switch(b)
	if got, err := roundTrip(t, old, oldR, "2"); err == nil {
		t.Fatalf("the old connection still reaches a server after the switch: %q", got)
	}
	fresh, err := net.Dial("tcp", p.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	if got, err := roundTrip(t, fresh, bufio.NewReader(fresh), "3"); err != nil || got != "b:3\n" {
		t.Fatalf("after the switch: %q %v", got, err)
	}
	if p.Target() != b {
		t.Fatalf("target %s, want %s", p.Target(), b)
	}
}

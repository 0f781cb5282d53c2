package guard_test

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/staffroom/staffroom/guard"
)

// serveGuarded serves h behind a guard with small timeouts (a long write timeout,
// so that answers get out) on a real
// listener on 127.0.0.1, and returns its address.
func serveGuarded(t *testing.T, h http.Handler) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	g := guard.New(guard.Config{Timeouts: guard.Timeouts{ReadHeader: 200 * time.Millisecond, Read: 200 * time.Millisecond,
		Write: 5 * time.Second, Idle: 200 * time.Millisecond}})
	srv := g.Server(g.Handler(h))
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

// waitClosed reads from conn until the server closes it, and fails when it
// is still open after a generous while.
func waitClosed(t *testing.T, conn net.Conn, r io.Reader) string {
	t.Helper()
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	got, err := io.ReadAll(r)
	if errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("the server kept the connection open; read %q", got)
	}
	return string(got)
}

// TestSlowBodyIsCut sends a body a byte at a time, slower than the read
// timeout allows: the server answers 408 and closes the connection.
func TestSlowBodyIsCut(t *testing.T) {
	addr := serveGuarded(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "got "+r.PostFormValue("a"))
	}))
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\na=")
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(50 * time.Millisecond):
				if _, err := conn.Write([]byte("x")); err != nil {
					return
				}
			}
		}
	}()
	if got := waitClosed(t, conn, conn); !strings.HasPrefix(got, "HTTP/1.1 408 ") {
		t.Errorf("answer to a trickling body: %q", got)
	}
}

// TestIdleConnectionIsClosed leaves a keep-alive connection idle after a
// request: the server closes it.
func TestIdleConnectionIsClosed(t *testing.T) {
	addr := serveGuarded(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }))
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	br := bufio.NewReader(conn)
	for range 2 { // the connection is kept alive between requests
		io.WriteString(conn, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || string(body) != "ok" || resp.Close {
			t.Fatalf("%d %q, close %v", resp.StatusCode, body, resp.Close)
		}
	}
	if rest := waitClosed(t, conn, br); rest != "" {
		t.Errorf("the idle connection got %q", rest)
	}
}

// TestSlowHeaderIsCut never finishes the header: the server closes the
// connection.
func TestSlowHeaderIsCut(t *testing.T) {
	addr := serveGuarded(t, http.NotFoundHandler())
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
	waitClosed(t, conn, conn)
}

func TestTimeoutsDefaults(t *testing.T) {
	srv := guard.Timeouts{Write: -1}.Server(http.NotFoundHandler())
	if srv.ReadHeaderTimeout != 10*time.Second || srv.ReadTimeout != time.Minute || srv.WriteTimeout != 0 || srv.IdleTimeout != 2*time.Minute {
		t.Errorf("timeouts %v %v %v %v", srv.ReadHeaderTimeout, srv.ReadTimeout, srv.WriteTimeout, srv.IdleTimeout)
	}
}

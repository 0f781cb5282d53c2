package staffroom_test

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestServeAllowedHosts serves for the hosts of STAFFROOM_ALLOWED_HOSTS or
// --allowed-hosts, the loopback names by default, and answers 400 to others.
func TestServeAllowedHosts(t *testing.T) {
	dbURL := "sqlite:" + filepath.Join(t.TempDir(), "w.sqlite3")
	env := map[string]string{"DATABASE_URL": dbURL, "STAFFROOM_SECRET_KEY": "k"}
	cases := []struct {
		env, flag string
		want      map[string]int // Host → status
	}{
		{"", "", map[string]int{"": 302, "localhost:8000": 302, "[::1]": 302, "evil.example": 400}},
		{"staff.example.com", "", map[string]int{"": 400, "staff.example.com": 302, "evil.example": 400}},
		{"staff.example.com", ".example.org, 127.0.0.1", map[string]int{"": 302, "staff.example.com": 400, "a.example.org": 302}},
	}
	for _, c := range cases {
		env["STAFFROOM_ALLOWED_HOSTS"] = c.env
		var flags []string
		if c.flag != "" {
			flags = []string{"--allowed-hosts", c.flag}
		}
		srv := startServe(t, env, flags...)
		for host, want := range c.want {
			req, _ := http.NewRequest("GET", srv.base, nil)
			if host != "" {
				req.Host = host
			}
			resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != want {
				t.Errorf("env %q, flag %q, Host %q: %d, want %d", c.env, c.flag, host, resp.StatusCode, want)
			}
		}
		srv.stop()
	}
}

// TestServeTimeouts is issue 9's finding 4: a body trickling in and an
// idle keep-alive connection are cut by serve's timeouts (small here).
func TestServeTimeouts(t *testing.T) {
	dbURL := "sqlite:" + filepath.Join(t.TempDir(), "w.sqlite3")
	srv := startServe(t, map[string]string{"DATABASE_URL": dbURL, "STAFFROOM_SECRET_KEY": "k"},
		"--read-timeout", "300ms", "--idle-timeout", "300ms", "--write-timeout", "5s")
	defer srv.stop()
	u, _ := url.Parse(srv.base)
	dial := func() net.Conn {
		conn, err := net.Dial("tcp", u.Host)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close() })
		return conn
	}
	// closed reads until the server closes the connection, failing when it
	// is still open after a generous while.
	closed := func(conn net.Conn, r io.Reader) string {
		conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		got, err := io.ReadAll(r)
		if errors.Is(err, os.ErrDeadlineExceeded) {
			t.Helper()
			t.Fatalf("the server kept the connection open; read %q", got)
		}
		return string(got)
	}

	conn := dial()
	io.WriteString(conn, "POST /admin/login/ HTTP/1.1\r\nHost: "+u.Host+"\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nusername=")
	stop := make(chan struct{})
	defer close(stop)
	go func(conn net.Conn) {
		for {
			select {
			case <-stop:
				return
			case <-time.After(100 * time.Millisecond):
				if _, err := conn.Write([]byte("a")); err != nil {
					return
				}
			}
		}
	}(conn)
	if got := closed(conn, conn); !strings.HasPrefix(got, "HTTP/1.1 408 ") {
		t.Errorf("a trickling body got %q", got)
	}

	idle := dial()
	br := bufio.NewReader(idle)
	io.WriteString(idle, "GET /admin/login/ HTTP/1.1\r\nHost: "+u.Host+"\r\n\r\n")
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Close {
		t.Fatalf("login page: %d, close %v", resp.StatusCode, resp.Close)
	}
	if rest := closed(idle, br); rest != "" {
		t.Errorf("the idle connection got %q", rest)
	}
}

package session_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/orm"
	"github.com/staffroom/staffroom/session"
)

const secret = "test-secret-key-for-the-session-package"

var keyPattern = regexp.MustCompile(`^[a-z0-9]{32}$`)

// syncBuffer is a log destination written by server goroutines and read by
// the test.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func registry(t testing.TB) *orm.Registry {
	t.Helper()
	reg := orm.NewRegistry()
	if _, err := reg.Register(session.App()); err != nil {
		t.Fatal(err)
	}
	return reg
}

// env is a store behind a test server with handlers that use the session.
type env struct {
	t   *testing.T
	db  *orm.DB
	st  *session.Store
	srv *httptest.Server
	log *syncBuffer
}

func newEnv(t *testing.T, db *orm.DB, cfg session.Config, tls bool) *env {
	t.Helper()
	e := &env{t: t, db: db, log: &syncBuffer{}}
	if cfg.SecretKey == "" {
		cfg.SecretKey = secret
	}
	cfg.Logger = slog.New(slog.NewTextHandler(e.log, nil))
	st, err := session.NewStore(db, cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.st = st
	h := st.Middleware(testMux(t))
	if tls {
		e.srv = httptest.NewTLSServer(h)
	} else {
		e.srv = httptest.NewServer(h)
	}
	t.Cleanup(e.srv.Close)
	return e
}

func testMux(t *testing.T) *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("/set", func(w http.ResponseWriter, r *http.Request) {
		session.From(r).Set(r.FormValue("k"), r.FormValue("v"))
		w.Write([]byte("ok"))
	})
	mux.HandleFunc("/get", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(session.From(r).String(r.FormValue("k"))))
	})
	mux.HandleFunc("/count", func(w http.ResponseWriter, r *http.Request) {
		s := session.From(r)
		n, _ := s.Int("n")
		s.Set("n", n+1)
		v, _ := s.Get("n")
		json.NewEncoder(w).Encode(map[string]any{"n": n, "type": reflect.TypeOf(v).String()})
	})
	mux.HandleFunc("/cycle", func(w http.ResponseWriter, r *http.Request) {
		if err := session.From(r).CycleKey(r.Context()); err != nil {
			t.Errorf("CycleKey: %v", err)
		}
	})
	mux.HandleFunc("/flush", func(w http.ResponseWriter, r *http.Request) {
		if err := session.From(r).Flush(r.Context()); err != nil {
			t.Errorf("Flush: %v", err)
		}
		w.Write([]byte("flushed"))
	})
	mux.HandleFunc("/fail", func(w http.ResponseWriter, r *http.Request) {
		session.From(r).Set("x", "y")
		http.Error(w, "boom", http.StatusInternalServerError)
	})
	mux.HandleFunc("/expiry", func(w http.ResponseWriter, r *http.Request) {
		s := session.From(r)
		switch r.FormValue("s") {
		case "0":
			s.SetExpiry(0)
		case "3600":
			s.SetExpiry(3600)
		}
		s.Set("a", "b")
		w.Write([]byte("ok"))
	})
	mux.HandleFunc("/silent", func(w http.ResponseWriter, r *http.Request) {
		session.From(r).Set("silent", "yes") // and nothing written
	})
	mux.HandleFunc("/redirect", func(w http.ResponseWriter, r *http.Request) {
		session.From(r).Set("r", "1")
		http.Redirect(w, r, "/get?k=r", http.StatusFound)
	})
	mux.HandleFunc("/nothing", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("hi"))
	})
	return mux
}

// get requests path with the given session cookie ("" for none) and
// returns the response with its body read.
func (e *env) get(path, key string) (*http.Response, string) {
	e.t.Helper()
	req, err := http.NewRequest("GET", e.srv.URL+path, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	if key != "" {
		req.AddCookie(&http.Cookie{Name: "sessionid", Value: key})
	}
	client := e.srv.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := client.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	var body bytes.Buffer
	body.ReadFrom(resp.Body)
	return resp, body.String()
}

// sessionCookie returns the sessionid cookie the response sets, or nil.
func sessionCookie(resp *http.Response) *http.Cookie {
	for _, c := range resp.Cookies() {
		if c.Name == "sessionid" {
			return c
		}
	}
	return nil
}

func (e *env) rows() []*session.Session {
	e.t.Helper()
	rows, err := orm.All[session.Session](context.Background(), orm.For[session.Session](e.db))
	if err != nil {
		e.t.Fatal(err)
	}
	return rows
}

func (e *env) row(key string) *session.Session {
	e.t.Helper()
	for _, r := range e.rows() {
		if r.SessionKey == key {
			return r
		}
	}
	return nil
}

func hasVaryCookie(resp *http.Response) bool {
	for _, v := range resp.Header.Values("Vary") {
		if strings.Contains(v, "Cookie") {
			return true
		}
	}
	return false
}

func near(t *testing.T, what string, got, want time.Time) {
	t.Helper()
	if d := got.Sub(want); d < -5*time.Second || d > 5*time.Second {
		t.Errorf("%s = %v, want about %v", what, got, want)
	}
}

func TestRoundTrip(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		e := newEnv(t, db, session.Config{}, false)
		resp, _ := e.get("/set?k=name&v=alice", "")
		c := sessionCookie(resp)
		if c == nil {
			t.Fatalf("no session cookie; headers %v", resp.Header)
		}
		if !keyPattern.MatchString(c.Value) {
			t.Errorf("key %q is not 32 characters of [a-z0-9]", c.Value)
		}
		if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Secure {
			t.Errorf("cookie attributes: %s", resp.Header.Get("Set-Cookie"))
		}
		if c.MaxAge != 1209600 {
			t.Errorf("Max-Age = %d, want 1209600", c.MaxAge)
		}
		near(t, "cookie Expires", c.Expires, time.Now().Add(14*24*time.Hour))
		if !hasVaryCookie(resp) {
			t.Errorf("no Vary: Cookie")
		}
		row := e.row(c.Value)
		if row == nil {
			t.Fatalf("no row for %s", c.Value)
		}
		near(t, "expire_date", row.ExpireDate, time.Now().Add(14*24*time.Hour))
		if got := e.st.Decode(row.SessionData); !reflect.DeepEqual(got, map[string]any{"name": "alice"}) {
			t.Errorf("stored data = %v", got)
		}

		resp, body := e.get("/get?k=name", c.Value)
		if body != "alice" {
			t.Errorf("second request read %q, want alice", body)
		}
		if sessionCookie(resp) != nil {
			t.Errorf("an unmodified session set a cookie: %v", resp.Header["Set-Cookie"])
		}
		if !hasVaryCookie(resp) {
			t.Errorf("an accessed session did not add Vary: Cookie")
		}
		if n := len(e.rows()); n != 1 {
			t.Errorf("%d rows, want 1", n)
		}
	})
}

// TestDecodedIsACopy: Decode remembers what a string decodes to, and
// each caller may change what it is given — nested objects and arrays
// too — without changing what the next decoding gives.
func TestDecodedIsACopy(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		e := newEnv(t, db, session.Config{}, false)
		want := map[string]any{"name": "alice", "cart": map[string]any{"items": []any{"tea"}}}
		enc, err := e.st.Encode(want)
		if err != nil {
			t.Fatal(err)
		}
		for range 3 {
			got := e.st.Decode(enc)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("Decode = %v, want %v", got, want)
			}
			got["name"] = "mallory"
			cart := got["cart"].(map[string]any)
			cart["items"].([]any)[0] = "poison"
			cart["extra"] = true
		}
	})
}

func TestNumbersAndRedirect(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		e := newEnv(t, db, session.Config{}, false)
		resp, body := e.get("/count", "")
		key := sessionCookie(resp).Value
		if !strings.Contains(body, `"n":0`) || !strings.Contains(body, `"type":"int64"`) {
			t.Errorf("first count: %s", body)
		}
		resp, body = e.get("/count", key)
		if !strings.Contains(body, `"n":1`) {
			t.Errorf("second count: %s", body)
		}
		if c := sessionCookie(resp); c == nil || c.Value != key {
			t.Errorf("a modified session must keep its key and refresh the cookie: %v", resp.Header["Set-Cookie"])
		}
		resp, _ = e.get("/count", key)
		if got, _ := e.st.Load(context.Background(), key); got["n"] != json.Number("3") {
			t.Errorf("n = %#v, want json.Number 3", got["n"])
		}

		resp, _ = e.get("/redirect", key)
		if resp.StatusCode != http.StatusFound || sessionCookie(resp) == nil {
			t.Errorf("redirect: status %d, cookie %v", resp.StatusCode, resp.Header["Set-Cookie"])
		}
		if _, body := e.get("/get?k=r", key); body != "1" {
			t.Errorf("value set before a redirect = %q", body)
		}
	})
}

func TestNoFixation(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		e := newEnv(t, db, session.Config{}, false)
		const chosen = "attackerchosenkey123456789012345"
		resp, _ := e.get("/set?k=a&v=1", chosen)
		c := sessionCookie(resp)
		if c == nil || c.Value == chosen || !keyPattern.MatchString(c.Value) {
			t.Fatalf("a chosen unknown key must be replaced by a new one: %v", resp.Header["Set-Cookie"])
		}
		if e.row(chosen) != nil {
			t.Errorf("a row was created under the chosen key")
		}

		// An unknown key that is only read: the session is empty, so the
		// cookie is deleted.
		resp, _ = e.get("/get?k=a", chosen)
		if c := sessionCookie(resp); c == nil || c.MaxAge >= 0 {
			t.Errorf("unknown key, read only: want the cookie deleted, got %v", resp.Header["Set-Cookie"])
		}
		// A key shorter than 8 characters is no key at all.
		resp, _ = e.get("/nothing", "short")
		if c := sessionCookie(resp); c == nil || c.MaxAge >= 0 || c.Value != "" {
			t.Errorf("short key: want the cookie deleted, got %v", resp.Header["Set-Cookie"])
		}
		if n := len(e.rows()); n != 1 {
			t.Errorf("%d rows, want 1", n)
		}
	})
}

func TestCycleKey(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		e := newEnv(t, db, session.Config{}, false)
		resp, _ := e.get("/set?k=name&v=bob", "")
		old := sessionCookie(resp).Value
		resp, _ = e.get("/cycle", old)
		c := sessionCookie(resp)
		if c == nil || c.Value == old || !keyPattern.MatchString(c.Value) {
			t.Fatalf("cycle: cookie %v, old key %s", resp.Header["Set-Cookie"], old)
		}
		if e.row(old) != nil {
			t.Errorf("the old row survived CycleKey")
		}
		if _, body := e.get("/get?k=name", c.Value); body != "bob" {
			t.Errorf("data after CycleKey = %q, want bob", body)
		}
		if _, body := e.get("/get?k=name", old); body != "" {
			t.Errorf("the old key still reads %q", body)
		}
	})
}

func TestFlush(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		e := newEnv(t, db, session.Config{}, false)
		resp, _ := e.get("/set?k=name&v=carol", "")
		key := sessionCookie(resp).Value
		resp, _ = e.get("/flush", key)
		c := sessionCookie(resp)
		if c == nil || c.MaxAge >= 0 || c.Value != "" {
			t.Fatalf("flush: want the cookie deleted, got %v", resp.Header["Set-Cookie"])
		}
		raw := resp.Header.Get("Set-Cookie")
		if !strings.Contains(raw, "Max-Age=0") || !strings.Contains(raw, "Expires=Thu, 01 Jan 1970 00:00:00 GMT") {
			t.Errorf("deletion cookie = %q", raw)
		}
		if !hasVaryCookie(resp) {
			t.Errorf("no Vary: Cookie on deletion")
		}
		if e.row(key) != nil || len(e.rows()) != 0 {
			t.Errorf("rows after flush: %v", e.rows())
		}
		if _, body := e.get("/get?k=name", key); body != "" {
			t.Errorf("flushed session still reads %q", body)
		}
	})
}

func TestCorruptedData(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		e := newEnv(t, db, session.Config{}, false)
		resp, _ := e.get("/set?k=name&v=dave", "")
		key := sessionCookie(resp).Value
		row := e.row(key)
		sig := row.SessionData[len(row.SessionData)-1]
		repl := byte('A')
		if sig == 'A' {
			repl = 'B'
		}
		row.SessionData = row.SessionData[:len(row.SessionData)-1] + string(repl)
		if err := db.Update(context.Background(), row); err != nil {
			t.Fatal(err)
		}
		resp, body := e.get("/get?k=name", key)
		if resp.StatusCode != http.StatusOK || body != "" {
			t.Errorf("tampered session: status %d, body %q; want 200 and empty", resp.StatusCode, body)
		}
		logged := e.log.String()
		if !strings.Contains(logged, "level=WARN") || !strings.Contains(logged, `msg="Session data corrupted"`) {
			t.Errorf("log = %q, want a WARN \"Session data corrupted\"", logged)
		}
		if strings.Contains(logged, key) {
			t.Errorf("the session key leaked into the log")
		}
		// As in Django the row exists, so a save overwrites it in place.
		resp, _ = e.get("/set?k=name&v=eve", key)
		if c := sessionCookie(resp); c == nil || c.Value != key {
			t.Errorf("save after corruption: cookie %v", resp.Header["Set-Cookie"])
		}
		if _, body := e.get("/get?k=name", key); body != "eve" {
			t.Errorf("after resave: %q", body)
		}
		// Garbage, not even a signature.
		if got := e.st.Decode("not a session"); len(got) != 0 {
			t.Errorf("Decode(garbage) = %v", got)
		}
	})
}

type djangoVectors struct {
	SecretKey string `json:"secret_key"`
	Sessions  []struct {
		SessionKey  string         `json:"session_key"`
		SessionData string         `json:"session_data"`
		Decoded     map[string]any `json:"decoded"`
	} `json:"sessions"`
}

func TestDjangoVector(t *testing.T) {
	var v djangoVectors
	if err := json.Unmarshal(testdb.ReadFixture(t, "session-vectors.json"), &v); err != nil {
		t.Fatal(err)
	}
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		e := newEnv(t, db, session.Config{SecretKey: v.SecretKey}, false)
		rotated, err := session.NewStore(db, session.Config{SecretKey: "a-newer-secret", FallbackKeys: []string{v.SecretKey}})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range v.Sessions {
			got := e.st.Decode(s.SessionData)
			if !reflect.DeepEqual(got, s.Decoded) {
				t.Errorf("Decode(%s) = %v, want %v", s.SessionKey, got, s.Decoded)
			}
			if got := rotated.Decode(s.SessionData); !reflect.DeepEqual(got, s.Decoded) {
				t.Errorf("with the secret as a fallback key: %v", got)
			}
			// A row Django wrote is served as-is through the middleware.
			row := &session.Session{SessionKey: s.SessionKey, SessionData: s.SessionData, ExpireDate: time.Now().Add(time.Hour)}
			if err := db.Insert(context.Background(), row); err != nil {
				t.Fatal(err)
			}
			if _, body := e.get("/get?k=_auth_user_id", s.SessionKey); body != s.Decoded["_auth_user_id"] {
				t.Errorf("user id through the middleware = %q", body)
			}
			// What we write, Django's format, reads back with the same key.
			enc, err := e.st.Encode(s.Decoded)
			if err != nil {
				t.Fatal(err)
			}
			if parts := strings.Split(enc, ":"); len(parts) != 3 {
				t.Errorf("encoded %q is not payload:timestamp:signature", enc)
			}
			if got := e.st.Decode(enc); !reflect.DeepEqual(got, s.Decoded) {
				t.Errorf("round trip = %v", got)
			}
			if enc2, _ := rotated.Encode(s.Decoded); len(e.st.Decode(enc2)) != 0 {
				t.Errorf("fallback keys must never be used to encode")
			}
		}
	})
}

func TestExpiredRowsAndClearExpired(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		e := newEnv(t, db, session.Config{}, false)
		data, err := e.st.Encode(map[string]any{"name": "old"})
		if err != nil {
			t.Fatal(err)
		}
		now := time.Now()
		for key, exp := range map[string]time.Time{
			"expiredexpiredexpiredexpired0001": now.Add(-time.Hour),
			"expiredexpiredexpiredexpired0002": now.Add(-time.Second),
			"livelivelivelivelivelivelive0003": now.Add(time.Hour),
		} {
			if err := db.Insert(ctx, &session.Session{SessionKey: key, SessionData: data, ExpireDate: exp}); err != nil {
				t.Fatal(err)
			}
		}
		if got, err := e.st.Load(ctx, "expiredexpiredexpiredexpired0001"); err != nil || len(got) != 0 {
			t.Errorf("Load(expired) = %v, %v; want empty", got, err)
		}
		if got, _ := e.st.Load(ctx, "livelivelivelivelivelivelive0003"); got["name"] != "old" {
			t.Errorf("Load(live) = %v", got)
		}
		if _, body := e.get("/get?k=name", "expiredexpiredexpiredexpired0001"); body != "" {
			t.Errorf("an expired session was read: %q", body)
		}
		resp, _ := e.get("/set?k=name&v=new", "expiredexpiredexpiredexpired0001")
		if c := sessionCookie(resp); c == nil || c.Value == "expiredexpiredexpiredexpired0001" {
			t.Errorf("an expired key must be replaced: %v", resp.Header["Set-Cookie"])
		}

		n, err := e.st.ClearExpired(ctx)
		if err != nil || n != 2 {
			t.Fatalf("ClearExpired = %d, %v; want 2", n, err)
		}
		var keys []string
		for _, r := range e.rows() {
			keys = append(keys, r.SessionKey)
		}
		if len(keys) != 2 || e.row("livelivelivelivelivelivelive0003") == nil {
			t.Errorf("rows left: %v", keys)
		}
	})
}

func TestExpiry(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		e := newEnv(t, db, session.Config{}, false)
		resp, _ := e.get("/expiry?s=0", "")
		raw := resp.Header.Get("Set-Cookie")
		c := sessionCookie(resp)
		if c == nil || strings.Contains(raw, "Max-Age") || strings.Contains(raw, "Expires") {
			t.Fatalf("browser-close session cookie = %q, want neither Max-Age nor Expires", raw)
		}
		near(t, "browser-close expire_date", e.row(c.Value).ExpireDate, time.Now().Add(14*24*time.Hour))

		resp, _ = e.get("/expiry?s=3600", "")
		c = sessionCookie(resp)
		if c == nil || c.MaxAge != 3600 {
			t.Fatalf("custom expiry cookie = %q", resp.Header.Get("Set-Cookie"))
		}
		near(t, "cookie Expires", c.Expires, time.Now().Add(time.Hour))
		near(t, "custom expire_date", e.row(c.Value).ExpireDate, time.Now().Add(time.Hour))

		// A fixed moment, stored as Django 4.2 stores it.
		s := e.st.Session(context.Background(), "")
		at := time.Now().UTC().Add(2 * time.Hour).Truncate(time.Second)
		s.SetExpiryAt(at)
		if v := s.String(session.ExpiryKey); v != at.Format("2006-01-02T15:04:05")+"+00:00" {
			t.Errorf("stored expiry %q is not ISO 8601", v)
		}
		if got := s.ExpiryDate(); !got.Equal(at) {
			t.Errorf("ExpiryDate = %v, want %v", got, at)
		}
		if age := s.ExpiryAge(); age < 7190 || age > 7200 {
			t.Errorf("ExpiryAge = %d, want about 7200", age)
		}

		// The store-wide browser-close setting.
		e2 := newEnv(t, db, session.Config{ExpireAtBrowserClose: true, CookieAge: time.Hour}, false)
		resp, _ = e2.get("/expiry", "")
		if raw := resp.Header.Get("Set-Cookie"); raw == "" || strings.Contains(raw, "Max-Age") {
			t.Errorf("ExpireAtBrowserClose cookie = %q", raw)
		}
		near(t, "expire_date with CookieAge", e2.row(sessionCookie(resp).Value).ExpireDate, time.Now().Add(time.Hour))
	})
}

func TestNoSaveOnServerError(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		e := newEnv(t, db, session.Config{}, false)
		resp, _ := e.get("/fail", "")
		if resp.StatusCode != 500 || sessionCookie(resp) != nil {
			t.Errorf("500: status %d, Set-Cookie %v", resp.StatusCode, resp.Header["Set-Cookie"])
		}
		if n := len(e.rows()); n != 0 {
			t.Errorf("%d rows after a 500, want 0", n)
		}
	})
}

func TestSaveWhenNothingWritten(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		e := newEnv(t, db, session.Config{}, false)
		resp, _ := e.get("/silent", "")
		c := sessionCookie(resp)
		if resp.StatusCode != 200 || c == nil {
			t.Fatalf("status %d, Set-Cookie %v", resp.StatusCode, resp.Header["Set-Cookie"])
		}
		if _, body := e.get("/get?k=silent", c.Value); body != "yes" {
			t.Errorf("read %q", body)
		}
		// A request that never touches the session costs nothing.
		resp, _ = e.get("/nothing", "")
		if sessionCookie(resp) != nil || hasVaryCookie(resp) {
			t.Errorf("untouched session changed the response: %v", resp.Header)
		}
	})
}

func TestSecureCookie(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		e := newEnv(t, db, session.Config{}, true)
		resp, _ := e.get("/set?k=a&v=b", "")
		if c := sessionCookie(resp); c == nil || !c.Secure {
			t.Errorf("over TLS: Set-Cookie %v, want Secure", resp.Header["Set-Cookie"])
		}
		e2 := newEnv(t, db, session.Config{CookieSecure: true, CookieName: "sid", CookiePath: "/admin/"}, false)
		resp, _ = e2.get("/set?k=a&v=b", "")
		raw := resp.Header.Get("Set-Cookie")
		if !strings.HasPrefix(raw, "sid=") || !strings.Contains(raw, "; Secure") || !strings.Contains(raw, "Path=/admin/") {
			t.Errorf("configured cookie = %q", raw)
		}
	})
}

func TestInterruptedSession(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		e := newEnv(t, db, session.Config{}, false)
		resp, _ := e.get("/set?k=name&v=frank", "")
		key := sessionCookie(resp).Value
		// A handler that loads the session, then (as a logout in another
		// tab would) loses its row, then modifies it.
		h := e.st.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			s := session.From(r)
			_ = s.String("name")
			if _, err := db.Exec(r.Context(), "DELETE FROM "+db.Dialect().Quote("django_session")); err != nil {
				t.Error(err)
			}
			s.Set("name", "mallory")
			w.Header().Set("Location", "/somewhere")
			w.WriteHeader(http.StatusFound)
		}))
		req := httptest.NewRequest("GET", "/", nil)
		req.AddCookie(&http.Cookie{Name: "sessionid", Value: key})
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusBadRequest || rec.Header().Get("Location") != "" {
			t.Errorf("status %d, headers %v; want 400 without the handler's headers", rec.Code, rec.Header())
		}
		if n := len(e.rows()); n != 0 {
			t.Errorf("the deleted session was resurrected")
		}
	})
}

func TestStoreAPI(t *testing.T) {
	if _, err := session.NewStore(nil, session.Config{SecretKey: "x"}); err == nil {
		t.Errorf("NewStore(nil db) succeeded")
	}
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		if _, err := session.NewStore(db, session.Config{}); err == nil {
			t.Errorf("NewStore without a secret key succeeded")
		}
		st, err := session.NewStore(db, session.Config{SecretKey: secret})
		if err != nil {
			t.Fatal(err)
		}
		if st.DB() != db || st.CookieName() != "sessionid" {
			t.Errorf("DB/CookieName")
		}
		s := st.Session(ctx, "")
		if !s.IsEmpty() || s.Modified() || s.Accessed() {
			t.Errorf("a new session is empty and untouched")
		}
		s.Set("k", []any{"a", 1})
		if err := s.Save(ctx); err != nil {
			t.Fatal(err)
		}
		if !keyPattern.MatchString(s.Key()) || s.IsEmpty() || !s.Modified() {
			t.Errorf("after Save: key %q", s.Key())
		}
		got, err := st.Load(ctx, s.Key())
		if err != nil || !reflect.DeepEqual(got, map[string]any{"k": []any{"a", json.Number("1")}}) {
			t.Errorf("Load = %#v, %v", got, err)
		}
		again := st.Session(ctx, s.Key())
		if keys := again.Keys(); len(keys) != 1 || keys[0] != "k" {
			t.Errorf("Keys = %v", keys)
		}
		again.Delete("missing")
		if again.Modified() {
			t.Errorf("deleting a missing key modified the session")
		}
		again.Delete("k")
		if !again.Modified() || again.IsEmpty() {
			t.Errorf("Delete: modified %v, empty %v", again.Modified(), again.IsEmpty())
		}
		if err := again.Flush(ctx); err != nil || again.Key() != "" || !again.IsEmpty() {
			t.Errorf("Flush: %v, key %q", err, again.Key())
		}
		if got, _ := st.Load(ctx, s.Key()); len(got) != 0 {
			t.Errorf("flushed row still loads: %v", got)
		}
		// Outside the middleware.
		r := httptest.NewRequest("GET", "/", nil)
		out := session.From(r)
		out.Set("a", "b")
		if out.String("a") != "b" || session.From(r).String("a") != "" {
			t.Errorf("From outside the middleware")
		}
		if err := out.Save(ctx); err == nil {
			t.Errorf("Save outside the middleware succeeded")
		}
	})
	reg := orm.NewRegistry()
	db := testdb.Open(t, "sqlite", reg)
	if _, err := session.NewStore(db, session.Config{SecretKey: "x"}); err == nil {
		t.Errorf("NewStore without the sessions app registered succeeded")
	}
}

func TestModel(t *testing.T) {
	reg := registry(t)
	if err := reg.Ready(); err != nil {
		t.Fatal(err)
	}
	m, err := reg.GetModel("sessions.Session")
	if err != nil {
		t.Fatal(err)
	}
	if m.Table != "django_session" || m.VerboseNamePlural != "sessions" || m.App.VerboseName != "Sessions" || m.App.Name != "django.contrib.sessions" {
		t.Errorf("model metadata: %+v", m)
	}
	pk := m.PK
	if pk.Column != "session_key" || pk.MaxLength != 40 || pk.VerboseName != "session key" {
		t.Errorf("primary key: %+v", pk)
	}
	if f := m.Field("session_data"); f.Kind != orm.KindText {
		t.Errorf("session_data kind %v", f.Kind)
	}
	if f := m.Field("expire_date"); f.Kind != orm.KindDateTime || !f.DBIndex {
		t.Errorf("expire_date: %+v", f)
	}
	// Not the key, as in Django: the key is a credential.
	if s := m.String(&session.Session{SessionKey: "abc"}); s != session.Digest("abc") {
		t.Errorf("String = %q", s)
	}
}

package session_test

import (
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/staffroom/staffroom/internal/signing"
	"github.com/staffroom/staffroom/session"
)

// djangoCookie signs data as Django's signed_cookies engine does, at the
// given moment, with key.
func djangoCookie(json, key string, at time.Time) string {
	payload := base64.RawURLEncoding.EncodeToString([]byte(json))
	return signing.Signer{Key: key, Salt: session.CookieSalt}.Sign(payload + ":" + signing.B62Encode(at.Unix()))
}

func TestSignedCookies(t *testing.T) {
	e := newEnv(t, nil, session.Config{Engine: session.SignedCookies}, false)
	resp, _ := e.get("/set?k=colour&v=blue", "")
	c := sessionCookie(resp)
	if c == nil || !c.HttpOnly || c.MaxAge != int(session.DefaultCookieAge/time.Second) {
		t.Fatalf("cookie %+v", c)
	}
	raw, err := signing.Loads(c.Value, []string{secret}, session.CookieSalt, 0)
	if err != nil || string(raw) != `{"colour":"blue"}` {
		t.Errorf("cookie is not Django's signed_cookies format: %s %v", raw, err)
	}
	if _, body := e.get("/get?k=colour", c.Value); body != "blue" {
		t.Errorf("read back %q", body)
	}
	// Changing the data changes the cookie.
	resp, _ = e.get("/set?k=colour&v=red", c.Value)
	c2 := sessionCookie(resp)
	if c2 == nil || c2.Value == c.Value {
		t.Fatal("a changed session kept its cookie")
	}
	cases := []struct {
		name, cookie, want string
	}{
		{"written by Django", djangoCookie(`{"colour":"green"}`, secret, time.Now()), "green"},
		{"signed with a fallback key", djangoCookie(`{"colour":"old"}`, "an-older-secret", time.Now()), "old"},
		{"older than the cookie age", djangoCookie(`{"colour":"stale"}`, secret, time.Now().Add(-15*24*time.Hour)), ""},
		{"signed with an unknown key", djangoCookie(`{"colour":"forged"}`, "guessed", time.Now()), ""},
		{"tampered payload", "f" + c2.Value[1:], ""},
		{"garbage", "not-a-session", ""},
	}
	rotated := newEnv(t, nil, session.Config{Engine: session.SignedCookies, FallbackKeys: []string{"an-older-secret"}}, false)
	for _, tc := range cases {
		if _, body := rotated.get("/get?k=colour", tc.cookie); body != tc.want {
			t.Errorf("%s: read %q, want %q", tc.name, body, tc.want)
		}
	}
	// Flushing deletes the cookie.
	resp, _ = e.get("/flush", c2.Value)
	if del := sessionCookie(resp); del == nil || del.Value != "" || del.MaxAge >= 0 {
		t.Errorf("flush left cookie %+v", del)
	}
}

func TestSignedCookiesCannotClearExpired(t *testing.T) {
	st, err := session.NewStore(nil, session.Config{SecretKey: secret, Engine: session.SignedCookies})
	if err != nil {
		t.Fatal(err)
	}
	_, err = st.ClearExpired(context.Background())
	if !errors.Is(err, session.ErrClearExpiredUnsupported) ||
		!strings.Contains(err.Error(), "Session engine 'django.contrib.sessions.backends.signed_cookies' doesn't support clearing expired sessions") {
		t.Errorf("ClearExpired: %v", err)
	}
	if _, err := session.NewStore(nil, session.Config{SecretKey: secret}); err == nil {
		t.Error("a database store without a database")
	}
	if _, err := session.NewStore(nil, session.Config{SecretKey: secret, Engine: "cache"}); err == nil {
		t.Error("an unknown engine was accepted")
	}
}

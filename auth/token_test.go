package auth_test

import (
	"testing"
	"time"

	"github.com/staffroom/staffroom/auth"
)

func TestPasswordResetTokens(t *testing.T) {
	at := func(s string) time.Time {
		tm, err := time.Parse("2006-01-02 15:04:05", s)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	login := time.Date(2024, 5, 6, 7, 8, 9, 123456000, time.UTC)
	user := func() *auth.User {
		return &auth.User{ID: 1, Password: "pbkdf2_sha256$1000$salt$hash=", LastLogin: &login, Email: "ann@example.com"}
	}
	clock := at("2025-03-04 05:06:07")
	g := auth.TokenGenerator{SecretKey: "s3cr3t", Now: func() time.Time { return clock }}
	// Computed independently with Django's algorithm (salted_hmac SHA-256
	// of pk, password, last login, timestamp and email; every other hex
	// digit), so Django and Staffroom accept each other's links.
	const djangoToken = "cm4ji7-2a221577e79df828abad4be81ed4cf58"
	if got := g.MakeToken(user()); got != djangoToken {
		t.Fatalf("MakeToken = %q, want Django's %q", got, djangoToken)
	}
	bare := &auth.User{ID: 1, Password: "pbkdf2_sha256$1000$salt$hash="}
	if got := g.MakeToken(bare); got != "cm4ji7-c5c82bd3eededa19cf66efd932189ab7" {
		t.Errorf("without last login and email: %q", got)
	}
	later := func(d time.Duration) auth.TokenGenerator {
		g2 := g
		g2.Now = func() time.Time { return clock.Add(d) }
		return g2
	}
	rotated := auth.TokenGenerator{SecretKey: "new", FallbackKeys: []string{"s3cr3t"}, Now: g.Now}
	newLogin := login.Add(time.Hour)
	cases := []struct {
		name  string
		g     auth.TokenGenerator
		u     func(*auth.User)
		token string
		want  bool
	}{
		{"fresh", g, nil, djangoToken, true},
		{"three days later", later(3 * 24 * time.Hour), nil, djangoToken, true},
		{"a second too late", later(3*24*time.Hour + time.Second), nil, djangoToken, false},
		{"shorter timeout", auth.TokenGenerator{SecretKey: "s3cr3t", Timeout: time.Hour, Now: later(2 * time.Hour).Now}, nil, djangoToken, false},
		{"password changed", g, func(u *auth.User) { u.Password = "pbkdf2_sha256$1000$salt$other=" }, djangoToken, false},
		{"logged in since", g, func(u *auth.User) { u.LastLogin = &newLogin }, djangoToken, false},
		{"email changed", g, func(u *auth.User) { u.Email = "eve@example.com" }, djangoToken, false},
		{"another user", g, func(u *auth.User) { u.ID = 2 }, djangoToken, false},
		{"fallback key", rotated, nil, djangoToken, true},
		{"unknown key", auth.TokenGenerator{SecretKey: "other", Now: g.Now}, nil, djangoToken, false},
		{"tampered", g, nil, "cm4ji7-2a221577e79df828abad4be81ed4cf59", false},
		{"timestamp moved", g, nil, "cm4ji8-2a221577e79df828abad4be81ed4cf58", false},
		{"no dash", g, nil, "cm4ji72a221577e79df828abad4be81ed4cf58", false},
		{"too long a timestamp", g, nil, "zzzzzzzzzzzzzz-2a221577e79df828abad4be81ed4cf58", false},
		{"empty", g, nil, "", false},
	}
	for _, c := range cases {
		u := user()
		if c.u != nil {
			c.u(u)
		}
		if got := c.g.CheckToken(u, c.token); got != c.want {
			t.Errorf("%s: CheckToken = %v, want %v", c.name, got, c.want)
		}
	}
	if g.CheckToken(nil, djangoToken) {
		t.Error("a token checked for no user")
	}
}

func TestUID(t *testing.T) {
	if got := auth.EncodeUID(1234); got != "MTIzNA" {
		t.Errorf("EncodeUID(1234) = %q", got)
	}
	for in, want := range map[string]int64{"MTIzNA": 1234, "MTIzNA==": 1234, "MQ": 1} {
		if id, ok := auth.DecodeUID(in); !ok || id != want {
			t.Errorf("DecodeUID(%q) = %d, %v", in, id, ok)
		}
	}
	for _, bad := range []string{"", "!!", "YWJj", "MA", "LTE"} { // abc, 0, -1
		if id, ok := auth.DecodeUID(bad); ok {
			t.Errorf("DecodeUID(%q) = %d", bad, id)
		}
	}
}

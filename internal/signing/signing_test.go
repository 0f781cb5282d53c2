package signing

import (
	"bytes"
	"compress/zlib"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/staffroom/staffroom/internal/testdb"
)

const sessionSalt = "django.contrib.sessions.SessionStore"

type sessionVectors struct {
	SecretKey string `json:"secret_key"`
	Sessions  []struct {
		SessionKey  string         `json:"session_key"`
		SessionData string         `json:"session_data"`
		Decoded     map[string]any `json:"decoded"`
	} `json:"sessions"`
}

func loadVectors(t testing.TB) sessionVectors {
	t.Helper()
	const path = "session-vectors.json"
	var v sessionVectors
	if err := json.Unmarshal(testdb.ReadFixture(t, path), &v); err != nil {
		t.Fatalf("parse %s: %v", path, err)
	}
	if len(v.Sessions) == 0 {
		t.Fatalf("%s holds no sessions", path)
	}
	return v
}

// setNow freezes the package clock for one test.
func setNow(t *testing.T, tm time.Time) {
	t.Helper()
	old := now
	now = func() time.Time { return tm }
	t.Cleanup(func() { now = old })
}

func TestLoadsDjangoSession(t *testing.T) {
	v := loadVectors(t)
	for _, s := range v.Sessions {
		raw, err := Loads(s.SessionData, []string{v.SecretKey}, sessionSalt, 0)
		if err != nil {
			t.Fatalf("Loads(%s): %v", s.SessionKey, err)
		}
		var got map[string]any
		if err := json.Unmarshal(raw, &got); err != nil {
			t.Fatalf("session %s: %v", s.SessionKey, err)
		}
		if !reflect.DeepEqual(got, s.Decoded) {
			t.Errorf("session %s decoded to %v, want %v", s.SessionKey, got, s.Decoded)
		}
	}
}

// TestSignatureMatchesDjango re-signs Django's payload and timestamp and must
// produce Django's signature byte for byte.
func TestSignatureMatchesDjango(t *testing.T) {
	v := loadVectors(t)
	data := v.Sessions[0].SessionData
	i := strings.LastIndex(data, ":")
	s := Signer{Key: v.SecretKey, Salt: sessionSalt}
	if got := s.Sign(data[:i]); got != data {
		t.Errorf("Sign = %q, want %q", got, data)
	}
}

// TestPythonJSONMatchesDjangoSession checks that the serialisation of the
// session dict, with its keys in Django's order, equals what Django signed.
func TestPythonJSONMatchesDjangoSession(t *testing.T) {
	v := loadVectors(t)
	raw, err := Loads(v.Sessions[0].SessionData, []string{v.SecretKey}, sessionSalt, 0)
	if err != nil {
		t.Fatal(err)
	}
	d := v.Sessions[0].Decoded
	ordered := struct {
		ID      any `json:"_auth_user_id"`
		Backend any `json:"_auth_user_backend"`
		Hash    any `json:"_auth_user_hash"`
	}{d["_auth_user_id"], d["_auth_user_backend"], d["_auth_user_hash"]}
	got, err := PythonJSON(ordered)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, raw) {
		t.Errorf("PythonJSON = %s\nDjango     = %s", got, raw)
	}
}

func TestLoadsRejects(t *testing.T) {
	v := loadVectors(t)
	good := v.Sessions[0].SessionData
	parts := strings.Split(good, ":")
	payload, ts, sig := parts[0], parts[1], parts[2]
	flip := func(s string, i int) string {
		b := []byte(s)
		if b[i] == 'A' {
			b[i] = 'B'
		} else {
			b[i] = 'A'
		}
		return string(b)
	}
	tests := []struct {
		name, data, key, salt string
	}{
		{"tampered payload", flip(payload, 5) + ":" + ts + ":" + sig, v.SecretKey, sessionSalt},
		{"tampered timestamp", payload + ":" + flip(ts, 2) + ":" + sig, v.SecretKey, sessionSalt},
		{"tampered signature", payload + ":" + ts + ":" + flip(sig, 10), v.SecretKey, sessionSalt},
		{"truncated signature", good[:len(good)-1], v.SecretKey, sessionSalt},
		{"no signature", payload, v.SecretKey, sessionSalt},
		{"empty", "", v.SecretKey, sessionSalt},
		{"wrong key", good, v.SecretKey + "x", sessionSalt},
		{"wrong salt", good, v.SecretKey, "django.contrib.sessions.CacheStore"},
		{"default salt", good, v.SecretKey, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Loads(tt.data, []string{tt.key}, tt.salt, 0)
			if !errors.Is(err, ErrBadSignature) {
				t.Errorf("Loads error = %v, want ErrBadSignature", err)
			}
		})
	}
}

func TestLoadsFallbackKey(t *testing.T) {
	v := loadVectors(t)
	s := v.Sessions[0]
	raw, err := Loads(s.SessionData, []string{"the-new-key", "another-old-key", v.SecretKey}, sessionSalt, 0)
	if err != nil {
		t.Fatalf("Loads with the secret as a fallback key: %v", err)
	}
	var got map[string]any
	json.Unmarshal(raw, &got)
	if !reflect.DeepEqual(got, s.Decoded) {
		t.Errorf("decoded %v, want %v", got, s.Decoded)
	}
	if _, err := Loads(s.SessionData, nil, sessionSalt, 0); err == nil {
		t.Error("Loads with no keys succeeded")
	}
}

func TestDumpsLoadsRoundTrip(t *testing.T) {
	values := []any{
		map[string]any{"_auth_user_id": "1", "testcookie": "worked"},
		map[string]any{},
		[]any{"Zoë", "😀", "<script>&", 1.5, nil, true},
		strings.Repeat("compress me ", 100),
		"",
	}
	for _, compress := range []bool{false, true} {
		for _, v := range values {
			signed, err := Dumps(v, "key", sessionSalt, compress)
			if err != nil {
				t.Fatalf("Dumps(%v): %v", v, err)
			}
			if strings.ContainsAny(signed, "=+/") {
				t.Errorf("Dumps(%v) = %q: not URL-safe unpadded base64", v, signed)
			}
			raw, err := Loads(signed, []string{"key"}, sessionSalt, time.Hour)
			if err != nil {
				t.Fatalf("Loads(Dumps(%v)): %v", v, err)
			}
			want, _ := PythonJSON(v)
			if !bytes.Equal(raw, want) {
				t.Errorf("round trip of %v = %s, want %s", v, raw, want)
			}
		}
	}
}

func TestDumpsCompressesOnlyWhenShorter(t *testing.T) {
	values := []any{"a", "ab", map[string]string{"k": "v"}, strings.Repeat("x", 10), strings.Repeat("x", 200),
		strings.Repeat("abc", 7), []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}}
	for _, v := range values {
		data, _ := PythonJSON(v)
		var buf bytes.Buffer
		zw := zlib.NewWriter(&buf)
		zw.Write(data)
		zw.Close()
		wantCompressed := buf.Len() < len(data)-1

		signed, err := Dumps(v, "key", "", true)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.HasPrefix(signed, "."); got != wantCompressed {
			t.Errorf("Dumps(%.20v): compressed = %v, want %v (json %d bytes, zlib %d)", v, got, wantCompressed, len(data), buf.Len())
		}
		plain, _ := Dumps(v, "key", "", false)
		if strings.HasPrefix(plain, ".") {
			t.Errorf("Dumps(%.20v, compress=false) is compressed", v)
		}
	}
	long, _ := Dumps(strings.Repeat("x", 200), "key", "", true)
	if !strings.HasPrefix(long, ".") {
		t.Error("a long repetitive value was not compressed")
	}
}

func TestLoadsMaxAge(t *testing.T) {
	t0 := time.Unix(1795296011, 0)
	setNow(t, t0)
	signed, err := Dumps("x", "key", "", false)
	if err != nil {
		t.Fatal(err)
	}
	setNow(t, t0.Add(time.Hour+time.Second))
	if _, err := Loads(signed, []string{"key"}, "", time.Hour); !errors.Is(err, ErrSignatureExpired) || !errors.Is(err, ErrBadSignature) {
		t.Errorf("expired Loads error = %v, want ErrSignatureExpired (also matching ErrBadSignature)", err)
	}
	for _, maxAge := range []time.Duration{0, time.Hour + time.Second} {
		if _, err := Loads(signed, []string{"key"}, "", maxAge); err != nil {
			t.Errorf("Loads with maxAge %v: %v", maxAge, err)
		}
	}
	if errors.Is(ErrBadSignature, ErrSignatureExpired) {
		t.Error("ErrBadSignature matches ErrSignatureExpired")
	}
}

// The expected signatures below were computed with Python's hmac and hashlib
// following Django's formulas.
func TestSignerVectors(t *testing.T) {
	s := Signer{Key: "secret"}
	if got, want := s.Sign("hello"), "hello:FRBs_KKrjaVe9zJEdlQdiuJ2n9jBEsFOL1Capquoa18"; got != want {
		t.Errorf("Sign with the default salt = %q, want %q", got, want)
	}
	salted := Signer{Key: "secret", Salt: "my-salt"}
	if got, want := salted.Sign("héllo wörld"), "héllo wörld:Y3EKO4mqTFKbT637Dk9vKEYezX7wJCgX9W1pwtMJJpE"; got != want {
		t.Errorf("Sign with a salt = %q, want %q", got, want)
	}
	if got := SaltedHMAC("a", "b", "c"); bytesHex(got) != "3732d15f17f36eb0bdacb8c88ba762f6e982f849c098eda589cbe111bb113f28" {
		t.Errorf("SaltedHMAC = %s", bytesHex(got))
	}

	ts := TimestampSigner{Signer{Key: "secret"}}
	setNow(t, time.Unix(1795296011, 0))
	const stamped = "hello:1xUsVH:o0VLCoMezlbhAT6gxjAK9AxFLy-AEdhdSkpmWghJ80I"
	if got := ts.Sign("hello"); got != stamped {
		t.Errorf("TimestampSigner.Sign = %q, want %q", got, stamped)
	}
	v, at, err := ts.Unsign(stamped, 0)
	if err != nil || v != "hello" || !at.Equal(time.Unix(1795296011, 0)) {
		t.Errorf("TimestampSigner.Unsign = %q, %v, %v", v, at, err)
	}
	// The two signers' default salts differ, as in Django.
	if _, err := s.Unsign(stamped); !errors.Is(err, ErrBadSignature) {
		t.Errorf("Signer accepted a TimestampSigner value: %v", err)
	}
}

func bytesHex(b []byte) string {
	const hex = "0123456789abcdef"
	var sb strings.Builder
	for _, c := range b {
		sb.WriteByte(hex[c>>4])
		sb.WriteByte(hex[c&0xf])
	}
	return sb.String()
}

func TestSignerUnsign(t *testing.T) {
	s := Signer{Key: "new", FallbackKeys: []string{"old"}, Salt: "django.contrib.messages"}
	old := Signer{Key: "old", Salt: "django.contrib.messages"}
	for _, value := range []string{"", "plain", "with:colons:inside", "Zoë"} {
		for _, signed := range []string{s.Sign(value), old.Sign(value)} {
			got, err := s.Unsign(signed)
			if err != nil || got != value {
				t.Errorf("Unsign(%q) = %q, %v; want %q", signed, got, err, value)
			}
		}
	}
	if _, err := old.Unsign(s.Sign("x")); !errors.Is(err, ErrBadSignature) {
		t.Errorf("a signer without the new key accepted its signature: %v", err)
	}
	for _, bad := range []string{"", "no-separator", "x:", ":", "x:AAAA"} {
		if _, err := s.Unsign(bad); !errors.Is(err, ErrBadSignature) {
			t.Errorf("Unsign(%q) error = %v, want ErrBadSignature", bad, err)
		}
	}
}

func TestCookieSignerObject(t *testing.T) {
	c := CookieSigner("key", []string{"old"}, "django.contrib.messages")
	if c.Key != "django.http.cookieskey" || c.FallbackKeys[0] != "django.http.cookiesold" {
		t.Errorf("CookieSigner keys = %q, %q", c.Key, c.FallbackKeys)
	}
	msgs := []any{[]any{"__json_message", 0, 25, "The book “Dune” was added successfully."}}
	signed, err := c.SignObject(msgs, true)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := c.UnsignObject(signed)
	if err != nil {
		t.Fatal(err)
	}
	want := `[["__json_message",0,25,"The book \u201cDune\u201d was added successfully."]]`
	if string(raw) != want {
		t.Errorf("UnsignObject = %s, want %s", raw, want)
	}
}

func TestB62(t *testing.T) {
	tests := []struct {
		n int64
		s string
	}{
		{0, "0"}, {1, "1"}, {9, "9"}, {10, "A"}, {35, "Z"}, {36, "a"}, {61, "z"},
		{62, "10"}, {3843, "zz"}, {3844, "100"}, {-1, "-1"}, {-62, "-10"},
		{1795296011, "1xUsVH"},
		{9223372036854775807, "AzL8n0Y58m7"},
		{-9223372036854775808, "-AzL8n0Y58m8"},
	}
	for _, tt := range tests {
		if got := B62Encode(tt.n); got != tt.s {
			t.Errorf("B62Encode(%d) = %q, want %q", tt.n, got, tt.s)
		}
		if got, err := B62Decode(tt.s); err != nil || got != tt.n {
			t.Errorf("B62Decode(%q) = %d, %v; want %d", tt.s, got, err, tt.n)
		}
	}
	for _, bad := range []string{"", "-", "!", "1 2", "AzL8n0Y58m8", "-AzL8n0Y58m9", "zzzzzzzzzzzzz"} {
		if n, err := B62Decode(bad); err == nil {
			t.Errorf("B62Decode(%q) = %d, want an error", bad, n)
		}
	}
}

// The expectations below are Python's json.dumps output.
func TestPythonJSON(t *testing.T) {
	tests := []struct {
		v    any
		want string
	}{
		{"é", `"\u00e9"`},
		{"😀", `"\ud83d\ude00"`},
		{[]any{"é", "😀", "<>&", "\x7f", "\u2028", "\x00\x1f", "\b\f\n\r\t", `"\`, "/"},
			`["\u00e9","\ud83d\ude00","<>&","\u007f","\u2028","\u0000\u001f","\b\f\n\r\t","\"\\","/"]`},
		{map[string]any{"name": "Zoë", "n": []any{1, 2, nil, true, false}}, `{"n":[1,2,null,true,false],"name":"Zo\u00eb"}`},
		{map[string]string{"clé": "v"}, `{"cl\u00e9":"v"}`},
	}
	for _, tt := range tests {
		got, err := PythonJSON(tt.v)
		if err != nil || string(got) != tt.want {
			t.Errorf("PythonJSON(%q) = %s, %v; want %s", tt.v, got, err, tt.want)
		}
	}
	if _, err := PythonJSON(func() {}); err == nil {
		t.Error("PythonJSON of a func succeeded")
	}
}

func TestPythonJSONSpaced(t *testing.T) {
	v := []any{
		map[string]any{"changed": map[string]any{"fields": []string{"Name", "a,b: c"}}},
		map[string]any{"added": map[string]any{}},
	}
	want := `[{"changed": {"fields": ["Name", "a,b: c"]}}, {"added": {}}]`
	got, err := PythonJSONSpaced(v)
	if err != nil || string(got) != want {
		t.Errorf("PythonJSONSpaced = %s, %v; want %s", got, err, want)
	}
	got, _ = PythonJSONSpaced(`say "a, b": \`)
	if want := `"say \"a, b\": \\"`; string(got) != want {
		t.Errorf("PythonJSONSpaced of a string = %s, want %s", got, want)
	}
}

func FuzzLoads(f *testing.F) {
	v := loadVectors(f)
	good := v.Sessions[0].SessionData
	f.Add(good)
	f.Add("")
	f.Add(":")
	f.Add("::")
	f.Add(".:0:x")
	f.Add(good[:len(good)/2])
	signed, _ := Dumps(map[string]any{"a": "b"}, v.SecretKey, sessionSalt, true)
	f.Add(signed)
	f.Fuzz(func(t *testing.T, s string) {
		raw, err := Loads(s, []string{v.SecretKey, "fallback"}, sessionSalt, time.Hour)
		if err == nil && !json.Valid(raw) {
			t.Errorf("Loads(%q) returned invalid JSON %q", s, raw)
		}
		Signer{Key: "k"}.Unsign(s)
		TimestampSigner{Signer{Key: "k"}}.Unsign(s, time.Second)
		B62Decode(s)
	})
}

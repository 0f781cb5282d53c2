package auth

import (
	"net/url"
	"testing"
	"time"
)

// TestHOTPRFC6238Vectors checks the SHA-1 test vectors of RFC 6238's
// appendix B (eight digits), and that six digits are their last six.
func TestHOTPRFC6238Vectors(t *testing.T) {
	key := []byte("12345678901234567890")
	for _, c := range []struct {
		unix int64
		want string
	}{
		{59, "94287082"}, {1111111109, "07081804"}, {1111111111, "14050471"},
		{1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"},
	} {
		step := TOTPStep(time.Unix(c.unix, 0))
		if got := hotp(key, step, 8); got != c.want {
			t.Errorf("T=%d: %s, want %s", c.unix, got, c.want)
		}
		secret := totpEncoding.EncodeToString(key)
		if got := TOTPCode(secret, time.Unix(c.unix, 0)); got != c.want[2:] {
			t.Errorf("T=%d six digits: %s, want %s", c.unix, got, c.want[2:])
		}
	}
}

func TestMatchTOTPWindow(t *testing.T) {
	key := []byte("12345678901234567890")
	now := time.Unix(1111111111, 0)
	step := TOTPStep(now)
	for _, c := range []struct {
		offset int64
		ok     bool
	}{{-2, false}, {-1, true}, {0, true}, {1, true}, {2, false}} {
		code := hotp(key, step+c.offset, TOTPDigits)
		got, ok := matchTOTP(key, code, now)
		if ok != c.ok || (ok && got != step+c.offset) {
			t.Errorf("offset %d: step %d, %v", c.offset, got-step, ok)
		}
	}
	if _, ok := matchTOTP(key, "12345", now); ok {
		t.Error("a short code matched")
	}
}

func TestTOTPSecretAndURI(t *testing.T) {
	s := NewTOTPSecret()
	if len(s) != 32 || s == NewTOTPSecret() {
		t.Fatalf("secret %q", s)
	}
	if key, ok := decodeTOTPSecret(s); !ok || len(key) != 20 {
		t.Fatalf("decode %q: %d bytes", s, len(key))
	}
	if _, ok := decodeTOTPSecret("not base32!"); ok {
		t.Error("decoded a bad secret")
	}
	uri := TOTPURI("JBSWY3DPEHPK3PXP", "Book Shop", "ann@example.com")
	u, err := url.Parse(uri)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if u.Scheme != "otpauth" || u.Host != "totp" || u.Path != "/Book Shop:ann@example.com" ||
		q.Get("secret") != "JBSWY3DPEHPK3PXP" || q.Get("issuer") != "Book Shop" || q.Get("digits") != "6" || q.Get("period") != "30" {
		t.Errorf("uri %s", uri)
	}
}

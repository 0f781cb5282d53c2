package csrf

import (
	"crypto/rand"
	"crypto/subtle"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/staffroom/staffroom/guard"
)

const (
	// allowedChars is Django's CSRF_ALLOWED_CHARS, in Django's order: the
	// masking arithmetic depends on it.
	allowedChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	secretLength = 32
	tokenLength  = 2 * secretLength
)

// stateKey is the context key of a request's *state.
type stateKey struct{}

// state is what the middleware keeps for one request.
type state struct {
	mu     sync.Mutex
	p      *Protector
	w      http.ResponseWriter
	secret string
}

func stateFrom(r *http.Request) *state {
	st, _ := r.Context().Value(stateKey{}).(*state)
	return st
}

// Token returns a fresh 64-character masked token for the request's secret,
// for the hidden form field or the X-CSRFToken header. Every call gives a
// different token; all of them are valid. It returns "" when the request did
// not go through a Protector's middleware.
func Token(r *http.Request) string {
	st := stateFrom(r)
	if st == nil {
		return ""
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	return maskSecret(st.secret)
}

// Rotate gives the request a new secret, as Django's rotate_token does at
// login, and sets the new cookie on the response, replacing any csrf cookie
// the middleware set before. Tokens handed out earlier stop working once the
// browser holds the new cookie; later Token calls use the new secret. It
// must be called before the response is written, and does nothing when the
// request did not go through a Protector's middleware.
func Rotate(r *http.Request) {
	st := stateFrom(r)
	if st == nil {
		return
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	st.secret = newSecret()
	h := st.w.Header()
	prefix := st.p.cfg.CookieName + "="
	kept := h["Set-Cookie"][:0]
	for _, c := range h["Set-Cookie"] {
		if !strings.HasPrefix(c, prefix) {
			kept = append(kept, c)
		}
	}
	if len(kept) == 0 {
		h.Del("Set-Cookie")
	} else {
		h["Set-Cookie"] = kept
	}
	st.p.setCookie(st.w, r, st.secret)
}

// cookieSecret is what the request's cookie says.
type cookieSecret struct {
	secret    string // the valid secret, or ""
	formatErr string // why a cookie that is present is malformed
	legacy    bool   // the cookie held a masked token (Django before 4.1)
}

func (p *Protector) readCookie(r *http.Request) cookieSecret {
	c, err := r.Cookie(p.cfg.CookieName)
	if err != nil {
		return cookieSecret{}
	}
	if reason := tokenFormatError(c.Value); reason != "" {
		return cookieSecret{formatErr: reason}
	}
	if len(c.Value) == tokenLength {
		secret, _ := unmaskToken(c.Value)
		return cookieSecret{secret: secret, legacy: true}
	}
	return cookieSecret{secret: c.Value}
}

// setCookie sets the cookie as Django does: a year long, SameSite=Lax and
// readable by JavaScript (Django's CSRF_COOKIE_HTTPONLY is false).
func (p *Protector) setCookie(w http.ResponseWriter, r *http.Request, secret string) {
	http.SetCookie(w, &http.Cookie{
		Name:     p.cfg.CookieName,
		Value:    secret,
		Path:     p.cfg.CookiePath,
		MaxAge:   int(cookieMaxAge / time.Second),
		Expires:  time.Now().Add(cookieMaxAge),
		Secure:   p.cfg.CookieSecure || guard.IsSecure(r),
		SameSite: http.SameSiteLaxMode,
	})
	for _, v := range w.Header().Values("Vary") {
		if strings.EqualFold(strings.TrimSpace(v), "Cookie") {
			return
		}
	}
	w.Header().Add("Vary", "Cookie")
}

// newSecret returns 32 characters drawn uniformly from allowedChars.
func newSecret() string {
	out := make([]byte, 0, secretLength)
	var buf [secretLength * 2]byte
	for len(out) < secretLength {
		rand.Read(buf[:]) // never fails since Go 1.24
		for _, b := range buf {
			// 248 = 4*62: rejecting larger bytes keeps the draw uniform.
			if b < 248 && len(out) < secretLength {
				out = append(out, allowedChars[b%62])
			}
		}
	}
	return string(out)
}

// charIndex is the position of c in allowedChars, or -1.
func charIndex(c byte) int {
	switch {
	case 'a' <= c && c <= 'z':
		return int(c - 'a')
	case 'A' <= c && c <= 'Z':
		return int(c-'A') + 26
	case '0' <= c && c <= '9':
		return int(c-'0') + 52
	}
	return -1
}

// maskSecret returns a random mask followed by the secret enciphered with
// it: each character is shifted by the index of the mask's character.
func maskSecret(secret string) string {
	mask := newSecret()
	out := make([]byte, 0, tokenLength)
	out = append(out, mask...)
	for i := 0; i < secretLength; i++ {
		out = append(out, allowedChars[(charIndex(secret[i])+charIndex(mask[i]))%62])
	}
	return string(out)
}

// unmaskToken reverses maskSecret. It reports false for anything but 64
// characters of allowedChars.
func unmaskToken(token string) (string, bool) {
	if len(token) != tokenLength {
		return "", false
	}
	out := make([]byte, secretLength)
	for i := range out {
		m, c := charIndex(token[i]), charIndex(token[secretLength+i])
		if m < 0 || c < 0 {
			return "", false
		}
		out[i] = allowedChars[(c-m+62)%62]
	}
	return string(out), true
}

// tokenFormatError says why s is neither a secret nor a masked token, or
// returns "" when it is one.
func tokenFormatError(s string) string {
	if len(s) != secretLength && len(s) != tokenLength {
		return reasonIncorrectLength
	}
	for i := 0; i < len(s); i++ {
		if charIndex(s[i]) < 0 {
			return reasonInvalidCharacters
		}
	}
	return ""
}

// tokenMatches compares a well-formed token, masked or not, with the secret
// in constant time.
func tokenMatches(token, secret string) bool {
	if len(token) == tokenLength {
		var ok bool
		if token, ok = unmaskToken(token); !ok {
			return false
		}
	}
	return subtle.ConstantTimeCompare([]byte(token), []byte(secret)) == 1
}

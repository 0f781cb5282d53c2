package csrf

import (
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/staffroom/staffroom/guard"
)

// IsSafeRedirect reports whether next, a URL taken from a request (a login
// form's "next", say), is safe to redirect to, as Django's
// url_has_allowed_host_and_scheme decides it for LoginView: after trimming
// white space it must be non-empty, must not start with "///" or a control
// character, must not have a scheme without a host ("javascript:...",
// "http:///x"), may only name a host (with its port) that is the request's
// own (guard.Host: r.Host, or what a trusted proxy forwarded) or one of
// allowedHosts, compared ignoring ASCII case, and may only use http or https
// — only https when r arrived over HTTPS (guard.IsSecure), "//host/p"
// counting as http. The test is made twice, the second time with every "\"
// turned into "/", as browsers do, and both must pass.
func IsSafeRedirect(next string, r *http.Request, allowedHosts ...string) bool {
	next = strings.TrimFunc(next, isPythonSpace)
	if next == "" {
		return false
	}
	hosts := allowedHosts
	requireHTTPS := false
	if r != nil {
		hosts = append([]string{guard.Host(r)}, allowedHosts...)
		requireHTTPS = guard.IsSecure(r)
	}
	return safeURL(next, hosts, requireHTTPS) &&
		safeURL(strings.ReplaceAll(next, `\`, "/"), hosts, requireHTTPS)
}

// safeURL is one pass of IsSafeRedirect.
func safeURL(u string, hosts []string, requireHTTPS bool) bool {
	// Browsers take any URL starting with three slashes as absolute.
	if strings.HasPrefix(u, "///") {
		return false
	}
	scheme, netloc, ok := splitURL(u)
	if !ok {
		return false
	}
	// In "http:///example.com" browsers still see example.com as the host.
	if scheme != "" && netloc == "" {
		return false
	}
	// Browsers skip some leading control characters and could then read
	// the rest as scheme-relative.
	if c, size := utf8.DecodeRuneInString(u); (c == utf8.RuneError && size <= 1) || isControl(c) {
		return false
	}
	if netloc != "" && !hostAllowed(netloc, hosts) {
		return false
	}
	if scheme == "" && netloc != "" {
		scheme = "http" // "//host/p" follows the page's scheme; assume the weaker one
	}
	switch scheme {
	case "":
		return true // a relative URL
	case "https":
		return true
	case "http":
		return !requireHTTPS
	}
	return false
}

func hostAllowed(netloc string, hosts []string) bool {
	for _, h := range hosts {
		if h != "" && asciiEqualFold(netloc, h) {
			return true
		}
	}
	return false
}

// asciiEqualFold is strings.EqualFold restricted to ASCII, so that no
// Unicode folding (the Kelvin sign folds to "k") can make two hosts equal.
func asciiEqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// isPythonSpace is Python's str.isspace, which str.strip uses: Go's
// white space plus the separators U+001C to U+001F.
func isPythonSpace(r rune) bool {
	return unicode.IsSpace(r) || (0x1c <= r && r <= 0x1f)
}

// isControl reports whether r is in Unicode's category C (control, format,
// surrogate, private use or unassigned), as Django's check of the first
// character.
func isControl(r rune) bool {
	return unicode.Is(unicode.C, r) ||
		!unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Z)
}

// splitURL finds the scheme (lower-cased) and network location of a URL the
// way Python's urllib.parse.urlsplit does, which is what Django's checks see:
// tabs and newlines are dropped anywhere, leading control characters and
// spaces are dropped, a scheme is letters, digits, "+", "-" or "." before the
// first ":" starting with a letter, and the netloc follows a "//" up to the
// next "/", "?" or "#". It reports false where urlsplit raises ValueError: a
// netloc with an unbalanced "[" or "]".
func splitURL(s string) (scheme, netloc string, ok bool) {
	if strings.ContainsAny(s, "\t\r\n") {
		s = strings.NewReplacer("\t", "", "\r", "", "\n", "").Replace(s)
	}
	s = strings.TrimLeft(s, c0ControlOrSpace)
	if i := strings.IndexByte(s, ':'); i > 0 && isASCIILetter(s[0]) && isSchemeChars(s[:i]) {
		scheme, s = strings.ToLower(s[:i]), s[i+1:]
	}
	if rest, found := strings.CutPrefix(s, "//"); found {
		if end := strings.IndexAny(rest, "/?#"); end >= 0 {
			rest = rest[:end]
		}
		netloc = rest
	}
	if strings.Contains(netloc, "[") != strings.Contains(netloc, "]") {
		return "", "", false
	}
	return scheme, netloc, true
}

// c0ControlOrSpace is the WHATWG set Python strips from the start of a URL.
const c0ControlOrSpace = "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f" +
	"\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f "

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func isSchemeChars(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isASCIILetter(c) && !('0' <= c && c <= '9') && c != '+' && c != '-' && c != '.' {
			return false
		}
	}
	return true
}

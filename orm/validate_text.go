package orm

import (
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// textMessages runs the format checks of the string kinds, with Django's
// messages.
func (f *Field) textMessages(s string) []string {
	var ok bool
	var msg string
	switch f.Kind {
	case KindSlug:
		ok, msg = validSlug(s, f.AllowUnicode), "Enter a valid “slug” consisting of letters, numbers, underscores or hyphens."
		if f.AllowUnicode {
			msg = "Enter a valid “slug” consisting of Unicode letters, numbers, underscores, or hyphens."
		}
	case KindEmail:
		ok, msg = ValidEmail(s), "Enter a valid email address."
	case KindURL:
		ok, msg = ValidURL(s), "Enter a valid URL."
	case KindGenericIPAddress:
		_, err := f.parseIP(s)
		ok, msg = err == nil, f.ipMessage()
	default:
		return nil
	}
	if ok {
		return nil
	}
	return []string{msg}
}

var (
	asciiSlug   = regexp.MustCompile(`^[-a-zA-Z0-9_]+$`)
	unicodeSlug = regexp.MustCompile(`^[-\p{L}\p{N}\p{M}_]+$`)
)

func validSlug(s string, allowUnicode bool) bool {
	if allowUnicode {
		return unicodeSlug.MatchString(s)
	}
	return asciiSlug.MatchString(s)
}

var (
	// emailUser is a dot-atom or a quoted string, as Django's EmailValidator
	// accepts them.
	emailUser   = regexp.MustCompile("(?i)^(?:[-!#$%&'*+/=?^_`{}|~0-9a-z]+(?:\\.[-!#$%&'*+/=?^_`{}|~0-9a-z]+)*|\"(?:[\x01-\x08\x0b\x0c\x0e-\x1f!#-\\[\\]-\x7f]|\\\\[\x01-\x09\x0b\x0c\x0e-\x7f])*\")$")
	domainLabel = regexp.MustCompile(`^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$`)
	tldLabel    = regexp.MustCompile(`^[\p{L}\p{N}-]{2,63}$`)
)

// ValidEmail reports whether s is an e-mail address Django's EmailValidator
// accepts: a dot-atom or quoted local part, and a domain of at least two
// labels with a top-level label of two or more characters not ending in
// "-", "localhost", or an address literal such as [192.0.2.1].
func ValidEmail(s string) bool {
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at == len(s)-1 || len(s) > 320 {
		return false
	}
	if !emailUser.MatchString(s[:at]) {
		return false
	}
	domain := s[at+1:]
	if domain == "localhost" {
		return true
	}
	if strings.HasPrefix(domain, "[") && strings.HasSuffix(domain, "]") {
		lit := strings.TrimPrefix(domain[1:len(domain)-1], "IPv6:")
		_, err := netip.ParseAddr(lit)
		return err == nil
	}
	return validDomain(domain, false)
}

// validDomain checks a host name: labels of letters, digits and inner
// hyphens, and a top-level label of two to 63 characters not ending in
// "-". A trailing dot is allowed when trailingDot is true.
func validDomain(host string, trailingDot bool) bool {
	if trailingDot {
		host = strings.TrimSuffix(host, ".")
	}
	labels := strings.Split(host, ".")
	if len(labels) < 2 || len(host) > 253 {
		return false
	}
	for _, l := range labels[:len(labels)-1] {
		if !domainLabel.MatchString(l) {
			return false
		}
	}
	tld := labels[len(labels)-1]
	return tldLabel.MatchString(tld) && !strings.HasSuffix(tld, "-") && !strings.HasPrefix(tld, "-")
}

// urlSchemes are the schemes Django's URLValidator accepts by default.
var urlSchemes = map[string]bool{"http": true, "https": true, "ftp": true, "ftps": true}

// ValidURL reports whether s is a URL Django's URLValidator accepts: an
// http, https, ftp or ftps URL of at most 2048 characters without
// whitespace, whose host is a domain name, "localhost", an IPv4 address or
// a bracketed IPv6 address, with an optional port up to 65535.
func ValidURL(s string) bool {
	if len(s) > 2048 || strings.ContainsAny(s, " \t\r\n") {
		return false
	}
	scheme, rest, ok := strings.Cut(s, "://")
	if !ok || !urlSchemes[strings.ToLower(scheme)] || rest == "" {
		return false
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return false
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n > 65535 {
			return false
		}
	} else if strings.HasSuffix(u.Host, ":") {
		return false
	}
	return validHost(u.Hostname(), strings.HasPrefix(u.Host, "["))
}

func validHost(host string, bracketed bool) bool {
	if bracketed {
		addr, err := netip.ParseAddr(host)
		return err == nil && addr.Is6()
	}
	if host == "localhost" {
		return true
	}
	if addr, err := netip.ParseAddr(host); err == nil {
		return addr.Is4()
	}
	if strings.Trim(host, "0123456789.") == "" {
		return false // a malformed IPv4 address is not a domain
	}
	return validDomain(host, true)
}

package csrf

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/staffroom/staffroom/guard"
)

// requestOrigin is scheme://host of the request as the browser addressed it
// (behind a trusted proxy, as guard.Proxy found it).
func requestOrigin(r *http.Request) string {
	return guard.Scheme(r) + "://" + guard.Host(r)
}

// originOK reports whether an Origin header names this site or a trusted
// origin, as Django's _origin_verified.
func (p *Protector) originOK(r *http.Request, origin string) bool {
	if guard.Host(r) != "" && origin == requestOrigin(r) {
		return true
	}
	if p.exactOrigins[origin] {
		return true
	}
	scheme, netloc, ok := splitURL(origin)
	if !ok {
		return false
	}
	for _, pattern := range p.subdomainOrigins[scheme] {
		if isSameDomain(netloc, pattern) {
			return true
		}
	}
	return false
}

// checkReferer applies Django's Referer rules to an HTTPS request without
// an Origin header and returns the reason for rejecting it, or "".
func (p *Protector) checkReferer(r *http.Request) string {
	values, ok := r.Header["Referer"]
	if !ok {
		return ReasonNoReferer
	}
	referer := values[0]
	scheme, netloc, ok := splitURL(referer)
	if !ok || scheme == "" || netloc == "" {
		return ReasonMalformedReferer
	}
	if scheme != "https" {
		return ReasonInsecureReferer
	}
	for _, host := range p.refererHosts {
		if isSameDomain(netloc, host) {
			return ""
		}
	}
	if host := guard.Host(r); host == "" || !isSameDomain(netloc, host) {
		return fmt.Sprintf(ReasonBadReferer, referer)
	}
	return ""
}

// isSameDomain is Django's is_same_domain: host equals pattern, or pattern
// starts with "." and host is that domain or one of its subdomains. Ports
// must match exactly. Unlike Django, host is compared case-insensitively too.
func isSameDomain(host, pattern string) bool {
	if pattern == "" {
		return false
	}
	host, pattern = strings.ToLower(host), strings.ToLower(pattern)
	if pattern[0] == '.' {
		return strings.HasSuffix(host, pattern) || host == pattern[1:]
	}
	return host == pattern
}

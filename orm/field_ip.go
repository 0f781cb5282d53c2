package orm

import (
	"errors"
	"net/netip"
	"strings"
)

// A GenericIPAddressField holds an IPv4 or IPv6 address as a string:
// char(39) on SQLite and MySQL, inet on PostgreSQL. IPv6 addresses are
// stored in their compressed form; an empty string is stored as NULL.

// ipMessage is Django's message for an address the protocol rejects.
func (f *Field) ipMessage() string {
	switch f.Protocol {
	case "ipv4":
		return "Enter a valid IPv4 address."
	case "ipv6":
		return "Enter a valid IPv6 address."
	}
	return "Enter a valid IPv4 or IPv6 address."
}

// parseIP checks an address against the field's protocol and returns it
// normalized; "" stays "".
func (f *Field) parseIP(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	addr, err := netip.ParseAddr(s)
	invalid := errors.New(strings.TrimSuffix(f.ipMessage(), "."))
	if err != nil || addr.Zone() != "" {
		return "", invalid
	}
	v6 := strings.Contains(s, ":")
	if f.Protocol == "ipv4" && v6 || f.Protocol == "ipv6" && !v6 {
		return "", invalid
	}
	if f.UnpackIPv4 && addr.Is4In6() {
		addr = addr.Unmap()
	}
	return addr.String(), nil
}

// ipFromDB reads an address column, dropping the host prefix length
// PostgreSQL may add ("10.0.0.1/32").
func ipFromDB(s string) string {
	if addr, bits, ok := strings.Cut(s, "/"); ok && (bits == "32" || bits == "128") {
		return addr
	}
	return s
}

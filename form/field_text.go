package form

import (
	"regexp"
	"strings"

	"github.com/staffroom/staffroom/orm"
)

// EmailField returns an e-mail address field, Django's EmailField: an
// <input type="email"> whose value is a CharField's, checked by
// EmailValidator ("Enter a valid email address.").
func EmailField(name, label string, opts ...Option) *Field {
	f := CharField(name, label, append([]Option{WithWidget(&Input{Type: "email"})}, opts...)...)
	f.Validators = append(f.Validators, EmailValidator())
	return f
}

// URLField returns a URL field, Django's URLField: an <input type="url">
// whose value, when it names no scheme, is taken as http
// ("example.com/a" cleans to "http://example.com/a"), then checked by
// URLValidator ("Enter a valid URL.").
func URLField(name, label string, opts ...Option) *Field {
	f := CharField(name, label, append([]Option{WithWidget(&Input{Type: "url"})}, opts...)...)
	clean := f.Clean
	f.Clean = func(values []string) (any, error) {
		v, err := clean(values)
		if s, ok := v.(string); ok && err == nil && s != "" {
			return assumeScheme(s), nil
		}
		return v, err
	}
	f.Validators = append(f.Validators, URLValidator())
	return f
}

// schemePrefix is a URL scheme as Python's urlsplit finds one.
var schemePrefix = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*:`)

// assumeScheme adds "http://" to a URL without a scheme, as Django's
// URLField.to_python does (a path without a host is taken as the host).
func assumeScheme(s string) string {
	switch {
	case schemePrefix.MatchString(s):
		return s
	case strings.HasPrefix(s, "//"):
		return "http:" + s
	}
	return "http://" + s
}

// SlugField returns a slug field, Django's SlugField: letters, digits, "_"
// and "-", checked by SlugValidator (any letters with AllowUnicode).
func SlugField(name, label string, opts ...Option) *Field {
	s := configure(opts)
	f := CharField(name, label, opts...)
	f.Validators = append(f.Validators, SlugValidator(s.allowUnicode))
	return f
}

// AllowUnicode lets a slug field accept any Unicode letters and digits.
func AllowUnicode() Option { return func(s *settings) { s.allowUnicode = true } }

// GenericIPAddressField returns an IP address field, Django's
// GenericIPAddressField: an IPv4 or IPv6 address (Protocol narrows it),
// cleaned to its normal form (IPv6 compressed and lower-case, an
// IPv4-mapped address unpacked with UnpackIPv4), with Django's messages
// ("Enter a valid IPv4 or IPv6 address.").
func GenericIPAddressField(name, label string, opts ...Option) *Field {
	s := configure(opts)
	ip := &orm.Field{Name: name, Kind: orm.KindGenericIPAddress, Protocol: s.protocol, UnpackIPv4: s.unpackIPv4}
	return ipChecked(ip, CharField(name, label, opts...))
}

// Protocol limits an IP address field to "ipv4" or "ipv6"; "" (or "both")
// accepts either.
func Protocol(p string) Option {
	return func(s *settings) {
		if p == "both" {
			p = ""
		}
		s.protocol = p
	}
}

// UnpackIPv4 makes an IP address field clean ::ffff:192.0.2.1 to
// 192.0.2.1.
func UnpackIPv4() Option { return func(s *settings) { s.unpackIPv4 = true } }

// ipChecked cleans a text field through the IP address rules of the model
// field of, keeping the normal form.
func ipChecked(of *orm.Field, f *Field) *Field {
	clean := f.Clean
	f.Clean = func(values []string) (any, error) {
		v, err := clean(values)
		s, ok := v.(string)
		if err != nil || !ok || s == "" {
			return v, err
		}
		if err := modelErrors(of.Validate(s)); err != nil {
			return nil, err
		}
		return of.Parse(s)
	}
	return f
}

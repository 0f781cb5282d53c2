package admin

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// The repeated parts of the busiest pages (the change list's rows,
// headers, page links, filter choices and date drill-down, and the
// navigation sidebar) are rendered in Go, byte for byte as the templates
// render them, and handed to the templates as template.HTML: html/template
// escapes each value of an action through reflection, and a page of a
// hundred rows and a dozen models is thousands of them. The templates
// keep their ranges, for data whose links these helpers will not vouch
// for, and for users who override the blocks; tests compare the bytes
// with those ranges, read from the template files.

// writeLink writes <a href="{{href}}">{{text}}</a> as html/template
// would, and reports true, when href is a plain query string or path;
// else it writes nothing and reports false.
func writeLink(sb *strings.Builder, href, text string) bool {
	attr, ok := plainHref(href)
	if !ok {
		return false
	}
	sb.WriteString(`<a href="`)
	sb.WriteString(attr)
	sb.WriteString(`">`)
	templateEscaper.WriteString(sb, text)
	sb.WriteString("</a>")
	return true
}

// plainHref is href escaped for an attribute as html/template would
// write it, and true, when href is a plain URL (see plainURL); "" and
// false when the template must judge it.
func plainHref(href string) (string, bool) {
	if !plainURL(href) {
		return "", false
	}
	return templateEscaper.Replace(href), true
}

// templateEscaper escapes text and attribute values as html/template
// does, byte for byte ('+' included, which html.EscapeString leaves).
var templateEscaper = strings.NewReplacer("\x00", "\uFFFD", `"`, "&#34;", "&", "&amp;", "'", "&#39;", "+", "&#43;", "<", "&lt;", ">", "&gt;")

// plainURL reports whether s is a query string or an absolute path of
// characters a URL may hold as they are (a '%' only to start an escape),
// which html/template's URL normaliser would leave unchanged, and without
// a colon, which its filter would read as a scheme's: then escaping it
// for the attribute is all it needs.
func plainURL(s string) bool {
	if !strings.HasPrefix(s, "?") && (!strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//")) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("-._~!$&*+,;=@/?", c) >= 0:
		case c == '%' && validEscape(s, i):
		default:
			return false
		}
	}
	return true
}

// writeHTMLEscaped writes s escaped as template.HTMLEscapeString escapes
// it, a piece at a time, without making the escaped string: the rows of
// a change list are hundreds of values, most with nothing to escape.
func writeHTMLEscaped(sb stringWriter, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var rep string
		switch s[i] {
		case 0:
			rep = "\uFFFD"
		case '"':
			rep = "&#34;"
		case '\'':
			rep = "&#39;"
		case '&':
			rep = "&amp;"
		case '<':
			rep = "&lt;"
		case '>':
			rep = "&gt;"
		default:
			continue
		}
		sb.WriteString(s[last:i])
		sb.WriteString(rep)
		last = i + 1
	}
	sb.WriteString(s[last:])
}

// idString is fmt.Sprint(pk) without reflection for the common keys.
func idString(pk any) string {
	switch v := pk.(type) {
	case string:
		return v
	case int64:
		return strconv.FormatInt(v, 10)
	case int:
		return strconv.Itoa(v)
	case int32:
		return strconv.FormatInt(int64(v), 10)
	}
	return fmt.Sprint(pk)
}

// validEscape reports whether s[i], a '%', starts an escape of two hex
// digits, which html/template's URL normaliser keeps as it is.
func validEscape(s string, i int) bool {
	return i+2 < len(s) && isHexDigit(s[i+1]) && isHexDigit(s[i+2])
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// writeURLAttr writes s as html/template writes a string that fills a
// quoted URL attribute (href, src, action): "#ZgotmplZ" in place of a URL
// whose scheme is not http, https or mailto; else the URL with each byte
// a URL may not hold as it is percent-encoded (escapes kept), escaped
// for the attribute. The pages written in Go (changelist_page.go) call
// it for every URL that is not plain, such as the site's URL.
func writeURLAttr(b *bytes.Buffer, s string) {
	if plainURL(s) {
		templateEscaper.WriteString(b, s)
		return
	}
	if !safeScheme(s) {
		b.WriteString("#ZgotmplZ")
		return
	}
	const hex = "0123456789abcdef"
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '&':
			b.WriteString("&amp;")
		case c == '+':
			b.WriteString("&#43;")
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			strings.IndexByte("-._~!#$*,/:;=?@[]", c) >= 0, c == '%' && validEscape(s, i):
			b.WriteByte(c)
		default:
			b.Write([]byte{'%', hex[c>>4], hex[c&15]})
		}
	}
}

// safeScheme reports whether s has no scheme (no colon before the first
// slash) or one html/template lets through: http, https or mailto.
func safeScheme(s string) bool {
	scheme, _, ok := strings.Cut(s, ":")
	if !ok || strings.Contains(scheme, "/") {
		return true
	}
	return strings.EqualFold(scheme, "http") || strings.EqualFold(scheme, "https") || strings.EqualFold(scheme, "mailto")
}

package admin

import (
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
	sb.WriteString(`<a href="` + attr + `">` + templateEscaper.Replace(text) + "</a>")
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
// characters a URL may hold as they are, which html/template's URL
// normaliser would leave unchanged, and without a colon, which its filter
// would read as a scheme's: then escaping it for the attribute is all it
// needs.
func plainURL(s string) bool {
	if !strings.HasPrefix(s, "?") && (!strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//")) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("-._~!$&*+,;=@/?%", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// writeHTMLEscaped writes s escaped as template.HTMLEscapeString escapes
// it, a piece at a time, without making the escaped string: the rows of
// a change list are hundreds of values, most with nothing to escape.
func writeHTMLEscaped(sb *strings.Builder, s string) {
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

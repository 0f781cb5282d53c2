package admin

import "strings"

// quoteChars are the characters Django's admin escapes in object ids in
// URLs, each as "_" and two upper-case hex digits.
const quoteChars = "\":/_#?;@&=+$,[]<>%\n\\"

// Quote escapes an object id for use in an admin URL path segment, as
// Django's admin quote does.
func Quote(s string) string {
	if !strings.ContainsAny(s, quoteChars) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if strings.IndexByte(quoteChars, c) >= 0 {
			b.WriteByte('_')
			b.WriteString(strings.ToUpper(hex2(c)))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// escapePath percent-encodes an admin-quoted object id for a URL path, as
// Django's URL reversing does: unreserved characters and
// !$&'()*+,;=/~:@ stay, every other byte becomes "%" and two upper-case
// hex digits (a space "%20", "é" "%C3%A9").
func escapePath(s string) string {
	i := 0
	for i < len(s) && pathSafe(s[i]) {
		i++
	}
	if i == len(s) {
		return s // most ids: nothing to escape
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for ; i < len(s); i++ {
		c := s[i]
		if pathSafe(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteString(hex2(c))
	}
	return b.String()
}

// pathSafe reports whether escapePath keeps c as it is.
func pathSafe(c byte) bool {
	const safe = "-._~!$&'()*+,;=/:@"
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte(safe, c) >= 0
}

// objectPath is an object id as a segment of an admin URL: admin-quoted,
// then percent-encoded.
func objectPath(id string) string { return escapePath(Quote(id)) }

func hex2(c byte) string {
	const digits = "0123456789ABCDEF"
	return string([]byte{digits[c>>4], digits[c&15]})
}

// Unquote reverses Quote: only "_" followed by the code of one of the
// quoted characters is replaced; anything else stays as it is.
func Unquote(s string) string {
	if !strings.Contains(s, "_") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '_' && i+3 <= len(s) {
			code := s[i+1 : i+3]
			if c, ok := unquoteCode(code); ok {
				b.WriteByte(c)
				i += 2
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func unquoteCode(code string) (byte, bool) {
	for i := 0; i < len(quoteChars); i++ {
		if hex2(quoteChars[i]) == code {
			return quoteChars[i], true
		}
	}
	return 0, false
}

package orm

import (
	"slices"
	"strings"
)

// tag holds the parsed `orm:"..."` struct tag.
type tag map[string]string

// parseTag splits a tag of comma-separated key=value pairs and bare flags.
// A value may be single-quoted to hold commas: verbose_name='Price, net'.
func parseTag(s string) (tag, error) {
	t := tag{}
	for len(s) > 0 {
		s = strings.TrimLeft(s, " ")
		key, rest, hasValue := s, "", false
		if i := strings.IndexAny(s, "=,"); i >= 0 {
			key, rest, hasValue = s[:i], s[i+1:], s[i] == '='
		} else {
			rest = ""
		}
		key = strings.TrimSpace(key)
		if key == "" {
			s = rest
			continue
		}
		if !hasValue {
			t[key] = ""
			s = rest
			continue
		}
		var val string
		if strings.HasPrefix(rest, "'") {
			end := strings.Index(rest[1:], "'")
			if end < 0 {
				return nil, &tagError{key: key, msg: "unterminated quote"}
			}
			val, rest = rest[1:end+1], rest[end+2:]
			rest = strings.TrimPrefix(strings.TrimLeft(rest, " "), ",")
		} else if i := strings.IndexByte(rest, ','); i >= 0 {
			val, rest = rest[:i], rest[i+1:]
		} else {
			val, rest = rest, ""
		}
		t[key] = strings.TrimSpace(val)
		s = rest
	}
	return t, nil
}

type tagError struct{ key, msg string }

func (e *tagError) Error() string { return "tag option " + e.key + ": " + e.msg }

// SnakeCase turns a Go name into Django's field-name style: "PubDate" →
// "pub_date", "ID" → "id", "HTTPCode" → "http_code".
func SnakeCase(s string) string {
	var b strings.Builder
	runes := []rune(s)
	for i, r := range runes {
		upper := r >= 'A' && r <= 'Z'
		if upper && i > 0 {
			prevLower := runes[i-1] >= 'a' && runes[i-1] <= 'z' || runes[i-1] >= '0' && runes[i-1] <= '9'
			nextLower := i+1 < len(runes) && runes[i+1] >= 'a' && runes[i+1] <= 'z'
			if prevLower || (nextLower && runes[i-1] >= 'A' && runes[i-1] <= 'Z') {
				b.WriteByte('_')
			}
		}
		if upper {
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// VerboseName turns a CamelCase name into Django's default verbose name:
// "PlotDetails" → "plot details".
func VerboseName(s string) string {
	return strings.ReplaceAll(SnakeCase(s), "_", " ")
}

// Capfirst upper-cases the first letter of s, as Django's capfirst does.
func Capfirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = []rune(strings.ToUpper(string(r[0])))[0]
	return string(r)
}

// keys returns the tag's option names.
func (t tag) keys() []string {
	out := make([]string, 0, len(t))
	for k := range t {
		out = append(out, k)
	}
	return out
}

// sortStrings sorts s in place and returns it.
func sortStrings(s []string) []string {
	slices.Sort(s)
	return s
}

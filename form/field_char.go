package form

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// CharField returns a text field, Django's CharField: a text input whose
// value is stripped of surrounding white space (unless NoStrip) and cleans
// to a string (nil with NilIfEmpty). MaxLength limits it.
func CharField(name, label string, opts ...Option) *Field {
	s := configure(opts)
	f := newField(name, label, s, &Input{Type: "text"})
	if s.maxLength > 0 {
		f.Attrs = f.Attrs.With("maxlength", strconv.Itoa(s.maxLength))
	}
	f.Clean = func(values []string) (any, error) { return f.cleanChar(s, values) }
	return f
}

// PasswordField returns a password field: a CharField that keeps spaces and
// never writes its value back into the page.
func PasswordField(name, label string, opts ...Option) *Field {
	return CharField(name, label, append([]Option{NoStrip(), WithWidget(&Input{Type: "password", HideValue: true})}, opts...)...)
}

func (f *Field) cleanChar(s settings, values []string) (any, error) {
	v := strings.ToValidUTF8(last(values), "\uFFFD")
	if !s.noStrip {
		v = strings.TrimFunc(v, isSpace)
	}
	if v == "" {
		return f.empty(s, "")
	}
	var msgs ValidationError
	if n := utf8.RuneCountInString(v); s.maxLength > 0 && n > s.maxLength {
		msgs = append(msgs, "Ensure this value has at most "+strconv.Itoa(s.maxLength)+
			plural(s.maxLength, " character", " characters")+" (it has "+strconv.Itoa(n)+").")
	}
	if strings.ContainsRune(v, 0) {
		msgs = append(msgs, msgNullChar)
	}
	if msgs != nil {
		return nil, msgs
	}
	return v, nil
}

// isSpace is Python's str.isspace, which str.strip uses: Unicode white
// space plus the ASCII information separators.
func isSpace(r rune) bool {
	return unicode.IsSpace(r) || r >= 0x1c && r <= 0x1f
}

package form

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/google/uuid"
)

// JSONField returns a JSON field, Django's JSONField: a textarea whose text
// must be JSON ("Enter a valid JSON."), cleaning to the decoded value (maps,
// slices, strings, bools, json.Number for numbers, so none loses digits).
// JSON's null counts as empty. Values are shown indented, two spaces a
// level, with their keys sorted.
func JSONField(name, label string, opts ...Option) *Field {
	s := configure(opts)
	f := newField(name, label, s, &Textarea{Attrs: Attrs{{Name: "cols", Value: "40"}, {Name: "rows", Value: "10"}}})
	f.Clean = func(values []string) (any, error) {
		v := strings.TrimFunc(last(values), isSpace)
		if v == "" {
			return f.empty(s, nil)
		}
		dec := json.NewDecoder(strings.NewReader(v))
		dec.UseNumber()
		var out any
		if err := dec.Decode(&out); err != nil || dec.More() {
			return nil, ValidationError{msgJSON}
		}
		if out == nil {
			return f.empty(s, nil)
		}
		return out, nil
	}
	f.Format = formatJSON
	return f
}

// formatJSON writes a value as indented JSON, leaving <, > and & as they
// are (the page escapes them); nil shows nothing.
func formatJSON(v any) []string {
	if v == nil {
		return nil
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return formatAny(v)
	}
	return []string{strings.TrimSuffix(b.String(), "\n")}
}

// indentJSON re-indents JSON text as formatJSON writes it.
func indentJSON(text string) string {
	var b bytes.Buffer
	if err := json.Indent(&b, []byte(text), "", "  "); err != nil {
		return text
	}
	return b.String()
}

// UUIDField returns a UUID field, Django's UUIDField: a text input
// cleaning to a uuid.UUID from its hex digits, with or without hyphens,
// braces or a "urn:uuid:" prefix; anything else is "Enter a valid UUID."
func UUIDField(name, label string, opts ...Option) *Field {
	s := configure(opts)
	f := newField(name, label, s, &Input{Type: "text"})
	f.Clean = func(values []string) (any, error) {
		v := strings.TrimFunc(last(values), isSpace)
		if v == "" {
			return f.empty(s, nil)
		}
		u, err := uuid.Parse(v)
		if err != nil {
			return nil, ValidationError{msgUUID}
		}
		return u, nil
	}
	f.Format = func(v any) []string {
		if u, ok := v.(uuid.UUID); ok {
			return []string{u.String()}
		}
		return formatAny(v)
	}
	return f
}

package orm

import (
	"errors"
	"fmt"
	"strings"
)

// Choice is one allowed value of a field with choices, and its label.
// Group is the label of the group the choice belongs to, "" when the
// choices are not grouped (Django's named groups of choices).
type Choice struct {
	Value string
	Label string
	Group string
}

// parseChoices reads the choices tag option: "value:Label" pairs separated
// by "|", where a pair without ":" uses the value as its label, and a group
// is written "Group label{value:Label|value:Label}":
//
//	choices=Audio{vinyl:Vinyl|cd:CD}|Video{vhs:VHS tape|dvd:DVD}|unknown:Unknown
//
// Labels may hold ":" after the first one; a tag value holding commas is
// single-quoted.
func parseChoices(s string) ([]Choice, error) {
	parts, err := splitTopLevel(s)
	if err != nil {
		return nil, err
	}
	var out []Choice
	for _, part := range parts {
		group, inner, grouped := strings.Cut(part, "{")
		if !grouped {
			c, err := parseChoice(part, "")
			if err != nil {
				return nil, err
			}
			out = append(out, c)
			continue
		}
		group = strings.TrimSpace(group)
		inner = strings.TrimSuffix(strings.TrimSpace(inner), "}")
		if group == "" || strings.TrimSpace(inner) == "" {
			return nil, fmt.Errorf("choice group %q needs a name and at least one choice", part)
		}
		for _, item := range strings.Split(inner, "|") {
			c, err := parseChoice(item, group)
			if err != nil {
				return nil, err
			}
			out = append(out, c)
		}
	}
	return out, nil
}

func parseChoice(s, group string) (Choice, error) {
	v, l, ok := strings.Cut(s, ":")
	if !ok {
		l = v
	}
	c := Choice{Value: strings.TrimSpace(v), Label: strings.TrimSpace(l), Group: group}
	if c.Value == "" && c.Label == "" {
		return Choice{}, errors.New("empty choice")
	}
	return c, nil
}

// splitTopLevel splits s on the "|" outside braces, checking the braces
// pair up and do not nest.
func splitTopLevel(s string) ([]string, error) {
	var parts []string
	depth, start := 0, 0
	for i, r := range s {
		switch r {
		case '{':
			if depth++; depth > 1 {
				return nil, errors.New("choice groups do not nest")
			}
		case '}':
			if depth--; depth < 0 {
				return nil, errors.New(`unbalanced "}"`)
			}
		case '|':
			if depth == 0 {
				parts = append(parts, s[start:i])
				start = i + 1
			}
		}
	}
	if depth != 0 {
		return nil, errors.New(`unbalanced "{"`)
	}
	return append(parts, s[start:]), nil
}

// hasChoice reports whether s is the value of one of the field's choices.
func (f *Field) hasChoice(s string) bool {
	for _, c := range f.Choices {
		if c.Value == s {
			return true
		}
	}
	return false
}

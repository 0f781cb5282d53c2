package form

// BooleanField returns a checkbox field, Django's BooleanField, cleaning to
// a bool by the rule of Truthy. Required means it must be checked ("I
// agree"); a model's boolean field is made Optional, so unchecked is false.
func BooleanField(name, label string, opts ...Option) *Field {
	s := configure(opts)
	f := newField(name, label, s, &Checkbox{})
	f.Clean = func(values []string) (any, error) {
		if v := Truthy(values); v || !f.Required {
			return v, nil
		}
		return nil, ValidationError{msgRequired}
	}
	f.Format = func(v any) []string {
		if b, ok := v.(bool); ok && b {
			return []string{"true"}
		}
		return nil
	}
	return f
}

// NullBooleanField returns an Unknown/Yes/No field for a nullable boolean,
// Django's NullBooleanField, cleaning to true, false or nil. It is never
// required: "unknown" is an answer.
func NullBooleanField(name, label string, opts ...Option) *Field {
	s := configure(opts)
	f := newField(name, label, s, &NullBooleanSelect{})
	f.Required = false
	f.Clean = func(values []string) (any, error) {
		switch nullBoolString(last(values)) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
		return nil, nil
	}
	return f
}

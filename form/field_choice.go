package form

// ChoiceField returns a select of fixed choices, Django's ChoiceField,
// cleaning to the chosen value. Include a Choice{"", "---------"} first if
// the field may be left unanswered.
func ChoiceField(name, label string, choices []Choice, opts ...Option) *Field {
	s := configure(opts)
	f := newField(name, label, s, &Select{Choices: choices})
	return withChoices(f, choices)
}

// withChoices turns a field into a field of choices, Django's
// TypedChoiceField: a value must be one of the choices, then the field's own
// Clean converts it (an int64 for an integer field, ...). A value the field
// cannot convert is not a valid choice either. The field's widget gets the
// choices when it is a ChoiceWidget (a RadioSelect given as an option);
// otherwise it becomes a select.
func withChoices(f *Field, choices []Choice) *Field {
	coerce := f.Clean
	f.choices = choices
	if cw, ok := f.Widget.(ChoiceWidget); ok {
		cw.SetChoices(choices)
	} else {
		f.Widget = &Select{Choices: choices}
	}
	f.Clean = func(values []string) (any, error) {
		v := last(values)
		if v == "" {
			if f.Required {
				return nil, ValidationError{msgRequired}
			}
			return coerceChoice(coerce, v)
		}
		if !hasChoice(choices, v) {
			return nil, ValidationError{msgInvalidChoice(v)}
		}
		out, err := coerceChoice(coerce, v)
		if err != nil {
			return nil, ValidationError{msgInvalidChoice(v)}
		}
		return out, nil
	}
	return f
}

func coerceChoice(coerce func([]string) (any, error), v string) (any, error) {
	if coerce == nil {
		return v, nil
	}
	return coerce([]string{v})
}

func hasChoice(choices []Choice, v string) bool {
	for _, c := range choices {
		if c.Value == v {
			return true
		}
	}
	return false
}

// MultipleChoiceField returns a field of several fixed choices, Django's
// MultipleChoiceField: a select multiple (or CheckboxSelectMultiple given
// as its widget) cleaning to the chosen values, in the order submitted.
// Each must be a choice: "Select a valid choice. x is not one of the
// available choices."
func MultipleChoiceField(name, label string, choices []Choice, opts ...Option) *Field {
	s := configure(opts)
	f := newField(name, label, s, &Select{Multiple: true})
	f.choices = choices
	if cw, ok := f.Widget.(ChoiceWidget); ok {
		cw.SetChoices(choices)
	}
	f.Clean = func(values []string) (any, error) {
		out := []string{}
		for _, v := range values {
			if v == "" {
				continue
			}
			if !hasChoice(choices, v) {
				return nil, ValidationError{msgInvalidChoice(v)}
			}
			out = append(out, v)
		}
		if len(out) == 0 && f.Required {
			return nil, ValidationError{msgRequired}
		}
		return out, nil
	}
	f.Format = func(v any) []string {
		vs, _ := v.([]string)
		return vs
	}
	return f
}

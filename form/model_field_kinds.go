package form

import (
	"errors"
	"math"

	"github.com/staffroom/staffroom/orm"
)

// otherKindField builds the field of the kinds Django gives form fields of
// their own beyond the basic ones: positive integers are integer fields
// with a lower bound of 0; slugs, e-mail addresses, URLs and IP addresses
// are their text fields with the model field's options; times, durations,
// UUIDs and JSON have their fields; file paths, and what is left (binary
// data), are text read by the model field's Parse and written by its
// Format.
func otherKindField(of *orm.Field, name, label string, opts []Option) *Field {
	text := append(opts, WithAttr("class", "vTextField"), MaxLength(of.MaxLength))
	switch of.Kind {
	case orm.KindPositiveSmallInteger:
		return IntegerField(name, label, append(opts, WithAttr("class", "vIntegerField"), Range(0, math.MaxInt16))...)
	case orm.KindPositiveInteger:
		return IntegerField(name, label, append(opts, WithAttr("class", "vIntegerField"), Range(0, math.MaxInt32))...)
	case orm.KindPositiveBigInteger:
		return IntegerField(name, label, append(opts, WithAttr("class", "vBigIntegerField"), Range(0, math.MaxInt64))...)
	case orm.KindSlug:
		if of.AllowUnicode {
			text = append(text, AllowUnicode())
		}
		return SlugField(name, label, text...)
	case orm.KindEmail:
		return EmailField(name, label, text...)
	case orm.KindURL:
		return URLField(name, label, append(opts, WithAttr("class", "vURLField"), MaxLength(of.MaxLength))...)
	case orm.KindGenericIPAddress:
		return ipChecked(of, CharField(name, label, text...))
	case orm.KindFile, orm.KindImage:
		return CharField(name, label, text...)
	case orm.KindTime:
		return TimeField(name, label, append(opts, WithAttr("class", "vTimeField"))...)
	case orm.KindDuration:
		return DurationField(name, label, append(opts, WithAttr("class", "vTextField"))...)
	case orm.KindUUID:
		return UUIDField(name, label, append(opts, WithAttr("class", "vTextField"))...)
	case orm.KindJSON:
		return modelJSONField(of, name, label, opts)
	}
	return parsedField(of, CharField(name, label, append(opts, WithAttr("class", "vTextField"))...))
}

// modelJSONField is a JSONField that decodes into the model field's own Go
// type, so that Apply can set it: text that is not JSON, or JSON that does
// not fit the type, is "Enter a valid JSON."
func modelJSONField(of *orm.Field, name, label string, opts []Option) *Field {
	f := JSONField(name, label, append(opts, WithAttr("class", "vLargeTextField"))...)
	clean := f.Clean
	f.Clean = func(values []string) (any, error) {
		v, err := clean(values)
		if err != nil || v == nil {
			return v, err
		}
		parsed, err := of.Parse(last(values))
		if err != nil {
			return nil, ValidationError{msgJSON}
		}
		return parsed, nil
	}
	f.Format = func(v any) []string {
		if v == nil {
			return nil
		}
		return []string{indentJSON(of.Format(v))}
	}
	return f
}

// parsedField makes a text field clean through the model field's Parse and
// show values as its Format writes them.
func parsedField(of *orm.Field, f *Field) *Field {
	clean := f.Clean
	f.Clean = func(values []string) (any, error) {
		v, err := clean(values)
		s, ok := v.(string)
		if err != nil || !ok || s == "" {
			return v, err
		}
		parsed, err := of.Parse(s)
		if err != nil {
			var ve *orm.ValueError
			if errors.As(err, &ve) {
				err = ve.Err
			}
			return nil, ValidationError{orm.Capfirst(err.Error()) + "."}
		}
		return parsed, nil
	}
	f.Format = func(v any) []string {
		if v == nil {
			return nil
		}
		return []string{of.Format(v)}
	}
	return f
}

// modelErrors turns the model field's validation error into the form's.
func modelErrors(err error) error {
	var ve *orm.ValidationError
	if errors.As(err, &ve) {
		return ValidationError(ve.Messages)
	}
	return err
}

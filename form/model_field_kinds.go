package form

import (
	"errors"
	"math"

	"github.com/staffroom/staffroom/orm"
)

// otherKindField builds the field of the kinds without a form field of
// their own: positive integers are integer fields with a lower bound of
// 0; the string kinds (slug, e-mail, URL, file paths, IP addresses) are
// text inputs checked by the model field's validation; times, durations,
// UUIDs and JSON are text read by the model field's Parse and written by
// its Format.
func otherKindField(of *orm.Field, name, label string, opts []Option) *Field {
	switch of.Kind {
	case orm.KindPositiveSmallInteger:
		return IntegerField(name, label, append(opts, WithAttr("class", "vIntegerField"), Range(0, math.MaxInt16))...)
	case orm.KindPositiveInteger:
		return IntegerField(name, label, append(opts, WithAttr("class", "vIntegerField"), Range(0, math.MaxInt32))...)
	case orm.KindPositiveBigInteger:
		return IntegerField(name, label, append(opts, WithAttr("class", "vBigIntegerField"), Range(0, math.MaxInt64))...)
	case orm.KindSlug, orm.KindEmail, orm.KindURL, orm.KindFile, orm.KindImage, orm.KindGenericIPAddress:
		return modelChecked(of, CharField(name, label, append(opts, WithAttr("class", "vTextField"), MaxLength(of.MaxLength))...))
	case orm.KindJSON:
		area := &Textarea{Attrs: Attrs{{Name: "cols", Value: "40"}, {Name: "rows", Value: "10"}, {Name: "class", Value: "vLargeTextField"}}}
		return parsedField(of, CharField(name, label, append(opts, WithWidget(area))...))
	}
	return parsedField(of, CharField(name, label, append(opts, WithAttr("class", "vTextField"))...))
}

// modelChecked runs the model field's validation after the text field's
// own cleaning, and keeps its normal form (a compressed IPv6 address).
func modelChecked(of *orm.Field, f *Field) *Field {
	clean := f.Clean
	f.Clean = func(values []string) (any, error) {
		v, err := clean(values)
		s, ok := v.(string)
		if err != nil || !ok || s == "" {
			return v, err
		}
		if err := modelErrors(of.Validate(s)); err != nil {
			return nil, err
		}
		return of.Parse(s)
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
		return parsed, modelErrors(of.Validate(parsed))
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

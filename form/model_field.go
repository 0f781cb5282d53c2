package form

import (
	"math"
	"time"

	"github.com/staffroom/staffroom/orm"
)

// fieldFor builds the form field for a model field, with the admin's widget
// classes: the same constructors a plain form uses, set from the model
// field's options; a date-time field reads and shows the clocks of loc.
func fieldFor(of *orm.Field, loc *time.Location) *Field {
	opts := []Option{HelpText(of.HelpText), InTimeZone(loc)}
	if of.Blank {
		opts = append(opts, Optional())
	}
	if of.Null {
		opts = append(opts, NilIfEmpty())
	}
	f := kindField(of, opts)
	if len(of.Choices) > 0 && !of.IsRelation() {
		f.Attrs = nil // the kind's class, maxlength or step mean nothing to a select
		f = withChoices(f, modelChoices(of, f.Required))
	}
	if of.Concrete() && !of.IsRelation() {
		f.modelCheck = modelValidator(of)
	}
	f.Model = of
	return f
}

// fileFieldFor builds the upload field of a file or image field, which
// stores into opts.Storage.
func fileFieldFor(of *orm.Field, opts Options) *Field {
	o := []Option{HelpText(of.HelpText), MaxLength(of.MaxLength), WithStorage(opts.Storage), UploadTo(opts.UploadTo[of.Name])}
	if of.Blank {
		o = append(o, Optional())
	}
	mk := FileField
	if of.Kind == orm.KindImage {
		mk = ImageField
	}
	f := mk(of.Name, of.Label(), o...)
	f.Model = of
	return f
}

// modelValidator runs the model field's own validation on a cleaned value,
// as Django's ModelForm does through the instance's full_clean: its
// Meta.Validators, and the checks of its kind, which the form field has
// mostly made already.
func modelValidator(of *orm.Field) Validator {
	return func(v any) error { return modelErrors(of.Validate(v)) }
}

// kindField builds the field for the model field's kind.
func kindField(of *orm.Field, opts []Option) *Field {
	name, label := of.Name, of.Label()
	switch of.Kind {
	case orm.KindChar:
		return CharField(name, label, append(opts, WithAttr("class", "vTextField"), MaxLength(of.MaxLength))...)
	case orm.KindText:
		area := &Textarea{Attrs: Attrs{{Name: "cols", Value: "40"}, {Name: "rows", Value: "10"}, {Name: "class", Value: "vLargeTextField"}}}
		return CharField(name, label, append(opts, WithWidget(area), MaxLength(of.MaxLength))...)
	case orm.KindAuto, orm.KindInteger:
		return IntegerField(name, label, append(opts, WithAttr("class", "vIntegerField"), Range(math.MinInt32, math.MaxInt32))...)
	case orm.KindSmallInteger:
		return IntegerField(name, label, append(opts, WithAttr("class", "vIntegerField"), Range(math.MinInt16, math.MaxInt16))...)
	case orm.KindBigAuto, orm.KindBigInteger:
		return IntegerField(name, label, append(opts, WithAttr("class", "vBigIntegerField"))...)
	case orm.KindDecimal:
		return DecimalField(name, label, of.MaxDigits, of.Places, opts...)
	case orm.KindFloat:
		return FloatField(name, label, opts...)
	case orm.KindBoolean:
		return booleanFor(of, name, label, opts)
	case orm.KindDate:
		return DateField(name, label, append(opts, WithAttr("class", "vDateField"))...)
	case orm.KindDateTime:
		return DateTimeField(name, label, append(opts, WithAttr("class", "vDateTimeField"))...)
	case orm.KindForeignKey, orm.KindOneToOne:
		return foreignKeyField(of, name, label, opts)
	case orm.KindManyToMany:
		return manyToManyField(of, name, label, opts)
	}
	return otherKindField(of, name, label, opts)
}

// booleanFor gives a checkbox, never required (unchecked is false), or the
// Unknown/Yes/No select of a nullable boolean.
func booleanFor(of *orm.Field, name, label string, opts []Option) *Field {
	if of.Null {
		return NullBooleanField(name, label, opts...)
	}
	return BooleanField(name, label, append(opts, Optional())...)
}

// modelChoices are a model field's choices, after the empty "---------"
// unless the field is required and has a default, as Django's
// Field.get_choices does.
func modelChoices(of *orm.Field, required bool) []Choice {
	var out []Choice
	if !required || !of.HasDefault {
		out = append(out, Choice{Value: "", Label: "---------"})
	}
	for _, c := range of.Choices {
		out = append(out, Choice{Value: c.Value, Label: c.Label, Group: c.Group})
	}
	return out
}

package orm

import (
	"errors"
	"fmt"
	"strings"
)

// finish fills the defaults that depend on the options and checks that the
// options fit together, as Django's field checks do.
func (f *Field) finish() error {
	f.setColumn()
	if f.VerboseName == "" {
		f.VerboseName = strings.ReplaceAll(f.Name, "_", " ")
	}
	if f.MaxLength == 0 {
		f.MaxLength = f.Kind.defaultMaxLength()
	}
	if f.Kind == KindOneToOne {
		f.Unique = true
	}
	if f.PrimaryKey {
		if f.Null {
			return errors.New("a primary key cannot be null")
		}
		f.Unique, f.Blank = true, true
	}
	checks := []func() error{f.checkSizes, f.checkRelationOptions, f.checkKindOptions, f.checkChoices, f.checkDefault}
	for _, check := range checks {
		if err := check(); err != nil {
			return err
		}
	}
	return nil
}

func (f *Field) setColumn() {
	if f.Column != "" || !f.Concrete() {
		if f.Kind == KindManyToMany {
			f.Column = f.Name
		}
		return
	}
	f.Column = f.Name
	if f.IsForeignKey() {
		f.Column = f.Name + "_id"
	}
}

func (f *Field) checkSizes() error {
	if f.Kind == KindChar && f.MaxLength <= 0 {
		return errors.New("a string field needs max_length=N, or type=text for unbounded text")
	}
	if f.Kind == KindDecimal && (f.MaxDigits <= 0 || f.Places < 0 || f.Places > f.MaxDigits) {
		return errors.New("a decimal field needs max_digits=N and decimal_places=M with M <= N")
	}
	return nil
}

func (f *Field) checkRelationOptions() error {
	switch {
	case f.IsForeignKey() && f.OnDelete == 0:
		return errors.New("a foreign key needs on_delete=cascade|protect|restrict|set_null|set_default|do_nothing")
	case f.OnDelete == SetNull && !f.Null:
		return errors.New("on_delete=set_null needs the field to be null")
	case f.through != "" && f.Through != "":
		return errors.New("db_table names the join table the orm makes; with through=Model the model's table is the join table")
	case f.throughFields != [2]string{} && f.through == "":
		return errors.New("through_fields needs through=Model")
	}
	if f.Kind == KindGenericForeignKey {
		if f.ctName == "" {
			f.ctName = "content_type"
		}
		if f.idName == "" {
			f.idName = "object_id"
		}
	}
	return nil
}

func (f *Field) checkKindOptions() error {
	if f.Kind == KindGenericIPAddress && f.Blank && !f.Null {
		return errors.New("an IP address field with blank needs null too: blank values are stored as NULL")
	}
	return nil
}

// checkChoices checks each choice's value is a value of the field.
func (f *Field) checkChoices() error {
	for _, c := range f.Choices {
		if _, err := f.parse(c.Value); err != nil {
			return fmt.Errorf("choice %q: %w", c.Value, err)
		}
	}
	return nil
}

func (f *Field) checkDefault() error {
	if !f.HasDefault {
		return nil
	}
	if _, err := f.parse(f.Default); err != nil {
		return fmt.Errorf("default %q: %w", f.Default, err)
	}
	return nil
}

package orm

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/google/uuid"
)

// The tag options of a field, `orm:"max_length=100,unique,verbose_name='Name, full'"`:
//
//	type=KIND            the kind, when the Go type allows several (see setKind)
//	name=NAME            the Django name; default the snake_case Go name
//	db_column=NAME       the column; default the name ("<name>_id" for a foreign key)
//	primary_key, null, blank, unique, editable=false, db_index[=false]
//	primary_key=explicit an integer key the application sets, not an auto key
//	default=uuid4        a UUID field's new random UUID (Django's uuid.uuid4)
//	max_length=N         strings (default 50 slug, 254 email, 200 url, 100 file and image) and binary
//	max_digits=N, decimal_places=M            decimals
//	default=VALUE        as Parse reads it; Meta.Defaults for a function
//	choices=v:Label|...  with groups as Group{v:Label|v:Label}; Meta.Choices in Go
//	verbose_name=TEXT, help_text=TEXT
//	on_delete=cascade|protect|restrict|set_null|set_default|do_nothing   foreign keys, one-to-ones
//	to_field=NAME        the unique field of the target the key holds
//	related_name=NAME, related_query_name=NAME                           relations
//	through=Model, through_fields=source:target, db_table=NAME           many-to-many
//	symmetrical[=false]  a many-to-many to its own model: both directions (the default) or one
//	ct_field=NAME, fk_field=NAME                                         generic foreign keys
//	content_type_field=NAME, object_id_field=NAME, related_query_name    generic relations
//	protocol=both|ipv4|ipv6, unpack_ipv4                                 IP addresses
//	allow_unicode                                                        slugs
var optionApplies = map[string]func(*Field) bool{
	"type": always, "name": always, "verbose_name": always, "help_text": always, "editable": always,
	"null": concrete, "blank": notGeneric, "unique": concrete, "db_index": concrete,
	"primary_key": concrete, "default": concrete, "db_column": concrete, "choices": notRelation,
	"max_length":         func(f *Field) bool { return f.Kind.IsString() || f.Kind == KindBinary },
	"max_digits":         isKind(KindDecimal),
	"decimal_places":     isKind(KindDecimal),
	"on_delete":          (*Field).IsForeignKey,
	"to_field":           (*Field).IsForeignKey,
	"related_name":       (*Field).IsRelation,
	"related_query_name": func(f *Field) bool { return f.IsRelation() || f.Kind == KindGenericRelation },
	"through":            isKind(KindManyToMany),
	"through_fields":     isKind(KindManyToMany),
	"db_table":           isKind(KindManyToMany),
	"symmetrical":        isKind(KindManyToMany),
	"ct_field":           isKind(KindGenericForeignKey),
	"fk_field":           isKind(KindGenericForeignKey),
	"content_type_field": isKind(KindGenericRelation),
	"object_id_field":    isKind(KindGenericRelation),
	"protocol":           isKind(KindGenericIPAddress),
	"unpack_ipv4":        isKind(KindGenericIPAddress),
	"allow_unicode":      isKind(KindSlug),
}

func always(*Field) bool     { return true }
func concrete(f *Field) bool { return f.Concrete() }
func notGeneric(f *Field) bool {
	return f.Kind != KindGenericForeignKey && f.Kind != KindGenericRelation
}
func notRelation(f *Field) bool {
	return !f.IsRelation() && f.Kind != KindGenericForeignKey && f.Kind != KindGenericRelation
}
func isKind(k Kind) func(*Field) bool {
	return func(f *Field) bool { return f.Kind == k }
}

// checkOptions refuses unknown options and options that mean nothing for
// the field's kind (Django ignores some with a warning; here they fail).
func (f *Field) checkOptions(t tag) error {
	for _, key := range sortStrings(t.keys()) {
		applies, known := optionApplies[key]
		switch {
		case !known:
			return fmt.Errorf("tag option %s=%q: unknown option", key, t[key])
		case !applies(f):
			return fmt.Errorf("tag option %s does not apply to %s", key, f.Kind)
		}
	}
	return nil
}

func (f *Field) applyOptions(t tag) error {
	for _, key := range sortStrings(t.keys()) {
		if err := f.applyOption(key, t[key]); err != nil {
			return fmt.Errorf("tag option %s=%q: %w", key, t[key], err)
		}
	}
	return nil
}

func (f *Field) applyOption(key, val string) error {
	var err error
	switch key {
	case "max_length":
		f.MaxLength, err = positiveInt(val)
	case "max_digits":
		f.MaxDigits, err = positiveInt(val)
	case "decimal_places":
		f.Places, err = strconv.Atoi(val)
	case "null":
		f.Null = true
	case "blank":
		f.Blank = true
	case "unique":
		f.Unique = true
	case "db_index":
		f.DBIndex = val != "false"
	case "primary_key":
		f.PrimaryKey = true
		switch {
		case val == "explicit":
			// A key the application sets, Django's IntegerField(primary_key=True).
			if !f.Kind.IsInteger() {
				return fmt.Errorf("primary_key=explicit applies to integer fields; other keys are never automatic")
			}
			switch f.Kind {
			case KindAuto:
				f.Kind = KindInteger
			case KindBigAuto:
				f.Kind = KindBigInteger
			}
		case val != "":
			return fmt.Errorf("primary_key=%s: want primary_key, or primary_key=explicit for an integer key the application sets", val)
		case f.Kind == KindBigInteger:
			f.Kind = KindBigAuto
		case f.Kind == KindInteger:
			f.Kind = KindAuto
		}
	case "editable":
		f.Editable = val != "false"
	case "default":
		if f.Kind == KindUUID && val == "uuid4" {
			// Django's default=uuid.uuid4: a new random UUID each time.
			f.DefaultFunc = func() any { return uuid.New() }
			break
		}
		f.Default, f.HasDefault = val, true
	case "db_column":
		f.Column = val
	case "verbose_name":
		f.VerboseName = val
	case "help_text":
		f.HelpText = val
	case "choices":
		f.Choices, err = parseChoices(val)
	case "on_delete":
		f.OnDelete, err = parseOnDelete(val)
	default:
		err = f.applyRelationOption(key, val)
	}
	return err
}

// applyRelationOption applies the options of relations and of the kinds
// with options of their own.
func (f *Field) applyRelationOption(key, val string) error {
	switch key {
	case "to_field":
		f.ToField = val
	case "related_name":
		f.RelatedName = val
	case "related_query_name":
		f.RelatedQueryName = val
	case "through":
		f.through = val
	case "through_fields":
		from, to, ok := strings.Cut(val, ":")
		if !ok || from == "" || to == "" {
			return errors.New("want source:target, the through model's foreign keys to this model and to the related one")
		}
		f.throughFields = [2]string{from, to}
	case "db_table":
		f.Through = val
	case "symmetrical":
		if val == "" {
			val = "true"
		}
		if val != "true" && val != "false" {
			return errors.New("want symmetrical or symmetrical=false")
		}
		f.symmetrical = val
	case "ct_field":
		f.ctName = val
	case "fk_field", "object_id_field":
		f.idName = val
	case "content_type_field":
		f.ctName = val
	case "protocol":
		f.Protocol = strings.ToLower(val)
		if f.Protocol == "both" {
			f.Protocol = ""
		}
		if f.Protocol != "" && f.Protocol != "ipv4" && f.Protocol != "ipv6" {
			return errors.New("want both, ipv4 or ipv6")
		}
	case "unpack_ipv4":
		f.UnpackIPv4 = val != "false"
	case "allow_unicode":
		f.AllowUnicode = val != "false"
	}
	return nil
}

func positiveInt(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		return 0, errors.New("want a whole number above 0")
	}
	return n, nil
}

func parseOnDelete(s string) (OnDelete, error) {
	for o, name := range onDeleteNames {
		if strings.EqualFold(s, name) {
			return o, nil
		}
	}
	return 0, fmt.Errorf("want cascade, protect, restrict, set_null, set_default or do_nothing")
}

package orm

import (
	"encoding/json"
	"fmt"
	"reflect"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

var (
	timeType     = reflect.TypeFor[time.Time]()
	durationType = reflect.TypeFor[time.Duration]()
	decimalType  = reflect.TypeFor[decimal.Decimal]()
	uuidType     = reflect.TypeFor[uuid.UUID]()
	rawJSONType  = reflect.TypeFor[json.RawMessage]()
	bytesType    = reflect.TypeFor[[]byte]()
)

// setKind picks the field's kind from its Go type and its type= option,
// as the package documentation tabulates. An integer field named "id" is
// the automatic primary key: BigAutoField for int64 and int (AutoField when
// the app's DefaultAutoField is "auto" or the tag says type=integer),
// AutoField for int32.
func (f *Field) setKind(typ reflect.Type, explicit string) error {
	if reflect.PointerTo(typ).Implements(genericRelPtrType) {
		return f.setGenericRelationKind(typ, explicit)
	}
	if typ.Implements(relationType) {
		return f.setRelationKind(typ, explicit)
	}
	if typ == genericType {
		if f.ptr || explicit != "" {
			return fmt.Errorf("a generic foreign key is a plain orm.GenericForeignKey without a type option")
		}
		f.Kind, f.Editable = KindGenericForeignKey, false
		return nil
	}
	if explicit == "json" {
		f.Kind = KindJSON
		return nil
	}
	if k, ok := specialKinds[typ]; ok {
		f.Kind = k
		f.Editable = k != KindBinary
		return f.applyTimeType(typ, explicit)
	}
	return f.setBasicKind(typ, explicit)
}

// specialKinds are the kinds given by a Go type rather than its kind.
var specialKinds = map[reflect.Type]Kind{
	timeType: KindDateTime, durationType: KindDuration, decimalType: KindDecimal,
	uuidType: KindUUID, rawJSONType: KindJSON, bytesType: KindBinary,
}

func (f *Field) setRelationKind(typ reflect.Type, explicit string) error {
	rel := reflect.New(typ).Elem().Interface().(relation)
	f.relatedType, f.keyGoType = rel.relatedType(), rel.keyType()
	if z, ok := reflect.New(typ).Interface().(zeroNuller); ok {
		f.zeroNull = z.zeroIsNull()
	}
	switch {
	case typ.Implements(oneToOneType):
		f.Kind = KindOneToOne
	case reflect.PointerTo(typ).Implements(fkPtrType):
		f.Kind, f.DBIndex = KindForeignKey, true
	case reflect.PointerTo(typ).Implements(m2mPtrType):
		f.Kind = KindManyToMany
	}
	if f.ptr {
		return fmt.Errorf("relations are not pointers: use orm.%s[T] and the null option", map[bool]string{true: "ManyToMany", false: "ForeignKey"}[f.Kind == KindManyToMany])
	}
	if explicit != "" {
		return fmt.Errorf("type=%s does not apply to a relation", explicit)
	}
	return nil
}

func (f *Field) applyTimeType(typ reflect.Type, explicit string) error {
	switch {
	case explicit == "":
		return nil
	case typ == timeType && explicit == "date":
		f.Kind = KindDate
	case typ == timeType && explicit == "time":
		f.Kind = KindTime
	case typ == timeType && explicit == "datetime":
		f.Kind = KindDateTime
	default:
		return fmt.Errorf("type=%s does not apply to %s", explicit, typ)
	}
	return nil
}

// stringKinds are the type= options of a string field.
var stringKinds = map[string]Kind{
	"": KindChar, "char": KindChar, "text": KindText, "slug": KindSlug, "email": KindEmail, "url": KindURL,
	"ip": KindGenericIPAddress, "file": KindFile, "image": KindImage,
}

func (f *Field) setBasicKind(typ reflect.Type, explicit string) error {
	switch typ.Kind() {
	case reflect.String:
		k, ok := stringKinds[explicit]
		if !ok {
			return fmt.Errorf("type=%s does not apply to a string (want text, slug, email, url, ip, file or image)", explicit)
		}
		f.Kind = k
		f.DBIndex = k == KindSlug
		return nil
	case reflect.Bool:
		f.Kind = KindBoolean
	case reflect.Float64, reflect.Float32:
		f.Kind = KindFloat
	case reflect.Int64, reflect.Int, reflect.Int32, reflect.Int16, reflect.Uint64, reflect.Uint, reflect.Uint32, reflect.Uint16:
		return f.setIntegerKind(typ, explicit)
	case reflect.Slice:
		if typ.Elem().Kind() == reflect.Uint8 {
			f.Kind, f.Editable = KindBinary, false
			break
		}
		fallthrough
	default:
		return fmt.Errorf("unsupported Go type %s (type=json stores any type as JSON)", typ)
	}
	if explicit != "" {
		return fmt.Errorf("type=%s does not apply to %s", explicit, typ)
	}
	return nil
}

// integerKinds gives the kind of an integer Go type for each type= option:
// the signed and the unsigned one of each width.
var integerKinds = map[reflect.Kind]map[string]Kind{
	reflect.Int64:  {"": KindBigInteger, "positive": KindPositiveBigInteger},
	reflect.Int32:  {"": KindInteger, "positive": KindPositiveInteger},
	reflect.Int16:  {"": KindSmallInteger, "positive": KindPositiveSmallInteger},
	reflect.Uint64: {"": KindPositiveBigInteger, "positive": KindPositiveBigInteger},
	reflect.Uint32: {"": KindPositiveInteger, "positive": KindPositiveInteger},
	reflect.Uint16: {"": KindPositiveSmallInteger, "positive": KindPositiveSmallInteger},
}

func (f *Field) setIntegerKind(typ reflect.Type, explicit string) error {
	gk := typ.Kind()
	switch gk {
	case reflect.Int:
		gk = reflect.Int64
	case reflect.Uint:
		gk = reflect.Uint64
	}
	auto := f.Name == "id" && (gk == reflect.Int64 || gk == reflect.Int32)
	switch explicit {
	case "integer", "int":
		f.Kind = KindInteger
		if auto {
			f.Kind = KindAuto
		}
	case "bigint":
		f.Kind = KindBigInteger
		if auto {
			f.Kind = KindBigAuto
		}
	case "smallint":
		f.Kind = KindSmallInteger
	case "", "positive":
		f.Kind = integerKinds[gk][explicit]
		if auto && explicit == "" {
			f.Kind = f.defaultAuto(gk)
		}
	default:
		return fmt.Errorf("type=%s does not apply to %s (want integer, bigint, smallint or positive)", explicit, typ)
	}
	f.PrimaryKey = f.PrimaryKey || f.Kind.IsAuto()
	if f.Kind == KindBigAuto && gk == reflect.Int32 {
		return fmt.Errorf("type=bigint needs an int64 Go type")
	}
	return nil
}

// defaultAuto is the kind of an undeclared "id" primary key: AutoField for
// int32, else the app's DefaultAutoField.
func (f *Field) defaultAuto(gk reflect.Kind) Kind {
	if gk == reflect.Int32 || f.Model.App.DefaultAutoField == "auto" {
		return KindAuto
	}
	return KindBigAuto
}

package orm

import "strconv"

// Kind is the kind of a model field, mirroring Django's field classes.
type Kind int

// The field kinds. The Go type of a field and its `type=` tag option pick
// the kind; see Registry.Register for the table.
const (
	KindAuto                 Kind = iota + 1 // integer primary key filled by the database
	KindBigAuto                              // 64-bit integer primary key filled by the database
	KindChar                                 // string with a max_length
	KindText                                 // unbounded string
	KindInteger                              // 32-bit integer
	KindBigInteger                           // 64-bit integer
	KindSmallInteger                         // 16-bit integer
	KindBoolean                              // true or false (nullable with a *bool)
	KindDate                                 // calendar date
	KindDateTime                             // instant, stored in UTC
	KindDecimal                              // fixed-point number (max_digits, decimal_places)
	KindFloat                                // floating-point number
	KindForeignKey                           // many-to-one relation
	KindManyToMany                           // many-to-many relation through a join table
	KindSlug                                 // string of letters, digits, "-" and "_" (max_length 50)
	KindEmail                                // e-mail address (max_length 254)
	KindURL                                  // http(s) or ftp(s) URL (max_length 200)
	KindPositiveInteger                      // 32-bit integer >= 0
	KindPositiveSmallInteger                 // 16-bit integer >= 0
	KindPositiveBigInteger                   // 64-bit integer >= 0
	KindTime                                 // time of day, microsecond precision
	KindDuration                             // time.Duration, microsecond precision
	KindUUID                                 // github.com/google/uuid UUID
	KindJSON                                 // any Go value, stored as JSON
	KindBinary                               // []byte
	KindGenericIPAddress                     // IPv4 or IPv6 address as a string
	KindFile                                 // path of a stored file (max_length 100)
	KindImage                                // path of a stored image (max_length 100)
	KindOneToOne                             // unique many-to-one relation
	KindGenericForeignKey                    // content type + object id pair (no column)
	KindAnnotation                           // no column: receives an annotation of the same name
	KindGenericRelation                      // reverse of a generic foreign key (no column)
)

var kindNames = map[Kind]string{
	KindAuto: "AutoField", KindBigAuto: "BigAutoField", KindChar: "CharField", KindText: "TextField",
	KindInteger: "IntegerField", KindBigInteger: "BigIntegerField", KindSmallInteger: "SmallIntegerField",
	KindBoolean: "BooleanField", KindDate: "DateField", KindDateTime: "DateTimeField",
	KindDecimal: "DecimalField", KindFloat: "FloatField", KindForeignKey: "ForeignKey",
	KindManyToMany: "ManyToManyField", KindSlug: "SlugField", KindEmail: "EmailField", KindURL: "URLField",
	KindPositiveInteger: "PositiveIntegerField", KindPositiveSmallInteger: "PositiveSmallIntegerField",
	KindPositiveBigInteger: "PositiveBigIntegerField", KindTime: "TimeField", KindDuration: "DurationField",
	KindUUID: "UUIDField", KindJSON: "JSONField", KindBinary: "BinaryField",
	KindGenericIPAddress: "GenericIPAddressField", KindFile: "FileField", KindImage: "ImageField",
	KindOneToOne: "OneToOneField", KindGenericForeignKey: "GenericForeignKey", KindAnnotation: "annotation",
	KindGenericRelation: "GenericRelation",
}

// String returns Django's class name for the kind, e.g. "CharField".
func (k Kind) String() string {
	if s, ok := kindNames[k]; ok {
		return s
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// IsInteger reports whether values of the kind are Go integers.
func (k Kind) IsInteger() bool {
	switch k {
	case KindAuto, KindBigAuto, KindInteger, KindBigInteger, KindSmallInteger,
		KindPositiveInteger, KindPositiveSmallInteger, KindPositiveBigInteger:
		return true
	}
	return false
}

// IsAuto reports whether the kind is an automatic primary key.
func (k Kind) IsAuto() bool { return k == KindAuto || k == KindBigAuto }

// IsPositive reports whether the kind is one of the positive integers,
// whose columns carry CHECK (col >= 0).
func (k Kind) IsPositive() bool {
	return k == KindPositiveInteger || k == KindPositiveSmallInteger || k == KindPositiveBigInteger
}

// IsString reports whether values of the kind are Go strings: text, and
// the kinds Django derives from CharField (slug, e-mail, URL, file paths)
// and the IP address.
func (k Kind) IsString() bool {
	switch k {
	case KindChar, KindText, KindSlug, KindEmail, KindURL, KindFile, KindImage, KindGenericIPAddress:
		return true
	}
	return false
}

// defaultMaxLength is Django's max_length for the kinds that have one.
func (k Kind) defaultMaxLength() int {
	switch k {
	case KindSlug:
		return 50
	case KindEmail:
		return 254
	case KindURL:
		return 200
	case KindFile, KindImage:
		return 100
	case KindGenericIPAddress:
		return 39
	}
	return 0
}

// OnDelete says what happens to rows that point at a deleted row.
type OnDelete int

// The on_delete behaviours, Django's django.db.models.CASCADE and friends.
const (
	Cascade    OnDelete = iota + 1 // delete the rows that point at it
	Protect                        // refuse the delete (ProtectedError)
	SetNull                        // set the key to NULL
	DoNothing                      // leave the rows; the database's constraint decides
	Restrict                       // refuse, unless the rows are deleted by a cascade of the same delete (RestrictedError)
	SetDefault                     // set the key to the field's default
)

var onDeleteNames = map[OnDelete]string{
	Cascade: "CASCADE", Protect: "PROTECT", SetNull: "SET_NULL", DoNothing: "DO_NOTHING",
	Restrict: "RESTRICT", SetDefault: "SET_DEFAULT",
}

// String returns Django's name of the behaviour, e.g. "SET_NULL".
func (o OnDelete) String() string {
	if s, ok := onDeleteNames[o]; ok {
		return s
	}
	return "OnDelete(" + strconv.Itoa(int(o)) + ")"
}

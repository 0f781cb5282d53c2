// Package orm describes Go structs as database models and queries them.
//
// Models are plain structs registered once in a Registry, grouped into apps
// the way Django groups models. Reflection happens at registration: the
// result is a Model (table, fields, relations) that everything downstream
// reads. Queries are built with QuerySet, whose lookups follow Django's
// "field__lookup" syntax, and run through a Dialect so the same query works
// on each supported database.
//
// Table and column names default to Django's: "<app_label>_<model_name>" for
// tables, snake_case field names for columns, "<field>_id" for foreign keys
// and "<table>_<field>" for many-to-many tables. A database created by Django
// therefore opens as it is.
//
// # Fields
//
// Every exported field is a model field; `orm:"-"` skips one, and a struct
// embedded without a tag is an abstract base whose fields are the model's.
// The Go type picks the kind, and type= chooses among the kinds a type can
// hold:
//
//	string             CharField (max_length=N required), type=text|slug|email|url|ip|file|image
//	bool, *bool        BooleanField, nullable with the pointer
//	int64, int         BigIntegerField; type=integer|smallint|positive
//	int32, int16       IntegerField, SmallIntegerField; type=positive
//	uint16/32/64       PositiveSmallIntegerField, PositiveIntegerField, PositiveBigIntegerField
//	float64            FloatField
//	decimal.Decimal    DecimalField (max_digits=N, decimal_places=M)
//	time.Time          DateTimeField (stored in UTC); type=date, type=time (TimeOf)
//	time.Duration      DurationField
//	uuid.UUID          UUIDField
//	[]byte             BinaryField
//	json.RawMessage    JSONField; type=json stores any Go type as JSON
//	ForeignKey[T]      ForeignKey (on_delete=... required) to an integer key
//	OneToOne[T]        OneToOneField to an integer key
//	ManyToMany[T]      ManyToManyField (through=Model for an explicit join model;
//	                   to its own model symmetrical unless symmetrical=false)
//	ForeignKeyTo[T, K], OneToOneTo[T, K], ManyToManyTo[T, K]
//	                   the same to a key of Go type K: uuid.UUID, string…
//	GenericForeignKey  Django's contenttypes GenericForeignKey
//	GenericRelation[T] its reverse, Django's GenericRelation (no column)
//
// A struct that embeds a registered model's struct and whose Meta says
// Proxy is a proxy model, Django's Meta.proxy: see Model.ConcreteModel.
//
// A pointer type makes a field nullable. An integer field named ID is the
// primary key: a BigAutoField, or an AutoField when the app's
// DefaultAutoField says "auto" (or the field is an int32, or typed
// type=integer).
//
// # Keys of other kinds
//
// Any field tagged primary_key is the key: a string (Django's CharField
// primary key), a uuid.UUID, or an integer. An integer primary_key is an
// auto key unless tagged primary_key=explicit (Django's
// IntegerField(primary_key=True)); a UUID key tagged default=uuid4 gets a
// new random UUID when it is saved unset, as Django's default=uuid.uuid4
// does. Save updates the row of a key the application sets and inserts it
// when there is none. On SQLite and MySQL a UUID is char(32), 32 hex digits
// without hyphens as Django writes it; on PostgreSQL it is a uuid. Fixtures
// and Field.Format write it with hyphens.
//
// ForeignKey, OneToOne and ManyToMany hold int64 keys, as they always have.
// A relation to a model keyed otherwise (or to a to_field that is not an
// integer) names the key's Go type:
//
//	type Branch struct {
//		ID      uuid.UUID                        `orm:"primary_key,default=uuid4,editable=false"`
//		Country orm.ForeignKeyTo[Country, string] `orm:"on_delete=protect"` // Country.Code varchar(2)
//	}
//	type Member struct {
//		ID                int64
//		HomeBranch        orm.ForeignKeyTo[Branch, uuid.UUID] `orm:"null,on_delete=set_null"`
//		PreferredBranches orm.ManyToManyTo[Branch, uuid.UUID] `orm:"blank"`
//	}
//
//	m.HomeBranch = orm.FKTo[Branch](branch.ID)     // Valid: true
//	m.HomeBranch = orm.ForeignKeyTo[Branch, uuid.UUID]{} // NULL
//	err := db.SetM2MKeys(ctx, m, "preferred_branches", []any{branch.ID})
//
// Their Valid flag is false for NULL, so "" and 0 stay keys like any other,
// and Field.Get gives nil for NULL (ForeignKey's Get still gives 0).
// Registry.Ready checks K against the target field's type. Lookups take the
// key in any form the target field reads ("branch", "branch__id",
// "branch__in", a UUID with or without hyphens).
//
// # Multi-table inheritance
//
// A model that embeds another registered model with the tag
// `orm:"parent_link"` is its child, Django's multi-table inheritance:
//
//	type Item struct {
//		ID    int64
//		Title string `orm:"max_length=200"`
//	}
//	type Book struct {
//		Item `orm:"parent_link"`
//		ISBN string `orm:"max_length=13,unique"`
//	}
//
// The child's table holds its own fields and the parent link
// "item_ptr_id", a one-to-one key to the parent's row that is the child's
// primary key; Migrate creates it as Django does (name= and db_column=
// on the tag rename the link). The parent is registered in the same
// Register call or an earlier one. Book's queries join the item, so
// b.Title is read and
// "title" filters and orders as a field of Book; Model.Field finds the
// parent's fields, Model.AllFields lists them before the child's own, and
// Field.Inherited tells them apart. The parent reaches the child by its
// lower-case name ("book__isbn" on Item), a reverse one-to-one that
// DB.RelatedObjects reads. Insert and Save write the parent's row first
// and give its key to the child's; Update writes both; deleting a child
// deletes its parent row, deleting a parent its children. A fixture
// gives a child as Django's dumpdata writes it, in two entries with one
// pk: the parent's fields under the parent's model, the child's own under
// the child's. The child keeps the parent's Meta ordering when it sets
// none, and nothing else of the parent's Meta, as in Django; the parent's
// String and AbsoluteURL methods are promoted to it by Go. BulkCreate
// refuses a child, as Django's bulk_create does.
//
// The tag holds Django's field options as comma-separated key=value pairs
// and flags, a value single-quoted when it holds a comma:
//
//	`orm:"max_length=100,unique,blank,verbose_name='Name, in full',help_text=Shown on the site"`
//	`orm:"on_delete=set_null,null,related_name=books,to_field=code"`
//	`orm:"choices=Audio{vinyl:Vinyl|cd:CD}|Video{vhs:VHS tape|dvd:DVD}|other:Other,default=other"`
//
// Choices are "value:Label" pairs separated by "|"; a group of choices is
// written "Group label{value:Label|...}" and each of its choices carries
// the group's label in Choice.Group. The other options are null, blank,
// unique, db_index, primary_key, editable=false, default=, db_column=,
// verbose_name=, help_text=, max_length=, max_digits=, decimal_places=,
// on_delete=cascade|protect|restrict|set_null|set_default|do_nothing,
// related_name= (ending in "+" to hide the reverse relation),
// related_query_name=, to_field=, through=, through_fields=source:target,
// db_table=, ct_field=, fk_field=, protocol=both|ipv4|ipv6, unpack_ipv4 and
// allow_unicode. What a tag cannot hold — default functions, validators,
// limit_choices_to — goes in Meta. An option that means nothing for the
// field's kind, like every other mistake in a declaration, fails
// Registry.Register (or, for relations, Registry.Ready) with a message
// naming the app, the model, the field and the problem.
package orm

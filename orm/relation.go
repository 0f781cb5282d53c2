package orm

import (
	"fmt"
	"reflect"
)

// ForeignKey is a many-to-one relation to the model T, stored as T's integer
// primary key in the column "<field>_id". The zero ID means NULL, which only
// a field tagged null accepts. A key of another type (a UUID, a string) is
// a ForeignKeyTo.
type ForeignKey[T any] struct {
	ID  int64
	obj *T
}

// FK returns a foreign key pointing at the row of T with the given id.
func FK[T any](id int64) ForeignKey[T] { return ForeignKey[T]{ID: id} }

// Get returns the related object when a query loaded it (SelectRelated), and
// whether it did.
func (f ForeignKey[T]) Get() (*T, bool) { return f.obj, f.obj != nil }

// IsNull reports whether the key points nowhere.
func (f ForeignKey[T]) IsNull() bool { return f.ID == 0 }

func (ForeignKey[T]) relatedType() reflect.Type { return reflect.TypeFor[T]() }
func (ForeignKey[T]) keyType() reflect.Type     { return int64Type }
func (ForeignKey[T]) zeroIsNull() bool          { return true }
func (f *ForeignKey[T]) key() (any, bool)       { return f.ID, f.ID != 0 }
func (f *ForeignKey[T]) setKey(v any) error     { return setIntKey(&f.ID, v, &f.obj) }
func (f *ForeignKey[T]) setObject(obj any) {
	if o, ok := obj.(*T); ok {
		f.obj = o
	}
}
func (f *ForeignKey[T]) object() any {
	if f.obj == nil {
		return nil
	}
	return f.obj
}

// ForeignKeyTo is a many-to-one relation to the model T whose key has the
// Go type K: T's primary key (a uuid.UUID, a string, an int64 that may be
// zero) or the field to_field names. Valid is false for NULL, so every value
// of K, "" and 0 included, is a key; FKTo sets both.
//
//	Branch  orm.ForeignKeyTo[Branch, uuid.UUID] `orm:"on_delete=cascade"`
//	Country orm.ForeignKeyTo[Country, string]   `orm:"on_delete=protect,null"`
//
//	loan.Branch = orm.FKTo[Branch](branch.ID)
type ForeignKeyTo[T any, K comparable] struct {
	ID    K
	Valid bool // false: the key is NULL
	obj   *T
}

// FKTo returns a foreign key pointing at the row of T whose key is id.
func FKTo[T any, K comparable](id K) ForeignKeyTo[T, K] {
	return ForeignKeyTo[T, K]{ID: id, Valid: true}
}

// Get returns the related object when a query loaded it (SelectRelated), and
// whether it did.
func (f ForeignKeyTo[T, K]) Get() (*T, bool) { return f.obj, f.obj != nil }

// IsNull reports whether the key points nowhere.
func (f ForeignKeyTo[T, K]) IsNull() bool { return !f.Valid }

func (ForeignKeyTo[T, K]) relatedType() reflect.Type { return reflect.TypeFor[T]() }
func (ForeignKeyTo[T, K]) keyType() reflect.Type     { return reflect.TypeFor[K]() }
func (ForeignKeyTo[T, K]) zeroIsNull() bool          { return false }
func (f *ForeignKeyTo[T, K]) key() (any, bool) {
	if !f.Valid {
		return nil, false
	}
	return f.ID, true
}
func (f *ForeignKeyTo[T, K]) setKey(v any) error { return setTypedKey(&f.ID, &f.Valid, v, &f.obj) }
func (f *ForeignKeyTo[T, K]) setObject(obj any) {
	if o, ok := obj.(*T); ok {
		f.obj = o
	}
}
func (f *ForeignKeyTo[T, K]) object() any {
	if f.obj == nil {
		return nil
	}
	return f.obj
}

// OneToOne is a one-to-one relation to the model T: a foreign key whose
// column is unique, Django's OneToOneField. The reverse relation gives one
// object rather than a set. A key of another type is a OneToOneTo.
type OneToOne[T any] struct {
	ID  int64
	obj *T
}

// O2O returns a one-to-one key pointing at the row of T with the given id.
func O2O[T any](id int64) OneToOne[T] { return OneToOne[T]{ID: id} }

// Get returns the related object when a query loaded it (SelectRelated), and
// whether it did.
func (f OneToOne[T]) Get() (*T, bool) { return f.obj, f.obj != nil }

// IsNull reports whether the key points nowhere.
func (f OneToOne[T]) IsNull() bool { return f.ID == 0 }

func (OneToOne[T]) relatedType() reflect.Type { return reflect.TypeFor[T]() }
func (OneToOne[T]) keyType() reflect.Type     { return int64Type }
func (OneToOne[T]) zeroIsNull() bool          { return true }
func (OneToOne[T]) oneToOne()                 {}
func (f *OneToOne[T]) key() (any, bool)       { return f.ID, f.ID != 0 }
func (f *OneToOne[T]) setKey(v any) error     { return setIntKey(&f.ID, v, &f.obj) }
func (f *OneToOne[T]) setObject(obj any) {
	if o, ok := obj.(*T); ok {
		f.obj = o
	}
}
func (f *OneToOne[T]) object() any {
	if f.obj == nil {
		return nil
	}
	return f.obj
}

// OneToOneTo is a one-to-one relation to the model T whose key has the Go
// type K, as ForeignKeyTo is a foreign key: Valid is false for NULL.
type OneToOneTo[T any, K comparable] struct {
	ID    K
	Valid bool // false: the key is NULL
	obj   *T
}

// O2OTo returns a one-to-one key pointing at the row of T whose key is id.
func O2OTo[T any, K comparable](id K) OneToOneTo[T, K] {
	return OneToOneTo[T, K]{ID: id, Valid: true}
}

// Get returns the related object when a query loaded it (SelectRelated), and
// whether it did.
func (f OneToOneTo[T, K]) Get() (*T, bool) { return f.obj, f.obj != nil }

// IsNull reports whether the key points nowhere.
func (f OneToOneTo[T, K]) IsNull() bool { return !f.Valid }

func (OneToOneTo[T, K]) relatedType() reflect.Type { return reflect.TypeFor[T]() }
func (OneToOneTo[T, K]) keyType() reflect.Type     { return reflect.TypeFor[K]() }
func (OneToOneTo[T, K]) zeroIsNull() bool          { return false }
func (OneToOneTo[T, K]) oneToOne()                 {}
func (f *OneToOneTo[T, K]) key() (any, bool) {
	if !f.Valid {
		return nil, false
	}
	return f.ID, true
}
func (f *OneToOneTo[T, K]) setKey(v any) error { return setTypedKey(&f.ID, &f.Valid, v, &f.obj) }
func (f *OneToOneTo[T, K]) setObject(obj any) {
	if o, ok := obj.(*T); ok {
		f.obj = o
	}
}
func (f *OneToOneTo[T, K]) object() any {
	if f.obj == nil {
		return nil
	}
	return f.obj
}

// setIntKey stores an integer key (nil is 0, NULL), forgetting the loaded
// object when the key changes.
func setIntKey[T any](id *int64, v any, obj **T) error {
	n := int64(0)
	if v != nil {
		var ok bool
		if n, ok = toInt64(v); !ok {
			return fmt.Errorf("cannot store %T in an integer key", v)
		}
	}
	if *id != n {
		*obj = nil
	}
	*id = n
	return nil
}

// setTypedKey stores a key of type K (nil is NULL), converting a value of
// another type with the same representation (a string into a named string
// type), forgetting the loaded object when the key changes.
func setTypedKey[K comparable, T any](id *K, valid *bool, v any, obj **T) error {
	if v == nil {
		var zero K
		if *valid {
			*obj = nil
		}
		*id, *valid = zero, false
		return nil
	}
	k, ok := v.(K)
	if !ok {
		rv, kt := reflect.ValueOf(v), reflect.TypeFor[K]()
		if !convertible(rv.Type(), kt) {
			return fmt.Errorf("cannot store %T in a key of type %s", v, kt)
		}
		conv := rv.Convert(kt)
		if !conv.Convert(rv.Type()).Equal(rv) {
			return fmt.Errorf("%v does not fit a key of type %s", v, kt)
		}
		k = conv.Interface().(K)
	}
	if !*valid || *id != k {
		*obj = nil
	}
	*id, *valid = k, true
	return nil
}

// ManyToMany is a many-to-many relation to the model T through a join table.
// IDs holds the related primary keys after DB.LoadM2M; DB.SetM2M writes them.
// Saving the owning object does not touch the relation. The join table is
// "<table>_<field>" (or db_table=NAME) unless the through=Model option
// names a model of its own, whose two foreign keys then hold the pairs.
// T's primary key is an integer; ManyToManyTo takes a key of any type.
//
// A relation of a model to itself is symmetrical, as Django's default is:
// its join table "<table>_<field>" has the columns from_<model>_id and
// to_<model>_id, each link is stored both ways, and it has no reverse side.
// Tagged symmetrical=false, a link is one row from the object to its
// target, and related_name names the way back:
//
//	Friends  orm.ManyToMany[Member] `orm:"blank"`
//	Sponsors orm.ManyToMany[Member] `orm:"blank,symmetrical=false,related_name=sponsored_members"`
type ManyToMany[T any] struct {
	IDs  []int64
	objs []*T
}

// Objects returns the related objects when a query loaded them
// (PrefetchRelated), in the related model's order, and whether it did.
func (m ManyToMany[T]) Objects() ([]*T, bool) { return m.objs, m.objs != nil }

func (ManyToMany[T]) relatedType() reflect.Type { return reflect.TypeFor[T]() }
func (ManyToMany[T]) keyType() reflect.Type     { return int64Type }
func (m *ManyToMany[T]) setKeys(keys []any) error {
	ids, err := typedKeys[int64](keys)
	if err != nil {
		return err
	}
	m.IDs, m.objs = ids, nil
	return nil
}
func (m *ManyToMany[T]) setObjects(objs []any) { m.objs = objectsOf[T](objs) }
func (m *ManyToMany[T]) keyList() any          { return m.IDs }

// ManyToManyTo is a many-to-many relation to the model T whose primary key
// has the Go type K (a uuid.UUID, a string…), as ManyToMany is for integer
// keys. IDs holds the related keys after DB.LoadM2MKeys; DB.SetM2MKeys
// writes them.
//
//	PreferredBranches orm.ManyToManyTo[Branch, uuid.UUID] `orm:"blank"`
type ManyToManyTo[T any, K comparable] struct {
	IDs  []K
	objs []*T
}

// Objects returns the related objects when a query loaded them
// (PrefetchRelated), in the related model's order, and whether it did.
func (m ManyToManyTo[T, K]) Objects() ([]*T, bool) { return m.objs, m.objs != nil }

func (ManyToManyTo[T, K]) relatedType() reflect.Type { return reflect.TypeFor[T]() }
func (ManyToManyTo[T, K]) keyType() reflect.Type     { return reflect.TypeFor[K]() }
func (m *ManyToManyTo[T, K]) setKeys(keys []any) error {
	ids, err := typedKeys[K](keys)
	if err != nil {
		return err
	}
	m.IDs, m.objs = ids, nil
	return nil
}
func (m *ManyToManyTo[T, K]) setObjects(objs []any) { m.objs = objectsOf[T](objs) }
func (m *ManyToManyTo[T, K]) keyList() any          { return m.IDs }

func objectsOf[T any](objs []any) []*T {
	out := make([]*T, 0, len(objs))
	for _, o := range objs {
		out = append(out, o.(*T))
	}
	return out
}

// typedKeys converts keys (as the key field normalizes them) into a []K.
func typedKeys[K comparable](keys []any) ([]K, error) {
	if keys == nil {
		return nil, nil
	}
	out := make([]K, 0, len(keys))
	for _, v := range keys {
		var k K
		var valid bool
		var obj *struct{}
		if err := setTypedKey(&k, &valid, v, &obj); err != nil {
			return nil, err
		}
		if !valid {
			return nil, fmt.Errorf("a many-to-many relation holds no NULL keys")
		}
		out = append(out, k)
	}
	return out, nil
}

// GenericForeignKey points at an object of any model, Django's
// contenttypes GenericForeignKey. It has no column: it names two fields of
// its model, a foreign key to the content type model (ct_field, default
// "content_type") and the object's primary key (fk_field, default
// "object_id", an integer or string field):
//
//	ContentType orm.ForeignKey[contenttype.ContentType] `orm:"on_delete=cascade"`
//	ObjectID    int64                                   `orm:"type=positive"`
//	Object      orm.GenericForeignKey                   `orm:"ct_field=content_type,fk_field=object_id"`
//
// DB.GenericObject loads the object and DB.SetGenericObject points the two
// fields at one. The content type model is any registered model with
// "app_label" and "model" string fields, such as contenttype.ContentType.
type GenericForeignKey struct {
	obj any
}

// Get returns the object DB.GenericObject or DB.SetGenericObject stored,
// and whether there is one.
func (g GenericForeignKey) Get() (any, bool) { return g.obj, g.obj != nil }

// relation is implemented by the relation types; keyType is the Go type
// of the key they hold.
type relation interface {
	relatedType() reflect.Type
	keyType() reflect.Type
}

// oneToOne marks OneToOne among the foreign keys.
type oneToOne interface{ oneToOne() }

// fkPointer is implemented by the pointers of the foreign key and
// one-to-one types. key gives the key and false for NULL; setKey takes a
// key as the key field normalizes it, or nil for NULL.
type fkPointer interface {
	key() (any, bool)
	setKey(any) error
	setObject(any)
	object() any
}

// zeroNuller is implemented by the integer relations whose zero key is
// NULL (ForeignKey, OneToOne), whose Field.Get gives 0 for NULL.
type zeroNuller interface{ zeroIsNull() bool }

// m2mPointer is implemented by *ManyToMany and *ManyToManyTo.
type m2mPointer interface {
	setKeys([]any) error
	setObjects([]any)
	keyList() any
}

var (
	relationType = reflect.TypeFor[relation]()
	fkPtrType    = reflect.TypeFor[fkPointer]()
	m2mPtrType   = reflect.TypeFor[m2mPointer]()
	oneToOneType = reflect.TypeFor[oneToOne]()
	genericType  = reflect.TypeFor[GenericForeignKey]()
	int64Type    = reflect.TypeFor[int64]()
)

package orm

import "reflect"

// ForeignKey is a many-to-one relation to the model T, stored as T's integer
// primary key in the column "<field>_id". The zero ID means NULL, which only
// a field tagged null accepts.
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
func (f *ForeignKey[T]) keyID() int64           { return f.ID }
func (f *ForeignKey[T]) setKey(id int64) {
	if f.ID != id {
		f.obj = nil
	}
	f.ID = id
}
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

// OneToOne is a one-to-one relation to the model T: a foreign key whose
// column is unique, Django's OneToOneField. The reverse relation gives one
// object rather than a set.
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
func (OneToOne[T]) oneToOne()                 {}
func (f *OneToOne[T]) keyID() int64           { return f.ID }
func (f *OneToOne[T]) setKey(id int64) {
	if f.ID != id {
		f.obj = nil
	}
	f.ID = id
}
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

// ManyToMany is a many-to-many relation to the model T through a join table.
// IDs holds the related primary keys after DB.LoadM2M; DB.SetM2M writes them.
// Saving the owning object does not touch the relation. The join table is
// "<table>_<field>" (or db_table=NAME) unless the through=Model option
// names a model of its own, whose two foreign keys then hold the pairs.
type ManyToMany[T any] struct {
	IDs  []int64
	objs []*T
}

// Objects returns the related objects when a query loaded them
// (PrefetchRelated), in the related model's order, and whether it did.
func (m ManyToMany[T]) Objects() ([]*T, bool) { return m.objs, m.objs != nil }

func (ManyToMany[T]) relatedType() reflect.Type { return reflect.TypeFor[T]() }
func (m *ManyToMany[T]) setIDs(ids []int64) {
	m.IDs = ids
	m.objs = nil
}
func (m *ManyToMany[T]) setObjects(objs []any) {
	m.objs = make([]*T, 0, len(objs))
	for _, o := range objs {
		m.objs = append(m.objs, o.(*T))
	}
}
func (m *ManyToMany[T]) ids() []int64 { return m.IDs }

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

// relation is implemented by ForeignKey, OneToOne and ManyToMany values.
type relation interface{ relatedType() reflect.Type }

// oneToOne marks OneToOne among the foreign keys.
type oneToOne interface{ oneToOne() }

// fkPointer is implemented by *ForeignKey and *OneToOne.
type fkPointer interface {
	keyID() int64
	setKey(int64)
	setObject(any)
	object() any
}

// m2mPointer is implemented by *ManyToMany.
type m2mPointer interface {
	setIDs([]int64)
	setObjects([]any)
	ids() []int64
}

var (
	relationType = reflect.TypeFor[relation]()
	fkPtrType    = reflect.TypeFor[fkPointer]()
	m2mPtrType   = reflect.TypeFor[m2mPointer]()
	oneToOneType = reflect.TypeFor[oneToOne]()
	genericType  = reflect.TypeFor[GenericForeignKey]()
)

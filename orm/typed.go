package orm

import (
	"context"
	"reflect"
)

// For returns a QuerySet over the model registered for the struct type T.
// When T is not registered, running the query reports it.
func For[T any](db *DB) QuerySet {
	m, err := db.reg.ModelOf(reflect.TypeFor[T]())
	if err != nil {
		return QuerySet{db: db, err: err, limit: -1}
	}
	return db.Query(m)
}

// All runs q and returns its objects as *T.
func All[T any](ctx context.Context, q QuerySet) ([]*T, error) {
	objs, err := q.All(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]*T, len(objs))
	for i, o := range objs {
		out[i] = o.(*T)
	}
	return out, nil
}

// Get runs q narrowed by exprs and returns its single object as *T.
func Get[T any](ctx context.Context, q QuerySet, exprs ...Expr) (*T, error) {
	obj, err := q.Get(ctx, exprs...)
	if err != nil {
		return nil, err
	}
	return obj.(*T), nil
}

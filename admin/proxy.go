package admin

import (
	"reflect"

	"github.com/staffroom/staffroom/orm"
)

// A proxy model's admin (Django's ModelAdmin of a proxy) has its own URLs,
// permissions, content type and log entries, and reads its rows through
// the proxy, so its default filter and GetQueryset decide what it shows;
// but the proxy's fields are its concrete model's (Field.Model is the
// concrete model), and what points at its objects, foreign keys and
// generic keys, points at the concrete model: the admin compares fields
// with Model.ConcreteModel() and hands inline formsets concreteObject.

// concreteObject returns obj, an object of m, as an object of m's
// concrete model: obj itself, or for a proxy a pointer to the concrete
// model's struct the proxy's struct embeds, sharing its fields.
func concreteObject(m *orm.Model, obj any) any {
	if obj == nil {
		return nil
	}
	for ; m.ProxyFor != nil; m = m.ProxyFor {
		v := reflect.ValueOf(obj).Elem()
		for i := 0; i < v.NumField(); i++ {
			if sf := v.Type().Field(i); sf.Anonymous && sf.Type == m.ProxyFor.Type() {
				obj = v.Field(i).Addr().Interface()
				break
			}
		}
	}
	return obj
}

package orm

// A proxy model is another Go type, and another model, over the table of
// a concrete model, Django's Meta.proxy: its struct embeds the concrete
// model's struct (without an orm tag) and declares no field of its own,
// and its Meta says Proxy. It has its own name, verbose names, ordering
// (the proxied model's when it declares none), content type and
// permissions, and may narrow every query with Meta.DefaultFilter,
// Django's custom default manager (a proxy of a proxy takes its parent's
// unless it sets one); Migrate makes no table for it.
//
//	type OverdueLoan struct{ Loan }
//
//	func (OverdueLoan) Meta() orm.Meta {
//		return orm.Meta{Proxy: true, Ordering: []string{"due_on"},
//			DefaultFilter: func() orm.Expr {
//				return orm.Q{"returned_at__isnull": true, "due_on__lt": today()}
//			}}
//	}

// ConcreteModel returns the model whose table holds m's rows: m itself,
// or for a proxy the concrete model it proxies (through other proxies),
// Django's _meta.concrete_model.
func (m *Model) ConcreteModel() *Model {
	for m.ProxyFor != nil {
		m = m.ProxyFor
	}
	return m
}

// IsProxy reports whether m is a proxy model.
func (m *Model) IsProxy() bool { return m.ProxyFor != nil }

// BaseQuery returns a QuerySet over every row of the model, without its
// Meta.DefaultFilter: Django's _base_manager.
func (db *DB) BaseQuery(m *Model) QuerySet {
	return QuerySet{db: db, model: m, limit: -1, valuesAt: -1}
}

// checkProxyMeta refuses the options a model may have only as a proxy,
// and those a proxy cannot have, when the model is described.
func (m *Model) checkProxyMeta() error {
	meta := m.Meta
	switch {
	case !meta.Proxy && meta.DefaultFilter != nil:
		return m.errorf("Meta.DefaultFilter narrows the queries of a proxy model: set Meta.Proxy")
	case !meta.Proxy:
		return nil
	case meta.Table != "" || len(meta.Indexes) > 0 || len(meta.UniqueTogether) > 0 || len(meta.IndexTogether) > 0:
		return m.errorf("a proxy model has no table of its own: drop Meta.Table, Indexes, UniqueTogether and IndexTogether")
	}
	return nil
}

// resolveProxies finds the model each proxy proxies, gives the proxy its
// table and checks that it declares the concrete model's fields and no
// other.
func (r *Registry) resolveProxies(models []*Model) error {
	for _, m := range models {
		if err := m.checkProxyMeta(); err != nil {
			return err
		}
		if !m.Meta.Proxy {
			continue
		}
		m.ProxyFor = nil
		for i := 0; i < m.typ.NumField() && m.ProxyFor == nil; i++ {
			// Two embedded models would give two primary keys, which
			// describing the struct refused already.
			sf := m.typ.Field(i)
			if _, tagged := sf.Tag.Lookup("orm"); sf.Anonymous && !tagged {
				m.ProxyFor = r.byType[sf.Type]
			}
		}
		if m.ProxyFor == nil {
			return m.errorf("a proxy model embeds the struct of a registered model, the one it proxies; %s embeds none", m.Name)
		}
	}
	for _, m := range models {
		if m.ProxyFor == nil {
			continue
		}
		concrete := m.ConcreteModel()
		if err := m.checkProxyFields(concrete); err != nil {
			return err
		}
		m.Table = concrete.Table
		// A proxy of a proxy takes its parent's ordering and default
		// filter unless it sets its own, as Django's inherits Meta.ordering
		// and the default manager.
		for p := m.ProxyFor; p != nil; p = p.ProxyFor {
			if len(m.Meta.Ordering) == 0 {
				m.Meta.Ordering = p.Meta.Ordering
			}
			if m.Meta.DefaultFilter == nil {
				m.Meta.DefaultFilter = p.Meta.DefaultFilter
			}
		}
	}
	return nil
}

// checkProxyFields checks the proxy m has exactly the fields of concrete.
func (m *Model) checkProxyFields(concrete *Model) error {
	for _, f := range m.Fields {
		cf := concrete.byName[f.Name]
		if cf == nil {
			return m.fieldErrorf(f, "a proxy model has its concrete model's fields only: %s has no field %s", concrete.Name, f.Name)
		}
		if cf.Column != f.Column || cf.Kind != f.Kind || cf.Null != f.Null || cf.PrimaryKey != f.PrimaryKey || cf.relatedType != f.relatedType || cf.goType != f.goType {
			return m.fieldErrorf(f, "a proxy model's field is its concrete model's: %s.%s differs", concrete.Name, cf.GoName)
		}
	}
	if len(m.Fields) != len(concrete.Fields) {
		return m.errorf("a proxy model has all its concrete model's fields: %d of %s's %d", len(m.Fields), concrete.Name, len(concrete.Fields))
	}
	return nil
}

// finishProxies makes the fields of each proxy its concrete model's, as
// Django's are (Model is the concrete model; relation targets, join tables
// and reverse names are the concrete fields'), at the proxy struct's own
// place, and gives the proxy the concrete model's reverse relations.
func (r *Registry) finishProxies(models []*Model) {
	for _, m := range models {
		if m.ProxyFor == nil {
			continue
		}
		concrete := m.ConcreteModel()
		for _, f := range m.Fields {
			own := *f
			*f = *concrete.byName[f.Name]
			f.index, f.goType, f.ptr = own.index, own.goType, own.ptr
		}
		m.Related = concrete.Related
	}
}

// fieldOf returns the field of m that reads f, a field of m's concrete
// model, from m's objects: f itself, or the proxy's field of the same
// name, at the proxy struct's place.
func (m *Model) fieldOf(f *Field) *Field {
	if m.ProxyFor == nil {
		return f
	}
	if own := m.byName[f.Name]; own != nil {
		return own
	}
	return f
}

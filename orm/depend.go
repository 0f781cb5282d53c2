package orm

// dependencyOrder returns models so that each comes after the models its
// foreign keys and many-to-many fields point at, keeping the given order
// where relations do not decide it. A cycle is broken where it is found,
// so every model appears once. Related models missing from the list are
// added before the models that need them; callers pass the registry's
// models and keep those they want.
func dependencyOrder(models []*Model) []*Model {
	const (
		visiting = 1
		done     = 2
	)
	state := make(map[*Model]int, len(models))
	out := make([]*Model, 0, len(models))
	var visit func(m *Model)
	visit = func(m *Model) {
		if state[m] != 0 {
			return
		}
		state[m] = visiting
		for _, f := range m.Fields {
			if f.IsRelation() && f.Related != nil && f.Related != m {
				visit(f.Related)
			}
		}
		state[m] = done
		out = append(out, m)
	}
	for _, m := range models {
		visit(m)
	}
	return out
}

// selfReferences returns the foreign keys of m that point at m itself.
func selfReferences(m *Model) []*Field {
	var out []*Field
	for _, f := range m.Fields {
		if f.Kind == KindForeignKey && f.Related == m {
			out = append(out, f)
		}
	}
	return out
}

package form

import "strings"

// msgInlineMismatch is Django's error for a hidden parent key that is not
// the parent's.
const msgInlineMismatch = "The inline value did not match the parent instance."

// addKeys adds the hidden fields a model formset's form carries: the
// primary key of its object (unless the key is a field of the form
// already) and, in an inline formset, the parent's key.
func (fs *ModelFormSet) addKeys(mf *ModelForm, initial bool) {
	pk := fs.model.PK
	if mf.field(pk.Name) == nil {
		mf.fields = append(mf.fields, fs.pkField(initial))
		delete(mf.initial, pk.Name)
		if !mf.adding {
			mf.initial[pk.Name] = []string{pkString(fs.model, mf.instance)}
		}
	}
	if fs.fk != nil {
		mf.fields = append(mf.fields, fs.fkField())
		key, _ := fs.parentKey()
		mf.initial[fs.fk.Name] = []string{key}
	}
}

// pkField is the hidden primary key of a form. An initial form's must
// name one of the formset's objects ("This field is required." when
// missing); an extra form's must be empty: any other value is "Select a
// valid choice. That choice is not one of the available choices."
func (fs *ModelFormSet) pkField(initial bool) *Field {
	pk := fs.model.PK
	f := &Field{Name: pk.Name, Label: pk.Label(), Widget: &Input{Type: "hidden"}, Model: pk, Format: formatAny, formsetKey: true}
	f.Clean = func(values []string) (any, error) {
		v := strings.TrimFunc(last(values), isSpace)
		switch {
		case v == "" && initial:
			return nil, ValidationError{msgRequired}
		case v == "":
			return nil, nil
		case !initial || fs.byPK[fs.pkKey(v)] == nil:
			return nil, ValidationError{msgInvalidModel}
		}
		return pk.Parse(v)
	}
	return f
}

// fkField is the hidden parent key of an inline form, Django's
// InlineForeignKeyField: empty or the parent's key, cleaning to the
// parent's key (nil while the parent is not saved).
func (fs *ModelFormSet) fkField() *Field {
	f := &Field{Name: fs.fk.Name, Label: fs.fk.Label(), Widget: &Input{Type: "hidden"}, Model: fs.fk, Format: formatAny, formsetKey: true}
	f.Clean = func(values []string) (any, error) {
		v := strings.TrimFunc(last(values), isSpace)
		key, saved := fs.parentKey()
		if v != "" && v != key {
			return nil, ValidationError{msgInlineMismatch}
		}
		if !saved {
			return nil, nil
		}
		return fs.fk.Parse(key)
	}
	return f
}

// parentKey returns the value an inline form's foreign key holds for the
// parent, as text, and whether the parent is saved (has one).
func (fs *ModelFormSet) parentKey() (string, bool) {
	if fs.defaultedParent() {
		return "", false
	}
	if l, ok := fs.link.(fkLink); ok {
		return l.key(fs.parent)
	}
	return fkLink{fk: fs.fk}.key(fs.parent)
}

// defaultedParent reports whether the parent of an inline formset is
// being added with a key its field's default gave it.
func (fs *ModelFormSet) defaultedParent() bool {
	if !fs.mopts.ParentAdding || fs.fk == nil {
		return false
	}
	target := fs.fk.KeyField()
	return target.HasDefault || target.DefaultFunc != nil
}

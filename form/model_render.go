package form

import "html/template"

// Render returns the whole form as Form.Render draws it, after loading
// what rendering needs from the database (see Fields); a database error
// is returned as the error.
func (mf *ModelForm) Render() (template.HTML, error) {
	fields := mf.Fields()
	if mf.err != nil {
		return "", mf.err
	}
	return mf.render(fields)
}

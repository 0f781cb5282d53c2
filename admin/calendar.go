package admin

import "github.com/staffroom/staffroom/orm"

// hasDateInputs reports whether the form shows an editable date, time or
// date-time field, for which the page loads calendar.js (the "Today" and
// "Now" shortcuts and the calendar).
func (af *AdminForm) hasDateInputs() bool {
	for _, fs := range af.Fieldsets {
		for _, l := range fs.Lines {
			for _, ff := range l.Fields {
				if ff.Bound == nil || ff.IsReadonly || ff.Bound.Field.Model == nil {
					continue
				}
				switch ff.Bound.Field.Model.Kind {
				case orm.KindDate, orm.KindTime, orm.KindDateTime:
					return true
				}
			}
		}
	}
	return false
}

package admin

import (
	"context"
	"fmt"
	"io/fs"
	"reflect"
	"sort"
	"strings"
)

// Level is how serious a CheckMessage is, Django's checks.Warning and
// checks.Error.
type Level int

// The levels: a warning is reported and tolerated; an error refuses the
// registration (and makes the check command fail).
const (
	LevelWarning Level = iota + 1
	LevelError
)

// String returns the level's heading word, "WARNING" or "ERROR".
func (l Level) String() string {
	if l == LevelError {
		return "ERROR"
	}
	return "WARNING"
}

// CheckMessage is one finding of the system checks, Django's
// CheckMessage: a stable ID (Django's where Django has the check,
// "admin.E108"; "staffroom.E005" for Staffroom's own), the model and the
// option it concerns, the offending value, what is wrong and a hint.
type CheckMessage struct {
	ID     string
	Level  Level
	Model  string // the model's label, "bookstore.Book"; "" for the site
	Option string // the option in Go spelling, "ListDisplay[0]"
	Value  string // the offending value, as written
	Msg    string
	Hint   string
}

// String formats the message as Django's check framework does:
// "bookstore.Book: (admin.E108) The value of ...", then the hint on its
// own indented line.
func (m CheckMessage) String() string {
	obj := m.Model
	if obj == "" {
		obj = "admin"
	}
	s := fmt.Sprintf("%s: (%s) %s", obj, m.ID, m.Msg)
	if m.Hint != "" {
		s += "\n\tHINT: " + m.Hint
	}
	return s
}

// Error implements error, so that one message can be returned as one.
func (m CheckMessage) Error() string { return m.String() }

// IsError reports whether the message is an error rather than a warning.
func (m CheckMessage) IsError() bool { return m.Level >= LevelError }

// CheckError is what Register returns for an admin whose options fail
// the checks: every message found, errors and warnings.
type CheckError struct {
	Model    string // the model's label
	Messages []CheckMessage
}

// Error names the model and lists every error-level message with its
// id, option and hint, one message after another.
func (e *CheckError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "admin: register %s:", e.Model)
	for _, m := range e.Messages {
		if !m.IsError() {
			continue
		}
		fmt.Fprintf(&b, " (%s) %s", m.ID, m.Msg)
		if m.Hint != "" {
			b.WriteString("\n\tHINT: " + m.Hint + "\n")
		}
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// checkError returns a *CheckError when msgs hold an error, else nil.
func checkError(model string, msgs []CheckMessage) error {
	for _, m := range msgs {
		if m.IsError() {
			return &CheckError{Model: model, Messages: msgs}
		}
	}
	return nil
}

// checker collects the messages of one admin. For an inline, prefix is
// "Inlines[2]." and the messages still name the parent model, whose
// admin holds the option.
type checker struct {
	site   *Site
	label  string // the model label messages name
	admin  string // the admin's type name, as Django's messages name it
	prefix string
	msgs   []CheckMessage
}

func (c *checker) add(level Level, id, option, value, hint, format string, args ...any) {
	c.msgs = append(c.msgs, CheckMessage{ID: id, Level: level, Model: c.label, Option: c.prefix + option,
		Value: value, Msg: fmt.Sprintf(format, args...), Hint: hint})
}

// errorf adds an error about option; the message is "The value of
// '<option>' " followed by what format says.
func (c *checker) errorf(id, option, value, hint, format string, args ...any) {
	c.add(LevelError, id, option, value, hint, "The value of '%s' %s", c.prefix+option, fmt.Sprintf(format, args...))
}

func (c *checker) warnf(id, option, value, hint, format string, args ...any) {
	c.add(LevelWarning, id, option, value, hint, "The value of '%s' %s", c.prefix+option, fmt.Sprintf(format, args...))
}

// Check runs the system checks on every option of the registered admin
// and returns what it finds, in option order; an unregistered admin has
// no model to check against and gives none. Register refuses an admin
// with an error-level message, so Check of a registered admin mostly
// reports warnings — but it checks the options not built yet too, which
// the check command reports even though Register refuses them.
func (a *ModelAdmin) Check() []CheckMessage {
	if a.site == nil || a.model == nil {
		return nil
	}
	c := &checker{site: a.site, label: a.model.Label(), admin: typeName(a.self)}
	c.checkForm(a.formOptions())
	c.checkListDisplay(a)
	c.checkListFilter(a)
	c.checkListQuery(a)
	c.checkListEditable(a)
	c.checkDateHierarchy(a)
	c.checkActions(a)
	c.checkInlines(a)
	c.checkTemplates(a)
	c.checkMedia(a)
	return c.msgs
}

// adminsByLabel returns the registered admins in the order of their
// model labels.
func (s *Site) adminsByLabel() []Admin {
	s.mu.Lock()
	admins := make([]Admin, 0, len(s.admins))
	for _, a := range s.admins {
		admins = append(admins, a)
	}
	s.mu.Unlock()
	sort.Slice(admins, func(i, j int) bool { return admins[i].base().model.Label() < admins[j].base().model.Label() })
	return admins
}

// Check runs the system checks of every registered admin, in the order
// of their model labels, and the site's own; see ModelAdmin.Check.
func (s *Site) Check() []CheckMessage {
	admins := s.adminsByLabel()
	msgs := s.checkOptions()
	for _, a := range admins {
		b := a.base()
		msgs = append(msgs, b.Check()...)
		msgs = append(msgs, b.checkBigRelations(context.Background())...)
	}
	return append(msgs, s.checkIndexes(context.Background())...)
}

// checkOptions checks the site's own options: the templates they name
// must be in the site's Templates.
func (s *Site) checkOptions() []CheckMessage {
	c := &checker{site: s}
	o := s.cfg.SiteOptions
	for _, t := range []struct{ option, name string }{
		{"IndexTemplate", o.IndexTemplate}, {"AppIndexTemplate", o.AppIndexTemplate},
		{"LoginTemplate", o.LoginTemplate}, {"LogoutTemplate", o.LogoutTemplate},
		{"PasswordChangeTemplate", o.PasswordChangeTemplate}, {"PasswordChangeDoneTemplate", o.PasswordChangeDoneTemplate},
	} {
		c.checkTemplate("staffroom.E012", t.option, t.name)
	}
	return c.msgs
}

// checkTemplates checks the admin's *Template options.
func (c *checker) checkTemplates(a *ModelAdmin) {
	for _, t := range []struct{ option, name string }{
		{"AddFormTemplate", a.AddFormTemplate}, {"ChangeFormTemplate", a.ChangeFormTemplate},
		{"ChangeListTemplate", a.ChangeListTemplate}, {"DeleteConfirmationTemplate", a.DeleteConfirmationTemplate},
		{"ObjectHistoryTemplate", a.ObjectHistoryTemplate},
		{"DeleteSelectedConfirmationTemplate", a.DeleteSelectedConfirmationTemplate},
		{"PopupResponseTemplate", a.PopupResponseTemplate},
	} {
		c.checkTemplate("staffroom.E011", t.option, t.name)
	}
}

// checkTemplate checks that a named template is among the site's
// Templates; parsing it is left to Register, which keeps the result.
func (c *checker) checkTemplate(id, option, name string) {
	if name == "" {
		return
	}
	user := c.site.tmpl.user
	switch {
	case user == nil:
		c.errorf(id, option, name, "Give the site Templates (staffroom.Config.Templates) holding the file, or remove the option.",
			"refers to the template '%s', but the site has no Templates to find it in.", name)
	default:
		if _, err := fs.Stat(user, name); err != nil {
			c.errorf(id, option, name, "Names are paths inside the site's Templates, e.g. 'admin/my_change_form.html'.",
				"refers to the template '%s', which is not in the site's Templates.", name)
		}
	}
}

// typeName returns the name of v's type without package or pointer,
// "BookAdmin".
func typeName(v any) string {
	t := reflect.TypeOf(v)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil {
		return "<nil>"
	}
	return t.Name()
}

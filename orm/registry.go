package orm

import (
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
)

// AppConfig declares an application: a named group of models, Django's
// AppConfig.
type AppConfig struct {
	Name        string // full name, e.g. "github.com/you/shop/catalog" or "django.contrib.auth"
	Label       string // short unique label used in table names and URLs; default: last part of Name
	VerboseName string // default: Label in title case
	Models      []any  // zero values or pointers of the model structs, e.g. Book{}
	// DefaultAutoField is the kind of the implicit primary key: an "ID
	// int64" (or int) field without a type option is a BigAutoField when
	// this is "" or "bigauto", an AutoField when it is "auto". Django's
	// class names ("BigAutoField", "django.db.models.AutoField") are
	// accepted too.
	DefaultAutoField string
	// Ready runs once when the registry is complete.
	Ready func(*Registry) error
}

// App is a registered application.
type App struct {
	Name             string
	Label            string
	VerboseName      string
	DefaultAutoField string // "auto" or "bigauto"
	Models           []*Model
	ready            func(*Registry) error
}

// Model returns the app's model with the given name, compared without case.
func (a *App) Model(name string) *Model {
	for _, m := range a.Models {
		if strings.EqualFold(m.Name, name) {
			return m
		}
	}
	return nil
}

// GetModel returns the app's model with the given name, compared without
// case, or an error wrapping ErrUnknownModel, as Django's
// AppConfig.get_model.
func (a *App) GetModel(name string) (*Model, error) {
	if m := a.Model(name); m != nil {
		return m, nil
	}
	return nil, fmt.Errorf("%w: app %q has no model %q", ErrUnknownModel, a.Label, name)
}

// Errors of the registry's lookups, Django's LookupError.
var (
	ErrUnknownApp   = errors.New("orm: no installed app with that label")
	ErrUnknownModel = errors.New("orm: no such model")
)

// Registry holds the installed apps and their models, Django's "apps".
// Register every app, then call Ready (Open does it) before querying.
type Registry struct {
	apps   []*App
	byType map[reflect.Type]*Model
	ready  bool
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{byType: map[reflect.Type]*Model{}}
}

// Register adds an app and describes its models. An invalid declaration
// fails here, with a message naming the app, the model, the field and the
// problem; problems with relations between models are found by Ready.
func (r *Registry) Register(cfg AppConfig) (*App, error) {
	if r.ready {
		return nil, fmt.Errorf("orm: register %s: the registry is already ready", cfg.Name)
	}
	app, err := r.newApp(cfg)
	if err != nil {
		return nil, err
	}
	for _, v := range parentModelsFirst(cfg.Models) {
		m, err := describe(app, reflect.TypeOf(v), r.byType)
		if err != nil {
			return nil, err
		}
		if r.byType[m.typ] != nil {
			return nil, fmt.Errorf("orm: register %s: model %s is already registered", app.Label, m.typ)
		}
		if app.Model(m.Name) != nil {
			return nil, fmt.Errorf("orm: register %s: two models named %s", app.Label, m.Name)
		}
		r.byType[m.typ] = m
		app.Models = append(app.Models, m)
	}
	r.apps = append(r.apps, app)
	return app, nil
}

// newApp checks an app's configuration and fills its defaults.
func (r *Registry) newApp(cfg AppConfig) (*App, error) {
	label := cfg.Label
	if label == "" {
		label = cfg.Name[strings.LastIndexAny(cfg.Name, "./")+1:]
	}
	if !validLabel(label) {
		return nil, fmt.Errorf("orm: register app %q: label %q must be letters, digits and underscores, not starting with a digit", cfg.Name, label)
	}
	if r.App(label) != nil {
		return nil, fmt.Errorf("orm: register app %q: label %q is already used", cfg.Name, label)
	}
	auto, err := parseAutoField(cfg.DefaultAutoField)
	if err != nil {
		return nil, fmt.Errorf("orm: register app %q: %w", cfg.Name, err)
	}
	app := &App{Name: cfg.Name, Label: label, VerboseName: cfg.VerboseName, DefaultAutoField: auto, ready: cfg.Ready}
	if app.VerboseName == "" {
		app.VerboseName = titleCase(strings.ReplaceAll(label, "_", " "))
	}
	if app.Name == "" {
		app.Name = label
	}
	if r.IsInstalled(app.Name) {
		return nil, fmt.Errorf("orm: register app %q: an app of that name is already registered", app.Name)
	}
	return app, nil
}

// parseAutoField reads AppConfig.DefaultAutoField.
func parseAutoField(s string) (string, error) {
	name := strings.ToLower(s[strings.LastIndex(s, ".")+1:])
	switch name {
	case "", "bigauto", "bigautofield":
		return "bigauto", nil
	case "auto", "autofield":
		return "auto", nil
	}
	return "", fmt.Errorf("DefaultAutoField %q: want \"auto\" or \"bigauto\"", s)
}

func validLabel(s string) bool {
	if s == "" || s[0] >= '0' && s[0] <= '9' {
		return false
	}
	for _, c := range s {
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

func titleCase(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		words[i] = Capfirst(strings.ToLower(w))
	}
	return strings.Join(words, " ")
}

// Ready resolves the relations between models — targets, to_field,
// through models, reverse names, generic foreign keys, limit_choices_to
// and orderings — and then runs the apps' Ready hooks, Django's
// apps.populate. An invalid relation fails with the same kind of message
// as Register. It is idempotent.
func (r *Registry) Ready() error {
	if r.ready {
		return nil
	}
	if err := r.resolveAll(); err != nil {
		return err
	}
	for _, m := range r.Models() {
		if err := m.checkNaturalKey(); err != nil {
			return err
		}
	}
	r.ready = true
	for _, app := range r.apps {
		if app.ready != nil {
			if err := app.ready(r); err != nil {
				return fmt.Errorf("orm: app %s ready: %w", app.Label, err)
			}
		}
	}
	return nil
}

// IsReady reports whether Ready has run.
func (r *Registry) IsReady() bool { return r.ready }

// Apps returns the registered apps in registration order.
func (r *Registry) Apps() []*App { return r.apps }

// GetAppConfigs returns the registered apps in registration order, as
// Django's apps.get_app_configs.
func (r *Registry) GetAppConfigs() []*App { return append([]*App(nil), r.apps...) }

// GetAppConfig returns the app with the given label, or an error wrapping
// ErrUnknownApp, as Django's apps.get_app_config.
func (r *Registry) GetAppConfig(label string) (*App, error) {
	if a := r.App(label); a != nil {
		return a, nil
	}
	return nil, fmt.Errorf("%w: %q", ErrUnknownApp, label)
}

// App returns the app with the given label, or nil.
func (r *Registry) App(label string) *App {
	for _, a := range r.apps {
		if a.Label == label {
			return a
		}
	}
	return nil
}

// IsInstalled reports whether an app with the given full name is registered.
func (r *Registry) IsInstalled(name string) bool {
	for _, a := range r.apps {
		if a.Name == name {
			return true
		}
	}
	return false
}

// GetModel finds a model by "app_label.ModelName", the model name compared
// without case, as Django's apps.get_model. A label without exactly one
// dot is an error; an unknown app or model gives an error wrapping
// ErrUnknownApp or ErrUnknownModel.
func (r *Registry) GetModel(label string) (*Model, error) {
	appLabel, name, ok := strings.Cut(label, ".")
	if !ok || appLabel == "" || name == "" || strings.Contains(name, ".") {
		return nil, fmt.Errorf("orm: model label %q must be of the form \"app_label.ModelName\"", label)
	}
	app := r.App(appLabel)
	if app == nil {
		for _, a := range r.apps {
			if strings.EqualFold(a.Label, appLabel) {
				app = a
			}
		}
	}
	if app == nil {
		return nil, fmt.Errorf("%w: %q", ErrUnknownApp, appLabel)
	}
	return app.GetModel(name)
}

// ErrNotModel is returned by ModelOf for a value whose type is not registered.
var ErrNotModel = errors.New("orm: not a registered model")

// ModelOf returns the model of a struct value, pointer or reflect.Type,
// or the join model a Through names.
func (r *Registry) ModelOf(v any) (*Model, error) {
	if t, ok := v.(Through); ok {
		return r.throughModelOf(t)
	}
	if t, ok := v.(*Through); ok && t != nil {
		return r.throughModelOf(*t)
	}
	t, ok := v.(reflect.Type)
	if !ok {
		t = reflect.TypeOf(v)
	}
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if m := r.byType[t]; m != nil {
		return m, nil
	}
	return nil, fmt.Errorf("%w: %v", ErrNotModel, t)
}

// Models returns every model, ordered by app then registration.
func (r *Registry) Models() []*Model {
	var out []*Model
	for _, a := range r.apps {
		out = append(out, a.Models...)
	}
	return out
}

// sortedFieldNames lists a model's field names, for error messages.
func (m *Model) sortedFieldNames() string {
	names := make([]string, 0, len(m.Fields)+len(m.Related))
	for _, f := range m.AllFields() {
		names = append(names, f.Name)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

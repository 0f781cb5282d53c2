package admin

// OnRender tells fn the name of every page template the site renders,
// for the test that every embedded template is reachable.
func OnRender(s *Site, fn func(page string)) { s.onRender = fn }

// PageNames lists the embedded page templates.
func PageNames() []string { return pageNames }

// TemplateFS is the embedded templates.
var TemplateFS = templateFS

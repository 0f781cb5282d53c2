// Package staffroom is the automatic admin site for Go: describe your models
// once, register them with an admin site, and trusted staff get a complete back
// office. This package wires the management commands (serve, check, migrate,
// createsuperuser, changepassword, clearsessions, seed, loaddata, dumpdata,
// inspectdb) for a project's own binary.
package staffroom

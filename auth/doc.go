// Package auth provides users, groups and permissions, Django's
// authentication backends and authenticate(), Django-compatible password
// hashing and validation, password reset tokens, and login throttling.
//
// An Auth is built once with New. Its Middleware makes the session's user
// available to handlers (UserFrom); Authenticate checks credentials against
// the configured backends; Login and Logout keep the session in step, as
// Django's login and logout do; HasPerm, HasPerms and HasModulePerms answer
// permission questions with Django's superuser and inactive-user rules.
package auth

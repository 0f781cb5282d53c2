// Package auth provides users, groups and permissions, Django's
// authentication backends and authenticate(), Django-compatible password
// hashing and validation, password reset tokens, and login throttling.
//
// An Auth is built once with New. Its Middleware makes the session's user
// available to handlers (UserFrom); Authenticate checks credentials against
// the configured backends; Login and Logout keep the session in step, as
// Django's login and logout do; HasPerm, HasPerms and HasModulePerms answer
// permission questions with Django's superuser and inactive-user rules.
//
// Passwords are hashed in Django's formats by the PasswordHashers of
// Config.Hashers, Django's PASSWORD_HASHERS: the first makes new hashes, and
// a correct login re-hashes a password stored with another algorithm or
// other parameters, as Django does. DefaultPasswordHashers follows Django
// 5.2; beside a Django project on the same database, use that project's
// release, DjangoHashers("3.2") for instance, or the text form that
// ParsePasswordHashers reads ("django:3.2"), so that neither side re-hashes
// what the other wrote, which would end the user's sessions on both.
package auth

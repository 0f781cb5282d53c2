// Package auth provides users, groups, permissions, authentication backends and Django-compatible password hashing.
package auth

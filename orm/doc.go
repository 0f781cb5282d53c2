// Package orm describes Go structs as database models and queries them.
//
// Models are plain structs registered once in a Registry, grouped into apps
// the way Django groups models. Reflection happens at registration: the
// result is a Model (table, fields, relations) that everything downstream
// reads. Queries are built with QuerySet, whose lookups follow Django's
// "field__lookup" syntax, and run through a Dialect so the same query works
// on each supported database.
//
// Table and column names default to Django's: "<app_label>_<model_name>" for
// tables, snake_case field names for columns, "<field>_id" for foreign keys
// and "<table>_<field>" for many-to-many tables. A database created by Django
// therefore opens as it is.
package orm

package orm

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// condition translates the WHERE clause of a partial index into the Go
// source of an orm.Q, the condition of a UniqueConstraint: comparisons
// of the model's columns with constants joined by AND, as Migrate
// writes them — "col" = 'x', IN (...), IS [NOT] NULL, <, <=, >, >=.
func (m *genModel) condition(where string) (string, error) {
	toks, err := sqlTokens(where)
	if err != nil {
		return "", err
	}
	for len(toks) > 2 && toks[0] == "(" && toks[len(toks)-1] == ")" && balanced(toks[1:len(toks)-1]) {
		toks = toks[1 : len(toks)-1]
	}
	terms := map[string]string{}
	for len(toks) > 0 {
		n, key, val, err := m.term(toks)
		if err != nil {
			return "", err
		}
		if _, dup := terms[key]; dup {
			return "", fmt.Errorf("%s is compared twice", key)
		}
		terms[key] = val
		toks = toks[n:]
		if len(toks) > 0 {
			if !strings.EqualFold(toks[0], "and") {
				return "", fmt.Errorf("want AND, not %s", toks[0])
			}
			toks = toks[1:]
		}
	}
	keys := make([]string, 0, len(terms))
	for k := range terms {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = strconv.Quote(k) + ": " + terms[k]
	}
	return "orm.Q{" + strings.Join(parts, ", ") + "}", nil
}

// balanced reports whether the parentheses of toks pair up.
func balanced(toks []string) bool {
	depth := 0
	for _, t := range toks {
		switch t {
		case "(":
			depth++
		case ")":
			if depth--; depth < 0 {
				return false
			}
		}
	}
	return depth == 0
}

var errCondition = errors.New("the orm cannot say it")

// sqlLookups are the orm's lookups of SQL's comparisons.
var sqlLookups = map[string]string{"=": "", "<": "__lt", "<=": "__lte", ">": "__gt", ">=": "__gte"}

// term reads one comparison at the start of toks: how many tokens it
// took, its Q key and the Go source of its value.
func (m *genModel) term(toks []string) (int, string, string, error) {
	if len(toks) < 3 {
		return 0, "", "", errCondition
	}
	field, ok := m.fields[unquoteIdent(toks[0])]
	if !ok {
		return 0, "", "", fmt.Errorf("%s is no field's column", toks[0])
	}
	op := strings.ToLower(toks[1])
	if l, ok := sqlLookups[op]; ok {
		v, err := goConstant(toks[2])
		return 3, field + l, v, err
	}
	switch {
	case op == "is" && strings.EqualFold(toks[2], "null"):
		return 3, field + "__isnull", "true", nil
	case op == "is" && len(toks) > 3 && strings.EqualFold(toks[2], "not") && strings.EqualFold(toks[3], "null"):
		return 4, field + "__isnull", "false", nil
	case op == "in" && toks[2] == "(":
		var vals []string
		kind := ""
		for i := 3; i < len(toks); i += 2 {
			v, err := goConstant(toks[i])
			if err != nil {
				return 0, "", "", err
			}
			k := "int"
			if strings.HasPrefix(v, `"`) {
				k = "string"
			}
			if kind != "" && k != kind {
				return 0, "", "", errors.New("IN mixes strings and numbers")
			}
			kind, vals = k, append(vals, v)
			if i+1 < len(toks) && toks[i+1] == ")" {
				return i + 2, field + "__in", "[]" + kind + "{" + strings.Join(vals, ", ") + "}", nil
			}
			if i+1 >= len(toks) || toks[i+1] != "," {
				break
			}
		}
	}
	return 0, "", "", errCondition
}

// goConstant is the Go source of an SQL constant: a string or an integer.
func goConstant(tok string) (string, error) {
	if strings.HasPrefix(tok, "'") {
		return strconv.Quote(strings.ReplaceAll(tok[1:len(tok)-1], "''", "'")), nil
	}
	if _, err := strconv.ParseInt(tok, 10, 64); err == nil {
		return tok, nil
	}
	switch strings.ToLower(tok) {
	case "true", "false":
		return strings.ToLower(tok), nil
	}
	return "", fmt.Errorf("%s is not a constant", tok)
}

// unquoteIdent removes an identifier's quotes.
func unquoteIdent(s string) string {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '`') && s[len(s)-1] == s[0] {
		q := string(s[0])
		return strings.ReplaceAll(s[1:len(s)-1], q+q, q)
	}
	return s
}

// sqlTokens splits a condition into quoted identifiers, strings, words,
// numbers and operators.
func sqlTokens(s string) ([]string, error) {
	var out []string
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '\'' || c == '"' || c == '`':
			j := i + 1
			for ; j < len(s); j++ {
				if s[j] == c {
					if j+1 < len(s) && s[j+1] == c {
						j++
						continue
					}
					break
				}
			}
			if j >= len(s) {
				return nil, errors.New("an unclosed quote")
			}
			out, i = append(out, s[i:j+1]), j+1
		case strings.ContainsRune("(),", rune(c)):
			out, i = append(out, string(c)), i+1
		case c == '<' || c == '>' || c == '=' || c == '!':
			j := i + 1
			if j < len(s) && (s[j] == '=' || s[j] == '>') {
				j++
			}
			out, i = append(out, s[i:j]), j
		case isIdentByte(c) || c == '-' || c == '.':
			j := i + 1
			for j < len(s) && (isIdentByte(s[j]) || s[j] == '.') {
				j++
			}
			out, i = append(out, s[i:j]), j
		default:
			return nil, fmt.Errorf("an unexpected %q", c)
		}
	}
	return out, nil
}

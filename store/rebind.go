package store

import (
	"context"
	"database/sql/driver"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/stdlib"
)

// rebind rewrites the store's ? placeholders as PostgreSQL's $1, $2, ...
// It skips string literals ('...'), quoted identifiers ("..."), dollar
// quotes ($tag$...$tag$) and comments, so a ? inside them stays. Queries
// are written once, with ?, for both engines; the PostgreSQL connections
// rewrite them (rebindConn), so store code, and files other engineers add,
// need no per-engine SQL for placeholders.
func rebind(q string) string {
	if strings.IndexByte(q, '?') < 0 {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); {
		c := q[i]
		switch {
		case c == '\'' || c == '"':
			j := i + 1
			for j < len(q) {
				if q[j] == c {
					if j+1 < len(q) && q[j+1] == c { // doubled quote
						j += 2
						continue
					}
					break
				}
				j++
			}
			j = min(j+1, len(q))
			b.WriteString(q[i:j])
			i = j
		case c == '-' && i+1 < len(q) && q[i+1] == '-':
			j := strings.IndexByte(q[i:], '\n')
			if j < 0 {
				j = len(q) - i
			}
			b.WriteString(q[i : i+j])
			i += j
		case c == '/' && i+1 < len(q) && q[i+1] == '*':
			j := strings.Index(q[i+2:], "*/")
			end := len(q)
			if j >= 0 {
				end = i + 2 + j + 2
			}
			b.WriteString(q[i:end])
			i = end
		case c == '$' && dollarTag(q[i:]) != "":
			tag := dollarTag(q[i:])
			j := strings.Index(q[i+len(tag):], tag)
			end := len(q)
			if j >= 0 {
				end = i + len(tag) + j + len(tag)
			}
			b.WriteString(q[i:end])
			i = end
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			i++
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

// dollarTag returns the dollar-quote opening at the start of s ($$ or
// $name$), or "" when s does not start with one ($1 is a parameter).
func dollarTag(s string) string {
	if len(s) < 2 || s[0] != '$' {
		return ""
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '$':
			return s[:i+1]
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || (i > 1 && c >= '0' && c <= '9'):
		default:
			return ""
		}
	}
	return ""
}

// rebindConnector opens pgx connections that rebind queries and store Go
// booleans as the 0/1 integers the schema keeps (as SQLite does).
type rebindConnector struct{ c driver.Connector }

func (rc rebindConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := rc.c.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &rebindConn{conn.(*stdlib.Conn)}, nil
}

func (rc rebindConnector) Driver() driver.Driver { return rc.c.Driver() }

// rebindConn is a pgx database/sql connection whose queries are rebound.
type rebindConn struct{ c *stdlib.Conn }

var (
	_ driver.ConnPrepareContext = (*rebindConn)(nil)
	_ driver.ConnBeginTx        = (*rebindConn)(nil)
	_ driver.ExecerContext      = (*rebindConn)(nil)
	_ driver.QueryerContext     = (*rebindConn)(nil)
	_ driver.Pinger             = (*rebindConn)(nil)
	_ driver.NamedValueChecker  = (*rebindConn)(nil)
	_ driver.SessionResetter    = (*rebindConn)(nil)
)

func (c *rebindConn) Prepare(q string) (driver.Stmt, error) { return c.c.Prepare(rebind(q)) }
func (c *rebindConn) PrepareContext(ctx context.Context, q string) (driver.Stmt, error) {
	return c.c.PrepareContext(ctx, rebind(q))
}
func (c *rebindConn) Close() error { return c.c.Close() }

func (c *rebindConn) Begin() (driver.Tx, error) {
	return c.c.BeginTx(context.Background(), driver.TxOptions{})
}
func (c *rebindConn) BeginTx(ctx context.Context, o driver.TxOptions) (driver.Tx, error) {
	return c.c.BeginTx(ctx, o)
}
func (c *rebindConn) ExecContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	return c.c.ExecContext(ctx, rebind(q), args)
}
func (c *rebindConn) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	return c.c.QueryContext(ctx, rebind(q), args)
}
func (c *rebindConn) Ping(ctx context.Context) error         { return c.c.Ping(ctx) }
func (c *rebindConn) ResetSession(ctx context.Context) error { return c.c.ResetSession(ctx) }
func (c *rebindConn) CheckNamedValue(nv *driver.NamedValue) error {
	// The schema keeps flags as 0/1 integers on both engines; pgx
	// would refuse a Go bool for an integer column.
	if b, ok := nv.Value.(bool); ok {
		nv.Value = int64(0)
		if b {
			nv.Value = int64(1)
		}
	}
	return c.c.CheckNamedValue(nv)
}

package discord

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/binary"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/url"

	"github.com/gorilla/websocket"
)

// discordgo answers every INVALID_SESSION (op 9) by identifying again,
// even when Discord says the session may be resumed (d: true): the events
// missed meanwhile are then lost. discordgo resumes after a broken
// connection, so the adapter turns a resumable op 9 into one: the gateway
// connection is wrapped so that it reads the frames as they arrive, and a
// resumable op 9 closes the connection instead of reaching discordgo,
// which then reconnects and resumes. The TCP connection is closed without
// a close frame: a normal closure would end the session on Discord's side.

// errResumableInvalidSession is what the gateway connection reports when
// it cut itself off at a resumable op 9.
var errResumableInvalidSession = errors.New("discord gateway: session invalidated but resumable; reconnecting to resume")

// maxWatchedFrame is the largest text frame looked at: an op 9 is a few
// dozen bytes; larger frames pass through untouched.
const maxWatchedFrame = 512

// gatewayDialer returns a copy of d whose connections watch for a
// resumable op 9 and call resume, which says whether to cut the connection
// to resume (true) or let discordgo identify (false); nil always resumes.
// With a proxy configured the TLS connection is the
// proxy's, so d is returned unchanged (a resumable op 9 then re-identifies,
// as discordgo does).
func gatewayDialer(d *websocket.Dialer, resume func() bool) *websocket.Dialer {
	if d == nil {
		d = websocket.DefaultDialer
	}
	if d.Proxy != nil {
		if u, err := d.Proxy(&http.Request{URL: &url.URL{Scheme: "https", Host: "gateway.discord.gg"}}); err != nil || u != nil {
			return d
		}
	}
	if d.NetDialContext != nil || d.NetDial != nil || d.NetDialTLSContext != nil {
		return d
	}
	wrapped := *d
	var dialer net.Dialer
	wrapped.NetDialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := dialer.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return &gatewayConn{Conn: c, resume: resume}, nil
	}
	tlsConfig := d.TLSClientConfig
	wrapped.NetDialTLSContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, _, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, err
		}
		cfg := &tls.Config{MinVersion: tls.VersionTLS12}
		if tlsConfig != nil {
			cfg = tlsConfig.Clone()
		}
		if cfg.ServerName == "" {
			cfg.ServerName = host
		}
		td := tls.Dialer{NetDialer: &dialer, Config: cfg}
		c, err := td.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return &gatewayConn{Conn: c, resume: resume}, nil
	}
	return &wrapped
}

// gatewayConn passes through the bytes of a gateway connection (the HTTP
// upgrade response, then WebSocket frames from the server, which are never
// masked) while watching small text frames for a resumable op 9. Only
// gorilla's reader goroutine calls Read.
type gatewayConn struct {
	net.Conn
	resume func() bool

	buf      [16 << 10]byte
	raw      []byte // read from the connection, not yet passed on
	out      []byte // ready to pass on
	upgraded bool   // the HTTP response has passed
	rest     uint64 // payload bytes of the current frame still to pass on
	readErr  error  // the connection's error, once raw is passed on
	cut      bool   // a resumable op 9 came: nothing more is passed on
}

func (c *gatewayConn) Read(p []byte) (int, error) {
	for {
		if len(c.out) > 0 {
			n := copy(p, c.out)
			c.out = c.out[n:]
			return n, nil
		}
		if c.cut {
			return 0, errResumableInvalidSession
		}
		if c.step() {
			continue
		}
		if c.readErr != nil {
			if len(c.raw) > 0 { // an incomplete frame: let gorilla see it end
				c.out, c.raw = c.raw, nil
				continue
			}
			return 0, c.readErr
		}
		n, err := c.Conn.Read(c.buf[:])
		c.raw = append(c.raw, c.buf[:n]...)
		c.readErr = err
	}
}

// step moves what it can from raw to out and reports whether it did.
func (c *gatewayConn) step() bool {
	if !c.upgraded {
		i := bytes.Index(c.raw, []byte("\r\n\r\n"))
		if i < 0 {
			return false
		}
		c.pass(i + 4)
		c.upgraded = true
		return true
	}
	if c.rest > 0 {
		if len(c.raw) == 0 {
			return false
		}
		n := uint64(len(c.raw))
		if n > c.rest {
			n = c.rest
		}
		c.pass(int(n))
		c.rest -= n
		return true
	}
	if len(c.raw) < 2 {
		return false
	}
	fin, opcode, masked := c.raw[0]&0x80 != 0, c.raw[0]&0x0f, c.raw[1]&0x80 != 0
	size, head := uint64(c.raw[1]&0x7f), 2
	switch size {
	case 126:
		if len(c.raw) < 4 {
			return false
		}
		size, head = uint64(binary.BigEndian.Uint16(c.raw[2:4])), 4
	case 127:
		if len(c.raw) < 10 {
			return false
		}
		size, head = binary.BigEndian.Uint64(c.raw[2:10]), 10
	}
	if masked {
		head += 4
	}
	if len(c.raw) < head {
		return false
	}
	if opcode == websocket.TextMessage && fin && !masked && size <= maxWatchedFrame {
		if len(c.raw) < head+int(size) {
			return false
		}
		if resumableInvalidSession(c.raw[head:head+int(size)]) && (c.resume == nil || c.resume()) {
			c.cut = true
			c.raw = nil
			// Without a close frame: a normal closure would end the session.
			c.Conn.Close()
			return true
		}
		c.pass(head + int(size))
		return true
	}
	c.pass(head)
	c.rest = size
	return true
}

// pass moves the first n bytes of raw to out.
func (c *gatewayConn) pass(n int) {
	c.out = append(c.out, c.raw[:n]...)
	c.raw = c.raw[n:]
}

// resumableInvalidSession reports whether a gateway payload is op 9 with
// d: true.
func resumableInvalidSession(payload []byte) bool {
	if !bytes.Contains(payload, []byte(`9`)) {
		return false
	}
	var p struct {
		Op int             `json:"op"`
		D  json.RawMessage `json:"d"`
	}
	if json.Unmarshal(payload, &p) != nil || p.Op != 9 {
		return false
	}
	return string(bytes.TrimSpace(p.D)) == "true"
}

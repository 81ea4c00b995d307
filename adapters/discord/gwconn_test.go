package discord

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/gorilla/websocket"
)

// frame builds a server WebSocket frame (never masked).
func frame(opcode byte, payload []byte) []byte {
	b := []byte{0x80 | opcode}
	switch n := len(payload); {
	case n < 126:
		b = append(b, byte(n))
	case n <= 0xffff:
		b = append(b, 126, 0, 0)
		binary.BigEndian.PutUint16(b[2:], uint16(n))
	default:
		b = append(b, 127, 0, 0, 0, 0, 0, 0, 0, 0)
		binary.BigEndian.PutUint64(b[2:], uint64(n))
	}
	return append(b, payload...)
}

// trickle is a connection that returns at most n bytes a read.
type trickle struct {
	net.Conn
	r      io.Reader
	n      int
	closed bool
}

func (t *trickle) Read(p []byte) (int, error) {
	if len(p) > t.n {
		p = p[:t.n]
	}
	return t.r.Read(p)
}

func (t *trickle) Close() error { t.closed = true; return nil }

func TestGatewayConnCutsAResumableInvalidSession(t *testing.T) {
	upgrade := []byte("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
	before := bytes.Join([][]byte{
		upgrade,
		frame(1, []byte(`{"op":10,"d":{"heartbeat_interval":41250}}`)),
		frame(1, []byte(`{"op":0,"s":1,"t":"MESSAGE_CREATE","d":{"content":"op 9 d true"}}`)), // mentions it, is not it
		frame(1, []byte(strings.Repeat("x", 300))),
		frame(2, bytes.Repeat([]byte{9}, 70000)),
		frame(1, []byte(`{"op":9,"d":false}`)), // not resumable: discordgo identifies
		frame(9, []byte(`{"op":9,"d":true}`)),  // a WebSocket ping, not Discord's op 9
	}, nil)
	after := frame(1, []byte(`{"op":0,"s":2,"t":"READY","d":{}}`))
	stream := bytes.Join([][]byte{before, frame(1, []byte(`{"t":null,"s":null,"op":9,"d":true}`)), after}, nil)
	for _, size := range []int{1, 2, 3, 7, 100, 1 << 20} {
		t.Run(fmt.Sprintf("read %d bytes at a time, the op 9 is cut and nothing after it passes", size), func(t *testing.T) {
			under := &trickle{r: bytes.NewReader(stream), n: size}
			resumed := 0
			c := &gatewayConn{Conn: under, resume: func() bool { resumed++; return true }}
			got, err := io.ReadAll(c)
			if !errors.Is(err, errResumableInvalidSession) {
				t.Fatalf("err = %v, want the resumable invalid session", err)
			}
			if !bytes.Equal(got, before) {
				t.Errorf("passed %d bytes, want the %d before the op 9 exactly", len(got), len(before))
			}
			if resumed != 1 || !under.closed {
				t.Errorf("resumed %d times, connection closed %v: want once, closed", resumed, under.closed)
			}
		})
	}
	t.Run("a resumable op 9 is let through when resuming is given up", func(t *testing.T) {
		c := &gatewayConn{Conn: &trickle{r: bytes.NewReader(stream), n: 64}, resume: func() bool { return false }}
		got, err := io.ReadAll(c)
		if err != nil || !bytes.Equal(got, stream) {
			t.Errorf("got %d bytes, err %v; want all %d", len(got), err, len(stream))
		}
	})
	t.Run("a connection without op 9 passes every byte, then its end", func(t *testing.T) {
		c := &gatewayConn{Conn: &trickle{r: bytes.NewReader(before), n: 5}}
		got, err := io.ReadAll(c)
		if err != nil || !bytes.Equal(got, before) {
			t.Errorf("got %d bytes, err %v; want all %d", len(got), err, len(before))
		}
	})
}

func TestGatewayDialerOverTLS(t *testing.T) {
	// The real gateway is wss://: the dialer does the TLS handshake itself
	// so that it can watch the decrypted frames.
	upgrader := websocket.Upgrader{}
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := upgrader.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer ws.Close()
		ws.WriteMessage(websocket.TextMessage, []byte(`{"op":10,"d":{"heartbeat_interval":1000}}`))
		ws.WriteMessage(websocket.TextMessage, []byte(`{"op":9,"d":true}`))
		ws.WriteMessage(websocket.TextMessage, []byte(`{"op":0,"t":"NEVER_SEEN"}`))
		ws.ReadMessage() // until the client goes
	}))
	defer srv.Close()
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	resumed := make(chan struct{}, 1)
	d := gatewayDialer(&websocket.Dialer{TLSClientConfig: &tls.Config{RootCAs: pool}}, func() bool { resumed <- struct{}{}; return true })
	ws, _, err := d.Dial("wss"+strings.TrimPrefix(srv.URL, "https"), nil)
	if err != nil {
		t.Fatalf("dial over TLS: %v", err)
	}
	defer ws.Close()
	if _, msg, err := ws.ReadMessage(); err != nil || !strings.Contains(string(msg), `"op":10`) {
		t.Fatalf("first message %q, %v: want HELLO", msg, err)
	}
	if _, msg, err := ws.ReadMessage(); err == nil {
		t.Fatalf("read %q after a resumable op 9, want the connection cut", msg)
	}
	select {
	case <-resumed:
	default:
		t.Errorf("the resumable op 9 was not reported")
	}

	t.Run("a dialer with a proxy is left alone", func(t *testing.T) {
		proxied := &websocket.Dialer{Proxy: func(*http.Request) (*url.URL, error) { return url.Parse("http://proxy.example:3128") }}
		if got := gatewayDialer(proxied, nil); got != proxied {
			t.Errorf("the proxied dialer was wrapped")
		}
	})
	t.Run("the shared default dialer is copied, not changed", func(t *testing.T) {
		before := *websocket.DefaultDialer
		gatewayDialer(websocket.DefaultDialer, nil)
		if websocket.DefaultDialer.NetDialContext != nil || websocket.DefaultDialer.NetDialTLSContext != nil || before.HandshakeTimeout != websocket.DefaultDialer.HandshakeTimeout {
			t.Errorf("websocket.DefaultDialer was modified")
		}
	})
}

func TestResumingIsGivenUpAfterRepeatedRefusals(t *testing.T) {
	a := &Adapter{log: slog.New(slog.DiscardHandler)}
	var got []bool
	for range maxResumeTries + 2 {
		got = append(got, a.tryResume())
	}
	want := []bool{true, true, true, false, true}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("resume decisions %v, want %v: resume %d times, then identify, then start counting again", got, want, maxResumeTries)
	}
}

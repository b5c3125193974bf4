package server

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/skip2/go-qrcode"

	"defus.de/portal/internal/defus"
)

// The second factor's secrets are stored sealed with AES-256-GCM under a
// key derived from FORM_SECRET, bound to their account (the account id is
// the additional data): a copy of the database alone gives no secret, and
// a sealed secret copied to another account does not open. Recovery codes
// are stored as HMACs under another derived key. A new FORM_SECRET
// therefore switches every second factor off in effect: the admins then
// reset them (see README).

func (s *Server) totpCipher() cipher.AEAD {
	block, err := aes.NewCipher(deriveKey(s.cfg.FormSecret, "totp-secret")) // 32 bytes: AES-256
	if err != nil {
		panic(err) // a 32-byte key is always accepted
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		panic(err)
	}
	return aead
}

func accountAD(userID int64) []byte { return []byte("totp\x00" + strconv.FormatInt(userID, 10)) }

// sealTOTP seals secret for account userID.
func (s *Server) sealTOTP(secret []byte, userID int64) []byte {
	aead := s.totpCipher()
	nonce := make([]byte, aead.NonceSize())
	rand.Read(nonce)
	return aead.Seal(nonce, nonce, secret, accountAD(userID))
}

// openTOTP opens a secret sealed by sealTOTP for account userID.
func (s *Server) openTOTP(sealed []byte, userID int64) ([]byte, error) {
	aead := s.totpCipher()
	if len(sealed) < aead.NonceSize() {
		return nil, errors.New("sealed second factor too short")
	}
	return aead.Open(nil, sealed[:aead.NonceSize()], sealed[aead.NonceSize():], accountAD(userID))
}

// recoveryHash is the stored form of a recovery code.
func (s *Server) recoveryHash(code string) []byte {
	return defus.HashRecoveryCode(deriveKey(s.cfg.FormSecret, "recovery-codes"), code)
}

// qrSVG draws text as a QR code in SVG, one path of unit squares with a
// quiet zone of four modules, to be scaled by the page. The QR encoding is
// github.com/skip2/go-qrcode's: error correction, masking and version
// choice are a standard's worth of work that a kept library does right.
func qrSVG(text string) (string, error) {
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		return "", fmt.Errorf("qr code: %w", err)
	}
	q.DisableBorder = true
	bits := q.Bitmap()
	const quiet = 4
	n := len(bits) + 2*quiet
	var b strings.Builder
	for y, row := range bits {
		for x, dark := range row {
			if dark {
				fmt.Fprintf(&b, "M%d %dh1v1h-1z", x+quiet, y+quiet)
			}
		}
	}
	return fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="240" height="240" role="img" aria-labelledby="qr-title" shape-rendering="crispEdges">`+
		`<title id="qr-title">QR-Code zum Einrichten der Authenticator-App</title><rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="%s"/></svg>`,
		n, n, n, n, b.String()), nil
}

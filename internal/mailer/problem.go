package mailer

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/textproto"

	"defus.de/portal/internal/defus"
)

// SendStep is the part of the SMTP conversation in which a delivery failed.
type SendStep string

// The steps of a delivery, in order.
const (
	StepConnect   SendStep = "connect"
	StepGreeting  SendStep = "greeting"
	StepTLS       SendStep = "starttls"
	StepLogin     SendStep = "auth"
	StepAddress   SendStep = "address" // before MAIL FROM: an address the server cannot take
	StepSender    SendStep = "mail"
	StepRecipient SendStep = "rcpt"
	StepData      SendStep = "data"
)

// SendError is a failed delivery: the step it failed in and the error as the
// network or the server gave it. The store keeps the error's text for the
// technically minded and its MailProblem for the office.
type SendError struct {
	Step SendStep
	Err  error
}

func (e *SendError) Error() string { return e.Err.Error() }
func (e *SendError) Unwrap() error { return e.Err }

// MailProblem tells from the step and the server's reply code why the
// delivery failed. A refused login is for the technician whatever its code;
// otherwise a 4xx reply is temporary wherever it comes, and a 5xx reply is
// about what the step sent (the sender, the recipient, the message).
func (e *SendError) MailProblem() defus.MailProblem {
	var reply *textproto.Error
	isReply := errors.As(e.Err, &reply)
	var netErr net.Error
	timeout := errors.As(e.Err, &netErr) && netErr.Timeout()
	switch {
	case e.Step == StepConnect:
		return defus.ProblemUnreachable
	case timeout:
		return defus.ProblemTimeout
	case e.Step == StepAddress:
		return defus.ProblemAddress
	case e.Step == StepLogin:
		return defus.ProblemLogin // refused for now or for good, the setting is to be checked
	case isTLSError(e.Err):
		return defus.ProblemTLS
	case isReply && reply.Code >= 400 && reply.Code < 500:
		return defus.ProblemTemporary
	}
	switch e.Step {
	case StepTLS:
		return defus.ProblemTLS
	case StepSender:
		if isReply {
			return defus.ProblemSender
		}
	case StepRecipient:
		if isReply {
			return defus.ProblemRecipient
		}
	case StepData:
		if isReply {
			return defus.ProblemContent
		}
	case StepGreeting:
		if isReply {
			return defus.ProblemTemporary // 554: no service here now
		}
		return defus.ProblemUnreachable
	}
	return defus.ProblemOther
}

// isTLSError reports whether err comes from the TLS handshake: a certificate
// the server's name or the roots do not cover, or no common TLS version.
func isTLSError(err error) bool {
	var unknown x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	var verify *tls.CertificateVerificationError
	var alert tls.AlertError
	var header tls.RecordHeaderError
	return errors.As(err, &unknown) || errors.As(err, &hostname) || errors.As(err, &invalid) ||
		errors.As(err, &verify) || errors.As(err, &alert) || errors.As(err, &header)
}

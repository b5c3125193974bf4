// Package config reads the portal's settings from the environment. Every
// setting has its default and its error message here, and nowhere else.
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"defus.de/portal/internal/defus"
)

// Config holds every setting of the portal.
type Config struct {
	DatabaseURL  string     // DATABASE_URL
	Addr         string     // ADDR
	BaseURL      *url.URL   // BASE_URL, absolute, no trailing slash in String()
	CookieSecure bool       // COOKIE_SECURE, default: BASE_URL is https
	SMTPURL      *url.URL   // SMTP_URL, nil when mail stays queued
	OfficeEmail  string     // OFFICE_EMAIL
	LogLevel     slog.Level // LOG_LEVEL

	EnquiryRetentionDays int    // ENQUIRY_RETENTION_DAYS: closed enquiries are deleted this long after closing
	FormSecret           []byte // FORM_SECRET: signs the time stamp in public forms; same on every instance
	FormSecretIsDefault  bool   // FORM_SECRET was not set; serve warns

	ShutdownTimeout    time.Duration  // SHUTDOWN_TIMEOUT: how long serve lets running requests finish after SIGTERM
	TrustedProxies     []netip.Prefix // TRUSTED_PROXIES: reverse proxies whose X-Forwarded-For is believed
	DBMaxConns         int32          // DB_MAX_CONNS; 0: pool_max_conns in DATABASE_URL decides
	DBStatementTimeout time.Duration  // DB_STATEMENT_TIMEOUT; 0: none
	RequestTimeout     time.Duration  // REQUEST_TIMEOUT: deadline of one web request

	// Registrations of past events are deleted this many months after the
	// event; those who attended are kept for their certificates this many.
	RegistrationRetentionMonths int  // REGISTRATION_RETENTION_MONTHS, default 12
	CertificateRetentionMonths  int  // CERTIFICATE_RETENTION_MONTHS, default 60
	RequireTwoFactor            bool // REQUIRE_TWO_FACTOR: admins and editors must log in with a second factor
}

// DevFormSecret is FORM_SECRET when none is set: fine for development, but
// anyone who reads the source could forge form time stamps with it.
const DevFormSecret = "defus-development-form-secret-not-for-production"

// DefaultDatabaseURL is used when DATABASE_URL is not set.
const DefaultDatabaseURL = "postgres://postgres@localhost:5432/defus?sslmode=disable"

// Load reads the settings through getenv. The error names the setting at fault
// in one line, so the binary can stop with it.
func Load(getenv func(string) string) (*Config, error) {
	get := func(key, def string) string {
		if v := strings.TrimSpace(getenv(key)); v != "" {
			return v
		}
		return def
	}
	c := &Config{
		DatabaseURL: get("DATABASE_URL", DefaultDatabaseURL),
		Addr:        get("ADDR", ":8080"),
		OfficeEmail: get("OFFICE_EMAIL", "defus@defus.de"),
	}

	if u, err := url.Parse(c.DatabaseURL); err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return nil, fmt.Errorf("DATABASE_URL: want a postgres:// URL, got %q", c.DatabaseURL)
	}
	if _, port, ok := strings.Cut(c.Addr, ":"); !ok || port == "" {
		return nil, fmt.Errorf("ADDR: want host:port such as :8080, got %q", c.Addr)
	} else if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return nil, fmt.Errorf("ADDR: port %q is not a number between 0 and 65535", port)
	}

	base := strings.TrimRight(get("BASE_URL", "http://localhost:8080"), "/")
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("BASE_URL: want an absolute http(s) URL such as https://www.defus.de, got %q", base)
	}
	c.BaseURL = u

	c.CookieSecure = u.Scheme == "https"
	if v := get("COOKIE_SECURE", ""); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return nil, fmt.Errorf("COOKIE_SECURE: want true or false, got %q", v)
		}
		c.CookieSecure = b
	}

	if v := get("REQUIRE_TWO_FACTOR", ""); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return nil, fmt.Errorf("REQUIRE_TWO_FACTOR: want true or false, got %q", v)
		}
		c.RequireTwoFactor = b
	}

	if v := get("SMTP_URL", ""); v != "" {
		su, err := url.Parse(v)
		if err != nil || (su.Scheme != "smtp" && su.Scheme != "smtps") || su.Hostname() == "" {
			return nil, fmt.Errorf("SMTP_URL: want smtp://user:pass@host:587 or smtps://…, got an unusable value")
		}
		c.SMTPURL = su
	}

	if !defus.ValidEmail(c.OfficeEmail) {
		return nil, fmt.Errorf("OFFICE_EMAIL: want a plain e-mail address without umlauts before the @, got %q", c.OfficeEmail)
	}

	days := get("ENQUIRY_RETENTION_DAYS", "365")
	n, err := strconv.Atoi(days)
	if err != nil || n < 1 || n > 3650 {
		return nil, fmt.Errorf("ENQUIRY_RETENTION_DAYS: want a whole number of days between 1 and 3650, got %q", days)
	}
	c.EnquiryRetentionDays = n

	for _, m := range []struct {
		key, def string
		into     *int
	}{
		{"REGISTRATION_RETENTION_MONTHS", "12", &c.RegistrationRetentionMonths},
		{"CERTIFICATE_RETENTION_MONTHS", "60", &c.CertificateRetentionMonths},
	} {
		v := get(m.key, m.def)
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 240 {
			return nil, fmt.Errorf("%s: want a whole number of months between 1 and 240, got %q", m.key, v)
		}
		*m.into = n
	}
	if c.CertificateRetentionMonths < c.RegistrationRetentionMonths {
		return nil, fmt.Errorf("CERTIFICATE_RETENTION_MONTHS: want at least REGISTRATION_RETENTION_MONTHS (%d), got %d",
			c.RegistrationRetentionMonths, c.CertificateRetentionMonths)
	}

	secret := get("FORM_SECRET", "")
	if secret == "" {
		secret, c.FormSecretIsDefault = DevFormSecret, true
	} else if len(secret) < 32 {
		return nil, fmt.Errorf("FORM_SECRET: want at least 32 random characters (e.g. openssl rand -hex 32), got %d", len(secret))
	}
	c.FormSecret = []byte(secret)

	st := get("SHUTDOWN_TIMEOUT", "20s")
	if c.ShutdownTimeout, err = time.ParseDuration(st); err != nil || c.ShutdownTimeout < time.Second || c.ShutdownTimeout > 10*time.Minute {
		return nil, fmt.Errorf("SHUTDOWN_TIMEOUT: want a duration between 1s and 10m such as 20s, got %q", st)
	}

	for _, v := range strings.Split(get("TRUSTED_PROXIES", ""), ",") {
		p, err := parsePrefix(strings.TrimSpace(v))
		if err != nil {
			return nil, fmt.Errorf("TRUSTED_PROXIES: want IP addresses or CIDR ranges separated by commas (e.g. 127.0.0.1,10.0.0.0/8), got %q", v)
		}
		if p.IsValid() {
			c.TrustedProxies = append(c.TrustedProxies, p)
		}
	}

	if err := c.loadDatabaseLimits(get); err != nil {
		return nil, err
	}

	switch lv := strings.ToLower(get("LOG_LEVEL", "info")); lv {
	case "debug":
		c.LogLevel = slog.LevelDebug
	case "info":
		c.LogLevel = slog.LevelInfo
	case "warn", "warning":
		c.LogLevel = slog.LevelWarn
	case "error":
		c.LogLevel = slog.LevelError
	default:
		return nil, fmt.Errorf("LOG_LEVEL: want debug, info, warn or error, got %q", lv)
	}
	return c, nil
}

// loadDatabaseLimits reads how much of the database a server may use and
// how long it waits for it. DB_MAX_CONNS wins over a pool_max_conns in
// DATABASE_URL, which wins over the default.
func (c *Config) loadDatabaseLimits(get func(key, def string) string) error {
	c.DBMaxConns = 10
	if v := get("DB_MAX_CONNS", ""); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return fmt.Errorf("DB_MAX_CONNS: want a whole number of connections between 1 and 1000, got %q", v)
		}
		c.DBMaxConns = int32(n)
	} else if u, _ := url.Parse(c.DatabaseURL); u.Query().Has("pool_max_conns") {
		c.DBMaxConns = 0
	}
	var err error
	if c.DBStatementTimeout, err = duration(get, "DB_STATEMENT_TIMEOUT", "5s", 0); err != nil {
		return err
	}
	c.RequestTimeout, err = duration(get, "REQUEST_TIMEOUT", "10s", time.Millisecond)
	return err
}

// duration reads a Go duration such as 5s or 1m30s between min and an hour.
func duration(get func(key, def string) string, key, def string, min time.Duration) (time.Duration, error) {
	v := get(key, def)
	d, err := time.ParseDuration(v)
	if err != nil || d < min || d > time.Hour {
		return 0, fmt.Errorf("%s: want a duration such as 5s, 500ms or 1m (at most 1h), got %q", key, v)
	}
	return d, nil
}

// BaseURLString is BASE_URL without a trailing slash, ready to prefix paths.
func (c *Config) BaseURLString() string { return strings.TrimRight(c.BaseURL.String(), "/") }

// parsePrefix reads an address ("10.0.0.1", "::1") as a prefix of its full
// length, or a CIDR range ("10.0.0.0/8"); "" is the zero Prefix.
func parsePrefix(v string) (netip.Prefix, error) {
	if v == "" {
		return netip.Prefix{}, nil
	}
	if strings.Contains(v, "/") {
		p, err := netip.ParsePrefix(v)
		return p.Masked(), err
	}
	a, err := netip.ParseAddr(v)
	if err != nil || a.Zone() != "" {
		return netip.Prefix{}, errors.New("not an IP address")
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), nil
}

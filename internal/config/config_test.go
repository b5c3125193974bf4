package config

import (
	"log/slog"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestLoadDefaults(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.Addr, ":8080"; got != want {
		t.Errorf("Addr = %q, want %q", got, want)
	}
	if got, want := c.DatabaseURL, DefaultDatabaseURL; got != want {
		t.Errorf("DatabaseURL = %q, want %q", got, want)
	}
	if c.CookieSecure {
		t.Error("CookieSecure = true for http BASE_URL")
	}
	if c.SMTPURL != nil {
		t.Error("SMTPURL set without SMTP_URL")
	}
	if got, want := c.EnquiryRetentionDays, 365; got != want {
		t.Errorf("EnquiryRetentionDays = %d, want %d", got, want)
	}
	if !c.FormSecretIsDefault || string(c.FormSecret) != DevFormSecret {
		t.Error("FORM_SECRET default not flagged")
	}
	if got, want := c.LogLevel, slog.LevelInfo; got != want {
		t.Errorf("LogLevel = %v, want %v", got, want)
	}
	if got, want := c.ShutdownTimeout, 20*time.Second; got != want {
		t.Errorf("ShutdownTimeout = %v, want %v", got, want)
	}
	if c.DBMaxConns != 10 || c.DBStatementTimeout != 5*time.Second || c.RequestTimeout != 10*time.Second {
		t.Errorf("database limits = %d conns, %v, %v; want 10, 5s, 10s", c.DBMaxConns, c.DBStatementTimeout, c.RequestTimeout)
	}
}

func TestLoadPoolSize(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
		want int32
	}{
		{"DB_MAX_CONNS", map[string]string{"DB_MAX_CONNS": "25"}, 25},
		{"pool_max_conns in DATABASE_URL", map[string]string{"DATABASE_URL": "postgres://db/defus?pool_max_conns=7"}, 0},
		{"DB_MAX_CONNS wins", map[string]string{"DATABASE_URL": "postgres://db/defus?pool_max_conns=7", "DB_MAX_CONNS": "30"}, 30},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Load(env(tc.env))
			if err != nil {
				t.Fatal(err)
			}
			if c.DBMaxConns != tc.want {
				t.Errorf("DBMaxConns = %d, want %d", c.DBMaxConns, tc.want)
			}
		})
	}
	c, err := Load(env(map[string]string{"DB_STATEMENT_TIMEOUT": "0"}))
	if err != nil || c.DBStatementTimeout != 0 {
		t.Errorf("DB_STATEMENT_TIMEOUT=0: %v, %v; want no timeout", c, err)
	}
}

func TestLoadHTTPSMakesCookiesSecure(t *testing.T) {
	c, err := Load(env(map[string]string{"BASE_URL": "https://www.defus.de/"}))
	if err != nil {
		t.Fatal(err)
	}
	if !c.CookieSecure {
		t.Error("CookieSecure = false for https BASE_URL")
	}
	if got, want := c.BaseURLString(), "https://www.defus.de"; got != want {
		t.Errorf("BaseURLString = %q, want %q", got, want)
	}
}

func TestLoadTrustedProxies(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil || len(c.TrustedProxies) != 0 {
		t.Fatalf("default TrustedProxies = %v, %v; want none", c.TrustedProxies, err)
	}
	c, err = Load(env(map[string]string{"TRUSTED_PROXIES": " 127.0.0.1, 10.1.2.3/8,::1 ,fd00::/8,"}))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range c.TrustedProxies {
		got = append(got, p.String())
	}
	if got, want := strings.Join(got, " "), "127.0.0.1/32 10.0.0.0/8 ::1/128 fd00::/8"; got != want {
		t.Errorf("TrustedProxies = %s, want %s", got, want)
	}
}

func TestLoadErrorsNameTheSetting(t *testing.T) {
	for _, tc := range []struct {
		key, value string
	}{
		{"DATABASE_URL", "mysql://x"},
		{"ADDR", "8080"},
		{"ADDR", ":99999"},
		{"BASE_URL", "localhost:8080"},
		{"BASE_URL", "ftp://x"},
		{"COOKIE_SECURE", "vielleicht"},
		{"SMTP_URL", "http://mail"},
		{"OFFICE_EMAIL", "not-an-address"},
		{"OFFICE_EMAIL", "büro@defus.de"}, // no mail server would take it without SMTPUTF8
		{"LOG_LEVEL", "loud"},
		{"ENQUIRY_RETENTION_DAYS", "ein Jahr"},
		{"ENQUIRY_RETENTION_DAYS", "0"},
		{"FORM_SECRET", "kurz"},
		{"SHUTDOWN_TIMEOUT", "20"},
		{"SHUTDOWN_TIMEOUT", "1h"},
		{"TRUSTED_PROXIES", "proxy.example"},
		{"TRUSTED_PROXIES", "10.0.0.0/33"},
		{"TRUSTED_PROXIES", "127.0.0.1 10.0.0.1"},
		{"DB_MAX_CONNS", "0"},
		{"DB_MAX_CONNS", "viele"},
		{"DB_STATEMENT_TIMEOUT", "5"},
		{"DB_STATEMENT_TIMEOUT", "-1s"},
		{"REQUEST_TIMEOUT", "0"},
		{"REQUEST_TIMEOUT", "2h"},
	} {
		t.Run(tc.key+"="+tc.value, func(t *testing.T) {
			_, err := Load(env(map[string]string{tc.key: tc.value}))
			if err == nil {
				t.Fatal("Load accepted a bad value")
			}
			if !strings.HasPrefix(err.Error(), tc.key+":") {
				t.Errorf("error %q does not start with the setting name", err)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q spans several lines", err)
			}
		})
	}
}

package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/store"
)

const userUsage = `usage:
  defus user add -email E -name N -role admin|editor|member [-member SLUG]
  defus user set-password -email E
  defus user disable -email E
  defus user unlock -email E

The password is read from standard input; when nothing is piped in, a strong
one is generated and printed once. unlock lifts the account's login locks
after too many failed logins (for every client and device); set-password
lifts them too.
`

// cli is the actor the audit log names for changes made on the command line.
var cli = defus.Actor{Name: "Kommandozeile"}

// userCmd runs `defus user add|set-password|disable|unlock`.
func userCmd(ctx context.Context, pool *pgxpool.Pool, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, userUsage)
		return errUsage
	}
	fs := flag.NewFlagSet("user "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	email := fs.String("email", "", "e-mail address of the account")
	name := fs.String("name", "", "name shown in the admin area (add)")
	role := fs.String("role", "", "admin, editor or member (add)")
	member := fs.String("member", "", "slug of the member a representative speaks for (add)")
	if err := fs.Parse(args[1:]); err != nil {
		return errUsage
	}
	if *email == "" || fs.NArg() > 0 {
		fmt.Fprint(stderr, userUsage)
		return errors.New("user: -email is required and nothing may follow the flags")
	}
	st := store.New(pool, time.Now)
	switch args[0] {
	case "add":
		return userAdd(ctx, st, *email, *name, *role, *member, stdin, stdout)
	case "set-password":
		u, err := st.FindUserByEmail(ctx, *email)
		if err != nil {
			return fmt.Errorf("user set-password: no account with e-mail %s", *email)
		}
		hash, err := passwordFrom(stdin, stdout)
		if err != nil {
			return err
		}
		if err := st.SetUserPassword(ctx, cli, u.ID, hash); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "password of %s set, login locks lifted\n", u.Email)
		return nil
	case "disable":
		u, err := st.FindUserByEmail(ctx, *email)
		if err != nil {
			return fmt.Errorf("user disable: no account with e-mail %s", *email)
		}
		if err := st.SetUserDisabled(ctx, cli, u.ID, 0, true); err != nil {
			if defus.FieldErrorsOf(err).Has("disable") {
				return fmt.Errorf("user disable: %s is the last active admin", u.Email)
			}
			return err
		}
		fmt.Fprintf(stdout, "%s disabled\n", u.Email)
		return nil
	case "unlock":
		u, err := st.FindUserByEmail(ctx, *email)
		if err != nil {
			return fmt.Errorf("user unlock: no account with e-mail %s", *email)
		}
		if err := st.UnlockLogins(ctx, cli, u.ID); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "login locks of %s lifted\n", u.Email)
		return nil
	}
	fmt.Fprint(stderr, userUsage)
	return fmt.Errorf("unknown user command %q", args[0])
}

func userAdd(ctx context.Context, st *store.Store, email, name, role, member string, stdin io.Reader, stdout io.Writer) error {
	u := &defus.User{Email: strings.TrimSpace(email), Name: strings.TrimSpace(name), Role: defus.Role(role)}
	if errs := u.Validate(); len(errs) > 0 {
		for _, f := range []string{"email", "name", "role"} {
			if msg, ok := errs[f]; ok {
				return fmt.Errorf("user add: -%s: %s", f, msg)
			}
		}
	}
	if member != "" {
		id, err := st.FindMemberIDBySlug(ctx, member)
		if err != nil {
			return fmt.Errorf("user add: -member: no member with slug %q", member)
		}
		u.MemberID = &id
	}
	hash, err := passwordFrom(stdin, stdout)
	if err != nil {
		return err
	}
	u.PasswordHash = hash
	if err := st.CreateUser(ctx, cli, u); err != nil {
		if defus.FieldErrorsOf(err).Has("email") {
			return fmt.Errorf("user add: an account with e-mail %s exists already", u.Email)
		}
		return err
	}
	fmt.Fprintf(stdout, "account %s (%s) created\n", u.Email, u.Role)
	return nil
}

// passwordFrom reads a password from stdin (its first line) when something
// is piped in, and checks the rules; from a terminal or an empty input it
// generates one and prints it once. It returns the hash.
func passwordFrom(stdin io.Reader, stdout io.Writer) (string, error) {
	var pw string
	if stdin != nil && !isTerminal(stdin) {
		line, err := bufio.NewReader(io.LimitReader(stdin, 4*defus.MaxPasswordLen+2)).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("read password: %w", err)
		}
		pw = strings.TrimRight(line, "\r\n")
	}
	if pw == "" {
		pw = defus.GeneratePassword()
		fmt.Fprintf(stdout, "generated password (shown only now): %s\n", pw)
	} else if msg := defus.ValidatePassword(pw); msg != "" {
		return "", fmt.Errorf("password: %s", msg)
	}
	return defus.HashPassword(pw)
}

// isTerminal reports whether r is an interactive terminal, where nobody
// piped a password in.
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

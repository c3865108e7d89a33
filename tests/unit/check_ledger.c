/*
 * check_ledger: creation and modes, the key file, migrations, runs that
 * commit or not (rollback, close, kill), logins across runs, codes and
 * their revocation, serials, states, and that no code reaches the file.
 *
 * The tests open the database with sqlite3 themselves where they must
 * see or forge what the API hides (a version 0 ledger, the revoked
 * table, the login trigger); entpress itself keeps sqlite3 in ledger.c.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "credentials.h"
#include "diag.h"
#include "directory.h"
#include "ledger.h"
#include "mem.h"
#include "select.h"

#define DATE	"2026-09-01"

static char	 dir[256];
static char	 db[300];
static char	 keyfile[310];

static char	*cap_buf;
static size_t	 cap_len;
static FILE	*cap_fp;

static void
diagcap_start(void)
{
	cap_fp = open_memstream(&cap_buf, &cap_len);
	diag_set_stream(cap_fp);
	diag_reset();
}

static const char *
diagcap_text(void)
{
	fflush(cap_fp);
	return cap_buf != NULL ? cap_buf : "";
}

static void
diagcap_stop(void)
{
	diag_set_stream(NULL);
	if (cap_fp != NULL)
		fclose(cap_fp);
	free(cap_buf);
	cap_fp = NULL;
	cap_buf = NULL;
	cap_len = 0;
}

static void
setup(void)
{
	const char	*tmp = getenv("TMPDIR");

	snprintf(dir, sizeof(dir), "%s/entpress-ledger-XXXXXX",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(db, sizeof(db), "%s/entpress.db", dir);
	snprintf(keyfile, sizeof(keyfile), "%s.key", db);
	diagcap_start();
}

static void
teardown(void)
{
	DIR		*d;
	struct dirent	*e;
	char		 p[600];

	diagcap_stop();
	if ((d = opendir(dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		unlink(p);
	}
	closedir(d);
	rmdir(dir);
}

static struct ledger *
open_ok(void)
{
	struct ledger	*l;

	ck_assert_int_eq(ledger_open(&l, db, LEDGER_CREATE), 0);
	ck_assert_ptr_nonnull(l);
	return l;
}

/* A student of the AAF, enough of one for the ledger. */
static void
person(struct dir_person *p, const char *id, const char *first,
    const char *last)
{
	memset(p, 0, sizeof(*p));
	p->id = id;
	p->cat = CAT_ELEVE;
	p->profile = PROFILE_STUDENT;
	p->origin = ORIGIN_AAF;
	p->first_name = first;
	p->last_name = last;
	p->src.file = "ENT_0699990Z_Complet_Eleve_0000.xml";
	p->src.line = 12;
}

/* Run SQL on the ledger file behind entpress's back. */
static void
raw_exec(const char *path, const char *sql)
{
	sqlite3	*h;

	ck_assert_int_eq(sqlite3_open(path, &h), SQLITE_OK);
	ck_assert_msg(sqlite3_exec(h, sql, NULL, NULL, NULL) == SQLITE_OK,
	    "%s", sqlite3_errmsg(h));
	sqlite3_close(h);
}

static long long
raw_int(const char *path, const char *sql)
{
	sqlite3		*h;
	sqlite3_stmt	*s;
	long long	 v = -1;

	ck_assert_int_eq(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(h, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(h);
	return v;
}

/* --- files ------------------------------------------------------------ */

START_TEST(test_create_modes)
{
	struct ledger	*l;
	struct stat	 st;
	char		 wal[320];

	umask(022);
	l = open_ok();
	ck_assert_int_eq(stat(db, &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0600);
	ck_assert_int_eq(stat(keyfile, &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0600);
	ck_assert_int_eq(st.st_size, CRED_KEY_LEN);
	ledger_close(l);

	/* Reopen: same key, no new file. */
	ck_assert_int_eq(ledger_open(&l, db, 0), 0);
	ledger_close(l);
	ck_assert_int_eq(raw_int(db, "SELECT value FROM meta WHERE "
	    "name = 'schema_version'"), LEDGER_SCHEMA);
	ck_assert_int_eq(raw_int(db, "PRAGMA application_id"), 0x454E5450);
	/* Rollback journal, not WAL: nothing left beside the ledger. */
	snprintf(wal, sizeof(wal), "%s-wal", db);
	ck_assert_int_eq(stat(wal, &st), -1);
	ck_assert_str_eq(diagcap_text(), "");
}
END_TEST

START_TEST(test_open_missing)
{
	struct ledger	*l;
	struct stat	 st;

	ck_assert_int_eq(ledger_open(&l, db, 0), LEDGER_NOTFOUND);
	ck_assert_ptr_null(l);
	ck_assert_int_eq(stat(db, &st), -1);
	ck_assert_int_eq(stat(keyfile, &st), -1);
	ck_assert_str_eq(diagcap_text(), "");
}
END_TEST

START_TEST(test_key_missing)
{
	struct ledger	*l;

	ledger_close(open_ok());
	ck_assert_int_eq(unlink(keyfile), 0);
	ck_assert_int_eq(ledger_open(&l, db, LEDGER_CREATE), -1);
	ck_assert_ptr_null(l);
	ck_assert_ptr_nonnull(strstr(diagcap_text(),
	    "ERROR: ledger unusable: key file"));
	ck_assert_ptr_nonnull(strstr(diagcap_text(), "is missing"));
	ck_assert_int_eq(diag_worst(), LEVEL_ERROR);
}
END_TEST

START_TEST(test_key_wrong_size)
{
	struct ledger	*l;
	int		 fd;

	ledger_close(open_ok());
	ck_assert_int_ne(fd = open(keyfile, O_WRONLY | O_TRUNC), -1);
	ck_assert_int_eq(write(fd, "0123456789012345678901234567890", 31),
	    31);
	close(fd);
	ck_assert_int_eq(ledger_open(&l, db, 0), -1);
	ck_assert_ptr_nonnull(strstr(diagcap_text(),
	    "ledger unusable: key file"));
	ck_assert_ptr_nonnull(strstr(diagcap_text(), "not a 32-byte key"));
}
END_TEST

/* A key without its ledger may belong to a moved ledger: never replace it. */
START_TEST(test_key_without_ledger)
{
	struct ledger	*l;
	struct stat	 st;
	int		 fd;

	ck_assert_int_ne(fd = open(keyfile, O_WRONLY | O_CREAT, 0600), -1);
	ck_assert_int_eq(write(fd, "abcdefghijklmnopqrstuvwxyz012345", 32),
	    32);
	close(fd);
	ck_assert_int_eq(ledger_open(&l, db, LEDGER_CREATE), -1);
	ck_assert_ptr_nonnull(strstr(diagcap_text(), "exists without its "
	    "ledger"));
	ck_assert_int_eq(stat(db, &st), -1);
	ck_assert_int_eq(stat(keyfile, &st), 0);
	ck_assert_int_eq(st.st_size, 32);
}
END_TEST

START_TEST(test_not_a_ledger)
{
	struct ledger	*l;
	int		 fd;

	/* The key is there; the database is junk. */
	ledger_close(open_ok());
	ck_assert_int_ne(fd = open(db, O_WRONLY | O_TRUNC), -1);
	ck_assert_int_eq(write(fd, "This is not SQLite, just some text "
	    "that is long enough to be a header.\n", 71), 71);
	close(fd);
	ck_assert_int_eq(ledger_open(&l, db, 0), -1);
	ck_assert_ptr_nonnull(strstr(diagcap_text(),
	    "ledger unusable: not an SQLite database"));

	/* Another program's database. */
	unlink(db);
	raw_exec(db, "CREATE TABLE moz_places (id INTEGER PRIMARY KEY);");
	ck_assert_int_eq(ledger_open(&l, db, 0), -1);
	ck_assert_ptr_nonnull(strstr(diagcap_text(),
	    "ledger unusable: not an entpress ledger"));
	ck_assert_int_eq(raw_int(db, "SELECT count(*) FROM sqlite_master"), 1);
}
END_TEST

START_TEST(test_newer_schema)
{
	struct ledger	*l;

	ledger_close(open_ok());
	raw_exec(db, "UPDATE meta SET value = '99' "
	    "WHERE name = 'schema_version'");
	ck_assert_int_eq(ledger_open(&l, db, 0), -1);
	ck_assert_ptr_nonnull(strstr(diagcap_text(),
	    "schema version 99, this entpress knows versions up to 2"));
}
END_TEST

/* A creation killed between the empty database and its key: redone. */
START_TEST(test_create_interrupted)
{
	struct ledger	*l;
	struct stat	 st;
	int		 fd;

	ck_assert_int_ne(fd = open(db, O_WRONLY | O_CREAT, 0600), -1);
	close(fd);
	ck_assert_int_eq(ledger_open(&l, db, 0), -1);
	ck_assert_ptr_nonnull(strstr(diagcap_text(), "is missing"));
	l = open_ok();
	ledger_close(l);
	ck_assert_int_eq(stat(keyfile, &st), 0);
	ck_assert_int_eq(st.st_size, CRED_KEY_LEN);
}
END_TEST

/* One run at a time; others may read what is committed meanwhile. */
START_TEST(test_locked)
{
	struct ledger		*l1, *l2;
	struct ledger_acct	 a;
	struct dir_person	 p;

	l1 = open_ok();
	ck_assert_int_eq(ledger_run_begin(l1, DATE, "first"), 0);
	person(&p, "1", "Jean", "Dupont");
	ck_assert_int_eq(ledger_account(l1, &p, &a), LEDGER_CREATED);
	ck_assert_int_eq(ledger_lookup(l1, "aaf:Eleve:1", &a), 0);

	ck_assert_int_eq(ledger_open(&l2, db, 0), 0);
	ck_assert_int_eq(ledger_lookup(l2, "aaf:Eleve:1", &a),
	    LEDGER_NOTFOUND);
	ck_assert_int_eq(ledger_run_begin(l2, DATE, "second"), -1);
	ck_assert_ptr_nonnull(strstr(diagcap_text(),
	    "SYSERR: database error: starting the run: ledger in use by "
	    "another entpress"));

	ck_assert_int_eq(ledger_run_commit(l1), 0);
	ck_assert_int_eq(ledger_lookup(l2, "aaf:Eleve:1", &a), 0);
	ck_assert_int_eq(ledger_run_begin(l2, DATE, "second"), 0);
	ledger_close(l2);
	ledger_close(l1);
}
END_TEST

/* --- migration ---------------------------------------------------- */

/* The prototype's layout, version 0, with a little history in it. */
static const char v0_schema[] =
	"CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);\n"
	"INSERT INTO meta VALUES ('schema_version', '0');\n"
	"CREATE TABLE runs (id INTEGER PRIMARY KEY, date TEXT NOT NULL,\n"
	"    command TEXT NOT NULL);\n"
	"CREATE TABLE accounts (id INTEGER PRIMARY KEY,\n"
	"    key TEXT NOT NULL UNIQUE, origin TEXT NOT NULL,\n"
	"    profile TEXT NOT NULL, login TEXT NOT NULL UNIQUE,\n"
	"    state TEXT NOT NULL DEFAULT 'inactive', fp BLOB UNIQUE,\n"
	"    issued TEXT);\n"
	"CREATE TABLE revoked (fp BLOB PRIMARY KEY,\n"
	"    account_id INTEGER NOT NULL REFERENCES accounts(id),\n"
	"    revoked TEXT NOT NULL);\n"
	"INSERT INTO runs VALUES (1, '2025-09-01', 'entpress compile');\n"
	"INSERT INTO accounts VALUES (1, 'aaf:Eleve:100', 'aaf', 'student',\n"
	"    'jean.dupont', 'active', zeroblob(32), '2025-09-01');\n"
	"INSERT INTO accounts VALUES (2, 'aaf:Eleve:101', 'aaf', 'student',\n"
	"    'jean.dupont2', 'inactive', NULL, NULL);\n"
	"INSERT INTO revoked VALUES (x'0101010101010101010101010101010101010101"
	"010101010101010101010101', 1, '2025-09-02');\n";

static void
schema_text(const char *path, struct buf *out)
{
	sqlite3		*h;
	sqlite3_stmt	*s;

	ck_assert_int_eq(sqlite3_open(path, &h), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(h, "SELECT type, name, tbl_name, "
	    "sql FROM sqlite_master WHERE tbl_name <> 'meta' ORDER BY name",
	    -1, &s, NULL), SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW)
		buf_printf(out, "%s %s %s %s\n", sqlite3_column_text(s, 0),
		    sqlite3_column_text(s, 1), sqlite3_column_text(s, 2),
		    sqlite3_column_text(s, 3));
	sqlite3_finalize(s);
	sqlite3_close(h);
}

START_TEST(test_migrate_v0)
{
	struct ledger		*l;
	struct ledger_acct	 a, b;
	struct buf		 fresh, migrated;
	uint8_t			 fp[CRED_FP_LEN];
	char			 other[310];
	int			 fd;

	/* A fresh ledger elsewhere, to compare schemas with. */
	snprintf(other, sizeof(other), "%s/fresh.db", dir);
	ck_assert_int_eq(ledger_open(&l, other, LEDGER_CREATE), 0);
	ledger_close(l);

	raw_exec(db, v0_schema);
	ck_assert_int_ne(fd = open(keyfile, O_WRONLY | O_CREAT, 0600), -1);
	ck_assert_int_eq(write(fd, "abcdefghijklmnopqrstuvwxyz012345", 32),
	    32);
	close(fd);

	ck_assert_int_eq(ledger_open(&l, db, 0), 0);
	ck_assert_int_eq(raw_int(db, "SELECT value FROM meta WHERE "
	    "name = 'schema_version'"), LEDGER_SCHEMA);

	/* The rows survive, with their logins, states and codes. */
	ck_assert_int_eq(ledger_lookup(l, "aaf:Eleve:100", &a), 0);
	ck_assert_str_eq(a.login, "jean.dupont");
	ck_assert_int_eq(a.state, STATE_ACTIVE);
	ck_assert_int_eq(a.has_code, 1);
	ck_assert_str_eq(a.issued, "2025-09-01");
	ck_assert_str_eq(a.serial, "");
	ck_assert_int_eq(ledger_lookup(l, "aaf:Eleve:101", &b), 0);
	ck_assert_str_eq(b.login, "jean.dupont2");
	ck_assert_int_eq(b.has_code, 0);

	/* And the new features work on them. */
	ck_assert_int_eq(ledger_run_begin(l, DATE, "test"), 0);
	ck_assert_int_eq(ledger_run_id(l), 2);
	memset(fp, 1, sizeof(fp));		/* the v0 revoked code */
	ck_assert_int_eq(ledger_issue_fp(l, &b, fp, "0699990Z", NULL, NULL),
	    LEDGER_DUP);
	memset(fp, 2, sizeof(fp));
	ck_assert_int_eq(ledger_issue_fp(l, &a, fp, "0699990Z",
	    "2026-12-31", NULL), 0);
	ck_assert_str_eq(a.serial, "2026-0699990Z-000001");
	ck_assert_int_eq(ledger_run_commit(l), 0);
	ledger_close(l);
	ck_assert_int_eq(raw_int(db, "SELECT count(*) FROM revoked"), 2);
	ck_assert_int_eq(raw_int(db, "SELECT count(*) FROM sqlite_master "
	    "WHERE name LIKE 'v0_%'"), 0);
	ck_assert_int_eq(raw_int(db, "PRAGMA foreign_key_check"), -1);

	/* Exactly the schema of a new ledger. */
	buf_init(&fresh);
	buf_init(&migrated);
	schema_text(other, &fresh);
	schema_text(db, &migrated);
	/* (Check cannot print strings this long: no ck_assert_str_eq.) */
	ck_assert_msg(strcmp(migrated.p, fresh.p) == 0,
	    "migrated schema differs from a new ledger's");
	buf_free(&fresh);
	buf_free(&migrated);
	ck_assert_str_eq(diagcap_text(), "");
}
END_TEST


/*
 * Version 1 as entpress 0.1 wrote it (frozen here: the point is to open
 * a file made by the old code), with two runs, a household letter, a
 * revoked code and an account without a code.
 */
static const char v1_schema[] =
	"CREATE TABLE meta (\n"
	"	name	TEXT PRIMARY KEY,\n"
	"	value	TEXT NOT NULL\n"
	") WITHOUT ROWID;\n"
	"INSERT INTO meta VALUES ('schema_version', '1');\n"
	"CREATE TABLE runs (\n"
	"	id		INTEGER PRIMARY KEY,\n"
	"	date		TEXT NOT NULL,		-- YYYY-MM-DD of the run\n"
	"	command		TEXT NOT NULL,		-- command line, no secrets\n"
	"	manifest_sha256	TEXT,			-- hex, once written\n"
	"	accounts_new	INTEGER NOT NULL DEFAULT 0,\n"
	"	codes_issued	INTEGER NOT NULL DEFAULT 0,\n"
	"	codes_revoked	INTEGER NOT NULL DEFAULT 0,\n"
	"	states_set	INTEGER NOT NULL DEFAULT 0\n"
	");\n"
	"CREATE TABLE accounts (\n"
	"	id		INTEGER PRIMARY KEY,\n"
	"	key		TEXT NOT NULL UNIQUE,	-- aaf:Eleve:4812735, manual:<hex>\n"
	"	origin		TEXT NOT NULL CHECK (origin IN ('aaf', 'manual')),\n"
	"	profile		TEXT NOT NULL,\n"
	"	login		TEXT NOT NULL UNIQUE,\n"
	"	state		TEXT NOT NULL DEFAULT 'inactive'\n"
	"			CHECK (state = 'inactive' OR state = 'active' OR\n"
	"			    state = 'deleted'),\n"
	"	fp		BLOB CHECK (fp IS NULL OR length(fp) = 32),\n"
	"	issued		TEXT,			-- date of the current code\n"
	"	expires		TEXT,\n"
	"	serial		TEXT,			-- letter of the current code\n"
	"	run_id		INTEGER REFERENCES runs(id),\n"
	"	created_run	INTEGER REFERENCES runs(id)\n"
	");\n"
	"CREATE UNIQUE INDEX accounts_fp ON accounts(fp) WHERE fp IS NOT NULL;\n"
	"CREATE TABLE revoked (\n"
	"	fp		BLOB PRIMARY KEY,	-- keyed fingerprint\n"
	"	account_id	INTEGER NOT NULL REFERENCES accounts(id),\n"
	"	issued		TEXT,\n"
	"	serial		TEXT,\n"
	"	revoked		TEXT NOT NULL,		-- date it was replaced\n"
	"	run_id		INTEGER REFERENCES runs(id)\n"
	") WITHOUT ROWID;\n"
	"CREATE INDEX revoked_account ON revoked(account_id);\n"
	"CREATE TABLE serials (\n"
	"	year		INTEGER NOT NULL,\n"
	"	uai		TEXT NOT NULL,\n"
	"	last		INTEGER NOT NULL,	-- last number handed out\n"
	"	PRIMARY KEY (year, uai)\n"
	") WITHOUT ROWID;\n"
	"CREATE TRIGGER accounts_login_fixed BEFORE UPDATE OF login ON accounts\n"
	"WHEN NEW.login IS NOT OLD.login BEGIN\n"
	"	SELECT RAISE(ABORT, 'a login never changes');\n"
	"END;\n"
	"CREATE TRIGGER accounts_fp_unique BEFORE UPDATE OF fp ON accounts\n"
	"WHEN NEW.fp IS NOT NULL AND (NEW.fp IS OLD.fp OR\n"
	"    EXISTS (SELECT 1 FROM revoked WHERE fp = NEW.fp)) BEGIN\n"
	"	SELECT RAISE(ABORT, 'code already issued');\n"
	"END;\n"
	"CREATE TRIGGER accounts_revoke AFTER UPDATE OF fp ON accounts\n"
	"WHEN OLD.fp IS NOT NULL BEGIN\n"
	"	INSERT INTO revoked (fp, account_id, issued, serial, revoked, run_id)\n"
	"	VALUES (OLD.fp, OLD.id, OLD.issued, OLD.serial, NEW.issued,\n"
	"	    NEW.run_id);\n"
	"END;\n"
	"PRAGMA application_id = 1162761296;\n"
	"INSERT INTO runs (id, date, command) VALUES\n"
	"    (1, '2025-09-01', 'entpress compile'),\n"
	"    (2, '2025-10-01', 'entpress compile');\n"
	"INSERT INTO accounts VALUES (1, 'aaf:Eleve:100', 'aaf', 'student',\n"
	"    'jean.dupont', 'active', zeroblob(32), '2025-10-01', '2025-10-31',\n"
	"    '2025-0699990Z-000003', 2, 1);\n"
	"INSERT INTO accounts VALUES (2, 'aaf:PersRelEleve:200', 'aaf',\n"
	"    'parent', 'marie.dupont', 'inactive',\n"
	"    x'0202020202020202020202020202020202020202020202020202020202020202',\n"
	"    '2025-09-01', '2025-10-01', '2025-0699990Z-000002', 1, 1);\n"
	"INSERT INTO accounts VALUES (3, 'aaf:PersRelEleve:201', 'aaf',\n"
	"    'parent', 'paul.dupont', 'inactive',\n"
	"    x'0303030303030303030303030303030303030303030303030303030303030303',\n"
	"    '2025-09-01', '2025-10-01', '2025-0699990Z-000002', 1, 1);\n"
	"INSERT INTO accounts VALUES (4, 'aaf:Eleve:101', 'aaf', 'student',\n"
	"    'anne.durand', 'inactive', NULL, NULL, NULL, NULL, NULL, 1);\n"
	"INSERT INTO revoked VALUES\n"
	"    (x'0101010101010101010101010101010101010101010101010101010101010101',\n"
	"    1, '2025-09-01', '2025-0699990Z-000001', '2025-10-01', 2);\n"
	"INSERT INTO serials VALUES (2025, '0699990Z', 3);\n";

START_TEST(test_migrate_v1)
{
	struct ledger			*l;
	struct ledger_acct		 a;
	struct ledger_run		 r;
	struct ledger_report_row	*rows;
	struct ledger_letter		 lt;
	struct buf			 fresh, migrated;
	uint8_t				 fp[CRED_FP_LEN];
	char				 other[310];
	size_t				 n;
	int				 fd;

	snprintf(other, sizeof(other), "%s/fresh.db", dir);
	ck_assert_int_eq(ledger_open(&l, other, LEDGER_CREATE), 0);
	ledger_close(l);

	raw_exec(db, v1_schema);
	ck_assert_int_ne(fd = open(keyfile, O_WRONLY | O_CREAT, 0600), -1);
	ck_assert_int_eq(write(fd, "abcdefghijklmnopqrstuvwxyz012345", 32),
	    32);
	close(fd);

	ck_assert_int_eq(ledger_open(&l, db, 0), 0);
	ck_assert_int_eq(raw_int(db, "SELECT value FROM meta WHERE "
	    "name = 'schema_version'"), 2);

	/* Accounts, codes and serials as they were. */
	ck_assert_int_eq(ledger_lookup_login(l, "jean.dupont", &a), 0);
	ck_assert_int_eq(a.state, STATE_ACTIVE);
	ck_assert_str_eq(a.serial, "2025-0699990Z-000003");
	ck_assert_int_eq(a.run, 2);

	/* Runs have no inputs: a reissue must be told the export. */
	ck_assert_int_eq(ledger_run_get(l, 1, &r), 0);
	ck_assert_str_eq(r.date, "2025-09-01");
	ck_assert_str_eq(r.command, "entpress compile");
	ck_assert_ptr_null(r.inputs);
	ck_assert_str_eq(r.manifest, "");
	ledger_run_free(&r);
	ck_assert_int_eq(ledger_run_get(l, 9, &r), LEDGER_NOTFOUND);

	/*
	 * The current letters are known, without section; the household's
	 * serial once.  The revoked code's letter is not (its run is not).
	 */
	ck_assert_int_eq(raw_int(db, "SELECT count(*) FROM letters"), 2);
	ck_assert_int_eq(raw_int(db, "SELECT run_id FROM letters WHERE "
	    "serial = '2025-0699990Z-000002' AND section IS NULL"), 1);
	ledger_set_today(l, "2025-10-15");
	ck_assert_int_eq(ledger_report(l, "2025-10-15", &rows, &n), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(rows[0].run, 1);
	ck_assert_str_eq(rows[0].section, "");
	ck_assert_int_eq(rows[0].letters, 1);
	ck_assert_int_eq(rows[0].accounts, 2);
	ck_assert_int_eq(rows[0].expired, 2);
	ck_assert_int_eq(rows[1].run, 2);
	ck_assert_int_eq(rows[1].activated, 1);
	free(rows);

	/* The new features work on the migrated ledger. */
	ck_assert_int_eq(ledger_run_begin(l, "2025-11-02", "reissue"), 0);
	ck_assert_int_eq(ledger_run_inputs(l, "/srv/export.zip"), 0);
	ck_assert_int_eq(ledger_lookup_login(l, "marie.dupont", &a), 0);
	memset(fp, 4, sizeof(fp));
	ck_assert_int_eq(ledger_issue_fp(l, &a, fp, "0699990Z", "2025-12-02",
	    NULL), 0);
	ck_assert_str_eq(a.serial, "2025-0699990Z-000004");
	memset(&lt, 0, sizeof(lt));
	lt.serial = a.serial;
	lt.section = "class";
	lt.group = "4B";
	lt.way = "class";
	lt.first_page = 1;
	lt.last_page = 2;
	lt.replaces = "2025-0699990Z-000002";
	ck_assert_int_eq(ledger_letter_add(l, &lt), 0);
	ck_assert_int_eq(ledger_run_commit(l), 0);
	ck_assert_int_eq(ledger_run_get(l, 3, &r), 0);
	ck_assert_str_eq(r.inputs, "/srv/export.zip");
	ledger_run_free(&r);
	ledger_close(l);
	ck_assert_int_eq(raw_int(db, "PRAGMA foreign_key_check"), -1);

	buf_init(&fresh);
	buf_init(&migrated);
	schema_text(other, &fresh);
	schema_text(db, &migrated);
	ck_assert_msg(strcmp(migrated.p, fresh.p) == 0,
	    "migrated schema differs from a new ledger's");
	buf_free(&fresh);
	buf_free(&migrated);
	ck_assert_str_eq(diagcap_text(), "");
}
END_TEST

/* --- logins --------------------------------------------------------- */

START_TEST(test_acct_key)
{
	struct dir_person	 p;
	struct buf		 b;

	buf_init(&b);
	person(&p, "4812735", "Jean", "Dupont");
	ledger_acct_key(&b, &p);
	ck_assert_str_eq(b.p, "aaf:Eleve:4812735");
	/* A relative may carry the same id: a different account. */
	p.cat = CAT_PERSRELELEVE;
	ledger_acct_key(&b, &p);
	ck_assert_str_eq(b.p, "aaf:PersRelEleve:4812735");
	p.cat = CAT_PERSEDUCNAT;
	ledger_acct_key(&b, &p);
	ck_assert_str_eq(b.p, "aaf:PersEducNat:4812735");
	p.cat = CAT_MANUAL;
	p.origin = ORIGIN_MANUAL;
	p.id = "3f2a9c";
	ledger_acct_key(&b, &p);
	ck_assert_str_eq(b.p, "manual:3f2a9c");
	p.id = "manual:3f2a9c";
	ledger_acct_key(&b, &p);
	ck_assert_str_eq(b.p, "manual:3f2a9c");
	buf_free(&b);
	ck_assert_str_eq(ledger_profile_word(PROFILE_STUDENT), "eleve");
	ck_assert_str_eq(ledger_profile_word(PROFILE_TEACHER), "enseignant");
}
END_TEST

START_TEST(test_homonyms)
{
	struct ledger		*l;
	struct ledger_acct	 a;
	struct dir_person	 p[5];
	static const char *const ids[5] = { "1", "2", "3", "4", "5" };
	char			 want[32];
	int			 i;

	l = open_ok();
	ck_assert_int_eq(ledger_run_begin(l, DATE, "test"), 0);
	for (i = 0; i < 3; i++) {
		person(&p[i], ids[i], "Jean", "Dupont");
		ck_assert_int_eq(ledger_account(l, &p[i], &a), LEDGER_CREATED);
		snprintf(want, sizeof(want), i == 0 ? "jean.dupont" :
		    "jean.dupont%d", i + 1);
		ck_assert_str_eq(a.login, want);
	}
	/* Accents and case do not make a different login. */
	person(&p[3], ids[3], "Jéan", "DUPONT");
	ck_assert_int_eq(ledger_account(l, &p[3], &a), LEDGER_CREATED);
	ck_assert_str_eq(a.login, "jean.dupont4");
	ck_assert_int_eq(ledger_run_commit(l), 0);
	ledger_close(l);

	/* A later run, a new ledger handle: the suffixes go on. */
	l = open_ok();
	ck_assert_int_eq(ledger_run_begin(l, "2026-09-02", "test"), 0);
	person(&p[4], ids[4], "Jean", "Dupont");
	ck_assert_int_eq(ledger_account(l, &p[4], &a), LEDGER_CREATED);
	ck_assert_str_eq(a.login, "jean.dupont5");
	ck_assert_int_eq(ledger_account(l, &p[0], &a), 0);
	ck_assert_str_eq(a.login, "jean.dupont");
	ck_assert_int_eq(ledger_run_commit(l), 0);
	ledger_close(l);
	ck_assert_int_eq(raw_int(db, "SELECT accounts_new FROM runs "
	    "WHERE id = 1"), 4);
	ck_assert_int_eq(raw_int(db, "SELECT accounts_new FROM runs "
	    "WHERE id = 2"), 1);
}
END_TEST

/*
 * The ledger keeps keys and logins as 64-bit digests (mem.h, struct
 * hset): every member found, members added twice counted once, through
 * growth; among as many strings never added, none found (a wrong yes
 * has a chance of about n / 2^64 each).
 */
START_TEST(test_hset)
{
	struct hset	 h;
	char		 s[48];
	int		 i, wrong = 0;

	hset_init(&h);
	ck_assert_int_eq(hset_has(&h, "aaf:Eleve:1"), 0);
	for (i = 0; i < 50000; i++) {
		snprintf(s, sizeof(s), "aaf:Eleve:%d", 1000000 + i);
		hset_add(&h, s);
	}
	for (i = 0; i < 50000; i += 2) {
		snprintf(s, sizeof(s), "aaf:Eleve:%d", 1000000 + i);
		hset_add(&h, s);
	}
	ck_assert_uint_eq(h.len, 50000);
	ck_assert_uint_ge(h.cap, 2 * h.len);
	for (i = 0; i < 50000; i++) {
		snprintf(s, sizeof(s), "aaf:Eleve:%d", 1000000 + i);
		ck_assert_int_eq(hset_has(&h, s), 1);
		snprintf(s, sizeof(s), "aaf:PersRelEleve:%d", 1000000 + i);
		wrong += hset_has(&h, s);
	}
	ck_assert_int_eq(wrong, 0);
	ck_assert_int_eq(hset_has(&h, ""), 0);
	hset_add(&h, "");
	ck_assert_int_eq(hset_has(&h, ""), 1);
	hset_free(&h);
	ck_assert_int_eq(hset_has(&h, "aaf:Eleve:1000000"), 0);
}
END_TEST

START_TEST(test_login_stable)
{
	struct ledger		*l;
	struct ledger_acct	 a;
	struct dir_person	 p, q;

	l = open_ok();
	ck_assert_int_eq(ledger_run_begin(l, DATE, "test"), 0);
	person(&p, "4812735", "Léa", "Martin");
	ck_assert_int_eq(ledger_account(l, &p, &a), LEDGER_CREATED);
	ck_assert_str_eq(a.login, "lea.martin");
	ck_assert_int_eq(ledger_run_commit(l), 0);
	ledger_close(l);

	/* Married, renamed in the next export: the login stays. */
	l = open_ok();
	ck_assert_int_eq(ledger_run_begin(l, "2027-09-01", "test"), 0);
	person(&p, "4812735", "Léa", "Bernard");
	ck_assert_int_eq(ledger_account(l, &p, &a), 0);
	ck_assert_str_eq(a.login, "lea.martin");
	/* The name is free for someone else, who takes a suffix. */
	person(&q, "4812736", "Léa", "Martin");
	ck_assert_int_eq(ledger_account(l, &q, &a), LEDGER_CREATED);
	ck_assert_str_eq(a.login, "lea.martin2");
	ck_assert_int_eq(ledger_run_commit(l), 0);
	ledger_close(l);

	/* Not even SQL behind entpress's back can change a login. */
	{
		sqlite3	*h;

		ck_assert_int_eq(sqlite3_open(db, &h), SQLITE_OK);
		ck_assert_int_ne(sqlite3_exec(h, "UPDATE accounts SET login = "
		    "'lea.bernard' WHERE login = 'lea.martin'", NULL, NULL,
		    NULL), SQLITE_OK);
		ck_assert_ptr_nonnull(strstr(sqlite3_errmsg(h),
		    "a login never changes"));
		sqlite3_close(h);
	}
}
END_TEST

START_TEST(test_login_nonlatin)
{
	struct ledger		*l;
	struct ledger_acct	 a;
	struct dir_person	 p;

	l = open_ok();
	ck_assert_int_eq(ledger_run_begin(l, DATE, "test"), 0);
	person(&p, "9100007", "伟", "王");
	ck_assert_int_eq(ledger_account(l, &p, &a), LEDGER_CREATED);
	ck_assert_str_eq(a.login, "eleve.9100007");
	ck_assert_ptr_nonnull(strstr(diagcap_text(),
	    "ENT_0699990Z_Complet_Eleve_0000.xml:12:0: WARNING: name has no "
	    "Latin letters, login built from another source: Eleve 9100007, "
	    "login eleve.9100007 (from the id)"));
	person(&p, "9100008", "Дмитрий", "Шостакович");
	ck_assert_int_eq(ledger_account(l, &p, &a), LEDGER_CREATED);
	ck_assert_str_eq(a.login, "dmitriy.shostakovich");
	ck_assert_ptr_nonnull(strstr(diagcap_text(),
	    "login dmitriy.shostakovich (romanised)"));
	/* No warning for an existing account: it was said at creation. */
	diag_reset();
	ck_assert_int_eq(ledger_account(l, &p, &a), 0);
	ck_assert_int_eq(diag_worst(), LEVEL_OK);
	ledger_run_rollback(l);
	ledger_close(l);
}
END_TEST

/* --- runs that do not commit -------------------------------------- */

/* Add n students and issue their codes in the open run. */
static void
issue_many(struct ledger *l, int n, int base)
{
	struct dir_person	 p;
	struct ledger_acct	 a;
	char			 id[16], last[32], code[CRED_CODE_LEN + 1];
	int			 i;

	for (i = 0; i < n; i++) {
		snprintf(id, sizeof(id), "%d", base + i);
		snprintf(last, sizeof(last), "Nom%d", base + i);
		person(&p, id, "Prénom", last);
		ck_assert_int_eq(ledger_account(l, &p, &a), LEDGER_CREATED);
		ck_assert_int_eq(ledger_issue(l, &a, NULL, code, "0699990Z",
		    NULL, NULL), 0);
		cred_wipe(code, sizeof(code));
	}
}

/* Like issue_many, from rng; last receives the last code issued. */
static void
issue_many_rng(struct ledger *l, int n, int base, struct cred_rng *r,
    char last[CRED_CODE_LEN + 1])
{
	struct dir_person	 p;
	struct ledger_acct	 a;
	char			 id[16];
	int			 i;

	for (i = 0; i < n; i++) {
		snprintf(id, sizeof(id), "%d", base + i);
		person(&p, id, "Prénom", id);
		ck_assert_int_eq(ledger_account(l, &p, &a), LEDGER_CREATED);
		ck_assert_int_eq(ledger_issue(l, &a, r, last, "0699990Z",
		    NULL, NULL), 0);
	}
}

static void
check_empty(void)
{
	struct ledger		*l;
	struct ledger_acct	 a;

	ck_assert_int_eq(ledger_open(&l, db, 0), 0);
	ck_assert_int_eq(ledger_lookup(l, "aaf:Eleve:1000", &a),
	    LEDGER_NOTFOUND);
	ck_assert_int_eq(ledger_lookup_login(l, "prenom.nom1000", &a),
	    LEDGER_NOTFOUND);
	ledger_close(l);
	ck_assert_int_eq(raw_int(db, "SELECT count(*) FROM accounts"), 0);
	ck_assert_int_eq(raw_int(db, "SELECT count(*) FROM runs"), 0);
	ck_assert_int_eq(raw_int(db, "SELECT count(*) FROM serials"), 0);
}

START_TEST(test_rollback)
{
	struct ledger	*l;

	l = open_ok();
	ck_assert_int_eq(ledger_run_begin(l, DATE, "test"), 0);
	issue_many(l, 50, 1000);
	ledger_run_rollback(l);
	ledger_close(l);
	check_empty();
}
END_TEST

START_TEST(test_close_uncommitted)
{
	struct ledger	*l;

	l = open_ok();
	ck_assert_int_eq(ledger_run_begin(l, DATE, "test"), 0);
	issue_many(l, 50, 1000);
	ledger_close(l);
	check_empty();
}
END_TEST

/*
 * A run killed outright: the child process has issued 3,000 codes and
 * dies by SIGKILL before committing; the rollback journal is hot, and
 * the next open must find the ledger as the child found it.
 */
START_TEST(test_killed)
{
	struct ledger	*l;
	pid_t		 pid;
	int		 status;

	ledger_close(open_ok());
	if ((pid = fork()) == 0) {
		if (ledger_open(&l, db, 0) != 0 ||
		    ledger_run_begin(l, DATE, "test") != 0)
			_exit(1);
		issue_many(l, 3000, 1000);
		kill(getpid(), SIGKILL);
		_exit(2);
	}
	ck_assert_int_gt(pid, 0);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	check_empty();
}
END_TEST

/* --- codes ---------------------------------------------------------- */

START_TEST(test_commit_persists)
{
	struct ledger		*l;
	struct ledger_acct	 a, b;
	struct dir_person	 p;
	uint8_t			 fp[CRED_FP_LEN];
	char			 code[CRED_CODE_LEN + 1];

	l = open_ok();
	ck_assert_int_eq(ledger_run_begin(l, DATE, "entpress compile -o x.ps"),
	    0);
	person(&p, "4812735", "Jean", "Dupont");
	ck_assert_int_eq(ledger_account(l, &p, &a), LEDGER_CREATED);
	ck_assert_int_eq(a.has_code, 0);
	ck_assert_int_eq(ledger_issue(l, &a, NULL, code, "0699990Z",
	    "2026-10-31", NULL), 0);
	ck_assert_uint_eq(strlen(code), CRED_CODE_LEN);
	ck_assert_int_eq(ledger_run_manifest(l, "ab12"), 0);
	ck_assert_int_eq(ledger_run_commit(l), 0);
	ledger_close(l);

	ck_assert_int_eq(ledger_open(&l, db, 0), 0);
	ck_assert_int_eq(ledger_lookup(l, "aaf:Eleve:4812735", &b), 0);
	ck_assert_str_eq(b.login, "jean.dupont");
	ck_assert_int_eq(b.state, STATE_INACTIVE);
	ck_assert_int_eq(b.has_code, 1);
	cred_fingerprint(fp, ledger_fpkey(l), code);
	ck_assert(memcmp(b.fp, fp, CRED_FP_LEN) == 0);
	ck_assert(memcmp(b.fp, a.fp, CRED_FP_LEN) == 0);
	ck_assert_str_eq(b.issued, DATE);
	ck_assert_str_eq(b.expires, "2026-10-31");
	ck_assert_str_eq(b.serial, "2026-0699990Z-000001");
	ck_assert_int_eq(b.run, 1);
	ck_assert_int_eq(ledger_lookup_login(l, "jean.dupont", &b), 0);
	ck_assert_int_eq(b.id, a.id);
	ledger_close(l);
	cred_wipe(code, sizeof(code));
	ck_assert_int_eq(raw_int(db, "SELECT codes_issued FROM runs"), 1);
	ck_assert_int_eq(raw_int(db, "SELECT count(*) FROM runs WHERE "
	    "command = 'entpress compile -o x.ps' AND manifest_sha256 = 'ab12' "
	    "AND date = '" DATE "'"), 1);
}
END_TEST

START_TEST(test_revoked_unique)
{
	struct ledger		*l;
	struct ledger_acct	 a, b, c;
	struct dir_person	 p, q, n;
	struct cred_rng		 r;
	uint8_t			 fa[CRED_FP_LEN], fb[CRED_FP_LEN];
	char			 ca[CRED_CODE_LEN + 1], cb[CRED_CODE_LEN + 1];

	l = open_ok();
	ck_assert_int_eq(ledger_run_begin(l, DATE, "test"), 0);
	person(&p, "1", "Jean", "Dupont");
	person(&q, "2", "Anne", "Durand");
	ck_assert_int_eq(ledger_account(l, &p, &a), LEDGER_CREATED);
	ck_assert_int_eq(ledger_account(l, &q, &b), LEDGER_CREATED);
	memset(fa, 0xAA, sizeof(fa));
	memset(fb, 0xBB, sizeof(fb));
	ck_assert_int_eq(ledger_issue_fp(l, &a, fa, "0699990Z", NULL, NULL),
	    0);
	/* The same code again, or a current code elsewhere: refused. */
	ck_assert_int_eq(ledger_issue_fp(l, &a, fa, "0699990Z", NULL, NULL),
	    LEDGER_DUP);
	ck_assert_int_eq(ledger_issue_fp(l, &b, fa, "0699990Z", NULL, NULL),
	    LEDGER_DUP);
	ck_assert_int_eq(b.has_code, 0);
	ck_assert_int_eq(ledger_run_commit(l), 0);

	/* A lost letter: a new code, the old one revoked... */
	ck_assert_int_eq(ledger_run_begin(l, "2026-10-02", "reissue"), 0);
	ck_assert_int_eq(ledger_lookup_login(l, "jean.dupont", &a), 0);
	ck_assert_int_eq(ledger_issue_fp(l, &a, fb, "0699990Z", NULL, NULL),
	    0);
	ck_assert_str_eq(a.serial, "2026-0699990Z-000002");
	/* ...and still unique: nobody gets it again, not even its owner. */
	ck_assert_int_eq(ledger_issue_fp(l, &b, fa, "0699990Z", NULL, NULL),
	    LEDGER_DUP);
	ck_assert_int_eq(ledger_issue_fp(l, &a, fa, "0699990Z", NULL, NULL),
	    LEDGER_DUP);
	/* A new account (one INSERT with its code) is checked as well. */
	person(&n, "3", "Paul", "Neuf");
	ck_assert_int_eq(ledger_account(l, &n, &c), LEDGER_CREATED);
	ck_assert_int_eq(ledger_issue_fp(l, &c, fa, "0699990Z", NULL, NULL),
	    LEDGER_DUP);
	ck_assert_int_eq(ledger_issue_fp(l, &c, fb, "0699990Z", NULL, NULL),
	    LEDGER_DUP);
	ck_assert_int_eq(ledger_run_commit(l), 0);
	ck_assert_int_eq(ledger_lookup_login(l, "paul.neuf", &c), 0);
	ck_assert_int_eq(c.has_code, 0);

	/*
	 * ledger_issue draws again on a collision: the same seed twice
	 * gives the same first code, so the second account must skip it.
	 */
	ck_assert_int_eq(ledger_run_begin(l, "2026-10-03", "test"), 0);
	cred_rng_seed(&r, 5);
	ck_assert_int_eq(ledger_issue(l, &a, &r, ca, "0699990Z", NULL, NULL),
	    0);
	cred_rng_seed(&r, 5);
	ck_assert_int_eq(ledger_issue(l, &b, &r, cb, "0699990Z", NULL, NULL),
	    0);
	ck_assert_str_ne(ca, cb);
	ck_assert_int_eq(ledger_run_commit(l), 0);
	ledger_close(l);
	cred_rng_wipe(&r);
	cred_wipe(ca, sizeof(ca));
	cred_wipe(cb, sizeof(cb));

	ck_assert_int_eq(raw_int(db, "SELECT count(*) FROM revoked"), 2);
	ck_assert_str_eq(diagcap_text(), "");
	ck_assert_int_eq(raw_int(db, "SELECT count(*) FROM revoked WHERE "
	    "revoked = '2026-10-02' AND serial = '2026-0699990Z-000001' AND "
	    "issued = '" DATE "' AND run_id = 2"), 1);
	ck_assert_int_eq(raw_int(db, "SELECT codes_revoked FROM runs "
	    "WHERE id = 2"), 1);
	ck_assert_int_eq(raw_int(db, "SELECT codes_revoked FROM runs "
	    "WHERE id = 3"), 1);
}
END_TEST

/*
 * Test mode on a ledger that already has the seed's codes (the demo run
 * twice): the second run walks past them, the same way every time.
 */
START_TEST(test_seed_replayed)
{
	struct ledger	*l;
	struct cred_rng	 r;
	char		 first[CRED_CODE_LEN + 1], again[2][CRED_CODE_LEN + 1];
	int		 k;

	for (k = 0; k < 2; k++) {
		unlink(db);
		unlink(keyfile);
		l = open_ok();
		cred_rng_seed(&r, 3);
		ck_assert_int_eq(ledger_run_begin(l, DATE, "test"), 0);
		issue_many_rng(l, 40, 1000, &r, first);
		ck_assert_int_eq(ledger_run_commit(l), 0);
		cred_rng_seed(&r, 3);
		ck_assert_int_eq(ledger_run_begin(l, DATE, "test"), 0);
		issue_many_rng(l, 5, 2000, &r, again[k]);
		ck_assert_int_eq(ledger_run_commit(l), 0);
		ledger_close(l);
		ck_assert_str_ne(again[k], first);
	}
	ck_assert_str_eq(again[0], again[1]);
	ck_assert_str_eq(diagcap_text(), "");
	cred_rng_wipe(&r);
	cred_wipe(first, sizeof(first));
	cred_wipe(again, sizeof(again));
}
END_TEST

/*
 * The set compares the first 16 bytes of a fingerprint (ledger.c's
 * FPSET_KEY): what decides a duplicate in test_fp_set.
 */
#define SET_KEY		16

/*
 * Fingerprint i of test_fp_set: the first 3,000 share their first 12
 * bytes (one bucket of the set for all) and differ in the next four,
 * the next ones differ from the start; number 0 is all zeros, which the
 * set keeps apart from its empty slots.
 */
static void
fp_of(uint8_t fp[CRED_FP_LEN], int i)
{
	memset(fp, 0, CRED_FP_LEN);
	if (i == 0)
		return;
	if (i >= 3000)
		memcpy(fp, &i, sizeof(i));
	else
		memset(fp, 0x5A, 12);
	memcpy(fp + 12, &i, sizeof(i));
	memset(fp + SET_KEY, 0xC3, CRED_FP_LEN - SET_KEY);
}

/*
 * Duplicates are told from the set of every fingerprint in memory: the
 * codes of this run and of earlier ones, current and revoked, through
 * the set's growth, however alike the fingerprints; a fingerprint one
 * byte away from one in the ledger is new, unless that byte is past the
 * ones the set compares: then it is taken for the same (another code is
 * drawn; never a duplicate let through).
 */
START_TEST(test_fp_set)
{
	struct ledger		*l;
	struct ledger_acct	 a, b;
	struct dir_person	 p;
	uint8_t			 fp[CRED_FP_LEN];
	char			 id[16];
	int			 i;

	l = open_ok();
	ck_assert_int_eq(ledger_run_begin(l, DATE, "test"), 0);
	for (i = 0; i < 6000; i++) {
		snprintf(id, sizeof(id), "%d", 1000 + i);
		person(&p, id, "Jean", id);
		ck_assert_int_eq(ledger_account(l, &p, &a), LEDGER_CREATED);
		fp_of(fp, i);
		ck_assert_int_eq(ledger_issue_fp(l, &a, fp, "0699990Z", NULL,
		    NULL), 0);
		/* At once, in the same run, on the same account. */
		ck_assert_int_eq(ledger_issue_fp(l, &a, fp, "0699990Z", NULL,
		    NULL), LEDGER_DUP);
	}
	/* Account 1000 gets a new code; 0, all zeros, is revoked. */
	ck_assert_int_eq(ledger_lookup_login(l, "jean.1000", &a), 0);
	fp_of(fp, 9000);
	ck_assert_int_eq(ledger_issue_fp(l, &a, fp, "0699990Z", NULL, NULL),
	    0);
	ck_assert_int_eq(ledger_run_commit(l), 0);
	ledger_close(l);
	ck_assert_int_eq(raw_int(db, "SELECT count(*) FROM revoked"), 1);

	/* The next run loads them all from the ledger. */
	ck_assert_int_eq(ledger_open(&l, db, 0), 0);
	ck_assert_int_eq(ledger_run_begin(l, "2026-09-02", "test"), 0);
	person(&p, "99", "Anne", "Neuve");
	ck_assert_int_eq(ledger_account(l, &p, &b), LEDGER_CREATED);
	for (i = 0; i < 6000; i += 7) {
		fp_of(fp, i);
		ck_assert_int_eq(ledger_issue_fp(l, &b, fp, "0699990Z", NULL,
		    NULL), LEDGER_DUP);
		fp[CRED_FP_LEN - 1] ^= 1;
		ck_assert_int_eq(ledger_issue_fp(l, &b, fp, "0699990Z", NULL,
		    NULL), LEDGER_DUP);
		fp[CRED_FP_LEN - 1] ^= 1;
		fp[SET_KEY - 1] ^= 1;
		ck_assert_int_eq(ledger_issue_fp(l, &b, fp, "0699990Z", NULL,
		    NULL), 0);
		/* Issued just now: a duplicate from here on. */
		ck_assert_int_eq(ledger_issue_fp(l, &b, fp, "0699990Z", NULL,
		    NULL), LEDGER_DUP);
		fp[SET_KEY - 1] ^= 1;
	}
	fp_of(fp, 9000);
	ck_assert_int_eq(ledger_issue_fp(l, &b, fp, "0699990Z", NULL, NULL),
	    LEDGER_DUP);
	fp_of(fp, 9001);
	ck_assert_int_eq(ledger_issue_fp(l, &b, fp, "0699990Z", NULL, NULL),
	    0);
	ck_assert_int_eq(ledger_run_commit(l), 0);
	ledger_close(l);
	ck_assert_str_eq(diagcap_text(), "");
	/* Account 99 had 859 codes: all but the last are revoked. */
	ck_assert_int_eq(raw_int(db, "SELECT count(*) FROM revoked"), 859);
	ck_assert_int_eq(raw_int(db, "SELECT count(*) FROM accounts "
	    "WHERE fp IS NOT NULL"), 6001);
}
END_TEST

static void
issue_serial(struct ledger *l, const char *id, const char *uai,
    const char *want)
{
	struct dir_person	 p;
	struct ledger_acct	 a;
	char			 code[CRED_CODE_LEN + 1];

	person(&p, id, "Jean", "Dupont");
	ck_assert_int_ge(ledger_account(l, &p, &a), 0);
	ck_assert_int_eq(ledger_issue(l, &a, NULL, code, uai, NULL, NULL),
	    0);
	cred_wipe(code, sizeof(code));
	ck_assert_str_eq(a.serial, want);
}

static void
issue_letter(struct ledger *l, const char *id, const char *serial)
{
	struct dir_person	 p;
	struct ledger_acct	 a;
	char			 code[CRED_CODE_LEN + 1];

	person(&p, id, "Anne", "Dupont");
	ck_assert_int_ge(ledger_account(l, &p, &a), 0);
	ck_assert_int_eq(ledger_issue(l, &a, NULL, code, "0699990Z", NULL,
	    serial), 0);
	cred_wipe(code, sizeof(code));
	ck_assert_str_eq(a.serial, serial);
}

START_TEST(test_serials)
{
	struct ledger	*l;

	l = open_ok();
	ck_assert_int_eq(ledger_run_begin(l, DATE, "test"), 0);
	issue_serial(l, "1", "0699990Z", "2026-0699990Z-000001");
	issue_serial(l, "2", "0699990Z", "2026-0699990Z-000002");
	issue_serial(l, "3", "0690001a", "2026-0690001A-000001");
	issue_serial(l, "4", NULL, "2026-00000000-000001");
	ck_assert_int_eq(ledger_run_commit(l), 0);

	ck_assert_int_eq(ledger_run_begin(l, "2026-12-01", "test"), 0);
	issue_serial(l, "1", "0699990Z", "2026-0699990Z-000003");
	ck_assert_int_eq(ledger_run_commit(l), 0);

	/* A rolled-back run hands out nothing, not even a number. */
	ck_assert_int_eq(ledger_run_begin(l, "2026-12-02", "test"), 0);
	issue_serial(l, "1", "0699990Z", "2026-0699990Z-000004");
	ledger_run_rollback(l);
	ck_assert_int_eq(ledger_run_begin(l, "2026-12-03", "test"), 0);
	issue_serial(l, "1", "0699990Z", "2026-0699990Z-000004");
	ck_assert_int_eq(ledger_run_commit(l), 0);

	/* A household letter: two accounts, one serial, one number used. */
	ck_assert_int_eq(ledger_run_begin(l, "2026-12-04", "test"), 0);
	issue_serial(l, "5", "0699990Z", "2026-0699990Z-000005");
	issue_letter(l, "6", "2026-0699990Z-000005");
	issue_serial(l, "7", "0699990Z", "2026-0699990Z-000006");
	ck_assert_int_eq(ledger_run_commit(l), 0);

	/* A new year starts again. */
	ck_assert_int_eq(ledger_run_begin(l, "2027-01-04", "test"), 0);
	issue_serial(l, "2", "0699990Z", "2027-0699990Z-000001");
	ck_assert_int_eq(ledger_run_commit(l), 0);
	ledger_close(l);

	/* Past 999,999 letters, the number grows a digit. */
	raw_exec(db, "UPDATE serials SET last = 999998 WHERE year = 2027");
	l = open_ok();
	ck_assert_int_eq(ledger_run_begin(l, "2027-01-05", "test"), 0);
	issue_serial(l, "3", "0699990Z", "2027-0699990Z-999999");
	issue_serial(l, "4", "0699990Z", "2027-0699990Z-1000000");
	ck_assert_int_eq(ledger_run_commit(l), 0);
	ledger_close(l);
}
END_TEST

/* --- states ----------------------------------------------------------- */

START_TEST(test_states)
{
	struct ledger		*l;
	struct ledger_acct	 a;
	struct dir_person	 p, q;
	struct sel_opts		 o;

	l = open_ok();
	ck_assert_int_eq(ledger_run_begin(l, DATE, "test"), 0);
	person(&p, "1", "Jean", "Dupont");
	person(&q, "2", "Anne", "Durand");
	ck_assert_int_eq(ledger_account(l, &p, &a), LEDGER_CREATED);
	ck_assert_int_eq(ledger_run_commit(l), 0);

	/* accounts import */
	ck_assert_int_eq(ledger_run_begin(l, DATE, "accounts import"), 0);
	ck_assert_int_eq(ledger_set_state(l, "jean.dupont", STATE_ACTIVE), 0);
	ck_assert_int_eq(ledger_set_state(l, "nobody.here", STATE_ACTIVE),
	    LEDGER_NOTFOUND);
	ck_assert_int_eq(ledger_run_commit(l), 0);
	ck_assert_int_eq(ledger_lookup_login(l, "jean.dupont", &a), 0);
	ck_assert_int_eq(a.state, STATE_ACTIVE);

	/* The select callback: unknown people are new, inactive accounts. */
	sel_opts_init(&o);
	o.state_of = ledger_state_of;
	o.state_arg = l;
	ck_assert_int_eq(o.state_of(o.state_arg, &p), STATE_ACTIVE);
	ck_assert_int_eq(o.state_of(o.state_arg, &q), STATE_INACTIVE);
	ck_assert_int_eq(ledger_state_of(NULL, &p), STATE_INACTIVE);

	ck_assert_int_eq(ledger_run_begin(l, DATE, "accounts import"), 0);
	ck_assert_int_eq(ledger_set_state(l, "jean.dupont", STATE_DELETED), 0);
	ck_assert_int_eq(ledger_run_commit(l), 0);
	ck_assert_int_eq(ledger_state_of(l, &p), STATE_DELETED);
	ledger_close(l);
	ck_assert_int_eq(raw_int(db, "SELECT states_set FROM runs "
	    "WHERE id = 2"), 1);
}
END_TEST

/*
 * A read snapshot (compile's selection, list) answers as the queries
 * did: a known account with its state, an unknown one not found without
 * a query, and a run can begin once it ended and see its accounts.
 */
START_TEST(test_read_snapshot)
{
	struct ledger		*l;
	struct ledger_acct	 a;
	struct dir_person	 p, q, r;
	struct buf		 key;

	l = open_ok();
	ck_assert_int_eq(ledger_run_begin(l, DATE, "test"), 0);
	person(&p, "1", "Jean", "Dupont");
	person(&q, "2", "Anne", "Durand");
	person(&r, "3", "Paul", "Martin");
	ck_assert_int_eq(ledger_account(l, &p, &a), LEDGER_CREATED);
	ck_assert_int_eq(ledger_run_commit(l), 0);
	ck_assert_int_eq(ledger_run_begin(l, DATE, "accounts import"), 0);
	ck_assert_int_eq(ledger_set_state(l, "jean.dupont", STATE_ACTIVE), 0);
	ck_assert_int_eq(ledger_run_commit(l), 0);

	buf_init(&key);
	ck_assert_int_eq(ledger_read_begin(l), 0);
	ck_assert_int_eq(ledger_state_of(l, &p), STATE_ACTIVE);
	ck_assert_int_eq(ledger_state_of(l, &q), STATE_INACTIVE);
	ledger_acct_key(&key, &p);
	ck_assert_int_eq(ledger_lookup(l, key.p, &a), 0);
	ck_assert_str_eq(a.login, "jean.dupont");
	ledger_acct_key(&key, &q);
	ck_assert_int_eq(ledger_lookup(l, key.p, &a), LEDGER_NOTFOUND);

	ledger_acct_key(&key, &r);
	ck_assert_int_eq(ledger_lookup(l, key.p, &a), LEDGER_NOTFOUND);
	ledger_read_end(l);

	/* Paul is added by a run after the snapshot, then found. */
	ck_assert_int_eq(ledger_run_begin(l, DATE, "test"), 0);
	ck_assert_int_eq(ledger_account(l, &r, &a), LEDGER_CREATED);
	ck_assert_int_eq(ledger_run_commit(l), 0);
	ck_assert_int_eq(ledger_lookup(l, key.p, &a), 0);
	ck_assert_str_eq(a.login, "paul.martin");

	/* And a second snapshot knows him without a query. */
	ck_assert_int_eq(ledger_read_begin(l), 0);
	ck_assert_int_eq(ledger_lookup(l, key.p, &a), 0);
	ck_assert_str_eq(a.login, "paul.martin");
	ledger_read_end(l);
	buf_free(&key);
	ledger_close(l);
}
END_TEST

START_TEST(test_expired)
{
	struct ledger		*l;
	struct ledger_acct	 a;
	struct dir_person	 p;
	char			 code[CRED_CODE_LEN + 1];

	l = open_ok();
	ck_assert_int_eq(ledger_run_begin(l, DATE, "test"), 0);
	person(&p, "1", "Jean", "Dupont");
	ck_assert_int_eq(ledger_account(l, &p, &a), LEDGER_CREATED);
	ck_assert_int_eq(ledger_issue(l, &a, NULL, code, "0699990Z",
	    "2026-09-30", NULL), 0);
	cred_wipe(code, sizeof(code));
	ck_assert_int_eq(ledger_run_commit(l), 0);

	ledger_set_today(l, "2026-09-30");
	ck_assert_int_eq(ledger_state_of(l, &p), STATE_INACTIVE);
	ledger_set_today(l, "2026-10-01");
	ck_assert_int_eq(ledger_state_of(l, &p), STATE_EXPIRED);
	/* A used code does not expire. */
	ck_assert_int_eq(ledger_run_begin(l, "2026-10-01", "import"), 0);
	ck_assert_int_eq(ledger_set_state(l, "jean.dupont", STATE_ACTIVE), 0);
	ck_assert_int_eq(ledger_run_commit(l), 0);
	ck_assert_int_eq(ledger_state_of(l, &p), STATE_ACTIVE);
	ledger_close(l);
}
END_TEST

/* One letter of the open run, with the serial of its first account. */
static void
letter_add(struct ledger *l, const char *serial, const char *section,
    const char *group, const char *way, const char *replaces)
{
	struct ledger_letter	 lt;

	memset(&lt, 0, sizeof(lt));
	lt.serial = serial;
	lt.section = section;
	lt.group = group;
	lt.way = way;
	lt.first_page = 1;
	lt.last_page = 1;
	lt.replaces = replaces;
	ck_assert_int_eq(ledger_letter_add(l, &lt), 0);
}

/*
 * The loss report: two class letters, one staff letter and a household
 * letter for two parents; one student activates, the other loses the
 * letter and gets a new one; the parents never answer and their codes
 * expire.
 */
START_TEST(test_letters_report)
{
	struct ledger			*l;
	struct ledger_acct		 a, b, t, m, f;
	struct dir_person		 pa, pb, pt, pm, pf;
	struct ledger_report_row	*rows;
	char				 code[CRED_CODE_LEN + 1], old[40];
	size_t				 n;

	l = open_ok();
	ck_assert_int_eq(ledger_run_begin(l, DATE, "compile"), 0);
	person(&pa, "1", "Jean", "Dupont");
	person(&pb, "2", "Anne", "Durand");
	person(&pt, "3", "Paul", "Prof");
	pt.cat = CAT_PERSEDUCNAT;
	pt.profile = PROFILE_TEACHER;
	person(&pm, "4", "Marie", "Dupont");
	pm.cat = CAT_PERSRELELEVE;
	pm.profile = PROFILE_PARENT;
	person(&pf, "5", "Luc", "Dupont");
	pf.cat = CAT_PERSRELELEVE;
	pf.profile = PROFILE_PARENT;
	ck_assert_int_eq(ledger_account(l, &pa, &a), LEDGER_CREATED);
	ck_assert_int_eq(ledger_issue(l, &a, NULL, code, "0699990Z",
	    "2026-10-01", NULL), 0);
	letter_add(l, a.serial, "class", "4B", "class", NULL);
	ck_assert_int_eq(ledger_account(l, &pb, &b), LEDGER_CREATED);
	ck_assert_int_eq(ledger_issue(l, &b, NULL, code, "0699990Z",
	    "2026-10-01", NULL), 0);
	letter_add(l, b.serial, "class", "4B", "class", NULL);
	ck_assert_int_eq(ledger_account(l, &pt, &t), LEDGER_CREATED);
	ck_assert_int_eq(ledger_issue(l, &t, NULL, code, "0699990Z",
	    "2026-10-01", NULL), 0);
	letter_add(l, t.serial, "staff", "STAFF", "staff", NULL);
	ck_assert_int_eq(ledger_account(l, &pm, &m), LEDGER_CREATED);
	ck_assert_int_eq(ledger_issue(l, &m, NULL, code, "0699990Z",
	    "2026-09-15", NULL), 0);
	ck_assert_int_eq(ledger_account(l, &pf, &f), LEDGER_CREATED);
	ck_assert_int_eq(ledger_issue(l, &f, NULL, code, "0699990Z",
	    "2026-09-15", m.serial), 0);
	letter_add(l, m.serial, "mail", "MAIL", "post", NULL);
	ck_assert_int_eq(ledger_run_inputs(l, "/a/export.zip\n/a/manual.csv"),
	    0);
	ck_assert_int_eq(ledger_run_commit(l), 0);

	ck_assert_int_eq(ledger_run_begin(l, "2026-09-10", "import"), 0);
	ck_assert_int_eq(ledger_set_state(l, a.login, STATE_ACTIVE), 0);
	ck_assert_int_eq(ledger_run_commit(l), 0);

	ck_assert_int_eq(ledger_run_begin(l, "2026-09-12", "reissue"), 0);
	snprintf(old, sizeof(old), "%s", b.serial);
	ck_assert_int_eq(ledger_issue(l, &b, NULL, code, "0699990Z",
	    "2026-10-12", NULL), 0);
	letter_add(l, b.serial, "class", "4B", "class", old);
	ck_assert_int_eq(ledger_run_commit(l), 0);
	cred_wipe(code, sizeof(code));

	/* Before the parents' codes expire. */
	ck_assert_int_eq(ledger_report(l, "2026-09-14", &rows, &n), 0);
	ck_assert_uint_eq(n, 4);
	ck_assert_int_eq(rows[0].run, 1);
	ck_assert_str_eq(rows[0].date, DATE);
	ck_assert_str_eq(rows[0].section, "class");
	ck_assert_str_eq(rows[0].group, "4B");
	ck_assert_int_eq(rows[0].letters, 2);
	ck_assert_int_eq(rows[0].accounts, 2);
	ck_assert_int_eq(rows[0].activated, 1);
	ck_assert_int_eq(rows[0].outstanding, 0);
	ck_assert_int_eq(rows[0].replaced, 1);
	ck_assert_str_eq(rows[1].section, "staff");
	ck_assert_int_eq(rows[1].outstanding, 1);
	ck_assert_str_eq(rows[2].section, "mail");
	ck_assert_str_eq(rows[2].group, "MAIL");
	ck_assert_int_eq(rows[2].letters, 1);
	ck_assert_int_eq(rows[2].accounts, 2);
	ck_assert_int_eq(rows[2].outstanding, 2);
	ck_assert_int_eq(rows[2].expired, 0);
	ck_assert_int_eq(rows[3].run, 3);
	ck_assert_int_eq(rows[3].letters, 1);
	ck_assert_int_eq(rows[3].outstanding, 1);
	free(rows);

	/* After. */
	ck_assert_int_eq(ledger_report(l, "2026-09-16", &rows, &n), 0);
	ck_assert_uint_eq(n, 4);
	ck_assert_int_eq(rows[2].outstanding, 0);
	ck_assert_int_eq(rows[2].expired, 2);
	free(rows);
	ledger_close(l);
	ck_assert_int_eq(raw_int(db, "SELECT count(*) FROM letters WHERE "
	    "replaces IS NOT NULL AND run_id = 3"), 1);
	ck_assert_str_eq(diagcap_text(), "");
}
END_TEST

/* How many times the diagnostics so far say what. */
static int
cap_count(const char *what)
{
	const char	*t = diagcap_text();
	int		 n = 0;

	while ((t = strstr(t, what)) != NULL) {
		n++;
		t += strlen(what);
	}
	return n;
}

/*
 * A write that fails where the caller does not see it (queued, then done
 * by the run's writer): its message is the one it always had, printed
 * once, at the latest when the next lookup waits for the writes; every
 * call after it fails, the commit too, and the ledger is as before.
 * Two writes fail for sure: a letter serial recorded twice (the
 * letters' primary key), a code for an account that has no row.
 */
static void
queued_error(int ghost, const char *msg, enum diag_level level)
{
	struct ledger		*l;
	struct ledger_acct	 a;
	struct ledger_letter	 lt;
	uint8_t			 fp[CRED_FP_LEN];
	char			 serial[40];
	int			 i, rc;

	l = open_ok();
	ck_assert_int_eq(ledger_run_begin(l, DATE, "test"), 0);
	issue_many(l, 10, 1000);
	memset(&lt, 0, sizeof(lt));
	lt.serial = "2026-0699990Z-000001";
	lt.section = "class";
	lt.group = "4B";
	lt.way = "class";
	ck_assert_int_eq(ledger_letter_add(l, &lt), 0);
	if (ghost) {
		memset(&a, 0, sizeof(a));
		a.id = 4242;
		memset(fp, 0x42, sizeof(fp));
		rc = ledger_issue_fp(l, &a, fp, "0699990Z", NULL, NULL);
	} else
		rc = ledger_letter_add(l, &lt);
	/* Queued (0), or done at once without a writer thread (-1). */
	ck_assert(rc == 0 || rc == -1);
	/* Writes behind it, past a batch: dropped, or refused. */
	for (i = 0; i < 100; i++) {
		snprintf(serial, sizeof(serial), "2026-0699990Z-%06d", 100 + i);
		lt.serial = serial;
		rc = ledger_letter_add(l, &lt);
		ck_assert(rc == 0 || rc == -1);
	}
	ck_assert_int_eq(ledger_lookup(l, "aaf:Eleve:1000", &a), -1);
	ck_assert_int_eq(cap_count(msg), 1);
	ck_assert_int_eq(diag_worst(), level);
	ck_assert_int_eq(ledger_letter_add(l, &lt), -1);
	ck_assert_int_eq(ledger_run_commit(l), -1);
	ledger_close(l);
	ck_assert_int_eq(cap_count(msg), 1);
	ck_assert_int_eq(cap_count("entpress: "), 1);
	ck_assert_int_eq(raw_int(db, "SELECT count(*) FROM runs"), 0);
	ck_assert_int_eq(raw_int(db, "SELECT count(*) FROM accounts"), 0);
	ck_assert_int_eq(raw_int(db, "SELECT count(*) FROM letters"), 0);
}

START_TEST(test_queued_error)
{
	queued_error(0, "SYSERR: database error: recording a letter: UNIQUE "
	    "constraint failed: letters.serial\n", LEVEL_SYSERR);
	diagcap_stop();
	diagcap_start();
	unlink(db);
	unlink(keyfile);
	queued_error(1, "ERROR: ledger unusable: no account 4242\n",
	    LEVEL_ERROR);
}
END_TEST

START_TEST(test_bad_dates)
{
	struct ledger		*l;
	struct ledger_acct	 a;
	uint8_t			 fp[CRED_FP_LEN];

	l = open_ok();
	ck_assert_int_eq(ledger_run_begin(l, "1/9/2026", "test"), -1);
	ck_assert_int_eq(ledger_run_begin(l, DATE, "test"), 0);
	ck_assert_int_eq(ledger_add(l, "manual:ab", "manual", "guest",
	    "invite.ab", &a), 0);
	memset(fp, 7, sizeof(fp));
	ck_assert_int_eq(ledger_issue_fp(l, &a, fp, NULL, "soon", NULL), -1);
	ck_assert_int_eq(ledger_add(l, "manual:ac", "manual", "guest", "",
	    &a), -1);
	ledger_close(l);
	ck_assert_int_eq(diag_worst(), LEVEL_ERROR);
}
END_TEST

/* --- no code in clear ----------------------------------------------- */

static int
file_has(const char *path, const char *needle)
{
	FILE	*fp;
	char	*data;
	long	 n;
	int	 found;

	if ((fp = fopen(path, "rb")) == NULL)
		return 0;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	data = xmalloc((size_t)n + 1);
	ck_assert_uint_eq(fread(data, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	found = memmem(data, (size_t)n, needle, strlen(needle)) != NULL;
	free(data);
	return found;
}

START_TEST(test_no_clear_codes)
{
	struct ledger		*l;
	struct ledger_acct	 a;
	struct dir_person	 p;
	struct cred_rng		 r;
	char			(*codes)[CRED_CODE_LEN + 1];
	char			 id[16], g[CRED_CODE_LEN + 2], journal[320];
	int			 i, n = 300;

	/* codes[2i]: revoked (odd i only), codes[2i + 1]: current. */
	codes = xcalloc(2 * (size_t)n, sizeof(*codes));
	cred_rng_seed(&r, 99);
	l = open_ok();
	ck_assert_int_eq(ledger_run_begin(l, DATE, "test"), 0);
	for (i = 0; i < n; i++) {
		snprintf(id, sizeof(id), "%d", i);
		person(&p, id, "Jean", "Dupont");
		ck_assert_int_eq(ledger_account(l, &p, &a), LEDGER_CREATED);
		/* Half of them twice: the first code then sits in revoked. */
		if (i % 2)
			ck_assert_int_eq(ledger_issue(l, &a, &r, codes[2 * i],
			    "0699990Z", NULL, NULL), 0);
		ck_assert_int_eq(ledger_issue(l, &a, &r, codes[2 * i + 1],
		    "0699990Z", NULL, NULL), 0);
	}
	ck_assert_int_eq(ledger_run_commit(l), 0);
	ledger_close(l);

	snprintf(journal, sizeof(journal), "%s-journal", db);
	for (i = 0; i < 2 * n; i++) {
		if (codes[i][0] == '\0')
			continue;
		ck_assert_msg(!file_has(db, codes[i]), "code %d in ledger", i);
		ck_assert(!file_has(journal, codes[i]));
		cred_code_grouped(codes[i], g);
		ck_assert(!file_has(db, g));
		ck_assert(strstr(diagcap_text(), codes[i]) == NULL);
	}
	/* The same check finds a code that is there (the test can fail). */
	ck_assert(file_has(db, "jean.dupont"));
	cred_wipe(codes, 2 * (size_t)n * sizeof(*codes));
	free(codes);
	cred_rng_wipe(&r);
}
END_TEST

static Suite *
ledger_suite(void)
{
	Suite	*s = suite_create("ledger");
	TCase	*tc;

	tc = tcase_create("files");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_create_modes);
	tcase_add_test(tc, test_open_missing);
	tcase_add_test(tc, test_key_missing);
	tcase_add_test(tc, test_key_wrong_size);
	tcase_add_test(tc, test_key_without_ledger);
	tcase_add_test(tc, test_not_a_ledger);
	tcase_add_test(tc, test_newer_schema);
	tcase_add_test(tc, test_create_interrupted);
	tcase_add_test(tc, test_locked);
	tcase_add_test(tc, test_migrate_v0);
	tcase_add_test(tc, test_migrate_v1);
	suite_add_tcase(s, tc);

	tc = tcase_create("logins");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_acct_key);
	tcase_add_test(tc, test_homonyms);
	tcase_add_test(tc, test_login_stable);
	tcase_add_test(tc, test_login_nonlatin);
	suite_add_tcase(s, tc);

	tc = tcase_create("runs");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_rollback);
	tcase_add_test(tc, test_close_uncommitted);
	tcase_add_test(tc, test_killed);
	tcase_add_test(tc, test_commit_persists);
	tcase_add_test(tc, test_revoked_unique);
	tcase_add_test(tc, test_serials);
	tcase_add_test(tc, test_seed_replayed);
	tcase_add_test(tc, test_fp_set);
	tcase_add_test(tc, test_hset);
	tcase_add_test(tc, test_states);
	tcase_add_test(tc, test_read_snapshot);
	tcase_add_test(tc, test_expired);
	tcase_add_test(tc, test_letters_report);
	tcase_add_test(tc, test_queued_error);
	tcase_add_test(tc, test_bad_dates);
	tcase_add_test(tc, test_no_clear_codes);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	diag_init("entpress");
	if (cred_init() != 0)
		return EXIT_FAILURE;
	sr = srunner_create(ledger_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

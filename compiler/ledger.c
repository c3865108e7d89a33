/*
 * ledger: account state in SQLite, its key file, runs and migrations.
 * See ledger.h for the contract.
 *
 * Journal mode: DELETE (the classic rollback journal), not WAL.  A run
 * is one writer and one large transaction; WAL's gain, readers that do
 * not wait for the writer, buys nothing here, while it would put two
 * more files (-wal, -shm) beside the ledger for administrators to copy,
 * archive and keep private, and it does not work on the network shares
 * some schools keep their files on.  The rollback journal gives the
 * guarantee the runs rely on: after a kill the journal is hot, and the
 * next open restores the ledger as it was before the run.
 *
 * Hot paths (100,000 new accounts in one run) are kept to one prepared
 * statement per new account and its code: the account keys and logins
 * are loaded once per run into hash tables (a key not there is a new
 * account, no query needed); the account ledger_add makes is held back
 * until its first code, which then goes into the same INSERT (any other
 * use of the database inserts it first); every fingerprint of the ledger
 * is loaded once per run too, so that a code already issued is told
 * without a query; and the letter serial counters live in memory during
 * the run and are written back at commit.  Issuing a code and adding a
 * letter thus need nothing back from the database, and their writes are
 * done behind the caller, by a thread of the run (write-behind, below):
 * half of the print run's time was SQLite's, on the thread that also
 * composes the pages.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
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

/* PRAGMA application_id: "ENTP", so file(1) and we can tell a ledger. */
#define LEDGER_APPID	0x454E5450

/*
 * The schema, without the meta table (which every version has): the
 * version 1 tables, then what each later version changed.  A new ledger
 * is created by running the same text as a migrated one, so that both
 * have exactly the same schema (sqlite_master keeps the text of an ALTER
 * TABLE ADD COLUMN inside the CREATE TABLE).  Changing the schema means a
 * new LEDGER_SCHEMA, a new SCHEMA_Vn_DELTA and its migration below.
 *
 * The state CHECK spells out its comparisons: SQLite evaluates an IN
 * list of more than two values through a temporary table built for each
 * row, which doubled the cost of adding an account.  The fingerprint
 * index is partial so that an account without a code costs no entry.
 */
#define SCHEMA_V1_TABLES \
"CREATE TABLE runs (\n" \
"	id		INTEGER PRIMARY KEY,\n" \
"	date		TEXT NOT NULL,		-- YYYY-MM-DD of the run\n" \
"	command		TEXT NOT NULL,		-- command line, no secrets\n" \
"	manifest_sha256	TEXT,			-- hex, once written\n" \
"	accounts_new	INTEGER NOT NULL DEFAULT 0,\n" \
"	codes_issued	INTEGER NOT NULL DEFAULT 0,\n" \
"	codes_revoked	INTEGER NOT NULL DEFAULT 0,\n" \
"	states_set	INTEGER NOT NULL DEFAULT 0\n" \
");\n" \
"CREATE TABLE accounts (\n" \
"	id		INTEGER PRIMARY KEY,\n" \
"	key		TEXT NOT NULL UNIQUE,	-- aaf:Eleve:4812735, manual:<hex>\n" \
"	origin		TEXT NOT NULL CHECK (origin IN ('aaf', 'manual')),\n" \
"	profile		TEXT NOT NULL,\n" \
"	login		TEXT NOT NULL UNIQUE,\n" \
"	state		TEXT NOT NULL DEFAULT 'inactive'\n" \
"			CHECK (state = 'inactive' OR state = 'active' OR\n" \
"			    state = 'deleted'),\n" \
"	fp		BLOB CHECK (fp IS NULL OR length(fp) = 32),\n" \
"	issued		TEXT,			-- date of the current code\n" \
"	expires		TEXT,\n" \
"	serial		TEXT,			-- letter of the current code\n" \
"	run_id		INTEGER REFERENCES runs(id),\n" \
"	created_run	INTEGER REFERENCES runs(id)\n" \
");\n" \
"CREATE UNIQUE INDEX accounts_fp ON accounts(fp) WHERE fp IS NOT NULL;\n" \
"CREATE TABLE revoked (\n" \
"	fp		BLOB PRIMARY KEY,	-- keyed fingerprint\n" \
"	account_id	INTEGER NOT NULL REFERENCES accounts(id),\n" \
"	issued		TEXT,\n" \
"	serial		TEXT,\n" \
"	revoked		TEXT NOT NULL,		-- date it was replaced\n" \
"	run_id		INTEGER REFERENCES runs(id)\n" \
") WITHOUT ROWID;\n" \
"CREATE INDEX revoked_account ON revoked(account_id);\n" \
"CREATE TABLE serials (\n" \
"	year		INTEGER NOT NULL,\n" \
"	uai		TEXT NOT NULL,\n" \
"	last		INTEGER NOT NULL,	-- last number handed out\n" \
"	PRIMARY KEY (year, uai)\n" \
") WITHOUT ROWID;\n" \
"CREATE TRIGGER accounts_login_fixed BEFORE UPDATE OF login ON accounts\n" \
"WHEN NEW.login IS NOT OLD.login BEGIN\n" \
"	SELECT RAISE(ABORT, 'a login never changes');\n" \
"END;\n" \
"CREATE TRIGGER accounts_fp_unique BEFORE UPDATE OF fp ON accounts\n" \
"WHEN NEW.fp IS NOT NULL AND (NEW.fp IS OLD.fp OR\n" \
"    EXISTS (SELECT 1 FROM revoked WHERE fp = NEW.fp)) BEGIN\n" \
"	SELECT RAISE(ABORT, 'code already issued');\n" \
"END;\n" \
"CREATE TRIGGER accounts_revoke AFTER UPDATE OF fp ON accounts\n" \
"WHEN OLD.fp IS NOT NULL BEGIN\n" \
"	INSERT INTO revoked (fp, account_id, issued, serial, revoked, run_id)\n" \
"	VALUES (OLD.fp, OLD.id, OLD.issued, OLD.serial, NEW.issued,\n" \
"	    NEW.run_id);\n" \
"END;\n"

/*
 * Version 2: the archive.  runs.inputs keeps the absolute paths of the
 * run's EXPORT operands, one a line, so that a reissue can read the
 * export again by itself; letters keeps each letter of a run (its
 * section, group, delivery way and pages, and the letter it replaces),
 * so that the loss report needs no export at all.  A letter's accounts
 * are found through the serial that accounts and revoked keep.
 * Section and way CHECKs spell out their comparisons, as the state's
 * does above.
 */
#define SCHEMA_V2_DELTA \
"ALTER TABLE runs ADD COLUMN inputs TEXT;\n" \
"CREATE TABLE letters (\n" \
"	serial		TEXT PRIMARY KEY,	-- 2026-0699990Z-000123\n" \
"	run_id		INTEGER REFERENCES runs(id),\n" \
"	section		TEXT CHECK (section IS NULL OR section = 'class' OR\n" \
"			    section = 'staff' OR section = 'mail'),\n" \
"	group_label	TEXT,			-- 4B, STAFF, MAIL\n" \
"	way		TEXT CHECK (way IS NULL OR way = 'class' OR\n" \
"			    way = 'staff' OR way = 'post'),\n" \
"	first_page	INTEGER,		-- in the print run, from 1\n" \
"	last_page	INTEGER,\n" \
"	replaces	TEXT			-- serial of the letter replaced\n" \
");\n"

static const char schema_create[] =
	"CREATE TABLE meta (\n"
	"	name	TEXT PRIMARY KEY,\n"
	"	value	TEXT NOT NULL\n"
	") WITHOUT ROWID;\n"
	"INSERT INTO meta VALUES ('schema_version', '2');\n"
	SCHEMA_V1_TABLES
	SCHEMA_V2_DELTA;

/*
 * Version 0 is the layout of the first prototype, never released: runs
 * without counts, accounts without expiry or serial, no serial counters.
 * Its tables are renamed away, the version 1 tables created, the rows
 * copied and the old tables dropped, so that a migrated ledger has
 * exactly the schema of a new one (ALTER TABLE ADD COLUMN could not add
 * the CHECK constraints).
 */
static const char migrate_0_1[] =
	"ALTER TABLE revoked RENAME TO v0_revoked;\n"
	"ALTER TABLE accounts RENAME TO v0_accounts;\n"
	"ALTER TABLE runs RENAME TO v0_runs;\n"
	SCHEMA_V1_TABLES
	"INSERT INTO runs (id, date, command)\n"
	"	SELECT id, date, command FROM v0_runs;\n"
	"INSERT INTO accounts (id, key, origin, profile, login, state, fp,\n"
	"    issued)\n"
	"	SELECT id, key, origin, profile, login, state, fp, issued\n"
	"	FROM v0_accounts;\n"
	"INSERT INTO revoked (fp, account_id, revoked)\n"
	"	SELECT fp, account_id, revoked FROM v0_revoked;\n"
	"DROP TABLE v0_revoked;\n"
	"DROP TABLE v0_accounts;\n"
	"DROP TABLE v0_runs;\n";

/*
 * Version 1 knew the current letter of each account (accounts.serial
 * and run_id), not its section or pages, nor the letters of revoked
 * codes: those letters are recorded with what is known, and the report
 * shows their section as unknown.  Export paths were never kept.
 */
static const char migrate_1_2[] =
	SCHEMA_V2_DELTA
	"INSERT INTO letters (serial, run_id)\n"
	"	SELECT serial, min(run_id) FROM accounts\n"
	"	WHERE serial IS NOT NULL GROUP BY serial;\n";

/* Migration from version i to i + 1, indexed by i. */
static const char *const migrations[LEDGER_SCHEMA] = {
	migrate_0_1,			/* 0 -> 1 */
	migrate_1_2,			/* 1 -> 2 */
};

enum stmt {
	STMT_LOOKUP_KEY,
	STMT_LOOKUP_LOGIN,
	STMT_INSERT_ACCT,
	STMT_LOGINS,
	STMT_FPS,
	STMT_SET_CODE,
	STMT_SET_STATE,
	STMT_SERIAL_GET,
	STMT_SERIAL_PUT,
	STMT_RUN_INSERT,
	STMT_RUN_MANIFEST,
	STMT_RUN_COUNTS,
	STMT_RUN_REVOKED,
	STMT_RUN_INPUTS,
	STMT_RUN_GET,
	STMT_LETTER_ADD,
	STMT_ACCT_KEY,
	STMT_FP_OF,
	STMT__MAX
};

#define ACCT_COLUMNS \
	"SELECT id, login, state, fp, issued, expires, serial, run_id " \
	"FROM accounts "

static const char *const stmt_sql[STMT__MAX] = {
	/* STMT_LOOKUP_KEY */
	ACCT_COLUMNS "WHERE key = ?1",
	/* STMT_LOOKUP_LOGIN */
	ACCT_COLUMNS "WHERE login = ?1",
	/* STMT_INSERT_ACCT: a new account, with its first code or not. */
	"INSERT INTO accounts (id, key, origin, profile, login, created_run, "
	"fp, issued, expires, serial, run_id) "
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
	/* STMT_LOGINS */
	"SELECT key, login FROM accounts",
	/* STMT_FPS: every fingerprint, current or revoked (struct fpset). */
	"SELECT fp FROM accounts WHERE fp IS NOT NULL "
	"UNION ALL SELECT fp FROM revoked",
	/*
	 * STMT_SET_CODE: the triggers refuse a fingerprint already issued
	 * and move the replaced one to the revoked codes.
	 */
	"UPDATE accounts SET fp = ?2, issued = ?3, expires = ?4, serial = ?5, "
	"run_id = ?6 WHERE id = ?1",
	/* STMT_SET_STATE */
	"UPDATE accounts SET state = ?2 WHERE login = ?1",
	/* STMT_SERIAL_GET */
	"SELECT last FROM serials WHERE year = ?1 AND uai = ?2",
	/* STMT_SERIAL_PUT */
	"INSERT INTO serials (year, uai, last) VALUES (?1, ?2, ?3) "
	"ON CONFLICT (year, uai) DO UPDATE SET last = excluded.last",
	/* STMT_RUN_INSERT */
	"INSERT INTO runs (date, command) VALUES (?1, ?2)",
	/* STMT_RUN_MANIFEST */
	"UPDATE runs SET manifest_sha256 = ?2 WHERE id = ?1",
	/* STMT_RUN_COUNTS */
	"UPDATE runs SET accounts_new = ?2, codes_issued = ?3, "
	"codes_revoked = ?4, states_set = ?5 WHERE id = ?1",
	/* STMT_RUN_REVOKED */
	"SELECT count(*) FROM revoked WHERE run_id = ?1",
	/* STMT_RUN_INPUTS */
	"UPDATE runs SET inputs = ?2 WHERE id = ?1",
	/* STMT_RUN_GET */
	"SELECT date, command, inputs, manifest_sha256 FROM runs WHERE id = ?1",
	/* STMT_LETTER_ADD */
	"INSERT INTO letters (serial, run_id, section, group_label, way, "
	"first_page, last_page, replaces) "
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	/* STMT_ACCT_KEY */
	"SELECT key, profile FROM accounts WHERE login = ?1",
	/* STMT_FP_OF: a code of this login, current or revoked. */
	"SELECT 1 FROM accounts WHERE login = ?1 AND fp = ?2 "
	"UNION ALL SELECT 1 FROM revoked r JOIN accounts a "
	"ON a.id = r.account_id WHERE a.login = ?1 AND r.fp = ?2 LIMIT 1",
};

/* A letter serial counter, cached for the length of a run. */
struct serial_ctr {
	int		 year;
	char		 uai[12];	/* a UAI is 8 */
	sqlite3_int64	 last;
};

/*
 * Every fingerprint of the ledger, current and revoked, for the length
 * of a run: a code drawn is new when its fingerprint is not here, so
 * that LEDGER_DUP is answered without a query and issuing a code needs
 * nothing back from the database (the run's writes can then be done
 * later, on another thread).  The accounts_fp index and the
 * accounts_fp_unique trigger still refuse a duplicate that got past
 * this, as an error.  An open-addressed table of the first FPSET_KEY
 * bytes of each fingerprint, at most three quarters full: half of the
 * 32 bytes is plenty to tell codes apart, and the memory (the set of a
 * large academy is megabytes) counts against the run's peak.  Two
 * fingerprints that only differ further on (1 in 2^128) are taken for
 * the same, which costs another draw, never a duplicate.  A fingerprint
 * is a keyed BLAKE2b hash, so its first bytes are the hash of the
 * table.  All-zero slots are empty, and an all-zero key (which no code
 * has, but a caller may pass) is a flag of its own.
 */
#define FPSET_KEY	16

struct fpset {
	uint8_t			(*v)[FPSET_KEY];
	size_t			 cap;		/* power of two, or 0 */
	size_t			 len;
	int			 zero;		/* holds the all-zero one */
};

/*
 * The run's writes, done behind the main thread (see "write-behind"
 * below).  One write is copied into the ring whole; nothing in it is
 * secret (a fingerprint, a serial, names), so a slot is reused or freed
 * without wiping.
 */
#define WB_LEN		256		/* writes in the ring */
#define WB_BATCH	32		/* writes that wake the writer */

enum wb_kind {
	WB_ACCOUNT,		/* a new account, with its first code or not */
	WB_CODE,		/* a new code for an account that has a row */
	WB_LETTER		/* a letter of the run */
};

struct wb_op {
	enum wb_kind		 kind;
	sqlite3_int64		 id;		/* the account's row id */
	const char		*key, *origin, *profile, *login; /* arena */
	int			 has_fp;
	uint8_t			 fp[CRED_FP_LEN];
	char			 expires[LEDGER_DATE_LEN];	/* "" never */
	char			 serial[LEDGER_SERIAL_MAX];
	struct ledger_letter	 letter;	/* its strings in text */
	char			*text;		/* allocated, or NULL */
};

struct wb {
	pthread_t		 th;
	pthread_mutex_t		 mu;
	pthread_cond_t		 work;		/* a batch was queued, or quit */
	pthread_cond_t		 done;		/* a batch was done */
	struct wb_op		 slot[WB_LEN];
	size_t			 head, n;	/* queued: slot[head], n of them */
	int			 busy;		/* a thread is doing a batch */
	int			 quit;
	int			 err;		/* a write failed: drop the rest */
};

struct ledger {
	int			 test;		/* created in test mode */
	sqlite3			*db;
	char			*path;
	char			*keypath;
	uint8_t			 key[CRED_KEY_LEN];	/* fingerprint key */
	sqlite3_stmt		*stmt[STMT__MAX];
	char			 today[LEDGER_DATE_LEN];	/* for expiry */

	/* The open run, if any. */
	int			 in_run;
	int			 in_read;	/* ledger_read_begin */
	sqlite3_int64		 run;
	char			 date[LEDGER_DATE_LEN];
	long long		 n_new, n_issued, n_revoked, n_states;
	struct arena		 arena;		/* login bases, counters */
	/*
	 * Every account key and login, once loaded, as digests (mem.h): a
	 * yes for a key is confirmed by a query; a wrong yes for a login,
	 * about one in 2^64 / n, would only give it the next suffix.
	 */
	struct hset		 keys;
	struct hset		 logins;
	struct hmap		 bases;		/* login base -> last suffix */
	int			 loaded;
	struct fpset		 fps;		/* every fingerprint, once loaded */
	int			 fps_loaded;
	sqlite3_int64		 next_id;	/* row id of the next account */
	struct {
		int		 on;
		sqlite3_int64	 id;
		const char	*origin, *profile; /* static */
		char		*text;		/* key and login, allocated */
		size_t		 keylen;
	}			 pend;		/* account not inserted yet */
	struct hmap		 serials;	/* "year/uai" -> serial_ctr */
	struct serial_ctr	**ctrs;
	size_t			 nctrs;
	struct serial_ctr	*last_ctr;	/* of the last uai asked for */
	char			 last_uai[16];	/* caller's string, compared */

	struct buf		 keybuf;	/* account key scratch */
	struct wb		*wb;		/* the run's writer, or NULL */
};

static int	 flush(struct ledger *);
static int	 drain(struct ledger *);

static const char *const profile_words[PROFILE__MAX] = {
	"compte",		/* PROFILE_NONE */
	"eleve",		/* PROFILE_STUDENT */
	"enseignant",		/* PROFILE_TEACHER */
	"personnel",		/* PROFILE_STAFF */
	"parent",		/* PROFILE_PARENT */
	"invite",		/* PROFILE_GUEST */
};

/* --- helpers ---------------------------------------------------------- */

static int
sql_fail(struct ledger *l, const char *what)
{
	int	 rc = sqlite3_errcode(l->db);

	if (rc == SQLITE_NOTADB)
		diag_sys(DIAG_BAD_LEDGER, l->path, "not an SQLite database");
	else if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
		diag_sys(DIAG_SYS_SQLITE, l->path,
		    "%s: ledger in use by another entpress", what);
	else
		diag_sys(DIAG_SYS_SQLITE, l->path, "%s: %s", what,
		    sqlite3_errmsg(l->db));
	return -1;
}

static int
exec(struct ledger *l, const char *sql, const char *what)
{
	if (sqlite3_exec(l->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return sql_fail(l, what);
	return 0;
}

/* The prepared statement, reset and with its bindings cleared. */
static sqlite3_stmt *
stmt(struct ledger *l, enum stmt which)
{
	sqlite3_stmt	*s = l->stmt[which];

	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return s;
}

/* Step a statement that returns no row; reset it either way. */
static int
step_done(struct ledger *l, sqlite3_stmt *s, const char *what)
{
	int	 rc = sqlite3_step(s);

	if (rc != SQLITE_DONE)
		sql_fail(l, what);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

static void
bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v == NULL || *v == '\0')
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
}

/* Copy a text column into a fixed buffer; 0, or -1 if it does not fit. */
static int
col_text(sqlite3_stmt *s, int i, char *out, size_t sz)
{
	const unsigned char	*v = sqlite3_column_text(s, i);
	size_t			 n = (size_t)sqlite3_column_bytes(s, i);

	out[0] = '\0';
	if (v == NULL)
		return 0;
	if (n >= sz)
		return -1;
	memcpy(out, v, n);
	out[n] = '\0';
	return 0;
}

/*
 * Copy a string that was checked to fit (a date, a serial), NULL as "":
 * snprintf("%s") was most of what issuing a code cost on the main
 * thread once its writes were queued.
 */
static void
copy_fit(char *dst, size_t sz, const char *src)
{
	size_t	 n = src != NULL ? strlen(src) : 0;

	if (n >= sz)
		abort();
	memcpy(dst, src != NULL ? src : "", n + 1);
}

/* --- the fingerprint set ------------------------------------------- */

static int
key_zero(const uint8_t k[FPSET_KEY])
{
	static const uint8_t	 zero[FPSET_KEY];

	return memcmp(k, zero, FPSET_KEY) == 0;
}

/* The slot of fp's key, or the empty slot where it would go. */
static uint8_t *
fpset_slot(const struct fpset *f, const uint8_t *fp)
{
	uint64_t	 h;
	size_t		 i, mask = f->cap - 1;

	memcpy(&h, fp, sizeof(h));
	for (i = (size_t)h & mask;; i = (i + 1) & mask)
		if (memcmp(f->v[i], fp, FPSET_KEY) == 0 || key_zero(f->v[i]))
			return f->v[i];
}

static int
fpset_has(const struct fpset *f, const uint8_t fp[CRED_FP_LEN])
{
	if (key_zero(fp))
		return f->zero;
	return f->cap > 0 && !key_zero(fpset_slot(f, fp));
}

static void
fpset_add(struct fpset *f, const uint8_t fp[CRED_FP_LEN])
{
	struct fpset	 old = *f;
	uint8_t		*s;
	size_t		 i;

	if (key_zero(fp)) {
		f->zero = 1;
		return;
	}
	if ((f->len + 1) * 4 > f->cap * 3) {
		f->cap = old.cap == 0 ? 1024 : old.cap * 2;
		f->v = xcalloc(f->cap, FPSET_KEY);
		for (i = 0; i < old.cap; i++)
			if (!key_zero(old.v[i]))
				memcpy(fpset_slot(f, old.v[i]), old.v[i],
				    FPSET_KEY);
		free(old.v);
	}
	s = fpset_slot(f, fp);
	if (key_zero(s)) {
		memcpy(s, fp, FPSET_KEY);
		f->len++;
	}
}

static void
fpset_free(struct fpset *f)
{
	free(f->v);
	memset(f, 0, sizeof(*f));
}

/* Writing outside a run is a programming error. */
static void
need_run(const struct ledger *l)
{
	if (!l->in_run)
		abort();
}

/*
 * Writes need the run's transaction.  After some errors (disk full, I/O)
 * SQLite rolls it back by itself; carrying on would commit every later
 * statement on its own, so the run stops here instead.  Only the thread
 * that holds the connection may ask: the writer before each write it
 * does, the main thread after drain().
 */
static int
run_alive(struct ledger *l)
{
	if (sqlite3_get_autocommit(l->db)) {
		diag_sys(DIAG_SYS_SQLITE, l->path, "the run was rolled back "
		    "after an error, nothing issued");
		return 0;
	}
	return 1;
}

/* Before a write done at once: every queued one done, the run alive. */
static int
run_sync(struct ledger *l)
{
	need_run(l);
	if (drain(l) == -1 || !run_alive(l))
		return -1;
	return 0;
}

/* --- write-behind --------------------------------------------------- */

/*
 * The rows a run writes for each letter (a new account with its first
 * code, a code on an account that has a row, the letter) only go into
 * the database: nothing the run does next reads them back, except
 * through the lookups, which wait for them.  So the main thread queues
 * them and goes on composing pages while a writer thread of the run
 * does them, in the order queued, on the same connection, inside the
 * run's transaction; the API stays synchronous.
 *
 * One thread uses the connection at a time (SQLite's multi-thread mode,
 * SQLITE_OPEN_NOMUTEX): the writer while it does a batch, the main
 * thread after drain(), which every function that reads the database
 * or writes synchronously calls first.  drain() waits for a batch the
 * writer is doing, then does what is left itself: a few writes cost
 * less than waking the writer and waiting for it, which matters when
 * lookups and writes alternate (a reissue, expired codes).  The mutex
 * handing the connection over orders the threads' uses of it.
 *
 * The writer wakes for a batch of WB_BATCH writes, not for each, so
 * that the threads do not ping-pong on a shared processor (as the page
 * queue of compose.c).  A write that fails is diagnosed where it is
 * done, with the message it always had (sql_fail), and the writes after
 * it are dropped: the next write queued, drain() and so the commit
 * return -1, and the run is rolled back as before, later by at most a
 * ring of writes.  No write carries a code: the set of fingerprints
 * decided LEDGER_DUP before the write was queued.
 *
 * Without a writer thread (SQLite built without threads, or
 * pthread_create failed), each write is done at once, as it is queued.
 */

/* One write, on whichever thread holds the connection: 0 or -1. */
static int
wb_exec(struct ledger *l, const struct wb_op *op)
{
	const struct ledger_letter	*lt = &op->letter;
	sqlite3_stmt			*s;

	if (!run_alive(l))
		return -1;
	switch (op->kind) {
	case WB_ACCOUNT:
		s = stmt(l, STMT_INSERT_ACCT);
		sqlite3_bind_int64(s, 1, op->id);
		sqlite3_bind_text(s, 2, op->key, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 3, op->origin, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 4, op->profile, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 5, op->login, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 6, l->run);
		if (op->has_fp) {
			sqlite3_bind_blob(s, 7, op->fp, CRED_FP_LEN,
			    SQLITE_STATIC);
			sqlite3_bind_text(s, 8, l->date, -1, SQLITE_STATIC);
			bind_text(s, 9, op->expires);
			sqlite3_bind_text(s, 10, op->serial, -1,
			    SQLITE_STATIC);
			sqlite3_bind_int64(s, 11, l->run);
		}
		return step_done(l, s, "adding an account");
	case WB_CODE:
		s = stmt(l, STMT_SET_CODE);
		sqlite3_bind_int64(s, 1, op->id);
		sqlite3_bind_blob(s, 2, op->fp, CRED_FP_LEN, SQLITE_STATIC);
		sqlite3_bind_text(s, 3, l->date, -1, SQLITE_STATIC);
		bind_text(s, 4, op->expires);
		sqlite3_bind_text(s, 5, op->serial, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 6, l->run);
		if (step_done(l, s, "issuing a code") == -1)
			return -1;
		if (sqlite3_changes(l->db) != 1) {
			diag_sys(DIAG_BAD_LEDGER, l->path, "no account %lld",
			    (long long)op->id);
			return -1;
		}
		return 0;
	case WB_LETTER:
		s = stmt(l, STMT_LETTER_ADD);
		sqlite3_bind_text(s, 1, lt->serial, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, l->run);
		bind_text(s, 3, lt->section);
		bind_text(s, 4, lt->group);
		bind_text(s, 5, lt->way);
		if (lt->first_page > 0) {
			sqlite3_bind_int64(s, 6, lt->first_page);
			sqlite3_bind_int64(s, 7, lt->last_page);
		}
		bind_text(s, 8, lt->replaces);
		return step_done(l, s, "recording a letter");
	}
	abort();
}

static void
wb_op_free(struct wb_op *op)
{
	free(op->text);
	op->text = NULL;
}

/*
 * Do k queued writes from slot head, or drop them if a write failed
 * before (err): 1 if one failed, else 0.  The caller marked the ring
 * busy: the slots are its own until it says they are done.
 */
static int
wb_batch(struct ledger *l, size_t head, size_t k, int err)
{
	struct wb_op	*op;
	size_t		 i;

	for (i = 0; i < k; i++) {
		op = &l->wb->slot[(head + i) % WB_LEN];
		if (!err && wb_exec(l, op) != 0)
			err = 1;
		wb_op_free(op);
	}
	return err;
}

/* Under the lock: what is queued becomes a batch, or the batch is done. */
static void
wb_take(struct wb *q, size_t *head, size_t *k, int *err)
{
	*head = q->head;
	*k = q->n;
	*err = q->err;
	q->busy = 1;
}

static void
wb_done(struct wb *q, size_t k, int err)
{
	q->head = (q->head + k) % WB_LEN;
	q->n -= k;
	q->busy = 0;
	if (err)
		q->err = 1;
	pthread_cond_signal(&q->done);
}

/*
 * Under the lock, on whichever thread: take what is queued as a batch,
 * do it with the lock released, mark it done.  1 if a write failed.
 */
static int
wb_run(struct ledger *l)
{
	struct wb	*q = l->wb;
	size_t		 head, k;
	int		 err;

	wb_take(q, &head, &k, &err);
	pthread_mutex_unlock(&q->mu);
	err = wb_batch(l, head, k, err);
	pthread_mutex_lock(&q->mu);
	wb_done(q, k, err);
	return err;
}

static void *
wb_main(void *arg)
{
	struct ledger	*l = arg;
	struct wb	*q = l->wb;

	pthread_mutex_lock(&q->mu);
	for (;;) {
		while ((q->n < WB_BATCH || q->busy) && !q->quit)
			pthread_cond_wait(&q->work, &q->mu);
		if (q->quit)
			break;
		(void)wb_run(l);
	}
	pthread_mutex_unlock(&q->mu);
	return NULL;
}

/* The run's writer, at its start; without one, writes are done at once. */
static void
wb_start(struct ledger *l)
{
	struct wb	*q;

	/* An SQLite built without threads must stay on one. */
	if (sqlite3_threadsafe() == 0)
		return;
	q = xcalloc(1, sizeof(*q));
	pthread_mutex_init(&q->mu, NULL);
	pthread_cond_init(&q->work, NULL);
	pthread_cond_init(&q->done, NULL);
	l->wb = q;
	if (pthread_create(&q->th, NULL, wb_main, l) != 0) {
		l->wb = NULL;
		pthread_mutex_destroy(&q->mu);
		pthread_cond_destroy(&q->work);
		pthread_cond_destroy(&q->done);
		free(q);
	}
}

/*
 * At the run's end: the writer finishes its batch and leaves; what is
 * still queued is dropped (a commit drained the ring before, a rollback
 * does not need it).
 */
static void
wb_stop(struct ledger *l)
{
	struct wb	*q = l->wb;

	if (q == NULL)
		return;
	pthread_mutex_lock(&q->mu);
	q->quit = 1;
	pthread_cond_signal(&q->work);
	pthread_mutex_unlock(&q->mu);
	pthread_join(q->th, NULL);
	for (; q->n > 0; q->n--, q->head = (q->head + 1) % WB_LEN)
		wb_op_free(&q->slot[q->head]);
	pthread_mutex_destroy(&q->mu);
	pthread_cond_destroy(&q->work);
	pthread_cond_destroy(&q->done);
	free(q);
	l->wb = NULL;
}

/*
 * Queue a write; op's text now belongs to the queue.  -1 if a write
 * queued before failed (it was diagnosed then), or, without a writer,
 * if this one fails.
 */
static int
wb_put(struct ledger *l, struct wb_op *op)
{
	struct wb	*q = l->wb;
	int		 rc;

	if (q == NULL) {
		rc = wb_exec(l, op);
		wb_op_free(op);
		return rc;
	}
	pthread_mutex_lock(&q->mu);
	while (q->n == WB_LEN && !q->err)
		pthread_cond_wait(&q->done, &q->mu);
	if (q->err) {
		pthread_mutex_unlock(&q->mu);
		wb_op_free(op);
		return -1;
	}
	q->slot[(q->head + q->n) % WB_LEN] = *op;
	if (++q->n == WB_BATCH)
		pthread_cond_signal(&q->work);
	pthread_mutex_unlock(&q->mu);
	return 0;
}

/*
 * Every write queued, done: wait for the writer's batch, do the rest
 * here.  The connection is then this thread's until the next wb_put.
 * -1 if a write failed.
 */
static int
wb_wait(struct ledger *l)
{
	struct wb	*q = l->wb;
	int		 err;

	if (q == NULL)
		return 0;
	pthread_mutex_lock(&q->mu);
	while (q->busy)
		pthread_cond_wait(&q->done, &q->mu);
	err = q->n == 0 ? q->err : wb_run(l);
	pthread_mutex_unlock(&q->mu);
	return err ? -1 : 0;
}

static int
valid_date(const char *d)
{
	int	 i;

	if (d == NULL || strlen(d) != 10)
		return 0;
	for (i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? d[i] != '-' : d[i] < '0' || d[i] > '9')
			return 0;
	return 1;
}

static enum acct_state
state_from_name(const char *s)
{
	if (strcmp(s, "active") == 0)
		return STATE_ACTIVE;
	if (strcmp(s, "deleted") == 0)
		return STATE_DELETED;
	return STATE_INACTIVE;
}

/* --- opening -------------------------------------------------------- */

/*
 * Create the ledger file and its key, both 0600, both O_EXCL so that a
 * concurrent creation or an existing key is never overwritten.  The
 * database file starts empty: SQLite treats that as a new database,
 * and creating the file ourselves is the only way to choose its mode.
 */
static int
create_files(const char *path, const char *keypath, const uint64_t *seed)
{
	uint8_t	 key[CRED_KEY_LEN];
	ssize_t	 n;
	int	 fd, kfd, err;

	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (fd == -1) {
		diag_sys(DIAG_SYS_OPEN, path, "%s", strerror(errno));
		return -1;
	}
	(void)fchmod(fd, 0600);
	close(fd);

	kfd = open(keypath, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600);
	if (kfd == -1) {
		if (errno == EEXIST)
			diag_sys(DIAG_BAD_LEDGER, path, "key file %s exists "
			    "without its ledger, not replacing it", keypath);
		else
			diag_sys(DIAG_SYS_OPEN, keypath, "%s",
			    strerror(errno));
		unlink(path);
		return -1;
	}
	(void)fchmod(kfd, 0600);
	if (seed != NULL)
		cred_key_test(key, *seed);
	else
		cred_key_new(key);
	do
		n = write(kfd, key, sizeof(key));
	while (n == -1 && errno == EINTR);
	cred_wipe(key, sizeof(key));
	err = n != (ssize_t)sizeof(key) ? (n == -1 ? errno : EIO) : 0;
	if (err == 0 && fsync(kfd) == -1)
		err = errno;
	if (close(kfd) == -1 && err == 0)
		err = errno;
	if (err != 0) {
		diag_sys(DIAG_SYS_WRITE, keypath, "%s", strerror(err));
		unlink(keypath);
		unlink(path);
		return -1;
	}
	return 0;
}

/* Read the 32-byte key; a missing or odd key file makes the ledger unusable. */
static int
read_key(struct ledger *l)
{
	struct stat	 st;
	ssize_t		 n;
	int		 fd;

	if ((fd = open(l->keypath, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1) {
		if (errno == ENOENT)
			diag_sys(DIAG_BAD_LEDGER, l->path,
			    "key file %s is missing", l->keypath);
		else
			diag_sys(DIAG_SYS_OPEN, l->keypath, "%s",
			    strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_size != CRED_KEY_LEN) {
		diag_sys(DIAG_BAD_LEDGER, l->path, "key file %s is not a "
		    "%d-byte key", l->keypath, CRED_KEY_LEN);
		close(fd);
		return -1;
	}
	do
		n = read(fd, l->key, sizeof(l->key));
	while (n == -1 && errno == EINTR);
	close(fd);
	if (n != (ssize_t)sizeof(l->key)) {
		diag_sys(DIAG_SYS_READ, l->keypath, "%s",
		    n == -1 ? strerror(errno) : "short read");
		return -1;
	}
	return 0;
}

/* A one-value query: 0 and *v, 1 if no row, -1 on error. */
static int
query_int(struct ledger *l, const char *sql, sqlite3_int64 *v)
{
	sqlite3_stmt	*s;
	int		 rc;

	if (sqlite3_prepare_v2(l->db, sql, -1, &s, NULL) != SQLITE_OK)
		return -1;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1;
}

static int
set_version(struct ledger *l, int v)
{
	char	 sql[128];

	snprintf(sql, sizeof(sql), "INSERT OR REPLACE INTO meta "
	    "VALUES ('schema_version', '%d'); PRAGMA application_id = %d;",
	    v, LEDGER_APPID);
	return exec(l, sql, "setting the schema version");
}

/* What the database holds: SCHEMA_EMPTY, its version, or -1 (diagnosed). */
#define SCHEMA_EMPTY	(-2)

static int
schema_version(struct ledger *l)
{
	sqlite3_int64	 ntables, appid, version;

	if (query_int(l, "SELECT count(*) FROM sqlite_master", &ntables) ||
	    query_int(l, "PRAGMA application_id", &appid))
		return sql_fail(l, "reading the schema");
	if (ntables == 0)
		return SCHEMA_EMPTY;
	if ((appid != 0 && appid != LEDGER_APPID) ||
	    query_int(l, "SELECT CAST(value AS INTEGER) FROM meta "
	    "WHERE name = 'schema_version'", &version) != 0) {
		diag_sys(DIAG_BAD_LEDGER, l->path, "not an entpress ledger");
		return -1;
	}
	if (version > LEDGER_SCHEMA || version < 0) {
		diag_sys(DIAG_BAD_LEDGER, l->path, "schema version %lld, this "
		    "entpress knows versions up to %d", (long long)version,
		    LEDGER_SCHEMA);
		return -1;
	}
	return (int)version;
}

/*
 * Bring the schema to LEDGER_SCHEMA: create it in an empty database, or
 * apply the migrations one version at a time, all in one transaction.
 * The common case, a current ledger, takes no write lock, so that list
 * can read while a run is being compiled.  A database that is neither
 * empty nor a ledger is refused untouched.
 */
static int
ledger_schema(struct ledger *l)
{
	int	 v;

	if ((v = schema_version(l)) == LEDGER_SCHEMA || v == -1)
		return v == -1 ? -1 : 0;
	/* Again under the write lock: another process may have done it. */
	if (exec(l, "BEGIN IMMEDIATE", "opening") == -1)
		return -1;
	if ((v = schema_version(l)) == -1)
		goto fail;
	if (v == SCHEMA_EMPTY) {
		if (exec(l, schema_create, "creating the schema") == -1 ||
		    set_version(l, LEDGER_SCHEMA) == -1)
			goto fail;
	} else
		for (; v < LEDGER_SCHEMA; v++)
			if (exec(l, migrations[v], "migrating the schema") ==
			    -1 || set_version(l, v + 1) == -1)
				goto fail;
	return exec(l, "COMMIT", "opening");
fail:
	sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

int
ledger_open(struct ledger **lp, const char *path, int flags)
{
	return ledger_open_test(lp, path, flags, NULL);
}

/*
 * Open or create a ledger.  With a seed (test mode), a ledger created
 * here gets a key derived from it and is marked as a test ledger; a
 * test ledger never takes real letters, nor a real ledger test ones
 * (ledger_is_test() lets the commands refuse).
 */
/*
 * SQLite's global settings, before its first use.  Memory statistics
 * off: with them, every allocation of the library takes a global mutex
 * to count itself, about 9% of the instructions of a run's inserts
 * (callgrind, the 20,000-student mailing's 47,000 rows), and entpress
 * never asks for them.  Once SQLite is initialised (a test opened a
 * database itself first) the call is refused, harmlessly.
 */
static void
sqlite_setup(void)
{
	(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int
ledger_open_test(struct ledger **lp, const char *path, int flags,
    const uint64_t *seed)
{
	static pthread_once_t	 once = PTHREAD_ONCE_INIT;
	struct ledger		*l;
	struct stat		 st;
	sqlite3_int64		 v;
	int			 i, created = 0;

	pthread_once(&once, sqlite_setup);
	*lp = NULL;
	if (path == NULL)
		path = LEDGER_DEFAULT;
	l = xcalloc(1, sizeof(*l));
	l->path = xstrdup(path);
	xasprintf(&l->keypath, "%s.key", path);
	arena_init(&l->arena);
	hset_init(&l->keys);
	hset_init(&l->logins);
	hmap_init(&l->bases);
	hmap_init(&l->serials);
	buf_init(&l->keybuf);

	if (stat(path, &st) == -1) {
		if (errno != ENOENT) {
			diag_sys(DIAG_SYS_OPEN, path, "%s", strerror(errno));
			goto fail;
		}
		if (!(flags & LEDGER_CREATE)) {
			ledger_close(l);
			return LEDGER_NOTFOUND;
		}
		if (create_files(path, l->keypath, seed) == -1)
			goto fail;
		created = 1;
	} else if (st.st_size == 0 && (flags & LEDGER_CREATE) &&
	    access(l->keypath, F_OK) == -1 && errno == ENOENT) {
		/* A creation killed before its key: nothing lost, redo it. */
		if (unlink(path) == -1 ||
		    create_files(path, l->keypath, seed) == -1)
			goto fail;
		created = 1;
	}
	if (read_key(l) == -1)
		goto fail;

	/* Never let SQLite create the file: only create_files picks 0600. */
	if (sqlite3_open_v2(path, &l->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		diag_sys(DIAG_SYS_SQLITE, path, "%s", l->db != NULL ?
		    sqlite3_errmsg(l->db) : "cannot open");
		goto fail;
	}
	sqlite3_busy_timeout(l->db, 2000);
	/*
	 * synchronous=FULL: the commit is the moment letters become valid,
	 * so it must survive a power cut.  The 64 MiB cache keeps a run of
	 * 100,000 accounts in memory until its commit.
	 */
	if (exec(l, "PRAGMA foreign_keys = ON; PRAGMA journal_mode = DELETE; "
	    "PRAGMA synchronous = FULL; PRAGMA cache_size = -65536;",
	    "opening") == -1)
		goto fail;
	if (ledger_schema(l) == -1)
		goto fail;
	if (created && seed != NULL && exec(l, "INSERT OR REPLACE INTO meta "
	    "VALUES ('test_key', '1')", "marking a test ledger") == -1)
		goto fail;
	l->test = query_int(l, "SELECT 1 FROM meta WHERE name = 'test_key'",
	    &v) == 0;
	for (i = 0; i < STMT__MAX; i++)
		if (sqlite3_prepare_v3(l->db, stmt_sql[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &l->stmt[i], NULL) !=
		    SQLITE_OK) {
			sql_fail(l, "preparing statements");
			goto fail;
		}
	*lp = l;
	return 0;
fail:
	ledger_close(l);
	return -1;
}

static int	 accounts_load(struct ledger *);

static void
run_end(struct ledger *l)
{
	wb_stop(l);
	l->in_run = 0;
	l->run = 0;
	l->date[0] = '\0';
	hset_free(&l->keys);
	hset_free(&l->logins);
	hmap_free(&l->bases);
	hmap_free(&l->serials);
	fpset_free(&l->fps);
	l->fps_loaded = 0;
	free(l->ctrs);
	l->ctrs = NULL;
	l->nctrs = 0;
	l->last_ctr = NULL;
	l->loaded = 0;
	l->pend.on = 0;
	free(l->pend.text);
	l->pend.text = NULL;
	arena_free(&l->arena);
}

/* Was this ledger created in test mode (predictable key and codes)? */
int
ledger_is_test(const struct ledger *l)
{
	return l->test;
}

void
ledger_close(struct ledger *l)
{
	int	 i;

	if (l == NULL)
		return;
	if (l->in_run)
		ledger_run_rollback(l);
	ledger_read_end(l);
	run_end(l);
	for (i = 0; i < STMT__MAX; i++)
		sqlite3_finalize(l->stmt[i]);
	sqlite3_close(l->db);
	cred_wipe(l->key, sizeof(l->key));
	buf_free(&l->keybuf);
	free(l->keypath);
	free(l->path);
	free(l);
}

const uint8_t *
ledger_fpkey(const struct ledger *l)
{
	return l->key;
}

/* The date against which expiry is judged (ledger_run_begin sets it). */
void
ledger_set_today(struct ledger *l, const char *date)
{
	if (valid_date(date))
		memcpy(l->today, date, LEDGER_DATE_LEN);
	else
		l->today[0] = '\0';
}

/* --- read snapshots ------------------------------------------------ */

int
ledger_read_begin(struct ledger *l)
{
	if (l->in_run || l->in_read)
		abort();
	if (exec(l, "BEGIN", "reading") == -1)
		return -1;
	l->in_read = 1;
	/*
	 * The keys in memory: most accounts of a September run are new, and
	 * a key not in the table needs no query at all (ledger_lookup).
	 */
	if (accounts_load(l) == -1) {
		ledger_read_end(l);
		return -1;
	}
	return 0;
}

/* Nothing was written: ending the snapshot cannot lose anything. */
void
ledger_read_end(struct ledger *l)
{
	if (!l->in_read)
		return;
	sqlite3_exec(l->db, "COMMIT", NULL, NULL, NULL);
	l->in_read = 0;
	run_end(l);	/* the tables loaded for the snapshot */
}

/* --- runs ----------------------------------------------------------- */

/* After a run, outside its transaction: references checked again. */
static void
fk_on(struct ledger *l)
{
	sqlite3_exec(l->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
}

int
ledger_run_begin(struct ledger *l, const char *date, const char *command)
{
	sqlite3_stmt	*s;

	if (l->in_run)
		abort();
	if (!valid_date(date)) {
		diag(DIAG_BAD_ARG, NULL, "run date is not YYYY-MM-DD: %s",
		    date != NULL ? date : "(none)");
		return -1;
	}
	/*
	 * The run's rows refer only to ids the run has in hand: its own
	 * run, inserted below, and accounts it read or inserted (the
	 * revoking trigger copies OLD.id).  SQLite's check of each
	 * reference costs every INSERT a parent lookup and the cursors
	 * that go with it, 8% of the writer thread's instructions and as
	 * much of a mailing's time; so the run goes without it, and the
	 * tests run PRAGMA foreign_key_check on the ledgers they make.
	 * The pragma takes effect only outside a transaction, so it is
	 * turned back on (fk_on) once the run is committed or rolled back.
	 */
	if (exec(l, "PRAGMA foreign_keys = OFF", "starting the run") == -1)
		return -1;
	/* IMMEDIATE: take the write lock now, not halfway through the run. */
	if (exec(l, "BEGIN IMMEDIATE", "starting the run") == -1) {
		fk_on(l);
		return -1;
	}
	s = stmt(l, STMT_RUN_INSERT);
	sqlite3_bind_text(s, 1, date, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, command != NULL ? command : "", -1,
	    SQLITE_STATIC);
	if (step_done(l, s, "recording the run") == -1) {
		sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
		fk_on(l);
		return -1;
	}
	l->in_run = 1;
	l->run = sqlite3_last_insert_rowid(l->db);
	memcpy(l->date, date, LEDGER_DATE_LEN);
	memcpy(l->today, date, LEDGER_DATE_LEN);
	l->n_new = l->n_issued = l->n_revoked = l->n_states = 0;
	wb_start(l);
	return 0;
}

int64_t
ledger_run_id(const struct ledger *l)
{
	return l->in_run ? (int64_t)l->run : 0;
}

/* The manifest's SHA-256, once the manifest is written. */
int
ledger_run_manifest(struct ledger *l, const char *sha256hex)
{
	sqlite3_stmt	*s;

	if (run_sync(l) == -1)
		return -1;
	s = stmt(l, STMT_RUN_MANIFEST);
	sqlite3_bind_int64(s, 1, l->run);
	bind_text(s, 2, sha256hex);
	return step_done(l, s, "recording the manifest");
}

/* The absolute paths of the run's EXPORT operands, one a line. */
int
ledger_run_inputs(struct ledger *l, const char *inputs)
{
	sqlite3_stmt	*s;

	if (run_sync(l) == -1)
		return -1;
	s = stmt(l, STMT_RUN_INPUTS);
	sqlite3_bind_int64(s, 1, l->run);
	bind_text(s, 2, inputs);
	return step_done(l, s, "recording the inputs");
}

static char *
col_dup(sqlite3_stmt *s, int i)
{
	const unsigned char	*v = sqlite3_column_text(s, i);

	return v != NULL ? xstrdup((const char *)v) : NULL;
}

/* A past run: 0 and *r filled (free with ledger_run_free), LEDGER_NOTFOUND, -1. */
int
ledger_run_get(struct ledger *l, int64_t id, struct ledger_run *r)
{
	sqlite3_stmt	*s;
	int		 rc;

	memset(r, 0, sizeof(*r));
	if (drain(l) == -1)
		return -1;
	s = stmt(l, STMT_RUN_GET);
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(s);
		return LEDGER_NOTFOUND;
	}
	if (rc != SQLITE_ROW) {
		sql_fail(l, "reading a run");
		sqlite3_reset(s);
		return -1;
	}
	r->id = id;
	if (col_text(s, 0, r->date, sizeof(r->date)) == -1 ||
	    col_text(s, 3, r->manifest, sizeof(r->manifest)) == -1) {
		sqlite3_reset(s);
		diag_sys(DIAG_BAD_LEDGER, l->path, "run %lld: field too long",
		    (long long)id);
		return -1;
	}
	r->command = col_dup(s, 1);
	r->inputs = col_dup(s, 2);
	sqlite3_reset(s);
	return 0;
}

void
ledger_run_free(struct ledger_run *r)
{
	free(r->command);
	free(r->inputs);
	memset(r, 0, sizeof(*r));
}

/*
 * One letter of the open run, once its codes are issued: queued, its
 * strings copied into one allocation.
 */
int
ledger_letter_add(struct ledger *l, const struct ledger_letter *lt)
{
	struct wb_op	 op;
	const char	**f[5];
	size_t		 i, n, len[5];
	char		*p;

	need_run(l);
	if (flush(l) == -1)
		return -1;
	memset(&op, 0, sizeof(op));
	op.kind = WB_LETTER;
	op.letter = *lt;
	f[0] = &op.letter.serial;
	f[1] = &op.letter.section;
	f[2] = &op.letter.group;
	f[3] = &op.letter.way;
	f[4] = &op.letter.replaces;
	for (i = 0, n = 0; i < 5; i++)
		n += len[i] = *f[i] != NULL ? strlen(*f[i]) + 1 : 0;
	p = op.text = xmalloc(n + 1);
	for (i = 0; i < 5; i++)
		if (*f[i] != NULL) {
			memcpy(p, *f[i], len[i]);
			*f[i] = p;
			p += len[i];
		}
	return wb_put(l, &op);
}

/*
 * Write back what the run kept in memory, then commit.  A failed commit
 * rolls back: the caller treats the run as not having happened.
 */
int
ledger_run_commit(struct ledger *l)
{
	sqlite3_stmt	*s;
	size_t		 i;

	if (run_sync(l) == -1)
		goto fail;
	for (i = 0; i < l->nctrs; i++) {
		s = stmt(l, STMT_SERIAL_PUT);
		sqlite3_bind_int(s, 1, l->ctrs[i]->year);
		sqlite3_bind_text(s, 2, l->ctrs[i]->uai, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 3, l->ctrs[i]->last);
		if (step_done(l, s, "saving serial numbers") == -1)
			goto fail;
	}
	s = stmt(l, STMT_RUN_REVOKED);
	sqlite3_bind_int64(s, 1, l->run);
	if (sqlite3_step(s) != SQLITE_ROW) {
		sql_fail(l, "counting revoked codes");
		goto fail;
	}
	l->n_revoked = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	s = stmt(l, STMT_RUN_COUNTS);
	sqlite3_bind_int64(s, 1, l->run);
	sqlite3_bind_int64(s, 2, l->n_new);
	sqlite3_bind_int64(s, 3, l->n_issued);
	sqlite3_bind_int64(s, 4, l->n_revoked);
	sqlite3_bind_int64(s, 5, l->n_states);
	if (step_done(l, s, "recording the run") == -1 ||
	    exec(l, "COMMIT", "committing the run") == -1)
		goto fail;
	fk_on(l);
	run_end(l);
	return 0;
fail:
	ledger_run_rollback(l);
	return -1;
}

void
ledger_run_rollback(struct ledger *l)
{
	int	 i;

	if (!l->in_run)
		return;
	wb_stop(l);		/* the connection is this thread's again */
	for (i = 0; i < STMT__MAX; i++)
		if (l->stmt[i] != NULL)
			sqlite3_reset(l->stmt[i]);
	/* An I/O error may already have rolled the transaction back. */
	if (!sqlite3_get_autocommit(l->db))
		sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
	fk_on(l);
	run_end(l);
}

/* --- accounts ----------------------------------------------------- */

/*
 * The account key of a person: AAF ids are unique only within their
 * category (a student and a relative may share one), so the category
 * is part of the key; manual accounts carry their own key.
 */
void
ledger_acct_key(struct buf *b, const struct dir_person *p)
{
	buf_reset(b);
	if (p->origin == ORIGIN_MANUAL || p->cat == CAT_MANUAL) {
		if (strncmp(p->id, "manual:", 7) != 0)
			buf_adds(b, "manual:");
		buf_adds(b, p->id);
	} else {
		/* Not buf_printf: this runs for every person of a run. */
		buf_adds(b, "aaf:");
		buf_adds(b, dir_cat_name(p->cat));
		buf_addc(b, ':');
		buf_adds(b, p->id);
	}
}

/* The word of a login made from an id: eleve.9100007. */
const char *
ledger_profile_word(enum dir_profile p)
{
	return (int)p >= 0 && p < PROFILE__MAX ? profile_words[p] : "compte";
}

static int
row_acct(struct ledger *l, sqlite3_stmt *s, struct ledger_acct *a)
{
	const void	*fp;
	char		 state[16];

	memset(a, 0, sizeof(*a));
	a->id = sqlite3_column_int64(s, 0);
	if (col_text(s, 1, a->login, sizeof(a->login)) == -1 ||
	    col_text(s, 2, state, sizeof(state)) == -1 ||
	    col_text(s, 4, a->issued, sizeof(a->issued)) == -1 ||
	    col_text(s, 5, a->expires, sizeof(a->expires)) == -1 ||
	    col_text(s, 6, a->serial, sizeof(a->serial)) == -1) {
		diag_sys(DIAG_BAD_LEDGER, l->path, "account %lld: field too "
		    "long", (long long)a->id);
		return -1;
	}
	a->state = state_from_name(state);
	if ((fp = sqlite3_column_blob(s, 3)) != NULL &&
	    sqlite3_column_bytes(s, 3) == CRED_FP_LEN) {
		memcpy(a->fp, fp, CRED_FP_LEN);
		a->has_code = 1;
	}
	a->run = sqlite3_column_int64(s, 7);
	/* Expired: never used, and past its date. */
	if (a->state == STATE_INACTIVE && a->has_code &&
	    a->expires[0] != '\0' && l->today[0] != '\0' &&
	    strcmp(a->expires, l->today) < 0)
		a->state = STATE_EXPIRED;
	return 0;
}

static int
lookup(struct ledger *l, enum stmt which, const char *v,
    struct ledger_acct *a)
{
	sqlite3_stmt	*s;
	int		 rc;

	if (drain(l) == -1)
		return -1;
	s = stmt(l, which);
	sqlite3_bind_text(s, 1, v, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		rc = row_acct(l, s, a);
	else if (rc == SQLITE_DONE)
		rc = LEDGER_NOTFOUND;
	else
		rc = sql_fail(l, "looking up an account");
	sqlite3_reset(s);
	return rc;
}

/*
 * The account key and profile word of a login (a reissue finds the
 * person in the export by its key): 0, LEDGER_NOTFOUND or -1.
 */
int
ledger_account_key(struct ledger *l, const char *login, struct buf *key,
    struct buf *profile)
{
	sqlite3_stmt	*s;
	int		 rc;

	if (drain(l) == -1)
		return -1;
	s = stmt(l, STMT_ACCT_KEY);
	sqlite3_bind_text(s, 1, login, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		buf_reset(key);
		buf_adds(key, (const char *)sqlite3_column_text(s, 0));
		if (profile != NULL) {
			buf_reset(profile);
			buf_adds(profile, (const char *)sqlite3_column_text(s,
			    1));
		}
		rc = 0;
	} else if (rc == SQLITE_DONE)
		rc = LEDGER_NOTFOUND;
	else
		rc = sql_fail(l, "looking up an account");
	sqlite3_reset(s);
	return rc;
}

/*
 * Was fp ever a code of login (current or revoked)?  verify --ledger
 * checks a manifest's fingerprints with it: 0, LEDGER_NOTFOUND or -1.
 */
int
ledger_fp_of(struct ledger *l, const char *login,
    const uint8_t fp[CRED_FP_LEN])
{
	sqlite3_stmt	*s;
	int		 rc;

	if (drain(l) == -1)
		return -1;
	s = stmt(l, STMT_FP_OF);
	sqlite3_bind_text(s, 1, login, -1, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, fp, CRED_FP_LEN, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		rc = 0;
	else if (rc == SQLITE_DONE)
		rc = LEDGER_NOTFOUND;
	else
		rc = sql_fail(l, "looking up a code");
	sqlite3_reset(s);
	return rc;
}

/* 0 and *a filled, LEDGER_NOTFOUND, or -1. */
int
ledger_lookup(struct ledger *l, const char *key, struct ledger_acct *a)
{
	/* Every key is in the table once loaded (new ones as added). */
	if (l->loaded && !hset_has(&l->keys, key))
		return LEDGER_NOTFOUND;
	return lookup(l, STMT_LOOKUP_KEY, key, a);
}

int
ledger_lookup_login(struct ledger *l, const char *login,
    struct ledger_acct *a)
{
	return lookup(l, STMT_LOOKUP_LOGIN, login, a);
}

/*
 * Every account key and login of the ledger, once per run: new accounts
 * are then told without a query, and duplicate suffixes found in memory.
 */
static int
accounts_load(struct ledger *l)
{
	sqlite3_stmt	*s;
	const char	*v;
	int		 i, rc;

	if (wb_wait(l) == -1)
		return -1;
	s = stmt(l, STMT_LOGINS);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		for (i = 0; i < 2; i++)
			if ((v = (const char *)sqlite3_column_text(s, i)) !=
			    NULL)
				hset_add(i == 0 ? &l->keys : &l->logins, v);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE ||
	    query_int(l, "SELECT coalesce(max(id), 0) FROM accounts",
	    &l->next_id) != 0)
		return sql_fail(l, "loading accounts");
	l->next_id++;
	l->loaded = 1;
	return 0;
}

/*
 * Every fingerprint of the ledger into l->fps, once per run, at its
 * first code.
 */
static int
fps_load(struct ledger *l)
{
	sqlite3_stmt	*s;
	int		 rc;

	if (wb_wait(l) == -1)
		return -1;
	s = stmt(l, STMT_FPS);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (sqlite3_column_bytes(s, 0) == CRED_FP_LEN)
			fpset_add(&l->fps, sqlite3_column_blob(s, 0));
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return sql_fail(l, "loading codes");
	l->fps_loaded = 1;
	return 0;
}

/*
 * Queue the held-back account's INSERT, with its first code (fp, serial)
 * or without (fp NULL).
 */
static int
pend_insert(struct ledger *l, const uint8_t *fp, const char *serial,
    const char *expires)
{
	struct wb_op	 op;

	memset(&op, 0, sizeof(op));
	op.kind = WB_ACCOUNT;
	op.id = l->pend.id;
	/* The key and login go with the write, which frees them. */
	op.text = l->pend.text;
	op.key = op.text;
	op.login = op.text + l->pend.keylen + 1;
	l->pend.text = NULL;
	op.origin = l->pend.origin;
	op.profile = l->pend.profile;
	if (fp != NULL) {
		op.has_fp = 1;
		memcpy(op.fp, fp, CRED_FP_LEN);
		copy_fit(op.expires, sizeof(op.expires), expires);
		copy_fit(op.serial, sizeof(op.serial), serial);
	}
	l->pend.on = 0;
	return wb_put(l, &op);
}

/* Before any other write: queue the held-back account. */
static int
flush(struct ledger *l)
{
	return l->pend.on ? pend_insert(l, NULL, NULL, NULL) : 0;
}

/*
 * Before any read of the database, or a write done at once: every
 * account and write queued, done (the connection is then this
 * thread's).  -1 if one of them failed.
 */
static int
drain(struct ledger *l)
{
	if (flush(l) == -1)
		return -1;
	return wb_wait(l);
}

/*
 * A new account with the first free login of base, base2, base3...
 * across the whole ledger.  The login is final: nothing in this module
 * updates it, and a trigger refuses to.  Logins are only ever added, so
 * the suffix last given for a base is where the next search starts.
 */
int
ledger_add(struct ledger *l, const char *key, const char *origin,
    const char *profile, const char *base, struct ledger_acct *a)
{
	struct ledger_acct	 dup;
	char			 login[LEDGER_LOGIN_MAX];
	uintptr_t		 n;
	size_t			 blen = strlen(base), klen, llen;
	int			 rc;

	need_run(l);
	if (blen == 0 || blen > LEDGER_LOGIN_MAX - 12) {
		diag(DIAG_BAD_ARG, NULL, "login base of %zu bytes for %s",
		    blen, key);
		return -1;
	}
	if ((!l->loaded && accounts_load(l) == -1) || flush(l) == -1)
		return -1;
	/* The set may say yes wrongly: the table says for sure. */
	if (hset_has(&l->keys, key) &&
	    (rc = lookup(l, STMT_LOOKUP_KEY, key, &dup)) != LEDGER_NOTFOUND) {
		if (rc == 0)
			diag(DIAG_BAD_ARG, NULL, "account %s is already in "
			    "the ledger", key);
		return -1;
	}
	n = (uintptr_t)hmap_get(&l->bases, base);
	for (;;) {
		if (n < 2)
			memcpy(login, base, blen + 1);
		else
			snprintf(login, sizeof(login), "%s%lu", base,
			    (unsigned long)n);
		if (!hset_has(&l->logins, login))
			break;
		n = n < 2 ? 2 : n + 1;
	}

	klen = strlen(key);
	llen = strlen(login);
	l->pend.on = 1;
	l->pend.id = l->next_id++;
	l->pend.origin = origin;
	l->pend.profile = profile;
	l->pend.text = xmalloc(klen + llen + 2);
	memcpy(l->pend.text, key, klen + 1);
	memcpy(l->pend.text + klen + 1, login, llen + 1);
	l->pend.keylen = klen;
	hset_add(&l->keys, key);
	hset_add(&l->logins, login);
	/* hmap_put keeps the stored key of an entry it replaces. */
	hmap_put(&l->bases, hmap_get(&l->bases, base) != NULL ? base :
	    arena_strdup(&l->arena, base), (void *)(n < 2 ? 1 : n));

	memset(a, 0, sizeof(*a));
	a->id = l->pend.id;
	memcpy(a->login, login, sizeof(login));
	a->state = STATE_INACTIVE;
	l->n_new++;
	return 0;
}

/*
 * The account of a person: found by its key, or created with a new
 * login.  0 for an existing account, LEDGER_CREATED for a new one, -1.
 */
int
ledger_account(struct ledger *l, const struct dir_person *p,
    struct ledger_acct *a)
{
	struct diag_pos	 pos;
	struct buf	 base;
	int		 rc, flags;

	need_run(l);
	if (!l->loaded && accounts_load(l) == -1)
		return -1;
	ledger_acct_key(&l->keybuf, p);
	if (hset_has(&l->keys, l->keybuf.p) &&
	    (rc = ledger_lookup(l, l->keybuf.p, a)) != LEDGER_NOTFOUND)
		return rc;

	buf_init(&base);
	flags = cred_login_base(&base, p->first_name, p->last_name,
	    ledger_profile_word(p->profile), p->id);
	rc = ledger_add(l, l->keybuf.p,
	    p->origin == ORIGIN_MANUAL ? "manual" : "aaf",
	    dir_profile_name(p->profile), base.p, a);
	buf_free(&base);
	if (rc == -1)
		return -1;
	if (flags != 0) {
		pos.file = p->src.file;
		pos.line = p->src.line;
		pos.col = 0;
		diag(DIAG_LOGIN_NONLATIN, &pos, "%s %s, login %s%s",
		    dir_cat_name(p->cat), p->id, a->login,
		    flags & CRED_LOGIN_FROM_ID ? " (from the id)" :
		    " (romanised)");
	}
	return LEDGER_CREATED;
}

/* --- codes ---------------------------------------------------------- */

/*
 * The letter serial counter of this run's year and a UAI.  Counters are
 * read once per run and written back at commit.
 */
static struct serial_ctr *
serial_ctr(struct ledger *l, const char *uai)
{
	struct serial_ctr	*c;
	sqlite3_stmt		*s;
	char			 u[sizeof(c->uai)], k[32];
	size_t			 i, n = 0;
	int			 rc;

	/* A run is mostly one school: the same uai as last time. */
	if (l->last_ctr != NULL && uai != NULL &&
	    strcmp(l->last_uai, uai) == 0)
		return l->last_ctr;

	/* Only [0-9A-Z] of the UAI: a serial is printed and sorted. */
	for (i = 0; uai != NULL && uai[i] != '\0' && n < sizeof(u) - 1; i++)
		if ((uai[i] >= '0' && uai[i] <= '9') ||
		    (uai[i] >= 'A' && uai[i] <= 'Z'))
			u[n++] = uai[i];
		else if (uai[i] >= 'a' && uai[i] <= 'z')
			u[n++] = (char)(uai[i] - 'a' + 'A');
	u[n] = '\0';
	if (n == 0)
		strcpy(u, "00000000");	/* no school: manual accounts */
	snprintf(k, sizeof(k), "%.4s/%s", l->date, u);
	if ((c = hmap_get(&l->serials, k)) != NULL)
		goto done;

	if (wb_wait(l) == -1)
		return NULL;
	c = arena_calloc(&l->arena, 1, sizeof(*c));
	c->year = atoi(l->date);
	memcpy(c->uai, u, sizeof(u));
	s = stmt(l, STMT_SERIAL_GET);
	sqlite3_bind_int(s, 1, c->year);
	sqlite3_bind_text(s, 2, c->uai, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		c->last = sqlite3_column_int64(s, 0);
	else if (rc != SQLITE_DONE) {
		sql_fail(l, "reading serial numbers");
		sqlite3_reset(s);
		return NULL;
	}
	sqlite3_reset(s);
	hmap_put(&l->serials, arena_strdup(&l->arena, k), c);
	l->ctrs = xreallocarray(l->ctrs, l->nctrs + 1, sizeof(*l->ctrs));
	l->ctrs[l->nctrs++] = c;
done:
	if (uai != NULL && strlen(uai) < sizeof(l->last_uai)) {
		l->last_ctr = c;
		memcpy(l->last_uai, uai, strlen(uai) + 1);
	} else
		l->last_ctr = NULL;
	return c;
}

/*
 * Make fp the account's current code, under a new letter serial or, for
 * a letter that names several accounts (a household), under the serial
 * given: LEDGER_DUP if the fingerprint is already in the ledger, current
 * or revoked (the caller draws another code), which the set of every
 * fingerprint tells (struct fpset).  The old code, if any, is revoked as
 * of the run's date by a trigger (accounts_revoke); a new account has no
 * old code, and its row goes in with its first code.
 */
/*
 * A letter serial, 2026-0699990Z-000123: the run's year, the UAI, the
 * number on at least six digits.  What snprintf("%.4s-%s-%06lld") gave,
 * without its cost on every letter.
 */
static void
serial_format(char out[LEDGER_SERIAL_MAX], const char *date, const char *uai,
    sqlite3_int64 num)
{
	size_t	 nu = strlen(uai), i;

	/* Year, UAI (at most 11), number (at most 19): always fits. */
	memcpy(out, date, 4);
	out[4] = '-';
	memcpy(out + 5, uai, nu);
	i = 5 + nu;
	out[i++] = '-';
	i += mem_decimal(out + i, num < 0 ? 0 : (uint64_t)num, 6);
	out[i] = '\0';
}

int
ledger_issue_fp(struct ledger *l, struct ledger_acct *a,
    const uint8_t fp[CRED_FP_LEN], const char *uai, const char *expires,
    const char *letter)
{
	struct serial_ctr	*c;
	struct wb_op		 op;
	char			 serial[LEDGER_SERIAL_MAX];

	need_run(l);
	if (expires != NULL && *expires != '\0' && !valid_date(expires)) {
		diag(DIAG_BAD_ARG, NULL, "expiry date is not YYYY-MM-DD: %s",
		    expires);
		return -1;
	}
	if (!l->fps_loaded && fps_load(l) == -1)
		return -1;
	if (fpset_has(&l->fps, fp))
		return LEDGER_DUP;
	if (letter != NULL) {
		if (*letter == '\0' || strlen(letter) >= sizeof(serial)) {
			diag(DIAG_BAD_ARG, NULL, "letter serial of %zu bytes",
			    strlen(letter));
			return -1;
		}
		c = NULL;
		memcpy(serial, letter, strlen(letter) + 1);
	} else {
		if ((c = serial_ctr(l, uai)) == NULL)
			return -1;
		serial_format(serial, l->date, c->uai, c->last + 1);
	}

	if (l->pend.on && a->id == l->pend.id) {
		/* A new account: one INSERT with its first code. */
		if (pend_insert(l, fp, serial, expires) == -1)
			return -1;
	} else {
		if (flush(l) == -1)
			return -1;
		memset(&op, 0, sizeof(op));
		op.kind = WB_CODE;
		op.id = a->id;
		memcpy(op.fp, fp, CRED_FP_LEN);
		copy_fit(op.expires, sizeof(op.expires), expires);
		copy_fit(op.serial, sizeof(op.serial), serial);
		if (wb_put(l, &op) == -1)
			return -1;
	}
	fpset_add(&l->fps, fp);
	if (c != NULL)
		c->last++;
	l->n_issued++;

	memcpy(a->fp, fp, CRED_FP_LEN);
	a->has_code = 1;
	memcpy(a->issued, l->date, LEDGER_DATE_LEN);
	copy_fit(a->expires, sizeof(a->expires), expires);
	memcpy(a->serial, serial, sizeof(serial));
	a->run = l->run;
	if (a->state == STATE_EXPIRED)
		a->state = STATE_INACTIVE;
	return 0;
}

/*
 * Draw codes until one is new to the ledger and issue it.  The clear
 * code is left in code for the letter; on failure it is wiped.  More
 * than a few collisions in a row (p < 1e-100 with a working generator)
 * means the generator is broken, not that the ledger is full.  A seeded
 * generator is the exception: a second run with the same seed on the
 * same ledger replays the codes of the first, and must walk past them
 * (deterministically, so the run is still reproducible).
 */
int
ledger_issue(struct ledger *l, struct ledger_acct *a, struct cred_rng *rng,
    char code[CRED_CODE_LEN + 1], const char *uai, const char *expires,
    const char *letter)
{
	uint8_t	 fp[CRED_FP_LEN];
	long	 tries, max;
	int	 rc;

	max = rng != NULL && rng->test ? 1L << 24 : 16;
	for (tries = 0; tries < max; tries++) {
		cred_code(rng, code);
		cred_fingerprint(fp, l->key, code);
		rc = ledger_issue_fp(l, a, fp, uai, expires, letter);
		if (rc != LEDGER_DUP) {
			if (rc != 0)
				cred_wipe(code, CRED_CODE_LEN + 1);
			return rc;
		}
	}
	cred_wipe(code, CRED_CODE_LEN + 1);
	diag(DIAG_SYS_CRYPTO, NULL, "%ld codes in a row already in the "
	    "ledger: broken generator", max);
	return -1;
}

/* --- states ----------------------------------------------------------- */

/* accounts import: LEDGER_NOTFOUND for a login the ledger does not have. */
int
ledger_set_state(struct ledger *l, const char *login, enum acct_state st)
{
	sqlite3_stmt	*s;

	/* Expiry follows from the dates; it is never stored. */
	if (st == STATE_EXPIRED)
		abort();
	if (run_sync(l) == -1)
		return -1;
	s = stmt(l, STMT_SET_STATE);
	sqlite3_bind_text(s, 1, login, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, acct_state_name(st), -1, SQLITE_STATIC);
	if (step_done(l, s, "setting an account state") == -1)
		return -1;
	if (sqlite3_changes(l->db) == 0)
		return LEDGER_NOTFOUND;
	l->n_states++;
	return 0;
}

/*
 * The select callback (struct sel_opts state_of, with the ledger as its
 * argument): a person without an account is a new account, inactive.
 */
enum acct_state
ledger_state_of(void *arg, const struct dir_person *p)
{
	struct ledger		*l = arg;
	struct ledger_acct	 a;

	if (l == NULL)
		return STATE_INACTIVE;
	ledger_acct_key(&l->keybuf, p);
	if (ledger_lookup(l, l->keybuf.p, &a) != 0)
		return STATE_INACTIVE;
	return a.state;
}

/* --- report ------------------------------------------------------------ */

/*
 * The codes of each letter, as they stand: a current code (accounts) is
 * activated, outstanding or expired by its account's state and expiry;
 * a revoked one was replaced.  Rows per run, section and group, in the
 * order the run printed them (the letters' row ids).
 */
static const char report_sql[] =
	"WITH cur AS (\n"
	"  SELECT serial, count(*) AS n,\n"
	"    sum(state = 'active') AS act,\n"
	"    sum(state = 'inactive' AND (expires IS NULL OR expires >= ?1))\n"
	"      AS outst,\n"
	"    sum(state = 'inactive' AND expires < ?1) AS exp\n"
	"  FROM accounts WHERE serial IS NOT NULL GROUP BY serial),\n"
	"rev AS (\n"
	"  SELECT serial, count(*) AS n FROM revoked\n"
	"  WHERE serial IS NOT NULL GROUP BY serial)\n"
	"SELECT l.run_id, r.date, l.section, l.group_label, count(*),\n"
	"  total(cur.n) + total(rev.n), total(cur.act), total(cur.outst),\n"
	"  total(cur.exp), total(rev.n)\n"
	"FROM letters l\n"
	"  LEFT JOIN cur ON cur.serial = l.serial\n"
	"  LEFT JOIN rev ON rev.serial = l.serial\n"
	"  LEFT JOIN runs r ON r.id = l.run_id\n"
	"GROUP BY l.run_id, l.section, l.group_label\n"
	"ORDER BY l.run_id, min(l.rowid)";

int
ledger_report(struct ledger *l, const char *today,
    struct ledger_report_row **rowsp, size_t *np)
{
	struct ledger_report_row	*v = NULL, *r;
	sqlite3_stmt			*s;
	size_t				 n = 0, cap = 0;
	int				 rc;

	*rowsp = NULL;
	*np = 0;
	if (drain(l) == -1)
		return -1;
	if (sqlite3_prepare_v2(l->db, report_sql, -1, &s, NULL) != SQLITE_OK)
		return sql_fail(l, "preparing the report");
	sqlite3_bind_text(s, 1, today, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap == 0 ? 64 : cap * 2;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		r = &v[n++];
		memset(r, 0, sizeof(*r));
		r->run = sqlite3_column_int64(s, 0);
		(void)col_text(s, 1, r->date, sizeof(r->date));
		(void)col_text(s, 2, r->section, sizeof(r->section));
		(void)col_text(s, 3, r->group, sizeof(r->group));
		r->letters = sqlite3_column_int64(s, 4);
		r->accounts = (long long)sqlite3_column_double(s, 5);
		r->activated = (long long)sqlite3_column_double(s, 6);
		r->outstanding = (long long)sqlite3_column_double(s, 7);
		r->expired = (long long)sqlite3_column_double(s, 8);
		r->replaced = (long long)sqlite3_column_double(s, 9);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		free(v);
		return sql_fail(l, "reading the report");
	}
	*rowsp = v;
	*np = n;
	return 0;
}

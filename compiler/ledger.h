/*
 * ledger: the persistent account state, in one SQLite file.
 *
 * One row per account, found by its account key (aaf:Eleve:4812735,
 * manual:<hex>: AAF ids are only unique within a category, so the key
 * names it).  The row holds the login, fixed forever once assigned, the
 * state the ENT reported (inactive, active, deleted), and the keyed
 * fingerprint, date, expiry and letter serial of the current code; a
 * code replaced by a new one moves to the revoked codes, which keep
 * counting for uniqueness.  No code is ever stored in clear: the
 * fingerprint key lives beside the database in <db>.key (32 bytes, mode
 * 0600), and a ledger without its key file is refused.
 *
 * Every write belongs to a run: ledger_run_begin() opens one transaction
 * (BEGIN IMMEDIATE, so a second entpress on the same ledger waits or
 * fails at once instead of halfway), and ledger_run_commit() is called
 * only after every output file was written.  A run that fails, returns
 * early or is killed issues nothing: ledger_run_rollback(), ledger_close()
 * on an open run, and SQLite's rollback journal after a kill all leave
 * the ledger as it was.
 *
 * During a run, the rows written for each letter (a new account with
 * its code, a new code, the letter) are queued and written by a thread
 * of the ledger's own, in order, inside the run's transaction, while
 * the caller goes on; every call that reads the ledger waits for them
 * first, so the API behaves as if each write were done when it returns.
 * An error of a queued write (disk full, I/O) is diagnosed as it
 * happens and makes the next call of the run fail, at the latest
 * ledger_run_commit(), which then rolls back.
 *
 * Functions return 0 on success, -1 after printing a diagnostic, or one
 * of the positive LEDGER_* results below that the caller acts upon.
 * Writing outside a run, or two runs at once, is a programming error
 * and aborts.  A ledger handle belongs to one thread (the caller's; the
 * writer is the ledger's business).  This is the only module that
 * includes sqlite3.
 *
 * The compile pipeline, in order:
 *
 *	ledger_open(&l, path, LEDGER_CREATE);
 *	sel.state_of = ledger_state_of; sel.state_arg = l;  (select_run)
 *	ledger_run_begin(l, date, command_line_without_secrets);
 *	for each selected person:
 *		ledger_account(l, p, &acct);	(LEDGER_CREATED: new login)
 *		ledger_issue(l, &acct, &rng, code, uai, expires, NULL);
 *		... letter, CSV, LDIF with code; cred_wipe(code) ...
 *		ledger_letter_add(l, &letter);	(serial, section, pages)
 *	ledger_run_inputs(l, "/abs/export.zip\n...");
 *	outputs finished (outw_finish) -> ledger_run_manifest(l, sha256);
 *	ledger_run_commit(l), or ledger_run_rollback(l) on any failure;
 *	ledger_close(l);
 */
#ifndef ENTPRESS_LEDGER_H
#define ENTPRESS_LEDGER_H

#include <stdint.h>

#include "credentials.h"
#include "directory.h"
#include "mem.h"
#include "select.h"

#define LEDGER_DEFAULT		"entpress.db"
#define LEDGER_SCHEMA		2	/* schema version this code writes */

/* ledger_open() flags */
#define LEDGER_CREATE		0x01	/* create the ledger and key if missing */

/* Results beside 0 and -1. */
#define LEDGER_NOTFOUND		1	/* no such ledger, account or login */
#define LEDGER_DUP		2	/* fingerprint already in the ledger */
#define LEDGER_CREATED		3	/* ledger_account: a new account */

#define LEDGER_LOGIN_MAX	80	/* 30 + . + 30 + suffix, with room */
#define LEDGER_DATE_LEN		11	/* YYYY-MM-DD */
#define LEDGER_SERIAL_MAX	40	/* YYYY-UAI-NNNNNN */

struct ledger;

/* One account as the ledger knows it. */
struct ledger_acct {
	int64_t		 id;			/* row id */
	char		 login[LEDGER_LOGIN_MAX];
	enum acct_state	 state;			/* EXPIRED: derived, not stored */
	int		 has_code;		/* fp, issued, serial valid */
	uint8_t		 fp[CRED_FP_LEN];	/* keyed fingerprint */
	char		 issued[LEDGER_DATE_LEN];	/* "" before any code */
	char		 expires[LEDGER_DATE_LEN];	/* "" never */
	char		 serial[LEDGER_SERIAL_MAX];	/* of the current code */
	int64_t		 run;			/* run that issued it, 0 none */
};

/*
 * Open (path NULL: LEDGER_DEFAULT).  Without LEDGER_CREATE a missing
 * ledger is LEDGER_NOTFOUND, silently; a ledger without its key file,
 * a key of the wrong size, a file that is not a ledger or a schema newer
 * than LEDGER_SCHEMA are DIAG_BAD_LEDGER errors; older schemas are
 * migrated.  ledger_close() rolls back a run left open.
 */
int		 ledger_open(struct ledger **, const char *path, int flags);
int		 ledger_open_test(struct ledger **, const char *path, int flags,
		    const uint64_t *seed);
int		 ledger_is_test(const struct ledger *);
void		 ledger_close(struct ledger *);
const uint8_t	*ledger_fpkey(const struct ledger *);	/* for the manifest */
void		 ledger_set_today(struct ledger *, const char *date);

/*
 * A read snapshot around many lookups (a selection of 20,000 accounts):
 * one shared lock instead of a lock, an unlock and a journal check per
 * lookup, and every lookup sees the same ledger.  Not inside a run.
 */
int		 ledger_read_begin(struct ledger *);
void		 ledger_read_end(struct ledger *);

/* Runs: date YYYY-MM-DD (issue date, serial year, expiry reference). */
int		 ledger_run_begin(struct ledger *, const char *date,
		    const char *command);
int64_t		 ledger_run_id(const struct ledger *);
int		 ledger_run_manifest(struct ledger *, const char *sha256hex);
int		 ledger_run_inputs(struct ledger *, const char *inputs);
int		 ledger_run_commit(struct ledger *);
void		 ledger_run_rollback(struct ledger *);

/* A past run (ledger_run_get: 0, LEDGER_NOTFOUND or -1). */
struct ledger_run {
	int64_t		 id;
	char		 date[LEDGER_DATE_LEN];
	char		*command;
	char		*inputs;	/* export paths, one a line; NULL unknown */
	char		 manifest[65];	/* SHA-256 in hex, "" none */
};

int		 ledger_run_get(struct ledger *, int64_t, struct ledger_run *);
void		 ledger_run_free(struct ledger_run *);

/*
 * The letters of the open run (schema 2), each added once its codes are
 * issued (the strings are copied: the caller's may go at once).  Pages
 * are 0 when the run printed nothing (exports only).
 */
struct ledger_letter {
	const char	*serial;
	const char	*section;	/* class, staff, mail */
	const char	*group;		/* 4B, STAFF, MAIL */
	const char	*way;		/* class, staff, post */
	uint32_t	 first_page, last_page;
	const char	*replaces;	/* serial of the letter replaced, or NULL */
};

int		 ledger_letter_add(struct ledger *, const struct ledger_letter *);

/*
 * The loss report: per run, section and group, in print order, what
 * became of the codes of its letters (today judges expiry).  Sections
 * and groups are "" for letters of a schema 1 run.  The rows are
 * allocated; free(*rows).
 */
struct ledger_report_row {
	int64_t		 run;
	char		 date[LEDGER_DATE_LEN];
	char		 section[8];
	char		 group[40];
	long long	 letters;
	long long	 accounts;	/* codes on those letters */
	long long	 activated;	/* current code, account active */
	long long	 outstanding;	/* current code, inactive, not expired */
	long long	 expired;	/* current code, inactive, past its date */
	long long	 replaced;	/* revoked by a later code */
};

int		 ledger_report(struct ledger *, const char *today,
		    struct ledger_report_row **, size_t *);

/*
 * Accounts.  Lookups work outside a run; ledger_add/_account need one.
 * An account is EXPIRED when it is inactive and its code's expiry date
 * is before "today" (the run's date, or ledger_set_today outside runs).
 * A new account's row is written together with its first code, or with
 * the next other write; like every write of a run it is queued, and an
 * I/O error may surface at a later call.
 */
void		 ledger_acct_key(struct buf *, const struct dir_person *);
const char	*ledger_profile_word(enum dir_profile);
int		 ledger_lookup(struct ledger *, const char *key,
		    struct ledger_acct *);
int		 ledger_lookup_login(struct ledger *, const char *login,
		    struct ledger_acct *);
int		 ledger_account_key(struct ledger *, const char *login,
		    struct buf *key, struct buf *profile);
int		 ledger_fp_of(struct ledger *, const char *login,
		    const uint8_t fp[CRED_FP_LEN]);
int		 ledger_add(struct ledger *, const char *key,
		    const char *origin, const char *profile, const char *base,
		    struct ledger_acct *);
int		 ledger_account(struct ledger *, const struct dir_person *,
		    struct ledger_acct *);

/*
 * Codes.  acct comes from ledger_account/_add/_lookup*; it is updated.
 * ledger_issue draws from rng (NULL: randombytes_uniform) until the code
 * is new to the ledger and leaves it in code, for the caller to print
 * and wipe; ledger_issue_fp takes a fingerprint and may say LEDGER_DUP,
 * at once: every fingerprint of the ledger is in memory during a run.
 * Only the fingerprint is queued for writing, never the code.
 * letter NULL numbers a new serial (YYYY-UAI-NNNNNN, uai NULL counting
 * as 00000000) into acct->serial; a letter naming several accounts
 * passes the serial its first account got.  expires NULL: no expiry.
 */
int		 ledger_issue_fp(struct ledger *, struct ledger_acct *,
		    const uint8_t fp[CRED_FP_LEN], const char *uai,
		    const char *expires, const char *letter);
int		 ledger_issue(struct ledger *, struct ledger_acct *,
		    struct cred_rng *, char code[CRED_CODE_LEN + 1],
		    const char *uai, const char *expires, const char *letter);

/* States: accounts import (in a run), and the select callback. */
int		 ledger_set_state(struct ledger *, const char *login,
		    enum acct_state);
enum acct_state	 ledger_state_of(void *, const struct dir_person *);

#endif /* ENTPRESS_LEDGER_H */

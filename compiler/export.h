/*
 * export: the files written beside the print run for other programs:
 * the CSV for the ENT import or Excel, and the LDIF for an LDAP
 * directory.
 *
 * Both take the accounts of the run as an array of struct export_row, in
 * the order of the run, and write through outw: a 0600 temporary file
 * renamed over the final name only once complete, so a failed run leaves
 * no half file that looks finished.  export_csv() and export_ldif() do it
 * all for a path; a run with a ledger uses export_csv_write() and
 * export_ldif_write() instead, which write and finish a file the caller
 * opened and leave it under its temporary name, for the caller to
 * outw_publish() after the ledger commit (or outw_abort() when the run
 * fails), so that no CSV or LDIF ever carries codes the ledger did not
 * issue.
 *
 * The CSV has the pinned header
 *
 *	Identifiant;Profil;Nom;Prénom;Classes;Login;Code d'activation
 *
 * `;`-separated with CRLF line ends (what French Excel opens without a
 * wizard), in UTF-8 with a byte order mark (without it Excel reads
 * CP1252) or, for old Excel, in CP1252, where a character outside CP1252
 * is transliterated (or written ?) with a warning naming the account.
 * Every field but the code is neutralised against formula injection: a
 * name such as =HYPERLINK(...) or +33 6... gets a leading apostrophe, so
 * Excel shows it as text instead of running it.
 *
 * The LDIF (RFC 2849) has one inetOrgPerson entry per account, named
 * uid=LOGIN under a configurable base, with cn, sn, givenName, mail when
 * known and userPassword: {ARGON2}$argon2id$..., the scheme OpenLDAP's
 * argon2 module verifies.  A reissue's LDIF (modify) changes entries
 * that exist instead: changetype: modify, replace: userPassword, so an
 * import replaces the old code's hash and nothing else.  The hashes are computed here, on every core
 * (cred_hash_many), from the clear codes of the rows.
 *
 * Who wipes what.  The code strings a row points to belong to the
 * caller, who needs them for the print run too: the caller wipes them
 * (cred_wipe) once the run, the CSV and the LDIF are all written.  The
 * writers never keep a code beyond the call: every copy they make (the
 * output buffer, the conversion buffers, the hash inputs) is wiped before
 * they return, written or not.
 */
#ifndef ENTPRESS_EXPORT_H
#define ENTPRESS_EXPORT_H

#include <stddef.h>

#include "credentials.h"
#include "directory.h"

struct outw;

#define EXPORT_CSV_HEADER \
	"Identifiant;Profil;Nom;Prénom;Classes;Login;Code d'activation"
#define EXPORT_LDIF_BASE	"ou=people,dc=ent,dc=invalid"

/* One account of the run, as the exports see it. */
struct export_row {
	const char		*id;		/* AAF id or manual key */
	enum dir_profile	 profile;
	const char		*last_name;	/* UTF-8, NULL if none */
	const char		*first_name;
	const char		*classes;	/* codes, comma-separated, or NULL */
	const char		*login;
	const char		*code;		/* clear code (caller's), or NULL */
	const char		*mail;		/* NULL if none */
};

enum export_enc {
	EXPORT_UTF8BOM = 0,	/* UTF-8 with a byte order mark */
	EXPORT_CP1252		/* Windows-1252, for old Excel */
};

struct export_ldif_opts {
	const char		*base;		/* NULL: EXPORT_LDIF_BASE */
	struct cred_pwlimits	 limits;	/* 0: libsodium's INTERACTIVE */
	int			 threads;	/* 0: every online core */
	int			 modify;	/* replace userPassword only */
};

int		 export_csv_encoding(const char *, enum export_enc *);
const char	*export_profile_word(enum dir_profile);
int		 export_csv(const char *path, const struct export_row *,
		    size_t, enum export_enc);
int		 export_csv_write(struct outw *, const struct export_row *,
		    size_t, enum export_enc);
void		 export_ldif_opts_init(struct export_ldif_opts *);
int		 export_ldif(const char *path, const struct export_row *,
		    size_t, const struct export_ldif_opts *);
int		 export_ldif_write(struct outw *, const struct export_row *,
		    size_t, const struct export_ldif_opts *);

#endif /* ENTPRESS_EXPORT_H */

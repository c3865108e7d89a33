/*
 * manual: the two CSV files an administrator brings besides the AAF
 * export: the accounts created by hand (guests, staff the AAF does not
 * know), and the ENT's own account export that tells which codes were
 * used.
 *
 * Manual accounts.  The file has a header line naming its columns
 *
 *	profile;last_name;first_name;class;email;address;postcode;city;country
 *
 * found by name, in any order (French names such as nom, prénom, classe,
 * ville are accepted too), plus an optional school column (UAI or AAF
 * jointure) for exports of several schools.  profile is student,
 * teacher, staff, parent or guest, or the French eleve, enseignant,
 * personnel, parent, invite.  class may list several codes separated by
 * commas.  A line without a last name or with an unknown profile is an
 * error and is skipped; the other columns are optional.
 *
 * A manual account has no id in any directory, yet the ledger must find
 * it again at the next run to keep its login.  Its key is derived from
 * what identifies the person: "manual:" and 16 hex digits of the 64-bit
 * FNV-1a hash of the profile, the folded last and first names
 * (collate_key: case, accents, spaces, hyphens and apostrophes folded)
 * and the lower-cased email, NUL-separated.  FNV-1a is no cryptographic
 * hash and needs none: the key is not a secret, only stable.  Correcting
 * a name or an email in the file therefore makes a new account; two
 * lines with the same key are one account, kept once, with a warning.
 *
 * manual_read() stores the accounts in the directory before it is
 * resolved, like an AAF file; manual_resolve() must run after
 * directory_resolve(), which leaves manual accounts alone, to attach them
 * to their school and classes.
 *
 * The ENT export.  accounts_import_read() finds the `Login`/`login` and
 * `Code d'activation`/`activationCode` columns and calls back once per
 * account: an empty code means the account was activated.
 */
#ifndef ENTPRESS_MANUAL_H
#define ENTPRESS_MANUAL_H

#include <stdio.h>

#include "diag.h"
#include "directory.h"
#include "mem.h"

#define MANUAL_KEY_PREFIX	"manual:"

int	 manual_read(struct directory *, const char *path);
int	 manual_read_fp(struct directory *, FILE *, const char *name);
void	 manual_resolve(struct directory *);
void	 manual_key(struct buf *, enum dir_profile, const char *last,
	    const char *first, const char *email);
enum dir_profile manual_profile(const char *);

int	 accounts_import_read(const char *path,
	    int (*cb)(void *arg, const char *login, int activated,
	    const struct diag_pos *), void *arg);
int	 accounts_import_read_fp(FILE *, const char *name,
	    int (*cb)(void *arg, const char *login, int activated,
	    const struct diag_pos *), void *arg);

#endif /* ENTPRESS_MANUAL_H */

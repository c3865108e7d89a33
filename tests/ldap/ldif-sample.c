/*
 * ldif-sample: the LDIF of three test accounts, for tests/ldap/slapd.sh.
 *
 *	ldif-sample FILE.ldif [BASE]
 *
 * writes the LDIF with export_ldif() and prints "login code" per account
 * on the standard output, so the script can bind with what a letter
 * would say.  The codes come from a fixed test seed: they are test data
 * and never an account's.  The names cover what the LDIF must encode:
 * accents (base64), a long name (folded lines), a plain one.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "credentials.h"
#include "diag.h"
#include "export.h"

#define NACCT	3

int
main(int argc, char *argv[])
{
	struct export_ldif_opts	 o;
	struct export_row	 rows[NACCT] = {
		{ "9100007", PROFILE_STUDENT, "Lefèvre", "Zoé", "4B",
		    "zoe.lefevre", NULL, NULL },
		{ "9200001", PROFILE_TEACHER, "PROF", "Alice", "4B",
		    "alice.prof", NULL, "alice.prof@example.org" },
		{ "manual:0000000000000001", PROFILE_GUEST,
		    "De La Tour D'Auvergne De Montmorency Saint-Germain-des-Prés",
		    "Marie-Charlotte Élisabeth", NULL,
		    "marie-charlotte.delatourdauvergnedem", NULL, NULL },
	};
	char			 codes[NACCT][CRED_CODE_LEN + 1];
	struct cred_rng		 rng;
	int			 i, r;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: ldif-sample FILE.ldif [BASE]\n");
		return 2;
	}
	diag_init("ldif-sample");
	if (cred_init() != 0)
		return 3;
	/* Test mode says so on stderr: expected here. */
	diag_set_quiet_below(LEVEL_ERROR);
	cred_rng_seed(&rng, 20260901);
	for (i = 0; i < NACCT; i++) {
		cred_code(&rng, codes[i]);
		rows[i].code = codes[i];
	}
	cred_rng_wipe(&rng);
	export_ldif_opts_init(&o);
	if (argc == 3)
		o.base = argv[2];
	r = export_ldif(argv[1], rows, NACCT, &o);
	for (i = 0; r == 0 && i < NACCT; i++)
		printf("%s %s\n", rows[i].login, codes[i]);
	cred_wipe(codes, sizeof(codes));
	return r == 0 ? 0 : 3;
}

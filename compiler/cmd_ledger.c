/*
 * cmd_ledger: the commands that read or update the ledger without
 * printing letters: `accounts import`, which learns from the ENT's own
 * user export which accounts were activated.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "diag.h"
#include "ledger.h"
#include "manual.h"

struct import_ctx {
	struct ledger	*l;
	unsigned long	 active, inactive, unknown;
	int		 failed;
};

static int
import_one(void *arg, const char *login, int activated,
    const struct diag_pos *pos)
{
	struct import_ctx	*x = arg;
	int			 rc;

	rc = ledger_set_state(x->l, login, activated ? STATE_ACTIVE :
	    STATE_INACTIVE);
	if (rc == LEDGER_NOTFOUND) {
		diag(DIAG_ACCOUNT_UNKNOWN, pos, "%s", login);
		x->unknown++;
		return 0;
	}
	if (rc != 0) {
		x->failed = 1;
		return -1;
	}
	if (activated)
		x->active++;
	else
		x->inactive++;
	return 0;
}

/*
 * `accounts import --ledger DB FILE.csv`: one transaction for the whole
 * file, so a file that cannot be read to its end changes nothing.
 */
int
cmd_accounts(struct cmd_opts *o)
{
	struct import_ctx	 x;
	char			 date[11];
	int			 i, rc;

	if (o->nargs < 2 || strcmp(o->args[0], "import") != 0) {
		diag(DIAG_BAD_ARG, NULL, "%s", "usage: entpress accounts import "
		    "--ledger DB FILE.csv");
		return diag_worst();
	}
	if (cmd_run_date(o, date) != 0)
		return diag_worst();
	memset(&x, 0, sizeof(x));
	rc = ledger_open(&x.l, o->ledger != NULL ? o->ledger : LEDGER_DEFAULT,
	    0);
	if (rc == LEDGER_NOTFOUND) {
		diag_sys(DIAG_BAD_LEDGER, o->ledger != NULL ? o->ledger :
		    LEDGER_DEFAULT, "%s", "no such ledger");
		return diag_worst();
	}
	if (rc != 0)
		return diag_worst();
	ledger_set_today(x.l, date);
	if (ledger_run_begin(x.l, date, "entpress accounts import") != 0)
		goto out;
	for (i = 1; i < o->nargs && !x.failed; i++)
		if (accounts_import_read(o->args[i], import_one, &x) != 0)
			x.failed = 1;
	/*
	 * A malformed line was skipped and said so; an unreadable file or a
	 * missing column stops everything.
	 */
	if (x.failed) {
		ledger_run_rollback(x.l);
		diag(DIAG_BAD_CSV, NULL, "%s", "nothing imported");
		goto out;
	}
	if (ledger_run_commit(x.l) != 0)
		goto out;
	if (!o->quiet)
		fprintf(stderr, "entpress: accounts import: %lu active, %lu "
		    "inactive, %lu unknown\n", x.active, x.inactive, x.unknown);
out:
	ledger_close(x.l);
	return diag_worst();
}

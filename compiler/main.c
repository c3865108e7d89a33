/*
 * main: the entpress command line.
 *
 * Only argument parsing lives here: the subcommand is the first operand,
 * options may come anywhere after it (GNU getopt_long permutes), and the
 * parsed options go to the cmd_* function, whose result is the exit
 * status.  Everything else is in libentpress.a, which the tests link too.
 */
#include "config.h"

#include <getopt.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aaf.h"
#include "batch.h"
#include "cmd.h"
#include "export.h"
#include "diag.h"
#include "progress.h"
#include "directory.h"
#include "mem.h"
#include "select.h"

enum {
	OPT_PROFILE = 256,
	OPT_LEVEL,
	OPT_CLASS,
	OPT_SCHOOL,
	OPT_STATE,
	OPT_ORIGIN,
	OPT_RELATIVES,
	OPT_LEDGER,
	OPT_FORMAT,
	OPT_BATCH,
	OPT_LAYOUT,
	OPT_SCHOOL_INFO,
	OPT_CSV,
	OPT_CSV_ENCODING,
	OPT_LDIF,
	OPT_LDIF_BASE,
	OPT_LDIF_OPS,
	OPT_LDIF_MEM,
	OPT_MANIFEST,
	OPT_DATE,
	OPT_VALID_DAYS,
	OPT_TEST_MODE,
	OPT_SEED,
	OPT_PDFA,
	OPT_EXPORT,
	OPT_HELP,
	OPT_VERSION
};

static const struct option long_opts[] = {
	{ "profile",	required_argument,	NULL, OPT_PROFILE },
	{ "level",	required_argument,	NULL, OPT_LEVEL },
	{ "class",	required_argument,	NULL, OPT_CLASS },
	{ "school",	required_argument,	NULL, OPT_SCHOOL },
	{ "state",	required_argument,	NULL, OPT_STATE },
	{ "origin",	required_argument,	NULL, OPT_ORIGIN },
	{ "relatives",	required_argument,	NULL, OPT_RELATIVES },
	{ "ledger",	required_argument,	NULL, OPT_LEDGER },
	{ "output",	required_argument,	NULL, 'o' },
	{ "format",	required_argument,	NULL, OPT_FORMAT },
	{ "batch",	required_argument,	NULL, OPT_BATCH },
	{ "layout",	required_argument,	NULL, OPT_LAYOUT },
	{ "school-info", required_argument,	NULL, OPT_SCHOOL_INFO },
	{ "csv",	required_argument,	NULL, OPT_CSV },
	{ "csv-encoding", required_argument,	NULL, OPT_CSV_ENCODING },
	{ "ldif",	required_argument,	NULL, OPT_LDIF },
	{ "ldif-base",	required_argument,	NULL, OPT_LDIF_BASE },
	{ "ldif-ops",	required_argument,	NULL, OPT_LDIF_OPS },
	{ "ldif-mem",	required_argument,	NULL, OPT_LDIF_MEM },
	{ "manifest",	required_argument,	NULL, OPT_MANIFEST },
	{ "date",	required_argument,	NULL, OPT_DATE },
	{ "valid-days",	required_argument,	NULL, OPT_VALID_DAYS },
	{ "test-mode",	no_argument,		NULL, OPT_TEST_MODE },
	{ "seed",	required_argument,	NULL, OPT_SEED },
	{ "pdfa",	no_argument,		NULL, OPT_PDFA },
	{ "export",	required_argument,	NULL, OPT_EXPORT },
	{ "quiet",	no_argument,		NULL, 'q' },
	{ "help",	no_argument,		NULL, OPT_HELP },
	{ "version",	no_argument,		NULL, OPT_VERSION },
	{ NULL,		0,			NULL, 0 }
};

static const struct {
	const char	*name;
	int		(*fn)(struct cmd_opts *);
} commands[] = {
	{ "check",	cmd_check },
	{ "list",	cmd_list },
	{ "compile",	cmd_compile },
	{ "accounts",	cmd_accounts },
	{ "reissue",	cmd_reissue },
	{ "verify",	cmd_verify },
	{ "report",	cmd_report },
};

static void
usage(FILE *fp)
{
	fputs(
"usage: entpress check   EXPORT...\n"
"       entpress list    [SELECTION] [--ledger DB] EXPORT...\n"
"       entpress compile [SELECTION] [OUTPUTS] EXPORT...\n"
"       entpress reissue --ledger DB [OUTPUTS] [--export PATH] LOGIN...\n"
"       entpress verify  MANIFEST [RUN.ps|RUN.pdf]\n"
"       entpress report  --ledger DB [--csv FILE] [--date YYYY-MM-DD]\n"
"       entpress accounts import --ledger DB FILE.csv\n"
"\n"
"EXPORT is an AAF XML file, a directory of them, a .zip or .tar.gz\n"
"archive of them, or a CSV of manually created accounts.\n"
"\n"
"SELECTION:\n"
"  --profile student,teacher,staff,parent,guest\n"
"  --level LEVEL      --class CLASS      --school UAI\n"
"  --state inactive|active|expired|all (default inactive)\n"
"  --origin aaf|manual|all (default all)\n"
"  --relatives legal1|legal12|all (default legal1)\n"
"\n"
"OUTPUTS:\n"
"  -o RUN.ps|RUN.pdf  --format ps|pdf  --batch class,staff,mail\n"
"  --layout letter|halfsheet|cards|FILE  --school-info FILE\n"
"  --ledger DB  --csv FILE  --csv-encoding utf8bom|cp1252\n"
"  --ldif FILE  --ldif-base DN  --ldif-ops N  --ldif-mem BYTES\n"
"  --manifest FILE  --date YYYY-MM-DD  --valid-days N  --pdfa\n"
"  --test-mode --seed N (tests only: predictable codes)\n"
"\n"
"Other options: -q (no summary), --help, --version.\n"
"See entpress(1).\n", fp);
}

/* After a mistake, one line: the whole text is for --help. */
static void
short_usage(void)
{
	fputs("usage: entpress check|list|compile|reissue|verify|report|"
	    "accounts ... (entpress --help)\n", stderr);
}

static int
bad_arg(const char *opt, const char *val)
{
	diag(DIAG_BAD_ARG, NULL, "%s %s", opt, val);
	return -1;
}

static int
parse_profiles(struct sel_opts *s, const char *arg)
{
	char		**v = NULL;
	size_t		  n = 0, i;
	enum dir_profile  p;
	int		  ret = 0;

	if (sel_opts_add(&v, &n, arg) != 0)
		ret = bad_arg("--profile", arg);
	for (i = 0; i < n; i++) {
		if ((p = dir_profile_from_name(v[i])) == PROFILE_NONE)
			ret = bad_arg("--profile", v[i]);
		else
			s->profiles |= 1u << p;
		free(v[i]);
	}
	free(v);
	return ret;
}

/* A decimal number in [min, max], nothing else. */
static int
parse_number(const char *arg, uint64_t min, uint64_t max, uint64_t *out)
{
	uint64_t	 v = 0;
	const char	*p;

	if (*arg == '\0')
		return -1;
	for (p = arg; *p != '\0'; p++) {
		if (*p < '0' || *p > '9' || v > (UINT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static int
parse_batch(struct cmd_opts *o, const char *arg)
{
	char	**v = NULL;
	size_t	  n = 0, i;
	int	  ret = 0;

	if (sel_opts_add(&v, &n, arg) != 0)
		ret = bad_arg("--batch", arg);
	for (i = 0; i < n; i++) {
		if (strcmp(v[i], "class") == 0)
			o->batch |= BATCH_CLASS;
		else if (strcmp(v[i], "staff") == 0)
			o->batch |= BATCH_STAFF;
		else if (strcmp(v[i], "mail") == 0)
			o->batch |= BATCH_MAIL;
		else
			ret = bad_arg("--batch", v[i]);
		free(v[i]);
	}
	free(v);
	return ret;
}

static int
parse_opt(struct cmd_opts *o, int c, const char *arg)
{
	struct sel_opts	*s = &o->sel;
	uint64_t	 v;

	switch (c) {
	case OPT_PROFILE:
		return parse_profiles(s, arg);
	case OPT_LEVEL:
		return sel_opts_add(&s->levels, &s->nlevels, arg) == 0 ? 0 :
		    bad_arg("--level", arg);
	case OPT_CLASS:
		return sel_opts_add(&s->classes, &s->nclasses, arg) == 0 ? 0 :
		    bad_arg("--class", arg);
	case OPT_SCHOOL:
		return sel_opts_add(&s->schools, &s->nschools, arg) == 0 ? 0 :
		    bad_arg("--school", arg);
	case OPT_STATE:
		if (strcmp(arg, "inactive") == 0)
			s->state = SEL_STATE_INACTIVE;
		else if (strcmp(arg, "active") == 0)
			s->state = SEL_STATE_ACTIVE;
		else if (strcmp(arg, "expired") == 0)
			s->state = SEL_STATE_EXPIRED;
		else if (strcmp(arg, "all") == 0)
			s->state = SEL_STATE_ALL;
		else
			return bad_arg("--state", arg);
		return 0;
	case OPT_ORIGIN:
		if (strcmp(arg, "aaf") == 0)
			s->origin = SEL_ORIGIN_AAF;
		else if (strcmp(arg, "manual") == 0)
			s->origin = SEL_ORIGIN_MANUAL;
		else if (strcmp(arg, "all") == 0)
			s->origin = SEL_ORIGIN_ALL;
		else
			return bad_arg("--origin", arg);
		return 0;
	case OPT_RELATIVES:
		if (strcmp(arg, "legal1") == 0)
			s->relatives = RELATIVES_LEGAL1;
		else if (strcmp(arg, "legal12") == 0)
			s->relatives = RELATIVES_LEGAL12;
		else if (strcmp(arg, "all") == 0)
			s->relatives = RELATIVES_ALL;
		else
			return bad_arg("--relatives", arg);
		return 0;
	case OPT_LEDGER:
		o->ledger = arg;
		return 0;
	case 'o':
		if (o->noutputs == 2) {
			diag(DIAG_BAD_ARG, NULL, "%s", "-o at most twice "
			    "(a PostScript and a PDF of the same run)");
			return -1;
		}
		o->outputs[o->noutputs++] = arg;
		return 0;
	case OPT_FORMAT:
		o->format = arg;
		return 0;
	case OPT_BATCH:
		return parse_batch(o, arg);
	case OPT_LAYOUT:
		o->layout = arg;
		return 0;
	case OPT_SCHOOL_INFO:
		o->school_info = arg;
		return 0;
	case OPT_CSV:
		o->csv = arg;
		return 0;
	case OPT_CSV_ENCODING:
		return export_csv_encoding(arg, &o->csv_encoding) == 0 ? 0 :
		    bad_arg("--csv-encoding", arg);
	case OPT_LDIF:
		o->ldif = arg;
		return 0;
	case OPT_LDIF_BASE:
		o->ldif_base = arg;
		return 0;
	case OPT_LDIF_OPS:
		/* argon2id's own bounds: libsodium refuses outside them. */
		return parse_number(arg, 1, 1000, &o->ldif_ops) == 0 ? 0 :
		    bad_arg("--ldif-ops", arg);
	case OPT_LDIF_MEM:
		return parse_number(arg, 8192, (uint64_t)4 << 30,
		    &o->ldif_mem) == 0 ? 0 : bad_arg("--ldif-mem", arg);
	case OPT_MANIFEST:
		o->manifest = arg;
		return 0;
	case OPT_DATE:
		o->date = arg;
		return 0;
	case OPT_VALID_DAYS:
		return parse_number(arg, 1, 3650, &v) == 0 ?
		    (o->valid_days = (int)v, 0) : bad_arg("--valid-days", arg);
	case OPT_TEST_MODE:
		o->test_mode = 1;
		return 0;
	case OPT_SEED:
		if (parse_number(arg, 0, UINT64_MAX, &o->seed) != 0)
			return bad_arg("--seed", arg);
		o->seed_set = 1;
		return 0;
	case OPT_PDFA:
		o->pdfa = 1;
		return 0;
	case OPT_EXPORT:
		o->exports = xreallocarray(o->exports, o->nexports + 1,
		    sizeof(*o->exports));
		o->exports[o->nexports++] = xstrdup(arg);
		return 0;
	case 'q':
		o->quiet = 1;
		return 0;
	default:
		return -1;
	}
}

int
main(int argc, char *argv[])
{
	struct cmd_opts	 o;
	size_t		 i;
	int		 c, ret, bad = 0;
	int		(*fn)(struct cmd_opts *) = NULL;

	diag_init("entpress");
	/*
	 * A file size limit (ulimit -f) must be a write error that names
	 * the file, like a full disk, not a SIGXFSZ that kills the run
	 * without a word and leaves its temporary files behind.
	 */
	signal(SIGXFSZ, SIG_IGN);
	if (argc < 2) {
		short_usage();
		return LEVEL_ERROR;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("entpress %s\n", PACKAGE_VERSION);
		return 0;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			fn = commands[i].fn;
	if (fn == NULL) {
		diag(DIAG_BAD_ARG, NULL, "unknown command %s", argv[1]);
		short_usage();
		return LEVEL_ERROR;
	}

	cmd_opts_init(&o);
	o.command = argv[1];
	optind = 2;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "qo:", long_opts, NULL)) != -1) {
		if (c == OPT_HELP) {
			usage(stdout);
			cmd_opts_free(&o);
			return 0;
		}
		if (c == OPT_VERSION) {
			printf("entpress %s\n", PACKAGE_VERSION);
			cmd_opts_free(&o);
			return 0;
		}
		if (c == '?' || c == ':') {
			diag(DIAG_BAD_ARG, NULL, "%s: %s", optopt != 0 ?
			    "missing value or unknown option" :
			    "unknown option", argv[optind - 1]);
			bad = 1;
			continue;
		}
		if (parse_opt(&o, c, optarg) != 0)
			bad = 1;
	}
	if (bad) {
		short_usage();
		cmd_opts_free(&o);
		return LEVEL_ERROR;
	}
	o.args = argv + optind;
	o.nargs = argc - optind;
	o.argv = argv + 2;
	o.argc = optind - 2;

	aaf_global_init();
	progress_init(o.quiet);
	ret = fn(&o);
	progress_done();
	aaf_global_cleanup();
	cmd_opts_free(&o);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		diag_sys(DIAG_SYS_WRITE, "standard output", "%s",
		    "cannot write");
		ret = LEVEL_SYSERR;
	}
	return ret;
}

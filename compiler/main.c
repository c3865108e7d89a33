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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aaf.h"
#include "cmd.h"
#include "diag.h"
#include "directory.h"
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
};

static void
usage(FILE *fp)
{
	fputs(
"usage: entpress check   EXPORT...\n"
"       entpress list    [SELECTION] [--ledger DB] EXPORT...\n"
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
"Other options: -q (no summary), --help, --version.\n"
"See entpress(1).\n", fp);
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

static int
parse_opt(struct cmd_opts *o, int c, const char *arg)
{
	struct sel_opts	*s = &o->sel;

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
	if (argc < 2) {
		usage(stderr);
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
		usage(stderr);
		return LEVEL_ERROR;
	}

	cmd_opts_init(&o);
	optind = 2;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "q", long_opts, NULL)) != -1) {
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
		usage(stderr);
		cmd_opts_free(&o);
		return LEVEL_ERROR;
	}
	o.args = argv + optind;
	o.nargs = argc - optind;

	aaf_global_init();
	ret = fn(&o);
	aaf_global_cleanup();
	cmd_opts_free(&o);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		diag_sys(DIAG_SYS_WRITE, "standard output", "%s",
		    "cannot write");
		ret = LEVEL_SYSERR;
	}
	return ret;
}

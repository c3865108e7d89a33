/*
 * cmd: the subcommands behind the command line.
 *
 * main.c parses options into a struct cmd_opts and calls one cmd_*
 * function; each returns the exit status (the worst diagnostic level).
 * The shared step of every command, reading the EXPORT arguments into a
 * resolved directory, is cmd_load().
 */
#ifndef ENTPRESS_CMD_H
#define ENTPRESS_CMD_H

#include <stdint.h>
#include <stdio.h>

#include "directory.h"
#include "export.h"
#include "select.h"

/* An input file that was read, for the manifest. */
struct cmd_input {
	char		*path;		/* as given, or dir/member.xml */
	const char	*kind;		/* xml, archive, csv */
};

struct cmd_opts {
	const char	*command;	/* compile, reissue...: the run record */
	struct sel_opts	 sel;
	char		**args;		/* operands (EXPORT...) */
	int		 nargs;
	char		**argv;		/* the options as given, for the run record */
	int		 argc;
	const char	*ledger;	/* --ledger, NULL: default */
	int		 quiet;		/* -q */
	FILE		*out;		/* stdout unless tests say otherwise */

	/* compile and reissue */
	const char	*outputs[2];	/* -o RUN.ps, -o RUN.pdf: one run, same codes */
	int		 noutputs;
	const char	*format;	/* --format ps|pdf */
	unsigned int	 batch;		/* --batch: BATCH_* mask, 0 all */
	const char	*layout;	/* --layout NAME|FILE */
	const char	*school_info;	/* --school-info FILE */
	const char	*csv;		/* --csv FILE */
	enum export_enc	 csv_encoding;	/* --csv-encoding */
	const char	*ldif;		/* --ldif FILE */
	const char	*ldif_base;	/* --ldif-base DN */
	uint64_t	 ldif_ops;	/* --ldif-ops: argon2id passes, 0 default */
	uint64_t	 ldif_mem;	/* --ldif-mem: argon2id bytes, 0 default */
	const char	*manifest;	/* --manifest FILE */
	const char	*date;		/* --date YYYY-MM-DD */
	int		 valid_days;	/* --valid-days N */
	int		 test_mode;	/* --test-mode */
	int		 seed_set;
	uint64_t	 seed;		/* --seed N */
	int		 pdfa;		/* --pdfa */

	/* reissue */
	char		**exports;	/* --export PATH, repeatable */
	size_t		 nexports;

	/* Filled by cmd_load: the files read, in operand order. */
	struct cmd_input *inputs;
	size_t		 ninputs;
};

/*
 * A print run (cmd_compile.c): the batch runs to print, in order, with
 * the ledger (opened by the caller), layout and school file.  logins
 * non-NULL makes it a reissue: letters alone, each saying which letter
 * it replaces, an LDIF of modifications, and the logins as the
 * manifest's selection.
 */
struct batch_run;
struct layout;
struct ledger;
struct school_file;

struct cmd_print {
	struct ledger		 *l;
	const struct layout	 *lay;
	const struct school_file *sf;
	const char		 *date;
	struct batch_run	 *runs;
	size_t			  nruns;
	unsigned int		  batch;	/* sections printed, 0 all */
	char *const		 *inputs;	/* EXPORT operands */
	size_t			  ninputs;
	char *const		 *logins;	/* reissue */
	size_t			  nlogins;
};

void	cmd_opts_init(struct cmd_opts *);
void	cmd_opts_free(struct cmd_opts *);
int	cmd_load(struct cmd_opts *, struct directory *);
void	cmd_no_core(void);
struct ledger;
int	cmd_ledger_mode_ok(const struct cmd_opts *, const struct ledger *,
	    const char *);
int	cmd_load_paths(struct cmd_opts *, char *const *, size_t,
	    struct directory *);
int	cmd_check(struct cmd_opts *);
int	cmd_list(struct cmd_opts *);
int	cmd_compile(struct cmd_opts *);
int	cmd_accounts(struct cmd_opts *);
int	cmd_reissue(struct cmd_opts *);
int	cmd_verify(struct cmd_opts *);
int	cmd_report(struct cmd_opts *);
int	cmd_run_date(const struct cmd_opts *, char[11]);
int	cmd_print_args(const struct cmd_opts *, char[11]);
int	cmd_print(struct cmd_opts *, struct cmd_print *);
void	cmd_add_days(const char *, int, char[11]);

#endif /* ENTPRESS_CMD_H */

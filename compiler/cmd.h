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

struct cmd_opts {
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
};

void	cmd_opts_init(struct cmd_opts *);
void	cmd_opts_free(struct cmd_opts *);
int	cmd_load(struct cmd_opts *, struct directory *);
int	cmd_check(struct cmd_opts *);
int	cmd_list(struct cmd_opts *);
int	cmd_compile(struct cmd_opts *);
int	cmd_accounts(struct cmd_opts *);
int	cmd_run_date(const struct cmd_opts *, char[11]);
void	cmd_add_days(const char *, int, char[11]);

#endif /* ENTPRESS_CMD_H */

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

#include <stdio.h>

#include "directory.h"
#include "select.h"

struct cmd_opts {
	struct sel_opts	 sel;
	char		**args;		/* operands (EXPORT...) */
	int		 nargs;
	const char	*ledger;	/* --ledger, NULL: default */
	int		 quiet;		/* -q */
	FILE		*out;		/* stdout unless tests say otherwise */
};

void	cmd_opts_init(struct cmd_opts *);
void	cmd_opts_free(struct cmd_opts *);
int	cmd_load(struct cmd_opts *, struct directory *);
int	cmd_check(struct cmd_opts *);
int	cmd_list(struct cmd_opts *);

#endif /* ENTPRESS_CMD_H */

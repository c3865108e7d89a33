/*
 * select: which accounts a run is about (the SELECTION options).
 *
 * Criteria combine with AND across kinds and OR within one kind
 * (--class 4A,4B is "4A or 4B").  Class, level and school criteria are
 * about students; the other profiles follow them: a parent is selected
 * through a child who matches (and only through a link that makes them a
 * parent under --relatives), a teacher through a class they teach or
 * head.  Staff have no class, so a class or level criterion leaves them
 * out.  A person is selected at most once, whatever the number of
 * matching children.  The account state (inactive, active) comes from the
 * ledger through a callback, so this stage does not depend on sqlite.
 */
#ifndef ENTPRESS_SELECT_H
#define ENTPRESS_SELECT_H

#include <stddef.h>

#include "directory.h"

enum acct_state {
	STATE_INACTIVE = 0,	/* code never used, or no account yet */
	STATE_ACTIVE,		/* the ENT says the code was used */
	STATE_DELETED,
	STATE_EXPIRED		/* code past its date and never used */
};

enum sel_state {
	SEL_STATE_INACTIVE = 0,
	SEL_STATE_ACTIVE,
	SEL_STATE_EXPIRED,
	SEL_STATE_ALL
};

enum sel_origin {
	SEL_ORIGIN_ALL = 0,
	SEL_ORIGIN_AAF,
	SEL_ORIGIN_MANUAL
};

struct sel_opts {
	unsigned int		 profiles;	/* 1 << PROFILE_x; 0 = all */
	char			**levels;
	size_t			 nlevels;
	char			**classes;
	size_t			 nclasses;
	char			**schools;	/* UAI or jointure */
	size_t			 nschools;
	enum sel_state		 state;
	enum sel_origin		 origin;
	enum dir_relatives	 relatives;
	/* Account state from the ledger; NULL: everyone inactive. */
	enum acct_state		(*state_of)(void *, const struct dir_person *);
	void			*state_arg;
};

struct selection {
	struct dir_person	**v;
	size_t			  n;
};

void	 sel_opts_init(struct sel_opts *);
void	 sel_opts_free(struct sel_opts *);
int	 sel_opts_add(char ***, size_t *, const char *);
int	 select_run(const struct directory *, const struct sel_opts *,
	    struct selection *);
void	 selection_free(struct selection *);
int	 select_student_matches(const struct sel_opts *,
	    const struct dir_person *);
int	 select_class_matches(const struct sel_opts *,
	    const struct dir_class *);
const char *acct_state_name(enum acct_state);

#endif /* ENTPRESS_SELECT_H */

/*
 * batch: from the selected accounts to the letters of a run, grouped and
 * sorted the way they are handed out or posted.
 *
 * Three sections, printed in this order:
 *
 *   class  per school (UAI order), per class in natural order (6A < 6B <
 *          10A), students by last name then first name (accents folded);
 *          each class group opens with a cover sheet for its head teacher
 *          and ends with a hand-over list.  Parents' letters that cannot
 *          be posted go here too, "via the student", in the class of the
 *          household's first child (natural order).
 *   staff  per school, teachers then other staff, by name; guests too.
 *   mail   one letter per household, sorted by country (France first),
 *          postcode, city, street, then household name.
 *
 * A household is the selected guardians who share a child and the same
 * normalised address (case, accents, punctuation and spacing folded, empty
 * $ lines dropped, postcode, city and country included), so two families
 * in one building stay apart and a guardian is in exactly one household.
 * Its letter names every guardian and every child (with class) of them.
 *
 * batch_build() only decides; it writes no page and issues no code.
 */
#ifndef ENTPRESS_BATCH_H
#define ENTPRESS_BATCH_H

#include <stddef.h>
#include <stdint.h>

#include "directory.h"
#include "select.h"
#include "text.h"

enum batch_section {
	SECTION_CLASS = 0,
	SECTION_STAFF,
	SECTION_MAIL,
	SECTION__MAX
};

#define BATCH_CLASS	(1u << SECTION_CLASS)
#define BATCH_STAFF	(1u << SECTION_STAFF)
#define BATCH_MAIL	(1u << SECTION_MAIL)
#define BATCH_ALL	(BATCH_CLASS | BATCH_STAFF | BATCH_MAIL)

struct batch_opts {
	unsigned int		 sections;	/* BATCH_* to print; 0 = all */
	int			 can_post;	/* the layout has a window */
	enum dir_relatives	 relatives;	/* which links make a guardian */
};

/* One letter: one account, or one household's guardians. */
struct letter {
	enum batch_section	 section;
	struct dir_school	*school;
	struct dir_class	*cls;		/* class section: its class */
	struct dir_person	**accounts;	/* 1, or the household's guardians */
	uint32_t		 naccounts;
	struct dir_person	**children;	/* parents: every child, by class */
	uint32_t		 nchildren;
	int			 posted;	/* mail section */
	int			 via_class;	/* a parents' letter handed out */
	struct addr_out		 addr;		/* posted: the window block */
	uint32_t		 seq;		/* 1.. within its group */
};

/* A group: one class, one school's staff, or the whole mail. */
struct batch_group {
	enum batch_section	 section;
	struct dir_school	*school;
	struct dir_class	*cls;		/* class groups */
	char			 label[40];	/* 4B, STAFF, MAIL (page labels) */
	struct letter		*letters;
	size_t			 nletters;
	uint32_t		 nstudents;	/* class: student letters */
	uint32_t		 nguests;	/* class: guests with this class */
	uint32_t		 nparents;	/* class: via-the-student letters */
};

/* The deposit summary of the mail section. */
struct batch_dept {
	char			 code[4];	/* 69, 2A, 974, or ZZ abroad */
	uint32_t		 count;
};

struct batch_run {
	struct batch_group	*groups;	/* in print order */
	size_t			 ngroups;
	struct batch_dept	*depts;		/* mail: per department */
	size_t			 ndepts;
	uint32_t		 nposted;
	uint32_t		 nabroad;
	uint32_t		 nletters[SECTION__MAX];
	uint32_t		 naccounts;	/* accounts on letters */
	uint32_t		 nleft_out;	/* selected, section not printed */
	/* Households found, printed or left out; none are looked for in
	   a run that prints neither the class nor the mail section. */
	uint32_t		 nhouseholds;

	/*
	 * Storage owned by the run: the groups' letters are consecutive
	 * slices of letterv (so letterv is the whole run in print order),
	 * and every letter's accounts and children are slices of personv.
	 */
	struct letter		*letterv;
	size_t			 nletterv;
	struct dir_person	**personv;
};

int	 batch_build(const struct directory *, const struct selection *,
	    const struct batch_opts *, struct batch_run *);
void	 batch_free(struct batch_run *);
const char *batch_section_name(enum batch_section);

/*
 * Household address key (exposed for tests): the non-empty address lines
 * joined by $, then |postcode|city, then |country when abroad; each part
 * accents folded, upper case, punctuation and runs of spaces one space.
 * "" when the person has no address line, postcode or city.
 */
void	 batch_address_key(struct buf *, const struct dir_person *);

#endif /* ENTPRESS_BATCH_H */

/*
 * manifest: the archive record of one run, as JSON.
 *
 * A manifest says which exact letters a run holds, so that a school can
 * show months later what went to whom, and `entpress verify` can tell
 * whether an archived PostScript or PDF is still that run.  It holds the
 * run (date, layout, selection, command line: never a secret), every
 * output with its size and SHA-256, every input file with its SHA-256,
 * and one entry per letter: serial, section, group, delivery way, pages,
 * for each print output the byte range of those pages and its SHA-256,
 * and each account on the letter (login, name, profile, and the keyed
 * fingerprint of its code, which nobody can turn back into the code
 * without the ledger key).  Posted letters carry their address lines.
 *
 * The text is deterministic: fixed key order, no clock, no temporary
 * name, so that the same inputs, seed and date give the same bytes.  The
 * head comes first, indented, then one letter a line (grep finds a
 * letter and its neighbours), written as the letters come: memory for
 * the text does not grow with the run.
 *
 * This is the only module that includes jansson.
 */
#ifndef ENTPRESS_MANIFEST_H
#define ENTPRESS_MANIFEST_H

#include <stddef.h>
#include <stdint.h>

#include "credentials.h"
#include "mem.h"

struct outw;

#define MANIFEST_FORMAT		"entpress-manifest"
#define MANIFEST_VERSION	1
#define MANIFEST_MAXRUN		2	/* print outputs: a PS and a PDF */

/* An output or an input file. */
struct manifest_file {
	const char	*name;		/* outputs: from the manifest's dir */
	const char	*kind;		/* ps pdf csv ldif; xml archive csv */
	uint64_t	 size;
	uint8_t		 sha256[CRED_SHA256_LEN];
	uint32_t	 pages;		/* print outputs */
};

struct manifest_account {
	const char	*login;
	const char	*name;		/* "First Last" */
	const char	*profile;	/* student teacher staff parent guest */
	uint8_t		 fp[CRED_FP_LEN];	/* keyed fingerprint */
};

struct manifest_letter {
	const char		*serial;
	const char		*label;		/* page label: 4B-017 */
	const char		*section;	/* class staff mail */
	const char		*group;		/* 4B STAFF MAIL */
	const char		*way;		/* class staff post */
	const char		*replaces;	/* serial, or NULL */
	uint32_t		 first_page;	/* 0: no print run */
	uint32_t		 last_page;
	struct cred_range	 range[MANIFEST_MAXRUN]; /* per print output */
	struct manifest_account	*accounts;
	size_t			 naccounts;
	const char		**address;	/* posted letters */
	size_t			 naddress;
};

/* One selection option: a list of values, or one value (scalar). */
struct manifest_opt {
	const char	*name;
	const char	**v;
	size_t		 n;
	int		 scalar;
};

struct manifest {
	int			 version;
	int64_t			 run;		/* the ledger's run id */
	const char		*command;	/* entpress reissue ... */
	const char		*date;
	const char		*valid_until;
	const char		*layout;
	int			 test_mode;
	struct manifest_opt	*sel;
	size_t			 nsel;
	struct manifest_file	*outputs;	/* print outputs first */
	size_t			 noutputs;
	size_t			 nprint;	/* outputs[0..nprint) */
	struct manifest_file	*inputs;
	size_t			 ninputs;
	struct manifest_letter	*letters;
	size_t			 nletters, capletters;
	struct arena		 a;		/* every string and list */
};

void	 manifest_init(struct manifest *);
void	 manifest_free(struct manifest *);
char	*manifest_strdup(struct manifest *, const char *);
struct manifest_opt *manifest_opt_add(struct manifest *, const char *name,
	    int scalar);
void	 manifest_opt_value(struct manifest *, struct manifest_opt *,
	    const char *);
struct manifest_file *manifest_output_add(struct manifest *);
struct manifest_file *manifest_input_add(struct manifest *);
/* The new letter is valid until the next manifest_letter_add. */
struct manifest_letter *manifest_letter_add(struct manifest *);

/*
 * The name of an output as the manifest records it: relative to the
 * manifest's directory when it is in it or below, else absolute.  Both
 * directories must exist.  0, or -1 after a diagnostic.
 */
int	 manifest_relpath(const char *manifest, const char *file,
	    struct buf *out);
/* The inverse, for verify: where a recorded name is. */
void	 manifest_locate(const char *manifest, const char *name,
	    struct buf *out);

/*
 * Write m into w (opened by the caller) and finish it; sha256 receives
 * the digest of the bytes written.  0, or -1 after a diagnostic (w is
 * then aborted).
 */
int	 manifest_write(struct outw *, const struct manifest *,
	    uint8_t sha256[CRED_SHA256_LEN]);

/*
 * Read a manifest into m (manifest_init first, manifest_free after).
 * 0, or -1 after a diagnostic: DIAG_SYS_OPEN, or DIAG_BAD_MANIFEST for
 * a file that is not an entpress manifest of a known version.
 */
int	 manifest_load(const char *path, struct manifest *);

#endif /* ENTPRESS_MANIFEST_H */

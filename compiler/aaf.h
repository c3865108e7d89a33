/*
 * aaf: reading AAF directory exports (ficAlimMENESR XML).
 *
 * aaf_collect() turns command-line arguments (files, directories,
 * .zip/.tar.gz archives) into a list of sources; aaf_order() sorts them
 * the way the exports must be applied (Complet before Delta, by date in
 * the file name) and sets aside exports superseded by a newer Complet;
 * aaf_read() streams every source through libxml2's push parser (SAX2
 * callbacks, fed and delivered the way xmlTextReader did, see aaf.c)
 * and hands each request to the directory as a struct dir_record.
 * Plain files are parsed two at a time on worker threads, and applied
 * in order by the caller: records, diagnostics and counts come out as
 * from a reading of one file after the other.  Memory does not grow
 * with the file size: one record is held at a time, and at most 16 MB
 * of records for each file read ahead.  aaf_global_init() must have
 * run, on the calling thread, before aaf_read().
 *
 * The reader never loads the external DTD, never fetches or reads an
 * external entity, and refuses entity references other than the five
 * predefined ones and character references.
 */
#ifndef ENTPRESS_AAF_H
#define ENTPRESS_AAF_H

#include <stddef.h>

#include "directory.h"

enum aaf_kind {
	AAF_COMPLET = 0,
	AAF_DELTA
};

struct aaf_source {
	char		*name;		/* for messages: path or archive(member) */
	char		*path;		/* file, or the archive holding it */
	char		*member;	/* archive member, NULL for a file */
	size_t		 index;		/* member position in the archive */
	enum aaf_kind	 kind;
	char		*prefix;	/* file name part before _Complet_/_Delta_ */
	char		 date[9];	/* YYYYMMDD from the name, "" unknown */
	int		 catorder;	/* category rank from the name */
	unsigned int	 chunk;
	int		 named;		/* the name follows the AAF pattern */
	int		 ignored;	/* superseded by a newer Complet */
};

struct aaf_set {
	struct aaf_source	*v;
	size_t			 n, cap;
	char			**csv;		/* manual-account CSV files */
	size_t			 ncsv;
};

void	 aaf_set_init(struct aaf_set *);
void	 aaf_set_free(struct aaf_set *);
int	 aaf_collect(struct aaf_set *, const char *);
void	 aaf_order(struct aaf_set *);
int	 aaf_read(const struct aaf_set *, struct directory *);
int	 aaf_read_memory(struct directory *, const char *, const char *,
	    size_t, int);
void	 aaf_global_init(void);
void	 aaf_global_cleanup(void);

#endif /* ENTPRESS_AAF_H */

/*
 * mem: allocation that never returns NULL, and arenas for the model.
 *
 * Out of memory is a system error after which nothing useful can be
 * done, so the x* family prints one SYSERR line and exits (mandoc, tmux)
 * instead of threading NULL checks through every stage.  The directory
 * model allocates from arenas: hundreds of thousands of small records
 * and strings that all die together at the end of a run, which a bump
 * allocator serves faster and in less memory than malloc.
 */
#ifndef ENTPRESS_MEM_H
#define ENTPRESS_MEM_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
int	 xasprintf(char **, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

/*
 * Zero memory that held an activation code before it is freed or
 * reused, in a way the compiler may not drop as a dead store.  For the
 * stages below credentials (page model, emitters), which must not
 * depend on it; cred_wipe() is the same promise with libsodium.
 */
void	 mem_wipe(void *, size_t);

/*
 * v in decimal at out, zero-padded to at least width digits, without a
 * NUL; returns the length.  out has room for 20 digits or width.  For
 * the serials and labels printed on every letter, where printf's cost
 * showed.
 */
size_t	 mem_decimal(char *out, uint64_t v, size_t width);

struct arena_block;

struct arena {
	struct arena_block	*head;		/* current block, newest first */
	size_t			 used;		/* bytes in use in head */
	size_t			 total;		/* bytes obtained from malloc */
};

void	 arena_init(struct arena *);
void	 arena_free(struct arena *);
void	 arena_wipe(struct arena *);
void	 arena_reset(struct arena *);
void	*arena_alloc(struct arena *, size_t);
void	*arena_calloc(struct arena *, size_t, size_t);
char	*arena_strdup(struct arena *, const char *);
char	*arena_strndup(struct arena *, const char *, size_t);

/*
 * A string-keyed open-addressing hash table.  Keys are not copied: they
 * must outlive the table (arena strings do).  Values are opaque.
 */
struct hmap_slot {
	const char	*key;
	void		*value;
	uint32_t	 hash;
};

struct hmap {
	struct hmap_slot	*slots;
	size_t			 cap;		/* power of two, or 0 */
	size_t			 len;
};

void	 hmap_init(struct hmap *);
void	 hmap_free(struct hmap *);
void	*hmap_get(const struct hmap *, const char *);
void	*hmap_getn(const struct hmap *, const char *, size_t);
void	 hmap_put(struct hmap *, const char *, void *);
uint32_t hmap_hash(const char *, size_t);

/*
 * A set of strings that keeps a 64-bit digest of each, not the string:
 * 8 bytes a member where a table of strings keeps a slot and a copy.
 * hset_has may answer yes for a string never added, with a chance of
 * about n / 2^64 (n members): a caller confirms a yes where a wrong one
 * would matter, or accepts it where it only costs a detour.  Never a
 * wrong no.
 */
struct hset {
	uint64_t	*v;		/* 0: empty slot */
	size_t		 cap;		/* power of two, or 0 */
	size_t		 len;
};

void	 hset_init(struct hset *);
void	 hset_free(struct hset *);
void	 hset_add(struct hset *, const char *);
int	 hset_has(const struct hset *, const char *);

/*
 * String interning: one arena copy per distinct string, so repeated
 * values (class codes, cities, school ids) cost one pointer each.
 */
struct strtab {
	struct hmap	 map;
	struct arena	*arena;
};

void		 strtab_init(struct strtab *, struct arena *);
void		 strtab_free(struct strtab *);
const char	*strtab_intern(struct strtab *, const char *);
const char	*strtab_internn(struct strtab *, const char *, size_t);

/*
 * A growable byte buffer, always NUL-terminated after buf_* calls.  A
 * buffer that may hold an activation code is started with
 * buf_init_secret(): the memory it leaves behind when it grows (realloc
 * would free the old block as it was) or is freed is zeroed first.
 */
struct buf {
	char	*p;
	size_t	 len;
	size_t	 cap;
	int	 wipe;		/* zero what is given back */
};

void	 buf_init(struct buf *);
void	 buf_init_secret(struct buf *);
void	 buf_free(struct buf *);
void	 buf_reset(struct buf *);
void	 buf_grow(struct buf *, size_t);
void	 buf_grow_slow(struct buf *, size_t);
void	 buf_adds(struct buf *, const char *);
void	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

/*
 * The two calls every stage makes per byte or per field, inline: the
 * room test and the copy, the allocation out of line (buf_grow_slow).
 */
static inline void
buf_add(struct buf *b, const void *data, size_t n)
{
	if (b->cap - b->len <= n)
		buf_grow_slow(b, n);
	if (n > 0)
		memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static inline void
buf_addc(struct buf *b, int c)
{
	if (b->cap - b->len <= 1)
		buf_grow_slow(b, 1);
	b->p[b->len++] = (char)c;
	b->p[b->len] = '\0';
}

#endif /* ENTPRESS_MEM_H */

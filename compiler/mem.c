/*
 * mem: checked allocation, bump arenas, a string hash table and string
 * interning.  See mem.h for why the model lives in arenas.
 */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "mem.h"

void *
xmalloc(size_t sz)
{
	void	*p;

	if ((p = malloc(sz == 0 ? 1 : sz)) == NULL)
		diag_fatal_nomem();
	return p;
}

void *
xcalloc(size_t n, size_t sz)
{
	void	*p;

	if ((p = calloc(n == 0 ? 1 : n, sz == 0 ? 1 : sz)) == NULL)
		diag_fatal_nomem();
	return p;
}

void *
xrealloc(void *old, size_t sz)
{
	void	*p;

	if ((p = realloc(old, sz == 0 ? 1 : sz)) == NULL)
		diag_fatal_nomem();
	return p;
}

void *
xreallocarray(void *old, size_t n, size_t sz)
{
	if (sz != 0 && n > SIZE_MAX / sz)
		diag_fatal_nomem();
	return xrealloc(old, n * sz);
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t len)
{
	char	*p;

	p = xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

int
xasprintf(char **ret, const char *fmt, ...)
{
	va_list	 ap;
	int	 len;

	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0)
		diag_fatal_nomem();
	*ret = xmalloc((size_t)len + 1);
	va_start(ap, fmt);
	vsnprintf(*ret, (size_t)len + 1, fmt, ap);
	va_end(ap);
	return len;
}

/* --- arenas --------------------------------------------------------- */

#define ARENA_BLOCK	(256 * 1024)	/* bytes per ordinary block */
#define ARENA_ALIGN	(sizeof(max_align_t))

struct arena_block {
	struct arena_block	*next;
	size_t			 size;		/* usable bytes in data */
	max_align_t		 data[];
};

void
arena_init(struct arena *a)
{
	a->head = NULL;
	a->used = 0;
	a->total = 0;
}

/*
 * A memset the compiler must call: it cannot see through a volatile
 * pointer, so it cannot prove the zeroed memory dead and drop the call.
 */
static void *(*const volatile wipe_memset)(void *, int, size_t) = memset;

void
mem_wipe(void *p, size_t n)
{
	if (p != NULL && n > 0)
		wipe_memset(p, 0, n);
}

size_t
mem_decimal(char *out, uint64_t v, size_t width)
{
	char	 d[20];
	size_t	 k = 0, n = 0;

	do {
		d[k++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	for (; width > k; width--)
		out[n++] = '0';
	while (k > 0)
		out[n++] = d[--k];
	return n;
}

/*
 * Zero what the arena handed out, for an arena that held text with codes
 * in it.  The newest block only up to what was used (a page's strings
 * take a few hundred bytes of a 256 KB block, and a page is wiped each
 * time it is reused); the others whole, since only the newest block's
 * fill is known.
 */
void
arena_wipe(struct arena *a)
{
	struct arena_block	*b;

	if (a->head == NULL)
		return;
	mem_wipe(a->head->data, a->used < a->head->size ? a->used :
	    a->head->size);
	for (b = a->head->next; b != NULL; b = b->next)
		mem_wipe(b->data, b->size);
	a->used = 0;
}

void
arena_free(struct arena *a)
{
	struct arena_block	*b, *next;

	for (b = a->head; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	arena_init(a);
}

/* Forget every allocation but keep the newest block for reuse. */
void
arena_reset(struct arena *a)
{
	struct arena_block	*b, *next;

	if (a->head == NULL)
		return;
	for (b = a->head->next; b != NULL; b = next) {
		next = b->next;
		a->total -= b->size;
		free(b);
	}
	a->head->next = NULL;
	a->used = 0;
}

/*
 * Allocate sz bytes aligned to align (a power of two).  Strings ask for
 * alignment 1: most names are shorter than max_align_t, and rounding
 * each up to 16 bytes would cost a large academy tens of megabytes.
 */
static void *
arena_alloc_align(struct arena *a, size_t sz, size_t align)
{
	struct arena_block	*b;
	size_t			 bsz, off;

	off = a->head == NULL ? 0 : (a->used + align - 1) & ~(align - 1);
	if (a->head == NULL || off > a->head->size ||
	    a->head->size - off < sz) {
		/*
		 * A request larger than a quarter block gets a block of its
		 * own behind the current one, so the current block's free
		 * space is not wasted on it.
		 */
		bsz = sz > ARENA_BLOCK / 4 ? sz : ARENA_BLOCK;
		b = xmalloc(sizeof(*b) + bsz);
		b->size = bsz;
		a->total += bsz;
		if (bsz != ARENA_BLOCK && a->head != NULL) {
			b->next = a->head->next;
			a->head->next = b;
			return b->data;
		}
		b->next = a->head;
		a->head = b;
		off = 0;
	}
	a->used = off + sz;
	return (char *)a->head->data + off;
}

void *
arena_alloc(struct arena *a, size_t sz)
{
	return arena_alloc_align(a, sz, ARENA_ALIGN);
}

void *
arena_calloc(struct arena *a, size_t n, size_t sz)
{
	void	*p;

	if (sz != 0 && n > SIZE_MAX / sz)
		diag_fatal_nomem();
	p = arena_alloc(a, n * sz);
	memset(p, 0, n * sz);
	return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t len)
{
	char	*p;

	p = arena_alloc_align(a, len + 1, 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

/* --- hash map ------------------------------------------------------- */

/* FNV-1a: short keys, no adversary who profits from collisions here. */
uint32_t
hmap_hash(const char *s, size_t len)
{
	uint32_t	 h = 2166136261u;
	size_t		 i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

void
hmap_init(struct hmap *m)
{
	m->slots = NULL;
	m->cap = 0;
	m->len = 0;
}

void
hmap_free(struct hmap *m)
{
	free(m->slots);
	hmap_init(m);
}

static struct hmap_slot *
hmap_find(const struct hmap *m, const char *key, size_t len, uint32_t h)
{
	size_t			 i, mask;
	struct hmap_slot	*s;

	if (m->cap == 0)
		return NULL;
	mask = m->cap - 1;
	for (i = h & mask;; i = (i + 1) & mask) {
		s = &m->slots[i];
		if (s->key == NULL)
			return s;
		if (s->hash == h && strncmp(s->key, key, len) == 0 &&
		    s->key[len] == '\0')
			return s;
	}
}

void *
hmap_getn(const struct hmap *m, const char *key, size_t len)
{
	struct hmap_slot	*s;

	s = hmap_find(m, key, len, hmap_hash(key, len));
	return s != NULL && s->key != NULL ? s->value : NULL;
}

void *
hmap_get(const struct hmap *m, const char *key)
{
	return hmap_getn(m, key, strlen(key));
}

static void
hmap_grow(struct hmap *m)
{
	struct hmap	 old = *m;
	size_t		 i, j, mask;

	m->cap = old.cap == 0 ? 64 : old.cap * 2;
	m->slots = xcalloc(m->cap, sizeof(*m->slots));
	mask = m->cap - 1;
	for (i = 0; i < old.cap; i++) {
		if (old.slots[i].key == NULL)
			continue;
		for (j = old.slots[i].hash & mask; m->slots[j].key != NULL;
		    j = (j + 1) & mask)
			continue;
		m->slots[j] = old.slots[i];
	}
	free(old.slots);
}

/* Insert or replace. */
void
hmap_put(struct hmap *m, const char *key, void *value)
{
	struct hmap_slot	*s;
	size_t			 len = strlen(key);
	uint32_t		 h = hmap_hash(key, len);

	if ((m->len + 1) * 4 > m->cap * 3)
		hmap_grow(m);
	s = hmap_find(m, key, len, h);
	if (s->key == NULL) {
		s->key = key;
		s->hash = h;
		m->len++;
	}
	s->value = value;
}

/* --- digest sets ---------------------------------------------------- */

/*
 * FNV-1a over 64 bits, then the finaliser of splitmix64 so that the low
 * bits, which pick the slot, depend on every byte.  Not a keyed hash: a
 * member that collides on purpose can only make hset_has say yes.
 */
static uint64_t
hset_digest(const char *s)
{
	uint64_t	 h = 0xcbf29ce484222325ULL;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 31;
	return h == 0 ? 1 : h;		/* 0 marks an empty slot */
}

void
hset_init(struct hset *h)
{
	h->v = NULL;
	h->cap = 0;
	h->len = 0;
}

void
hset_free(struct hset *h)
{
	free(h->v);
	hset_init(h);
}

static uint64_t *
hset_slot(const struct hset *h, uint64_t d)
{
	size_t	 i, mask = h->cap - 1;

	for (i = (size_t)d & mask; h->v[i] != 0 && h->v[i] != d;
	    i = (i + 1) & mask)
		continue;
	return &h->v[i];
}

void
hset_add(struct hset *h, const char *s)
{
	uint64_t	*old = h->v, *slot, d = hset_digest(s);
	size_t		 i, oldcap = h->cap;

	/* At most half full: a miss ends on an empty slot soon. */
	if ((h->len + 1) * 2 > h->cap) {
		h->cap = oldcap == 0 ? 1024 : oldcap * 2;
		h->v = xcalloc(h->cap, sizeof(*h->v));
		for (i = 0; i < oldcap; i++)
			if (old[i] != 0)
				*hset_slot(h, old[i]) = old[i];
		free(old);
	}
	slot = hset_slot(h, d);
	if (*slot == 0) {
		*slot = d;
		h->len++;
	}
}

int
hset_has(const struct hset *h, const char *s)
{
	return h->cap > 0 && *hset_slot(h, hset_digest(s)) != 0;
}

/* --- string interning ----------------------------------------------- */

void
strtab_init(struct strtab *t, struct arena *a)
{
	hmap_init(&t->map);
	t->arena = a;
}

void
strtab_free(struct strtab *t)
{
	hmap_free(&t->map);
}

const char *
strtab_internn(struct strtab *t, const char *s, size_t len)
{
	char	*p;

	if ((p = hmap_getn(&t->map, s, len)) != NULL)
		return p;
	p = arena_strndup(t->arena, s, len);
	hmap_put(&t->map, p, p);
	return p;
}

const char *
strtab_intern(struct strtab *t, const char *s)
{
	return strtab_internn(t, s, strlen(s));
}

/* --- byte buffers --------------------------------------------------- */

void
buf_init(struct buf *b)
{
	b->p = NULL;
	b->len = 0;
	b->cap = 0;
	b->wipe = 0;
}

void
buf_init_secret(struct buf *b)
{
	buf_init(b);
	b->wipe = 1;
}

void
buf_free(struct buf *b)
{
	int	 wipe = b->wipe;

	if (wipe)
		mem_wipe(b->p, b->cap);
	free(b->p);
	buf_init(b);
	b->wipe = wipe;
}

/*
 * Empty the buffer, leaving an empty string: callers print b->p right
 * after filling it, and a fill that added nothing (a field with no
 * value, a person with no school) must not hand them NULL.
 */
void
buf_reset(struct buf *b)
{
	b->len = 0;
	buf_grow(b, 0);
}

/* Make room for n more bytes plus the terminating NUL. */
void
buf_grow(struct buf *b, size_t n)
{
	char	*old;
	size_t	 need, oldcap;

	if (n > SIZE_MAX - b->len - 1)
		diag_fatal_nomem();
	need = b->len + n + 1;
	if (need > b->cap) {
		old = b->p;
		oldcap = b->cap;
		if (b->cap == 0)
			b->cap = 64;
		while (b->cap < need)
			b->cap = b->cap > SIZE_MAX / 2 ? need : b->cap * 2;
		if (b->wipe && old != NULL) {
			/* Move by hand: realloc would free the old copy as is. */
			b->p = xmalloc(b->cap);
			memcpy(b->p, old, b->len);
			mem_wipe(old, oldcap);
			free(old);
		} else
			b->p = xrealloc(b->p, b->cap);
	}
	b->p[b->len] = '\0';
}

/* buf_grow for the inline calls of mem.h, which tested the room. */
void
buf_grow_slow(struct buf *b, size_t n)
{
	buf_grow(b, n);
}

void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}


void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	buf_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

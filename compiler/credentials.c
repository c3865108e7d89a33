/*
 * credentials: codes, fingerprints, argon2id hashes and logins.  See
 * credentials.h.
 *
 * Everything that touches libsodium is here, so that the rest of the
 * tree cannot reach for a primitive it should not use (an unkeyed hash
 * of a code, a non-uniform draw).  The test-mode stream is ChaCha20
 * (Bernstein's original, 64-bit nonce) keyed by a BLAKE2b-256 hash of
 * the seed: both are fixed specifications and byte-order independent,
 * so --seed N yields the same codes on every machine and every
 * libsodium version, which the golden tests rely on.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "credentials.h"
#include "diag.h"
#include "mem.h"
#include "utf8.h"

_Static_assert(sizeof(CRED_ALPHABET) - 1 == CRED_ALPHABET_LEN,
    "51 code symbols");
_Static_assert(CRED_HASH_LEN >= crypto_pwhash_STRBYTES,
    "room for an argon2id string");
_Static_assert(CRED_KEY_LEN == crypto_generichash_KEYBYTES,
    "ledger key is a BLAKE2b key");
_Static_assert(sizeof(((struct cred_sha256 *)0)->opaque) >=
    sizeof(crypto_hash_sha256_state), "room for a SHA-256 state");
_Static_assert(alignof(struct cred_sha256) >=
    alignof(crypto_hash_sha256_state), "SHA-256 state alignment");
_Static_assert(CRED_SHA256_LEN == crypto_hash_sha256_BYTES, "SHA-256");
_Static_assert(CRED_FP_LEN >= crypto_generichash_BYTES_MIN &&
    CRED_FP_LEN <= crypto_generichash_BYTES_MAX, "fingerprint size");

/* Domain separation: these strings make the test stream our own. */
#define SEED_CONTEXT	"entpress test-mode seed v1"
static const uint8_t stream_nonce[crypto_stream_chacha20_NONCEBYTES] = {
	'e', 'n', 't', 'p', 'r', 'e', 's', 's'
};

int
cred_init(void)
{
	if (sodium_init() < 0) {
		diag(DIAG_SYS_CRYPTO, NULL, "sodium_init failed");
		return -1;
	}
	return 0;
}

void
cred_wipe(void *p, size_t n)
{
	sodium_memzero(p, n);
}

/* --- codes ---------------------------------------------------------- */

void
cred_rng_random(struct cred_rng *r)
{
	sodium_memzero(r, sizeof(*r));
}

void
cred_rng_seed(struct cred_rng *r, uint64_t seed)
{
	crypto_generichash_state	 st;
	uint8_t				 le[8];
	int				 i;

	sodium_memzero(r, sizeof(*r));
	r->test = 1;
	/* Little-endian on every host, so the stream does not depend on it. */
	for (i = 0; i < 8; i++)
		le[i] = (uint8_t)(seed >> (8 * i));
	crypto_generichash_init(&st, NULL, 0, sizeof(r->key));
	crypto_generichash_update(&st, (const uint8_t *)SEED_CONTEXT,
	    sizeof(SEED_CONTEXT) - 1);
	crypto_generichash_update(&st, le, sizeof(le));
	crypto_generichash_final(&st, r->key, sizeof(r->key));
}

void
cred_rng_wipe(struct cred_rng *r)
{
	sodium_memzero(r, sizeof(*r));
}

/*
 * The next byte of the rng: in test mode the ChaCha20 stream block by
 * block, otherwise the system generator 64 bytes at a time.  One
 * getrandom call per symbol (randombytes_uniform) cost more than the
 * ledger's SQL for a run of 100,000 codes.
 */
static uint8_t
rng_byte(struct cred_rng *r)
{
	static const uint8_t	 zero[64];
	uint8_t			*p, b;

	/* Counting what is left, a zeroed rng is an empty, random one. */
	if (r->left == 0) {
		if (r->test)
			crypto_stream_chacha20_xor_ic(r->block, zero,
			    sizeof(zero), stream_nonce, r->counter++, r->key);
		else
			randombytes_buf(r->block, sizeof(r->block));
		r->left = sizeof(r->block);
	}
	/* A drawn byte spells a code: it does not stay behind in block. */
	p = &r->block[sizeof(r->block) - r->left--];
	b = *p;
	*p = 0;
	return b;
}

/*
 * An index below 51 from the rng.  255 = 5 * 51, so bytes 0..254 map
 * evenly onto the alphabet and only 255 is drawn again: rejection
 * sampling, as randombytes_uniform does on 32-bit words.
 */
static uint32_t
rng_uniform(struct cred_rng *r)
{
	uint8_t	 b;

	do
		b = rng_byte(r);
	while (b >= 255 - 255 % CRED_ALPHABET_LEN);
	return b % CRED_ALPHABET_LEN;
}

/*
 * A code from r, or without an rng straight from randombytes_uniform
 * (a single code, as reissue draws).
 */
void
cred_code(struct cred_rng *r, char out[CRED_CODE_LEN + 1])
{
	uint32_t	 ix;
	int		 i;

	for (i = 0; i < CRED_CODE_LEN; i++) {
		if (r != NULL)
			ix = rng_uniform(r);
		else
			ix = randombytes_uniform(CRED_ALPHABET_LEN);
		out[i] = CRED_ALPHABET[ix];
	}
	out[CRED_CODE_LEN] = '\0';
}

/* Two groups of four for reading aloud: k7Tm9qRw -> "k7Tm 9qRw". */
void
cred_code_grouped(const char *code, char out[CRED_CODE_LEN + 2])
{
	memcpy(out, code, CRED_CODE_LEN / 2);
	out[CRED_CODE_LEN / 2] = ' ';
	memcpy(out + CRED_CODE_LEN / 2 + 1, code + CRED_CODE_LEN / 2,
	    CRED_CODE_LEN / 2);
	out[CRED_CODE_LEN + 1] = '\0';
}

/* --- fingerprints ----------------------------------------------------- */

void
cred_key_new(uint8_t key[CRED_KEY_LEN])
{
	crypto_generichash_keygen(key);
}

/*
 * The key of a ledger created in test mode: derived from the seed, so
 * that two fresh test runs give byte-identical manifests.  Such a ledger
 * is marked and never takes a real run (ledger.c, cmd_compile.c).
 */
void
cred_key_test(uint8_t key[CRED_KEY_LEN], uint64_t seed)
{
	static const char	 label[] = "entpress test ledger key";
	uint8_t			 in[sizeof(label) + 8];
	int			 i;

	memcpy(in, label, sizeof(label));
	for (i = 0; i < 8; i++)
		in[sizeof(label) + i] = (uint8_t)(seed >> (8 * i));
	crypto_generichash(key, CRED_KEY_LEN, in, sizeof(in), NULL, 0);
}

void
cred_fingerprint(uint8_t out[CRED_FP_LEN], const uint8_t key[CRED_KEY_LEN],
    const char *code)
{
	crypto_generichash(out, CRED_FP_LEN, (const uint8_t *)code,
	    strlen(code), key, CRED_KEY_LEN);
}

void
cred_fp_hex(const uint8_t fp[CRED_FP_LEN], char out[2 * CRED_FP_LEN + 1])
{
	sodium_bin2hex(out, 2 * CRED_FP_LEN + 1, fp, CRED_FP_LEN);
}

/* --- SHA-256 ---------------------------------------------------------- */

#define SHA_STATE(h)	((crypto_hash_sha256_state *)(void *)(h)->opaque.b)

void
cred_sha256_init(struct cred_sha256 *h)
{
	crypto_hash_sha256_init(SHA_STATE(h));
}

void
cred_sha256_update(struct cred_sha256 *h, const void *p, size_t n)
{
	crypto_hash_sha256_update(SHA_STATE(h), p, n);
}

void
cred_sha256_final(struct cred_sha256 *h, uint8_t out[CRED_SHA256_LEN])
{
	crypto_hash_sha256_final(SHA_STATE(h), out);
}

void
cred_sha256(uint8_t out[CRED_SHA256_LEN], const void *p, size_t n)
{
	crypto_hash_sha256(out, p, n);
}

void
cred_sha256_hex(const uint8_t sha[CRED_SHA256_LEN],
    char out[CRED_SHA256_HEXLEN])
{
	sodium_bin2hex(out, CRED_SHA256_HEXLEN, sha, CRED_SHA256_LEN);
}

#define SHA_FILE_BUFSZ	(256 * 1024)

/*
 * One pass over the file.  Ranges are sorted by start and by end, so
 * the ranges that overlap the bytes in hand are a window [lo, hi) of
 * the array: lo moves past the ranges that ended, hi past those that
 * started.  A range equal to the one before it (letters sharing a
 * sheet) is hashed once and copied.
 */
int
cred_sha256_file(const char *path, uint8_t whole[CRED_SHA256_LEN],
    uint64_t *size, struct cred_range *v, size_t n)
{
	struct cred_sha256	 all, *st;
	unsigned char		*buf;
	uint64_t		 pos = 0, a, b;
	size_t			 lo = 0, hi = 0, i;
	ssize_t			 got;
	int			 fd, ret = 0;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		diag_sys(DIAG_SYS_OPEN, path, "%s", strerror(errno));
		return -1;
	}
	buf = xmalloc(SHA_FILE_BUFSZ);
	st = n > 0 ? xcalloc(n, sizeof(*st)) : NULL;
	cred_sha256_init(&all);
	for (i = 0; i < n; i++)
		v[i].complete = 0;
	for (;;) {
		got = read(fd, buf, SHA_FILE_BUFSZ);
		if (got == -1 && errno == EINTR)
			continue;
		if (got == -1) {
			diag_sys(DIAG_SYS_READ, path, "%s", strerror(errno));
			ret = -1;
			break;
		}
		if (got == 0)
			break;
		cred_sha256_update(&all, buf, (size_t)got);
		/* Open the ranges that start before the end of this chunk. */
		while (hi < n && v[hi].start < pos + (uint64_t)got) {
			if (hi == 0 || v[hi].start != v[hi - 1].start ||
			    v[hi].end != v[hi - 1].end)
				cred_sha256_init(&st[hi]);
			hi++;
		}
		for (i = lo; i < hi; i++) {
			if (i > 0 && v[i].start == v[i - 1].start &&
			    v[i].end == v[i - 1].end)
				continue;
			a = v[i].start > pos ? v[i].start : pos;
			b = v[i].end < pos + (uint64_t)got ? v[i].end :
			    pos + (uint64_t)got;
			if (a < b)
				cred_sha256_update(&st[i], buf + (a - pos),
				    (size_t)(b - a));
		}
		pos += (uint64_t)got;
		/* Close the ranges that ended. */
		while (lo < hi && v[lo].end <= pos) {
			v[lo].complete = 1;
			lo++;
		}
	}
	close(fd);
	/* Ranges never reached or cut short by the end of the file. */
	for (i = lo; i < n; i++)
		v[i].complete = v[i].end <= pos;
	for (; hi < n; hi++)
		if (hi == 0 || v[hi].start != v[hi - 1].start ||
		    v[hi].end != v[hi - 1].end)
			cred_sha256_init(&st[hi]);
	for (i = 0; i < n; i++) {
		if (i > 0 && v[i].start == v[i - 1].start &&
		    v[i].end == v[i - 1].end) {
			memcpy(v[i].sha256, v[i - 1].sha256, CRED_SHA256_LEN);
			continue;
		}
		cred_sha256_final(&st[i], v[i].sha256);
	}
	if (whole != NULL)
		cred_sha256_final(&all, whole);
	if (size != NULL)
		*size = pos;
	free(st);
	free(buf);
	return ret;
}

/* --- argon2id ------------------------------------------------------- */

static void
limits_of(const struct cred_pwlimits *l, unsigned long long *ops,
    size_t *mem)
{
	*ops = l != NULL && l->ops != 0 ? l->ops :
	    crypto_pwhash_OPSLIMIT_INTERACTIVE;
	*mem = l != NULL && l->mem != 0 ? l->mem :
	    crypto_pwhash_MEMLIMIT_INTERACTIVE;
}

/* No diagnostic here: cred_hash_many calls it from worker threads. */
static int
hash_one(char out[CRED_HASH_LEN], const char *code, unsigned long long ops,
    size_t mem)
{
	memset(out, 0, CRED_HASH_LEN);
	return crypto_pwhash_str(out, code, strlen(code), ops, mem);
}

int
cred_hash(char out[CRED_HASH_LEN], const char *code,
    const struct cred_pwlimits *l)
{
	unsigned long long	 ops;
	size_t			 mem;

	limits_of(l, &ops, &mem);
	if (hash_one(out, code, ops, mem) != 0) {
		/* The only failure libsodium documents is memory. */
		diag(DIAG_SYS_CRYPTO, NULL, "argon2id with %zu bytes failed",
		    mem);
		return -1;
	}
	return 0;
}

/* 0 when code matches hash. */
int
cred_verify(const char *hash, const char *code)
{
	return crypto_pwhash_str_verify(hash, code, strlen(code)) == 0 ?
	    0 : -1;
}

int
cred_ncpu(void)
{
	long	 n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > 256 ? 256 : (int)n;
}

/* Work shared by the hashing threads: the next index is the queue. */
struct hash_work {
	pthread_mutex_t		 lock;
	size_t			 next;
	size_t			 n;
	int			 failed;
	char			(*out)[CRED_HASH_LEN];
	char *const		*codes;
	unsigned long long	 ops;
	size_t			 mem;
};

static void *
hash_worker(void *arg)
{
	struct hash_work	*w = arg;
	size_t			 i;

	for (;;) {
		pthread_mutex_lock(&w->lock);
		i = w->next < w->n && !w->failed ? w->next++ : w->n;
		pthread_mutex_unlock(&w->lock);
		if (i == w->n)
			return NULL;
		if (hash_one(w->out[i], w->codes[i], w->ops, w->mem) != 0) {
			pthread_mutex_lock(&w->lock);
			w->failed = 1;
			pthread_mutex_unlock(&w->lock);
		}
	}
}

/*
 * Each argon2id call is single-threaded and memory-bound, so one call
 * per core is what spreads the work; threads pull indices one at a time
 * because a fixed split would leave cores idle at the end.  The calling
 * thread works too, and carries on alone if a thread cannot start.
 */
int
cred_hash_many(char (*out)[CRED_HASH_LEN], char *const *codes, size_t n,
    const struct cred_pwlimits *l, int threads)
{
	struct hash_work	 w;
	pthread_t		*tid;
	int			 i, started = 0;

	memset(&w, 0, sizeof(w));
	pthread_mutex_init(&w.lock, NULL);
	w.n = n;
	w.out = out;
	w.codes = codes;
	limits_of(l, &w.ops, &w.mem);
	if (threads <= 0)
		threads = cred_ncpu();
	if ((size_t)threads > n)
		threads = n == 0 ? 1 : (int)n;

	tid = xcalloc((size_t)threads, sizeof(*tid));
	for (i = 1; i < threads; i++) {
		if (pthread_create(&tid[started], NULL, hash_worker, &w) != 0)
			break;
		started++;
	}
	hash_worker(&w);
	for (i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	free(tid);
	pthread_mutex_destroy(&w.lock);
	if (w.failed) {
		diag(DIAG_SYS_CRYPTO, NULL,
		    "argon2id with %zu bytes on %d threads failed", w.mem,
		    threads);
		return -1;
	}
	return 0;
}

/* --- logins --------------------------------------------------------- */

/*
 * Romanisation of Cyrillic: BGN/PCGN 1947 for Russian, letter by letter,
 * in ASCII (ё is e, ъ and ь vanish, no positional ye- rule), so that
 * Дмитрий is dmitriy; the Ukrainian, Belarusian and Serbian/Macedonian
 * letters take their usual ASCII spelling.  Indexed from U+0430; the
 * capitals U+0400..U+042F are folded onto it first.
 */
static const char *const cyrillic[0x460 - 0x430] = {
	/* U+0430 а..я */
	"a", "b", "v", "g", "d", "e", "zh", "z",
	"i", "y", "k", "l", "m", "n", "o", "p",
	"r", "s", "t", "u", "f", "kh", "ts", "ch",
	"sh", "shch", "", "y", "", "e", "yu", "ya",
	/* U+0450 ѐ ё ђ ѓ є ѕ і ї ј љ њ ћ ќ ѝ ў џ */
	"e", "e", "dj", "gj", "ye", "dz", "i", "yi",
	"j", "lj", "nj", "c", "kj", "i", "u", "dz",
};

/*
 * Romanisation of Greek: the ELOT 743 / ISO 843 letter table in ASCII
 * (η i, θ th, υ y, φ f, χ ch, ψ ps), tonos and dialytika dropped, and of
 * its digraph rules only ου -> ou, which most Greek surnames need
 * (Παπαδόπουλος -> papadopoulos).  Indexed from U+03AC (ά); capitals
 * are folded onto it first.
 */
static const char *const greek[0x3CF - 0x3AC] = {
	/* U+03AC ά έ ή ί ΰ */
	"a", "e", "i", "i", "y",
	/* U+03B1 α..ω */
	"a", "v", "g", "d", "e", "z", "i", "th",
	"i", "k", "l", "m", "n", "x", "o", "p",
	"r", "s", "s", "t", "y", "f", "ch", "ps",
	"o",
	/* U+03CA ϊ ϋ ό ύ ώ */
	"i", "y", "o", "y", "o",
};

/* Lower-case a Greek or Cyrillic capital; anything else unchanged. */
static uint32_t
script_lower(uint32_t cp)
{
	if (cp >= 0x400 && cp < 0x410)
		return cp + 0x50;
	if (cp >= 0x410 && cp < 0x430)
		return cp + 0x20;
	if (cp >= 0x391 && cp <= 0x3AB && cp != 0x3A2)
		return cp + 0x20;
	switch (cp) {
	case 0x386:
		return 0x3AC;
	case 0x388:
	case 0x389:
	case 0x38A:
		return cp + 0x25;
	case 0x38C:
		return 0x3CC;
	case 0x38E:
	case 0x38F:
		return cp + 0x3F;
	case 0x490:		/* Ґ */
		return 0x491;
	default:
		return cp;
	}
}

static const char *
script_roman(uint32_t lc, uint32_t prev)
{
	if (lc >= 0x430 && lc < 0x460)
		return cyrillic[lc - 0x430];
	if (lc == 0x491)
		return "g";
	if (lc == 0x390)	/* ΐ */
		return "i";
	if (lc >= 0x3AC && lc < 0x3CF) {
		if ((lc == 0x3C5 || lc == 0x3CD) &&
		    (prev == 0x3BF || prev == 0x3CC))
			return "u";
		return greek[lc - 0x3AC];
	}
	return NULL;
}

/*
 * Copy s to out with Greek and Cyrillic letters romanised and every
 * other character untouched, for utf8_fold to do the rest: the Latin
 * folding stays in one table (utf8.c) for logins, sorting and households.
 */
static int
romanise(struct buf *out, const char *s)
{
	size_t		 i, len = strlen(s), adv;
	uint32_t	 cp, lc, prev = 0;
	const char	*r;
	int		 done = 0;

	for (i = 0; i < len; i += adv) {
		cp = utf8_decode(s + i, len - i, &adv);
		lc = cp == UTF8_INVALID ? cp : script_lower(cp);
		r = cp != UTF8_INVALID ? script_roman(lc, prev) : NULL;
		if (r != NULL) {
			buf_adds(out, r);
			done = 1;
		} else
			buf_add(out, s + i, adv);
		/* A combining accent does not break the ου digraph. */
		if (cp == UTF8_INVALID || cp < 0x300 || cp >= 0x370)
			prev = lc;
	}
	return done;
}

/*
 * One login part: romanised, folded to lower-case ASCII, reduced to
 * [a-z0-9] and cut at CRED_LOGIN_PART characters.  Returns its length.
 */
static size_t
login_part(struct buf *out, const char *name, int *flags)
{
	struct buf	 rom, fold;
	const char	*p;
	size_t		 i, n = 0;
	char		 c;

	/*
	 * Most names are plain ASCII, which romanise() leaves alone and
	 * utf8_fold() only lower-cases: done here, without the copies.
	 */
	if (name == NULL)
		name = "";
	for (p = name; *p != '\0' && (unsigned char)*p < 0x80; p++)
		continue;
	if (*p == '\0') {
		for (p = name; *p != '\0' && n < CRED_LOGIN_PART; p++) {
			c = *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : *p;
			if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
				buf_addc(out, c);
				n++;
			}
		}
		return n;
	}

	buf_init(&rom);
	buf_init(&fold);
	if (romanise(&rom, name))
		*flags |= CRED_LOGIN_ROMANISED;
	utf8_fold(&fold, rom.p != NULL ? rom.p : "", FOLD_LOWER);
	for (i = 0; i < fold.len && n < CRED_LOGIN_PART; i++) {
		c = fold.p[i];
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			buf_addc(out, c);
			n++;
		}
	}
	buf_free(&rom);
	buf_free(&fold);
	return n;
}

int
cred_login_base(struct buf *out, const char *first, const char *last,
    const char *profile_word, const char *id)
{
	int	 flags = 0, dummy = 0;

	buf_reset(out);
	if (login_part(out, first, &flags) > 0) {
		buf_addc(out, '.');
		if (login_part(out, last, &flags) > 0)
			return flags;
	}

	/*
	 * A part with nothing usable (a Chinese or Arabic name, or an
	 * empty one): a login half made of the other part would be
	 * ambiguous, so the whole login comes from the profile and the id.
	 */
	buf_reset(out);
	login_part(out, profile_word, &dummy);
	buf_addc(out, '.');
	login_part(out, id, &dummy);
	return CRED_LOGIN_FROM_ID;
}

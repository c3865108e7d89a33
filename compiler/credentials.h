/*
 * credentials: logins, activation codes, code fingerprints and argon2id
 * hashes, and the hygiene of the secrets in between.
 *
 * This is the only module that includes libsodium.  Codes are 8
 * characters of the 51-symbol alphabet below, drawn uniformly from the
 * system generator (randombytes_uniform, or randombytes_buf and the same
 * rejection sampling for runs of many codes); in test mode they come
 * from a deterministic stream seeded by --seed instead, and nothing else
 * changes.  A code is
 * never stored: the ledger keeps its keyed fingerprint (BLAKE2b keyed with
 * the ledger's secret key, crypto_generichash), because an unkeyed hash of
 * 47 bits would be brute-forced in minutes; the LDIF carries argon2id
 * (crypto_pwhash_str).  Buffers that held a code are wiped with
 * sodium_memzero before they are freed.
 *
 * The archive's SHA-256 lives here too (crypto_hash_sha256): the state
 * is opaque storage in struct cred_sha256, so that callers need not see
 * sodium.h, and cred_sha256_file() hashes a whole file and any number of
 * its byte ranges (the letters of a run) in one sequential read.
 */
#ifndef ENTPRESS_CREDENTIALS_H
#define ENTPRESS_CREDENTIALS_H

#include <stddef.h>
#include <stdint.h>

#include "mem.h"

#define CRED_ALPHABET \
	"abcdefghjkmnpqrstwxyzABCDEFGHJKLMNPQRSTWXYZ23456789"
#define CRED_ALPHABET_LEN 51
#define CRED_CODE_LEN	8
#define CRED_KEY_LEN	32		/* ledger key (crypto_generichash_KEYBYTES) */
#define CRED_FP_LEN	32		/* fingerprint bytes */
#define CRED_HASH_LEN	128		/* >= crypto_pwhash_STRBYTES */
#define CRED_LOGIN_PART	30		/* characters per login part */

/* What cred_login_base had to do beside folding (bits). */
#define CRED_LOGIN_FROM_ID	0x01	/* nothing usable: profile_word.id */
#define CRED_LOGIN_ROMANISED	0x02	/* Greek or Cyrillic letters romanised */

/* 0, or -1 after a SYSERR diagnostic: libsodium cannot start. */
int	 cred_init(void);

/*
 * Code source: random (the system generator, read 64 bytes at a time)
 * or deterministic for tests.  block holds future code material: wipe
 * the rng when done.  An all-zero rng is a random one.
 */
struct cred_rng {
	int		 test;		/* 1: deterministic */
	uint8_t		 key[32];	/* test: stream key from the seed */
	uint64_t	 counter;	/* test: blocks used */
	uint8_t		 block[64];
	size_t		 left;		/* bytes at the end of block not drawn */
};

void	 cred_rng_random(struct cred_rng *);
/* Test mode: the caller says so on stderr (DIAG_TEST_MODE). */
void	 cred_rng_seed(struct cred_rng *, uint64_t seed);
void	 cred_rng_wipe(struct cred_rng *);
/* A NULL rng draws each symbol with randombytes_uniform. */
void	 cred_code(struct cred_rng *, char out[CRED_CODE_LEN + 1]);
void	 cred_code_grouped(const char *code, char out[CRED_CODE_LEN + 2]);

/* The ledger's secret key, and the keyed fingerprint of a code. */
void	 cred_key_new(uint8_t key[CRED_KEY_LEN]);
void	 cred_key_test(uint8_t key[CRED_KEY_LEN], uint64_t seed);
void	 cred_fingerprint(uint8_t out[CRED_FP_LEN],
	    const uint8_t key[CRED_KEY_LEN], const char *code);
void	 cred_fp_hex(const uint8_t fp[CRED_FP_LEN], char out[2 * CRED_FP_LEN + 1]);

/* argon2id of a code; limits 0 take libsodium's INTERACTIVE values. */
struct cred_pwlimits {
	unsigned long long	 ops;
	size_t			 mem;		/* bytes */
};

int	 cred_hash(char out[CRED_HASH_LEN], const char *code,
	    const struct cred_pwlimits *);
int	 cred_verify(const char *hash, const char *code);
/*
 * Hash n codes on several threads (threads <= 0: one per online core);
 * out[i] receives the hash of codes[i].  0, or -1 after a diagnostic.
 */
int	 cred_hash_many(char (*out)[CRED_HASH_LEN], char *const *codes,
	    size_t n, const struct cred_pwlimits *, int threads);
int	 cred_ncpu(void);

/*
 * The login base of a person, before the duplicate suffix: first.last,
 * accents folded, oe/ae/ss transliterated, anything else outside [a-z0-9]
 * dropped, each part cut at 30 characters.  Greek and Cyrillic letters
 * are romanised (CRED_LOGIN_ROMANISED); a part left empty makes the
 * whole login the profile word and the id (eleve.9100007) and returns
 * exactly CRED_LOGIN_FROM_ID.  Any non-zero result deserves a
 * DIAG_LOGIN_NONLATIN warning from the caller.
 */
int	 cred_login_base(struct buf *out, const char *first, const char *last,
	    const char *profile_word, const char *id);

void	 cred_wipe(void *, size_t);

/*
 * SHA-256, incremental.  The storage is larger than libsodium's state
 * (crypto_hash_sha256_state, 104 bytes) and aligned for it; a static
 * assertion in credentials.c keeps it so.
 */
#define CRED_SHA256_LEN		32
#define CRED_SHA256_HEXLEN	(2 * CRED_SHA256_LEN + 1)

struct cred_sha256 {
	union {
		uint64_t	 align;
		unsigned char	 b[128];
	}		 opaque;
};

void	 cred_sha256_init(struct cred_sha256 *);
void	 cred_sha256_update(struct cred_sha256 *, const void *, size_t);
void	 cred_sha256_final(struct cred_sha256 *, uint8_t out[CRED_SHA256_LEN]);
void	 cred_sha256(uint8_t out[CRED_SHA256_LEN], const void *, size_t);
void	 cred_sha256_hex(const uint8_t sha[CRED_SHA256_LEN],
	    char out[CRED_SHA256_HEXLEN]);

/*
 * A byte range [start, end) of a file and its SHA-256.  complete is 0
 * when the file ends before end: the digest then covers what there was.
 */
struct cred_range {
	uint64_t	 start, end;
	uint8_t		 sha256[CRED_SHA256_LEN];
	int		 complete;
};

/*
 * Hash the file at path in one sequential read: the whole file into
 * whole and *size (either may be NULL) and each of the n ranges, which
 * must be sorted by start and by end (ranges of a print run in page
 * order are; several letters on one sheet share one range).  Returns 0,
 * or -1 after a SYSERR diagnostic (cannot open, read error).
 */
int	 cred_sha256_file(const char *path, uint8_t whole[CRED_SHA256_LEN],
	    uint64_t *size, struct cred_range *, size_t n);

#endif /* ENTPRESS_CREDENTIALS_H */

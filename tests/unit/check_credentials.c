/*
 * check_credentials: login rules, the code alphabet and the test-mode
 * stream, keyed fingerprints and argon2id hashes.
 *
 * Hash tests use small argon2id limits except where INTERACTIVE itself
 * is the point, so that the suite stays fast under valgrind.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "credentials.h"
#include "diag.h"
#include "mem.h"

/* Small limits: what matters here is the plumbing, not the cost. */
static const struct cred_pwlimits small = { 1, 64 * 1024 };

static char	*cap_buf;
static size_t	 cap_len;
static FILE	*cap_fp;

static void
diagcap_start(void)
{
	cap_fp = open_memstream(&cap_buf, &cap_len);
	diag_set_stream(cap_fp);
	diag_reset();
}

static const char *
diagcap_text(void)
{
	fflush(cap_fp);
	return cap_buf != NULL ? cap_buf : "";
}

static void
diagcap_stop(void)
{
	diag_set_stream(NULL);
	if (cap_fp != NULL)
		fclose(cap_fp);
	free(cap_buf);
	cap_fp = NULL;
	cap_buf = NULL;
	cap_len = 0;
}

/* The login base of first/last as a student with id 9100007. */
static int
login(struct buf *b, const char *first, const char *last)
{
	return cred_login_base(b, first, last, "eleve", "9100007");
}

#define CK_LOGIN(first, last, want, wantrc) do {			\
	struct buf	 b_;						\
	int		 rc_;						\
	buf_init(&b_);							\
	rc_ = login(&b_, (first), (last));				\
	ck_assert_str_eq(b_.p, (want));					\
	ck_assert_int_eq(rc_, (wantrc));				\
	buf_free(&b_);							\
} while (0)

/* --- logins --------------------------------------------------------- */

START_TEST(test_login_plain)
{
	CK_LOGIN("Jean", "Dupont", "jean.dupont", 0);
	CK_LOGIN("JEAN", "DUPONT", "jean.dupont", 0);
	CK_LOGIN("  Jean ", " Dupont  ", "jean.dupont", 0);
	CK_LOGIN("Louis 14", "Bourbon", "louis14.bourbon", 0);
}
END_TEST

/* Every ASCII byte: letters lower-cased, digits kept, the rest dropped. */
START_TEST(test_login_ascii)
{
	char	 in[3], want[16];
	int	 c;

	for (c = 1; c < 128; c++) {
		in[0] = (char)c;
		in[1] = 'x';
		in[2] = '\0';
		if (c >= 'A' && c <= 'Z')
			snprintf(want, sizeof(want), "%cx.dupont", c - 'A' + 'a');
		else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			snprintf(want, sizeof(want), "%cx.dupont", c);
		else
			snprintf(want, sizeof(want), "x.dupont");
		CK_LOGIN(in, "Dupont", want, 0);
	}
}
END_TEST

START_TEST(test_login_accents)
{
	CK_LOGIN("Zoé", "Lefèvre", "zoe.lefevre", 0);
	CK_LOGIN("Hélène", "Çelik", "helene.celik", 0);
	CK_LOGIN("Noël", "Müller", "noel.muller", 0);
	CK_LOGIN("Ñuño", "Ibáñez", "nuno.ibanez", 0);
	/* Decomposed: e + U+0301, as some exports write it. */
	CK_LOGIN("Ame\xcc\x81lie", "Poulain", "amelie.poulain", 0);
}
END_TEST

START_TEST(test_login_ligatures)
{
	CK_LOGIN("Œdipe", "Lætitia", "oedipe.laetitia", 0);
	CK_LOGIN("Ægir", "Cœur", "aegir.coeur", 0);
	CK_LOGIN("Claus", "Straße", "claus.strasse", 0);
	CK_LOGIN("Øystein", "Ødegård", "oystein.odegard", 0);
	CK_LOGIN("Łukasz", "Wałęsa", "lukasz.walesa", 0);
}
END_TEST

START_TEST(test_login_punctuation)
{
	CK_LOGIN("Jean-Marc", "O'Neil", "jeanmarc.oneil", 0);
	CK_LOGIN("Marie-Ève", "D’Almeida", "marieeve.dalmeida", 0);
	CK_LOGIN("Anne.Sophie", "Le_Gall (née Martin)",
	    "annesophie.legallneemartin", 0);
}
END_TEST

START_TEST(test_login_particles)
{
	CK_LOGIN("Jean", "DE LA FONTAINE", "jean.delafontaine", 0);
	CK_LOGIN("Charles", "de Gaulle", "charles.degaulle", 0);
	CK_LOGIN("Ludwig", "van der Beek", "ludwig.vanderbeek", 0);
}
END_TEST

START_TEST(test_login_greek)
{
	CK_LOGIN("Γιώργος", "Παπαδόπουλος", "giorgos.papadopoulos",
	    CRED_LOGIN_ROMANISED);
	CK_LOGIN("ΑΘΗΝΑ", "Ψαρά", "athina.psara", CRED_LOGIN_ROMANISED);
	CK_LOGIN("Χρήστος", "Ξανθός", "christos.xanthos",
	    CRED_LOGIN_ROMANISED);
}
END_TEST

START_TEST(test_login_cyrillic)
{
	CK_LOGIN("Дмитрий", "Шостакович", "dmitriy.shostakovich",
	    CRED_LOGIN_ROMANISED);
	CK_LOGIN("Юлия", "Щербакова", "yuliya.shcherbakova",
	    CRED_LOGIN_ROMANISED);
	CK_LOGIN("Пётр", "Ильич", "petr.ilich", CRED_LOGIN_ROMANISED);
	CK_LOGIN("Олена", "Їжакевич", "olena.yizhakevich",
	    CRED_LOGIN_ROMANISED);
	/* A Latin first name with a Cyrillic last name. */
	CK_LOGIN("Anna", "Жукова", "anna.zhukova", CRED_LOGIN_ROMANISED);
}
END_TEST

START_TEST(test_login_nonlatin_id)
{
	/* Nothing romanisable: the login comes from the id, result 1. */
	CK_LOGIN("伟", "王", "eleve.9100007", 1);
	CK_LOGIN("محمد", "علي", "eleve.9100007", CRED_LOGIN_FROM_ID);
	/* One part is enough to fall back: half a login is ambiguous. */
	CK_LOGIN("Wei", "王", "eleve.9100007", CRED_LOGIN_FROM_ID);
	CK_LOGIN("", "Dupont", "eleve.9100007", CRED_LOGIN_FROM_ID);
	CK_LOGIN(NULL, NULL, "eleve.9100007", CRED_LOGIN_FROM_ID);
	CK_LOGIN("'-'", "Dupont", "eleve.9100007", CRED_LOGIN_FROM_ID);
}
END_TEST

START_TEST(test_login_cut)
{
	struct buf	 b;
	char		 in[64], want[80];
	int		 rc;

	/* Exactly 30 letters stay; more are cut, after folding. */
	CK_LOGIN("Maximilienaugustinbartholomeus", "Dupont",
	    "maximilienaugustinbartholomeus.dupont", 0);
	CK_LOGIN("Maximilien-Augustin-Bartholomé-Zacharie", "Dupont",
	    "maximilienaugustinbartholomeza.dupont", 0);
	CK_LOGIN("Jean",
	    "Montmorency-Laval de la Rochefoucauld-Liancourt",
	    "jean.montmorencylavaldelarochefouca", 0);

	/* A ligature counts as the two letters it becomes. */
	memset(in, 'a', 29);
	strcpy(in + 29, "œ");
	memcpy(want, "jean.", 5);
	memset(want + 5, 'a', 29);
	strcpy(want + 34, "o");
	CK_LOGIN("Jean", in, want, 0);

	buf_init(&b);
	rc = cred_login_base(&b, "王", "王", "enseignant",
	    "1234567890123456789012345678901234567890");
	ck_assert_int_eq(rc, CRED_LOGIN_FROM_ID);
	ck_assert_str_eq(b.p,
	    "enseignant.123456789012345678901234567890");
	buf_free(&b);
}
END_TEST

/* --- codes ---------------------------------------------------------- */

static void
check_code(const char *c)
{
	size_t	 i;

	ck_assert_uint_eq(strlen(c), CRED_CODE_LEN);
	for (i = 0; i < CRED_CODE_LEN; i++)
		ck_assert_msg(strchr(CRED_ALPHABET, c[i]) != NULL,
		    "symbol %d not in the alphabet", c[i]);
}

START_TEST(test_code_alphabet)
{
	struct cred_rng	 r;
	char		 c[CRED_CODE_LEN + 1];
	unsigned int	 seen[256] = { 0 };
	size_t		 i, j;

	cred_rng_random(&r);
	for (i = 0; i < 10000; i++) {
		cred_code(i % 2 ? &r : NULL, c);
		check_code(c);
		for (j = 0; j < CRED_CODE_LEN; j++)
			seen[(unsigned char)c[j]]++;
	}
	/* Every symbol shows up; none of 0 O o 1 l I i u v U V does. */
	for (i = 0; i < CRED_ALPHABET_LEN; i++)
		ck_assert_uint_gt(seen[(unsigned char)CRED_ALPHABET[i]], 0);
	for (i = 0; i < sizeof("0Oo1lIiuvUV") - 1; i++)
		ck_assert_uint_eq(seen[(unsigned char)"0Oo1lIiuvUV"[i]], 0);
	cred_rng_wipe(&r);
	cred_wipe(c, sizeof(c));
}
END_TEST

/* A zeroed rng is a random one, never a block of zeros ("aaaaaaaa"). */
START_TEST(test_code_zeroed_rng)
{
	struct cred_rng	 r;
	char		 a[CRED_CODE_LEN + 1], b[CRED_CODE_LEN + 1];

	memset(&r, 0, sizeof(r));
	cred_code(&r, a);
	cred_code(&r, b);
	check_code(a);
	ck_assert_str_ne(a, "aaaaaaaa");
	ck_assert_str_ne(a, b);
	cred_rng_wipe(&r);
	cred_wipe(a, sizeof(a));
	cred_wipe(b, sizeof(b));
}
END_TEST

START_TEST(test_code_seeded)
{
	struct cred_rng	 a, b;
	char		 ca[CRED_CODE_LEN + 1], cb[CRED_CODE_LEN + 1];
	int		 i, differ = 0;

	diagcap_start();
	cred_rng_seed(&a, 42);
	cred_rng_seed(&b, 42);
	for (i = 0; i < 1000; i++) {
		cred_code(&a, ca);
		cred_code(&b, cb);
		check_code(ca);
		ck_assert_str_eq(ca, cb);
	}
	cred_rng_seed(&a, 42);
	cred_rng_seed(&b, 43);
	for (i = 0; i < 100; i++) {
		cred_code(&a, ca);
		cred_code(&b, cb);
		differ += strcmp(ca, cb) != 0;
	}
	ck_assert_int_eq(differ, 100);

	/*
	 * Pinned: the stream is ChaCha20 keyed by BLAKE2b of the seed,
	 * the same bytes on every machine; golden files depend on this.
	 */
	cred_rng_seed(&a, 1);
	cred_code(&a, ca);
	cred_code(&a, cb);
	ck_assert_str_eq(ca, "FqSLWx2X");
	ck_assert_str_eq(cb, "Rh35EZm8");

	/* The module prints nothing, least of all a code. */
	ck_assert_str_eq(diagcap_text(), "");
	diagcap_stop();
	cred_rng_wipe(&a);
	cred_rng_wipe(&b);
}
END_TEST

/* The test stream must be as uniform as the real one (rejection of 255). */
START_TEST(test_code_seeded_uniform)
{
	struct cred_rng	 r;
	char		 c[CRED_CODE_LEN + 1];
	unsigned int	 seen[256] = { 0 };
	size_t		 i, j;
	const unsigned	 n = 51 * 1000 / CRED_CODE_LEN * 8;	/* codes */
	double		 expect, chi2 = 0, d;

	diagcap_start();
	cred_rng_seed(&r, 7);
	for (i = 0; i < n; i++) {
		cred_code(&r, c);
		for (j = 0; j < CRED_CODE_LEN; j++)
			seen[(unsigned char)c[j]]++;
	}
	expect = (double)n * CRED_CODE_LEN / CRED_ALPHABET_LEN;
	for (i = 0; i < CRED_ALPHABET_LEN; i++) {
		d = seen[(unsigned char)CRED_ALPHABET[i]] - expect;
		chi2 += d * d / expect;
	}
	/* 50 degrees of freedom: p = 0.0001 at about 99. */
	ck_assert_msg(chi2 < 99.0, "chi2 %.1f", chi2);
	diagcap_stop();
	cred_rng_wipe(&r);
}
END_TEST

START_TEST(test_code_grouped)
{
	char	 g[CRED_CODE_LEN + 2];

	cred_code_grouped("k7Tm9qRw", g);
	ck_assert_str_eq(g, "k7Tm 9qRw");
}
END_TEST

/* --- fingerprints ----------------------------------------------------- */

START_TEST(test_fingerprint)
{
	uint8_t	 k1[CRED_KEY_LEN], k2[CRED_KEY_LEN];
	uint8_t	 a[CRED_FP_LEN], b[CRED_FP_LEN], c[CRED_FP_LEN];
	char	 hex[2 * CRED_FP_LEN + 1];

	cred_key_new(k1);
	cred_key_new(k2);
	ck_assert(memcmp(k1, k2, CRED_KEY_LEN) != 0);
	cred_fingerprint(a, k1, "k7Tm9qRw");
	cred_fingerprint(b, k1, "k7Tm9qRw");
	ck_assert(memcmp(a, b, CRED_FP_LEN) == 0);
	cred_fingerprint(c, k2, "k7Tm9qRw");
	ck_assert(memcmp(a, c, CRED_FP_LEN) != 0);
	cred_fingerprint(c, k1, "k7Tm9qRx");
	ck_assert(memcmp(a, c, CRED_FP_LEN) != 0);

	/* It is keyed BLAKE2b-256, nothing home-made. */
	crypto_generichash(c, sizeof(c), (const uint8_t *)"k7Tm9qRw", 8,
	    k1, sizeof(k1));
	ck_assert(memcmp(a, c, CRED_FP_LEN) == 0);
	cred_fp_hex(a, hex);
	ck_assert_uint_eq(strlen(hex), 64);
	ck_assert_uint_eq(strspn(hex, "0123456789abcdef"), 64);
}
END_TEST

/* --- SHA-256 -------------------------------------------------------- */

/* FIPS 180-2's "abc", by one call and by pieces. */
START_TEST(test_sha256_vector)
{
	struct cred_sha256	 h;
	uint8_t			 a[CRED_SHA256_LEN], b[CRED_SHA256_LEN];
	char			 hex[CRED_SHA256_HEXLEN];

	cred_sha256(a, "abc", 3);
	cred_sha256_hex(a, hex);
	ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");
	cred_sha256_init(&h);
	cred_sha256_update(&h, "a", 1);
	cred_sha256_update(&h, "bc", 2);
	cred_sha256_final(&h, b);
	ck_assert(memcmp(a, b, sizeof(a)) == 0);
}
END_TEST

/*
 * A file of 600 KiB (three read chunks) and ranges across the chunk
 * boundaries, two of them equal (letters sharing a sheet), one empty,
 * one past the end: each digest is that of its bytes.
 */
START_TEST(test_sha256_file_ranges)
{
	struct cred_range	 r[6];
	uint8_t			 whole[CRED_SHA256_LEN], d[CRED_SHA256_LEN];
	unsigned char		*data;
	char			 path[] = "/tmp/entpress-sha-XXXXXX";
	FILE			*null;
	uint64_t		 size;
	size_t			 i, n = 600 * 1024;
	int			 fd;

	data = xmalloc(n);
	for (i = 0; i < n; i++)
		data[i] = (unsigned char)(i * 7 + i / 251);
	ck_assert_int_ne(fd = mkstemp(path), -1);
	ck_assert_int_eq(write(fd, data, n), (ssize_t)n);
	close(fd);

	memset(r, 0, sizeof(r));
	r[0].start = 0;		r[0].end = 10;
	r[1].start = 100;	r[1].end = 262144 + 5;
	r[2].start = 100;	r[2].end = 262144 + 5;
	r[3].start = 300000;	r[3].end = 300000;
	r[4].start = 300000;	r[4].end = 600000;
	r[5].start = 610000;	r[5].end = 700000;
	ck_assert_int_eq(cred_sha256_file(path, whole, &size, r, 6), 0);
	ck_assert_uint_eq(size, n);
	cred_sha256(d, data, n);
	ck_assert(memcmp(d, whole, sizeof(d)) == 0);
	for (i = 0; i < 5; i++) {
		cred_sha256(d, data + r[i].start, r[i].end - r[i].start);
		ck_assert_msg(memcmp(d, r[i].sha256, sizeof(d)) == 0,
		    "range %zu", i);
		ck_assert_int_eq(r[i].complete, 1);
	}
	/* Past the end: incomplete, the digest of what there was. */
	ck_assert_int_eq(r[5].complete, 0);
	cred_sha256(d, data + 610000, n - 610000);
	ck_assert(memcmp(d, r[5].sha256, sizeof(d)) == 0);

	/* No ranges, no size: the whole file alone. */
	ck_assert_int_eq(cred_sha256_file(path, d, NULL, NULL, 0), 0);
	ck_assert(memcmp(d, whole, sizeof(d)) == 0);
	unlink(path);
	free(data);

	ck_assert_ptr_nonnull(null = fopen("/dev/null", "w"));
	diag_set_stream(null);
	ck_assert_int_eq(cred_sha256_file(path, d, NULL, NULL, 0), -1);
	diag_set_stream(NULL);
	fclose(null);
}
END_TEST

/* --- argon2id ------------------------------------------------------- */

START_TEST(test_hash_interactive)
{
	char	 h[CRED_HASH_LEN];

	ck_assert_int_eq(cred_hash(h, "k7Tm9qRw", NULL), 0);
	ck_assert(strncmp(h, "$argon2id$", 10) == 0);
	ck_assert_ptr_nonnull(strstr(h, "m=65536,t=2,p=1"));
	ck_assert_ptr_null(strstr(h, "k7Tm9qRw"));
	ck_assert_int_eq(crypto_pwhash_str_verify(h, "k7Tm9qRw", 8), 0);
	ck_assert_int_eq(crypto_pwhash_str_verify(h, "k7Tm9qRx", 8), -1);
	ck_assert_int_eq(cred_verify(h, "k7Tm9qRw"), 0);
	ck_assert_int_eq(cred_verify(h, "K7Tm9qRw"), -1);
}
END_TEST

START_TEST(test_hash_limits)
{
	struct cred_pwlimits	 l = { 3, 128 * 1024 };
	char			 h[CRED_HASH_LEN];

	ck_assert_int_eq(cred_hash(h, "abcdefgh", &l), 0);
	ck_assert_ptr_nonnull(strstr(h, "m=128,t=3,p=1"));
	ck_assert_int_eq(cred_verify(h, "abcdefgh"), 0);
}
END_TEST

START_TEST(test_hash_many)
{
	char	 codes[7][CRED_CODE_LEN + 1], *cv[7];
	char	 (*h)[CRED_HASH_LEN], one[CRED_HASH_LEN];
	size_t	 i;
	int	 threads;

	for (i = 0; i < 7; i++) {
		cred_code(NULL, codes[i]);
		cv[i] = codes[i];
	}
	h = xcalloc(7, sizeof(*h));
	for (threads = 0; threads <= 3; threads++) {
		memset(h, 0, 7 * sizeof(*h));
		ck_assert_int_eq(cred_hash_many(h, cv, 7, &small, threads), 0);
		for (i = 0; i < 7; i++) {
			/* Each hash is of its own code, and only of it. */
			ck_assert_int_eq(cred_verify(h[i], cv[i]), 0);
			ck_assert_int_eq(cred_verify(h[i], cv[(i + 1) % 7]),
			    -1);
			/* As good as a hash made alone (salts differ). */
			ck_assert_int_eq(cred_hash(one, cv[i], &small), 0);
			ck_assert_str_ne(one, h[i]);
			ck_assert_uint_eq(strlen(one), strlen(h[i]));
			ck_assert_int_eq(cred_verify(one, cv[i]), 0);
		}
	}
	ck_assert_int_eq(cred_hash_many(h, cv, 0, &small, 0), 0);
	cred_wipe(codes, sizeof(codes));
	free(h);
}
END_TEST

START_TEST(test_wipe)
{
	char	 c[CRED_CODE_LEN + 1];
	size_t	 i;

	cred_code(NULL, c);
	cred_wipe(c, sizeof(c));
	for (i = 0; i < sizeof(c); i++)
		ck_assert_int_eq(c[i], 0);
	ck_assert_int_ge(cred_ncpu(), 1);
}
END_TEST

static Suite *
credentials_suite(void)
{
	Suite	*s = suite_create("credentials");
	TCase	*tc;

	tc = tcase_create("logins");
	tcase_add_test(tc, test_login_plain);
	tcase_add_test(tc, test_login_ascii);
	tcase_add_test(tc, test_login_accents);
	tcase_add_test(tc, test_login_ligatures);
	tcase_add_test(tc, test_login_punctuation);
	tcase_add_test(tc, test_login_particles);
	tcase_add_test(tc, test_login_greek);
	tcase_add_test(tc, test_login_cyrillic);
	tcase_add_test(tc, test_login_nonlatin_id);
	tcase_add_test(tc, test_login_cut);
	suite_add_tcase(s, tc);

	tc = tcase_create("codes");
	tcase_add_test(tc, test_code_alphabet);
	tcase_add_test(tc, test_code_zeroed_rng);
	tcase_add_test(tc, test_code_seeded);
	tcase_add_test(tc, test_code_seeded_uniform);
	tcase_add_test(tc, test_code_grouped);
	tcase_add_test(tc, test_fingerprint);
	tcase_add_test(tc, test_wipe);
	suite_add_tcase(s, tc);

	tc = tcase_create("sha256");
	tcase_add_test(tc, test_sha256_vector);
	tcase_add_test(tc, test_sha256_file_ranges);
	suite_add_tcase(s, tc);

	tc = tcase_create("argon2id");
	tcase_set_timeout(tc, 120);	/* INTERACTIVE under valgrind */
	tcase_add_test(tc, test_hash_interactive);
	tcase_add_test(tc, test_hash_limits);
	tcase_add_test(tc, test_hash_many);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	diag_init("entpress");
	if (cred_init() != 0)
		return EXIT_FAILURE;
	sr = srunner_create(credentials_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

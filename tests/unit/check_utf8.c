/*
 * check_utf8: decoding, validation and the folding table.
 */
#include "config.h"

#include <string.h>

#include "mem.h"
#include "tests.h"
#include "utf8.h"

START_TEST(test_decode)
{
	size_t	 adv;
	char	 b[4];

	ck_assert_uint_eq(utf8_decode("é", 2, &adv), 0xE9);
	ck_assert_uint_eq(adv, 2);
	ck_assert_uint_eq(utf8_decode("€", 3, &adv), 0x20AC);
	ck_assert_uint_eq(utf8_decode("\xc3", 1, &adv), UTF8_INVALID);
	ck_assert_uint_eq(utf8_decode("\xc0\xaf", 2, &adv), UTF8_INVALID);
	ck_assert_uint_eq(utf8_decode("\xed\xa0\x80", 3, &adv), UTF8_INVALID);
	ck_assert_uint_eq(utf8_encode(0x153, b), 2);
	ck_assert(memcmp(b, "œ", 2) == 0);
	ck_assert(utf8_valid("Zoé œ", strlen("Zoé œ")));
	ck_assert(!utf8_valid("\xff", 1));
}
END_TEST

START_TEST(test_fold)
{
	struct buf	 b;
	int		 f;

	buf_init(&b);
	f = utf8_fold(&b, "Œdipe Æther Straße Øystein Łukasz Ñandú", FOLD_LOWER);
	ck_assert_str_eq(b.p, "oedipe aether strasse oystein lukasz nandu");
	ck_assert_int_eq(f, 0);
	buf_reset(&b);
	f = utf8_fold(&b, "zoé", FOLD_UPPER);
	ck_assert_str_eq(b.p, "ZOE");
	buf_reset(&b);
	f = utf8_fold(&b, "Дима", FOLD_LOWER);
	ck_assert_str_eq(b.p, "");
	ck_assert_int_eq(f, FOLD_NONLATIN);
	buf_reset(&b);
	/* Decomposed accents (e + U+0301) fold like composed ones. */
	f = utf8_fold(&b, "e\xcc\x81", FOLD_LOWER);
	ck_assert_str_eq(b.p, "e");
	buf_free(&b);
}
END_TEST

/* The key: fold, squeeze, the separators and what separates nothing. */
START_TEST(test_fold_key)
{
	struct buf	 b;

	buf_init(&b);
	ck_assert_uint_eq(utf8_fold_key(&b, " D'Alméïda--Œil ",
	    strlen(" D'Alméïda--Œil "), FOLD_LOWER, 1), 14);
	ck_assert_str_eq(b.p, "d almeida oeil");
	buf_reset(&b);
	utf8_fold_key(&b, "Saint-Étienne", strlen("Saint-Étienne"),
	    FOLD_UPPER, 1);
	ck_assert_str_eq(b.p, "SAINT ETIENNE");
	buf_reset(&b);
	utf8_fold_key(&b, "69 100", 6, FOLD_UPPER, 0);
	ck_assert_str_eq(b.p, "69100");
	/* Appended: the space rule is about what this call added. */
	buf_reset(&b);
	buf_adds(&b, "X|");
	ck_assert_uint_eq(utf8_fold_key(&b, " -a b", 5, FOLD_UPPER, 1), 3);
	ck_assert_str_eq(b.p, "X|A B");
	/* Other scripts, combining marks and invalid bytes leave nothing. */
	buf_reset(&b);
	utf8_fold_key(&b, "aДb e\xcc\x81\xff", 9, FOLD_LOWER, 1);
	ck_assert_str_eq(b.p, "ab e");
	/* The length is obeyed, and nothing at all is an empty key. */
	buf_reset(&b);
	ck_assert_uint_eq(utf8_fold_key(&b, "abc", 2, FOLD_LOWER, 1), 2);
	ck_assert_str_eq(b.p, "ab");
	buf_reset(&b);
	ck_assert_uint_eq(utf8_fold_key(&b, "-- ", 3, FOLD_LOWER, 1), 0);
	ck_assert_str_eq(b.p, "");
	buf_free(&b);
}
END_TEST

Suite *
utf8_suite(void)
{
	Suite	*s = suite_create("utf8");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_decode);
	tcase_add_test(tc, test_fold);
	tcase_add_test(tc, test_fold_key);
	suite_add_tcase(s, tc);
	return s;
}

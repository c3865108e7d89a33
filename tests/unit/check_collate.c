/*
 * check_collate: natural class order and accent-folded name order.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "collate.h"
#include "mem.h"
#include "tests.h"

static int
sorted(const char *const *v, size_t n, int (*cmp)(const char *, const char *))
{
	size_t	 i;

	for (i = 1; i < n; i++)
		if (cmp(v[i - 1], v[i]) >= 0 || cmp(v[i], v[i - 1]) <= 0)
			return 0;
	return 1;
}

START_TEST(test_natural_classes)
{
	static const char *const v[] = {
		"2NDE2", "2NDE10", "3A", "3EME2", "3EME10", "6A", "6B",
		"6D GR1", "6D GR2", "10A", "TERM1"
	};

	ck_assert(sorted(v, sizeof(v) / sizeof(v[0]), collate_natcmp));
	ck_assert_int_lt(collate_natcmp("6A", "10A"), 0);
	ck_assert_int_lt(collate_natcmp("6a", "6B"), 0);
	ck_assert_int_lt(collate_natcmp("4B", "4b"), 0);	/* total order */
	ck_assert_int_eq(collate_natcmp("4B", "4B"), 0);
	ck_assert_int_lt(collate_natcmp("6A02", "6A10"), 0);
	/* Equal as numbers: the bytes still give a total order. */
	ck_assert_int_gt(collate_natcmp("6A2", "6A02"), 0);
	ck_assert_int_lt(collate_natcmp("6A02", "6A2"), 0);
}
END_TEST

START_TEST(test_folded_names)
{
	static const char *const v[] = {
		"D'ALMEIDA", "DA COSTA", "DE LA FONTAINE", "DELAFONTAINE",
		"Éloïse", "Emma", "Œdipe", "OLIVIER", "ZOÉ"
	};
	struct buf	 k;

	ck_assert(sorted(v, sizeof(v) / sizeof(v[0]), collate_cmp));
	buf_init(&k);
	collate_key(&k, "  Jean-Marc  d'Œuvre ");
	ck_assert_str_eq(k.p, "jean marc d oeuvre");
	collate_key(&k, "");
	ck_assert_str_eq(k.p, "");
	collate_key(&k, "Дмитрий");
	ck_assert_str_eq(k.p, "");
	buf_free(&k);
	/* Same folded key: bytes decide, so the order is total. */
	ck_assert_int_ne(collate_cmp("Eric", "Éric"), 0);
	ck_assert_int_lt(collate_cmp("élodie", "Emma"), 0);
}
END_TEST

Suite *
collate_suite(void)
{
	Suite	*s = suite_create("collate");
	TCase	*tc = tcase_create("order");

	tcase_add_test(tc, test_natural_classes);
	tcase_add_test(tc, test_folded_names);
	suite_add_tcase(s, tc);
	return s;
}

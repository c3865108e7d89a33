/*
 * check_directory: links between students, relatives, classes and
 * teachers once the directory is resolved.
 */
#include "config.h"

#include <string.h>

#include "diag.h"
#include "directory.h"
#include "fixture_small.h"
#include "tests.h"

static struct directory	 d;

static void
setup(void)
{
	directory_init(&d);
	diagcap_start();
	ck_assert_int_eq(load_xml(&d, "small.xml", SMALL_DOC, 0), 0);
}

static void
teardown(void)
{
	diagcap_stop();
	directory_free(&d);
}

START_TEST(test_siblings_share_parents)
{
	struct dir_person	*p1 = directory_person(&d, CAT_PERSRELELEVE, "p1");
	struct dir_person	*p4 = directory_person(&d, CAT_PERSRELELEVE, "p4");
	struct dir_person	*p6 = directory_person(&d, CAT_PERSRELELEVE, "p6");

	ck_assert_uint_eq(p1->nchildren, 2);
	ck_assert_str_eq(p1->children[0].student->first_name, "Léa");
	ck_assert_str_eq(p1->children[1].student->first_name, "Hugo");
	ck_assert_uint_eq(p4->nchildren, 1);
	ck_assert_uint_eq(p4->children[0].legal, 0);
	ck_assert_uint_eq(p6->nchildren, 0);
	ck_assert_str_eq(diagcap_text(), "");
}
END_TEST

START_TEST(test_classes_and_schools)
{
	struct dir_class	*c1 = directory_class(&d, "1", "4B");
	struct dir_class	*c2 = directory_class(&d, "2", "4B");

	/* Same code, two schools: two classes. */
	ck_assert_ptr_nonnull(c1);
	ck_assert_ptr_nonnull(c2);
	ck_assert_ptr_ne(c1, c2);
	ck_assert_uint_eq(c1->nstudents, 1);
	ck_assert_uint_eq(c1->npp, 1);
	ck_assert_str_eq(c1->pp[0]->id, "t1");
	ck_assert_uint_eq(d.nschools, 2);
	ck_assert_str_eq(d.schools[0]->uai, "0690001A");
	ck_assert_uint_eq(d.nclasses, 3);
	ck_assert_str_eq(d.classes[0]->code, "4B");
	ck_assert_str_eq(d.classes[1]->code, "6A");
	ck_assert_ptr_eq(d.classes[2], c2);
}
END_TEST

START_TEST(test_parent_rule)
{
	struct dir_person	*s1 = directory_person(&d, CAT_ELEVE, "s1");
	int			 n1 = 0, n12 = 0, nall = 0;
	uint32_t		 i;

	for (i = 0; i < s1->nlinks; i++) {
		n1 += dir_link_is_parent(&s1->links[i], RELATIVES_LEGAL1);
		n12 += dir_link_is_parent(&s1->links[i], RELATIVES_LEGAL12);
		nall += dir_link_is_parent(&s1->links[i], RELATIVES_ALL);
	}
	ck_assert_int_eq(n1, 2);
	ck_assert_int_eq(n12, 3);
	ck_assert_int_eq(nall, 4);
}
END_TEST

START_TEST(test_profile_names)
{
	ck_assert_str_eq(dir_profile_name(PROFILE_PARENT), "parent");
	ck_assert_int_eq(dir_profile_from_name("staff"), PROFILE_STAFF);
	ck_assert_int_eq(dir_profile_from_name("eleve"), PROFILE_NONE);
}
END_TEST

Suite *
directory_suite(void)
{
	Suite	*s = suite_create("directory");
	TCase	*tc = tcase_create("links");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_siblings_share_parents);
	tcase_add_test(tc, test_classes_and_schools);
	tcase_add_test(tc, test_parent_rule);
	tcase_add_test(tc, test_profile_names);
	suite_add_tcase(s, tc);
	return s;
}

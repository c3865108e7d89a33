/*
 * check_select: the SELECTION criteria and how parents and teachers
 * follow their students' classes.
 */
#include "config.h"

#include <string.h>

#include "directory.h"
#include "fixture_small.h"
#include "select.h"
#include "tests.h"

static struct directory	 d;
static struct sel_opts	 o;
static struct selection	 sel;

static void
setup(void)
{
	directory_init(&d);
	diagcap_start();
	load_xml(&d, "small.xml", SMALL_DOC, 0);
	sel_opts_init(&o);
	memset(&sel, 0, sizeof(sel));
}

static void
teardown(void)
{
	selection_free(&sel);
	sel_opts_free(&o);
	diagcap_stop();
	directory_free(&d);
}

/* The selected ids, space-separated, in selection order. */
static const char *
ids(void)
{
	static char	 out[512];
	size_t		 i;

	selection_free(&sel);
	select_run(&d, &o, &sel);
	out[0] = '\0';
	for (i = 0; i < sel.n; i++) {
		if (i > 0)
			strcat(out, " ");
		strcat(out, sel.v[i]->id);
	}
	return out;
}

START_TEST(test_everyone)
{
	/*
	 * By profile, school, class in natural order (4B < 6A), name; p3
	 * (legal 2), p4 (legal 0) and p6 (no child) are not parents.
	 */
	ck_assert_str_eq(ids(), "s1 s2 s3 t1 t2 a1 p1 p2 p5");
}
END_TEST

START_TEST(test_profile)
{
	o.profiles = 1u << PROFILE_PARENT;
	ck_assert_str_eq(ids(), "p1 p2 p5");
	o.relatives = RELATIVES_LEGAL12;
	ck_assert_str_eq(ids(), "p3 p1 p2 p5");
	o.relatives = RELATIVES_ALL;
	ck_assert_str_eq(ids(), "p3 p1 p2 p4 p5");
	o.profiles |= 1u << PROFILE_STAFF;
	o.relatives = RELATIVES_LEGAL1;
	ck_assert_str_eq(ids(), "a1 p1 p2 p5");
}
END_TEST

START_TEST(test_class_follows)
{
	sel_opts_add(&o.classes, &o.nclasses, "6A");
	/* The sibling's parents come once; the teacher of 4B does not. */
	ck_assert_str_eq(ids(), "s2 p1 p2");
	sel_opts_free(&o);
	sel_opts_init(&o);
	sel_opts_add(&o.classes, &o.nclasses, "4b,6A");
	ck_assert_str_eq(ids(), "s1 s2 s3 t1 t2 p1 p2 p5");
}
END_TEST

START_TEST(test_school_and_level)
{
	sel_opts_add(&o.schools, &o.nschools, "0690002B");
	ck_assert_str_eq(ids(), "s3 t2 p5");
	sel_opts_free(&o);
	sel_opts_init(&o);
	sel_opts_add(&o.levels, &o.nlevels, "4EME");
	ck_assert_str_eq(ids(), "s1 s3 t1 t2 p1 p2 p5");
	sel_opts_add(&o.schools, &o.nschools, "1");	/* jointure works too */
	ck_assert_str_eq(ids(), "s1 t1 p1 p2");
}
END_TEST

static enum acct_state
fake_state(void *arg, const struct dir_person *p)
{
	if (strcmp(p->id, "s1") == 0)
		return STATE_ACTIVE;
	if (strcmp(p->id, "s2") == 0)
		return STATE_EXPIRED;
	return STATE_INACTIVE;
}

START_TEST(test_state_origin)
{
	o.profiles = 1u << PROFILE_STUDENT;
	o.state_of = fake_state;
	ck_assert_str_eq(ids(), "s2 s3");
	o.state = SEL_STATE_ACTIVE;
	ck_assert_str_eq(ids(), "s1");
	o.state = SEL_STATE_EXPIRED;
	ck_assert_str_eq(ids(), "s2");
	o.state = SEL_STATE_ALL;
	ck_assert_str_eq(ids(), "s1 s2 s3");
	o.origin = SEL_ORIGIN_MANUAL;
	ck_assert_str_eq(ids(), "");
	ck_assert_int_eq(sel_opts_add(&o.classes, &o.nclasses, "4B,,6A"), -1);
}
END_TEST

Suite *
select_suite(void)
{
	Suite	*s = suite_create("select");
	TCase	*tc = tcase_create("criteria");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_everyone);
	tcase_add_test(tc, test_profile);
	tcase_add_test(tc, test_class_follows);
	tcase_add_test(tc, test_school_and_level);
	tcase_add_test(tc, test_state_origin);
	suite_add_tcase(s, tc);
	return s;
}

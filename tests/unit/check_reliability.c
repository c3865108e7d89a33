/*
 * check_reliability: unit tests for the failures issue 9 looks for, one
 * test per bug found by the fuzzers, the crash tests and the hostile
 * inputs (the command-line replays are in tests/fuzz/regress.sh and
 * tests/hostile/).
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "mem.h"

/*
 * aaf-fuzzer: a student without a class or a school got a letter whose
 * {school_name} expanded to nothing; the expansion buffer, reset but
 * never grown, was NULL, and compose passed it to strlen().
 */
START_TEST(test_buf_reset_fresh_is_string)
{
	struct buf	 b;

	buf_init(&b);
	buf_reset(&b);
	ck_assert_ptr_nonnull(b.p);
	ck_assert_str_eq(b.p, "");
	ck_assert_uint_eq(b.len, 0);
	buf_adds(&b, "abc");
	buf_reset(&b);
	ck_assert_str_eq(b.p, "");
	buf_free(&b);
}
END_TEST

static Suite *
mem_suite(void)
{
	Suite	*s = suite_create("mem");
	TCase	*tc = tcase_create("Core");

	tcase_add_test(tc, test_buf_reset_fresh_is_string);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	diag_init("entpress");
	sr = srunner_create(mem_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

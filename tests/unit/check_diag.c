/*
 * check_diag: message format, levels, exit status, and that entpress.1
 * documents every message.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "mem.h"
#include "tests.h"

START_TEST(test_format)
{
	struct diag_pos	 pos = { "f.xml", 12, 3 };

	diagcap_start();
	diag(DIAG_NO_CLASS, &pos, "student %s", "42");
	ck_assert_str_eq(diagcap_text(),
	    "entpress: f.xml:12:3: WARNING: student without a class: "
	    "student 42\n");
	ck_assert_int_eq(diag_worst(), LEVEL_WARNING);
	diag(DIAG_BAD_ARG, NULL, "%s", "--x");
	ck_assert_ptr_nonnull(strstr(diagcap_text(),
	    "entpress: ERROR: bad argument: --x\n"));
	diag_sys(DIAG_SYS_OPEN, "out.ps", "%s", "No space left on device");
	ck_assert_ptr_nonnull(strstr(diagcap_text(),
	    "entpress: out.ps: SYSERR: cannot open: No space left on device\n"));
	ck_assert_int_eq(diag_worst(), LEVEL_SYSERR);
	ck_assert_uint_eq(diag_count(LEVEL_WARNING), 1);
	ck_assert_uint_eq(diag_count(LEVEL_ERROR), 1);
	diagcap_stop();
}
END_TEST

START_TEST(test_bands)
{
	ck_assert_int_eq(diag_level_of(DIAG_OK), LEVEL_OK);
	ck_assert_int_eq(diag_level_of(DIAG_DUP_RECORD), LEVEL_WARNING);
	ck_assert_int_eq(diag_level_of(DIAG_XML), LEVEL_ERROR);
	ck_assert_int_eq(diag_level_of(DIAG_SYS_WRITE), LEVEL_SYSERR);
}
END_TEST

/* Every message is listed in the DIAGNOSTICS section of the manual. */
START_TEST(test_manual_lists_all)
{
	FILE		*fp;
	struct buf	 man;
	char		 chunk[4096];
	size_t		 n;
	int		 c;

	fp = fopen(TEST_SRCDIR "/entpress.1", "r");
	ck_assert_ptr_nonnull(fp);
	buf_init(&man);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(&man, chunk, n);
	fclose(fp);
	for (c = DIAG_OK + 1; c < DIAG__MAX; c++) {
		if (c == DIAG_WARNING || c == DIAG_ERROR || c == DIAG_SYSERR)
			continue;
		if (strstr(man.p, diag_text((enum diag_code)c)) == NULL)
			ck_abort_msg("entpress.1 lacks \"%s\"",
			    diag_text((enum diag_code)c));
	}
	buf_free(&man);
}
END_TEST

Suite *
diag_suite(void)
{
	Suite	*s = suite_create("diag");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_format);
	tcase_add_test(tc, test_bands);
	tcase_add_test(tc, test_manual_lists_all);
	suite_add_tcase(s, tc);
	return s;
}

/*
 * check_reliability: unit tests for the failures issue 9 looks for, one
 * test per bug found by the fuzzers, the crash tests and the hostile
 * inputs (the command-line replays are in tests/fuzz/regress.sh and
 * tests/hostile/).
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aaf.h"
#include "diag.h"
#include "directory.h"
#include "mem.h"

/* Diagnostics of the code under test, in memory. */
static char	*cap;
static size_t	 caplen;
static FILE	*capfp;

static void
cap_start(void)
{
	capfp = open_memstream(&cap, &caplen);
	diag_set_stream(capfp);
	diag_reset();
}

static const char *
cap_stop(void)
{
	fclose(capfp);
	capfp = NULL;
	diag_set_stream(NULL);
	return cap != NULL ? cap : "";
}

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

/*
 * aaf-fuzzer: libxml2 reports the encoding it detects in the first bytes
 * (UCS-4 in an unusual byte order) and a conversion that fails in the
 * first block before the reader exists, through its global handler,
 * which printed "Entity: line 1: parser error : ..." raw on the
 * standard error, outside entpress's diagnostic format.  Now each is one
 * ERROR of ours, and nothing else reaches file descriptor 2.
 */
START_TEST(test_aaf_early_encoding_error_is_ours)
{
	static const char *const docs[] = {
		"\0\0<\0", "\0<\0\0", "<\0\0\0"
	};
	struct directory	 d;
	char			 path[] = "/tmp/entpress-stderr.XXXXXX";
	const char		*text;
	int			 fd, saved;
	size_t			 i;
	off_t			 size;

	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		fd = mkstemp(path);
		ck_assert_int_ne(fd, -1);
		unlink(path);
		memcpy(path + strlen(path) - 6, "XXXXXX", 6);
		fflush(stderr);
		saved = dup(2);
		dup2(fd, 2);
		cap_start();
		directory_init(&d);
		ck_assert_int_eq(aaf_read_memory(&d, "u.xml", docs[i], 4, 0),
		    -1);
		directory_free(&d);
		text = cap_stop();
		fflush(stderr);
		dup2(saved, 2);
		close(saved);
		size = lseek(fd, 0, SEEK_END);
		close(fd);
		ck_assert_msg(size == 0, "libxml2 wrote %lld bytes on the "
		    "standard error for document %zu", (long long)size, i);
		ck_assert_ptr_nonnull(strstr(text, "u.xml"));
		ck_assert_ptr_nonnull(strstr(text, "ERROR: "));
		free(cap);
		cap = NULL;
	}
}
END_TEST

static Suite *
aaf_suite(void)
{
	Suite	*s = suite_create("aaf");
	TCase	*tc = tcase_create("Core");

	tcase_add_test(tc, test_aaf_early_encoding_error_is_ours);
	suite_add_tcase(s, tc);
	return s;
}

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
	aaf_global_init();
	sr = srunner_create(mem_suite());
	srunner_add_suite(sr, aaf_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	aaf_global_cleanup();
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/*
 * check_reliability: unit tests for the failures issue 9 looks for, one
 * test per bug found by the fuzzers, the crash tests and the hostile
 * inputs (the command-line replays are in tests/fuzz/regress.sh and
 * tests/hostile/).
 */
#include "config.h"

#include <sys/stat.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aaf.h"
#include "diag.h"
#include "directory.h"
#include "mem.h"
#include "outw.h"

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

/* How many times needle occurs in hay. */
static int
count(const char *hay, const char *needle)
{
	int	 n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

/*
 * crash/diskfull.sh: a write that fails while the run is being emitted
 * (disk full, file size limit) made the emitter give up, and
 * cmd_compile removed the temporary file through outw_abort(), which
 * said nothing: exit 2 and not a word about the file.  The first write
 * error is now reported when it happens, once, naming the final file.
 * /dev/full stands for the full disk: every write gives ENOSPC.
 */
START_TEST(test_outw_write_error_reported_on_abort)
{
	struct outw	 w;
	char		 dir[] = "/tmp/entpress-outw.XXXXXX", path[64];
	static char	 block[OUTW_BUFSZ + 100];
	const char	*text;
	int		 full;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/run.ps", dir);
	ck_assert_int_eq(outw_open(&w, path), 0);
	full = open("/dev/full", O_WRONLY);
	ck_assert_int_ne(full, -1);
	ck_assert_int_ne(dup2(full, w.fd), -1);	/* the temp file's fd */
	close(full);
	cap_start();
	memset(block, 'x', sizeof(block));
	outw_write(&w, block, sizeof(block));	/* one drain: ENOSPC */
	outw_write(&w, block, sizeof(block));	/* and another */
	ck_assert_int_ne(w.err, 0);
	outw_abort(&w);
	text = cap_stop();
	ck_assert_int_eq(count(text, "SYSERR: write error"), 1);
	ck_assert_ptr_nonnull(strstr(text, path));
	ck_assert_int_eq(diag_worst(), LEVEL_SYSERR);
	free(cap);
	cap = NULL;
	ck_assert_int_eq(access(path, F_OK), -1);
	ck_assert_int_eq(rmdir(dir), 0);	/* no temporary file left */
}
END_TEST

/* The same failure at the last flush: reported once, not twice. */
START_TEST(test_outw_write_error_reported_once_on_finish)
{
	struct outw	 w;
	char		 dir[] = "/tmp/entpress-outw.XXXXXX", path[64];
	const char	*text;
	int		 full;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/run.csv", dir);
	ck_assert_int_eq(outw_open(&w, path), 0);
	full = open("/dev/full", O_WRONLY);
	ck_assert_int_ne(dup2(full, w.fd), -1);
	close(full);
	cap_start();
	outw_puts(&w, "Identifiant;Profil\r\n");
	ck_assert_int_eq(outw_finish(&w), -1);
	text = cap_stop();
	ck_assert_int_eq(count(text, "SYSERR: write error"), 1);
	ck_assert_ptr_nonnull(strstr(text, path));
	free(cap);
	cap = NULL;
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

static Suite *
outw_suite(void)
{
	Suite	*s = suite_create("outw");
	TCase	*tc = tcase_create("Errors");

	tcase_add_test(tc, test_outw_write_error_reported_on_abort);
	tcase_add_test(tc, test_outw_write_error_reported_once_on_finish);
	suite_add_tcase(s, tc);
	return s;
}

/*
 * hostile/structure.sh: a record with 100,000 values in one attribute
 * was rejected as "malformed record, skipped: V1", the id without the
 * reason.  The message now says which limit the record broke.
 */
START_TEST(test_aaf_limits_say_why)
{
	struct directory	 d;
	struct buf		 b;
	const char		*text;
	int			 i;

	buf_init(&b);
	buf_adds(&b, "<ficAlimMENESR>\n<addRequest><operationalAttributes>"
	    "<attr name=\"categoriePersonne\"><value>Eleve</value></attr>"
	    "</operationalAttributes><identifier><id>V1</id></identifier>"
	    "<attributes><attr name=\"ENTEleveClasses\">\n");
	for (i = 0; i < 10001; i++)
		buf_printf(&b, "<value>E1$C%d</value>", i);
	buf_adds(&b, "</attr></attributes></addRequest>\n"
	    "<addRequest><operationalAttributes>"
	    "<attr name=\"categoriePersonne\"><value>Eleve</value></attr>"
	    "</operationalAttributes><identifier><id>V2</id></identifier>"
	    "<attributes>\n");
	for (i = 0; i < 257; i++)
		buf_adds(&b, "<attr name=\"sn\"><value>A</value></attr>");
	buf_adds(&b, "</attributes></addRequest>\n</ficAlimMENESR>\n");
	cap_start();
	directory_init(&d);
	aaf_read_memory(&d, "big.xml", b.p, b.len, 0);
	ck_assert_uint_eq(d.stats.skipped, 2);
	directory_free(&d);
	text = cap_stop();
	ck_assert_ptr_nonnull(strstr(text, "big.xml:3:0: ERROR: malformed "
	    "record, skipped: V1: more than 10000 values in one attribute"));
	ck_assert_ptr_nonnull(strstr(text, "big.xml:5:0: ERROR: malformed "
	    "record, skipped: V2: more than 256 of the attributes entpress "
	    "reads"));
	free(cap);
	cap = NULL;
	buf_free(&b);
}
END_TEST

/*
 * hostile/structure.sh (limits): a value over libxml2's 10 MB text node
 * limit stops the parser with an error that is not fatal, which the
 * reader dropped, then said only "parser stopped".  It now gives
 * libxml2's reason at its line.
 */
START_TEST(test_aaf_huge_value_says_why)
{
	static const char	 head[] = "<ficAlimMENESR>\n<addRequest>"
	    "<operationalAttributes><attr name=\"categoriePersonne\">"
	    "<value>Eleve</value></attr></operationalAttributes>"
	    "<identifier><id>H1</id></identifier><attributes>\n"
	    "<attr name=\"sn\"><value>";
	static const char	 tail[] = "</value></attr></attributes>"
	    "</addRequest>\n</ficAlimMENESR>\n";
	struct directory	 d;
	const char		*text;
	char			*doc;
	size_t			 n = 10000001, len;

	len = sizeof(head) - 1 + n + sizeof(tail) - 1;
	doc = malloc(len);
	ck_assert_ptr_nonnull(doc);
	memcpy(doc, head, sizeof(head) - 1);
	memset(doc + sizeof(head) - 1, 'A', n);
	memcpy(doc + sizeof(head) - 1 + n, tail, sizeof(tail) - 1);
	cap_start();
	directory_init(&d);
	ck_assert_int_eq(aaf_read_memory(&d, "huge.xml", doc, len, 0), -1);
	directory_free(&d);
	text = cap_stop();
	ck_assert_ptr_nonnull(strstr(text, "huge.xml:3:"));
	ck_assert_ptr_nonnull(strstr(text, "ERROR: malformed XML, rest of "
	    "the file skipped: xmlSAX2Characters: huge text node"));
	ck_assert_ptr_null(strstr(text, "parser stopped"));
	free(cap);
	cap = NULL;
	free(doc);
}
END_TEST

static Suite *
aaf_suite(void)
{
	Suite	*s = suite_create("aaf");
	TCase	*tc = tcase_create("Core");

	tcase_add_test(tc, test_aaf_early_encoding_error_is_ours);
	tcase_add_test(tc, test_aaf_limits_say_why);
	tcase_add_test(tc, test_aaf_huge_value_says_why);
	suite_add_tcase(s, tc);
	return s;
}

/*
 * secrets/grep.sh: after the print run was published, the last page's
 * text, its PDF content stream and zlib's window still held grouped
 * codes in freed memory.  Page strings now live in an arena that is
 * wiped before reuse; mem_wipe() zeroes what it is given.
 */
/* mem_decimal: what printf("%0*llu") gives, without a NUL. */
START_TEST(test_mem_decimal)
{
	static const struct {
		uint64_t	 v;
		size_t		 width;
		const char	*want;
	} t[] = {
		{ 0, 0, "0" }, { 0, 3, "000" }, { 7, 3, "007" },
		{ 123, 3, "123" }, { 1000, 3, "1000" }, { 999999, 6, "999999" },
		{ 1000000, 6, "1000000" }, { 42, 1, "42" },
		{ UINT64_MAX, 6, "18446744073709551615" },
	};
	char	 out[32];
	size_t	 i, n;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		memset(out, 'x', sizeof(out));
		n = mem_decimal(out, t[i].v, t[i].width);
		ck_assert_uint_eq(n, strlen(t[i].want));
		ck_assert_int_eq(memcmp(out, t[i].want, n), 0);
		ck_assert_int_eq(out[n], 'x');	/* nothing past it */
	}
}
END_TEST

START_TEST(test_arena_wipe_zeroes_every_block)
{
	struct arena	 a;
	char		*s[3];
	unsigned char	 zero[100];
	int		 i;

	arena_init(&a);
	for (i = 0; i < 3; i++) {
		s[i] = arena_alloc(&a, 100000);	/* a block each */
		memset(s[i], 'k', 100000);
	}
	arena_wipe(&a);
	memset(zero, 0, sizeof(zero));
	for (i = 0; i < 3; i++) {
		ck_assert_int_eq(memcmp(s[i], zero, sizeof(zero)), 0);
		ck_assert_int_eq(memcmp(s[i] + 100000 - 100, zero,
		    sizeof(zero)), 0);
	}
	arena_free(&a);
	memset(zero, 'c', sizeof(zero));
	mem_wipe(zero, sizeof(zero));
	ck_assert_int_eq(zero[0] | zero[50] | zero[99], 0);
	mem_wipe(NULL, 10);
}
END_TEST

/*
 * secrets/grep.sh, one run in four: an old copy of the PDF content
 * stream, left by realloc when the buffer grew, still held a code.  A
 * secret buffer moves by hand and zeroes what it leaves; it must still
 * keep its content and stay secret after buf_free().
 */
START_TEST(test_buf_secret_grows_and_keeps)
{
	struct buf	 b;
	int		 i;

	buf_init_secret(&b);
	ck_assert_int_eq(b.wipe, 1);
	for (i = 0; i < 5000; i++)
		buf_addc(&b, 'a' + i % 26);
	ck_assert_uint_eq(b.len, 5000);
	ck_assert_int_eq(b.p[4999], 'a' + 4999 % 26);
	ck_assert_int_eq(b.p[5000], '\0');
	buf_free(&b);
	ck_assert_ptr_null(b.p);
	ck_assert_int_eq(b.wipe, 1);
	buf_adds(&b, "again");
	ck_assert_str_eq(b.p, "again");
	buf_free(&b);
}
END_TEST

static Suite *
mem_suite(void)
{
	Suite	*s = suite_create("mem");
	TCase	*tc = tcase_create("Core");

	tcase_add_test(tc, test_buf_reset_fresh_is_string);
	tcase_add_test(tc, test_arena_wipe_zeroes_every_block);
	tcase_add_test(tc, test_mem_decimal);
	tcase_add_test(tc, test_buf_secret_grows_and_keeps);
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
	srunner_add_suite(sr, outw_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	aaf_global_cleanup();
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/*
 * check_progress: the progress line (progress.h): its wording per phase,
 * the rates and the time left, the throttling (at most PROGRESS_HZ
 * redraws a second, the clock read every PROGRESS_EVERY items), the
 * width limit, the erasing before a diagnostic, and silence when it is
 * off.  A fake clock drives time; the line goes to a memory stream.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "progress.h"

#define MS	1000000LL		/* ns */

static int64_t	 fake_now;
static int	 fake_reads;		/* clock reads */

static int64_t
fake_clock(void)
{
	fake_reads++;
	return fake_now;
}

static char	*out_buf;
static size_t	 out_len;
static FILE	*out_fp;

static void
start(int enabled, int width)
{
	out_fp = open_memstream(&out_buf, &out_len);
	ck_assert_ptr_nonnull(out_fp);
	fake_now = 1000 * MS;
	fake_reads = 0;
	progress_g.clock = fake_clock;
	progress_init_stream(out_fp, enabled, width);
}

static const char *
output(void)
{
	fflush(out_fp);
	return out_buf != NULL ? out_buf : "";
}

static void
stop(void)
{
	progress_done();
	fclose(out_fp);
	free(out_buf);
	out_buf = NULL;
	out_len = 0;
	progress_g.clock = NULL;
}

/* Redraws so far: each starts with a carriage return and ends erasing. */
static int
redraws(void)
{
	const char	*s = output();
	int		 n = 0;

	for (; (s = strstr(s, "\033[K")) != NULL; s++)
		n++;
	return n;
}

START_TEST(test_format_read)
{
	char	 line[256];

	start(1, 0);
	progress_phase(PHASE_READ, 12);
	progress_g.n[PROGRESS_FILES] = 3;
	progress_g.n[PROGRESS_RECORDS] = 41230;
	progress_format(&progress_g, fake_now, line, sizeof(line));
	ck_assert_str_eq(line, "entpress: reading 3/12 files, 41230 records");
	progress_phase(PHASE_READ, 0);
	progress_format(&progress_g, fake_now, line, sizeof(line));
	ck_assert_str_eq(line, "entpress: reading 3 files, 41230 records");
	stop();
}
END_TEST

START_TEST(test_format_print)
{
	char	 line[256];

	start(1, 0);
	progress_g.n[PROGRESS_PAGES] = 7;	/* cover sheets before */
	progress_phase(PHASE_PRINT, 17622);
	progress_g.n[PROGRESS_LETTERS] = 5210;
	progress_g.n[PROGRESS_PAGES] = 7 + 10420;
	/* Too early for a rate or an estimate. */
	progress_format(&progress_g, fake_now + 100 * MS, line, sizeof(line));
	ck_assert_str_eq(line,
	    "entpress: printing 5210/17622 letters, 10420 pages");
	/* One second in: pages/s of the phase, time left from letters. */
	progress_format(&progress_g, fake_now + 1000 * MS, line, sizeof(line));
	ck_assert_str_eq(line, "entpress: printing 5210/17622 letters, "
	    "10420 pages, 10420 pages/s, 2 s left");
	/* Minutes. */
	progress_g.n[PROGRESS_LETTERS] = 100;
	progress_format(&progress_g, fake_now + 1000 * MS, line, sizeof(line));
	ck_assert_ptr_nonnull(strstr(line, ", 2 min 55 s left"));
	/* Nothing left to estimate once done. */
	progress_g.n[PROGRESS_LETTERS] = 17622;
	progress_format(&progress_g, fake_now + 1000 * MS, line, sizeof(line));
	ck_assert_ptr_null(strstr(line, "left"));
	stop();
}
END_TEST

START_TEST(test_format_small_buffer)
{
	char	 line[16];
	size_t	 n;

	start(1, 0);
	progress_phase(PHASE_READ, 12);
	n = progress_format(&progress_g, fake_now, line, sizeof(line));
	ck_assert_uint_eq(n, sizeof(line) - 1);
	ck_assert_uint_eq(strlen(line), sizeof(line) - 1);
	stop();
}
END_TEST

START_TEST(test_throttle_clock_reads)
{
	int	 i, before;

	start(1, 0);
	progress_phase(PHASE_PRINT, 1000000);
	before = fake_reads;
	for (i = 0; i < 10 * PROGRESS_EVERY; i++)
		progress_pages(1);
	/* One read per PROGRESS_EVERY items, the first soon after the phase. */
	ck_assert_int_le(fake_reads - before, 11);
	ck_assert_int_ge(fake_reads - before, 10);
	stop();
}
END_TEST

START_TEST(test_throttle_rate)
{
	int	 i, ms;

	start(1, 0);
	progress_phase(PHASE_PRINT, 1000000);
	/* Ten simulated seconds, an item every millisecond. */
	for (ms = 0; ms < 10000; ms++) {
		fake_now += MS;
		for (i = 0; i < PROGRESS_EVERY / 8; i++)
			progress_letters(1);
	}
	/*
	 * At most PROGRESS_HZ a second; the clock is looked at every 8 ms
	 * here, so a redraw comes up to 8 ms after its tenth: about 96.
	 */
	ck_assert_int_le(redraws(), 10 * PROGRESS_HZ + 1);
	ck_assert_int_ge(redraws(), 10 * PROGRESS_HZ * 100 / 108 - 1);
	stop();
}
END_TEST

START_TEST(test_files_look_at_clock)
{
	start(1, 0);
	progress_phase(PHASE_READ, 3);
	progress_files(1);
	ck_assert_int_eq(redraws(), 1);
	fake_now += 200 * MS;
	progress_files(1);
	ck_assert_int_eq(redraws(), 2);
	ck_assert_ptr_nonnull(strstr(output(), "reading 2/3 files"));
	stop();
}
END_TEST

START_TEST(test_width)
{
	const char	*s, *e;

	start(1, 20);
	progress_phase(PHASE_READ, 12);
	progress_files(1);
	s = strrchr(output(), '\r');
	ck_assert_ptr_nonnull(s);
	e = strstr(s, "\033[K");
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq((int)(e - s - 1), 19);
	stop();
}
END_TEST

START_TEST(test_off_is_silent)
{
	int	 i;

	start(0, 0);
	progress_phase(PHASE_PRINT, 10);
	for (i = 0; i < 10 * PROGRESS_EVERY; i++) {
		fake_now += 10 * MS;
		progress_pages(1);
		progress_files(1);
	}
	progress_clear();
	ck_assert_str_eq(output(), "");
	stop();
}
END_TEST

START_TEST(test_clear_and_done)
{
	double	 secs;

	start(1, 0);
	progress_phase(PHASE_READ, 2);
	progress_files(1);
	ck_assert_int_eq(redraws(), 1);
	progress_clear();
	ck_assert_int_eq(redraws(), 2);
	/* Cleared twice is cleared once. */
	progress_clear();
	ck_assert_int_eq(redraws(), 2);
	/* After a clear, drawn again no sooner than a tenth later. */
	progress_files(1);
	ck_assert_int_eq(redraws(), 2);
	fake_now += 1000 * MS / PROGRESS_HZ;
	progress_files(1);
	ck_assert_int_eq(redraws(), 3);
	fake_now += 2500 * MS;
	secs = progress_done();
	ck_assert(secs > 2.59 && secs < 2.61);	/* 0.1 + 2.5 */
	ck_assert_int_eq(redraws(), 4);
	ck_assert_int_eq(progress_g.on, 0);
	stop();
}
END_TEST

START_TEST(test_diag_erases_line)
{
	const char	*s;
	char		*dbuf = NULL;
	size_t		 dlen = 0;
	FILE		*dfp;

	start(1, 0);
	progress_phase(PHASE_READ, 2);
	progress_files(1);
	/* The message goes elsewhere; the line is erased first. */
	dfp = open_memstream(&dbuf, &dlen);
	ck_assert_ptr_nonnull(dfp);
	diag_set_stream(dfp);
	diag(DIAG_BAD_ARG, NULL, "%s", "x");
	diag_set_stream(NULL);
	diag_reset();
	fclose(dfp);
	ck_assert_ptr_nonnull(strstr(dbuf, "ERROR"));
	free(dbuf);
	s = output();
	ck_assert_ptr_nonnull(strstr(s, "\r\033[K"));
	ck_assert_int_eq(progress_g.shown, 0);
	stop();
}
END_TEST

static Suite *
progress_suite(void)
{
	Suite	*s = suite_create("progress");
	TCase	*tc;

	tc = tcase_create("Format");
	tcase_add_test(tc, test_format_read);
	tcase_add_test(tc, test_format_print);
	tcase_add_test(tc, test_format_small_buffer);
	suite_add_tcase(s, tc);
	tc = tcase_create("Throttle");
	tcase_add_test(tc, test_throttle_clock_reads);
	tcase_add_test(tc, test_throttle_rate);
	tcase_add_test(tc, test_files_look_at_clock);
	suite_add_tcase(s, tc);
	tc = tcase_create("Screen");
	tcase_add_test(tc, test_width);
	tcase_add_test(tc, test_off_is_silent);
	tcase_add_test(tc, test_clear_and_done);
	tcase_add_test(tc, test_diag_erases_line);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(progress_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

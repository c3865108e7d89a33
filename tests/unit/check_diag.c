/*
 * check_diag: message format, levels, exit status, that diagnostics
 * captured on a thread and issued later read as if printed directly,
 * and that entpress.1 documents every message.
 */
#include "config.h"

#include <pthread.h>
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

/*
 * Captured diagnostics, copied as aaf.c's queue copies them: the
 * pointers the capture gets are valid during the call only.
 */
struct held {
	enum diag_code	 code;
	int		 has_pos;
	struct diag_pos	 pos;
	char		*file;
	char		*detail;
};

struct heldv {
	struct held	 v[16];
	size_t		 n;
};

static void
hold(void *arg, enum diag_code code, const struct diag_pos *pos,
    const char *detail)
{
	struct heldv	*h = arg;
	struct held	*e;

	ck_assert_uint_lt(h->n, sizeof(h->v) / sizeof(h->v[0]));
	e = &h->v[h->n++];
	e->code = code;
	e->has_pos = pos != NULL;
	e->file = pos != NULL && pos->file != NULL ? xstrdup(pos->file) : NULL;
	if (pos != NULL)
		e->pos = *pos;
	e->pos.file = e->file;
	e->detail = xstrdup(detail);
}

/* Every shape of call: positions or none, empty and overlong details. */
static void
raise_some(void)
{
	struct diag_pos	 pos = { "f.xml", 12, 3 };
	char		 big[1500];

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	diag(DIAG_NO_CLASS, &pos, "student %s", "42");
	diag(DIAG_BAD_ARG, NULL, "%s", "--x");
	diag_sys(DIAG_SYS_OPEN, "out.ps", "%s", "No space left on device");
	diag(DIAG_NOTHING, NULL, "%s", "");
	diag(DIAG_XML, &(struct diag_pos){ "g.xml", 0, 0 }, "%s", big);
	diag(DIAG_DUP_RECORD, &pos, "%s %d", "Eleve", 7);
}

static void *
capture_thread(void *arg)
{
	diag_capture(hold, arg);
	raise_some();
	diag_capture(NULL, NULL);
	return NULL;
}

/* Issue what was held, as aaf.c's applying thread does. */
static void
replay(struct heldv *h)
{
	size_t	 i;

	for (i = 0; i < h->n; i++) {
		diag(h->v[i].code, h->v[i].has_pos ? &h->v[i].pos : NULL, "%s",
		    h->v[i].detail);
		free(h->v[i].file);
		free(h->v[i].detail);
	}
	h->n = 0;
}

static void
capture_vs_direct(enum diag_level quiet_below)
{
	static struct heldv	 held;
	pthread_t		 th;
	char			*direct;
	enum diag_level		 worst;
	unsigned long		 counts[LEVEL_SYSERR + 1];
	int			 l;

	diag_set_quiet_below(quiet_below);
	diagcap_start();
	raise_some();
	direct = xstrdup(diagcap_text());
	worst = diag_worst();
	for (l = 0; l <= LEVEL_SYSERR; l++)
		counts[l] = diag_count((enum diag_level)l);

	diagcap_start();
	ck_assert_int_eq(pthread_create(&th, NULL, capture_thread, &held), 0);
	ck_assert_int_eq(pthread_join(th, NULL), 0);
	/* Captured: nothing printed, counted or raised yet. */
	ck_assert_str_eq(diagcap_text(), "");
	ck_assert_int_eq(diag_worst(), LEVEL_OK);
	ck_assert_uint_eq(diag_count(LEVEL_WARNING), 0);
	ck_assert_uint_eq(held.n, 6);
	replay(&held);
	ck_assert_str_eq(diagcap_text(), direct);
	ck_assert_int_eq(diag_worst(), worst);
	for (l = 0; l <= LEVEL_SYSERR; l++)
		ck_assert_uint_eq(diag_count((enum diag_level)l), counts[l]);
	free(direct);
	diagcap_stop();
	diag_set_quiet_below(LEVEL_WARNING);
}

START_TEST(test_capture)
{
	capture_vs_direct(LEVEL_WARNING);
	/* -W: what is not printed is still counted, as before. */
	capture_vs_direct(LEVEL_ERROR);
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
	tcase_add_test(tc, test_capture);
	tcase_add_test(tc, test_bands);
	tcase_add_test(tc, test_manual_lists_all);
	suite_add_tcase(s, tc);
	return s;
}

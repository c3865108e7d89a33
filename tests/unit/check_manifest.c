/*
 * check_manifest: the JSON record of a run written and read back, its
 * determinism and its digest, names relative to the manifest, and
 * manifests that are not ours refused with a diagnostic.
 */
#include "config.h"

#include <sys/stat.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "credentials.h"
#include "diag.h"
#include "manifest.h"
#include "mem.h"
#include "outw.h"

static char	 dir[256];
static char	 path[300];
static FILE	*null;

static void
setup(void)
{
	const char	*tmp = getenv("TMPDIR");

	snprintf(dir, sizeof(dir), "%s/entpress-manifest-XXXXXX",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/run.json", dir);
	null = fopen("/dev/null", "w");
	diag_set_stream(null);
	diag_reset();
}

static void
teardown(void)
{
	char	 cmd[300];

	diag_set_stream(NULL);
	fclose(null);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	(void)system(cmd);
}

/* A run of two letters, a PostScript and a CSV. */
static void
sample(struct manifest *m)
{
	struct manifest_opt	*o;
	struct manifest_file	*f;
	struct manifest_letter	*l;

	manifest_init(m);
	m->run = 3;
	m->command = "entpress compile --class 4B fixtures/demo";
	m->date = "2026-09-01";
	m->valid_until = "2026-10-01";
	m->layout = "letter";
	o = manifest_opt_add(m, "class", 0);
	manifest_opt_value(m, o, "4B");
	manifest_opt_value(m, o, "4C");
	o = manifest_opt_add(m, "state", 1);
	manifest_opt_value(m, o, "inactive");
	f = manifest_output_add(m);
	f->name = "run.ps";
	f->kind = "ps";
	f->size = 1234;
	f->pages = 4;
	memset(f->sha256, 0xab, sizeof(f->sha256));
	m->nprint = 1;
	f = manifest_output_add(m);
	f->name = "run.csv";
	f->kind = "csv";
	f->size = 99;
	f = manifest_input_add(m);
	f->name = "fixtures/demo/ENT_Eleve.xml";
	f->kind = "xml";

	l = manifest_letter_add(m);
	l->serial = "2026-0699990Z-000001";
	l->label = "4B-001";
	l->section = "class";
	l->group = "4B";
	l->way = "class";
	l->first_page = 1;
	l->last_page = 2;
	l->range[0].start = 100;
	l->range[0].end = 600;
	memset(l->range[0].sha256, 0x11, CRED_SHA256_LEN);
	l->naccounts = 1;
	l->accounts = arena_calloc(&m->a, 1, sizeof(*l->accounts));
	l->accounts[0].login = "lea.martin";
	l->accounts[0].name = "Léa Martin";
	l->accounts[0].profile = "student";
	memset(l->accounts[0].fp, 0x22, CRED_FP_LEN);

	l = manifest_letter_add(m);
	l->serial = "2026-0699990Z-000002";
	l->label = "MAIL-001";
	l->section = "mail";
	l->group = "MAIL";
	l->way = "post";
	l->replaces = "2025-0699990Z-000077";
	l->first_page = 3;
	l->last_page = 4;
	l->range[0].start = 600;
	l->range[0].end = 1200;
	l->naccounts = 2;
	l->accounts = arena_calloc(&m->a, 2, sizeof(*l->accounts));
	l->accounts[0].login = "marie.martin";
	l->accounts[1].login = "paul.martin";
	l->naddress = 2;
	l->address = arena_calloc(&m->a, 2, sizeof(*l->address));
	l->address[0] = "M. et Mme MARTIN";
	l->address[1] = "69100 VILLEURBANNE";
}

static void
write_ok(const struct manifest *m, const char *to, uint8_t sha[32])
{
	struct outw	 w;

	ck_assert_int_eq(outw_open(&w, to), 0);
	ck_assert_int_eq(manifest_write(&w, m, sha), 0);
	ck_assert_int_eq(outw_publish(&w), 0);
}

START_TEST(test_roundtrip)
{
	struct manifest	 m, r;
	struct stat	 st;
	uint8_t		 sha[32], file[32];

	sample(&m);
	write_ok(&m, path, sha);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	/* The digest the ledger records is the file's. */
	ck_assert_int_eq(cred_sha256_file(path, file, NULL, NULL, 0), 0);
	ck_assert(memcmp(sha, file, 32) == 0);

	manifest_init(&r);
	ck_assert_int_eq(manifest_load(path, &r), 0);
	ck_assert_int_eq(r.run, 3);
	ck_assert_str_eq(r.date, "2026-09-01");
	ck_assert_str_eq(r.layout, "letter");
	ck_assert_uint_eq(r.noutputs, 2);
	ck_assert_uint_eq(r.nprint, 1);
	ck_assert_str_eq(r.outputs[0].name, "run.ps");
	ck_assert_uint_eq(r.outputs[0].size, 1234);
	ck_assert_uint_eq(r.outputs[0].pages, 4);
	ck_assert(memcmp(r.outputs[0].sha256, m.outputs[0].sha256, 32) == 0);
	ck_assert_uint_eq(r.ninputs, 1);
	ck_assert_uint_eq(r.nletters, 2);
	ck_assert_str_eq(r.letters[0].serial, "2026-0699990Z-000001");
	ck_assert_str_eq(r.letters[0].label, "4B-001");
	ck_assert_ptr_null(r.letters[0].replaces);
	ck_assert_uint_eq(r.letters[0].range[0].start, 100);
	ck_assert_uint_eq(r.letters[0].range[0].end, 600);
	ck_assert(memcmp(r.letters[0].range[0].sha256,
	    m.letters[0].range[0].sha256, 32) == 0);
	ck_assert_str_eq(r.letters[0].accounts[0].name, "Léa Martin");
	ck_assert(memcmp(r.letters[0].accounts[0].fp,
	    m.letters[0].accounts[0].fp, 32) == 0);
	ck_assert_str_eq(r.letters[1].replaces, "2025-0699990Z-000077");
	ck_assert_uint_eq(r.letters[1].naccounts, 2);
	ck_assert_uint_eq(r.letters[1].naddress, 2);
	ck_assert_str_eq(r.letters[1].address[1], "69100 VILLEURBANNE");
	ck_assert_uint_eq(r.letters[1].last_page, 4);
	manifest_free(&r);
	manifest_free(&m);
}
END_TEST

/* Same record, same bytes; one letter a line after the head. */
START_TEST(test_deterministic)
{
	struct manifest	 m;
	uint8_t		 a[32], b[32];
	char		 other[320], line[4096];
	FILE		*fp;
	int		 letters = 0;

	sample(&m);
	write_ok(&m, path, a);
	snprintf(other, sizeof(other), "%s/again.json", dir);
	write_ok(&m, other, b);
	ck_assert(memcmp(a, b, 32) == 0);
	manifest_free(&m);

	ck_assert_ptr_nonnull(fp = fopen(path, "r"));
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), fp));
	ck_assert_str_eq(line, "{\n");
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), fp));
	ck_assert_str_eq(line, " \"format\": \"entpress-manifest\",\n");
	while (fgets(line, sizeof(line), fp) != NULL)
		if (strncmp(line, "  {\"serial\": ", 13) == 0)
			letters++;
	fclose(fp);
	ck_assert_int_eq(letters, 2);
}
END_TEST

START_TEST(test_refused)
{
	struct manifest	 m;
	FILE		*fp;
	char		 cap[4096];

	memset(cap, 0, sizeof(cap));
	setvbuf(null, NULL, _IONBF, 0);
	fclose(null);
	null = fmemopen(cap, sizeof(cap) - 1, "w");
	diag_set_stream(null);

	manifest_init(&m);
	ck_assert_int_eq(manifest_load(path, &m), -1);	/* no file */
	manifest_free(&m);

	ck_assert_ptr_nonnull(fp = fopen(path, "w"));
	fputs("{\"format\": \"entpress-manifest\", \"version\": 9}", fp);
	fclose(fp);
	manifest_init(&m);
	ck_assert_int_eq(manifest_load(path, &m), -1);
	manifest_free(&m);

	ck_assert_ptr_nonnull(fp = fopen(path, "w"));
	fputs("[1, 2", fp);
	fclose(fp);
	manifest_init(&m);
	ck_assert_int_eq(manifest_load(path, &m), -1);
	manifest_free(&m);

	ck_assert_ptr_nonnull(fp = fopen(path, "w"));
	fputs("{\"format\": \"entpress-manifest\", \"version\": 1, \"run\": "
	    "{}, \"outputs\": [], \"inputs\": [], \"letters\": [{}]}", fp);
	fclose(fp);
	manifest_init(&m);
	ck_assert_int_eq(manifest_load(path, &m), -1);
	manifest_free(&m);
	fflush(null);

	ck_assert_ptr_nonnull(strstr(cap, "SYSERR: cannot open"));
	ck_assert_ptr_nonnull(strstr(cap, "ERROR: not an entpress manifest: "
	    "version 9, this entpress reads version 1"));
	ck_assert_ptr_nonnull(strstr(cap, "ERROR: not an entpress manifest: "
	    "line 1"));
	ck_assert_ptr_nonnull(strstr(cap, "ERROR: not an entpress manifest: "
	    "missing or invalid \"serial\""));
}
END_TEST

START_TEST(test_relpath)
{
	struct buf	 b;
	char		 sub[320], m[320], f[340];

	buf_init(&b);
	snprintf(sub, sizeof(sub), "%s/ps", dir);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	snprintf(m, sizeof(m), "%s/run.json", dir);

	snprintf(f, sizeof(f), "%s/run.ps", dir);
	ck_assert_int_eq(manifest_relpath(m, f, &b), 0);
	ck_assert_str_eq(b.p, "run.ps");
	snprintf(f, sizeof(f), "%s/ps/run.ps", dir);
	ck_assert_int_eq(manifest_relpath(m, f, &b), 0);
	ck_assert_str_eq(b.p, "ps/run.ps");
	/* The manifest below the run: the run's absolute name. */
	snprintf(m, sizeof(m), "%s/ps/run.json", dir);
	snprintf(f, sizeof(f), "%s/run.ps", dir);
	ck_assert_int_eq(manifest_relpath(m, f, &b), 0);
	ck_assert_str_eq(b.p + strlen(b.p) - 7, "/run.ps");
	ck_assert_int_eq(b.p[0], '/');

	manifest_locate("archive/2026/run.json", "run.ps", &b);
	ck_assert_str_eq(b.p, "archive/2026/run.ps");
	manifest_locate("run.json", "ps/run.ps", &b);
	ck_assert_str_eq(b.p, "ps/run.ps");
	manifest_locate("a/run.json", "/srv/run.ps", &b);
	ck_assert_str_eq(b.p, "/srv/run.ps");
	buf_free(&b);
}
END_TEST

static Suite *
manifest_suite(void)
{
	Suite	*s = suite_create("manifest");
	TCase	*tc = tcase_create("Core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_roundtrip);
	tcase_add_test(tc, test_deterministic);
	tcase_add_test(tc, test_refused);
	tcase_add_test(tc, test_relpath);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	if (cred_init() != 0)
		return 99;
	sr = srunner_create(manifest_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}

/*
 * check_export: the CSV reader, the manual-accounts CSV, the ENT account
 * export, and the CSV and LDIF writers.
 *
 * Inputs are strings read through fmemopen, so each case shows the exact
 * bytes it feeds; outputs go to a private temporary directory and are
 * compared byte for byte.  Diagnostics are captured and compared with
 * their FILE:LINE:COL, which is what an administrator will see.
 */
#include "config.h"

#include <sys/stat.h>

#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aaf.h"
#include "credentials.h"
#include "csv.h"
#include "diag.h"
#include "directory.h"
#include "export.h"
#include "fixture_small.h"
#include "manual.h"
#include "mem.h"
#include "outw.h"

/* --- helpers -------------------------------------------------------- */

static char	*cap_buf;
static size_t	 cap_len;
static FILE	*cap_fp;

static void
cap_start(void)
{
	cap_fp = open_memstream(&cap_buf, &cap_len);
	diag_set_stream(cap_fp);
	diag_reset();
}

static const char *
cap_text(void)
{
	fflush(cap_fp);
	return cap_buf != NULL ? cap_buf : "";
}

static void
cap_stop(void)
{
	if (cap_fp != NULL)
		fclose(cap_fp);
	free(cap_buf);
	cap_fp = NULL;
	cap_buf = NULL;
	cap_len = 0;
	diag_set_stream(NULL);
}

/* A FILE reading the bytes of s (fmemopen refuses an empty buffer). */
static FILE *
mem_in(const char *s)
{
	FILE	*fp;

	fp = fmemopen((void *)(*s != '\0' ? s : "\n"), *s != '\0' ?
	    strlen(s) : 0, "r");
	ck_assert_ptr_nonnull(fp);
	return fp;
}

static void
csv_mem(struct csv *c, FILE **fp, const char *s)
{
	*fp = mem_in(s);
	ck_assert_int_eq(csv_open_fp(c, *fp, "t.csv"), 0);
}

static void
csv_done(struct csv *c, FILE *fp)
{
	csv_close(c);
	fclose(fp);
}

static char	 tmpdir[64];

static void
tmp_setup(void)
{
	const char	*t = getenv("TMPDIR");

	snprintf(tmpdir, sizeof(tmpdir), "%s/check_export.XXXXXX",
	    t != NULL && strlen(t) < 30 ? t : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	cap_start();
}

static void
tmp_teardown(void)
{
	struct dirent	*e;
	DIR		*dp;
	char		*p;

	cap_stop();
	if ((dp = opendir(tmpdir)) != NULL) {
		while ((e = readdir(dp)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 ||
			    strcmp(e->d_name, "..") == 0)
				continue;
			xasprintf(&p, "%s/%s", tmpdir, e->d_name);
			unlink(p);
			free(p);
		}
		closedir(dp);
	}
	rmdir(tmpdir);
}

static char *
tmp_path(const char *name)
{
	char	*p;

	xasprintf(&p, "%s/%s", tmpdir, name);
	return p;
}

/* The whole file; *len its size. */
static char *
slurp(const char *path, size_t *len)
{
	FILE	*fp;
	char	*s;
	long	 n;

	fp = fopen(path, "rb");
	ck_assert_ptr_nonnull(fp);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	s = xmalloc((size_t)n + 1);
	ck_assert_uint_eq(fread(s, 1, (size_t)n, fp), (size_t)n);
	s[n] = '\0';
	fclose(fp);
	*len = (size_t)n;
	return s;
}

/* Only the final file in the directory: no temporary left behind. */
static void
assert_alone(void)
{
	struct dirent	*e;
	DIR		*dp;
	int		 n = 0;

	dp = opendir(tmpdir);
	ck_assert_ptr_nonnull(dp);
	while ((e = readdir(dp)) != NULL)
		n += e->d_name[0] != '.';
	closedir(dp);
	ck_assert_int_eq(n, 1);
}

static void
assert_mode_0600(const char *path)
{
	struct stat	 st;

	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
}

/* --- csv reader ----------------------------------------------------- */

START_TEST(test_csv_bom_semicolon_crlf)
{
	struct csv	 c;
	FILE		*fp;

	csv_mem(&c, &fp, "\xEF\xBB\xBFLogin;Code d'activation\r\n"
	    "jean.dupont;k7Tm9qRw\r\nzoe.elan;\r\n");
	ck_assert_int_eq(c.delim, ';');
	ck_assert_int_eq(csv_column(&c, (const char *[]){ "login", NULL }), 0);
	ck_assert_int_eq(csv_column(&c,
	    (const char *[]){ "activationCode", "Code d'activation", NULL }),
	    1);
	ck_assert_int_eq(csv_next(&c), 1);
	ck_assert_uint_eq(csv_nfields(&c), 2);
	ck_assert_str_eq(csv_get(&c, 0), "jean.dupont");
	ck_assert_str_eq(csv_get(&c, 1), "k7Tm9qRw");
	ck_assert_int_eq(csv_next(&c), 1);
	ck_assert_str_eq(csv_get(&c, 0), "zoe.elan");
	ck_assert_str_eq(csv_get(&c, 1), "");
	ck_assert_str_eq(csv_get(&c, 7), "");
	ck_assert_int_eq(csv_next(&c), 0);
	csv_done(&c, fp);
	ck_assert_str_eq(cap_text(), "");
}
END_TEST

START_TEST(test_csv_comma_quotes)
{
	struct csv	 c;
	FILE		*fp;

	csv_mem(&c, &fp, "login,activationCode,note\n"
	    "\"a,b\",\"he said \"\"hi\"\"\",x;y\n"
	    "\"\",\"\"\"\",last");
	ck_assert_int_eq(c.delim, ',');
	ck_assert_int_eq(csv_next(&c), 1);
	ck_assert_str_eq(csv_get(&c, 0), "a,b");
	ck_assert_str_eq(csv_get(&c, 1), "he said \"hi\"");
	ck_assert_str_eq(csv_get(&c, 2), "x;y");
	ck_assert_int_eq(csv_next(&c), 1);
	ck_assert_str_eq(csv_get(&c, 0), "");
	ck_assert_str_eq(csv_get(&c, 1), "\"");
	ck_assert_str_eq(csv_get(&c, 2), "last");
	ck_assert_int_eq(csv_next(&c), 0);
	csv_done(&c, fp);
	ck_assert_str_eq(cap_text(), "");
}
END_TEST

START_TEST(test_csv_embedded_newlines)
{
	struct csv	 c;
	struct diag_pos	 pos;
	FILE		*fp;

	csv_mem(&c, &fp, "a;b\r\n\"12 rue Haute\r\nBât. C\";z\r\n"
	    "\"one\ntwo\nthree\";y\nnext;row\r\n");
	ck_assert_int_eq(csv_next(&c), 1);
	ck_assert_str_eq(csv_get(&c, 0), "12 rue Haute\nBât. C");
	ck_assert_str_eq(csv_get(&c, 1), "z");
	csv_pos(&c, 1, &pos);
	ck_assert_uint_eq(pos.line, 3);
	ck_assert_int_eq(csv_next(&c), 1);
	ck_assert_str_eq(csv_get(&c, 0), "one\ntwo\nthree");
	csv_pos(&c, -1, &pos);
	ck_assert_uint_eq(pos.line, 4);
	ck_assert_int_eq(csv_next(&c), 1);
	ck_assert_str_eq(csv_get(&c, 0), "next");
	csv_pos(&c, 1, &pos);
	ck_assert_str_eq(pos.file, "t.csv");
	ck_assert_uint_eq(pos.line, 7);
	ck_assert_uint_eq(pos.col, 6);
	ck_assert_int_eq(csv_next(&c), 0);
	csv_done(&c, fp);
}
END_TEST

START_TEST(test_csv_unterminated_quote)
{
	struct csv	 c;
	FILE		*fp;

	csv_mem(&c, &fp, "a;b\nok;1\nbad;\"2\nafter;3\nlast;4\n");
	ck_assert_int_eq(csv_next(&c), 1);
	ck_assert_str_eq(csv_get(&c, 0), "ok");
	ck_assert_int_eq(csv_next(&c), 1);
	ck_assert_str_eq(csv_get(&c, 0), "after");
	ck_assert_str_eq(csv_get(&c, 1), "3");
	ck_assert_int_eq(csv_next(&c), 1);
	ck_assert_str_eq(csv_get(&c, 0), "last");
	ck_assert_int_eq(csv_next(&c), 0);
	csv_done(&c, fp);
	ck_assert_str_eq(cap_text(), "entpress: t.csv:3:5: ERROR: malformed "
	    "CSV line, skipped: quote never closed\n");
	ck_assert_int_eq(diag_worst(), LEVEL_ERROR);
}
END_TEST

START_TEST(test_csv_malformed_lines)
{
	struct csv	 c;
	FILE		*fp;

	csv_mem(&c, &fp, "a;b\n\"x\"y;1\nz;2\n\xC3\x28;3\nw;\"\xE9t\xE9\"\n"
	    "ok;\"fine\"\n");
	ck_assert_int_eq(csv_next(&c), 1);
	ck_assert_str_eq(csv_get(&c, 0), "z");
	ck_assert_int_eq(csv_next(&c), 1);
	ck_assert_str_eq(csv_get(&c, 0), "ok");
	ck_assert_str_eq(csv_get(&c, 1), "fine");
	ck_assert_int_eq(csv_next(&c), 0);
	csv_done(&c, fp);
	ck_assert_str_eq(cap_text(),
	    "entpress: t.csv:2:4: ERROR: malformed CSV line, skipped: "
	    "text after a closing quote\n"
	    "entpress: t.csv:4:1: ERROR: malformed CSV line, skipped: "
	    "invalid UTF-8 (the file must be saved as UTF-8)\n"
	    "entpress: t.csv:5:3: ERROR: malformed CSV line, skipped: "
	    "invalid UTF-8 (the file must be saved as UTF-8)\n");
}
END_TEST

START_TEST(test_csv_blank_and_cr)
{
	struct csv	 c;
	FILE		*fp;

	/* Excel's empty rows, and old Mac line ends. */
	csv_mem(&c, &fp, "a;b\r\r\n;;\r\nx;y\r;\rp;q");
	ck_assert_int_eq(csv_next(&c), 1);
	ck_assert_str_eq(csv_get(&c, 0), "x");
	ck_assert_int_eq(csv_next(&c), 1);
	ck_assert_str_eq(csv_get(&c, 0), "p");
	ck_assert_str_eq(csv_get(&c, 1), "q");
	ck_assert_int_eq(csv_next(&c), 0);
	csv_done(&c, fp);
	ck_assert_str_eq(cap_text(), "");
}
END_TEST

START_TEST(test_csv_header_lookup)
{
	struct csv	 c;
	FILE		*fp;

	csv_mem(&c, &fp, " Prénom ;CODE D\xE2\x80\x99" "ACTIVATION;last_name;"
	    "Nom\nZoé;abc; Élan ;x\n");
	ck_assert_int_eq(csv_column(&c, (const char *[]){ "prenom", NULL }),
	    0);
	ck_assert_int_eq(csv_column(&c,
	    (const char *[]){ "Code d'activation", NULL }), 1);
	ck_assert_int_eq(csv_column(&c,
	    (const char *[]){ "LAST NAME", "nom", NULL }), 2);
	ck_assert_int_eq(csv_column(&c, (const char *[]){ "nom", NULL }), 3);
	ck_assert_int_eq(csv_column(&c, (const char *[]){ "login", NULL }),
	    -1);
	ck_assert_int_eq(csv_next(&c), 1);
	ck_assert_str_eq(csv_get(&c, 2), " Élan ");
	ck_assert_str_eq(csv_value(&c, 2), "Élan");
	ck_assert_str_eq(csv_value(&c, 2), "Élan");
	ck_assert_str_eq(csv_value(&c, 9), "");
	csv_done(&c, fp);
}
END_TEST

START_TEST(test_csv_empty_file)
{
	struct csv	 c;
	FILE		*fp;

	csv_mem(&c, &fp, "");
	ck_assert_uint_eq(c.nhdr, 0);
	ck_assert_int_eq(csv_column(&c, (const char *[]){ "login", NULL }),
	    -1);
	ck_assert_int_eq(csv_next(&c), 0);
	csv_done(&c, fp);
}
END_TEST

/* --- manual accounts ------------------------------------------------ */

static struct directory	 d;

static void
dir_setup(void)
{
	directory_init(&d);
	cap_start();
	ck_assert_int_eq(aaf_read_memory(&d, "small.xml", SMALL_DOC,
	    strlen(SMALL_DOC), 0), 0);
}

static void
dir_teardown(void)
{
	cap_stop();
	directory_free(&d);
}

static int
manual_mem(const char *s)
{
	FILE	*fp = mem_in(s);
	int	 r;

	r = manual_read_fp(&d, fp, "manual.csv");
	fclose(fp);
	directory_resolve(&d);
	manual_resolve(&d);
	return r;
}

static struct dir_person *
manual_find(enum dir_profile prof, const char *last, const char *first,
    const char *email)
{
	struct dir_person	*p;
	struct buf		 k;

	buf_init(&k);
	manual_key(&k, prof, last, first, email);
	p = directory_person(&d, CAT_MANUAL, k.p);
	buf_free(&k);
	return p;
}

START_TEST(test_manual_valid)
{
	struct dir_person	*p;
	struct dir_class	*c6a = NULL;
	size_t			 i;

	unsigned long		 added = d.stats.added;
	char			*want;

	ck_assert_int_eq(manual_mem(
	    "profile;last_name;first_name;class;email;address;postcode;city;"
	    "country\r\n"
	    "guest;Ndiaye;Awa;;Awa.Ndiaye@Example.org;\"3 place Bellecour\r\n"
	    "Bât. B\";69002;Lyon;\r\n"
	    "Élève;Nouveau;Théo;6A;;;;;\r\n"
	    "enseignant;Remplaçant;Jules;\"6A, 4B\";;;;;\r\n"
	    "invité;Sans;;;;;1000;Bourg;\r\n"), 0);
	p = manual_find(PROFILE_GUEST, "NDIAYE", "awa",
	    "awa.ndiaye@example.org");
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(p->origin, ORIGIN_MANUAL);
	ck_assert_int_eq(p->profile, PROFILE_GUEST);
	ck_assert_int_eq(strncmp(p->id, "manual:", 7), 0);
	ck_assert_uint_eq(strlen(p->id), 7 + 16);
	ck_assert_str_eq(p->last_name, "Ndiaye");
	ck_assert_str_eq(p->first_name, "Awa");
	ck_assert_str_eq(p->mail, "awa.ndiaye@example.org");
	ck_assert_str_eq(p->address, "3 place Bellecour$Bât. B");
	ck_assert_str_eq(p->postcode, "69002");
	ck_assert_str_eq(p->city, "Lyon");
	ck_assert_ptr_null(p->country);
	ck_assert_uint_eq(p->src.line, 2);
	/* Two schools in the export: no class, no school to give. */
	ck_assert_ptr_null(p->school);

	p = manual_find(PROFILE_STUDENT, "Nouveau", "Théo", NULL);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(p->ncls, 1);
	ck_assert_str_eq(p->cls[0]->code, "6A");
	ck_assert_str_eq(p->school->uai, "0690001A");
	for (i = 0; i < d.nclasses; i++)
		if (strcmp(d.classes[i]->code, "6A") == 0)
			c6a = d.classes[i];
	ck_assert_ptr_nonnull(c6a);
	ck_assert_uint_eq(c6a->nstudents, 2);
	ck_assert_ptr_eq(c6a->students[1], p);

	/* 6A is one class; 4B is in both schools, so it is not guessed. */
	p = manual_find(PROFILE_TEACHER, "Remplacant", "Jules", "");
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(p->ncls, 1);
	ck_assert_ptr_eq(p->cls[0], c6a);
	ck_assert_uint_eq(c6a->nteachers, 1);
	xasprintf(&want, "entpress: manual.csv:6:18: WARNING: manual account "
	    "field missing or invalid, using a default: postcode 1000 read as "
	    "01000\n"
	    "entpress: manual.csv:5:0: WARNING: manual account field missing "
	    "or invalid, using a default: %s: class 4B is in 2 schools, "
	    "account kept without it; add a school column\n", p->id);
	ck_assert_str_eq(cap_text(), want);
	free(want);

	p = manual_find(PROFILE_GUEST, "Sans", "", NULL);
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_null(p->first_name);
	ck_assert_str_eq(p->postcode, "01000");
	ck_assert_uint_eq(d.stats.added - added, 4);
	ck_assert_int_eq(diag_worst(), LEVEL_WARNING);
}
END_TEST

START_TEST(test_manual_errors)
{
	unsigned long	 added = d.stats.added, skipped = d.stats.skipped;

	ck_assert_int_eq(manual_mem(
	    "profil;nom;prénom;classe;courriel\n"
	    "admin;Dupont;Jean;;\n"
	    "guest;;Jean;;\n"
	    "guest;Dupont;Jean;;jean@\n"
	    "staff;Martin;Eve;;eve@example.org\n"
	    "staff;MARTIN;Ève;;EVE@example.org\n"
	    "student;Seul;Tom;9Z;\n"), 0);
	ck_assert_uint_eq(d.stats.added - added, 3);
	ck_assert_uint_eq(d.stats.skipped - skipped, 2);
	ck_assert_ptr_nonnull(manual_find(PROFILE_GUEST, "Dupont", "Jean", ""));
	ck_assert_ptr_nonnull(manual_find(PROFILE_STAFF, "Martin", "Eve",
	    "eve@example.org"));
	ck_assert_int_eq(diag_worst(), LEVEL_ERROR);
	ck_assert_ptr_nonnull(strstr(cap_text(), "entpress: manual.csv:2:1: "
	    "ERROR: malformed CSV line, skipped: profile \"admin\" is none of "
	    "student, teacher, staff, parent, guest\n"));
	ck_assert_ptr_nonnull(strstr(cap_text(), "entpress: manual.csv:3:7: "
	    "ERROR: malformed CSV line, skipped: no last name\n"));
	ck_assert_ptr_nonnull(strstr(cap_text(), "entpress: manual.csv:4:20: "
	    "WARNING: manual account field missing or invalid, using a "
	    "default: email \"jean@\" is not an address, left out\n"));
	ck_assert_ptr_nonnull(strstr(cap_text(), "entpress: manual.csv:6:0: "
	    "WARNING: manual account field missing or invalid, using a "
	    "default: staff Ève MARTIN: same profile, names and email as an "
	    "earlier line, kept once\n"));
	ck_assert_ptr_nonnull(strstr(cap_text(), "class 9Z is not in the "
	    "export, account kept without it\n"));
	ck_assert_ptr_nonnull(strstr(cap_text(), "WARNING: student without a "
	    "class: student manual:"));
}
END_TEST

START_TEST(test_manual_school_column)
{
	struct dir_person	*p;

	ck_assert_int_eq(manual_mem(
	    "country;city;profile;last_name;first_name;school;class\n"
	    "FRANCE;Lyon;student;Neuf;Ana;0690002B;4b\n"
	    "BELGIQUE;Liège;parent;Loin;Max;2;\n"
	    "FRANCE;;student;Nulle;Part;9999999Z;4B\n"), 0);
	p = manual_find(PROFILE_STUDENT, "Neuf", "Ana", NULL);
	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(p->school->uai, "0690002B");
	ck_assert_uint_eq(p->ncls, 1);
	ck_assert_str_eq(p->cls[0]->code, "4B");
	ck_assert_ptr_eq(p->cls[0]->school, p->school);
	ck_assert_str_eq(p->country, "FRANCE");
	p = manual_find(PROFILE_PARENT, "Loin", "Max", NULL);
	ck_assert_str_eq(p->school->id, "2");
	ck_assert_str_eq(p->city, "Liège");
	p = manual_find(PROFILE_STUDENT, "Nulle", "Part", NULL);
	ck_assert_ptr_null(p->school);
	ck_assert_uint_eq(p->ncls, 0);
	ck_assert_ptr_nonnull(strstr(cap_text(), "school 9999999Z is not in "
	    "the export"));
	ck_assert_ptr_nonnull(strstr(cap_text(), "class 4B is in 2 schools, "
	    "account kept without it; add a school column\n"));
}
END_TEST

START_TEST(test_manual_no_header)
{
	unsigned long	 added = d.stats.added;

	ck_assert_int_eq(manual_mem("Dupont;Jean;guest\n"), -1);
	ck_assert_str_eq(cap_text(), "entpress: manual.csv:1:0: ERROR: "
	    "malformed CSV line, skipped: no profile column in the header "
	    "line, file skipped; expected profile;last_name;first_name;class;"
	    "email;address;postcode;city;country\n");
	ck_assert_uint_eq(d.stats.added, added);
}
END_TEST

START_TEST(test_manual_key)
{
	struct buf	 a, b;

	buf_init(&a);
	buf_init(&b);
	manual_key(&a, PROFILE_GUEST, "D'Almeida", "Zoé", "Z@Example.org");
	manual_key(&b, PROFILE_GUEST, "d almeida", "ZOE", "z@example.org");
	ck_assert_str_eq(a.p, b.p);
	manual_key(&b, PROFILE_STAFF, "d almeida", "ZOE", "z@example.org");
	ck_assert_str_ne(a.p, b.p);
	manual_key(&b, PROFILE_GUEST, "d almeida", "ZOE", "");
	ck_assert_str_ne(a.p, b.p);
	/* Names cannot slide from one field into the other. */
	manual_key(&a, PROFILE_GUEST, "ab", "c", NULL);
	manual_key(&b, PROFILE_GUEST, "a", "bc", NULL);
	ck_assert_str_ne(a.p, b.p);
	/* Pinned: the ledger finds manual accounts by this key. */
	manual_key(&a, PROFILE_GUEST, "Dupont", "Jean", NULL);
	ck_assert_str_eq(a.p, "manual:57dbe45444e789b3");
	ck_assert_int_eq(manual_profile(" Élève "), PROFILE_STUDENT);
	ck_assert_int_eq(manual_profile("INVITE"), PROFILE_GUEST);
	ck_assert_int_eq(manual_profile("Personnel"), PROFILE_STAFF);
	ck_assert_int_eq(manual_profile("pupil"), PROFILE_NONE);
	buf_free(&a);
	buf_free(&b);
}
END_TEST

/* --- the ENT account export ----------------------------------------- */

struct seen {
	char	 log[512];
	int	 n;
};

static int
seen_cb(void *arg, const char *login, int activated,
    const struct diag_pos *pos)
{
	struct seen	*s = arg;
	size_t		 len = strlen(s->log);

	snprintf(s->log + len, sizeof(s->log) - len, "%s=%s@%u ", login,
	    activated ? "active" : "inactive", pos->line);
	return ++s->n == 100 ? -1 : 0;
}

static int
import_mem(const char *text, struct seen *s)
{
	FILE	*fp = mem_in(text);
	int	 r;

	memset(s, 0, sizeof(*s));
	r = accounts_import_read_fp(fp, "ent.csv", seen_cb, s);
	fclose(fp);
	return r;
}

START_TEST(test_import_states)
{
	struct seen	 s;

	ck_assert_int_eq(import_mem("\xEF\xBB\xBFNom;Prénom;Login;"
	    "Code d'activation;Profil\r\n"
	    "DUPONT;Jean;jean.dupont;k7Tm9qRw;Élève\r\n"
	    "MARTIN;Léa;lea.martin;;Élève\r\n"
	    "ELAN;Zoé;zoe.elan;  ;Parent\r\n"
	    "X;Y;;abcd;Parent\r\n", &s), 0);
	ck_assert_str_eq(s.log, "jean.dupont=inactive@2 lea.martin=active@3 "
	    "zoe.elan=active@4 ");
	ck_assert_str_eq(cap_text(), "entpress: ent.csv:5:5: ERROR: malformed "
	    "CSV line, skipped: no login\n");

	cap_stop();
	cap_start();
	ck_assert_int_eq(import_mem("id,activationCode,login\n"
	    "1,,a.b\n2,\"xy\",c.d\n", &s), 0);
	ck_assert_str_eq(s.log, "a.b=active@2 c.d=inactive@3 ");
	ck_assert_str_eq(cap_text(), "");
}
END_TEST

START_TEST(test_import_missing_column)
{
	struct seen	 s;

	ck_assert_int_eq(import_mem("Nom;Login;Code\na;b;c\n", &s), -1);
	ck_assert_int_eq(s.n, 0);
	ck_assert_str_eq(cap_text(), "entpress: ent.csv:1:0: ERROR: malformed "
	    "CSV line, skipped: no activation code column in the header line, "
	    "file skipped; expected Login (or login) and Code d'activation (or "
	    "activationCode)\n");
	cap_stop();
	cap_start();
	ck_assert_int_eq(accounts_import_read("/nonexistent/ent.csv", seen_cb,
	    &s), -1);
	ck_assert_int_eq(diag_worst(), LEVEL_SYSERR);
}
END_TEST

/* --- CSV writer ----------------------------------------------------- */

#define BOM	"\xEF\xBB\xBF"

START_TEST(test_csv_write_header_and_quoting)
{
	struct export_row	 rows[] = {
		{ "9100007", PROFILE_STUDENT, "O\"Neil; Jr", "Léa", "4B",
		    "lea.oneil", "k7Tm9qRw", NULL },
		{ "manual:0123456789abcdef", PROFILE_GUEST, " Espace",
		    "deux\nlignes", NULL, "x.y", NULL, NULL },
		{ "t1", PROFILE_TEACHER, "Prof", "Alice", "4B,6A", "alice.prof",
		    "abcdefgh", NULL },
	};
	char		*path = tmp_path("run.csv"), *s;
	size_t		 len;

	ck_assert_int_eq(export_csv(path, rows, 3, EXPORT_UTF8BOM), 0);
	s = slurp(path, &len);
	ck_assert_str_eq(s, BOM
	    "Identifiant;Profil;Nom;Prénom;Classes;Login;Code d'activation\r\n"
	    "9100007;Élève;\"O\"\"Neil; Jr\";Léa;4B;lea.oneil;k7Tm9qRw\r\n"
	    "manual:0123456789abcdef;Invité;\" Espace\";\"deux\nlignes\";;"
	    "x.y;\r\n"
	    "t1;Enseignant;Prof;Alice;4B,6A;alice.prof;abcdefgh\r\n");
	ck_assert_int_eq(memcmp(s, "\xEF\xBB\xBF" "Identifiant;Profil;Nom;"
	    "Pr\xC3\xA9nom;", 31), 0);
	assert_mode_0600(path);
	assert_alone();
	ck_assert_str_eq(cap_text(), "");
	free(s);
	free(path);
}
END_TEST

START_TEST(test_csv_write_formulas)
{
	struct export_row	 rows[] = {
		{ "1", PROFILE_PARENT, "=1+1", "+33612345678", "-x", "@SUM(A1)",
		    "abcd", NULL },
		{ "-2", PROFILE_STAFF, "\tTab", "=1;2", "=HYPERLINK(\"http://x\")",
		    "a.b", NULL, NULL },
	};
	char		*path = tmp_path("f.csv"), *s;
	size_t		 len;

	ck_assert_int_eq(export_csv(path, rows, 2, EXPORT_UTF8BOM), 0);
	s = slurp(path, &len);
	ck_assert_str_eq(strchr(s, '\n') + 1,
	    "1;Parent;'=1+1;'+33612345678;'-x;'@SUM(A1);abcd\r\n"
	    "'-2;Personnel;'\tTab;\"'=1;2\";"
	    "\"'=HYPERLINK(\"\"http://x\"\")\";a.b;\r\n");
	free(s);
	free(path);
}
END_TEST

START_TEST(test_csv_write_cp1252)
{
	struct export_row	 rows[] = {
		{ "9100007", PROFILE_STUDENT, "Cœur", "Éloïse", "6€", "e.coeur",
		    "k7Tm9qRw", NULL },
		{ "9100008", PROFILE_GUEST, "Łukasz", "Ștefan", NULL, "l.s",
		    "abcdefgh", NULL },
		{ "9100009", PROFILE_PARENT, "Παπαδόπουλος", "Ō", NULL, "p.p",
		    "abcdefgh", NULL },
	};
	char		*path = tmp_path("w.csv"), *s;
	size_t		 len;

	ck_assert_int_eq(export_csv(path, rows, 3, EXPORT_CP1252), 0);
	s = slurp(path, &len);
	ck_assert_str_eq(s,
	    "Identifiant;Profil;Nom;Pr\xE9nom;Classes;Login;Code d'activation\r\n"
	    "9100007;\xC9l\xE8ve;C\x9Cur;\xC9lo\xEFse;6\x80;e.coeur;k7Tm9qRw\r\n"
	    "9100008;Invit\xE9;Lukasz;Stefan;;l.s;abcdefgh\r\n"
	    "9100009;Parent;????????????;O;;p.p;abcdefgh\r\n");
	free(s);
	/* One warning per account, the worst kind, naming its id. */
	xasprintf(&s, "entpress: %s:3:0: WARNING: character not in the "
	    "fonts, transliterated: CP1252 CSV, id 9100008: U+0141 written as "
	    "L, and others\n"
	    "entpress: %s:4:0: WARNING: character cannot be printed, shown as "
	    "?: CP1252 CSV, id 9100009: U+03A0 written as ?, and others\n",
	    path, path);
	ck_assert_str_eq(cap_text(), s);
	free(s);
	free(path);
}
END_TEST

/* What the writer writes, the reader reads back, field for field. */
START_TEST(test_csv_round_trip)
{
	struct export_row	 rows[] = {
		{ "9100007", PROFILE_STUDENT, "O\"Neil; Jr", "deux\nlignes",
		    "4B,6A", "lea.oneil", "k7Tm9qRw", NULL },
		{ "2", PROFILE_GUEST, "=cmd|' /C calc'!A0", " Zoé ", NULL,
		    "z.z", NULL, NULL },
	};
	static const char *const want[2][7] = {
		{ "9100007", "Élève", "O\"Neil; Jr", "deux\nlignes", "4B,6A",
		    "lea.oneil", "k7Tm9qRw" },
		{ "2", "Invité", "'=cmd|' /C calc'!A0", " Zoé ", "", "z.z", "" },
	};
	static const char *const cols[] = { "Identifiant", "Profil", "Nom",
	    "Prénom", "Classes", "Login", "Code d'activation" };
	struct csv		 c;
	char			*path = tmp_path("rt.csv");
	const char		*names[2];
	int			 i, j;

	ck_assert_int_eq(export_csv(path, rows, 2, EXPORT_UTF8BOM), 0);
	ck_assert_int_eq(csv_open(&c, path), 0);
	ck_assert_int_eq(c.delim, ';');
	names[1] = NULL;
	for (j = 0; j < 7; j++) {
		names[0] = cols[j];
		ck_assert_int_eq(csv_column(&c, names), j);
	}
	for (i = 0; i < 2; i++) {
		ck_assert_int_eq(csv_next(&c), 1);
		ck_assert_uint_eq(csv_nfields(&c), 7);
		for (j = 0; j < 7; j++)
			ck_assert_str_eq(csv_get(&c, j), want[i][j]);
	}
	ck_assert_int_eq(csv_next(&c), 0);
	csv_close(&c);
	ck_assert_int_eq(csv_open(&c, "/nonexistent/x.csv"), -1);
	csv_close(&c);
	ck_assert_ptr_nonnull(strstr(cap_text(), "SYSERR: cannot open"));
	free(path);
}
END_TEST

/* --- LDIF writer ---------------------------------------------------- */

/* The LDIF with its folds undone: continuation lines joined. */
static char *
unfold(const char *s)
{
	char	*u = xmalloc(strlen(s) + 1), *o = u;

	for (; *s != '\0'; s++) {
		if (s[0] == '\n' && s[1] == ' ') {
			s++;
			continue;
		}
		*o++ = *s;
	}
	*o = '\0';
	return u;
}

/* The value of the first "attr: " line at or after from. */
static char *
ldif_value(const char *ldif, const char *attr, const char **from)
{
	char		 key[64];
	const char	*p, *e;

	snprintf(key, sizeof(key), "\n%s: ", attr);
	p = strstr(*from, key);
	ck_assert_msg(p != NULL, "no %s in %s", attr, *from);
	p += strlen(key);
	e = strchr(p, '\n');
	*from = e;
	(void)ldif;
	return xstrndup(p, (size_t)(e - p));
}

static const struct export_ldif_opts *
fast_limits(struct export_ldif_opts *o)
{
	export_ldif_opts_init(o);
	o->limits.ops = 1;
	o->limits.mem = 64 * 1024;
	o->threads = 2;
	return o;
}

START_TEST(test_ldif_entries)
{
	struct export_ldif_opts	 o;
	struct export_row	 rows[] = {
		{ "9100007", PROFILE_STUDENT, "Lefèvre", "Zoé", "4B",
		    "zoe.lefevre", "k7Tm9qRw", "zoe@example.org" },
		{ "t1", PROFILE_TEACHER, "Prof", "Alice", NULL, "alice.prof",
		    "abcdefgh", NULL },
		{ "manual:1", PROFILE_GUEST,
		    "De La Tour D'Auvergne De Montmorency Saint-Germain-des-Prés",
		    "Marie-Charlotte Élisabeth Anne", NULL,
		    "marie-charlotte.delatourdauvergne", "Z9y8X7w6", NULL },
	};
	char			*path = tmp_path("run.ldif"), *s, *u, *v;
	const char		*p, *q;
	size_t			 len, n;
	int			 i;

	ck_assert_int_eq(export_ldif(path, rows, 3, fast_limits(&o)), 0);
	assert_mode_0600(path);
	assert_alone();
	s = slurp(path, &len);

	/* No physical line over 76 bytes; the long cn was folded. */
	for (p = s; *p != '\0'; p = q + 1) {
		q = strchr(p, '\n');
		ck_assert_ptr_nonnull(q);
		ck_assert_uint_le((size_t)(q - p), 76);
	}
	ck_assert_ptr_nonnull(strstr(s, "\n "));
	ck_assert_int_eq(strncmp(s, "version: 1\n\ndn: uid=zoe.lefevre,"
	    "ou=people,dc=ent,dc=invalid\n", 57), 0);

	u = unfold(s);
	for (n = 0, p = u; (p = strstr(p, "\ndn: ")) != NULL; p++)
		n++;
	ck_assert_uint_eq(n, 3);
	ck_assert_ptr_nonnull(strstr(u, "\nobjectClass: inetOrgPerson\n"));
	/* Non-ASCII names in base64: "Lefèvre", "Zoé Lefèvre". */
	ck_assert_ptr_nonnull(strstr(u, "\nsn:: TGVmw6h2cmU=\n"));
	ck_assert_ptr_nonnull(strstr(u, "\ncn:: Wm/DqSBMZWbDqHZyZQ==\n"));
	ck_assert_ptr_nonnull(strstr(u, "\ngivenName:: Wm/DqQ==\n"));
	ck_assert_ptr_nonnull(strstr(u, "\nmail: zoe@example.org\n"));
	ck_assert_ptr_nonnull(strstr(u, "\ncn: Alice Prof\n"));
	ck_assert_ptr_nonnull(strstr(u, "\nuid: marie-charlotte."
	    "delatourdauvergne\n"));

	/* Each hash verifies its own code and no other. */
	for (p = u, i = 0; i < 3; i++) {
		v = ldif_value(u, "userPassword", &p);
		ck_assert_int_eq(strncmp(v, "{ARGON2}$argon2id$v=19$m=64,t=1,",
		    32), 0);
		ck_assert_int_eq(cred_verify(v + 8, rows[i].code), 0);
		ck_assert_int_ne(cred_verify(v + 8, rows[(i + 1) % 3].code),
		    0);
		free(v);
	}
	/* No clear code anywhere in the file. */
	for (i = 0; i < 3; i++)
		ck_assert_ptr_null(strstr(s, rows[i].code));
	ck_assert_str_eq(cap_text(), "");
	free(u);
	free(s);
	free(path);
}
END_TEST

START_TEST(test_ldif_base_and_unsafe)
{
	struct export_ldif_opts	 o;
	struct export_row	 rows[] = {
		{ "1", PROFILE_STAFF, " Espace", ":colon", NULL, "a,b",
		    NULL, "é@example.org" },
	};
	char			*path = tmp_path("b.ldif"), *s;
	size_t			 len;

	fast_limits(&o);
	o.base = "ou=staff,dc=example,dc=org";
	ck_assert_int_eq(export_ldif(path, rows, 1, &o), 0);
	s = slurp(path, &len);
	ck_assert_str_eq(s, "version: 1\n\n"
	    "dn: uid=a\\,b,ou=staff,dc=example,dc=org\n"
	    "objectClass: top\n"
	    "objectClass: person\n"
	    "objectClass: organizationalPerson\n"
	    "objectClass: inetOrgPerson\n"
	    "uid: a,b\n"
	    "cn:: OmNvbG9uICBFc3BhY2U=\n"
	    "sn:: IEVzcGFjZQ==\n"
	    "givenName:: OmNvbG9u\n");
	ck_assert_ptr_nonnull(strstr(cap_text(), "id 1: mail address not "
	    "ASCII, left out of the LDIF\n"));
	free(s);
	free(path);
}
END_TEST

/* A reissue's LDIF replaces the password of existing entries. */
START_TEST(test_ldif_modify)
{
	struct export_ldif_opts	 o;
	struct export_row	 rows[] = {
		{ "9100007", PROFILE_STUDENT, "Lefèvre", "Zoé", "4B",
		    "zoe.lefevre", "k7Tm9qRw", "zoe@example.org" },
		{ "t1", PROFILE_TEACHER, "Prof", "Alice", NULL, "alice.prof",
		    "abcdefgh", NULL },
	};
	char			*path = tmp_path("mod.ldif"), *s, *u, *v;
	const char		*p;
	size_t			 len;
	int			 i;

	fast_limits(&o);
	o.modify = 1;
	ck_assert_int_eq(export_ldif(path, rows, 2, &o), 0);
	s = slurp(path, &len);
	ck_assert_int_eq(strncmp(s, "version: 1\n\n"
	    "dn: uid=zoe.lefevre,ou=people,dc=ent,dc=invalid\n"
	    "changetype: modify\n"
	    "replace: userPassword\n"
	    "userPassword: {ARGON2}$argon2id$", 124), 0);
	ck_assert_ptr_nonnull(strstr(s, "\n-\n\ndn: uid=alice.prof,"));
	ck_assert_int_eq(strcmp(s + len - 3, "\n-\n"), 0);
	/* Nothing but the password: no objectClass, cn or mail. */
	ck_assert_ptr_null(strstr(s, "objectClass"));
	ck_assert_ptr_null(strstr(s, "\ncn"));
	ck_assert_ptr_null(strstr(s, "mail"));
	u = unfold(s);
	for (p = u, i = 0; i < 2; i++) {
		v = ldif_value(u, "userPassword", &p);
		ck_assert_int_eq(cred_verify(v + 8, rows[i].code), 0);
		ck_assert_ptr_null(strstr(s, rows[i].code));
		free(v);
	}
	free(u);
	free(s);
	free(path);
}
END_TEST

START_TEST(test_export_unwritable)
{
	struct export_row	 row = { "1", PROFILE_STAFF, "A", "B", NULL, "b.a",
	    "abcdefgh", NULL };

	ck_assert_int_eq(export_csv("/nonexistent/x.csv", &row, 1,
	    EXPORT_UTF8BOM), -1);
	ck_assert_int_eq(export_ldif("/nonexistent/x.ldif", &row, 1, NULL), -1);
	ck_assert_int_eq(diag_worst(), LEVEL_SYSERR);
	ck_assert_ptr_null(strstr(cap_text(), "abcdefgh"));
}
END_TEST

/*
 * A run with a ledger: the exports are written and finished under their
 * temporary names, and appear only when the caller publishes them.
 */
START_TEST(test_export_two_step)
{
	struct export_ldif_opts	 o;
	struct export_row	 row = { "1", PROFILE_STAFF, "A", "B", NULL, "b.a",
	    "abcdefgh", NULL };
	struct outw		 w, l;
	char			*csv = tmp_path("two.csv"), *ldif = tmp_path("two.ldif");
	struct stat		 st;

	ck_assert_int_eq(outw_open(&w, csv), 0);
	ck_assert_int_eq(export_csv_write(&w, &row, 1, EXPORT_CP1252), 0);
	ck_assert_int_eq(outw_open(&l, ldif), 0);
	ck_assert_int_eq(export_ldif_write(&l, &row, 1, fast_limits(&o)), 0);
	ck_assert_int_ne(stat(csv, &st), 0);
	ck_assert_int_ne(stat(ldif, &st), 0);
	ck_assert_int_eq(stat(w.tmp, &st), 0);
	/* The ledger commit succeeded: publish one; it failed: abort one. */
	ck_assert_int_eq(outw_publish(&w), 0);
	outw_abort(&l);
	assert_mode_0600(csv);
	assert_alone();
	ck_assert_str_eq(cap_text(), "");
	free(csv);
	free(ldif);
}
END_TEST

START_TEST(test_export_encoding_names)
{
	enum export_enc	 e;

	ck_assert_int_eq(export_csv_encoding("utf8bom", &e), 0);
	ck_assert_int_eq(e, EXPORT_UTF8BOM);
	ck_assert_int_eq(export_csv_encoding("CP1252", &e), 0);
	ck_assert_int_eq(e, EXPORT_CP1252);
	ck_assert_int_eq(export_csv_encoding("latin1", &e), -1);
	ck_assert_str_eq(export_profile_word(PROFILE_GUEST), "Invité");
}
END_TEST

/* --- runner --------------------------------------------------------- */

static Suite *
export_suite(void)
{
	Suite	*s = suite_create("export");
	TCase	*tc;

	tc = tcase_create("csv_read");
	tcase_add_checked_fixture(tc, cap_start, cap_stop);
	tcase_add_test(tc, test_csv_bom_semicolon_crlf);
	tcase_add_test(tc, test_csv_comma_quotes);
	tcase_add_test(tc, test_csv_embedded_newlines);
	tcase_add_test(tc, test_csv_unterminated_quote);
	tcase_add_test(tc, test_csv_malformed_lines);
	tcase_add_test(tc, test_csv_blank_and_cr);
	tcase_add_test(tc, test_csv_header_lookup);
	tcase_add_test(tc, test_csv_empty_file);
	suite_add_tcase(s, tc);

	tc = tcase_create("manual");
	tcase_add_checked_fixture(tc, dir_setup, dir_teardown);
	tcase_add_test(tc, test_manual_valid);
	tcase_add_test(tc, test_manual_errors);
	tcase_add_test(tc, test_manual_school_column);
	tcase_add_test(tc, test_manual_no_header);
	tcase_add_test(tc, test_manual_key);
	suite_add_tcase(s, tc);

	tc = tcase_create("accounts_import");
	tcase_add_checked_fixture(tc, cap_start, cap_stop);
	tcase_add_test(tc, test_import_states);
	tcase_add_test(tc, test_import_missing_column);
	suite_add_tcase(s, tc);

	tc = tcase_create("writers");
	tcase_add_checked_fixture(tc, tmp_setup, tmp_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_csv_write_header_and_quoting);
	tcase_add_test(tc, test_csv_write_formulas);
	tcase_add_test(tc, test_csv_write_cp1252);
	tcase_add_test(tc, test_csv_round_trip);
	tcase_add_test(tc, test_ldif_entries);
	tcase_add_test(tc, test_ldif_base_and_unsafe);
	tcase_add_test(tc, test_ldif_modify);
	tcase_add_test(tc, test_export_unwritable);
	tcase_add_test(tc, test_export_two_step);
	tcase_add_test(tc, test_export_encoding_names);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	diag_init("entpress");
	if (cred_init() != 0)
		return EXIT_FAILURE;
	aaf_global_init();
	sr = srunner_create(export_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	aaf_global_cleanup();
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/*
 * check_batch: the batch stage (batch.h): routing of every profile to
 * its section, the natural and accent-folded orders, the households of
 * the demo school's hard cases (fixtures/README.md), the window block's
 * recipient lines, the mail order and the deposit summary.  Its own
 * runner, so that the stage can be tested before it joins
 * check_entpress.
 */
#include "config.h"

#include <check.h>
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aaf.h"
#include "batch.h"
#include "diag.h"
#include "directory.h"
#include "mem.h"
#include "par.h"
#include "select.h"
#include "text.h"

/* --- helpers -------------------------------------------------------- */

/* Captured diagnostics (the pattern of check_main.c). */
static char	*cap_buf;
static size_t	 cap_len;
static FILE	*cap_fp;

static void
diagcap_stop(void)
{
	if (cap_fp != NULL)
		fclose(cap_fp);
	free(cap_buf);
	cap_fp = NULL;
	cap_buf = NULL;
	cap_len = 0;
	diag_set_stream(NULL);
}

static void
diagcap_start(void)
{
	diagcap_stop();
	cap_fp = open_memstream(&cap_buf, &cap_len);
	diag_set_stream(cap_fp);
	diag_reset();
}

static const char *
diagcap_text(void)
{
	fflush(cap_fp);
	return cap_buf != NULL ? cap_buf : "";
}

static struct directory	 d;
static struct sel_opts	 so;
static struct selection	 sel;
static struct batch_opts bo;
static struct batch_run	 run;

/* Select with so and build with bo into run. */
static void
build(void)
{
	selection_free(&sel);
	batch_free(&run);
	ck_assert_int_eq(select_run(&d, &so, &sel), 0);
	ck_assert_int_eq(batch_build(&d, &sel, &bo, &run), 0);
}

static void
reset_opts(void)
{
	sel_opts_free(&so);
	sel_opts_init(&so);
	memset(&bo, 0, sizeof(bo));
	bo.can_post = 1;
	bo.relatives = RELATIVES_LEGAL1;
}

/* The letter holding an account of this id and profile, or NULL. */
static const struct letter *
letter_of(const char *id, enum dir_profile prof)
{
	const struct letter	*l;
	size_t			 i;
	uint32_t		 j;

	for (i = 0; i < run.nletterv; i++) {
		l = &run.letterv[i];
		for (j = 0; j < l->naccounts; j++)
			if (strcmp(l->accounts[j]->id, id) == 0 &&
			    l->accounts[j]->profile == prof)
				return l;
	}
	return NULL;
}

static const struct letter *
parents_letter(const char *id)
{
	const struct letter	*l;

	l = letter_of(id, PROFILE_PARENT);
	ck_assert_msg(l != NULL, "no letter for parent %s", id);
	return l;
}

/* "id,id" of a letter's accounts. */
static const char *
accounts(const struct letter *l)
{
	static char	 out[512];
	uint32_t	 i;

	out[0] = '\0';
	for (i = 0; i < l->naccounts; i++) {
		if (i > 0)
			strcat(out, ",");
		strcat(out, l->accounts[i]->id);
	}
	return out;
}

/* "id(class) id(class)" of a letter's children. */
static const char *
children(const struct letter *l)
{
	static char	 out[512];
	uint32_t	 i;

	out[0] = '\0';
	for (i = 0; i < l->nchildren; i++) {
		if (i > 0)
			strcat(out, " ");
		strcat(out, l->children[i]->id);
		strcat(out, "(");
		strcat(out, l->children[i]->ncls > 0 ?
		    l->children[i]->cls[0]->code : "-");
		strcat(out, ")");
	}
	return out;
}

/* The group labels, space-separated, in print order. */
static const char *
labels(void)
{
	static char	 out[1024];
	size_t		 i;

	out[0] = '\0';
	for (i = 0; i < run.ngroups; i++) {
		if (i > 0)
			strcat(out, " ");
		strcat(out, run.groups[i].label);
	}
	return out;
}

/* "last first" of a group's letters (first account), |-separated. */
static const char *
names(const struct batch_group *g)
{
	static char	 out[2048];
	size_t		 i;

	out[0] = '\0';
	for (i = 0; i < g->nletters; i++) {
		if (i > 0)
			strcat(out, "|");
		strcat(out, g->letters[i].accounts[0]->last_name);
		strcat(out, " ");
		strcat(out, g->letters[i].accounts[0]->first_name);
	}
	return out;
}

static const struct batch_group *
group(const char *label)
{
	size_t	 i;

	for (i = 0; i < run.ngroups; i++)
		if (strcmp(run.groups[i].label, label) == 0)
			return &run.groups[i];
	ck_abort_msg("no group %s", label);
	return NULL;
}

/* "code:count code:count" of the deposit summary. */
static const char *
depts(void)
{
	static char	 out[512];
	size_t		 i;
	int		 n = 0;

	out[0] = '\0';
	for (i = 0; i < run.ndepts; i++)
		n += snprintf(out + n, sizeof(out) - (size_t)n, "%s%s:%u",
		    i > 0 ? " " : "", run.depts[i].code, run.depts[i].count);
	return out;
}

static unsigned int
count_str(const char *hay, const char *needle)
{
	unsigned int	 n = 0;

	for (; (hay = strstr(hay, needle)) != NULL; hay++)
		n++;
	return n;
}

/* Read the demo's AAF files (the Complet only, or with the Delta). */
static void
load_demo(int delta)
{
	struct aaf_set	 set;
	struct dirent	*e;
	DIR		*dp;
	char		*path;

	directory_init(&d);
	aaf_set_init(&set);
	dp = opendir(TEST_SRCDIR "/fixtures/demo");
	ck_assert_ptr_nonnull(dp);
	while ((e = readdir(dp)) != NULL) {
		/* Only the export: other files there belong to other tests. */
		if (strncmp(e->d_name, "ENT2DVA-DEMO_", 13) != 0 ||
		    (!delta && strstr(e->d_name, "_Delta_") != NULL))
			continue;
		xasprintf(&path, "%s/%s", TEST_SRCDIR "/fixtures/demo",
		    e->d_name);
		aaf_collect(&set, path);
		free(path);
	}
	closedir(dp);
	aaf_order(&set);
	aaf_read(&set, &d);
	aaf_set_free(&set);
	directory_resolve(&d);
}

static void
load_string(const char *xml)
{
	directory_init(&d);
	aaf_read_memory(&d, "t.xml", xml, strlen(xml), 0);
	directory_resolve(&d);
}

static void
common_setup(void)
{
	memset(&sel, 0, sizeof(sel));
	memset(&run, 0, sizeof(run));
	sel_opts_init(&so);
	reset_opts();
	diagcap_start();
}

static void
common_teardown(void)
{
	diagcap_stop();
	batch_free(&run);
	selection_free(&sel);
	sel_opts_free(&so);
}

static void
demo_complet_load(void)
{
	diag_set_quiet_below(LEVEL_SYSERR);
	load_demo(0);
	diag_set_quiet_below(LEVEL_WARNING);
}

static void
demo_delta_load(void)
{
	diag_set_quiet_below(LEVEL_SYSERR);
	load_demo(1);
	diag_set_quiet_below(LEVEL_WARNING);
}

static void
demo_unload(void)
{
	directory_free(&d);
}

/* --- par_for ------------------------------------------------------- */

struct visits {
	unsigned char	 seen[1000];
	int		 bad;		/* a part out of range, an empty part */
};

static void
visit(void *v, int part, size_t lo, size_t hi)
{
	struct visits	*w = v;
	size_t		 i;

	if (part < 0 || part >= PAR_MAX || lo > hi)
		w->bad = 1;
	for (i = lo; i < hi; i++)
		w->seen[i]++;	/* a data race if two parts overlapped */
}

/* Every index once, whatever the parts forced and the range's size. */
START_TEST(test_par_for)
{
	static const size_t	 ns[] = { 0, 1, 2, 3, 5, 999, 1000 };
	struct visits		 w;
	size_t			 i, k;
	int			 parts;

	for (parts = 0; parts <= PAR_MAX; parts++)
		for (k = 0; k < sizeof(ns) / sizeof(ns[0]); k++) {
			memset(&w, 0, sizeof(w));
			par_set_parts(parts);
			par_for(ns[k], 1, visit, &w);
			par_set_parts(0);
			ck_assert_int_eq(w.bad, 0);
			for (i = 0; i < sizeof(w.seen); i++)
				ck_assert_uint_eq(w.seen[i], i < ns[k]);
		}
}
END_TEST

static int
u32_cmp(const void *a, const void *b)
{
	uint32_t	 x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Sorted in parts and merged: qsort()'s order, for any cut. */
START_TEST(test_par_sort)
{
	static const size_t	 ns[] = { 0, 1, 2, 3, 7, 1000, 4099 };
	uint32_t		 a[4099], b[4099], x = 12345;
	size_t			 i, k;
	int			 parts;

	for (parts = 0; parts <= PAR_MAX; parts++)
		for (k = 0; k < sizeof(ns) / sizeof(ns[0]); k++) {
			for (i = 0; i < ns[k]; i++) {
				x = x * 1103515245u + 12345u;
				a[i] = b[i] = x >> 8;
			}
			qsort(b, ns[k], sizeof(*b), u32_cmp);
			par_set_parts(parts);
			par_sort(a, ns[k], sizeof(*a), 1, u32_cmp);
			par_set_parts(0);
			ck_assert_int_eq(memcmp(a, b, ns[k] * sizeof(*a)), 0);
		}
}
END_TEST

/* --- hand-built exports --------------------------------------------- */

#define A(n, v)	"<attr name=\"" n "\"><value>" v "</value></attr>"
#define REQ(cat, id, attrs) \
	"<addRequest><operationalAttributes><attr name=\"categoriePersonne\">" \
	"<value>" cat "</value></attr></operationalAttributes>" \
	"<identifier><id>" id "</id></identifier><attributes>" attrs \
	"</attributes></addRequest>\n"
#define ETAB(id, uai) \
	"<addRequest><operationalAttributes><attr name=\"categorieStructure\">" \
	"<value>EtabEducNat</value></attr></operationalAttributes>" \
	"<identifier><id>" id "</id></identifier><attributes>" \
	A("ENTStructureUAI", uai) A("ENTStructureNomCourant", "CLG$" id) \
	"</attributes></addRequest>\n"
#define DOC(body) \
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ficAlimMENESR>\n" \
	ETAB("1", "0690001A") body "</ficAlimMENESR>\n"
#define STUDENT(id, last, first, cls, links) \
	REQ("Eleve", id, A("sn", last) A("givenName", first) \
	    A("ENTPersonStructRattach", "1") A("ENTEleveClasses", cls) \
	    "<attr name=\"ENTElevePersRelEleve\">" links "</attr>")
#define LINK(id)	"<value>" id "$10$1$1$1$0</value>"
#define LINK0(id)	"<value>" id "$38$0$0$1$0</value>"
#define REL(id, title, last, first, addr, pc, city, country) \
	REQ("PersRelEleve", id, A("sn", last) A("givenName", first) \
	    A("personalTitle", title) A("ENTPersonAdresse", addr) \
	    A("ENTPersonCodePostal", pc) A("ENTPersonVille", city) \
	    A("ENTPersonPays", country))
#define HOME(id, title, last, first) \
	REL(id, title, last, first, "1 RUE HAUTE", "69100", "VILLEURBANNE", \
	    "FRANCE")

/* --- address keys --------------------------------------------------- */

static struct buf	 akey_buf;

static const char *
akey(const char *addr, const char *pc, const char *city, const char *cty)
{
	struct dir_person	 p;

	memset(&p, 0, sizeof(p));
	p.address = addr;
	p.postcode = pc;
	p.city = city;
	p.country = cty;
	batch_address_key(&akey_buf, &p);
	return akey_buf.p != NULL ? akey_buf.p : "";
}

START_TEST(test_address_key)
{
	/* Case 10c: one household written two ways. */
	ck_assert_str_eq(akey("9 RUE DES ÉCOLES$$$", "69100", "VILLEURBANNE",
	    "FRANCE"), "9 RUE DES ECOLES|69100|VILLEURBANNE");
	ck_assert_str_eq(akey("9  rue des Ecoles $$$", "69100", "Villeurbanne",
	    NULL), "9 RUE DES ECOLES|69100|VILLEURBANNE");
	ck_assert_str_eq(akey("Résidence l'Orée$ Bât. C $12, rue des Lilas",
	    "69 100", "Lyon", ""),
	    "RESIDENCE L OREE$BAT C$12 RUE DES LILAS|69100|LYON");
	ck_assert_str_eq(akey("Rue des Guillemins 48", "4000", "Liège",
	    "Belgique"), "RUE DES GUILLEMINS 48|4000|LIEGE|BELGIQUE");
	ck_assert_str_eq(akey("$$", "", "", "FRANCE"), "");
	ck_assert_str_eq(akey(NULL, NULL, NULL, NULL), "");
	buf_free(&akey_buf);
}
END_TEST

START_TEST(test_address_key_demo)
{
	struct buf	 a, b;

	buf_init(&a);
	buf_init(&b);
	/* 10c merges; 10b's two families share a key (a child decides). */
	batch_address_key(&a, directory_person(&d, CAT_PERSRELELEVE,
	    "5656092"));
	batch_address_key(&b, directory_person(&d, CAT_PERSRELELEVE,
	    "5563372"));
	ck_assert_str_eq(a.p, b.p);
	batch_address_key(&a, directory_person(&d, CAT_PERSRELELEVE,
	    "5294098"));
	batch_address_key(&b, directory_person(&d, CAT_PERSRELELEVE,
	    "5029770"));
	ck_assert_str_eq(a.p, b.p);
	/* Case 6: nothing, or a country alone, is no address. */
	batch_address_key(&a, directory_person(&d, CAT_PERSRELELEVE,
	    "5986063"));
	ck_assert_str_eq(a.p, "");
	batch_address_key(&a, directory_person(&d, CAT_PERSRELELEVE,
	    "5678696"));
	ck_assert_str_eq(a.p, "");
	buf_free(&a);
	buf_free(&b);
}
END_TEST

/* --- the demo school ------------------------------------------------ */

/* Households by size and address, over the parents' letters of run. */
static void
household_counts(unsigned int *two, unsigned int *one,
    unsigned int *noaddr, unsigned int *guardians)
{
	const struct letter	*l;
	struct buf		 k;
	size_t			 i;

	*two = *one = *noaddr = *guardians = 0;
	buf_init(&k);
	for (i = 0; i < run.nletterv; i++) {
		l = &run.letterv[i];
		if (l->accounts[0]->profile != PROFILE_PARENT)
			continue;
		*guardians += l->naccounts;
		batch_address_key(&k, l->accounts[0]);
		if (k.len == 0)
			(*noaddr)++;
		else if (l->naccounts == 2)
			(*two)++;
		else if (l->naccounts == 1)
			(*one)++;
	}
	buf_free(&k);
}

START_TEST(test_demo_households)
{
	unsigned int	 two, one, noaddr, guardians;
	const char	*t;

	build();
	/* fixtures/README.md: 161 households (112 + 49) and 2 without. */
	household_counts(&two, &one, &noaddr, &guardians);
	ck_assert_uint_eq(two, 112);
	ck_assert_uint_eq(one, 49);
	ck_assert_uint_eq(noaddr, 2);
	ck_assert_uint_eq(guardians, 275);
	ck_assert_uint_eq(run.nhouseholds, 163);

	/*
	 * Posted: all but the two without address (case 6), the VIDAL
	 * line of 46 characters (12a) and the LACROIX block of 7 lines
	 * (12b), which go via their child's class.
	 */
	ck_assert_uint_eq(run.nposted, 159);
	ck_assert_uint_eq(run.nletters[SECTION_MAIL], 159);
	ck_assert_uint_eq(run.nabroad, 2);
	ck_assert_uint_eq(run.nletters[SECTION_CLASS], 150 + 4);
	ck_assert_uint_eq(run.nletters[SECTION_STAFF], 22);
	ck_assert_uint_eq(run.naccounts, 150 + 22 + 275);
	ck_assert_uint_eq(run.nleft_out, 0);
	ck_assert_str_eq(depts(), "69:157 ZZ:2");

	ck_assert_int_eq(parents_letter("5986063")->via_class, 1);
	ck_assert_int_eq(parents_letter("5678696")->via_class, 1);
	ck_assert_str_eq(parents_letter("5986063")->cls->code, "3A");
	ck_assert_str_eq(parents_letter("5678696")->cls->code, "6A");
	t = diagcap_text();
	ck_assert_ptr_nonnull(strstr(t, "no postal address, letter goes via "
	    "the class: parent 5986063\n"));
	ck_assert_ptr_nonnull(strstr(t, "no postal address, letter goes via "
	    "the class: parent 5678696\n"));
	ck_assert_uint_eq(diag_count(LEVEL_WARNING), 4);
	ck_assert_uint_eq(diag_count(LEVEL_ERROR), 0);

	/* legal12 adds the legal=2 mothers to their households. */
	bo.relatives = so.relatives = RELATIVES_LEGAL12;
	build();
	household_counts(&two, &one, &noaddr, &guardians);
	ck_assert_uint_eq(guardians, 281);
	ck_assert_uint_eq(two + one, 161);
	ck_assert_uint_eq(run.nhouseholds, 163);
}
END_TEST

START_TEST(test_demo_cases)
{
	const struct letter	*l;

	build();
	/* 10a: separated parents, two letters. */
	ck_assert_ptr_ne(parents_letter("5316109"), parents_letter("5639295"));
	ck_assert_str_eq(accounts(parents_letter("5316109")), "5316109");
	ck_assert_str_eq(accounts(parents_letter("5639295")), "5639295");
	ck_assert_str_eq(children(parents_letter("5639295")), "2929457(4A)");
	/* 10b: one building, two families, two letters. */
	ck_assert_uint_eq(parents_letter("5294098")->naccounts, 2);
	ck_assert_ptr_eq(parents_letter("5294098"), parents_letter("5025654"));
	ck_assert_ptr_eq(parents_letter("5029770"), parents_letter("5423711"));
	ck_assert_ptr_ne(parents_letter("5294098"), parents_letter("5029770"));
	/* 10c: one household written two ways, one letter. */
	l = parents_letter("5656092");
	ck_assert_ptr_eq(l, parents_letter("5563372"));
	ck_assert_int_eq(l->posted, 1);
	ck_assert_str_eq(l->addr.line[0], "M. et Mme ROLLAND");
	/* 11a: the step-father joins the mother, the father stays apart. */
	l = parents_letter("5269146");
	ck_assert_str_eq(accounts(l), "5269146,5445847");
	ck_assert_str_eq(l->addr.line[0], "Mme Karine MARCHAND");
	ck_assert_str_eq(l->addr.line[1], "M. Thierry BLANC");
	ck_assert_str_eq(accounts(parents_letter("5410448")), "5410448");
	/* 4a: three children in three classes, natural order. */
	ck_assert_str_eq(children(parents_letter("5063715")),
	    "2022209(3A) 2610043(4A) 2151521(6B)");
	/* 5: abroad, last in the mail, country last in the block. */
	l = parents_letter("5822142");
	ck_assert_int_eq(l->posted, 1);
	ck_assert_int_eq(l->addr.abroad, 1);
	ck_assert_str_eq(l->addr.line[l->addr.nlines - 1], "BELGIQUE");
	ck_assert_ptr_eq(&run.letterv[run.nletterv - 2], l);
	/* 13b: a relative and a student with one id, two letters. */
	ck_assert_ptr_ne(letter_of("2192681", PROFILE_STUDENT),
	    parents_letter("2192681"));
}
END_TEST

START_TEST(test_demo_address_too_long)
{
	const struct letter	*l;
	const char		*t;

	build();
	/* 12a: via the class of the child, 4B, named in the warning. */
	l = parents_letter("5414943");
	ck_assert_ptr_eq(l, parents_letter("5965583"));
	ck_assert_int_eq(l->via_class, 1);
	ck_assert_int_eq(l->posted, 0);
	ck_assert_str_eq(l->cls->code, "4B");
	ck_assert_uint_eq(l->addr.nlines, 0);
	ck_assert_ptr_eq(l, &group("4B")->letters[group("4B")->nletters - 1]);
	ck_assert_uint_eq(group("4B")->nparents, 1);
	t = diagcap_text();
	ck_assert_ptr_nonnull(strstr(t, "WARNING: address does not fit the "
	    "envelope window, letter goes via the class: parents "));
	ck_assert_ptr_nonnull(strstr(t, "5414943"));
	ck_assert_ptr_nonnull(strstr(t, "5965583"));
	ck_assert_ptr_nonnull(strstr(t, "has 46 characters"));
	/* 12b: seven lines. */
	l = parents_letter("5844504");
	ck_assert_int_eq(l->via_class, 1);
	ck_assert_str_eq(l->cls->code, "6A");
	ck_assert_ptr_nonnull(strstr(t, "more than 6 lines"));
}
END_TEST

START_TEST(test_demo_delta)
{
	unsigned int	 two, one, noaddr, guardians;
	const struct letter	*l;

	build();
	household_counts(&two, &one, &noaddr, &guardians);
	ck_assert_uint_eq(two, 111);
	ck_assert_uint_eq(one, 50);
	ck_assert_uint_eq(noaddr, 2);
	ck_assert_uint_eq(guardians, 274);
	/* D1: Pascal's household has children in 3A and 5A. */
	l = parents_letter("5500998");
	ck_assert_ptr_eq(l, parents_letter("5273893"));
	ck_assert_str_eq(children(l), "2298912(3A) 2603609(5A)");
	l = parents_letter("5290946");
	ck_assert_str_eq(accounts(l), "5290946");
	ck_assert_str_eq(children(l), "2603609(5A)");
	/* D4: the parents of a deleted student get no letter. */
	ck_assert_ptr_null(letter_of("5449384", PROFILE_PARENT));
	ck_assert_ptr_null(letter_of("5657872", PROFILE_PARENT));
	/* D2: Hugo moved to 4B. */
	ck_assert_str_eq(letter_of("2377191", PROFILE_STUDENT)->cls->code,
	    "4B");
	ck_assert_str_eq(labels(), "3A 4A 4B 5A 6A 6B STAFF MAIL");
	ck_assert_uint_eq(group("5A")->nstudents, 26);
	ck_assert_uint_eq(group("3A")->nstudents, 24);
}
END_TEST

START_TEST(test_demo_staff)
{
	const struct batch_group	*g;
	size_t				 i;

	build();
	g = group("STAFF");
	ck_assert_uint_eq(g->nletters, 22);
	ck_assert_str_eq(g->school->uai, "0699990Z");
	/* Teachers first, then staff, each by name. */
	for (i = 0; i < 15; i++)
		ck_assert_int_eq(g->letters[i].accounts[0]->profile,
		    PROFILE_TEACHER);
	for (; i < 22; i++)
		ck_assert_int_eq(g->letters[i].accounts[0]->profile,
		    PROFILE_STAFF);
	ck_assert_str_eq(g->letters[0].accounts[0]->id, "8071580");
	ck_assert_str_eq(g->letters[14].accounts[0]->id, "8683712");
	ck_assert_str_eq(g->letters[15].accounts[0]->id, "8278695");
	ck_assert_str_eq(g->letters[21].accounts[0]->id, "8079652");
	ck_assert_uint_eq(g->letters[21].seq, 22);
	/* Case 8: attached by functions only, still in the school. */
	ck_assert_ptr_eq(letter_of("8832716", PROFILE_STAFF)->school,
	    g->school);
}
END_TEST

START_TEST(test_demo_sections_class)
{
	build();
	/* The carnet de liaison run: --profile parent --batch class. */
	so.profiles = 1u << PROFILE_PARENT;
	bo.sections = BATCH_CLASS;
	build();
	ck_assert_uint_eq(run.nletters[SECTION_CLASS], 163);
	ck_assert_uint_eq(run.nletters[SECTION_MAIL], 0);
	ck_assert_uint_eq(run.nposted, 0);
	ck_assert_uint_eq(run.nleft_out, 0);
	ck_assert_uint_eq(run.ndepts, 0);
	ck_assert_str_eq(labels(), "3A 4A 4B 5A 6A 6B");
	ck_assert_uint_eq(group("4A")->nstudents, 0);
	ck_assert_uint_eq(group("4A")->nparents, group("4A")->nletters);
	/* Every selected guardian exactly once. */
	ck_assert_uint_eq(run.naccounts, 275);

	/* Everyone, class only: staff left out, no address warning. */
	so.profiles = 0;
	diagcap_start();
	build();
	ck_assert_uint_eq(run.nletters[SECTION_CLASS], 150 + 163);
	ck_assert_uint_eq(run.nletters[SECTION_STAFF], 0);
	ck_assert_uint_eq(run.nleft_out, 22);
	ck_assert_uint_eq(diag_count(LEVEL_WARNING), 0);
	ck_assert_str_eq(labels(), "3A 4A 4B 5A 6A 6B");
}
END_TEST

START_TEST(test_demo_sections_mail)
{
	const char	*t;

	bo.sections = BATCH_MAIL;
	build();
	ck_assert_uint_eq(run.nletters[SECTION_MAIL], 159);
	ck_assert_uint_eq(run.nletters[SECTION_CLASS], 0);
	ck_assert_uint_eq(run.nletters[SECTION_STAFF], 0);
	ck_assert_str_eq(labels(), "MAIL");
	/* Students, staff, and the six guardians who cannot be posted. */
	ck_assert_uint_eq(run.nleft_out, 150 + 22 + 6);
	t = diagcap_text();
	ck_assert_uint_eq(count_str(t, "letter left out of this run"), 4);
	ck_assert_ptr_nonnull(strstr(t, "parent 5986063; no class batch "
	    "printed, letter left out of this run"));
	ck_assert_ptr_null(letter_of("5986063", PROFILE_PARENT));
}
END_TEST

/*
 * Every letter of the run, in order, as text: section, group, accounts,
 * children, how it goes and its address block.
 */
static void
run_text(struct buf *b)
{
	const struct letter	*l;
	size_t			 g, i, k;

	buf_reset(b);
	buf_printf(b, "%u households, %u posted, %u left out, %s\n",
	    run.nhouseholds, run.nposted, run.nleft_out, depts());
	for (g = 0; g < run.ngroups; g++)
		for (i = 0; i < run.groups[g].nletters; i++) {
			l = &run.groups[g].letters[i];
			buf_printf(b, "%d %s %u [%s] [%s] %d%d", l->section,
			    run.groups[g].label, l->seq, accounts(l),
			    children(l), l->posted, l->via_class);
			for (k = 0; k < l->addr.nlines; k++)
				buf_printf(b, " |%s", l->addr.line[k]);
			buf_addc(b, '\n');
		}
}

/*
 * The guardians' keys and the address blocks are made on several threads
 * (par_for): the run, to its diagnostics, must be the same however the
 * work is cut.  The demo's households are too few to be shared out
 * unasked, so the parts are forced.
 */
START_TEST(test_demo_parallel)
{
	static const unsigned int sections[] = {
		0, BATCH_MAIL, BATCH_CLASS | BATCH_STAFF
	};
	struct buf	 one, many, d1, dn;
	size_t		 i, mark;
	int		 parts, rel;

	buf_init(&one);
	buf_init(&many);
	buf_init(&d1);
	buf_init(&dn);
	for (rel = RELATIVES_LEGAL1; rel <= RELATIVES_ALL; rel++)
		for (i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
			for (parts = 2; parts <= PAR_MAX; parts++) {
				reset_opts();
				bo.sections = sections[i];
				bo.relatives = (enum dir_relatives)rel;
				so.relatives = (enum dir_relatives)rel;

				par_set_parts(1);
				mark = strlen(diagcap_text());
				build();
				run_text(&one);
				buf_reset(&d1);
				buf_adds(&d1, diagcap_text() + mark);

				par_set_parts(parts);
				mark = strlen(diagcap_text());
				build();
				run_text(&many);
				buf_reset(&dn);
				buf_adds(&dn, diagcap_text() + mark);
				par_set_parts(0);

				/* Whole runs: too long for a message. */
				ck_assert_msg(strcmp(many.p, one.p) == 0,
				    "%d parts: another run (relatives %d, "
				    "sections %u)", parts, rel, sections[i]);
				ck_assert_msg(strcmp(dn.p, d1.p) == 0,
				    "%d parts: other diagnostics", parts);
				if (sections[i] != BATCH_CLASS + BATCH_STAFF)
					ck_assert_uint_ge(run.nposted, 159);
			}
	buf_free(&one);
	buf_free(&many);
	buf_free(&d1);
	buf_free(&dn);
}
END_TEST

START_TEST(test_demo_cards)
{
	const char	*t;

	/* A layout without a window: every parents' letter via the class. */
	bo.can_post = 0;
	build();
	ck_assert_uint_eq(run.nposted, 0);
	ck_assert_uint_eq(run.nletters[SECTION_MAIL], 0);
	ck_assert_uint_eq(run.nletters[SECTION_CLASS], 150 + 163);
	ck_assert_uint_eq(diag_count(LEVEL_WARNING), 0);
	ck_assert_str_eq(labels(), "3A 4A 4B 5A 6A 6B STAFF");
	ck_assert_int_eq(parents_letter("5656092")->via_class, 1);
	ck_assert_str_eq(parents_letter("5656092")->cls->code, "3A");

	/* ... and with the mail section alone, nothing to print them in. */
	bo.sections = BATCH_MAIL;
	build();
	ck_assert_uint_eq(run.nletterv, 0);
	ck_assert_uint_eq(run.ngroups, 0);
	ck_assert_uint_eq(run.nleft_out, 150 + 22 + 275);
	t = diagcap_text();
	ck_assert_uint_eq(diag_count(LEVEL_WARNING), 1);
	ck_assert_ptr_nonnull(strstr(t, "163 households"));
}
END_TEST

START_TEST(test_demo_class_selection)
{
	const struct letter	*l;

	/* --class 4A: the ROUSSEL parents, through Noé, one letter. */
	sel_opts_add(&so.classes, &so.nclasses, "4A");
	build();
	l = parents_letter("5063715");
	ck_assert_ptr_eq(l, parents_letter("5391757"));
	ck_assert_str_eq(children(l), "2022209(3A) 2610043(4A) 2151521(6B)");
	ck_assert_ptr_null(letter_of("2151521", PROFILE_STUDENT));
	ck_assert_uint_eq(group("4A")->nstudents, 25);
	ck_assert_str_eq(labels(), "4A STAFF MAIL");
}
END_TEST

/* --- hand-built cases ----------------------------------------------- */

static void
built_teardown(void)
{
	common_teardown();
	directory_free(&d);
}

START_TEST(test_natural_order)
{
	load_string(DOC(
	    STUDENT("s1", "UN", "Ali", "1$10A", "")
	    STUDENT("s2", "DEUX", "Bea", "1$6B", "")
	    STUDENT("s3", "TROIS", "Cy", "1$2NDE10", "")
	    STUDENT("s4", "QUATRE", "Dan", "1$6A", "")
	    STUDENT("s5", "CINQ", "Eve", "1$2NDE2", "")
	    /* The first class in natural order wins, not the first given. */
	    STUDENT("s6", "SIX", "Fay", "1$6B</value><value>1$2NDE2", "")));
	build();
	ck_assert_str_eq(labels(), "2NDE2 2NDE10 6A 6B 10A");
	ck_assert_str_eq(names(group("2NDE2")), "CINQ Eve|SIX Fay");
	ck_assert_uint_eq(group("2NDE2")->letters[1].seq, 2);
	ck_assert_ptr_eq(group("2NDE2")->cls, group("2NDE2")->letters[0].cls);
}
END_TEST

START_TEST(test_accent_order)
{
	load_string(DOC(
	    STUDENT("s1", "ESPOSITO", "Lina", "1$6A", "")
	    STUDENT("s2", "ÉLAN", "Zoé", "1$6A", "")
	    STUDENT("s3", "EMERY", "Paul", "1$6A", "")
	    STUDENT("s4", "DUPONT", "Jean", "1$6A", "")
	    STUDENT("s5", "ELAN", "Adam", "1$6A", "")
	    STUDENT("s6", "Élan", "Émile", "1$6A", "")));
	build();
	ck_assert_str_eq(names(group("6A")), "DUPONT Jean|ELAN Adam|"
	    "Élan Émile|ÉLAN Zoé|EMERY Paul|ESPOSITO Lina");
	ck_assert_uint_eq(group("6A")->nstudents, 6);
}
END_TEST

START_TEST(test_mail_order)
{
	const struct batch_group	*g;
	char				 got[256];
	size_t				 i;

	load_string(DOC(
	    STUDENT("k1", "A", "A", "1$6A", LINK("r1"))
	    STUDENT("k2", "B", "B", "1$6A", LINK("r2"))
	    STUDENT("k3", "C", "C", "1$6A", LINK("r3"))
	    STUDENT("k4", "D", "D", "1$6A", LINK("r4"))
	    STUDENT("k5", "E", "E", "1$6A", LINK("r5"))
	    STUDENT("k6", "F", "F", "1$6A", LINK("r6"))
	    STUDENT("k7", "G", "G", "1$6A", LINK("r7"))
	    STUDENT("k8", "H", "H", "1$6A", LINK("r8"))
	    STUDENT("k9", "I", "I", "1$6A", LINK("r9"))
	    REL("r1", "M.", "UN", "Luc", "9 RUE B", "69100", "VILLEURBANNE",
		"FRANCE")
	    REL("r2", "M.", "DEUX", "Luc", "1 COURS NAPOLEON", "20000",
		"AJACCIO", "")
	    REL("r3", "M.", "TROIS", "Luc", "2 BD PAOLI", "20200", "BASTIA",
		"")
	    REL("r4", "M.", "QUATRE", "Luc", "3 RUE DE PARIS", "97400",
		"SAINT-DENIS", "FRANCE")
	    REL("r5", "M.", "CINQ", "Luc", "RUE DES GUILLEMINS 48", "4000",
		"LIEGE", "BELGIQUE")
	    REL("r6", "M.", "SIX", "Luc", "4 RUE DE LA REPUBLIQUE", "69003",
		"LYON", "FRANCE")
	    REL("r7", "M.", "SEPT", "Luc", "CHEMIN DES VIGNES 12", "1207",
		"GENEVE", "Suisse")
	    REL("r8", "M.", "HUIT", "Luc", "1 RUE A", "69100", "VILLEURBANNE",
		"FRANCE")
	    REL("r9", "M.", "NEUF", "Luc", "5 RUE C", "69100", "Villeurbanne",
		"France")));
	build();
	g = group("MAIL");
	got[0] = '\0';
	for (i = 0; i < g->nletters; i++) {
		strcat(got, g->letters[i].accounts[0]->id);
		strcat(got, " ");
	}
	ck_assert_str_eq(got, "r2 r3 r6 r8 r9 r1 r4 r5 r7 ");
	ck_assert_str_eq(depts(), "2A:1 2B:1 69:4 974:1 ZZ:2");
	ck_assert_uint_eq(run.nposted, 9);
	ck_assert_uint_eq(run.nabroad, 2);
	ck_assert_str_eq(labels(), "6A MAIL");
	ck_assert_uint_eq(g->letters[8].seq, 9);
	ck_assert_ptr_null(g->letters[0].cls);
	ck_assert_str_eq(g->letters[0].school->uai, "0690001A");
}
END_TEST

START_TEST(test_two_classes_one_letter)
{
	const struct letter	*l;

	load_string(DOC(
	    STUDENT("a1", "MARTIN", "Léa", "1$4A", LINK("pa") LINK("pb"))
	    STUDENT("a2", "MARTIN", "Hugo", "1$6B", LINK("pa") LINK("pb"))
	    STUDENT("a3", "PETIT", "Max", "1$4A", LINK("pc"))
	    HOME("pa", "Mme", "MARTIN", "Anne")
	    HOME("pb", "M.", "MARTIN", "Marc")
	    HOME("pc", "Mme", "PETIT", "Eva")));
	sel_opts_add(&so.classes, &so.nclasses, "4A");
	build();
	l = parents_letter("pa");
	ck_assert_ptr_eq(l, parents_letter("pb"));
	ck_assert_str_eq(accounts(l), "pa,pb");
	ck_assert_str_eq(children(l), "a1(4A) a2(6B)");
	ck_assert_str_eq(l->addr.line[0], "M. et Mme MARTIN");
	ck_assert_uint_eq(run.nletters[SECTION_MAIL], 2);
	ck_assert_ptr_null(letter_of("a2", PROFILE_STUDENT));

	/* Cards: via the class of the first child, after the students. */
	bo.can_post = 0;
	build();
	l = parents_letter("pa");
	ck_assert_int_eq(l->via_class, 1);
	ck_assert_str_eq(l->cls->code, "4A");
	ck_assert_str_eq(labels(), "4A");
	ck_assert_str_eq(names(group("4A")),
	    "MARTIN Léa|PETIT Max|MARTIN Anne|PETIT Eva");
	ck_assert_uint_eq(group("4A")->nstudents, 2);
	ck_assert_uint_eq(group("4A")->nparents, 2);
}
END_TEST

START_TEST(test_households_need_child_and_address)
{
	load_string(DOC(
	    /* One building, no shared child: two letters (10b). */
	    STUDENT("c1", "AA", "Un", "1$5A", LINK("m1") LINK("f1"))
	    STUDENT("c2", "BB", "Deux", "1$5A", LINK("m2"))
	    /* A legal=0 contact at the same address stays out (legal1). */
	    STUDENT("c3", "CC", "Trois", "1$5A", LINK("m3") LINK0("g3"))
	    /* A chain: c4 joins m4 and f4, c5 joins f4 and s4. */
	    STUDENT("c4", "DD", "Quatre", "1$5A", LINK("m4") LINK("f4"))
	    STUDENT("c5", "DD", "Cinq", "1$4A", LINK("f4") LINK("s4"))
	    REL("m1", "Mme", "AA", "Ana", "12 RUE DES LILAS", "69100",
		"VILLEURBANNE", "")
	    REL("f1", "M.", "AA", "Bob", "12 rue des Lilas", "69100",
		"Villeurbanne", "")
	    REL("m2", "Mme", "BB", "Cloé", "12 RUE DES LILAS", "69100",
		"VILLEURBANNE", "")
	    HOME("m3", "Mme", "CC", "Dora")
	    HOME("g3", "Mme", "CC", "Granny")
	    HOME("m4", "Mme", "DD", "Eva")
	    HOME("f4", "M.", "DD", "Fred")
	    HOME("s4", "Mme", "EE", "Gina")));
	build();
	ck_assert_str_eq(accounts(parents_letter("m1")), "m1,f1");
	ck_assert_str_eq(accounts(parents_letter("m2")), "m2");
	ck_assert_str_eq(accounts(parents_letter("m3")), "m3");
	ck_assert_ptr_null(letter_of("g3", PROFILE_PARENT));
	/* The first child (4A before 5A) orders the guardians. */
	ck_assert_str_eq(accounts(parents_letter("s4")), "f4,s4,m4");
	ck_assert_str_eq(children(parents_letter("m4")), "c5(4A) c4(5A)");
	ck_assert_uint_eq(run.nhouseholds, 4);
	ck_assert_uint_eq(run.naccounts, 5 + 7);

	/* With every relative a parent, the contact joins. */
	bo.relatives = so.relatives = RELATIVES_ALL;
	build();
	ck_assert_str_eq(accounts(parents_letter("m3")), "m3,g3");
}
END_TEST

START_TEST(test_recipient_lines)
{
	const struct letter	*l;
	const char		*t;

	load_string(DOC(
	    STUDENT("c1", "AA", "Un", "1$5A", LINK("m1") LINK("f1"))
	    STUDENT("c2", "BB", "Deux", "1$5A", LINK("m2"))
	    STUDENT("c3", "CC", "Trois", "1$5A",
		LINK("m3") LINK("f3") LINK("g3"))
	    STUDENT("c4", "DD", "Quatre", "1$5A", LINK("m4") LINK("f4"))
	    STUDENT("c5", "EE", "Cinq", "1$5A", LINK("m5"))
	    HOME("m1", "Mme", "DURAND", "Anne")
	    HOME("f1", "M.", "LEROY", "Paul")
	    HOME("m2", "Mme", "DE LA ROCHEFOUCAULD-LIANCOURT",
		"Marie-Christine")
	    HOME("m3", "Mme", "MARCHAND", "Karine")
	    HOME("f3", "M.", "BLANC", "Thierry")
	    HOME("g3", "Mme", "MARCHAND", "Jeanne")
	    HOME("m4", "", "DUPUIS", "Léa")
	    HOME("f4", "", "DUPUIS", "Marc")
	    HOME("m5", "Mme", "VANDERMEERSCH-OOSTERHOUT-VAN-DEN-BROECK",
		"Anna")));
	build();
	l = parents_letter("m1");
	ck_assert_str_eq(l->addr.line[0], "Mme Anne DURAND");
	ck_assert_str_eq(l->addr.line[1], "M. Paul LEROY");
	ck_assert_str_eq(l->addr.line[2], "1 RUE HAUTE");
	/* First names go first, then titles. */
	l = parents_letter("m2");
	ck_assert_str_eq(l->addr.line[0], "Mme DE LA ROCHEFOUCAULD-LIANCOURT");
	/* Three: "Mme Karine MARCHAND et M. Thierry BLANC" is 39. */
	l = parents_letter("m3");
	ck_assert_str_eq(accounts(l), "m3,f3,g3");
	ck_assert_str_eq(l->addr.line[0], "Mme MARCHAND et M. BLANC");
	ck_assert_str_eq(l->addr.line[1], "Mme Jeanne MARCHAND");
	/* No titles: no "M. et Mme", one line each. */
	l = parents_letter("m4");
	ck_assert_str_eq(l->addr.line[0], "Léa DUPUIS");
	ck_assert_str_eq(l->addr.line[1], "Marc DUPUIS");
	/* Nothing fits: via the class, with the line named. */
	l = parents_letter("m5");
	ck_assert_int_eq(l->via_class, 1);
	t = diagcap_text();
	ck_assert_ptr_nonnull(strstr(t, "letter goes via the class: parent "
	    "m5: line 1 has 39 characters\n"));
}
END_TEST

/* A manual account, as manual_resolve() leaves it. */
static struct dir_person *
add_guest(const char *key, const char *last, const char *first,
    struct dir_school *s, struct dir_class *c)
{
	struct dir_src		 src = { "manual.csv", 2 };
	struct dir_person	*p;

	p = directory_add_manual(&d, PROFILE_GUEST, key, &src);
	p->last_name = last;
	p->first_name = first;
	p->school = s;
	if (c != NULL) {
		p->cls = arena_calloc(&d.arena, 1, sizeof(*p->cls));
		p->cls[p->ncls++] = c;
	}
	return p;
}

START_TEST(test_schools_guests_sans_classe)
{
	struct dir_school	*s1, *s2;

	load_string(DOC(ETAB("2", "0690002B")
	    STUDENT("s1", "UN", "Ali", "1$4B", "")
	    REQ("Eleve", "s2", A("sn", "DEUX") A("givenName", "Bea")
		A("ENTPersonStructRattach", "2") A("ENTEleveClasses", "2$4B"))
	    STUDENT("s3", "TROIS", "Cy", "", "")
	    REQ("PersEducNat", "t1", A("sn", "PROF") A("givenName", "Alice")
		A("ENTPersonStructRattach", "1")
		A("PersEducNatPresenceDevantEleves", "O")
		A("ENTPersonFonctions", "1$ENS$ENSEIGNEMENT$L0201$ANGLAIS"))
	    REQ("PersEducNat", "a1", A("sn", "GESTION") A("givenName", "Bob")
		A("ENTPersonStructRattach", "")
		A("PersEducNatPresenceDevantEleves", "N")
		A("ENTPersonFonctions", "2$ADF$ADMINISTRATION$-$-"))
	    REQ("PersEducNat", "a2", A("sn", "AIDE") A("givenName", "Cid")
		A("ENTPersonStructRattach", "1")
		A("PersEducNatPresenceDevantEleves", "N")
		A("ENTPersonFonctions", "1$AED$EDUCATION$-$-"))));
	s1 = directory_school_by_uai(&d, "0690001A");
	s2 = directory_school_by_uai(&d, "0690002B");
	add_guest("manual:g1", "AAA-INVITE", "Hortense", s1,
	    directory_class(&d, "1", "4B"));
	add_guest("manual:g2", "AAA-LEGER", "Bénédicte", s1, NULL);
	build();
	ck_assert_str_eq(labels(), "0690001A-4B 0690001A-SANS-CLASSE "
	    "0690002B-4B 0690001A-STAFF 0690002B-STAFF");
	/* A guest with a class after the students, without one after staff. */
	ck_assert_str_eq(names(group("0690001A-4B")),
	    "UN Ali|AAA-INVITE Hortense");
	ck_assert_uint_eq(group("0690001A-4B")->nguests, 1);
	ck_assert_uint_eq(group("0690001A-4B")->nstudents, 1);
	ck_assert_str_eq(names(group("0690001A-STAFF")),
	    "PROF Alice|AIDE Cid|AAA-LEGER Bénédicte");
	ck_assert_str_eq(names(group("0690001A-SANS-CLASSE")), "TROIS Cy");
	ck_assert_ptr_null(group("0690001A-SANS-CLASSE")->cls);
	ck_assert_ptr_eq(group("0690001A-SANS-CLASSE")->school, s1);
	/* Attached by a function only: that school's staff. */
	ck_assert_str_eq(names(group("0690002B-STAFF")), "GESTION Bob");
	ck_assert_ptr_eq(group("0690002B-STAFF")->school, s2);

	/* One school printed: no prefix. */
	sel_opts_add(&so.schools, &so.nschools, "0690002B");
	build();
	ck_assert_str_eq(labels(), "4B STAFF");
}
END_TEST

START_TEST(test_label_sanitised)
{
	load_string(DOC(
	    STUDENT("s1", "UN", "Ali", "1$3ÈME B/2", "")));
	build();
	ck_assert_str_eq(labels(), "3_ME_B_2");
}
END_TEST

START_TEST(test_empty)
{
	load_string(DOC(""));
	build();
	ck_assert_uint_eq(run.ngroups, 0);
	ck_assert_uint_eq(run.nletterv, 0);
	ck_assert_uint_eq(run.ndepts, 0);
	ck_assert_str_eq(batch_section_name(SECTION_MAIL), "mail");
}
END_TEST

static Suite *
batch_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("batch");

	tc = tcase_create("par");
	tcase_add_test(tc, test_par_for);
	tcase_add_test(tc, test_par_sort);
	suite_add_tcase(s, tc);

	tc = tcase_create("address_key");
	tcase_add_test(tc, test_address_key);
	suite_add_tcase(s, tc);

	tc = tcase_create("demo_complet");
	tcase_add_unchecked_fixture(tc, demo_complet_load, demo_unload);
	tcase_add_checked_fixture(tc, common_setup, common_teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_address_key_demo);
	tcase_add_test(tc, test_demo_households);
	tcase_add_test(tc, test_demo_cases);
	tcase_add_test(tc, test_demo_address_too_long);
	tcase_add_test(tc, test_demo_staff);
	tcase_add_test(tc, test_demo_sections_class);
	tcase_add_test(tc, test_demo_sections_mail);
	tcase_add_test(tc, test_demo_cards);
	tcase_add_test(tc, test_demo_parallel);
	tcase_add_test(tc, test_demo_class_selection);
	suite_add_tcase(s, tc);

	tc = tcase_create("demo_delta");
	tcase_add_unchecked_fixture(tc, demo_delta_load, demo_unload);
	tcase_add_checked_fixture(tc, common_setup, common_teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_demo_delta);
	suite_add_tcase(s, tc);

	tc = tcase_create("built");
	tcase_add_checked_fixture(tc, common_setup, built_teardown);
	tcase_add_test(tc, test_natural_order);
	tcase_add_test(tc, test_accent_order);
	tcase_add_test(tc, test_mail_order);
	tcase_add_test(tc, test_two_classes_one_letter);
	tcase_add_test(tc, test_households_need_child_and_address);
	tcase_add_test(tc, test_recipient_lines);
	tcase_add_test(tc, test_schools_guests_sans_classe);
	tcase_add_test(tc, test_label_sanitised);
	tcase_add_test(tc, test_empty);
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
	sr = srunner_create(batch_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	aaf_global_cleanup();
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

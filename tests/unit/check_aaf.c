/*
 * check_aaf: the AAF reader: categories, request kinds, encodings,
 * entities, the $ rules, file ordering and hostile documents.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "aaf.h"
#include "diag.h"
#include "directory.h"
#include "mem.h"
#include "tests.h"

#define ETAB \
	"<addRequest><operationalAttributes><attr name=\"categorieStructure\">" \
	"<value>EtabEducNat</value></attr></operationalAttributes>" \
	"<identifier><id>30412</id></identifier><attributes>" \
	"<attr name=\"ENTStructureJointure\"><value>30412</value></attr>" \
	"<attr name=\"ENTStructureUAI\"><value>0691234X</value></attr>" \
	"<attr name=\"ENTStructureNomCourant\"><value>CLG$LES TILLEULS$LYON" \
	"</value></attr>" \
	"<attr name=\"ENTStructureClasses\"><value>4B$4EME B$10210001110</value>" \
	"<value>6A$6EME A$10010012110</value></attr>" \
	"</attributes></addRequest>\n"

#define STUDENT(id, sn, given, cls, rels) \
	"<addRequest><operationalAttributes><attr name=\"categoriePersonne\">" \
	"<value>Eleve</value></attr></operationalAttributes>" \
	"<identifier><id>" id "</id></identifier><attributes>" \
	"<attr name=\"ENTPersonJointure\"><value>" id "</value></attr>" \
	"<attr name=\"sn\"><value>" sn "</value></attr>" \
	"<attr name=\"givenName\"><value>" given "</value></attr>" \
	"<attr name=\"ENTPersonStructRattach\"><value>30412</value></attr>" \
	"<attr name=\"ENTEleveClasses\"><value>30412$" cls "</value></attr>" \
	"<attr name=\"ENTEleveNivFormation\"><value>4EME</value></attr>" \
	"<attr name=\"ENTElevePersRelEleve\">" rels "</attr>" \
	"</attributes></addRequest>\n"

#define RELATIVE(id, sn, given, addr) \
	"<addRequest><operationalAttributes><attr name=\"categoriePersonne\">" \
	"<value>PersRelEleve</value></attr></operationalAttributes>" \
	"<identifier><id>" id "</id></identifier><attributes>" \
	"<attr name=\"sn\"><value>" sn "</value></attr>" \
	"<attr name=\"givenName\"><value>" given "</value></attr>" \
	"<attr name=\"ENTPersonAdresse\"><value>" addr "</value></attr>" \
	"<attr name=\"ENTPersonCodePostal\"><value>69100</value></attr>" \
	"<attr name=\"ENTPersonVille\"><value>VILLEURBANNE</value></attr>" \
	"</attributes></addRequest>\n"

static struct directory	 d;

static void
setup(void)
{
	directory_init(&d);
	diagcap_start();
}

static void
teardown(void)
{
	diagcap_stop();
	directory_free(&d);
}

static char *
doc(const char *decl, const char *body)
{
	return aaf_doc(decl, body);
}

START_TEST(test_eleve_fields)
{
	char			*x = doc(NULL, ETAB
	    STUDENT("100", "DUPONT", "Anaïs", "4B",
	    "<value>200$10$1$1$0$0</value><value>201$20$1$2$0$0</value>")
	    RELATIVE("200", "DUPONT", "Marie", "12 RUE DES LILAS$BAT C$$")
	    RELATIVE("201", "MARTIN", "Paul", "3 PLACE X"));
	struct dir_person	*p, *r;

	ck_assert_int_eq(load_xml(&d, "t.xml", x, 0), 0);
	p = directory_person(&d, CAT_ELEVE, "100");
	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(p->last_name, "DUPONT");
	ck_assert_str_eq(p->first_name, "Anaïs");
	ck_assert_int_eq(p->profile, PROFILE_STUDENT);
	ck_assert_str_eq(p->level, "4EME");
	ck_assert_uint_eq(p->ncls, 1);
	ck_assert_str_eq(p->cls[0]->code, "4B");
	ck_assert_str_eq(p->cls[0]->label, "4EME B");
	ck_assert_str_eq(p->school->uai, "0691234X");
	ck_assert_str_eq(p->school->name, "CLG LES TILLEULS LYON");
	ck_assert_uint_eq(p->nlinks, 2);
	ck_assert_str_eq(p->links[0].rel->id, "200");
	ck_assert_uint_eq(p->links[0].lien, 10);
	ck_assert_uint_eq(p->links[0].legal, 1);
	ck_assert_uint_eq(p->links[1].legal, 2);
	r = directory_person(&d, CAT_PERSRELELEVE, "200");
	ck_assert_int_eq(r->profile, PROFILE_PARENT);
	ck_assert_str_eq(r->address, "12 RUE DES LILAS$BAT C$$");
	ck_assert_str_eq(r->postcode, "69100");
	ck_assert_uint_eq(r->nchildren, 1);
	ck_assert_ptr_eq(r->children[0].student, p);
	ck_assert_str_eq(diagcap_text(), "");
	free(x);
}
END_TEST

/*
 * The reader remembers the last request's attribute names by position:
 * requests that list theirs in another order, with names it does not
 * read in between, must still get every field right.
 */
#define REQ_ELEVE(id, attrs) \
	"<addRequest><operationalAttributes><attr name=\"categoriePersonne\">" \
	"<value>Eleve</value></attr></operationalAttributes>" \
	"<identifier><id>" id "</id></identifier><attributes>" attrs \
	"</attributes></addRequest>\n"
#define AV(n, v)	"<attr name=\"" n "\"><value>" v "</value></attr>"

START_TEST(test_attr_order)
{
	char			*x = doc(NULL, ETAB
	    REQ_ELEVE("100", AV("sn", "ALPHA") AV("givenName", "Anne")
	    AV("ENTEleveNivFormation", "4EME"))
	    REQ_ELEVE("101", AV("givenName", "Bruno") AV("sn", "BRAVO")
	    AV("ENTEleveNivFormation", "3EME"))
	    REQ_ELEVE("102", AV("homePhone", "0") AV("sn", "CHARLIE")
	    AV("ENTEleveNivFormation", "6EME") AV("givenName", "Chloe"))
	    REQ_ELEVE("103", AV("sn", "DELTA") AV("givenName", "Dora")
	    AV("ENTEleveNivFormation", "5EME")));
	static const char *const want[][4] = {
		{ "100", "ALPHA", "Anne", "4EME" },
		{ "101", "BRAVO", "Bruno", "3EME" },
		{ "102", "CHARLIE", "Chloe", "6EME" },
		{ "103", "DELTA", "Dora", "5EME" },
	};
	struct dir_person	*p;
	size_t			 i;

	ck_assert_int_eq(load_xml(&d, "t.xml", x, 0), 0);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		p = directory_person(&d, CAT_ELEVE, want[i][0]);
		ck_assert_ptr_nonnull(p);
		ck_assert_str_eq(p->last_name, want[i][1]);
		ck_assert_str_eq(p->first_name, want[i][2]);
		ck_assert_str_eq(p->level, want[i][3]);
	}
	free(x);
}
END_TEST

START_TEST(test_etab_classes)
{
	char			*x = doc(NULL, ETAB);
	struct dir_school	*s;

	load_xml(&d, "t.xml", x, 0);
	s = directory_school(&d, "30412");
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(s->nclasses, 2);
	/* Natural order: 4B before 6A. */
	ck_assert_str_eq(s->classes[0]->code, "4B");
	ck_assert_str_eq(s->classes[1]->code, "6A");
	ck_assert_str_eq(s->classes[1]->mef, "10010012110");
	ck_assert_ptr_eq(directory_school_by_uai(&d, "0691234x"), s);
	free(x);
}
END_TEST

START_TEST(test_matiere_mef)
{
	char			*x = doc(NULL,
	    "<addRequest><operationalAttributes><attr name=\"categorieMatiere\">"
	    "<value>MatiereEducNat</value></attr></operationalAttributes>"
	    "<identifier><id>061300</id></identifier><attributes>"
	    "<attr name=\"ENTLibelleMatiere\"><value>MATHEMATIQUES</value></attr>"
	    "</attributes></addRequest>"
	    "<addRequest><operationalAttributes><attr name=\"categorieMef\">"
	    "<value>MefEducNat</value></attr></operationalAttributes>"
	    "<identifier><id>10210001110</id></identifier><attributes>"
	    "<attr name=\"ENTLibelleMef\"><value>4EME</value></attr>"
	    "<attr name=\"ENTNivFormation\"><value>4EME</value></attr>"
	    "</attributes></addRequest>");
	struct dir_nomen	*m;

	load_xml(&d, "t.xml", x, 0);
	m = hmap_get(&d.ids[CAT_MATIERE], "061300");
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->label, "MATHEMATIQUES");
	m = hmap_get(&d.ids[CAT_MEF], "10210001110");
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->level, "4EME");
	ck_assert_uint_eq(d.stats.records, 2);
	free(x);
}
END_TEST

#define EDUC(id, extra) \
	"<addRequest><operationalAttributes><attr name=\"categoriePersonne\">" \
	"<value>PersEducNat</value></attr></operationalAttributes>" \
	"<identifier><id>" id "</id></identifier><attributes>" \
	"<attr name=\"sn\"><value>NOM" id "</value></attr>" \
	"<attr name=\"givenName\"><value>PRENOM</value></attr>" \
	extra "</attributes></addRequest>\n"

START_TEST(test_educnat_profiles)
{
	char	*x = doc(NULL, ETAB
	    EDUC("1", "<attr name=\"ENTPersonCategorieEnseignant\"><value>N</value>"
		"</attr><attr name=\"PersEducNatPresenceDevantEleves\"><value>O"
		"</value></attr>")
	    EDUC("2", "<attr name=\"ENTPersonCategorieEnseignant\"><value>O</value>"
		"</attr>")
	    EDUC("3", "<attr name=\"PersEducNatPresenceDevantEleves\"><value>O"
		"</value></attr>")
	    EDUC("4", "<attr name=\"ENTPersonFonctions\"><value>30412$DOC$"
		"DOCUMENTATION$L0080$DOCUMENTATION</value></attr>")
	    EDUC("5", "<attr name=\"ENTPersonFonctions\"><value>30412$DIR$"
		"DIRECTION$-$-</value><value>99999$ENS$ENSEIGNEMENT$x$y</value>"
		"</attr><attr name=\"ENTPersonStructRattach\"><value/></attr>")
	    EDUC("6", "<attr name=\"PersEducNatPresenceDevantEleves\"><value>N"
		"</value></attr><attr name=\"ENTPersonFonctions\"><value>30412$"
		"ADF$ADMINISTRATION$-$-</value></attr>"));

	load_xml(&d, "t.xml", x, 0);
	ck_assert_int_eq(directory_person(&d, CAT_PERSEDUCNAT, "1")->profile,
	    PROFILE_STAFF);
	ck_assert_int_eq(directory_person(&d, CAT_PERSEDUCNAT, "2")->profile,
	    PROFILE_TEACHER);
	ck_assert_int_eq(directory_person(&d, CAT_PERSEDUCNAT, "3")->profile,
	    PROFILE_TEACHER);
	ck_assert_int_eq(directory_person(&d, CAT_PERSEDUCNAT, "4")->profile,
	    PROFILE_TEACHER);
	/* An ENS function in any structure makes a teacher. */
	ck_assert_int_eq(directory_person(&d, CAT_PERSEDUCNAT, "5")->profile,
	    PROFILE_TEACHER);
	/* Empty StructRattach: the school comes from the functions. */
	ck_assert_ptr_nonnull(directory_person(&d, CAT_PERSEDUCNAT, "5")->school);
	ck_assert_str_eq(directory_person(&d, CAT_PERSEDUCNAT, "5")->school->id,
	    "30412");
	ck_assert_int_eq(directory_person(&d, CAT_PERSEDUCNAT, "6")->profile,
	    PROFILE_STAFF);
	ck_assert_str_eq(directory_person(&d, CAT_PERSEDUCNAT, "6")->function,
	    "ADMINISTRATION");
	free(x);
}
END_TEST

START_TEST(test_teacher_classes_pp)
{
	char			*x = doc(NULL, ETAB
	    EDUC("7", "<attr name=\"ENTAuxEnsClassesMatieres\"><value>30412$4B$"
		"061300</value><value>30412$6A$061300</value></attr>"
		"<attr name=\"ENTAuxEnsClasses\"><value>30412$4B</value>"
		"<value>30412$4B</value></attr>"
		"<attr name=\"ENTAuxEnsClassesPrincipal\"><value>30412$4B</value>"
		"<value>30412$4B</value></attr>"));
	struct dir_person	*t;
	struct dir_class	*c;

	load_xml(&d, "t.xml", x, 0);
	t = directory_person(&d, CAT_PERSEDUCNAT, "7");
	ck_assert_uint_eq(t->ncls, 2);
	ck_assert_uint_eq(t->npp_of, 1);
	c = directory_class(&d, "30412", "4B");
	ck_assert_uint_eq(c->npp, 1);
	ck_assert_ptr_eq(c->pp[0], t);
	ck_assert_uint_eq(c->nteachers, 1);
	ck_assert_ptr_nonnull(strstr(diagcap_text(),
	    "WARNING: head teacher listed twice"));
	free(x);
}
END_TEST

START_TEST(test_modify_delete)
{
	char			*x = doc(NULL, ETAB
	    STUDENT("100", "DUPONT", "Anaïs", "4B", "<value/>")
	    STUDENT("101", "DURAND", "Léo", "4B", "<value/>"));
	char			*delta = doc(NULL,
	    "<modifyRequest><operationalAttributes><attr name=\"categoriePersonne\">"
	    "<value>Eleve</value></attr></operationalAttributes>"
	    "<identifier><id>100</id></identifier><modifications>"
	    "<modification name=\"ENTEleveClasses\" operation=\"replace\">"
	    "<value>30412$6A</value></modification></modifications>"
	    "</modifyRequest>\n"
	    "<deleteRequest><operationalAttributes><attr name=\"categoriePersonne\">"
	    "<value>Eleve</value></attr></operationalAttributes>"
	    "<identifier><id>101</id></identifier></deleteRequest>\n"
	    "<deleteRequest><operationalAttributes><attr name=\"categoriePersonne\">"
	    "<value>Eleve</value></attr></operationalAttributes>"
	    "<identifier><id>999</id></identifier></deleteRequest>\n");
	struct dir_person	*p;

	aaf_read_memory(&d, "c.xml", x, strlen(x), 0);
	aaf_read_memory(&d, "d.xml", delta, strlen(delta), 1);
	directory_resolve(&d);
	p = directory_person(&d, CAT_ELEVE, "100");
	ck_assert_str_eq(p->cls[0]->code, "6A");
	/* Only the modified field changed. */
	ck_assert_str_eq(p->last_name, "DUPONT");
	ck_assert_int_eq(directory_person(&d, CAT_ELEVE, "101")->deleted, 1);
	ck_assert_uint_eq(directory_class(&d, "30412", "4B")->nstudents, 0);
	ck_assert_uint_eq(d.stats.modified, 1);
	ck_assert_uint_eq(d.stats.deleted, 1);
	ck_assert_ptr_nonnull(strstr(diagcap_text(),
	    "d.xml:5:0: WARNING: deletion of an unknown id, ignored: Eleve 999"));
	free(x);
	free(delta);
}
END_TEST

START_TEST(test_modify_clears)
{
	char			*x = doc(NULL, RELATIVE("200", "A", "B", "1 RUE X"));
	char			*delta = doc(NULL,
	    "<modifyRequest><operationalAttributes><attr name=\"categoriePersonne\">"
	    "<value>PersRelEleve</value></attr></operationalAttributes>"
	    "<identifier><id>200</id></identifier><modifications>"
	    "<modification name=\"ENTPersonAdresse\" operation=\"replace\">"
	    "<value/></modification></modifications></modifyRequest>\n");
	struct dir_person	*p;

	aaf_read_memory(&d, "c.xml", x, strlen(x), 0);
	aaf_read_memory(&d, "d.xml", delta, strlen(delta), 1);
	directory_resolve(&d);
	p = directory_person(&d, CAT_PERSRELELEVE, "200");
	ck_assert_ptr_null(p->address);
	ck_assert_str_eq(p->city, "VILLEURBANNE");
	free(x);
	free(delta);
}
END_TEST

START_TEST(test_encoding_latin9)
{
	/* 0xBD is œ in ISO-8859-15 and ½ in ISO-8859-1. */
	char	*x15 = doc("<?xml version=\"1.0\" encoding=\"ISO-8859-15\"?>\n",
	    RELATIVE("1", "C\xbcUR", "Agn\xe8s", "X"));
	char	*x1 = doc("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n",
	    RELATIVE("2", "C\xbdUR", "Agn\xe8s", "X"));

	load_xml(&d, "a.xml", x15, 0);
	d.resolved = 0;
	load_xml(&d, "b.xml", x1, 0);
	ck_assert_str_eq(directory_person(&d, CAT_PERSRELELEVE, "1")->last_name,
	    "CŒUR");
	ck_assert_str_eq(directory_person(&d, CAT_PERSRELELEVE, "1")->first_name,
	    "Agnès");
	ck_assert_str_eq(directory_person(&d, CAT_PERSRELELEVE, "2")->last_name,
	    "C½UR");
	free(x15);
	free(x1);
}
END_TEST

START_TEST(test_encoding_undeclared_and_refs)
{
	/* No declaration: UTF-8.  Character references and &apos;. */
	char	*x = aaf_doc("<!DOCTYPE ficAlimMENESR SYSTEM "
	    "\"ficAlimMENESR.dtd\">\n",
	    RELATIVE("1", "D&apos;ALMEIDA", "Zo&#233; &#x153;", "X")
	    RELATIVE("2", "\xc3\x89MILE", "B", "X"));

	ck_assert_int_eq(load_xml(&d, "a.xml", x, 0), 0);
	ck_assert_str_eq(directory_person(&d, CAT_PERSRELELEVE, "1")->last_name,
	    "D'ALMEIDA");
	ck_assert_str_eq(directory_person(&d, CAT_PERSRELELEVE, "1")->first_name,
	    "Zoé œ");
	ck_assert_str_eq(directory_person(&d, CAT_PERSRELELEVE, "2")->last_name,
	    "ÉMILE");
	ck_assert_str_eq(diagcap_text(), "");
	free(x);
}
END_TEST

START_TEST(test_wrong_encoding)
{
	/* Declared UTF-8, written in Latin-1: the first record survives. */
	char	*x = doc(NULL, RELATIVE("1", "OK", "A", "X")
	    RELATIVE("2", "\xe9t\xe9", "B", "X"));

	ck_assert_int_eq(load_xml(&d, "a.xml", x, 0), -1);
	ck_assert_ptr_nonnull(directory_person(&d, CAT_PERSRELELEVE, "1"));
	ck_assert_ptr_null(directory_person(&d, CAT_PERSRELELEVE, "2"));
	ck_assert_ptr_nonnull(strstr(diagcap_text(), "a.xml:4:"));
	ck_assert_ptr_nonnull(strstr(diagcap_text(),
	    "ERROR: unsupported or wrong character encoding"));
	ck_assert_int_eq(diag_worst(), LEVEL_ERROR);
	free(x);
}
END_TEST

START_TEST(test_whitespace_comments)
{
	char	*x = doc(NULL,
	    "<addRequest>\n  <operationalAttributes>\n    <attr name="
	    "\"categoriePersonne\">\n      <value>PersRelEleve</value>\n"
	    "    </attr>\n  </operationalAttributes>\n  <identifier>\n"
	    "    <id> 77 </id>\n  </identifier>\n  <attributes>\n"
	    "    <!-- a comment -->\n    <attr name=\"sn\">\n"
	    "      <value>\n        LEGRAND\n      </value>\n    </attr>\n"
	    "    <attr name=\"mobile\">\n      <value>06</value>\n"
	    "      <value>07</value>\n    </attr>\n"
	    "    <attr name=\"givenName\"><value><![CDATA[Ana & Lou]]></value>"
	    "</attr>\n  </attributes>\n</addRequest>\n");
	struct dir_person	*p;

	load_xml(&d, "a.xml", x, 0);
	p = directory_person(&d, CAT_PERSRELELEVE, "77");
	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(p->last_name, "LEGRAND");
	ck_assert_str_eq(p->first_name, "Ana & Lou");
	ck_assert_uint_eq(p->src.line, 3);
	free(x);
}
END_TEST

/*
 * The reader knows an element by its local name, as libxml2 interns it:
 * a namespace bound to a prefix or by default leaves the name as it is,
 * a prefix bound to nothing makes it another name (p:addRequest is not
 * a request), and so does a different case.
 */
START_TEST(test_names_namespaces)
{
	const char	*x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<ficAlimMENESR xmlns=\"urn:test\" xmlns:q=\"urn:q\">\n"
	    RELATIVE("1", "PLAIN", "A", "X")
	    "<q:addRequest><q:operationalAttributes><q:attr name="
	    "\"categoriePersonne\"><q:value>PersRelEleve</q:value></q:attr>"
	    "</q:operationalAttributes><q:identifier><q:id>2</q:id>"
	    "</q:identifier><q:attributes><q:attr name=\"sn\"><q:value>BOUND"
	    "</q:value></q:attr></q:attributes></q:addRequest>\n"
	    "<p:addRequest><operationalAttributes><attr name="
	    "\"categoriePersonne\"><value>PersRelEleve</value></attr>"
	    "</operationalAttributes><identifier><id>3</id></identifier>"
	    "</p:addRequest>\n"
	    "<AddRequest><operationalAttributes><attr name="
	    "\"categoriePersonne\"><value>PersRelEleve</value></attr>"
	    "</operationalAttributes><identifier><id>4</id></identifier>"
	    "</AddRequest>\n"
	    RELATIVE("5", "AFTER", "B", "X")
	    "</ficAlimMENESR>\n";
	struct dir_person	*p;

	load_xml(&d, "n.xml", x, 0);
	ck_assert_ptr_nonnull(directory_person(&d, CAT_PERSRELELEVE, "1"));
	p = directory_person(&d, CAT_PERSRELELEVE, "2");
	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(p->last_name, "BOUND");
	ck_assert_ptr_null(directory_person(&d, CAT_PERSRELELEVE, "3"));
	ck_assert_ptr_null(directory_person(&d, CAT_PERSRELELEVE, "4"));
	ck_assert_ptr_nonnull(directory_person(&d, CAT_PERSRELELEVE, "5"));
}
END_TEST

START_TEST(test_bad_records)
{
	char	*x = doc(NULL,
	    "<addRequest><operationalAttributes><attr name=\"categoriePersonne\">"
	    "<value>Eleve</value></attr></operationalAttributes>"
	    "<identifier><id></id></identifier><attributes/></addRequest>\n"
	    "<addRequest><identifier><id>5</id></identifier><attributes/>"
	    "</addRequest>\n"
	    "<addRequest><operationalAttributes><attr name=\"categoriePersonne\">"
	    "<value>Martien</value></attr></operationalAttributes>"
	    "<identifier><id>6</id></identifier><attributes/></addRequest>\n"
	    RELATIVE("7", "GOOD", "ONE", "X"));

	load_xml(&d, "a.xml", x, 0);
	ck_assert_uint_eq(d.stats.skipped, 3);
	ck_assert_ptr_nonnull(directory_person(&d, CAT_PERSRELELEVE, "7"));
	ck_assert_ptr_nonnull(strstr(diagcap_text(),
	    "a.xml:3:0: ERROR: record without id, skipped"));
	ck_assert_ptr_nonnull(strstr(diagcap_text(),
	    "a.xml:4:0: ERROR: record without category, skipped: 5"));
	ck_assert_ptr_nonnull(strstr(diagcap_text(),
	    "a.xml:5:0: ERROR: unknown category, record skipped: Martien, id 6"));
	free(x);
}
END_TEST

START_TEST(test_not_aaf)
{
	const char	*html = "<html><body><p>x</p></body></html>";
	const char	*broken = "<html><body><p>x<br></body></html>";

	ck_assert_int_eq(load_xml(&d, "a.html", html, 0), -1);
	ck_assert_ptr_nonnull(strstr(diagcap_text(),
	    "ERROR: not an AAF export, file skipped: root element is html"));
	ck_assert_int_eq(load_xml(&d, "b.html", broken, 0), -1);
	ck_assert_ptr_nonnull(strstr(diagcap_text(),
	    "b.html:1:"));
	ck_assert_ptr_nonnull(strstr(diagcap_text(), "ERROR: malformed XML"));
}
END_TEST

START_TEST(test_truncated)
{
	char	*x = doc(NULL, RELATIVE("1", "KEPT", "A", "X")
	    RELATIVE("2", "LOST", "B", "X"));

	x[strlen(x) - 200] = '\0';
	ck_assert_int_eq(load_xml(&d, "t.xml", x, 0), -1);
	ck_assert_ptr_nonnull(directory_person(&d, CAT_PERSRELELEVE, "1"));
	ck_assert_ptr_null(directory_person(&d, CAT_PERSRELELEVE, "2"));
	ck_assert_ptr_nonnull(strstr(diagcap_text(),
	    "ERROR: malformed XML, rest of the file skipped"));
	free(x);
}
END_TEST

START_TEST(test_xxe_never_read)
{
	char	*x = aaf_doc("<?xml version=\"1.0\"?>\n<!DOCTYPE ficAlimMENESR ["
	    "<!ENTITY xxe SYSTEM \"file:///etc/hostname\">"
	    "<!ENTITY loc \"INTERNAL\">]>\n",
	    RELATIVE("1", "&xxe;", "A", "X")
	    RELATIVE("2", "&loc;", "B", "X")
	    RELATIVE("3", "SAFE", "C", "X"));
	size_t	 i;

	load_xml(&d, "x.xml", x, 0);
	ck_assert_ptr_null(directory_person(&d, CAT_PERSRELELEVE, "1"));
	ck_assert_ptr_null(directory_person(&d, CAT_PERSRELELEVE, "2"));
	ck_assert_ptr_nonnull(directory_person(&d, CAT_PERSRELELEVE, "3"));
	ck_assert_ptr_nonnull(strstr(diagcap_text(),
	    "ERROR: entity reference not allowed, record skipped: 1"));
	for (i = 0; i < d.npersons; i++)
		ck_assert_ptr_null(strstr(d.persons[i]->last_name, "INTERNAL"));
	free(x);
}
END_TEST

START_TEST(test_billion_laughs)
{
	struct buf	 b;
	char		*x;
	int		 i, j;
	clock_t		 t0;

	buf_init(&b);
	buf_adds(&b, "<?xml version=\"1.0\"?>\n<!DOCTYPE ficAlimMENESR [\n"
	    "<!ENTITY l0 \"lol\">\n");
	for (i = 1; i < 10; i++) {
		buf_printf(&b, "<!ENTITY l%d \"", i);
		for (j = 0; j < 10; j++)
			buf_printf(&b, "&l%d;", i - 1);
		buf_adds(&b, "\">\n");
	}
	buf_adds(&b, "]>\n");
	x = aaf_doc(b.p, RELATIVE("1", "&l9;", "A", "X"));
	t0 = clock();
	load_xml(&d, "lol.xml", x, 0);
	/* A guard against runaway expansion, not a benchmark. */
	ck_assert_int_lt((int)(clock() - t0), 5 * CLOCKS_PER_SEC);
	ck_assert_ptr_null(directory_person(&d, CAT_PERSRELELEVE, "1"));
	ck_assert_int_ge(diag_worst(), LEVEL_ERROR);
	buf_free(&b);
	free(x);
}
END_TEST

START_TEST(test_1d_names)
{
	char			*x = doc(NULL,
	    "<addRequest><operationalAttributes><attr name=\"categoriePersonne\">"
	    "<value>Eleve</value></attr></operationalAttributes>"
	    "<identifier><id>10</id></identifier><attributes>"
	    "<attr name=\"ENTPersonNom\"><value>PETIT</value></attr>"
	    "<attr name=\"ENTPersonPrenom\"><value>Lou</value></attr>"
	    "<attr name=\"ENTPersonStructRattach\"><value>30412</value></attr>"
	    "<attr name=\"ENTPersonClasses\"><value>30412$CM2</value></attr>"
	    "<attr name=\"ENTEleveNiveau\"><value>CM2</value></attr>"
	    "</attributes></addRequest>\n"
	    "<addRequest><operationalAttributes><attr name=\"categoriePersonne\">"
	    "<value>PersRelEleve</value></attr></operationalAttributes>"
	    "<identifier><id>20</id></identifier><attributes>"
	    "<attr name=\"ENTPersonNom\"><value>PETIT</value></attr>"
	    "<attr name=\"ENTPersonPrenom\"><value>Jean</value></attr>"
	    "<attr name=\"ENTPersRelEleveEleve\"><value>10</value></attr>"
	    "</attributes></addRequest>\n" ETAB);
	struct dir_person	*s;

	load_xml(&d, "a.xml", x, 0);
	s = directory_person(&d, CAT_ELEVE, "10");
	ck_assert_str_eq(s->last_name, "PETIT");
	ck_assert_str_eq(s->level, "CM2");
	ck_assert_str_eq(s->cls[0]->code, "CM2");
	ck_assert_uint_eq(s->nlinks, 1);
	ck_assert_str_eq(s->links[0].rel->id, "20");
	ck_assert_uint_eq(s->links[0].legal, 1);
	free(x);
}
END_TEST

START_TEST(test_dangling_and_ids)
{
	/* A relative id equal to the student's own id is another person. */
	char			*x = doc(NULL, ETAB
	    STUDENT("300", "X", "Y", "4B", "<value>300$10$1$1$0$0</value>"
		"<value>404$20$1$1$0$0</value><value>bad</value>")
	    RELATIVE("300", "Z", "W", "X"));
	struct dir_person	*s;

	load_xml(&d, "a.xml", x, 0);
	s = directory_person(&d, CAT_ELEVE, "300");
	ck_assert_uint_eq(s->nlinks, 1);
	ck_assert_ptr_eq(s->links[0].rel,
	    directory_person(&d, CAT_PERSRELELEVE, "300"));
	ck_assert_ptr_nonnull(strstr(diagcap_text(),
	    "WARNING: relative link to a person who is not in the export, "
	    "dropping it: student 300, relative 404"));
	ck_assert_ptr_nonnull(strstr(diagcap_text(),
	    "WARNING: malformed relative link, dropping it: student 300: bad"));
	free(x);
}
END_TEST

START_TEST(test_duplicate_complet)
{
	char	*x = doc(NULL, RELATIVE("1", "FIRST", "A", "X")
	    RELATIVE("1", "SECOND", "B", "Y"));

	load_xml(&d, "a.xml", x, 0);
	ck_assert_str_eq(directory_person(&d, CAT_PERSRELELEVE, "1")->last_name,
	    "SECOND");
	ck_assert_ptr_nonnull(strstr(diagcap_text(),
	    "a.xml:4:0: WARNING: duplicate record id, the later one wins"));
	free(x);
}
END_TEST

/* --- file ordering -------------------------------------------------- */

static char	tmpdir[64];

static void
touch(const char *name)
{
	char	*p;
	FILE	*fp;

	xasprintf(&p, "%s/%s", tmpdir, name);
	fp = fopen(p, "w");
	ck_assert_ptr_nonnull(fp);
	fputs("<ficAlimMENESR/>\n", fp);
	fclose(fp);
	free(p);
}

START_TEST(test_order)
{
	struct aaf_set	 set;
	size_t		 i;
	const char	*base;
	static const char *const expect[] = {
		"ENT_Complet_20260901_EtabEducNat_0000.xml",
		"ENT_Complet_20260901_Eleve_0000.xml",
		"ENT_Complet_20260901_Eleve_0001.xml",
		"ENT_Complet_20260901_PersRelEleve_0000.xml",
		"ENT_Delta_20260915_PersEducNat_0000.xml",
		"ENT_Delta_20261002_Eleve_0000.xml",
		"ENT_Delta_20261002_PersRelEleve_0000.xml",
	};

	strcpy(tmpdir, "/tmp/entpress-order-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	touch("ENT_Delta_20261002_PersRelEleve_0000.xml");
	touch("ENT_Delta_20261002_Eleve_0000.xml");
	touch("ENT_Complet_20260901_PersRelEleve_0000.xml");
	touch("ENT_Complet_20260901_Eleve_0001.xml");
	touch("ENT_Complet_20260901_Eleve_0000.xml");
	touch("ENT_Complet_20260901_EtabEducNat_0000.xml");
	touch("ENT_Delta_20260915_PersEducNat_0000.xml");
	touch("ENT_Complet_20250901_Eleve_0000.xml");	/* superseded */
	touch("ENT_Delta_20250915_Eleve_0000.xml");	/* superseded */
	touch("OTHER_Complet_20240101_Eleve_0000.xml");	/* other prefix */
	touch("README.txt");				/* not .xml */

	aaf_set_init(&set);
	ck_assert_int_eq(aaf_collect(&set, tmpdir), 0);
	ck_assert_uint_eq(set.n, 10);
	aaf_order(&set);
	/* OTHER's Complet is oldest, so it comes first and stays. */
	base = strrchr(set.v[0].name, '/') + 1;
	ck_assert_str_eq(base, "OTHER_Complet_20240101_Eleve_0000.xml");
	ck_assert_int_eq(set.v[0].ignored, 0);
	ck_assert_int_eq(set.v[1].ignored, 1);	/* Complet 2025 */
	{
		size_t	 k = 0;

		for (i = 0; i < set.n; i++) {
			if (set.v[i].ignored || i == 0)
				continue;
			base = strrchr(set.v[i].name, '/') + 1;
			ck_assert_str_eq(base, expect[k]);
			k++;
		}
		ck_assert_uint_eq(k, 7);
	}
	ck_assert_ptr_nonnull(strstr(diagcap_text(),
	    "ENT_Delta_20250915_Eleve_0000.xml: WARNING: older than the newest "
	    "Complet export of the same prefix, ignored"));
	aaf_set_free(&set);
	for (i = 0; i < sizeof(expect) / sizeof(expect[0]); i++) {
		char *p;
		xasprintf(&p, "%s/%s", tmpdir, expect[i]);
		unlink(p);
		free(p);
	}
	{
		static const char *const more[] = {
			"ENT_Complet_20250901_Eleve_0000.xml",
			"ENT_Delta_20250915_Eleve_0000.xml",
			"OTHER_Complet_20240101_Eleve_0000.xml", "README.txt" };
		for (i = 0; i < 4; i++) {
			char *p;
			xasprintf(&p, "%s/%s", tmpdir, more[i]);
			unlink(p);
			free(p);
		}
	}
	rmdir(tmpdir);
}
END_TEST

START_TEST(test_unnamed_file)
{
	struct aaf_set	 set;

	aaf_set_init(&set);
	strcpy(tmpdir, "/tmp/entpress-name-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	touch("eleves.xml");
	{
		char *p;
		xasprintf(&p, "%s/eleves.xml", tmpdir);
		aaf_collect(&set, p);
		aaf_order(&set);
		ck_assert_uint_eq(set.n, 1);
		ck_assert_int_eq(set.v[0].kind, AAF_COMPLET);
		ck_assert_int_eq(set.v[0].ignored, 0);
		ck_assert_ptr_nonnull(strstr(diagcap_text(),
		    "WARNING: file name does not follow the AAF pattern"));
		unlink(p);
		free(p);
	}
	rmdir(tmpdir);
	aaf_set_free(&set);
}
END_TEST

/*
 * Several plain files are parsed on worker threads and applied in
 * order: the directory, the messages and the counts must be those of
 * reading the same files one at a time (a set of one file is read in
 * place).  The files hold what each path of the reader queues: records
 * over many blocks and one larger than a block, rejected records, a
 * modification that is not a replace, an entity, a record cut by a
 * fatal error, a duplicate across files (reported by the directory, on
 * the applying thread), a document that is not AAF and an empty file.
 */
static const char *const par_names[] = {
	"ENT_Complet_20260901_EtabEducNat_0000.xml",
	"ENT_Complet_20260901_Eleve_0000.xml",
	"ENT_Complet_20260901_Eleve_0001.xml",
	"ENT_Complet_20260901_PersRelEleve_0000.xml",
	"ENT_Complet_20260901_PersEducNat_0000.xml",
	"ENT_Complet_20260901_PersEducNat_0001.xml",
};

static void
par_write(const char *name, const char *text)
{
	char	*p;
	FILE	*fp;

	xasprintf(&p, "%s/%s", tmpdir, name);
	fp = fopen(p, "w");
	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	fclose(fp);
	free(p);
}

static void
par_files(void)
{
	struct buf	 b, vals;
	char		*x, *a, *r, id[16];
	int		 i;

	x = doc(NULL, ETAB);
	par_write(par_names[0], x);
	free(x);

	/* 400 students: several 64 KB blocks; a bad record; the end cut. */
	buf_init(&b);
	buf_adds(&b, "<addRequest><identifier><id>9</id></identifier>"
	    "<attributes/></addRequest>\n"
	    "<modifyRequest><operationalAttributes><attr name=\"c\">"
	    "<value>Eleve</value></attr></operationalAttributes>"
	    "<identifier><id>999</id></identifier><modifications>"
	    "<modification name=\"sn\" operation=\"add\"><value>X</value>"
	    "</modification></modifications></modifyRequest>\n");
	for (i = 0; i < 400; i++) {
		snprintf(id, sizeof(id), "%d", 1000 + i);
		a = aaf_attr("sn", i == 7 ? "&lt;SEPT&gt;" : "NOM");
		r = aaf_add("Eleve", id, a);
		buf_adds(&b, r);
		free(a);
		free(r);
	}
	x = doc(NULL, b.p);
	x[strlen(x) - 150] = '\0';
	par_write(par_names[1], x);
	free(x);

	/* A duplicate of the first file, an entity, 3,000 values. */
	buf_reset(&b);
	a = aaf_attr("sn", "DOUBLE");
	r = aaf_add("Eleve", "1000", a);
	buf_adds(&b, r);
	free(a);
	free(r);
	buf_adds(&b, "<addRequest><operationalAttributes><attr name=\"c\">"
	    "<value>Eleve</value></attr></operationalAttributes>"
	    "<identifier><id>8</id></identifier><attributes>"
	    "<attr name=\"sn\"><value>&ent;</value></attr>"
	    "</attributes></addRequest>\n");
	buf_init(&vals);
	for (i = 0; i < 3000; i++)
		buf_printf(&vals, "<value>30412$CLASSE-%04d</value>", i);
	xasprintf(&a, "<attr name=\"ENTEleveClasses\">%s</attr>", vals.p);
	r = aaf_add("Eleve", "2000", a);
	buf_adds(&b, r);
	free(a);
	free(r);
	x = aaf_doc("<?xml version=\"1.0\"?>\n<!DOCTYPE ficAlimMENESR ["
	    "<!ENTITY ent \"E\">]>\n", b.p);
	par_write(par_names[2], x);
	free(x);
	buf_free(&vals);
	buf_free(&b);

	par_write(par_names[3], "<html><body/></html>\n");
	par_write(par_names[4], "");
	x = doc(NULL, RELATIVE("7", "FIN", "A", "X"));
	par_write(par_names[5], x);
	free(x);
}

/* Read into dir, the set whole or one file at a time; the messages. */
static char *
par_read(struct directory *dir, int one_by_one)
{
	struct aaf_set	 set, one;
	size_t		 i;

	diagcap_start();
	aaf_set_init(&set);
	ck_assert_int_eq(aaf_collect(&set, tmpdir), 0);
	aaf_order(&set);
	ck_assert_uint_eq(set.n, sizeof(par_names) / sizeof(par_names[0]));
	if (!one_by_one)
		ck_assert_int_eq(aaf_read(&set, dir), -1);
	else
		for (i = 0; i < set.n; i++) {
			aaf_set_init(&one);
			aaf_collect(&one, set.v[i].path);
			aaf_read(&one, dir);
			aaf_set_free(&one);
		}
	aaf_set_free(&set);
	return xstrdup(diagcap_text());
}

START_TEST(test_parallel_as_serial)
{
	struct directory	 s;
	struct dir_person	*p, *q;
	char			*par, *ser, *path;
	enum diag_level		 worst;
	unsigned long		 warn, err, sys;
	size_t			 i;

	strcpy(tmpdir, "/tmp/entpress-par-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	par_files();

	par = par_read(&d, 0);
	worst = diag_worst();
	warn = diag_count(LEVEL_WARNING);
	err = diag_count(LEVEL_ERROR);
	sys = diag_count(LEVEL_SYSERR);
	directory_init(&s);
	ser = par_read(&s, 1);
	ck_assert_str_eq(par, ser);
	ck_assert_int_eq(diag_worst(), worst);
	ck_assert_uint_eq(diag_count(LEVEL_WARNING), warn);
	ck_assert_uint_eq(diag_count(LEVEL_ERROR), err);
	ck_assert_uint_eq(diag_count(LEVEL_SYSERR), sys);
	/* Each kind of message is there, in the order of the files. */
	ck_assert_ptr_nonnull(strstr(par, "Eleve_0000.xml:4:0: WARNING: "
	    "modification operation is not replace"));
	ck_assert_ptr_nonnull(strstr(par, "Eleve_0000.xml:4:0: WARNING: "
	    "modification of an unknown id"));
	ck_assert_ptr_nonnull(strstr(par, "ERROR: record without category"));
	ck_assert_ptr_nonnull(strstr(par, "ERROR: entity reference"));
	ck_assert_ptr_nonnull(strstr(par, "Eleve_0001.xml:4:0: WARNING: "
	    "duplicate record id"));
	ck_assert_ptr_nonnull(strstr(par, "ERROR: not an AAF export"));
	ck_assert_ptr_nonnull(strstr(par, "ERROR: not an AAF export, file "
	    "skipped: empty file"));
	ck_assert(strstr(par, "malformed XML") <
	    strstr(par, "duplicate record id"));

	ck_assert_uint_eq(d.stats.records, s.stats.records);
	ck_assert_uint_eq(d.stats.skipped, s.stats.skipped);
	ck_assert_uint_eq(d.stats.added, s.stats.added);
	ck_assert_uint_eq(d.stats.modified, s.stats.modified);
	ck_assert_uint_eq(d.stats.files, s.stats.files);
	ck_assert_uint_eq(d.npersons, s.npersons);
	ck_assert_uint_ge(d.npersons, 400);
	for (i = 0; i < d.npersons; i++) {
		p = d.persons[i];
		q = s.persons[i];
		ck_assert_str_eq(p->id, q->id);
		ck_assert_str_eq(p->src.file, q->src.file);
		ck_assert_uint_eq(p->src.line, q->src.line);
		ck_assert_str_eq(p->last_name != NULL ? p->last_name : "",
		    q->last_name != NULL ? q->last_name : "");
	}
	p = directory_person(&d, CAT_ELEVE, "1007");
	ck_assert_str_eq(p->last_name, "<SEPT>");
	p = directory_person(&d, CAT_ELEVE, "2000");
	ck_assert_uint_eq(p->raw->classes.n, 3000);
	ck_assert_str_eq(p->raw->classes.v[2999], "30412$CLASSE-2999");
	/* The name is the directory's own, interned as before. */
	ck_assert_ptr_eq(p->src.file, directory_intern(&d, p->src.file));

	directory_free(&s);
	free(par);
	free(ser);
	for (i = 0; i < sizeof(par_names) / sizeof(par_names[0]); i++) {
		xasprintf(&path, "%s/%s", tmpdir, par_names[i]);
		unlink(path);
		free(path);
	}
	rmdir(tmpdir);
}
END_TEST

Suite *
aaf_suite(void)
{
	Suite	*s = suite_create("aaf");
	TCase	*tc;

	tc = tcase_create("categories");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_eleve_fields);
	tcase_add_test(tc, test_attr_order);
	tcase_add_test(tc, test_etab_classes);
	tcase_add_test(tc, test_matiere_mef);
	tcase_add_test(tc, test_educnat_profiles);
	tcase_add_test(tc, test_teacher_classes_pp);
	tcase_add_test(tc, test_1d_names);
	tcase_add_test(tc, test_dangling_and_ids);
	suite_add_tcase(s, tc);

	tc = tcase_create("requests");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_modify_delete);
	tcase_add_test(tc, test_modify_clears);
	tcase_add_test(tc, test_duplicate_complet);
	tcase_add_test(tc, test_bad_records);
	suite_add_tcase(s, tc);

	tc = tcase_create("encodings");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_encoding_latin9);
	tcase_add_test(tc, test_encoding_undeclared_and_refs);
	tcase_add_test(tc, test_wrong_encoding);
	tcase_add_test(tc, test_whitespace_comments);
	tcase_add_test(tc, test_names_namespaces);
	suite_add_tcase(s, tc);

	tc = tcase_create("hostile");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_not_aaf);
	tcase_add_test(tc, test_truncated);
	tcase_add_test(tc, test_xxe_never_read);
	tcase_add_test(tc, test_billion_laughs);
	suite_add_tcase(s, tc);

	tc = tcase_create("files");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_order);
	tcase_add_test(tc, test_unnamed_file);
	tcase_add_test(tc, test_parallel_as_serial);
	suite_add_tcase(s, tc);
	return s;
}

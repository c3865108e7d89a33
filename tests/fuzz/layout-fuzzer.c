/*
 * layout-fuzzer: libFuzzer harness for layout files and school files.
 *
 * Exercises, on one input taken as an XML document:
 *	- layout_load_memory(): libxml2 parsing with the DOCTYPE refused,
 *	  RELAX NG validation against layouts/layout.rng, the build of
 *	  struct layout (lengths, fonts, when tokens, {fields} and their
 *	  scopes, inheritance of typefaces, cell and window geometry);
 *	- when the layout is valid, compose with it over a small fixed
 *	  school (students, a teacher, two households, one posted) and the
 *	  PostScript and PDF back ends: every element kind, each/children,
 *	  frames, overflowing text, cut marks and windows;
 *	- school_file_load_memory() on the same bytes (layouts/school.rng,
 *	  the school fields), and when valid, the same compose with the
 *	  letter layout and that school file, whose fields are printed.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aaf.h"
#include "diag.h"
#include "directory.h"
#include "fuzz.h"
#include "layout.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* A school of the demo export's shape, small enough to compose fast. */
static const char school_xml[] =
"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ficAlimMENESR>\n"
"<addRequest><operationalAttributes><attr name=\"categorieStructure\">"
"<value>EtabEducNat</value></attr></operationalAttributes>"
"<identifier><id>E1</id></identifier><attributes>"
"<attr name=\"ENTStructureUAI\"><value>0699990Z</value></attr>"
"<attr name=\"ENTStructureNomCourant\"><value>CLG$DES TROIS RIVIERES"
"</value></attr><attr name=\"ENTStructureClasses\"><value>4B$4EME B"
"</value></attr></attributes></addRequest>\n"
"<addRequest><operationalAttributes><attr name=\"categoriePersonne\">"
"<value>Eleve</value></attr></operationalAttributes>"
"<identifier><id>S1</id></identifier><attributes>"
"<attr name=\"sn\"><value>MARTIN</value></attr>"
"<attr name=\"givenName\"><value>Léa</value></attr>"
"<attr name=\"ENTPersonStructRattach\"><value>E1</value></attr>"
"<attr name=\"ENTEleveClasses\"><value>E1$4B</value></attr>"
"<attr name=\"ENTElevePersRelEleve\"><value>P1$10$1$1$1$0</value>"
"<value>P2$20$1$1$1$0</value></attr></attributes></addRequest>\n"
"<addRequest><operationalAttributes><attr name=\"categoriePersonne\">"
"<value>Eleve</value></attr></operationalAttributes>"
"<identifier><id>S2</id></identifier><attributes>"
"<attr name=\"sn\"><value>NGUYEN</value></attr>"
"<attr name=\"givenName\"><value>Œdipe</value></attr>"
"<attr name=\"ENTPersonStructRattach\"><value>E1</value></attr>"
"<attr name=\"ENTEleveClasses\"><value>E1$4B</value></attr>"
"<attr name=\"ENTElevePersRelEleve\"><value>P3$10$1$1$1$0</value></attr>"
"</attributes></addRequest>\n"
"<addRequest><operationalAttributes><attr name=\"categoriePersonne\">"
"<value>PersRelEleve</value></attr></operationalAttributes>"
"<identifier><id>P1</id></identifier><attributes>"
"<attr name=\"sn\"><value>MARTIN</value></attr>"
"<attr name=\"givenName\"><value>Paul</value></attr>"
"<attr name=\"personalTitle\"><value>M.</value></attr>"
"<attr name=\"ENTPersonAdresse\"><value>12 rue des Lilas$Bât. B</value>"
"</attr><attr name=\"ENTPersonCodePostal\"><value>69100</value></attr>"
"<attr name=\"ENTPersonVille\"><value>Villeurbanne</value></attr>"
"</attributes></addRequest>\n"
"<addRequest><operationalAttributes><attr name=\"categoriePersonne\">"
"<value>PersRelEleve</value></attr></operationalAttributes>"
"<identifier><id>P2</id></identifier><attributes>"
"<attr name=\"sn\"><value>MARTIN</value></attr>"
"<attr name=\"givenName\"><value>Anne</value></attr>"
"<attr name=\"ENTPersonAdresse\"><value>12 RUE DES LILAS$BAT B</value>"
"</attr><attr name=\"ENTPersonCodePostal\"><value>69100</value></attr>"
"<attr name=\"ENTPersonVille\"><value>VILLEURBANNE</value></attr>"
"</attributes></addRequest>\n"
"<addRequest><operationalAttributes><attr name=\"categoriePersonne\">"
"<value>PersRelEleve</value></attr></operationalAttributes>"
"<identifier><id>P3</id></identifier><attributes>"
"<attr name=\"sn\"><value>NGUYEN</value></attr>"
"<attr name=\"givenName\"><value>Thi</value></attr>"
"</attributes></addRequest>\n"
"<addRequest><operationalAttributes><attr name=\"categoriePersonne\">"
"<value>PersEducNat</value></attr></operationalAttributes>"
"<identifier><id>T1</id></identifier><attributes>"
"<attr name=\"sn\"><value>DUPONT</value></attr>"
"<attr name=\"givenName\"><value>Marc</value></attr>"
"<attr name=\"ENTPersonStructRattach\"><value>E1</value></attr>"
"<attr name=\"PersEducNatPresenceDevantEleves\"><value>O</value></attr>"
"<attr name=\"ENTAuxEnsClasses\"><value>E1$4B</value></attr>"
"<attr name=\"ENTAuxEnsClassesPrincipal\"><value>E1$4B</value></attr>"
"</attributes></addRequest>\n"
"</ficAlimMENESR>\n";

static struct directory	 dir;
static int		 ready;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct layout		*lay;
	struct school_file	 sf;

	fuzz_init();
	if (!ready) {
		directory_init(&dir);
		aaf_read_memory(&dir, "school.xml", school_xml,
		    sizeof(school_xml) - 1, 0);
		directory_resolve(&dir);
		ready = 1;
	}
	diag_reset();
	if ((lay = layout_load_memory("fuzz.xml", (const char *)data,
	    size)) != NULL) {
		fuzz_compose(&dir, lay, NULL, fuzz_want_pdf(data, size));
		layout_free(lay);
	}
	if (school_file_load_memory(&sf, "fuzz.xml", (const char *)data,
	    size) == 0) {
		fuzz_compose(&dir, fuzz_letter_layout(), &sf,
		    fuzz_want_pdf(data, size));
		school_file_free(&sf);
	}
	return 0;
}

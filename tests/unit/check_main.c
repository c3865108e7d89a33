/*
 * check_main: the unit-test runner, and helpers shared by the suites.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "aaf.h"
#include "diag.h"
#include "mem.h"
#include "tests.h"

static char	*cap_buf;
static size_t	 cap_len;
static FILE	*cap_fp;

void
diagcap_start(void)
{
	diagcap_stop();
	cap_fp = open_memstream(&cap_buf, &cap_len);
	diag_set_stream(cap_fp);
	diag_reset();
}

const char *
diagcap_text(void)
{
	fflush(cap_fp);
	return cap_buf != NULL ? cap_buf : "";
}

void
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

int
load_xml(struct directory *d, const char *name, const char *xml, int delta)
{
	int	 r;

	r = aaf_read_memory(d, name, xml, strlen(xml), delta);
	directory_resolve(d);
	return r;
}

char *
aaf_doc(const char *decl, const char *requests)
{
	char	*s;

	xasprintf(&s, "%s<ficAlimMENESR>\n%s</ficAlimMENESR>\n",
	    decl != NULL ? decl : "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
	    requests);
	return s;
}

char *
aaf_add(const char *cat, const char *id, const char *attrs)
{
	const char	*kind;
	char		*s;

	kind = strcmp(cat, "EtabEducNat") == 0 ? "categorieStructure" :
	    strcmp(cat, "MatiereEducNat") == 0 ? "categorieMatiere" :
	    strcmp(cat, "MefEducNat") == 0 ? "categorieMef" :
	    "categoriePersonne";
	xasprintf(&s, "<addRequest><operationalAttributes><attr name=\"%s\">"
	    "<value>%s</value></attr></operationalAttributes>\n"
	    "<identifier><id>%s</id></identifier>\n<attributes>%s</attributes>"
	    "</addRequest>\n", kind, cat, id, attrs);
	return s;
}

char *
aaf_attr(const char *name, const char *value)
{
	char	*s;

	xasprintf(&s, "<attr name=\"%s\"><value>%s</value></attr>", name,
	    value);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	diag_init("entpress");
	aaf_global_init();
	sr = srunner_create(aaf_suite());
	srunner_add_suite(sr, collate_suite());
	srunner_add_suite(sr, diag_suite());
	srunner_add_suite(sr, directory_suite());
	srunner_add_suite(sr, select_suite());
	srunner_add_suite(sr, utf8_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	aaf_global_cleanup();
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/*
 * csv-fuzzer: libFuzzer harness for the two CSV readers.
 *
 * Exercises, on one input taken as a CSV file read through fmemopen():
 *	- csv.c: byte order mark, delimiter sniffing, RFC 4180 quoting,
 *	  CR/LF/CRLF, the recovery after a quote never closed, NUL bytes,
 *	  invalid UTF-8, header folding (csv_key);
 *	- manual_read_fp(): columns by name, profiles, emails, postcodes,
 *	  duplicate keys, classes; then directory_resolve() and
 *	  manual_resolve() against a small export (one school, classes 4B
 *	  and 6A), select, batch and compose of the manual accounts;
 *	- accounts_import_read_fp() on the same bytes, as the ENT's account
 *	  export: Login and activation code columns, the callback per row;
 *	- csv_write_field() on every field read, as the CSV export quotes
 *	  and defuses it (formula injection).
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "aaf.h"
#include "csv.h"
#include "diag.h"
#include "directory.h"
#include "fuzz.h"
#include "manual.h"
#include "outw.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char school_xml[] =
"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ficAlimMENESR>\n"
"<addRequest><operationalAttributes><attr name=\"categorieStructure\">"
"<value>EtabEducNat</value></attr></operationalAttributes>"
"<identifier><id>E1</id></identifier><attributes>"
"<attr name=\"ENTStructureUAI\"><value>0699990Z</value></attr>"
"<attr name=\"ENTStructureClasses\"><value>4B$4EME B</value>"
"<value>6A$6EME A</value></attr></attributes></addRequest>\n"
"</ficAlimMENESR>\n";

static int
count_cb(void *arg, const char *login, int activated,
    const struct diag_pos *pos)
{
	size_t	*n = arg;

	(*n) += strlen(login) + (size_t)activated + pos->line;
	return 0;
}

/* Read fields back and quote them as the CSV export does. */
static void
write_back(const uint8_t *data, size_t size)
{
	struct csv	 c;
	struct outw	 w;
	FILE		*fp;
	size_t		 i;

	if ((fp = fmemopen((void *)(uintptr_t)data, size, "rb")) == NULL)
		return;
	csv_open_fp(&c, fp, "fuzz.csv");
	fuzz_null_outw(&w, "fuzz-out.csv");
	while (csv_next(&c) == 1)
		for (i = 0; i < csv_nfields(&c); i++)
			csv_write_field(&w, csv_get(&c, (int)i),
			    strlen(csv_get(&c, (int)i)), ';');
	outw_flush(&w);
	outw_publish(&w);
	csv_close(&c);
	fclose(fp);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct directory	 d;
	FILE			*fp;
	size_t			 n = 0;

	fuzz_init();
	diag_reset();
	if (size == 0)
		return 0;

	directory_init(&d);
	aaf_read_memory(&d, "school.xml", school_xml, sizeof(school_xml) - 1,
	    0);
	if ((fp = fmemopen((void *)(uintptr_t)data, size, "rb")) != NULL) {
		manual_read_fp(&d, fp, "fuzz.csv");
		fclose(fp);
	}
	directory_resolve(&d);
	manual_resolve(&d);
	fuzz_compose(&d, fuzz_letter_layout(), NULL,
	    fuzz_want_pdf(data, size));
	directory_free(&d);

	if ((fp = fmemopen((void *)(uintptr_t)data, size, "rb")) != NULL) {
		accounts_import_read_fp(fp, "fuzz.csv", count_cb, &n);
		fclose(fp);
	}
	write_back(data, size);
	return 0;
}

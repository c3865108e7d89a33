/*
 * aaf-fuzzer: libFuzzer harness for the AAF reader and what follows it.
 *
 * Exercises, on one input taken as an AAF XML file:
 *	- aaf_read_memory(): libxml2's xmlTextReader with entpress's
 *	  options (no DTD, no network, no entity substitution), the request
 *	  state machine, the limits on attributes and values per record;
 *	- directory_apply() for every request, Complet then the same bytes
 *	  again as a Delta (modifications and deletions of known ids);
 *	- directory_resolve(): $-separated values, classes, relatives from
 *	  both sides, head teachers, profiles;
 *	- select_run(), batch_build() (households, address blocks, postal
 *	  presort), compose with the letter layout and the PostScript and
 *	  PDF back ends, when the directory has few enough accounts.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>

#include "aaf.h"
#include "diag.h"
#include "directory.h"
#include "fuzz.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct directory	 d;

	fuzz_init();
	diag_reset();
	directory_init(&d);
	aaf_read_memory(&d, "fuzz_Complet_20260901_Eleve_0000.xml",
	    (const char *)data, size, 0);
	/* A Delta of the same records: every id is now known. */
	if (d.stats.records > 0)
		aaf_read_memory(&d, "fuzz_Delta_20261002_Eleve_0000.xml",
		    (const char *)data, size, 1);
	directory_resolve(&d);
	fuzz_compose(&d, fuzz_letter_layout(), NULL,
	    fuzz_want_pdf(data, size));
	directory_free(&d);
	return 0;
}

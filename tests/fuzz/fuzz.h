/*
 * fuzz: what the libFuzzer harnesses share.
 *
 * Each harness (aaf-fuzzer.c, layout-fuzzer.c, csv-fuzzer.c) feeds one
 * reader and then, when the input gave something usable, the stages
 * after it, the way `entpress compile` would: select, batch, compose
 * and the PostScript emitter, and the PDF one for a quarter of the
 * inputs (fuzz_want_pdf).  Diagnostics go to /dev/null (a
 * fuzzer produces millions of them), and the print run goes to
 * /dev/null through a struct outw set up by hand, since outw_open()
 * would create a temporary file beside its final name.  Nothing here
 * may exit or print on its own: a crash is libFuzzer's to report.
 */
#ifndef ENTPRESS_FUZZ_H
#define ENTPRESS_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "directory.h"
#include "layout.h"
#include "outw.h"

/* A directory with this many accounts or more is not composed (speed). */
#define FUZZ_MAX_ACCOUNTS	48

void	 fuzz_init(void);
int	 fuzz_compose(const struct directory *, const struct layout *,
	    const struct school_file *, int pdf);
int	 fuzz_want_pdf(const uint8_t *, size_t);
const struct layout *fuzz_letter_layout(void);
void	 fuzz_null_outw(struct outw *, const char *name);

#endif /* ENTPRESS_FUZZ_H */

/*
 * emit_pdf: the PDF back end.  It writes the page model (page.h) as one
 * PDF 1.7 file, optionally PDF/A-2b for the archive, and knows nothing
 * else of the run.  It never calls Ghostscript.
 *
 * The file is written in one pass through the counted writer (outw.h),
 * each object's offset taken from the byte count as it starts, so the
 * cross-reference table needs no seeking.  A page is two objects, its
 * deflated content stream and its page dictionary, written as it comes;
 * everything that depends on the whole run (the fonts, subset to the
 * glyphs the pages used, the page tree, the bookmarks, the page labels)
 * is written by emit_pdf_end, under object numbers that the pages could
 * refer to before they existed.  Every page shares one resource
 * dictionary.  The fonts are the URW base-35 Type 1 programs, embedded
 * under their own names, with one font dictionary per (face, glyph
 * vector) used and one program per face.
 *
 * The fonts and vectors used are those the pages show: pg_docinfo's
 * fonts_used and encs_used are not needed here.
 *
 * The same pages give the same bytes: no clock, host or random number
 * goes into the file.  The dates come from pg_docinfo, and the document
 * ID is a digest of the bytes written before it.
 *
 * Usage: emit_pdf_begin, emit_pdf_page for each page in order,
 * emit_pdf_end, all from one thread at a time.  emit_pdf_end writes the trailer and frees the state,
 * whatever happened before; committing the writer (outw_commit) stays
 * with the caller.  Write errors are remembered by the writer: page and
 * end return -1 once one has happened, 0 otherwise; end also returns -1
 * when a font program cannot be read (diagnosed).  begin returns NULL,
 * having written nothing, when the ICC profile a PDF/A file needs cannot
 * be read (diagnosed).
 */
#ifndef ENTPRESS_EMIT_PDF_H
#define ENTPRESS_EMIT_PDF_H

#include <stddef.h>
#include <stdint.h>

#include "outw.h"
#include "page.h"

/*
 * The sRGB profile of PDF/A's output intent: Debian's libgs-common,
 * which every Ghostscript install pulls in, ships Artifex's sRGB (ICC
 * v2, display class).
 */
#define EMIT_PDF_ICC	"/usr/share/color/icc/ghostscript/srgb.icc"

struct emit_pdf_opts {
	int		 pdfa;		/* PDF/A-2b */
	const char	*icc;		/* NULL: EMIT_PDF_ICC */
	const char	*fontdir;	/* URW .t1 files, NULL: URWDIR */
	int		 full_fonts;	/* no subsets */
};

struct emit_pdf;

/*
 * Told, as each page is written, its index (from 0) and the writer's
 * byte counts where it starts and ends.  A page is written a few pages
 * after emit_pdf_page was given it (its stream is deflated on a thread
 * of the back end meanwhile), at the latest by emit_pdf_end, so the
 * writer's count around emit_pdf_page says nothing of that page.  The
 * first page's range starts before the forms written with it.
 */
typedef void	 emit_pdf_range_fn(void *, size_t, uint64_t, uint64_t);

struct emit_pdf	*emit_pdf_begin(struct outw *, const struct pg_docinfo *,
		    const struct emit_pdf_opts *);
void		 emit_pdf_on_range(struct emit_pdf *, emit_pdf_range_fn *,
		    void *);
int		 emit_pdf_page(struct emit_pdf *, const struct pg_page *);
int		 emit_pdf_end(struct emit_pdf *);

#endif /* ENTPRESS_EMIT_PDF_H */

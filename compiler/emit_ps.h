/*
 * emit_ps: the PostScript back end.  It writes the page model (page.h)
 * as one DSC 3.0 conforming, Clean7Bit, Level 2 PostScript file for a
 * print shop's spooler, and knows nothing else of the run.
 *
 * The file is a header of DSC comments, a prolog of short procedures and
 * our own glyph vectors (text.h), a setup that asks for the medium and
 * duplex (each request skipped by a printer that lacks it) and re-encodes
 * every base font used into one font per glyph vector, then one
 * independent page per pg_page, framed by save and restore, and a
 * trailer giving the page count.  The same pages give the same bytes: no
 * clock, host or user goes into the file.
 *
 * The document's fonts and glyph vectors come from pg_docinfo
 * (fonts_used, encs_used): compose must declare every font and vector
 * its pages use.  A text item outside them still prints, its font being
 * re-encoded in the page that needs it, but the header then lists fewer
 * resources than the file uses (tests/ps/dsccheck.sh catches it).
 *
 * Usage: emit_ps_begin, emit_ps_page for each page in order, emit_ps_end.
 * The header is written with the first page, whose size becomes the
 * document's medium.  emit_ps_end writes the trailer and frees the
 * state; committing the writer (outw_commit) stays with the caller.
 * Write errors are remembered by the writer: page and end return -1
 * once one has happened, 0 otherwise.
 */
#ifndef ENTPRESS_EMIT_PS_H
#define ENTPRESS_EMIT_PS_H

#include "outw.h"
#include "page.h"

/* The longest line written, DSC's limit being 255 bytes. */
#define EMIT_PS_LINEMAX	255

struct emit_ps;

struct emit_ps	*emit_ps_begin(struct outw *, const struct pg_docinfo *);
int		 emit_ps_page(struct emit_ps *, const struct pg_page *);
int		 emit_ps_end(struct emit_ps *);

#endif /* ENTPRESS_EMIT_PS_H */
